// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: the netlink transport - one libnl-genl socket of the
 * "rdpprn" family, request/ACK transactions with extended ACK messages,
 * dumps flattened into struct rpt_obj lists, and the queue of PDUs the
 * kernel unicasts to the session owner.
 *
 * The socket that creates a session is its owner: it sends the session's
 * PDU commands and receives its server-to-client PDUs. Those arrive at any
 * time, also while a transaction waits for its ACK (the Server Device
 * Announce Responses come before the ACK of the announce), so every
 * receive path queues them and the caller pops them with
 * rpt_nl_next_pdu().
 *
 * The socket's setup, the attribute kinds, extended acknowledgments and
 * PDU attributes are librdpprn's (rdpprn_genl.h); what stays here is what
 * a test needs and a client must not do: requests filled by the caller
 * (malformed ones too), PDUs cut at any size or sent without waiting,
 * fault injection around a request, and answers kept as copies.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "rdpprn_genl.h"
#include "rdpprn_test.h"

/* Socket buffers: a window of 64 KiB write requests must never overrun */
#define RPT_SOCK_BUF		(16 * 1024 * 1024)
/* Receive buffer of one datagram: a write request is < 64 KiB + headers */
#define RPT_MSG_BUF		(256 * 1024)

static struct rpt_obj *rpt_obj_from_msg(u8 cmd, struct nlattr **tb)
{
	struct rpt_obj *o = rdpprn_xzalloc(sizeof(*o));
	int i;

	o->cmd = cmd;
	for (i = 1; i <= RDPPRN_A_MAX; i++) {
		struct nlattr *a = tb[i];
		int len;

		if (!a)
			continue;
		o->has[i] = true;
		len = nla_len(a);
		switch (rdpprn_genl_attr_kind(i)) {
		case RDPPRN_GENL_U32:
			if (len != 4) {
				o->bad[i] = true;
				break;
			}
			o->u[i] = nla_get_u32(a);
			break;
		case RDPPRN_GENL_U64:
			if (len != 8) {
				o->bad[i] = true;
				break;
			}
			o->u[i] = nla_get_u64(a);
			break;
		case RDPPRN_GENL_STR:
			if (len < 1 || ((char *)nla_data(a))[len - 1] != '\0')
				o->bad[i] = true;
			o->s[i] = rdpprn_xzalloc(len + 1);
			memcpy(o->s[i], nla_data(a), len);
			break;
		default:
			break;
		}
	}
	return o;
}

void rpt_objs_free(struct rpt_obj *o)
{
	while (o) {
		struct rpt_obj *next = o->next;
		int i;

		for (i = 0; i <= RDPPRN_A_MAX; i++)
			free(o->s[i]);
		free(o);
		o = next;
	}
}

unsigned int rpt_objs_count(const struct rpt_obj *o)
{
	unsigned int n = 0;

	for (; o; o = o->next)
		n++;
	return n;
}

static void rpt_queue_pdu(struct rpt_nl *nl, struct nlattr **tb)
{
	struct rpt_pdu *p;
	size_t len;

	if (!tb[RDPPRN_A_PDU]) {
		rpt_warn("RDPPRN_CMD_PDU from the kernel without RDPPRN_A_PDU");
		return;
	}
	len = nla_len(tb[RDPPRN_A_PDU]);
	p = rdpprn_xmalloc(sizeof(*p) + len);
	p->next = NULL;
	p->len = len;
	p->session_id = tb[RDPPRN_A_SESSION_ID] ?
			nla_get_u32(tb[RDPPRN_A_SESSION_ID]) : 0;
	memcpy(p->data, nla_data(tb[RDPPRN_A_PDU]), len);
	if (nl->tail)
		nl->tail->next = p;
	else
		nl->head = p;
	nl->tail = p;
	nl->queued++;
}

static int rpt_valid_cb(struct nl_msg *msg, void *arg)
{
	struct rpt_nl *nl = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[RDPPRN_A_MAX + 1];
	struct genlmsghdr *gh;
	struct rpt_obj *o;

	if (hdr->nlmsg_type != nl->family)
		return NL_OK;
	gh = nlmsg_data(hdr);
	if (genlmsg_parse(hdr, 0, tb, RDPPRN_A_MAX, NULL) < 0) {
		rpt_warn("unparsable rdpprn message (cmd %u)", gh->cmd);
		return NL_OK;
	}
	if (gh->cmd == RDPPRN_CMD_PDU) {
		rpt_queue_pdu(nl, tb);
		return NL_OK;
	}
	o = rpt_obj_from_msg(gh->cmd, tb);
	if (hdr->nlmsg_seq && hdr->nlmsg_seq == nl->seq && nl->collect) {
		if (nl->rtail)
			nl->rtail->next = o;
		else
			nl->replies = o;
		nl->rtail = o;
		return NL_OK;
	}
	/* a notification of the monitor group (or an unexpected reply) */
	o->next = nl->events;
	nl->events = o;
	return NL_OK;
}

static int rpt_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct rpt_nl *nl = arg;
	u64 cookie;

	if (e->msg.nlmsg_seq != nl->seq) {
		/* the answer to a request sent with rpt_send_pdu_nowait() */
		if (nl->hooks && nl->hooks->async_err && e->error) {
			char msg[RPT_EXTACK_LEN];

			rdpprn_genl_extack(e, msg, sizeof(msg), &cookie);
			nl->hooks->async_err(nl, e->msg.nlmsg_seq,
					     e->error < 0 ? e->error : -e->error,
					     msg);
		}
		return NL_SKIP;
	}
	nl->err = e->error < 0 ? e->error : -e->error;
	rdpprn_genl_extack(e, nl->extack, sizeof(nl->extack), &cookie);
	nl->done = true;
	return NL_SKIP;
}

static int rpt_ack_cb(struct nl_msg *msg, void *arg)
{
	struct rpt_nl *nl = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq == nl->seq) {
		nl->err = 0;
		nl->done = true;
	}
	return NL_OK;
}

static int rpt_finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct rpt_nl *nl = arg;

	if (hdr->nlmsg_seq != nl->seq)
		return NL_OK;
	nl->err = 0;
	if (nlmsg_datalen(hdr) >= (int)sizeof(int)) {
		int v;

		memcpy(&v, nlmsg_data(hdr), sizeof(v));
		if (v < 0)
			nl->err = v;
	}
	nl->done = true;
	return NL_OK;
}

int rpt_nl_open(struct rpt_nl *nl)
{
	static const struct rdpprn_genl_opts opts = {
		.bufsize = RPT_SOCK_BUF,
		.msgbuf = RPT_MSG_BUF,
	};
	const struct rdpprn_genl_cbs cbs = {
		.valid = rpt_valid_cb,
		.ack = rpt_ack_cb,
		.finish = rpt_finish_cb,
		.err = rpt_err_cb,
		.arg = nl,
	};
	const char *what;
	int rc;

	memset(nl, 0, sizeof(*nl));
	nl->timeout_ms = RPT_WAIT_MS;
	rc = rdpprn_genl_connect(&nl->sk, &nl->family, &nl->monitor_grp,
				 &opts, &cbs, &what);
	if (rc)
		return rc;
	nl->portid = nl_socket_get_local_port(nl->sk);
	return 0;
}

void rpt_nl_flush_pdus(struct rpt_nl *nl)
{
	while (nl->head) {
		struct rpt_pdu *p = nl->head;

		nl->head = p->next;
		free(p);
	}
	nl->tail = NULL;
	nl->queued = 0;
}

void rpt_nl_close(struct rpt_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
	rpt_nl_flush_pdus(nl);
	rpt_objs_free(nl->events);
	nl->events = NULL;
}

int rpt_nl_fd(struct rpt_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

int rpt_nl_join_monitor(struct rpt_nl *nl)
{
	int rc;

	if (nl->monitor_grp < 0)
		return -ENOENT;
	rc = nl_socket_add_membership(nl->sk, nl->monitor_grp);
	return rc < 0 ? rdpprn_genl_errno(rc) : 0;
}

/* Process what the socket holds; -EAGAIN when it is empty */
static int rpt_nl_recv_once(struct rpt_nl *nl)
{
	int rc = nl_recvmsgs_default(nl->sk);

	if (rc >= 0)
		return 0;
	rc = rdpprn_genl_errno(rc);
	if (rc == -ENOBUFS) {
		/* the kernel could not queue a message for us */
		nl->overruns++;
		rpt_warn("netlink socket overrun: kernel messages were lost");
		return 0;
	}
	return rc;
}

int rpt_nl_drain(struct rpt_nl *nl)
{
	int rc;

	do {
		rc = rpt_nl_recv_once(nl);
	} while (!rc);
	return rc == -EAGAIN ? 0 : rc;
}

/* Wait up to @timeout_ms (-1 forever) for data, then process it */
static int rpt_nl_wait_input(struct rpt_nl *nl, int timeout_ms)
{
	struct pollfd pfd = { .fd = rpt_nl_fd(nl), .events = POLLIN };
	int rc;

	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0)
		return -errno;
	if (!rc)
		return -ETIMEDOUT;
	return rpt_nl_drain(nl);
}

/*
 * Arms the sending thread's fail-nth right before the request goes out
 * and reads it back right after: the kernel handles a request inside
 * sendmsg(), so the window holds exactly the request's fault-injection
 * points and none of the receive path's.
 */
static int rpt_nl_send_armed(struct rpt_nl *nl, struct nl_msg *msg,
			     bool *armed)
{
	struct rpt_nl_hooks *hk = nl->hooks;
	int rc;

	*armed = hk && hk->fail_nth &&
		 !rpt_fail_nth_set(hk->fail_fd, hk->fail_nth);
	if (hk)
		hk->fail_nth = 0;
	if (*armed)
		hk->ack_lost = false;
	rc = nl_send_auto(nl->sk, msg);
	if (*armed) {
		hk->fail_left = rpt_fail_nth_get(hk->fail_fd);
		rpt_fail_nth_set(hk->fail_fd, 0);
	}
	return rc;
}

static int rpt_nl_transact(struct rpt_nl *nl, struct nl_msg *msg,
			   struct rpt_obj **out)
{
	unsigned int overruns = nl->overruns;
	u64 deadline;
	bool armed;
	int rc;

	nl->done = false;
	nl->err = 0;
	nl->extack[0] = '\0';
	nl->collect = !!out;
	nl->replies = NULL;
	nl->rtail = NULL;
	rc = rpt_nl_send_armed(nl, msg, &armed);
	if (rc < 0) {
		nlmsg_free(msg);
		rc = rdpprn_genl_errno(rc);
		snprintf(nl->extack, sizeof(nl->extack),
			 "(send failed: %s)", rdpprn_errname(rc));
		nl->err = rc;
		return rc;
	}
	nl->seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	deadline = rdpprn_now_ms() + nl->timeout_ms;
	while (!nl->done) {
		u64 now = rdpprn_now_ms();

		if (now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		rc = rpt_nl_wait_input(nl, (int)(deadline - now));
		if (rc && rc != -ETIMEDOUT && rc != -EINTR)
			break;
		rc = 0;
		/*
		 * A failed allocation of the ACK in netlink_ack() is reported
		 * as ENOBUFS on the socket instead: no answer will come.
		 */
		if (armed && !nl->hooks->fail_left &&
		    nl->overruns != overruns && !nl->done) {
			nl->hooks->ack_lost = true;
			snprintf(nl->extack, sizeof(nl->extack),
				 "(answer lost: ENOBUFS on the socket)");
			nl->err = -ENOBUFS;
			nl->done = true;
		}
	}
	if (!nl->done) {
		snprintf(nl->extack, sizeof(nl->extack),
			 "(no answer from the kernel: %s)", rdpprn_errname(rc));
		nl->err = rc ? rc : -ETIMEDOUT;
	}
	nl->collect = false;
	if (out)
		*out = nl->replies;
	else
		rpt_objs_free(nl->replies);
	nl->replies = NULL;
	nl->rtail = NULL;
	/* no late answer may match a later transaction */
	nl->seq = 0;
	return nl->err;
}

static struct nl_msg *rpt_nl_msg(struct rpt_nl *nl, u8 cmd, bool dump,
				 size_t size)
{
	struct nl_msg *msg = rdpprn_genl_msg(nl->family, cmd,
					     dump ? NLM_F_DUMP : 0, size);

	if (!msg)
		rpt_die("out of memory");
	return msg;
}

int rpt_nl_request(struct rpt_nl *nl, u8 cmd, bool dump,
		   int (*fill)(struct nl_msg *msg, void *arg), void *arg,
		   struct rpt_obj **out)
{
	struct nl_msg *msg = rpt_nl_msg(nl, cmd, dump, 16384);

	if (fill && fill(msg, arg) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return rpt_nl_transact(nl, msg, out);
}

struct rpt_new_args {
	u32 uid;
	u32 gid;
	const char *client_name;
	const char *client_addr;
};

static int rpt_fill_new(struct nl_msg *msg, void *arg)
{
	struct rpt_new_args *a = arg;

	if (nla_put_u32(msg, RDPPRN_A_UID, a->uid) ||
	    nla_put_u32(msg, RDPPRN_A_GID, a->gid))
		return -1;
	if (a->client_name &&
	    nla_put_string(msg, RDPPRN_A_CLIENT_NAME, a->client_name))
		return -1;
	if (a->client_addr &&
	    nla_put_string(msg, RDPPRN_A_CLIENT_ADDR, a->client_addr))
		return -1;
	return 0;
}

int rpt_session_new(struct rpt_nl *nl, u32 uid, u32 gid,
		    const char *client_name, u32 *session_id)
{
	return rpt_session_new_at(nl, uid, gid, client_name, NULL, session_id);
}

int rpt_session_new_at(struct rpt_nl *nl, u32 uid, u32 gid,
		       const char *client_name, const char *client_addr,
		       u32 *session_id)
{
	struct rpt_new_args a = { uid, gid, client_name, client_addr };
	struct rpt_obj *r = NULL, *o;
	int rc;

	rc = rpt_nl_request(nl, RDPPRN_CMD_SESSION_NEW, false, rpt_fill_new,
			    &a, &r);
	if (rc)
		goto out;
	rc = -EPROTO;
	for (o = r; o; o = o->next) {
		if (o->has[RDPPRN_A_SESSION_ID] && !o->bad[RDPPRN_A_SESSION_ID]) {
			*session_id = (u32)o->u[RDPPRN_A_SESSION_ID];
			rc = 0;
			break;
		}
	}
	if (rc)
		snprintf(nl->extack, sizeof(nl->extack),
			 "(SESSION_NEW reply without RDPPRN_A_SESSION_ID)");
out:
	rpt_objs_free(r);
	return rc;
}

static int rpt_fill_sid(struct nl_msg *msg, void *arg)
{
	u32 sid = *(u32 *)arg;

	if (!sid)
		return 0;
	return nla_put_u32(msg, RDPPRN_A_SESSION_ID, sid) ? -1 : 0;
}

int rpt_session_del(struct rpt_nl *nl, u32 session_id)
{
	return rpt_nl_request(nl, RDPPRN_CMD_SESSION_DEL, false, rpt_fill_sid,
			      &session_id, NULL);
}

int rpt_send_pdu_split(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
		       size_t len, size_t piece)
{
	struct nl_msg *msg;
	size_t pieces;

	if (!piece || piece > RDPPRN_PDU_ATTR_MAX)
		piece = RDPPRN_PDU_ATTR_MAX;
	pieces = len ? (len + piece - 1) / piece : 1;
	msg = rpt_nl_msg(nl, RDPPRN_CMD_PDU, false, len + pieces * 8 + 4096);
	if (nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id) ||
	    rdpprn_genl_put_pdu(msg, pdu, len, piece)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return rpt_nl_transact(nl, msg, NULL);
}

int rpt_send_pdu(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
		 size_t len)
{
	return rpt_send_pdu_split(nl, session_id, pdu, len,
				  RDPPRN_PDU_ATTR_MAX);
}

int rpt_send_pdu_nowait(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
			size_t len)
{
	struct nl_msg *msg = rpt_nl_msg(nl, RDPPRN_CMD_PDU, false, len + 256);
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	int rc = -EMSGSIZE;

	if (!nl->hooks)
		rpt_die("%s() without hooks", __func__);
	if (nla_put_u32(msg, RDPPRN_A_SESSION_ID, session_id) ||
	    nla_put(msg, RDPPRN_A_PDU, (int)len, pdu))
		goto out;
	/*
	 * nl_send() leaves the header alone (nl_send_auto() would ask for an
	 * ACK): without NLM_F_ACK only a refusal is answered. The sequence
	 * numbers count down from the top so that no answer can be taken
	 * for a transaction's.
	 */
	hdr->nlmsg_flags = NLM_F_REQUEST;
	hdr->nlmsg_seq = --nl->hooks->nowait_seq;
	hdr->nlmsg_pid = nl->portid;
	rc = nl_send(nl->sk, msg);
	rc = rc < 0 ? rdpprn_genl_errno(rc) : 0;
out:
	nlmsg_free(msg);
	return rc;
}

int rpt_get_sessions(struct rpt_nl *nl, u32 session_id, bool dump,
		     struct rpt_obj **out)
{
	return rpt_nl_request(nl, RDPPRN_CMD_SESSION_GET, dump, rpt_fill_sid,
			      &session_id, out);
}

int rpt_get_devices(struct rpt_nl *nl, u32 session_id, struct rpt_obj **out)
{
	return rpt_nl_request(nl, RDPPRN_CMD_DEVICE_GET, true, rpt_fill_sid,
			      &session_id, out);
}

int rpt_get_jobs(struct rpt_nl *nl, struct rpt_obj **out)
{
	return rpt_nl_request(nl, RDPPRN_CMD_JOB_GET, true, NULL, NULL, out);
}

struct rpt_pdu *rpt_nl_next_pdu(struct rpt_nl *nl, int timeout_ms, int *err)
{
	u64 deadline = rdpprn_now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	struct rpt_pdu *p;
	int rc = 0;

	while (!nl->head) {
		int wait = -1;

		if (timeout_ms >= 0) {
			u64 now = rdpprn_now_ms();

			if (now >= deadline) {
				rc = -ETIMEDOUT;
				break;
			}
			wait = (int)(deadline - now);
		}
		rc = rpt_nl_wait_input(nl, wait);
		if (rc == -ETIMEDOUT || rc == -EINTR)
			continue;
		if (rc)
			break;
	}
	if (!nl->head) {
		if (err)
			*err = rc ? rc : -ETIMEDOUT;
		return NULL;
	}
	p = nl->head;
	nl->head = p->next;
	if (!nl->head)
		nl->tail = NULL;
	nl->queued--;
	p->next = NULL;
	if (err)
		*err = 0;
	return p;
}
