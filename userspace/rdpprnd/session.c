// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - one rdpdr channel: SESSION_OPEN, PDU routing between the
 * client and the kernel, and the end of the session.
 *
 * The client is untrusted. A PDU the daemon cannot use is dropped with a
 * counted, rate-limited log line and the session goes on (the kernel
 * treats refused PDUs the same way); the session ends only when it cannot
 * go on: the handshake cannot proceed, the framing broke, the kernel side
 * failed, or the RDP server side closed or stopped reading.
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprnd.h"

void rdpprnd_session_init(struct rdpprnd_session *s, struct rdpprnd_ctx *ctx,
			  const struct rdpprnd_kops *kops, void *k,
			  const struct rdpprnd_cops *cops, void *c)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->kops = kops;
	s->k = k;
	s->cops = cops;
	s->c = c;
	s->conn = ++ctx->next_conn;
	s->state = RDPPRND_WAIT_OPEN;
}

void rdpprnd_session_free(struct rdpprnd_session *s)
{
	free(s->printers);
	s->printers = NULL;
	s->n_printers = 0;
}

struct rdpprnd_printer *rdpprnd_session_printer(struct rdpprnd_session *s,
						u32 id)
{
	unsigned int i;

	for (i = 0; i < s->n_printers; i++)
		if (s->printers[i].id == id)
			return &s->printers[i];
	return NULL;
}

void rdpprnd_session_untrack(struct rdpprnd_session *s, u32 id)
{
	struct rdpprnd_printer *p = rdpprnd_session_printer(s, id);

	if (p)
		*p = s->printers[--s->n_printers];
}

static bool rdpprnd_session_frame_out(struct rdpprnd_session *s, u8 type,
				      const void *data, size_t len)
{
	if (!s->cops->frame(s->c, type, NULL, 0, data, len))
		return true;
	rdpprnd_session_end(s, true,
			    "the RDP server side does not read: output queue over max_queue");
	return false;
}

bool rdpprnd_session_send(struct rdpprnd_session *s, const u8 *pdu,
			  size_t len)
{
	if (rdpprnd_session_ended(s))
		return false;
	s->stats.pdus_out++;
	return rdpprnd_session_frame_out(s, RDPPRN_FRAME_PDU, pdu, len);
}

static bool rdpprnd_session_complain_now(struct rdpprnd_session *s)
{
	s->complaints++;
	return s->complaints <= RDPPRND_LOG_BURST ||
	       !(s->complaints % 1000);
}

void rdpprnd_session_drop(struct rdpprnd_session *s, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	s->stats.dropped++;
	if (!rdpprnd_session_complain_now(s))
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rdpprn_notice("session %u: dropped a client PDU: %s%s", s->conn, what,
		      s->complaints == RDPPRND_LOG_BURST ?
		      " (further complaints: every 1000th only)" : "");
}

void rdpprnd_session_refused(struct rdpprnd_session *s, const char *what,
			     const struct rdpprn_nl_res *res)
{
	s->stats.kernel_errors++;
	if (!rdpprnd_session_complain_now(s))
		return;
	rdpprn_warn("session %u: the kernel refused %s: %s%s%s", s->conn,
		    what, rdpprn_errname(res->err), res->msg[0] ? ": " : "",
		    res->msg);
}

bool rdpprnd_session_forward(struct rdpprnd_session *s, const char *what,
			     const u8 *pdu, size_t len,
			     struct rdpprn_nl_res *res)
{
	s->stats.to_kernel++;
	if (!s->kops->pdu(s->k, s->sid, pdu, len, res))
		return true;
	if (res->transport) {
		rdpprnd_session_end(s, true, "kernel transport failed: %s: %s",
				    rdpprn_errname(res->err), res->msg);
		return false;
	}
	rdpprnd_session_refused(s, what, res);
	return true;
}

/* Decode SESSION_OPEN; false (and the session ended) if it is refused */
static bool rdpprnd_session_parse_open(struct rdpprnd_session *s,
				       const struct rdpprn_frame *f,
				       struct rdpprn_open *o)
{
	const char *why;

	switch (rdpprn_frame_parse_open(f, o, &why)) {
	case 0:
		break;
	case -EPROTONOSUPPORT:
		rdpprnd_session_end(s, true,
				    "SESSION_OPEN: unknown extension version %u",
				    o->ext_version);
		return false;
	case -EOPNOTSUPP:
		rdpprnd_session_end(s, true,
				    "SESSION_OPEN: unknown flags 0x%x (known: 0x%x)",
				    o->flags & ~RDPPRN_OPEN_FLAGS_V1,
				    RDPPRN_OPEN_FLAGS_V1);
		return false;
	default:
		rdpprnd_session_end(s, true, "malformed SESSION_OPEN: %s", why);
		return false;
	}
	/* a user's RDP server cannot hand its devices to someone else */
	if (!rdpprnd_peer_may_open(&s->peer, o->uid, o->gid)) {
		rdpprnd_session_end(s, true,
				    "SESSION_OPEN for uid %u gid %u from a peer of uid %u gid %u: a user may only open sessions for itself",
				    o->uid, o->gid, s->peer.uid, s->peer.gid);
		return false;
	}
	return true;
}

static void rdpprnd_session_open(struct rdpprnd_session *s,
				 const struct rdpprn_frame *f)
{
	struct rdpprn_nl_res res;
	struct rdpprn_open o;
	u8 info[4];

	if (!rdpprnd_session_parse_open(s, f, &o))
		return;
	s->uid = o.uid;
	s->gid = o.gid;
	s->provider = o.flags & RDPPRN_OPEN_PROVIDER;
	rdpprn_escape(o.name, strlen(o.name), s->client_name,
		      sizeof(s->client_name));
	if (s->kops->session_new(s->k, &o, &s->sid, &res)) {
		rdpprnd_session_end(s, true,
				    "the kernel refused the session (uid %u gid %u): %s%s%s",
				    o.uid, o.gid, rdpprn_errname(res.err),
				    res.msg[0] ? ": " : "", res.msg);
		return;
	}
	rdpprn_info("session %u: kernel session %u for uid %u gid %u, client \"%s\"%s%s%s",
		    s->conn, s->sid, s->uid, s->gid, s->client_name,
		    o.addr[0] ? " at " : "", o.addr,
		    s->provider ? ", device provider" : "");
	rdpprn_put_le32(info, s->sid);
	if (!rdpprnd_session_frame_out(s, RDPPRN_FRAME_SESSION_INFO, info,
				       sizeof(info)))
		return;
	rdpprnd_handshake_start(s);
}

/* Client Device List Announce/Remove and I/O responses need the confirm */
static bool rdpprnd_session_confirmed(struct rdpprnd_session *s,
				      const char *name)
{
	if (s->state >= RDPPRND_WAIT_CAPS)
		return true;
	rdpprnd_session_drop(s, "%s before the Client ID Confirm", name);
	return false;
}

static void rdpprnd_session_pdu(struct rdpprnd_session *s, const u8 *pdu,
				size_t len)
{
	struct rdpprn_nl_res res;
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;
	const char *name;

	s->stats.pdus_in++;
	if (rdpdr_parse_hdr(pdu, len, &hdr, &err)) {
		rdpprnd_session_drop(s, "%zu bytes, shorter than a header",
				     len);
		return;
	}
	name = rdpdr_pdu_name(hdr.component, hdr.packet_id);
	if (rdpdr_pdu_known(&hdr, false) && !rdpdr_pdu_known(&hdr, true)) {
		rdpprnd_session_drop(s, "%s is a server-to-client PDU", name);
		return;
	}
	if (!rdpdr_pdu_known(&hdr, true)) {
		rdpprnd_session_drop(s, "unknown PDU (component 0x%04x, packet 0x%04x)",
				     hdr.component, hdr.packet_id);
		return;
	}
	switch (hdr.packet_id) {
	case PAKID_CORE_CLIENTID_CONFIRM:
	case PAKID_CORE_CLIENT_NAME:
	case PAKID_CORE_CLIENT_CAPABILITY:
		rdpprnd_handshake_pdu(s, hdr.packet_id, pdu, len);
		break;
	case PAKID_CORE_DEVICELIST_ANNOUNCE:
		if (rdpprnd_session_confirmed(s, name))
			rdpprnd_announce(s, pdu, len);
		break;
	case PAKID_CORE_DEVICELIST_REMOVE:
		if (rdpprnd_session_confirmed(s, name))
			rdpprnd_remove(s, pdu, len);
		break;
	case PAKID_CORE_DEVICE_IOCOMPLETION:
		if (rdpprnd_session_confirmed(s, name))
			rdpprnd_session_forward(s, "a Device I/O Response", pdu,
						len, &res);
		break;
	default:
		rdpprnd_session_drop(s, "%s is not handled here", name);
	}
}

int rdpprnd_session_frame(struct rdpprnd_session *s,
			  const struct rdpprn_frame *f)
{
	char text[512];

	if (rdpprnd_session_ended(s))
		return -ECONNRESET;
	switch (f->type) {
	case RDPPRN_FRAME_SESSION_OPEN:
		if (s->state != RDPPRND_WAIT_OPEN)
			rdpprnd_session_end(s, true, "a second SESSION_OPEN");
		else
			rdpprnd_session_open(s, f);
		break;
	case RDPPRN_FRAME_PDU:
		if (s->state == RDPPRND_WAIT_OPEN)
			rdpprnd_session_end(s, true, "a PDU before SESSION_OPEN");
		else
			rdpprnd_session_pdu(s, f->data, f->len);
		break;
	case RDPPRN_FRAME_CLOSE:
		rdpprn_escape((const char *)f->data, f->len, text,
			      sizeof(text));
		rdpprnd_session_end(s, false, "closed by the RDP server%s%s",
				    text[0] ? ": " : "", text);
		break;
	default:
		rdpprnd_session_end(s, true, "a %s frame from the RDP server",
				    rdpprn_frame_type_name(f->type));
	}
	return rdpprnd_session_ended(s) ? -ECONNRESET : 0;
}

void rdpprnd_session_kernel_pdu(struct rdpprnd_session *s, const u8 *pdu,
				size_t len)
{
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	if (rdpprnd_session_ended(s))
		return;
	if (!rdpdr_parse_hdr(pdu, len, &hdr, &err) &&
	    hdr.component == RDPDR_CTYP_CORE &&
	    hdr.packet_id == PAKID_CORE_DEVICE_REPLY)
		rdpprnd_announce_reply(s, pdu, len);
	rdpprnd_session_send(s, pdu, len);
}

void rdpprnd_session_end(struct rdpprnd_session *s, bool error,
			 const char *fmt, ...)
{
	const struct rdpprnd_stats *st = &s->stats;
	struct rdpprn_nl_res res;
	va_list ap;

	if (rdpprnd_session_ended(s))
		return;
	s->state = RDPPRND_ENDED;
	s->error = error;
	va_start(ap, fmt);
	vsnprintf(s->end_reason, sizeof(s->end_reason), fmt, ap);
	va_end(ap);
	if (s->sid && s->kops->session_del(s->k, s->sid, &res))
		rdpprn_warn("session %u: SESSION_DEL of kernel session %u: %s%s%s",
			    s->conn, s->sid, rdpprn_errname(res.err),
			    res.msg[0] ? ": " : "", res.msg);
	/* best effort: the queue may be the very thing that overflowed */
	s->cops->frame(s->c, RDPPRN_FRAME_CLOSE, NULL, 0, s->end_reason,
		       strlen(s->end_reason));
	rdpprn_log(error ? LOG_WARNING : LOG_INFO,
		   "session %u ended: %s (kernel session %u, uid %u, client \"%s\"; pdus in %llu out %llu to-kernel %llu dropped %llu kernel-errors %llu; printers accepted %llu refused %llu, other devices %llu)",
		   s->conn, s->end_reason, s->sid, s->uid, s->client_name,
		   (unsigned long long)st->pdus_in,
		   (unsigned long long)st->pdus_out,
		   (unsigned long long)st->to_kernel,
		   (unsigned long long)st->dropped,
		   (unsigned long long)st->kernel_errors,
		   (unsigned long long)st->accepted,
		   (unsigned long long)st->refused,
		   (unsigned long long)st->other);
	rdpprnd_session_free(s);
}
