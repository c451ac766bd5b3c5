// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - the kernel operations of a session on its own netlink
 * socket (struct rdpprn_nl): the socket that creates the session owns it,
 * receives its PDUs, and ends it when it is closed (a crashed daemon
 * leaves nothing behind in the kernel).
 */
#include "rdpprn_log.h"
#include "daemon.h"

static int rdpprnd_k_session_new(void *k, const struct rdpprn_open *o,
				 u32 *sid, struct rdpprn_nl_res *res)
{
	return rdpprn_nl_session_new(k, o->uid, o->gid, o->name, o->addr, sid,
				     res);
}

static int rdpprnd_k_session_del(void *k, u32 sid, struct rdpprn_nl_res *res)
{
	return rdpprn_nl_session_del(k, sid, res);
}

static int rdpprnd_k_pdu(void *k, u32 sid, const u8 *pdu, size_t len,
			 struct rdpprn_nl_res *res)
{
	return rdpprn_nl_send_pdu(k, sid, pdu, len, res);
}

static const struct rdpprnd_kops rdpprnd_kernel_ops = {
	.session_new = rdpprnd_k_session_new,
	.session_del = rdpprnd_k_session_del,
	.pdu = rdpprnd_k_pdu,
};

/*
 * Messages the kernel sends the session owner on its own: the PDUs for
 * the client. Anything else on this socket is not for it.
 */
static void rdpprnd_kernel_event(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct rdpprnd_session *s = ctx;

	if (o->cmd != RDPPRN_CMD_PDU || !o->pdu)
		return;
	if (rdpprn_nl_has(o, RDPPRN_A_SESSION_ID) &&
	    o->u[RDPPRN_A_SESSION_ID] != s->sid) {
		rdpprn_warn("session %u: a PDU of kernel session %llu on the socket of %u",
			    s->conn,
			    (unsigned long long)o->u[RDPPRN_A_SESSION_ID],
			    s->sid);
		return;
	}
	rdpprnd_session_kernel_pdu(s, o->pdu, o->pdu_len);
}

/* every session owns a socket: closing it ends the kernel session */
static int rdpprnd_k_attach(struct rdpprnd_conn *c, struct rdpprn_nl_res *res)
{
	int ret = rdpprn_nl_open(&c->nl, rdpprnd_kernel_event, &c->s, res);

	if (ret)
		return ret;
	c->k = &c->nl;
	c->nl_w.fd = rdpprn_nl_fd(&c->nl);
	return 0;
}

static int rdpprnd_k_recv(struct rdpprnd_conn *c)
{
	u64 overruns = c->nl.overruns;
	int ret = rdpprn_nl_recv(&c->nl);

	if (!ret && c->nl.overruns != overruns)
		rdpprn_warn("session %u: the kernel could not queue a message for rdpprnd",
			    c->s.conn);
	return ret;
}

static void rdpprnd_k_detach(struct rdpprnd_conn *c)
{
	rdpprn_nl_close(&c->nl);
}

const struct rdpprnd_backend rdpprnd_backend = {
	.kops = &rdpprnd_kernel_ops,
	.attach = rdpprnd_k_attach,
	.recv = rdpprnd_k_recv,
	.detach = rdpprnd_k_detach,
	.monitor = true,
};
