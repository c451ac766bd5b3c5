// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - the "rdpprn" generic netlink family through libnl-genl-3:
 * transactions with sequence checks and extended-ack messages, dumps, and
 * dispatch of the messages the kernel sends on its own.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "rdpprn_genl.h"
#include "rdpprn_nl.h"

#define RDPPRN_NL_TIMEOUT_MS	5000
/*
 * A session owner receives write requests of up to 64 KiB: a large
 * receive buffer keeps the kernel from having to retry, and the send
 * buffer must hold the largest PDU (1 MiB) in one message.
 */
#define RDPPRN_NL_SOCKBUF	(4 * 1024 * 1024)
/* One datagram: a 64 KiB PDU attribute plus headers */
#define RDPPRN_NL_MSGBUF	(128 * 1024)
/* Datagrams one rdpprn_nl_recv() call reads at most */
#define RDPPRN_NL_BUDGET	64

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
		enum rdpprn_genl_kind kind = rdpprn_genl_attr_kind(i);
		struct nlattr *a = tb[i];
		int len;

		if (!a)
			continue;
		len = nla_len(a);
		if (i == RDPPRN_A_PDU) {
			o->pdu = nla_data(a);
			o->pdu_len = (size_t)len;
		} else if (kind == RDPPRN_GENL_U32 && len == 4) {
			o->u[i] = nla_get_u32(a);
		} else if (kind == RDPPRN_GENL_U64 && len == 8) {
			o->u[i] = nla_get_u64(a);
		} else if (kind == RDPPRN_GENL_STR && len > 0 &&
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

/* NLMSGERR_ATTR_MSG and, when there is one, the offset cookie. */
static void rdpprn_nl_extack(struct nlmsgerr *e, char *out, size_t outlen)
{
	u64 cookie;

	if (rdpprn_genl_extack(e, out, outlen, &cookie) && out[0]) {
		size_t n = strlen(out);

		snprintf(out + n, outlen - n, " (offset %llu)",
			 (unsigned long long)cookie);
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

int rdpprn_nl_open(struct rdpprn_nl *nl, rdpprn_nl_cb event_cb, void *ctx,
		   struct rdpprn_nl_res *res)
{
	static const struct rdpprn_genl_opts opts = {
		.bufsize = RDPPRN_NL_SOCKBUF,
		.msgbuf = RDPPRN_NL_MSGBUF,
	};
	const struct rdpprn_genl_cbs cbs = {
		.valid = rdpprn_nl_valid_cb,
		.ack = rdpprn_nl_ack_cb,
		.finish = rdpprn_nl_finish_cb,
		.err = rdpprn_nl_err_cb,
		.arg = nl,
	};
	const char *what = NULL;
	int ret;

	memset(nl, 0, sizeof(*nl));
	memset(res, 0, sizeof(*res));
	nl->timeout_ms = RDPPRN_NL_TIMEOUT_MS;
	nl->event_cb = event_cb;
	nl->event_ctx = ctx;
	ret = rdpprn_genl_connect(&nl->sk, &nl->family, &nl->monitor_grp,
				  &opts, &cbs, &what);
	if (ret) {
		rdpprn_nl_fail(res, ret, true, what, 0);
		return res->err;
	}
	nl->portid = nl_socket_get_local_port(nl->sk);
	return 0;
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
		rdpprn_nl_fail(res, rdpprn_genl_errno(ret), true,
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
		ret = rdpprn_genl_errno(ret);
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
		rdpprn_nl_fail(res, rdpprn_genl_errno(ret), true, "netlink send",
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
	return rdpprn_genl_msg(nl->family, cmd, flags, size);
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
			  const char *client_name, const char *client_addr,
			  u32 *session_id, struct rdpprn_nl_res *res)
{
	struct rdpprn_nl_new n = { 0 };
	struct nl_msg *msg;
	int ret;

	msg = rdpprn_nl_msg(nl, RDPPRN_CMD_SESSION_NEW, 0, 1024);
	if (!msg || nla_put_u32(msg, RDPPRN_A_UID, uid) ||
	    nla_put_u32(msg, RDPPRN_A_GID, gid) ||
	    (client_name && *client_name &&
	     nla_put_string(msg, RDPPRN_A_CLIENT_NAME, client_name)) ||
	    (client_addr && *client_addr &&
	     nla_put_string(msg, RDPPRN_A_CLIENT_ADDR, client_addr))) {
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
	size_t pieces = len / RDPPRN_PDU_ATTR_MAX + 1;
	struct nl_msg *msg;

	msg = rdpprn_nl_msg(nl, RDPPRN_CMD_PDU, 0, len + pieces * 8 + 256);
	if (!msg || nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id) ||
	    rdpprn_genl_put_pdu(msg, pdu, len, RDPPRN_PDU_ATTR_MAX))
		goto nomsg;
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
