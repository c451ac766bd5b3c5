// SPDX-License-Identifier: GPL-2.0
/*
 * client.c - the client side of the rdpdr channel as mstsc and FreeRDP
 * play it (RDPDR.md section 3), and checks of what the server sends:
 *
 *   Server Announce      -> Client Announce Reply (echo ClientId at
 *                           0x000C+) and Client Name Request
 *   Server Capability    -> Client Core Capability Response
 *   Client ID Confirm    -> (client minor < 5: announce now)
 *   User Logged On       -> Client Device List Announce; a client without
 *                           0x4 in extendedPDU takes a second Client ID
 *                           Confirm as the logon instead
 *   Device Announce Rsp  -> a DEVICE line each, READY when all are in
 *
 * With --provider the simulator is an RDP server that keeps the channel
 * (xrdp's chansrv): it ran the handshake with its client itself, so it
 * sends SESSION_OPEN with RDPPRN_OPEN_PROVIDER and the announce as soon
 * as SESSION_INFO is in. Then rdpprnd must send no handshake PDU and
 * answer the printers only, never the other devices.
 *
 * Whatever the server does against the protocol is a VIOLATION line.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "rdpprn_log.h"
#include "sim.h"

static const char *const sim_vector_names[] = {
	"e02_c2s_client_announce_reply.hex",
	"e03_c2s_client_name_req.hex",
	"e06_c2s_client_core_capability_rsp.hex",
};

enum { SIM_VEC_REPLY, SIM_VEC_NAME, SIM_VEC_CAPS };

void sim_init(struct sim *s, const struct sim_opts *o, FILE *out,
	      int (*write)(void *ctx, const void *data, size_t len),
	      void *write_ctx)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->out = out;
	s->write = write;
	s->write_ctx = write_ctx;
	s->state = SIM_WAIT_ANNOUNCE;
	rdpprn_jobs_init(&s->jobs, out, o->out_dir, 0);
}

void sim_violation(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	s->violations++;
	fputs("VIOLATION ", s->out);
	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
	fputc('\n', s->out);
}

static void sim_end(struct sim *s, const char *reason)
{
	s->stop = true;
	if (!s->reason)
		s->reason = reason;
}

void sim_send_frame(struct sim *s, u8 type, const void *data, size_t len)
{
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];

	rdpprn_frame_hdr(hdr, type, (u32)len);
	if (s->write(s->write_ctx, hdr, sizeof(hdr)) ||
	    (len && s->write(s->write_ctx, data, len)))
		sim_end(s, "send-failed");
}

void sim_send_pdu(struct sim *s, const u8 *pdu, size_t len)
{
	sim_send_frame(s, RDPPRN_FRAME_PDU, pdu, len);
}

struct sim_dev *sim_dev(struct sim *s, u32 id)
{
	unsigned int i;

	for (i = 0; i < s->n_devs; i++)
		if (s->devs[i].id == id)
			return &s->devs[i];
	return NULL;
}

/* rdpprnd answers this device (not a device provider's drive) */
static bool sim_answered_here(const struct sim *s, const struct sim_dev *d)
{
	return !s->o->provider || d->type == RDPDR_DTYP_PRINT;
}

int sim_start(struct sim *s)
{
	struct rdpprn_open o = { .uid = s->o->uid, .gid = s->o->gid };
	u8 buf[RDPPRN_FRAME_OPEN_MAX];
	int n;

	if (s->o->provider) {
		o.ext_version = RDPPRN_OPEN_EXT_V1;
		o.flags = RDPPRN_OPEN_PROVIDER;
	}
	if (s->o->client_addr) {
		o.ext_version = RDPPRN_OPEN_EXT_V2;
		snprintf(o.addr, sizeof(o.addr), "%s", s->o->client_addr);
	}
	snprintf(o.name, sizeof(o.name), "%s", s->o->client_name);
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	if (n < 0)
		return n;
	sim_send_frame(s, RDPPRN_FRAME_SESSION_OPEN, buf, (size_t)n);
	return 0;
}

/* Send one of the shared client vectors (--client-vectors) as is. */
static void sim_send_vector(struct sim *s, unsigned int which)
{
	char *path = rdpprn_xmalloc(PATH_MAX);
	size_t len;
	u8 *pdu;
	int ret;

	/* DIR is the vectors folder (tests/vectors) or its efs/ folder */
	snprintf(path, PATH_MAX, "%s/efs/%s", s->o->client_vectors,
		 sim_vector_names[which]);
	ret = rdpprn_load_hex(path, &pdu, &len);
	if (ret == -ENOENT) {
		snprintf(path, PATH_MAX, "%s/%s", s->o->client_vectors,
			 sim_vector_names[which]);
		ret = rdpprn_load_hex(path, &pdu, &len);
	}
	if (ret) {
		rdpprn_err("%s: %s", path, strerror(-ret));
		sim_end(s, "no-vector");
	} else {
		fprintf(s->out, "VECTOR %s bytes=%zu\n",
			sim_vector_names[which], len);
		sim_send_pdu(s, pdu, len);
		free(pdu);
	}
	free(path);
}

static u16 sim_minor(const struct sim *s)
{
	/* FreeRDP answers the lower of 0x000D and the server's version */
	if (s->o->freerdp)
		return s->server_minor < RDPDR_VERSION_MINOR_RDP10 ?
		       s->server_minor : RDPDR_VERSION_MINOR_RDP10;
	return s->o->minor;
}

static void sim_send_name(struct sim *s)
{
	struct rdpdr_client_name cn = { .unicode_flag = 1 };
	const char *name = s->o->client_name;
	u8 *pdu, *wname;
	int n, len;

	n = rdpdr_utf8_to_utf16(name, strlen(name), NULL, 0);
	if (n < 0) {
		sim_end(s, "bad-client-name");
		return;
	}
	wname = rdpprn_xmalloc((size_t)n);
	rdpdr_utf8_to_utf16(name, strlen(name), wname, (size_t)n);
	cn.computer_name.data = wname;
	cn.computer_name.len = (u32)n;
	cn.computer_name.unicode = true;
	len = rdpdr_build_client_name(NULL, 0, &cn);
	pdu = rdpprn_xmalloc((size_t)len);
	rdpdr_build_client_name(pdu, (size_t)len, &cn);
	sim_send_pdu(s, pdu, (size_t)len);
	free(pdu);
	free(wname);
}

static void sim_server_announce(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_announce a;
	struct rdpdr_err err;
	u8 reply[RDPDR_ANNOUNCE_SIZE];

	if (rdpdr_parse_announce(pdu, len, &a, &err)) {
		sim_violation(s, "unparsable Server Announce Request (%s)",
			      err.reason);
		return;
	}
	if (s->state != SIM_WAIT_ANNOUNCE) {
		sim_violation(s, "a second Server Announce Request");
		return;
	}
	if (a.version_major != RDPDR_VERSION_MAJOR ||
	    a.version_minor != RDPDR_VERSION_MINOR_RDP6X)
		sim_violation(s, "Server Announce Request version %u.%u (want 1.12)",
			      a.version_major, a.version_minor);
	s->server_minor = a.version_minor;
	s->server_client_id = a.client_id;
	/* below 0x000C the client picks its own ClientId */
	s->client_id = a.version_minor >= RDPDR_VERSION_MINOR_RDP6X ?
		       a.client_id : 0x5a17;
	fprintf(s->out, "ANNOUNCE server_minor=0x%04x client_id=0x%08x\n",
		a.version_minor, a.client_id);
	s->state = SIM_WAIT_CONFIRM;
	if (s->o->client_vectors) {
		sim_send_vector(s, SIM_VEC_REPLY);
		sim_send_vector(s, SIM_VEC_NAME);
		return;
	}
	a.packet_id = PAKID_CORE_CLIENTID_CONFIRM;
	a.version_minor = sim_minor(s);
	a.client_id = s->client_id;
	rdpdr_build_announce(reply, sizeof(reply), &a);
	sim_send_pdu(s, reply, sizeof(reply));
	sim_send_name(s);
}

static void sim_send_caps(struct sim *s)
{
	struct rdpdr_caps *caps = rdpprn_xzalloc(sizeof(*caps));
	struct rdpdr_general_caps *g = &caps->sets[0].general;
	u8 pdu[128];
	int n;

	caps->packet_id = PAKID_CORE_CLIENT_CAPABILITY;
	caps->sets[0].type = CAP_GENERAL_TYPE;
	caps->sets[0].length = RDPDR_GENERAL_CAP_V2_SIZE;
	caps->sets[0].version = GENERAL_CAPABILITY_VERSION_02;
	g->protocol_major = RDPDR_VERSION_MAJOR;
	g->protocol_minor = sim_minor(s);
	g->io_code1 = 0xffff;
	if (s->o->freerdp)
		g->io_code1 &= s->server_io_code1;
	g->extended_pdu = s->o->ext_pdu;
	caps->count = 1;
	/* FreeRDP echoes the PRINTER set only if the server sent one */
	if (!s->o->freerdp || s->server_printer_cap) {
		caps->sets[1].type = CAP_PRINTER_TYPE;
		caps->sets[1].length = RDPDR_CAP_HDR_SIZE;
		caps->sets[1].version = PRINT_CAPABILITY_VERSION_01;
		caps->count = 2;
	}
	n = rdpdr_build_caps(pdu, sizeof(pdu), caps);
	free(caps);
	if (n > 0)
		sim_send_pdu(s, pdu, (size_t)n);
}

static void sim_server_caps(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_caps *caps = rdpprn_xmalloc(sizeof(*caps));
	const struct rdpdr_cap_set *g;
	struct rdpdr_err err;

	if (rdpdr_parse_caps(pdu, len, caps, &err)) {
		sim_violation(s, "unparsable Server Core Capability Request (%s)",
			      err.reason);
		goto out;
	}
	if (s->state != SIM_WAIT_CONFIRM || s->caps_seen) {
		sim_violation(s, "Server Core Capability Request %s",
			      s->caps_seen ? "twice" : "out of order");
		goto out;
	}
	if (sim_minor(s) < RDPDR_VERSION_MINOR_RDP51)
		sim_violation(s, "capabilities for a client of minor %u (< 5)",
			      sim_minor(s));
	s->caps_seen = true;
	g = rdpdr_caps_find(caps, CAP_GENERAL_TYPE);
	if (!g)
		sim_violation(s, "server capabilities without a GENERAL set");
	else
		s->server_ext_pdu = g->general.extended_pdu;
	s->server_io_code1 = g ? g->general.io_code1 : 0;
	s->server_printer_cap = rdpdr_caps_find(caps, CAP_PRINTER_TYPE);
	if (!s->server_printer_cap)
		sim_violation(s, "server capabilities without a PRINTER set");
	fprintf(s->out, "CAPS sets=%u extendedPDU=0x%x ioCode1=0x%x printer=%d\n",
		caps->count, s->server_ext_pdu, s->server_io_code1,
		s->server_printer_cap);
	if (s->o->client_vectors)
		sim_send_vector(s, SIM_VEC_CAPS);
	else
		sim_send_caps(s);
out:
	free(caps);
}

static void sim_record_devs(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_devlist dl;
	struct rdpdr_device d;
	struct rdpdr_printer p;
	struct rdpdr_err err;
	char utf8[256];

	if (rdpdr_parse_devlist(pdu, len, &dl, &err)) {
		fprintf(s->out, "NOTE the announce does not parse: %s\n",
			err.reason);
		return;
	}
	s->devs = rdpprn_xzalloc((dl.device_count + 1) * sizeof(*s->devs));
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &d)) {
		struct sim_dev *dev = &s->devs[s->n_devs++];

		dev->id = d.device_id;
		dev->type = d.device_type;
		if (d.device_type != RDPDR_DTYP_PRINT ||
		    rdpdr_parse_printer(&d, &p, &err))
			continue;
		dev->xps = p.flags & RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT;
		rdpdr_str_to_utf8(&p.printer_name, utf8, sizeof(utf8));
		rdpprn_escape(utf8, strlen(utf8), dev->name,
			      sizeof(dev->name));
	}
}

static void sim_ready(struct sim *s, bool announced);

/* The Client Device List Announce, READY at once if nothing needs an answer */
static void sim_announce(struct sim *s)
{
	unsigned int i, waiting = 0;
	size_t len = 0;
	u8 *pdu = NULL;
	int ret;

	if (s->o->announce_hex) {
		ret = rdpprn_load_hex(s->o->announce_hex, &pdu, &len);
		if (ret) {
			rdpprn_err("%s: %s", s->o->announce_hex,
				   strerror(-ret));
			sim_end(s, "no-announce");
			return;
		}
	} else if (s->o->n_printers || s->o->drive) {
		pdu = sim_build_announce(s->o, &len);
		if (!pdu) {
			sim_end(s, "bad-printer");
			return;
		}
	}
	if (!pdu) {
		sim_ready(s, false);
		return;
	}
	sim_record_devs(s, pdu, len);
	s->state = SIM_ANNOUNCED;
	sim_send_pdu(s, pdu, len);
	free(pdu);
	for (i = 0; i < s->n_devs; i++)
		waiting += sim_answered_here(s, &s->devs[i]);
	if (!waiting)
		sim_ready(s, true);
}

/* The point where a client announces its printers. */
static void sim_logon(struct sim *s)
{
	s->logged_on = true;
	fprintf(s->out, "LOGGEDON confirms=%u\n", s->confirms);
	sim_announce(s);
}

static void sim_confirm(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_announce a;
	struct rdpdr_err err;

	if (rdpdr_parse_announce(pdu, len, &a, &err)) {
		sim_violation(s, "unparsable Server Client ID Confirm (%s)",
			      err.reason);
		return;
	}
	s->confirms++;
	if (!s->o->client_vectors && a.client_id != s->client_id)
		sim_violation(s, "Client ID Confirm with ClientId 0x%x (sent 0x%x)",
			      a.client_id, s->client_id);
	if (s->state == SIM_WAIT_CONFIRM) {
		if (sim_minor(s) >= RDPDR_VERSION_MINOR_RDP51 && !s->caps_seen)
			sim_violation(s, "Client ID Confirm before the capabilities");
		s->state = SIM_WAIT_LOGON;
		/* no capability exchange below minor 5: no logon PDU either */
		if (sim_minor(s) < RDPDR_VERSION_MINOR_RDP51)
			sim_logon(s);
		return;
	}
	if (s->state == SIM_WAIT_LOGON &&
	    !(s->o->ext_pdu & RDPDR_USER_LOGGEDON_PDU)) {
		sim_logon(s);
		return;
	}
	sim_violation(s, "unexpected Server Client ID Confirm (number %u)",
		      s->confirms);
}

static void sim_logged_on(struct sim *s)
{
	if (s->o->freerdp && !(s->server_ext_pdu & RDPDR_USER_LOGGEDON_PDU)) {
		fprintf(s->out, "IGNORED user-logged-on: server extendedPDU 0x%x lacks 0x4\n",
			s->server_ext_pdu);
		return;
	}
	if (!(s->o->ext_pdu & RDPDR_USER_LOGGEDON_PDU))
		sim_violation(s, "User Logged On to a client without 0x4 in extendedPDU");
	if (s->state != SIM_WAIT_LOGON) {
		sim_violation(s, "User Logged On out of order");
		return;
	}
	sim_logon(s);
}

static const char *sim_status(u32 status, char *buf, size_t len)
{
	const char *n = rdpprn_ntstatus_name(status);

	snprintf(buf, len, "0x%08x%s%s", status, n ? " " : "", n ? n : "");
	return buf;
}

/* Malformed PDUs a hostile client might send: rdpprnd must survive. */
static void sim_garbage(struct sim *s)
{
	static const u8 bad_announce[] = {
		0x72, 0x44, 0x41, 0x44, 0xe8, 0x03, 0x00, 0x00,	/* 1000 devs */
	};
	static const u8 unknown[] = {
		0x72, 0x44, 0x34, 0x12, 0xde, 0xad, 0xbe, 0xef,
	};
	static const u8 server_pdu[] = { 0x72, 0x44, 0x4c, 0x55 };

	sim_send_pdu(s, bad_announce, sizeof(bad_announce));
	sim_send_pdu(s, unknown, sizeof(unknown));
	sim_send_pdu(s, server_pdu, sizeof(server_pdu));
	fprintf(s->out, "GARBAGE pdus=3\n");
}

/* A frame that promises 100 bytes and brings 10, then silence. */
static void sim_truncated(struct sim *s)
{
	u8 buf[RDPPRN_FRAME_HDR_SIZE + 10] = { 0 };

	rdpprn_frame_hdr(buf, RDPPRN_FRAME_PDU, 100);
	if (s->write(s->write_ctx, buf, sizeof(buf)))
		sim_end(s, "send-failed");
	s->shut_wr = true;
	fprintf(s->out, "TRUNCATED sent=%zu of=%u\n", sizeof(buf),
		RDPPRN_FRAME_HDR_SIZE + 100);
}

static void sim_ready(struct sim *s, bool announced)
{
	unsigned int i, acc = 0, ref = 0;

	s->state = SIM_READY;
	fprintf(s->out, "READY session=%u accepted=", s->sid);
	for (i = 0; i < s->n_devs; i++)
		if (sim_answered_here(s, &s->devs[i]) && !s->devs[i].status)
			fprintf(s->out, "%s%u", acc++ ? "," : "", s->devs[i].id);
	fprintf(s->out, "%s refused=", acc ? "" : "-");
	for (i = 0; i < s->n_devs; i++)
		if (sim_answered_here(s, &s->devs[i]) && s->devs[i].status)
			fprintf(s->out, "%s%u", ref++ ? "," : "", s->devs[i].id);
	fprintf(s->out, "%s\n", ref ? "" : "-");
	if (s->o->garbage)
		sim_garbage(s);
	if (s->o->truncated)
		sim_truncated(s);
	else if (s->o->exit_ready)
		sim_end(s, "ready");
}

static void sim_device_reply(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_device_reply r;
	struct rdpdr_err err;
	struct sim_dev *dev;
	unsigned int i;
	char st[64];

	if (rdpdr_parse_device_reply(pdu, len, &r, &err)) {
		sim_violation(s, "unparsable Server Device Announce Response (%s)",
			      err.reason);
		return;
	}
	dev = sim_dev(s, r.device_id);
	if (!dev || dev->answered) {
		sim_violation(s, "announce response for device %u %s",
			      r.device_id, dev ? "twice" : "never announced");
		return;
	}
	if (!sim_answered_here(s, dev)) {
		sim_violation(s, "announce response for device %u, which the RDP server keeps",
			      r.device_id);
		return;
	}
	dev->answered = true;
	dev->status = r.result_code;
	fprintf(s->out, "DEVICE dev=%u type=%s status=%s name=\"%s\"\n",
		dev->id, dev->type == RDPDR_DTYP_PRINT ? "printer" : "other",
		sim_status(r.result_code, st, sizeof(st)), dev->name);
	for (i = 0; i < s->n_devs; i++)
		if (sim_answered_here(s, &s->devs[i]) && !s->devs[i].answered)
			return;
	if (s->state == SIM_ANNOUNCED)
		sim_ready(s, true);
}

/* XPS must be announced, and come before the job's first write. */
static void sim_using_xps(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_using_xps x;
	struct rdpdr_err err;
	struct sim_dev *dev;
	const char *bad;

	if (rdpdr_parse_using_xps(pdu, len, &x, &err)) {
		sim_violation(s, "unparsable DR_PRN_USING_XPS (%s)", err.reason);
		return;
	}
	dev = sim_dev(s, x.printer_id);
	bad = rdpprn_jobs_using_xps(&s->jobs, x.printer_id, dev && dev->xps);
	if (bad)
		sim_violation(s, "%s (printer %u)", bad, x.printer_id);
}

static void sim_prn_pdu(struct sim *s, const u8 *pdu, u16 packet_id,
			size_t len)
{
	fprintf(s->out, "PRN packet=0x%04x (%s) len=%zu\n", packet_id,
		rdpdr_pdu_name(RDPDR_CTYP_PRN, packet_id), len);
	if (packet_id == PAKID_PRN_USING_XPS)
		sim_using_xps(s, pdu, len);
}

static void sim_pdu(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	if (rdpdr_parse_hdr(pdu, len, &hdr, &err) ||
	    !rdpdr_pdu_known(&hdr, false)) {
		sim_violation(s, "a PDU of %zu bytes that no server sends", len);
		return;
	}
	if (hdr.component == RDPDR_CTYP_PRN) {
		sim_cache_pdu(s, pdu, len);
		sim_prn_pdu(s, pdu, hdr.packet_id, len);
		return;
	}
	if (s->o->provider && hdr.packet_id != PAKID_CORE_DEVICE_REPLY &&
	    hdr.packet_id != PAKID_CORE_DEVICE_IOREQUEST) {
		sim_violation(s, "%s to a device provider",
			      rdpdr_pdu_name(hdr.component, hdr.packet_id));
		return;
	}
	switch (hdr.packet_id) {
	case PAKID_CORE_SERVER_ANNOUNCE:
		sim_server_announce(s, pdu, len);
		break;
	case PAKID_CORE_SERVER_CAPABILITY:
		sim_server_caps(s, pdu, len);
		break;
	case PAKID_CORE_CLIENTID_CONFIRM:
		sim_confirm(s, pdu, len);
		break;
	case PAKID_CORE_USER_LOGGEDON:
		sim_logged_on(s);
		break;
	case PAKID_CORE_DEVICE_REPLY:
		sim_device_reply(s, pdu, len);
		break;
	case PAKID_CORE_DEVICE_IOREQUEST:
		sim_ioreq(s, pdu, len);
		break;
	}
}

void sim_frame(struct sim *s, const struct rdpprn_frame *f)
{
	char text[512];

	switch (f->type) {
	case RDPPRN_FRAME_SESSION_INFO:
		s->sid = rdpprn_get_le32(f->data);
		fprintf(s->out, "SESSION id=%u\n", s->sid);
		/* the server's own handshake with its client is long done */
		if (s->o->provider && s->state == SIM_WAIT_ANNOUNCE)
			sim_announce(s);
		break;
	case RDPPRN_FRAME_PDU:
		sim_pdu(s, f->data, f->len);
		break;
	case RDPPRN_FRAME_CLOSE:
		rdpprn_escape((const char *)f->data, f->len, text,
			      sizeof(text));
		fprintf(s->out, "CLOSED reason=\"%s\"\n", text);
		/* after our own CLOSE it is rdpprnd's acknowledgment */
		if (!s->stop)
			s->peer_closed = true;
		sim_end(s, "closed-by-rdpprnd");
		break;
	default:
		sim_violation(s, "a %s frame from rdpprnd",
			      rdpprn_frame_type_name(f->type));
	}
}

int sim_finish(struct sim *s, const char *reason)
{
	if (!s->reason)
		s->reason = reason;
	sim_jobs_end(s, "open");
	sim_queue_report(s);
	fprintf(s->out, "EXIT reason=%s jobs=%u bytes=%llu violations=%u\n",
		s->reason, s->jobs.done, (unsigned long long)s->bytes,
		s->violations);
	fflush(s->out);
	if (s->violations)
		return 3;
	return s->state == SIM_READY && !s->peer_closed ? 0 : 1;
}

void sim_free(struct sim *s)
{
	sim_jobs_end(s, "open");
	sim_queue_free(s);
	free(s->devs);
	s->devs = NULL;
	s->n_devs = 0;
}
