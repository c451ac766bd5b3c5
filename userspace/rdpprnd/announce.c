// SPDX-License-Identifier: GPL-2.0
/*
 * announce.c - Client Device List Announce and Remove.
 *
 * The daemon answers what the kernel does not see and forwards the rest:
 *
 *  - a non-printer entry (drive, port, smart card) gets
 *    STATUS_NOT_SUPPORTED from the daemon: rdpprn redirects printers only.
 *    A device provider's server redirects those itself and answers them:
 *    the daemon leaves them alone;
 *  - a printer entry whose device data does not parse gets
 *    STATUS_INVALID_PARAMETER (what the kernel would answer);
 *  - a printer the site policy refuses gets the status of the verdict;
 *  - the accepted printers go to the kernel in a rewritten announce, byte
 *    for byte as the client sent them except for a cleared DEFAULT flag;
 *    the kernel answers each one. A printer the kernel leaves unanswered
 *    (the announce was refused as a whole) is answered here, so the
 *    client never waits for an answer that will not come.
 *
 * The daemon tracks the printers it forwarded, for the policy's count and
 * default printer, and so that an entry which replaces a live printer
 * under the same DeviceId but is not forwarded removes that printer from
 * the kernel too.
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprnd.h"

/**
 * struct rdpprnd_batch - the work on one announce
 * @dl: the announce
 * @fwd: the rewritten announce for the kernel
 * @fwd_len: its length so far
 * @fwd_ids: DeviceIds in @fwd
 * @n_fwd: entries of @fwd_ids
 * @own: answers the daemon gives itself (DeviceId, ResultCode)
 * @n_own: entries of @own
 * @stale: live printers to remove from the kernel
 * @n_stale: entries of @stale
 * @name: a printer name in UTF-8
 * @text: the same escaped for the log
 */
struct rdpprnd_batch {
	struct rdpdr_devlist dl;
	u8 *fwd;
	size_t fwd_len;
	u32 *fwd_ids;
	u32 n_fwd;
	struct rdpdr_device_reply *own;
	u32 n_own;
	u32 *stale;
	u32 n_stale;
	char *name;
	char *text;
};

#define RDPPRND_TEXT_LEN	(4 * RDPDR_MAX_UTF8_BYTES)

static void rdpprnd_answer(struct rdpprnd_batch *b, u32 id, u32 status)
{
	b->own[b->n_own].device_id = id;
	b->own[b->n_own].result_code = status;
	b->n_own++;
}

/* A live printer is announced again under its id but not forwarded */
static void rdpprnd_stale(struct rdpprnd_session *s, struct rdpprnd_batch *b,
			  u32 id)
{
	if (!rdpprnd_session_printer(s, id))
		return;
	rdpprnd_session_untrack(s, id);
	b->stale[b->n_stale++] = id;
}

static bool rdpprnd_forwarded(const struct rdpprnd_batch *b, u32 id)
{
	u32 i;

	for (i = 0; i < b->n_fwd; i++)
		if (b->fwd_ids[i] == id)
			return true;
	return false;
}

static const char *rdpprnd_status_text(u32 status, char *buf, size_t len)
{
	const char *name = rdpprn_ntstatus_name(status);

	if (name)
		return name;
	snprintf(buf, len, "0x%08x", status);
	return buf;
}

static void rdpprnd_policy_state(const struct rdpprnd_session *s,
				 struct rdpprn_policy_state *st)
{
	unsigned int i;

	st->accepted = s->n_printers;
	st->have_default = false;
	for (i = 0; i < s->n_printers; i++)
		if (s->printers[i].flags &
		    RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER)
			st->have_default = true;
}

static void rdpprnd_accept(struct rdpprnd_session *s, struct rdpprnd_batch *b,
			   const struct rdpdr_device *dev, u32 old_flags,
			   const struct rdpprn_verdict *v)
{
	size_t n = RDPDR_DEVICE_ANNOUNCE_FIXED + dev->data_len;
	struct rdpprnd_printer *p;

	memcpy(b->fwd + b->fwd_len, b->dl.pdu + dev->offset, n);
	if (v->flags != old_flags)
		rdpprn_put_le32(b->fwd + b->fwd_len +
				RDPDR_DEVICE_ANNOUNCE_FIXED, v->flags);
	b->fwd_len += n;
	b->fwd_ids[b->n_fwd++] = dev->device_id;
	s->printers = rdpprn_xrealloc(s->printers, (s->n_printers + 1) *
				      sizeof(*s->printers));
	p = &s->printers[s->n_printers++];
	p->id = dev->device_id;
	p->flags = v->flags;
	p->answered = false;
	s->stats.accepted++;
	rdpprn_info("session %u: printer \"%s\" (id %u, %s, flags 0x%x%s) goes to the kernel",
		    s->conn, b->text, dev->device_id, dev->dos_name, v->flags,
		    v->flags != old_flags ? ", DEFAULT cleared" : "");
}

static void rdpprnd_printer_entry(struct rdpprnd_session *s,
				  struct rdpprnd_batch *b,
				  const struct rdpdr_device *dev)
{
	struct rdpprn_policy_state st;
	struct rdpprn_verdict v;
	struct rdpdr_printer p;
	struct rdpdr_err err;
	bool replaces;
	char msg[256];

	if (rdpprnd_forwarded(b, dev->device_id)) {
		s->stats.refused++;
		rdpprnd_answer(b, dev->device_id, STATUS_INVALID_PARAMETER);
		rdpprnd_session_drop(s, "DeviceId %u twice in one announce",
				     dev->device_id);
		return;
	}
	if (rdpdr_parse_printer(dev, &p, &err)) {
		s->stats.refused++;
		rdpprnd_answer(b, dev->device_id, STATUS_INVALID_PARAMETER);
		rdpprnd_stale(s, b, dev->device_id);
		rdpdr_err_format(&err, msg, sizeof(msg));
		rdpprnd_session_drop(s, "printer id %u: %s", dev->device_id,
				     msg);
		return;
	}
	rdpdr_str_to_utf8(&p.printer_name, b->name, RDPDR_MAX_UTF8_BYTES);
	rdpprn_escape(b->name, strlen(b->name), b->text, RDPPRND_TEXT_LEN);
	/* a replacement is judged as if the old printer were gone */
	replaces = rdpprnd_session_printer(s, dev->device_id);
	rdpprnd_session_untrack(s, dev->device_id);
	rdpprnd_policy_state(s, &st);
	rdpprn_policy_decide(&s->ctx->cfg->policy, b->name, p.flags, &st, &v);
	if (v.accept) {
		rdpprnd_accept(s, b, dev, p.flags, &v);
		return;
	}
	s->stats.refused++;
	rdpprnd_answer(b, dev->device_id, v.status);
	/* the kernel still has the printer this entry replaces */
	if (replaces)
		b->stale[b->n_stale++] = dev->device_id;
	rdpprn_notice("session %u: printer \"%s\" (id %u) refused: %s%s%s%s (%s)",
		      s->conn, b->text, dev->device_id, v.reason,
		      v.pattern ? " by \"" : "", v.pattern ? v.pattern : "",
		      v.pattern ? "\"" : "",
		      rdpprnd_status_text(v.status, msg, sizeof(msg)));
}

static void rdpprnd_kernel_remove(struct rdpprnd_session *s, const u32 *ids,
				  u32 n)
{
	struct rdpprn_nl_res res;
	int len = rdpdr_build_devlist_remove(NULL, 0, ids, n);
	u8 *pdu;

	if (len < 0)
		return;
	pdu = rdpprn_xmalloc((size_t)len);
	rdpdr_build_devlist_remove(pdu, (size_t)len, ids, n);
	rdpprnd_session_forward(s, "a Client Device List Remove", pdu,
				(size_t)len, &res);
	free(pdu);
}

/* What to tell the client about printers the kernel did not answer */
static u32 rdpprnd_errno_status(int err)
{
	switch (err) {
	case -ENOMEM:
	case -ENOSPC:
	case -E2BIG:
	case -EMSGSIZE:
		return STATUS_INSUFFICIENT_RESOURCES;
	case -EBADMSG:
	case -ENODATA:
	case -EOVERFLOW:
	case -EILSEQ:
	case -EINVAL:
		return STATUS_INVALID_PARAMETER;
	default:
		return STATUS_UNSUCCESSFUL;
	}
}

static void rdpprnd_forward(struct rdpprnd_session *s, struct rdpprnd_batch *b)
{
	struct rdpprn_nl_res res;
	struct rdpdr_device_reply r;
	u8 pdu[RDPDR_DEVICE_REPLY_SIZE];
	u32 i;

	rdpdr_build_hdr(b->fwd, RDPDR_HDR_SIZE, RDPDR_CTYP_CORE,
			PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpprn_put_le32(b->fwd + RDPDR_HDR_SIZE, b->n_fwd);
	if (!rdpprnd_session_forward(s, "the Client Device List Announce",
				     b->fwd, b->fwd_len, &res))
		return;
	for (i = 0; i < b->n_fwd; i++) {
		struct rdpprnd_printer *p;

		p = rdpprnd_session_printer(s, b->fwd_ids[i]);
		if (!p || p->answered)
			continue;
		r.device_id = p->id;
		r.result_code = rdpprnd_errno_status(res.err);
		rdpprn_notice("session %u: the kernel did not answer printer id %u; answered 0x%08x",
			      s->conn, p->id, r.result_code);
		rdpprnd_session_untrack(s, p->id);
		rdpdr_build_device_reply(pdu, sizeof(pdu), &r);
		if (!rdpprnd_session_send(s, pdu, sizeof(pdu)))
			return;
	}
}

static void rdpprnd_batch_free(struct rdpprnd_batch *b)
{
	free(b->fwd);
	free(b->fwd_ids);
	free(b->own);
	free(b->stale);
	free(b->name);
	free(b->text);
}

void rdpprnd_announce(struct rdpprnd_session *s, const u8 *pdu, size_t len)
{
	struct rdpdr_devlist_iter it;
	struct rdpprnd_batch b = { 0 };
	struct rdpdr_device dev;
	struct rdpdr_err err;
	char msg[256];
	u8 reply[RDPDR_DEVICE_REPLY_SIZE];
	u32 i, n;

	if (rdpdr_parse_devlist(pdu, len, &b.dl, &err)) {
		rdpdr_err_format(&err, msg, sizeof(msg));
		rdpprnd_session_drop(s, "malformed Client Device List Announce: %s",
				     msg);
		return;
	}
	/* parsing bounds DeviceCount by the PDU length */
	n = b.dl.device_count;
	b.fwd = rdpprn_xmalloc(len > RDPDR_DEVLIST_FIXED ? len :
			       RDPDR_DEVLIST_FIXED);
	b.fwd_len = RDPDR_DEVLIST_FIXED;
	b.fwd_ids = rdpprn_xmalloc(n * sizeof(*b.fwd_ids));
	b.own = rdpprn_xmalloc(n * sizeof(*b.own));
	b.stale = rdpprn_xmalloc(n * sizeof(*b.stale));
	b.name = rdpprn_xmalloc(RDPDR_MAX_UTF8_BYTES);
	b.text = rdpprn_xmalloc(RDPPRND_TEXT_LEN);
	rdpdr_devlist_iter_init(&it, &b.dl);
	while (rdpdr_devlist_next(&it, &dev)) {
		if (dev.device_type == RDPDR_DTYP_PRINT) {
			rdpprnd_printer_entry(s, &b, &dev);
			continue;
		}
		s->stats.other++;
		if (s->provider)
			rdpprn_dbg("session %u: device id %u (type 0x%x) is the RDP server's",
				   s->conn, dev.device_id, dev.device_type);
		else
			rdpprnd_answer(&b, dev.device_id, STATUS_NOT_SUPPORTED);
		if (!rdpprnd_forwarded(&b, dev.device_id))
			rdpprnd_stale(s, &b, dev.device_id);
	}
	for (i = 0; i < b.n_own; i++) {
		rdpdr_build_device_reply(reply, sizeof(reply), &b.own[i]);
		if (!rdpprnd_session_send(s, reply, sizeof(reply)))
			goto out;
	}
	if (b.n_stale)
		rdpprnd_kernel_remove(s, b.stale, b.n_stale);
	if (b.n_fwd && !rdpprnd_session_ended(s))
		rdpprnd_forward(s, &b);
out:
	rdpprnd_batch_free(&b);
}

void rdpprnd_announce_reply(struct rdpprnd_session *s, const u8 *pdu,
			    size_t len)
{
	struct rdpdr_device_reply r;
	struct rdpprnd_printer *p;
	struct rdpdr_err err;
	char buf[16];

	if (rdpdr_parse_device_reply(pdu, len, &r, &err))
		return;
	p = rdpprnd_session_printer(s, r.device_id);
	if (!p)
		return;
	p->answered = true;
	if (!r.result_code)
		return;
	rdpprn_notice("session %u: the kernel refused printer id %u: %s",
		      s->conn, r.device_id,
		      rdpprnd_status_text(r.result_code, buf, sizeof(buf)));
	rdpprnd_session_untrack(s, r.device_id);
}

void rdpprnd_remove(struct rdpprnd_session *s, const u8 *pdu, size_t len)
{
	struct rdpdr_devlist_remove r;
	struct rdpdr_err err;
	char msg[256];
	u32 *ids, i, n = 0;

	if (rdpdr_parse_devlist_remove(pdu, len, &r, &err)) {
		rdpdr_err_format(&err, msg, sizeof(msg));
		rdpprnd_session_drop(s, "malformed Client Device List Remove: %s",
				     msg);
		return;
	}
	ids = rdpprn_xmalloc(r.device_count * sizeof(*ids));
	for (i = 0; i < r.device_count; i++) {
		u32 id = rdpdr_remove_id(&r, i);

		/* unknown ids (refused printers, drives) need nobody */
		if (!rdpprnd_session_printer(s, id))
			continue;
		rdpprnd_session_untrack(s, id);
		ids[n++] = id;
	}
	if (n) {
		rdpprn_info("session %u: the client removed %u printer(s)",
			    s->conn, n);
		rdpprnd_kernel_remove(s, ids, n);
	}
	free(ids);
}
