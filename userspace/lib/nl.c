// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - the "rdpprn" generic netlink family through libnl-genl-3:
 * transactions with sequence checks and extended-ack messages, dumps, and
 * dispatch of the messages the kernel sends on its own.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "rdpprn_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

#define RDPPRN_NL_TIMEOUT_MS	5000
/*
 * A session owner receives write requests of up to 64 KiB: a large
 * receive buffer keeps the kernel from having to retry, and the send
 * buffer must hold the largest PDU (1 MiB) in one message.
 */
#define RDPPRN_NL_RCVBUF	(4 * 1024 * 1024)
#define RDPPRN_NL_SNDBUF	(4 * 1024 * 1024)
/* One datagram: a 64 KiB PDU attribute plus headers */
#define RDPPRN_NL_MSGBUF	(128 * 1024)
/* Datagrams one rdpprn_nl_recv() call reads at most */
#define RDPPRN_NL_BUDGET	64

enum { RDPPRN_NL_NONE, RDPPRN_NL_U32, RDPPRN_NL_U64, RDPPRN_NL_STR };

static const u8 rdpprn_nl_kind[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_SESSION_ID] = RDPPRN_NL_U32,
	[RDPPRN_A_UID] = RDPPRN_NL_U32,
	[RDPPRN_A_GID] = RDPPRN_NL_U32,
	[RDPPRN_A_CLIENT_NAME] = RDPPRN_NL_STR,
	[RDPPRN_A_OWNER_PORTID] = RDPPRN_NL_U32,
	[RDPPRN_A_DEVICE_ID] = RDPPRN_NL_U32,
	[RDPPRN_A_MINOR] = RDPPRN_NL_U32,
	[RDPPRN_A_DEV_NAME] = RDPPRN_NL_STR,
	[RDPPRN_A_PRINTER_NAME] = RDPPRN_NL_STR,
	[RDPPRN_A_DRIVER_NAME] = RDPPRN_NL_STR,
	[RDPPRN_A_DOS_NAME] = RDPPRN_NL_STR,
	[RDPPRN_A_FLAGS] = RDPPRN_NL_U32,
	[RDPPRN_A_JOBS] = RDPPRN_NL_U64,
	[RDPPRN_A_BYTES] = RDPPRN_NL_U64,
	[RDPPRN_A_ERRORS] = RDPPRN_NL_U64,
	[RDPPRN_A_OPEN_JOBS] = RDPPRN_NL_U32,
	[RDPPRN_A_DEVICES] = RDPPRN_NL_U32,
	[RDPPRN_A_FILE_ID] = RDPPRN_NL_U32,
	[RDPPRN_A_JOB_STATE] = RDPPRN_NL_U32,
	[RDPPRN_A_QUEUED] = RDPPRN_NL_U64,
	[RDPPRN_A_PID] = RDPPRN_NL_U32,
	[RDPPRN_A_SESSION_STATE] = RDPPRN_NL_U32,
	[RDPPRN_A_ORPHANS] = RDPPRN_NL_U32,
	[RDPPRN_A_INCOMPLETE] = RDPPRN_NL_U64,
};

/* libnl reports its own error codes; keep the errno that matters. */
static int rdpprn_nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_NOMEM:
		return -ENOBUFS;
	case NLE_PERM:
		return -EPERM;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	default:
		return -EIO;
	}
}

static void rdpprn_nl_fail(struct rdpprn_nl_res *res, int err, bool transport,
			   const char *what, int nlerr)
{
	res->err = err;
	res->transport = transport;
	if (nlerr)
		snprintf(res->msg, sizeof(res->msg), "%s: %s", what,
			 nl_geterror(nlerr));
	else
		snprintf(res->msg, sizeof(res->msg), "%s", what);
}

static void rdpprn_nl_flatten(struct nlmsghdr *hdr, struct rdpprn_nl_obj *o)
{
	struct nlattr *tb[RDPPRN_A_MAX + 1];
	int i;

	memset(o, 0, sizeof(*o));
	o->cmd = ((struct genlmsghdr *)nlmsg_data(hdr))->cmd;
	if (genlmsg_parse(hdr, 0, tb, RDPPRN_A_MAX, NULL) < 0)
		return;
	for (i = 1; i <= RDPPRN_A_MAX; i++) {
		struct nlattr *a = tb[i];
		int len;

		if (!a)
			continue;
		len = nla_len(a);
		if (i == RDPPRN_A_PDU) {
			o->pdu = nla_data(a);
			o->pdu_len = (size_t)len;
		} else if (rdpprn_nl_kind[i] == RDPPRN_NL_U32 && len == 4) {
			o->u[i] = nla_get_u32(a);
		} else if (rdpprn_nl_kind[i] == RDPPRN_NL_U64 && len == 8) {
			o->u[i] = nla_get_u64(a);
		} else if (rdpprn_nl_kind[i] == RDPPRN_NL_STR && len > 0 &&
			   ((char *)nla_data(a))[len - 1] == '\0') {
			o->s[i] = nla_data(a);
		} else {
			continue;
		}
		o->has |= 1ULL << i;
	}
}

static int rdpprn_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct rdpprn_nl *nl = arg;
	struct rdpprn_nl_obj o;

	if (hdr->nlmsg_type != nl->family)
		return NL_OK;
	rdpprn_nl_flatten(hdr, &o);
	if (nl->seq && hdr->nlmsg_seq == nl->seq) {
		if (nl->reply_cb)
			nl->reply_cb(nl->reply_ctx, &o);
	} else if (nl->event_cb) {
		nl->event_cb(nl->event_ctx, &o);
	}
	return NL_OK;
}

/* NLMSGERR_ATTR_MSG (and the offset cookie) of an error message. */
static void rdpprn_nl_extack(struct nlmsgerr *e, char *out, size_t outlen)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((u8 *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e), total;
	struct nlattr *cookie;

	out[0] = '\0';
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* without NETLINK_CAP_ACK the request is echoed before the TLVs */
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	total = hdr->nlmsg_len - NLMSG_HDRLEN;
	if (off >= total ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((u8 *)e + off),
		      (int)(total - off), NULL) < 0 ||
	    !tb[NLMSGERR_ATTR_MSG])
		return;
	nla_strlcpy(out, tb[NLMSGERR_ATTR_MSG], outlen);
	cookie = tb[NLMSGERR_ATTR_COOKIE];
	if (cookie && nla_len(cookie) == 8) {
		size_t n = strlen(out);

		snprintf(out + n, outlen - n, " (offset %llu)",
			 (unsigned long long)nla_get_u64(cookie));
	}
}

static int rdpprn_nl_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e,
			    void *arg)
{
	struct rdpprn_nl *nl = arg;

	if (!nl->seq || e->msg.nlmsg_seq != nl->seq)
		return NL_SKIP;
	nl->res->err = e->error > 0 ? -e->error : e->error;
	rdpprn_nl_extack(e, nl->res->msg, sizeof(nl->res->msg));
	nl->done = true;
	return NL_SKIP;
}

static int rdpprn_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	struct rdpprn_nl *nl = arg;

	if (nl->seq && nlmsg_hdr(msg)->nlmsg_seq == nl->seq)
		nl->done = true;
	return NL_OK;
}

/* NLMSG_DONE of a dump; it carries the dump's error, if any */
static int rdpprn_nl_finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct rdpprn_nl *nl = arg;
	int v;

	if (!nl->seq || hdr->nlmsg_seq != nl->seq)
		return NL_OK;
	if (nlmsg_datalen(hdr) >= (int)sizeof(v)) {
		memcpy(&v, nlmsg_data(hdr), sizeof(v));
		if (v < 0)
			nl->res->err = v;
	}
	nl->done = true;
	return NL_OK;
}

/* Sequence numbers are matched by the callbacks above. */
static int rdpprn_nl_seq_cb(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

static void rdpprn_nl_bufs(struct rdpprn_nl *nl)
{
	int fd = nl_socket_get_fd(nl->sk), rcv = RDPPRN_NL_RCVBUF;
	int snd = RDPPRN_NL_SNDBUF;

	/* the FORCE variants need CAP_NET_ADMIN, which the helper has */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)))
		nl_socket_set_buffer_size(nl->sk, rcv, snd);
	nl_socket_set_msg_buf_size(nl->sk, RDPPRN_NL_MSGBUF);
}

int rdpprn_nl_open(struct rdpprn_nl *nl, rdpprn_nl_cb event_cb, void *ctx,
		   struct rdpprn_nl_res *res)
{
	int one = 1, fd, ret;

	memset(nl, 0, sizeof(*nl));
	memset(res, 0, sizeof(*res));
	nl->timeout_ms = RDPPRN_NL_TIMEOUT_MS;
	nl->event_cb = event_cb;
	nl->event_ctx = ctx;
	nl->monitor_grp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		rdpprn_nl_fail(res, -ENOMEM, true, "nl_socket_alloc failed", 0);
		return res->err;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		rdpprn_nl_fail(res, rdpprn_nl_errno(ret), true,
			       "generic netlink socket", ret);
		goto fail;
	}
	nl->family = genl_ctrl_resolve(nl->sk, RDPPRN_GENL_NAME);
	if (nl->family < 0) {
		rdpprn_nl_fail(res, -ENOENT, true,
			       "no generic netlink family \"rdpprn\" (is rdpprn.ko loaded?)",
			       0);
		goto fail;
	}
	nl->monitor_grp = genl_ctrl_resolve_grp(nl->sk, RDPPRN_GENL_NAME,
						RDPPRN_MCGRP_MONITOR);
	fd = nl_socket_get_fd(nl->sk);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		rdpprn_nl_fail(res, -errno, true,
			       "NETLINK_EXT_ACK/NETLINK_CAP_ACK", 0);
		goto fail;
	}
	rdpprn_nl_bufs(nl);
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_disable_msg_peek(nl->sk);
	nl_socket_modify_cb(nl->sk, NL_CB_SEQ_CHECK, NL_CB_CUSTOM,
			    rdpprn_nl_seq_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM,
			    rdpprn_nl_valid_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_ACK, NL_CB_CUSTOM, rdpprn_nl_ack_cb,
			    nl);
	nl_socket_modify_cb(nl->sk, NL_CB_FINISH, NL_CB_CUSTOM,
			    rdpprn_nl_finish_cb, nl);
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, rdpprn_nl_err_cb, nl);
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0) {
		rdpprn_nl_fail(res, rdpprn_nl_errno(ret), true, "O_NONBLOCK",
			       ret);
		goto fail;
	}
	nl->portid = nl_socket_get_local_port(nl->sk);
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return res->err;
}

void rdpprn_nl_close(struct rdpprn_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

int rdpprn_nl_fd(const struct rdpprn_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

int rdpprn_nl_monitor(struct rdpprn_nl *nl, struct rdpprn_nl_res *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (nl->monitor_grp < 0) {
		rdpprn_nl_fail(res, -ENOENT, false,
			       "the family has no \"monitor\" group", 0);
		return res->err;
	}
	ret = nl_socket_add_membership(nl->sk, nl->monitor_grp);
	if (ret < 0)
		rdpprn_nl_fail(res, rdpprn_nl_errno(ret), true,
			       "joining the \"monitor\" group", ret);
	return res->err;
}

int rdpprn_nl_recv(struct rdpprn_nl *nl)
{
	unsigned int budget;

	/* bounded, so that one busy socket cannot starve an event loop */
	for (budget = RDPPRN_NL_BUDGET; budget; budget--) {
		int ret = nl_recvmsgs_default(nl->sk);

		if (ret >= 0)
			continue;
		ret = rdpprn_nl_errno(ret);
		if (ret == -EAGAIN)
			return 0;
		if (ret == -ENOBUFS) {
			/* the kernel dropped a message for us; go on */
			nl->overruns++;
			continue;
		}
		return ret;
	}
	return 0;
}

/* Send @msg (consumed) and wait for its answer. */
static int rdpprn_nl_transact(struct rdpprn_nl *nl, struct nl_msg *msg,
			      rdpprn_nl_cb reply_cb, void *reply_ctx,
			      struct rdpprn_nl_res *res)
{
	u64 deadline;
	int ret;

	memset(res, 0, sizeof(*res));
	if (nl->seq) {
		nlmsg_free(msg);
		rdpprn_nl_fail(res, -EBUSY, false,
			       "a transaction is already in progress", 0);
		return res->err;
	}
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nlmsg_free(msg);
		rdpprn_nl_fail(res, rdpprn_nl_errno(ret), true, "netlink send",
			       ret);
		return res->err;
	}
	nl->seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	nl->done = false;
	nl->res = res;
	nl->reply_cb = reply_cb;
	nl->reply_ctx = reply_ctx;
	deadline = rdpprn_now_ms() + (u64)nl->timeout_ms;
	while (!nl->done) {
		struct pollfd pfd = { .fd = rdpprn_nl_fd(nl), .events = POLLIN };
		u64 now;

		ret = rdpprn_nl_recv(nl);
		if (ret) {
			rdpprn_nl_fail(res, ret, true, "netlink receive", 0);
			break;
		}
		if (nl->done)
			break;
		now = rdpprn_now_ms();
		if (now >= deadline) {
			rdpprn_nl_fail(res, -ETIMEDOUT, true,
				       "no answer from the kernel", 0);
			break;
		}
		if (poll(&pfd, 1, (int)(deadline - now)) < 0 && errno != EINTR) {
			rdpprn_nl_fail(res, -errno, true, "poll", 0);
			break;
		}
	}
	/* a late answer must not match a later transaction */
	nl->seq = 0;
	nl->res = NULL;
	nl->reply_cb = NULL;
	return res->err;
}

static struct nl_msg *rdpprn_nl_msg(struct rdpprn_nl *nl, u8 cmd, int flags,
				    size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, RDPPRN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int rdpprn_nl_nomsg(struct rdpprn_nl_res *res)
{
	memset(res, 0, sizeof(*res));
	rdpprn_nl_fail(res, -ENOMEM, false, "cannot build the netlink message",
		       0);
	return res->err;
}

struct rdpprn_nl_new {
	u32 sid;
	bool found;
};

static void rdpprn_nl_new_reply(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct rdpprn_nl_new *n = ctx;

	if (rdpprn_nl_has(o, RDPPRN_A_SESSION_ID)) {
		n->sid = (u32)o->u[RDPPRN_A_SESSION_ID];
		n->found = true;
	}
}

int rdpprn_nl_session_new(struct rdpprn_nl *nl, u32 uid, u32 gid,
			  const char *client_name, u32 *session_id,
			  struct rdpprn_nl_res *res)
{
	struct rdpprn_nl_new n = { 0 };
	struct nl_msg *msg;
	int ret;

	msg = rdpprn_nl_msg(nl, RDPPRN_CMD_SESSION_NEW, 0, 1024);
	if (!msg || nla_put_u32(msg, RDPPRN_A_UID, uid) ||
	    nla_put_u32(msg, RDPPRN_A_GID, gid) ||
	    (client_name && *client_name &&
	     nla_put_string(msg, RDPPRN_A_CLIENT_NAME, client_name))) {
		nlmsg_free(msg);
		return rdpprn_nl_nomsg(res);
	}
	ret = rdpprn_nl_transact(nl, msg, rdpprn_nl_new_reply, &n, res);
	if (ret)
		return ret;
	if (!n.found) {
		rdpprn_nl_fail(res, -EPROTO, false,
			       "SESSION_NEW reply without a session id", 0);
		return res->err;
	}
	*session_id = n.sid;
	return 0;
}

int rdpprn_nl_session_del(struct rdpprn_nl *nl, u32 session_id,
			  struct rdpprn_nl_res *res)
{
	struct nl_msg *msg = rdpprn_nl_msg(nl, RDPPRN_CMD_SESSION_DEL, 0, 256);

	if (!msg || nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id)) {
		nlmsg_free(msg);
		return rdpprn_nl_nomsg(res);
	}
	return rdpprn_nl_transact(nl, msg, NULL, NULL, res);
}

int rdpprn_nl_printer_cache(struct rdpprn_nl *nl,
			    const struct rdpprn_nl_cache *c,
			    struct rdpprn_nl_res *res)
{
	struct nl_msg *msg;

	if (c->config_len > RDPPRN_PDU_ATTR_MAX) {
		res->err = -EMSGSIZE;
		snprintf(res->msg, sizeof(res->msg),
			 "configuration over %d bytes", RDPPRN_PDU_ATTR_MAX);
		return res->err;
	}
	msg = rdpprn_nl_msg(nl, RDPPRN_CMD_PRINTER_CACHE, 0,
			    c->config_len + 4096 + 256);
	if (!msg || nla_put_u32(msg, RDPPRN_A_SESSION_ID, c->session_id) ||
	    nla_put_u32(msg, RDPPRN_A_DEVICE_ID, c->device_id) ||
	    nla_put_u32(msg, RDPPRN_A_CACHE_EVENT, c->event) ||
	    (c->config && nla_put(msg, RDPPRN_A_CONFIG, (int)c->config_len,
				  c->config)) ||
	    (c->new_name && nla_put_string(msg, RDPPRN_A_PRINTER_NAME,
					   c->new_name))) {
		nlmsg_free(msg);
		return rdpprn_nl_nomsg(res);
	}
	return rdpprn_nl_transact(nl, msg, NULL, NULL, res);
}

int rdpprn_nl_send_pdu(struct rdpprn_nl *nl, u32 session_id, const u8 *pdu,
		       size_t len, struct rdpprn_nl_res *res)
{
	size_t pieces = len / RDPPRN_PDU_ATTR_MAX + 1, off = 0;
	struct nl_msg *msg;

	msg = rdpprn_nl_msg(nl, RDPPRN_CMD_PDU, 0, len + pieces * 8 + 256);
	if (!msg || nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id))
		goto nomsg;
	do {
		size_t n = len - off;

		if (n > RDPPRN_PDU_ATTR_MAX)
			n = RDPPRN_PDU_ATTR_MAX;
		if (nla_put(msg, RDPPRN_A_PDU, (int)n, pdu + off))
			goto nomsg;
		off += n;
	} while (off < len);
	return rdpprn_nl_transact(nl, msg, NULL, NULL, res);
nomsg:
	nlmsg_free(msg);
	return rdpprn_nl_nomsg(res);
}

int rdpprn_nl_dump(struct rdpprn_nl *nl, u8 cmd, u32 session_id,
		   rdpprn_nl_cb cb, void *ctx, struct rdpprn_nl_res *res)
{
	struct nl_msg *msg = rdpprn_nl_msg(nl, cmd, NLM_F_DUMP, 256);

	if (!msg || (session_id &&
		     nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id))) {
		nlmsg_free(msg);
		return rdpprn_nl_nomsg(res);
	}
	return rdpprn_nl_transact(nl, msg, cb, ctx, res);
}
