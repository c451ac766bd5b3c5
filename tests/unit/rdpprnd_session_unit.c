// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnd_session_unit.c - rdpprnd's session logic driven in-process with
 * the fake kernel (fake_kernel.c):
 *
 *  - handshake conformance: the PDUs rdpprnd sends decode as the shared
 *    vectors e01, e04, e05 and e07 say (same fields, same order; the
 *    values RDPDR.md lets a server choose may differ), and the client
 *    vectors e02, e03, e06 bring the session to the device-announce stage;
 *  - the handshake's state machine: old clients, clients without the
 *    logon flag, repeated and out-of-order PDUs, malformed ones;
 *  - every policy mode: exactly the forwarded announce and the answers
 *    the client gets;
 *  - the kernel side failing, the RDP server side not reading;
 *  - rdpprn-sim's client (client.c, io.c) against the session: handshake,
 *    FreeRDP quirks, print jobs whose bytes arrive intact, faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rdpprn_log.h"
#include "session_harness.h"
#include "rdpdr_test.h"

#ifndef VECTORS_DIR
#define VECTORS_DIR	"../tests/vectors"
#endif

#define DEF	RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER

static bool in_list(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strncmp(key, *list, strlen(*list)))
			return true;
	return false;
}

/*
 * @ours decodes as the vector @name: the same fields in the same order
 * and with the same values, except keys in @differ (values a server
 * chooses) and keys under @absent (sets a server need not send).
 */
static void conforms(const struct rdpprn_frame *ours, const char *name,
		     const char *const *differ, const char *const *absent)
{
	struct rdpdr_tctx *a = rdpdr_tctx_alloc(), *b = rdpdr_tctx_alloc();
	const struct rdpdr_tflat *fa = &a->flat, *fb = &b->flat;
	struct rdpdr_err err;
	unsigned int len, i, j = 0;
	const u8 *v = find_vector(name, &len);

	assert_int_equal(rdpdr_tdescribe(a, ours->data, ours->len, -1, &err),
			 0);
	assert_int_equal(rdpdr_tdescribe(b, v, len, -1, &err), 0);
	for (i = 0; i < fb->n; i++) {
		const struct rdpdr_tfield *x = &fb->f[i], *y;

		if (in_list(x->key, absent) && !rdpdr_tflat_find(fa, x->key))
			continue;
		if (j >= fa->n)
			fail_msg("%s: %s missing", name, x->key);
		y = &fa->f[j++];
		if (strcmp(x->key, y->key))
			fail_msg("%s: field %s where %s is expected", name,
				 y->key, x->key);
		if (in_list(x->key, differ))
			continue;
		if (x->kind != y->kind || x->num != y->num ||
		    x->flag != y->flag || x->blob_len != y->blob_len ||
		    strcmp(x->str, y->str))
			fail_msg("%s: %s = %llu, the vector has %llu", name,
				 x->key, (unsigned long long)y->num,
				 (unsigned long long)x->num);
	}
	if (j != fa->n)
		fail_msg("%s: extra field %s", name, fa->f[j].key);
	rdpdr_tctx_free(a);
	rdpdr_tctx_free(b);
}

/* Handshake with the client vectors; leaves the session READY. */
static void handshake(struct h *h)
{
	struct rdpprn_frame f;

	open_session(h);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_SESSION_INFO);
	expect_pdu(h, PAKID_CORE_SERVER_ANNOUNCE, &f);
	feed_vector(h, "e02_");
	feed_vector(h, "e03_");
	expect_pdu(h, PAKID_CORE_SERVER_CAPABILITY, &f);
	expect_pdu(h, PAKID_CORE_CLIENTID_CONFIRM, &f);
	feed_vector(h, "e06_");
	expect_pdu(h, PAKID_CORE_USER_LOGGEDON, &f);
	assert_int_equal(h->s.state, RDPPRND_READY);
	assert_false(next_out(h, &f));
}

/* ---- handshake -------------------------------------------------------- */

static void handshake_conformance(void **state)
{
	static const char *const e01_differ[] = { "ClientId", NULL };
	/* RDPDR.md 3.4: two sets recommended; osType ignored, send 0 */
	static const char *const e04_differ[] = {
		"numCapabilities", "cap[0].osType",
		"cap[0].SpecialTypeDeviceCap", NULL,
	};
	static const char *const e04_absent[] = {
		"cap[2]", "cap[3]", "cap[4]", NULL,
	};
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session(h);
	assert_int_equal(h->fk.sessions_new, 1);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_SESSION_INFO);
	assert_int_equal(rdpprn_get_le32(f.data), h->fk.sid);
	expect_pdu(h, PAKID_CORE_SERVER_ANNOUNCE, &f);
	conforms(&f, "e01_", e01_differ, NULL);
	/* a unique ClientId per connection */
	assert_int_equal(rdpprn_get_le32(f.data + 8), 0x1000);
	feed_vector(h, "e02_");
	assert_false(next_out(h, &f));
	feed_vector(h, "e03_");
	expect_pdu(h, PAKID_CORE_SERVER_CAPABILITY, &f);
	conforms(&f, "e04_", e04_differ, e04_absent);
	/* the recommended 60-byte request, byte for byte */
	assert_int_equal(f.len, 60);
	expect_pdu(h, PAKID_CORE_CLIENTID_CONFIRM, &f);
	/* e02 carried ClientId 1: the confirm echoes it, so all agree */
	conforms(&f, "e05_", NULL, NULL);
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.state, RDPPRND_WAIT_CAPS);
	feed_vector(h, "e06_");
	expect_pdu(h, PAKID_CORE_USER_LOGGEDON, &f);
	conforms(&f, "e07_", NULL, NULL);
	/* the device-announce stage; the kernel saw nothing of it */
	assert_int_equal(h->s.state, RDPPRND_READY);
	assert_int_equal(h->fk.n_rx, 0);
	assert_int_equal(h->s.client_ext_pdu, 7);
	assert_int_equal(h->s.client_io_code1, 0xffff);
	assert_int_equal(h->s.stats.dropped, 0);
	assert_true(log_has(h, "client \"TSDEV-SELFHOST\", rdpdr 1.12"));
}

static void unique_client_ids(void **state)
{
	struct rdpprn_open o = { .uid = 1, .gid = 1 };
	struct h *h = *state;
	struct rdpprnd_session s2;
	struct fake_kernel fk2;
	struct rdpprn_frame f;
	u8 buf[16];

	handshake(h);
	/* a second session of the same daemon */
	rdpprnd_session_init(&s2, &h->ctx, &fake_kernel_ops, &fk2, &test_cops,
			     h);
	fk_init(&fk2, &s2);
	f.type = RDPPRN_FRAME_SESSION_OPEN;
	f.len = (u32)rdpprn_frame_build_open(buf, sizeof(buf), &o);
	f.data = buf;
	rdpprnd_session_frame(&s2, &f);
	assert_true(next_out(h, &f));
	expect_pdu(h, PAKID_CORE_SERVER_ANNOUNCE, &f);
	assert_int_equal(rdpprn_get_le32(f.data + 8), 0x1001);
	assert_int_not_equal(s2.conn, h->s.conn);
	rdpprnd_session_end(&s2, false, "test over");
	fk_free(&fk2);
}

static void no_caps_amplification(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;
	int i;

	handshake(h);
	for (i = 0; i < 100; i++)
		feed_vector(h, "e03_");
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 100);
	assert_true(log_has(h, "Client Name Request repeated"));
	/* logging is rate-limited */
	assert_true(log_has(h, "every 1000th only"));
	assert_false(rdpprnd_session_ended(&h->s));
}

static void repeated_handshake_pdus(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	handshake(h);
	feed_vector(h, "e02_");
	feed_vector(h, "e06_");
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 2);
	assert_int_equal(h->s.state, RDPPRND_READY);
}

static void old_client_minor_2(void **state)
{
	static const u8 reply[] = {
		0x72, 0x44, 0x43, 0x43, 0x01, 0x00, 0x02, 0x00,
		0x77, 0x00, 0x00, 0x00,
	};
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session(h);
	next_out(h, &f);
	next_out(h, &f);
	feed_pdu(h, reply, sizeof(reply));
	feed_vector(h, "e03_");
	/* no capabilities below minor 5: the confirm alone */
	expect_pdu(h, PAKID_CORE_CLIENTID_CONFIRM, &f);
	assert_int_equal(rdpprn_get_le32(f.data + 8), 0x77);
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.state, RDPPRND_READY);
}

static void client_without_logon_flag(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;
	unsigned int len;
	const u8 *v = find_vector("e06_", &len);
	u8 caps[128];

	memcpy(caps, v, len);
	/* extendedPDU of the GENERAL set (offset 8 + 28) without 0x4 */
	caps[36] = 0x3;
	open_session(h);
	next_out(h, &f);
	next_out(h, &f);
	feed_vector(h, "e02_");
	feed_vector(h, "e03_");
	next_out(h, &f);
	next_out(h, &f);
	feed_pdu(h, caps, len);
	/* RDPDR.md 3.6: the Client ID Confirm again, no User Logged On */
	expect_pdu(h, PAKID_CORE_CLIENTID_CONFIRM, &f);
	conforms(&f, "e05_", NULL, NULL);
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.state, RDPPRND_READY);
}

static void malformed_client_name_ends(void **state)
{
	static const u8 bad[] = {
		0x72, 0x44, 0x4e, 0x43, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x41,
	};
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session(h);
	next_out(h, &f);
	next_out(h, &f);
	feed_vector(h, "e02_");
	feed_pdu(h, bad, sizeof(bad));
	assert_true(rdpprnd_session_ended(&h->s));
	assert_true(h->s.error);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
	assert_int_equal(h->fk.sessions_del, 1);
	assert_true(log_has(h, "malformed Client Name Request"));
	/* nothing happens after the end */
	assert_int_equal(rdpprnd_session_frame(&h->s, &f), -ECONNRESET);
}

static void order_and_framing_errors(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	/* a PDU before SESSION_OPEN ends the session */
	feed_vector(h, "e02_");
	assert_true(rdpprnd_session_ended(&h->s));
	assert_int_equal(h->fk.sessions_new, 0);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
	assert_true(log_has(h, "a PDU before SESSION_OPEN"));
}

static void second_open_ends(void **state)
{
	struct h *h = *state;

	handshake(h);
	open_session(h);
	assert_true(rdpprnd_session_ended(&h->s));
	assert_int_equal(h->fk.sessions_new, 1);
	assert_int_equal(h->fk.sessions_del, 1);
}

static void close_frame_ends_cleanly(void **state)
{
	struct h *h = *state;

	handshake(h);
	feed(h, RDPPRN_FRAME_CLOSE, "client gone\x1b", 12);
	assert_true(rdpprnd_session_ended(&h->s));
	assert_false(h->s.error);
	assert_int_equal(h->fk.sessions_del, 1);
	assert_true(log_has(h, "closed by the RDP server: client gone\\x1b"));
}

static void kernel_refuses_session(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	h->fk.new_err = -ENOSPC;
	open_session(h);
	assert_true(rdpprnd_session_ended(&h->s));
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
	assert_non_null(memmem(f.data, f.len, "ENOSPC", 6));
	assert_int_equal(h->fk.sessions_del, 0);
}

static void unexpected_pdus_dropped(void **state)
{
	static const u8 short_pdu[] = { 0x72, 0x44, 0x41 };
	static const u8 prn[] = {
		0x52, 0x50, 0x43, 0x55, 1, 0, 0, 0, 0, 0, 0, 0,
	};
	static const u8 unknown[] = { 0x72, 0x44, 0x34, 0x12 };
	struct h *h = *state;
	struct rdpprn_frame f;

	handshake(h);
	feed_vector(h, "e07_");		/* server-to-client */
	feed_vector(h, "e09_");		/* server-to-client */
	feed_pdu(h, prn, sizeof(prn));
	feed_pdu(h, unknown, sizeof(unknown));
	feed_pdu(h, short_pdu, sizeof(short_pdu));
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 5);
	assert_int_equal(h->fk.n_rx, 0);
	assert_false(rdpprnd_session_ended(&h->s));
	assert_true(log_has(h, "is a server-to-client PDU"));
}

static void announce_before_confirm_dropped(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session(h);
	next_out(h, &f);
	next_out(h, &f);
	feed_vector(h, "01_c2s");
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 1);
	assert_int_equal(h->fk.n_rx, 0);
}

/* ---- announces and the policy ----------------------------------------- */

/* Vector 01: printer 4 (xps), printer 3 (default + xps), LPT1 (id 2). */
static const u8 *vec01(unsigned int *len)
{
	return find_vector("01_c2s", len);
}

/* The 20 + DeviceDataLength bytes of entry @i of vector 01 */
static const u8 *vec01_entry(unsigned int i, size_t *n)
{
	static const size_t off[] = { 8, 8 + 100, 8 + 100 + 136 };
	static const size_t size[] = { 100, 136, 20 };
	unsigned int len;

	*n = size[i];
	return vec01(&len) + off[i];
}

static void expect_forwarded(struct h *h, unsigned int count,
			     const unsigned int *entries)
{
	const struct fk_pdu *p = fk_rx(&h->fk, 0);
	size_t off = 8, n;
	unsigned int i;

	assert_non_null(p);
	assert_int_equal(h->fk.n_rx, 1);
	assert_memory_equal(p->data, "\x72\x44\x41\x44", 4);
	assert_int_equal(rdpprn_get_le32(p->data + 4), count);
	for (i = 0; i < count; i++) {
		const u8 *e = vec01_entry(entries[i], &n);

		assert_memory_equal(p->data + off, e, n);
		off += n;
	}
	assert_int_equal(p->len, off);
}

static void policy_all(void **state)
{
	static const unsigned int both[] = { 0, 1 };
	struct h *h = *state;
	char got[256];

	handshake(h);
	feed_vector(h, "01_c2s");
	/* both printers byte for byte, the parallel port left out */
	expect_forwarded(h, 2, both);
	answers(h, got, sizeof(got));
	/* the daemon answers LPT1 at once, then the kernel the printers */
	assert_string_equal(got, "2:c00000bb 4:0 3:0");
	assert_int_equal(h->s.n_printers, 2);
	assert_int_equal(h->s.stats.other, 1);
}

static void policy_none(void **state)
{
	struct h *h = *state;
	char got[256];

	h->cfg.policy.redirect = RDPPRN_REDIRECT_NONE;
	handshake(h);
	feed_vector(h, "01_c2s");
	assert_int_equal(h->fk.n_rx, 0);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "4:c00000bb 3:c00000bb 2:c00000bb");
	assert_true(log_has(h, "refused: printer redirection is disabled"));
}

static void policy_default_only(void **state)
{
	static const unsigned int def[] = { 1 };
	struct h *h = *state;
	char got[256];

	h->cfg.policy.redirect = RDPPRN_REDIRECT_DEFAULT;
	handshake(h);
	feed_vector(h, "01_c2s");
	expect_forwarded(h, 1, def);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "4:c0000022 2:c00000bb 3:0");
}

static void policy_exclude(void **state)
{
	static const unsigned int canon[] = { 1 };
	struct h *h = *state;
	char got[256];

	rdpprn_policy_add(&h->cfg.policy, true, "apollo*");
	handshake(h);
	feed_vector(h, "01_c2s");
	expect_forwarded(h, 1, canon);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "4:c0000022 2:c00000bb 3:0");
	assert_true(log_has(h, "refused: excluded by \"apollo*\""));
}

static void policy_include(void **state)
{
	static const unsigned int apollo[] = { 0 };
	struct h *h = *state;
	char got[256];

	rdpprn_policy_add(&h->cfg.policy, false, "Apollo P-1200");
	handshake(h);
	feed_vector(h, "01_c2s");
	expect_forwarded(h, 1, apollo);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "3:c0000022 2:c00000bb 4:0");
}

static void policy_default_cleared(void **state)
{
	struct h *h = *state;
	const struct fk_pdu *p;
	unsigned int len;
	const u8 *v = vec01(&len);
	char got[256];

	h->cfg.policy.default_follows_client = false;
	handshake(h);
	feed_vector(h, "01_c2s");
	p = fk_rx(&h->fk, 0);
	assert_int_equal(p->len, 8 + 100 + 136);
	/* the first entry as sent, the second with Flags 0x12 -> 0x10 */
	assert_memory_equal(p->data + 8, v + 8, 100);
	assert_int_equal(rdpprn_get_le32(p->data + 108 + 20), 0x10);
	assert_memory_equal(p->data + 108, v + 108, 20);
	assert_memory_equal(p->data + 108 + 24, v + 108 + 24, 136 - 24);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "2:c00000bb 4:0 3:0");
	assert_true(log_has(h, "DEFAULT cleared"));
}

static void policy_max_printers(void **state)
{
	static const unsigned int first[] = { 0 };
	struct h *h = *state;
	char got[256];

	h->cfg.policy.max_printers = 1;
	handshake(h);
	feed_vector(h, "01_c2s");
	expect_forwarded(h, 1, first);
	answers(h, got, sizeof(got));
	assert_string_equal(got, "3:c000009a 2:c00000bb 4:0");
}

/* The policy in force when an announce arrives applies (SIGHUP). */
static void policy_reload_and_replace(void **state)
{
	struct h *h = *state;
	const struct fk_pdu *p;
	char got[256];

	handshake(h);
	feed_vector(h, "01_c2s");
	answers(h, got, sizeof(got));
	assert_int_equal(h->s.n_printers, 2);
	/* the same printers again, now excluded: the kernel loses them */
	rdpprn_policy_add(&h->cfg.policy, true, "*");
	feed_vector(h, "01_c2s");
	answers(h, got, sizeof(got));
	assert_string_equal(got, "4:c0000022 3:c0000022 2:c00000bb");
	p = fk_rx(&h->fk, 1);
	assert_non_null(p);
	assert_int_equal(p->len, 16);
	assert_memory_equal(p->data, "\x72\x44\x4d\x44\x02\0\0\0\x04\0\0\0\x03\0\0\0",
			    16);
	assert_int_equal(h->s.n_printers, 0);
	assert_int_equal(h->fk.n_printers, 0);
}

static void kernel_refuses_announce(void **state)
{
	struct h *h = *state;
	char got[256];

	h->fk.announce_err = -E2BIG;
	handshake(h);
	feed_vector(h, "01_c2s");
	answers(h, got, sizeof(got));
	/* nobody is left waiting for an answer */
	assert_string_equal(got, "2:c00000bb 4:c000009a 3:c000009a");
	assert_int_equal(h->s.n_printers, 0);
	assert_int_equal(h->s.stats.kernel_errors, 1);
	assert_true(log_has(h, "the kernel refused the Client Device List "
			       "Announce: E2BIG: fake: announce refused"));
	assert_false(rdpprnd_session_ended(&h->s));
}

static void kernel_refuses_printer(void **state)
{
	struct h *h = *state;
	char got[256];

	h->fk.printer_status = STATUS_INSUFFICIENT_RESOURCES;
	handshake(h);
	feed_vector(h, "01_c2s");
	answers(h, got, sizeof(got));
	assert_string_equal(got, "2:c00000bb 4:c000009a 3:c000009a");
	/* the count of the policy follows the kernel */
	assert_int_equal(h->s.n_printers, 0);
}

static void remove_forwards_known_ids(void **state)
{
	static const u8 rm[] = {
		0x72, 0x44, 0x4d, 0x44, 0x03, 0, 0, 0,
		0x04, 0, 0, 0, 0x63, 0, 0, 0, 0x02, 0, 0, 0,
	};
	struct h *h = *state;
	const struct fk_pdu *p;
	char got[256];

	handshake(h);
	feed_vector(h, "01_c2s");
	answers(h, got, sizeof(got));
	feed_pdu(h, rm, sizeof(rm));
	/* only printer 4: 99 is unknown, 2 is the port the daemon refused */
	p = fk_rx(&h->fk, 1);
	assert_non_null(p);
	assert_memory_equal(p->data, "\x72\x44\x4d\x44\x01\0\0\0\x04\0\0\0",
			    12);
	assert_int_equal(p->len, 12);
	assert_int_equal(h->s.n_printers, 1);
	/* nothing known at all: nothing reaches the kernel */
	feed_pdu(h, rm, sizeof(rm));
	assert_int_equal(h->fk.n_rx, 2);
}

static void malformed_announce_dropped(void **state)
{
	static const u8 bad[] = {
		0x72, 0x44, 0x41, 0x44, 0xe8, 0x03, 0x00, 0x00,
	};
	struct h *h = *state;
	struct rdpprn_frame f;
	unsigned int len;
	const u8 *v = vec01(&len);
	u8 *cut = malloc(len);

	handshake(h);
	feed_pdu(h, bad, sizeof(bad));
	memcpy(cut, v, len);
	feed_pdu(h, cut, len - 1);
	free(cut);
	assert_false(next_out(h, &f));
	assert_int_equal(h->fk.n_rx, 0);
	assert_int_equal(h->s.stats.dropped, 2);
	assert_true(log_has(h, "malformed Client Device List Announce"));
	assert_false(rdpprnd_session_ended(&h->s));
}

static void completion_refused_logged(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;
	unsigned int len;
	const u8 *v = find_vector("10_c2s", &len);

	handshake(h);
	feed_pdu(h, v, len);
	assert_int_equal(h->fk.n_rx, 1);
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.kernel_errors, 1);
	assert_true(log_has(h, "the kernel refused a Device I/O Response: "
			       "ENOENT: no pending request"));
	assert_false(rdpprnd_session_ended(&h->s));
}

static void output_overflow_ends(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;
	u8 pdu[RDPDR_CREATE_REQ_FIXED] = { 0x72, 0x44, 0x52, 0x49 };
	int i;

	handshake(h);
	h->limit = 64 * 1024;
	/* the peer reads nothing while the kernel keeps sending */
	for (i = 0; i < 2000 && !rdpprnd_session_ended(&h->s); i++)
		rdpprnd_session_kernel_pdu(&h->s, pdu, sizeof(pdu));
	assert_true(rdpprnd_session_ended(&h->s));
	assert_true(h->s.error);
	assert_int_equal(h->fk.sessions_del, 1);
	assert_true(log_has(h, "output queue over max_queue"));
	while (next_out(h, &f))
		;
}

/* ---- the simulator against the session -------------------------------- */

/* The usual simulator: one printer, "HP", DeviceId 1 */
static void sim_one_printer(struct h *h)
{
	add_printer(h, "name=HP");
	sim_start_session(h);
}

/* A job from the kernel to printer 1, run to its end */
static void run_job(struct h *h, u64 bytes, u32 chunk)
{
	fk_start_job(&h->fk, 1, bytes, chunk);
	pump(h);
}

static void pattern_sha(u64 n, char hex[RDPPRN_SHA256_HEX])
{
	struct rdpprn_sha256 s;
	u64 i;

	rdpprn_sha256_init(&s);
	for (i = 0; i < n; i++) {
		u8 b = fk_pattern(i);

		rdpprn_sha256_update(&s, &b, 1);
	}
	rdpprn_sha256_hex(&s, hex);
}

static void expect_job_line(struct h *h, u64 bytes, const char *status)
{
	char hex[RDPPRN_SHA256_HEX], line[256];

	pattern_sha(bytes, hex);
	snprintf(line, sizeof(line), "bytes=%llu sha256=%s status=%s",
		 (unsigned long long)bytes, hex, status);
	if (!sim_has(h, line))
		fail_msg("no \"%s\" in:\n%s", line, h->simout);
}

static void sim_handshake_and_job(void **state)
{
	struct h *h = *state;
	char hex[RDPPRN_SHA256_HEX];

	add_printer(h, "name=HP LaserJet,driver=HP Universal,default");
	add_printer(h, "name=Microsoft Print to PDF,id=7,xps");
	rdpprn_policy_add(&h->cfg.policy, true, "Microsoft Print to PDF");
	sim_start_session(h);
	assert_int_equal(h->sim.violations, 0);
	assert_true(sim_has(h, "SESSION id=1\n"));
	assert_true(sim_has(h, "CAPS sets=2 extendedPDU=0x7 ioCode1=0xffff printer=1"));
	assert_true(sim_has(h, "LOGGEDON confirms=1"));
	assert_true(sim_has(h, "DEVICE dev=7 type=printer status=0xc0000022 "
			    "STATUS_ACCESS_DENIED name=\"Microsoft Print to PDF\""));
	assert_true(sim_has(h, "READY session=1 accepted=1 refused=7"));
	/* a job of 200000 bytes from the kernel to printer 1 */
	run_job(h, 200000, 61440);
	assert_int_equal(h->fk.job, FK_JOB_DONE);
	assert_int_equal(h->fk.job_sent, 200000);
	rdpprn_sha256_hex(&h->fk.job_sha, hex);
	expect_job_line(h, 200000, "closed writes=4");
	assert_true(sim_has(h, hex));
	assert_int_equal(h->sim.violations, 0);
	assert_int_equal(h->s.stats.dropped, 0);
	assert_int_equal(h->s.stats.kernel_errors, 0);
}

static void sim_freerdp_quirks(void **state)
{
	struct h *h = *state;

	h->so.freerdp = true;
	add_printer(h, "name=Canon,default");
	sim_start_session(h);
	assert_int_equal(h->sim.violations, 0);
	/* FreeRDP answers min(0x000D, server) = 0x000C */
	assert_int_equal(h->s.client_minor, RDPDR_VERSION_MINOR_RDP6X);
	/* AND of 0xFFFF and the server's 0xFFFF */
	assert_int_equal(h->s.client_io_code1, 0xffff);
	/* the server's extendedPDU has 0x4: the logon PDU is taken */
	assert_false(sim_has(h, "IGNORED"));
	assert_true(sim_has(h, "READY session=1 accepted=1 refused=-"));
}

static void sim_client_vectors(void **state)
{
	struct h *h = *state;

	h->so.client_vectors = VECTORS_DIR;
	sim_one_printer(h);
	assert_true(sim_has(h, "VECTOR e02_c2s_client_announce_reply.hex bytes=12"));
	assert_true(sim_has(h, "VECTOR e06_c2s_client_core_capability_rsp.hex bytes=84"));
	/* the device-announce stage, then the printer */
	assert_true(sim_has(h, "LOGGEDON"));
	assert_true(sim_has(h, "READY session=1 accepted=1 refused=-"));
	assert_int_equal(h->sim.violations, 0);
}

static void sim_client_without_logon_flag(void **state)
{
	struct h *h = *state;

	h->so.ext_pdu = 3;
	sim_one_printer(h);
	/* the second Client ID Confirm stands for the logon */
	assert_true(sim_has(h, "LOGGEDON confirms=2"));
	assert_true(sim_has(h, "READY session=1 accepted=1"));
	assert_int_equal(h->sim.violations, 0);
}

static void sim_short_writes(void **state)
{
	struct h *h = *state;

	h->so.short_write = 1000;
	h->so.zero_writes = 2;
	sim_one_printer(h);
	run_job(h, 10000, 4096);
	/* the kernel sends what remains; every byte arrives once */
	assert_int_equal(h->fk.job, FK_JOB_DONE);
	expect_job_line(h, 10000, "closed");
	assert_int_equal(h->sim.violations, 0);
}

static void sim_write_fault(void **state)
{
	struct h *h = *state;

	h->so.write_fault = true;
	h->so.write_status = STATUS_DEVICE_OFF_LINE;
	h->so.fault_after = 2;
	sim_one_printer(h);
	run_job(h, 100000, 10000);
	assert_int_equal(h->fk.job, FK_JOB_FAILED);
	assert_int_equal(h->fk.job_status, STATUS_DEVICE_OFF_LINE);
	expect_job_line(h, 20000, "write-failed");
}

static void sim_create_fault(void **state)
{
	struct h *h = *state;

	h->so.create_fault = true;
	h->so.create_status = STATUS_PRINT_QUEUE_FULL;
	sim_one_printer(h);
	run_job(h, 100, 100);
	assert_int_equal(h->fk.job, FK_JOB_FAILED);
	assert_int_equal(h->fk.job_status, STATUS_PRINT_QUEUE_FULL);
	assert_true(sim_has(h, "CREATE dev=1 status=0xc00000c6"));
}

static void sim_remove_mid_job(void **state)
{
	struct h *h = *state;

	h->so.remove_set = true;
	h->so.remove_after = 5000;
	sim_one_printer(h);
	run_job(h, 100000, 4096);
	/* the daemon forwarded the removal: the kernel's job is over */
	assert_int_equal(h->fk.job, FK_JOB_FAILED);
	assert_int_equal(h->fk.n_printers, 0);
	assert_int_equal(h->s.n_printers, 0);
	assert_true(sim_has(h, "REMOVED dev=1"));
	assert_true(sim_has(h, "status=removed"));
}

static void sim_garbage_survives(void **state)
{
	struct h *h = *state;

	h->so.garbage = true;
	sim_one_printer(h);
	assert_true(sim_has(h, "GARBAGE pdus=3"));
	assert_int_equal(h->s.stats.dropped, 3);
	assert_false(rdpprnd_session_ended(&h->s));
	/* and it still prints */
	run_job(h, 5000, 4096);
	expect_job_line(h, 5000, "closed");
}

static void sim_announce_hex(void **state)
{
	struct h *h = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/01_c2s_device_list_announce_3dev.hex",
		 VECTORS_DIR);
	h->so.announce_hex = path;
	sim_start_session(h);
	assert_true(sim_has(h, "DEVICE dev=2 type=other status=0xc00000bb"));
	assert_true(sim_has(h, "DEVICE dev=4 type=printer status=0x00000000 "
			    "STATUS_SUCCESS name=\"Apollo P-1200\""));
	assert_true(sim_has(h, "READY session=1 accepted=4,3 refused=2"));
	assert_int_equal(h->sim.violations, 0);
}

/* ---- --freerdp-queue: requests straight into the simulator ------------- */

static void fq_create(struct h *h, u32 cid)
{
	struct rdpdr_create_req r = { .io = { 1, 0, cid, 0, 0 } };
	u8 pdu[64];
	int n = rdpdr_build_create_req(pdu, sizeof(pdu), &r);

	assert_int_equal(n, RDPDR_CREATE_REQ_FIXED);
	sim_ioreq(&h->sim, pdu, (size_t)n);
}

static void fq_write(struct h *h, u32 file, u32 cid, u64 off)
{
	static const u8 data[4] = "ABCD";
	struct rdpdr_write_req r = {
		.io = { 1, file, cid, 0, 0 },
		.length = sizeof(data), .offset = off, .data = data,
	};
	u8 pdu[64];
	int n = rdpdr_build_write_req(pdu, sizeof(pdu), &r);

	assert_true(n > 0);
	sim_ioreq(&h->sim, pdu, (size_t)n);
}

static void fq_close(struct h *h, u32 file, u32 cid)
{
	struct rdpdr_ioreq io = { 1, file, cid, 0, 0 };
	u8 pdu[64];
	int n = rdpdr_build_close_req(pdu, sizeof(pdu), &io);

	assert_true(n > 0);
	sim_ioreq(&h->sim, pdu, (size_t)n);
}

/* Wake the printer thread; the answers as "cid:status " in @out */
static void fq_run(struct h *h, char *out, size_t cap)
{
	struct rdpprn_frame f;
	const char *why;
	size_t len = 0;

	sim_queue_run(&h->sim, rdpprn_now_ms());
	out[0] = 0;
	while (rdpprn_rx_next(&h->to_daemon, &f, &why) == 1) {
		assert_true(f.len >= 16);
		len += (size_t)snprintf(out + len, cap - len, "%u:%x ",
					rdpprn_get_le32(f.data + 8),
					rdpprn_get_le32(f.data + 12));
	}
}

static void sim_freerdp_queue(void **state)
{
	struct h *h = *state;
	char got[256];

	h->so.fq = true;
	sim_one_printer(h);
	fq_create(h, 10);
	/* nothing is answered before the printer thread runs */
	assert_int_equal(rdpprn_rx_pending(&h->to_daemon), 0);
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "10:0 ");
	/* a second job while one is open: FileId 0, PRINT_QUEUE_FULL */
	fq_create(h, 11);
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "11:c00000c6 ");
	/* two writes outstanding: one wake-up, the newer one first */
	fq_write(h, 0, 12, 0);
	fq_write(h, 0, 13, 4);
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "13:0 ");
	/* the event was reset: the older write waits for the next request */
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "");
	fq_write(h, 0, 14, 8);
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "14:0 ");
	/* an unknown FileId: STATUS_UNSUCCESSFUL */
	fq_close(h, 99, 15);
	fq_run(h, got, sizeof(got));
	assert_string_equal(got, "15:c0000001 ");
	assert_int_equal(h->sim.violations, 1);
	/* 13, 14 and 15 each overtook 12 */
	sim_queue_report(&h->sim);
	if (!sim_has(h, "QUEUE dev=1 irps=6 max_outstanding=2 queue_full=1 "
		     "reordered=3 misplaced=2 stranded=1\n"))
		fail_msg("QUEUE line wrong:\n%s", h->simout);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(handshake_conformance),
		T(unique_client_ids),
		T(no_caps_amplification),
		T(repeated_handshake_pdus),
		T(old_client_minor_2),
		T(client_without_logon_flag),
		T(malformed_client_name_ends),
		T(order_and_framing_errors),
		T(second_open_ends),
		T(close_frame_ends_cleanly),
		T(kernel_refuses_session),
		T(unexpected_pdus_dropped),
		T(announce_before_confirm_dropped),
		T(policy_all),
		T(policy_none),
		T(policy_default_only),
		T(policy_exclude),
		T(policy_include),
		T(policy_default_cleared),
		T(policy_max_printers),
		T(policy_reload_and_replace),
		T(kernel_refuses_announce),
		T(kernel_refuses_printer),
		T(remove_forwards_known_ids),
		T(malformed_announce_dropped),
		T(completion_refused_logged),
		T(output_overflow_ends),
		T(sim_handshake_and_job),
		T(sim_freerdp_quirks),
		T(sim_client_vectors),
		T(sim_client_without_logon_flag),
		T(sim_short_writes),
		T(sim_write_fault),
		T(sim_create_fault),
		T(sim_remove_mid_job),
		T(sim_garbage_survives),
		T(sim_announce_hex),
		T(sim_freerdp_queue),
	};

	return cmocka_run_group_tests_name("rdpprnd_session", tests, NULL,
					   NULL);
}
