// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnd_provider_unit.c - rdpprnd as a device provider (issue 9): the
 * test plays an RDP server that keeps the rdpdr channel, as xrdp's
 * chansrv does, against the session logic and the fake kernel:
 *
 *  - SESSION_OPEN's extension block: the provider flag, unknown versions
 *    and flags refused, flags 0 meaning the whole channel;
 *  - no handshake: the session is READY at once, handshake PDUs the
 *    server forwards anyway are dropped, never answered;
 *  - an announce with a drive and printers: the printers are answered as
 *    in whole-channel mode, the drive not at all;
 *  - I/O responses forwarded, removals, the per-session printer limit;
 *  - trust: a peer that is not root opens sessions for its own uid and
 *    gid only;
 *  - rdpprn-sim --provider against the session, with a print job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rdpprn_log.h"
#include "session_harness.h"

#define DRIVE_ID	77

static void open_provider(struct h *h)
{
	struct rdpprn_frame f;

	open_session_ext(h, 1000, 1000, RDPPRN_OPEN_EXT_V1,
			 RDPPRN_OPEN_PROVIDER);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_SESSION_INFO);
	assert_int_equal(rdpprn_get_le32(f.data), h->fk.sid);
}

/* A drive, then the printers of vector 01 (4, 3) and its LPT1 (2) */
static u8 *drive_and_printers(size_t *len)
{
	unsigned int vlen;
	const u8 *v = find_vector("01_c2s", &vlen);
	u8 *pdu = malloc(vlen + 20);

	/* the vector's header with one more device, the drive first */
	memcpy(pdu, v, 4);
	rdpprn_put_le32(pdu + 4, rdpprn_get_le32(v + 4) + 1);
	rdpprn_put_le32(pdu + 8, RDPDR_DTYP_FILESYSTEM);
	rdpprn_put_le32(pdu + 12, DRIVE_ID);
	memcpy(pdu + 16, "C:\0\0\0\0\0\0", 8);
	rdpprn_put_le32(pdu + 24, 0);
	memcpy(pdu + 28, v + 8, vlen - 8);
	*len = vlen + 20;
	return pdu;
}

/* A provider session that got the drive and printers; @got: answers */
static void provider_announced(struct h *h, char *got, size_t cap)
{
	size_t len;
	u8 *pdu = drive_and_printers(&len);

	open_provider(h);
	feed_pdu(h, pdu, len);
	free(pdu);
	answers(h, got, cap);
}

/* ---- SESSION_OPEN --------------------------------------------------- */

static void provider_ready_at_once(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	open_provider(h);
	/* no Server Announce Request: the server ran the handshake */
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.state, RDPPRND_READY);
	assert_true(h->s.provider);
	assert_int_equal(h->fk.sessions_new, 1);
	assert_true(log_has(h, "kernel session 1 for uid 1000 gid 1000, "
			       "client \"unit-client\", device provider"));
}

static void flags_zero_is_whole_channel(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session_ext(h, 1000, 1000, RDPPRN_OPEN_EXT_V1, 0);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_SESSION_INFO);
	expect_pdu(h, PAKID_CORE_SERVER_ANNOUNCE, &f);
	assert_false(h->s.provider);
	assert_int_equal(h->s.state, RDPPRND_WAIT_REPLY);
}

/* SESSION_OPEN's payload with a hand-made extension block */
static void feed_open_raw(struct h *h, const u8 *ext, size_t n)
{
	u8 buf[64] = { 0xe8, 0x03, 0, 0, 0xe8, 0x03, 0, 0, 'x', 0 };

	memcpy(buf + 10, ext, n);
	feed(h, RDPPRN_FRAME_SESSION_OPEN, buf, 10 + n);
}

static void expect_refused_open(struct h *h, const char *reason)
{
	struct rdpprn_frame f;

	assert_true(rdpprnd_session_ended(&h->s));
	assert_true(h->s.error);
	assert_int_equal(h->fk.sessions_new, 0);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
	if (f.len != strlen(reason) || memcmp(f.data, reason, f.len))
		fail_msg("CLOSE \"%.*s\", want \"%s\"", (int)f.len, f.data,
			 reason);
	assert_false(next_out(h, &f));
}

static void unknown_version_refused(void **state)
{
	static const u8 v3[] = { 3, 1, 0, 0, 0, 0xaa };
	struct h *h = *state;

	feed_open_raw(h, v3, sizeof(v3));
	expect_refused_open(h, "SESSION_OPEN: unknown extension version 3");
}

static void version_1_of_other_length_refused(void **state)
{
	static const u8 v1[] = { 1, 1, 0, 0, 0, 0 };
	struct h *h = *state;

	feed_open_raw(h, v1, sizeof(v1));
	expect_refused_open(h, "malformed SESSION_OPEN: extension block of the wrong size");
}

/* Version 2: the client's address goes to the kernel and the log. */
static void version_2_address_passed(void **state)
{
	static const u8 v2[] = { 2, 1, 0, 0, 0, 11, '2', '0', '0', '1', ':',
				 'd', 'b', '8', ':', ':', '7' };
	struct h *h = *state;

	feed_open_raw(h, v2, sizeof(v2));
	assert_false(rdpprnd_session_ended(&h->s));
	assert_int_equal(h->fk.sessions_new, 1);
	assert_string_equal(h->fk.client_addr, "2001:db8::7");
	assert_true(log_has(h, "client \"x\" at 2001:db8::7, device provider"));
}

static void version_2_bad_address_refused(void **state)
{
	static const u8 v2[] = { 2, 1, 0, 0, 0, 4, 'p', 'c', '-', '7' };
	struct h *h = *state;

	feed_open_raw(h, v2, sizeof(v2));
	expect_refused_open(h, "malformed SESSION_OPEN: client address is no IPv4 or IPv6 literal");
}

static void unknown_flags_refused(void **state)
{
	static const u8 v1[] = { 1, 3, 0, 0, 0 };
	struct h *h = *state;

	feed_open_raw(h, v1, sizeof(v1));
	expect_refused_open(h, "SESSION_OPEN: unknown flags 0x2 (known: 0x1)");
}

/* ---- PDUs ------------------------------------------------------------ */

static void handshake_pdus_dropped(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	open_provider(h);
	feed_vector(h, "e02_");
	feed_vector(h, "e03_");
	feed_vector(h, "e06_");
	/* nothing to the client: it must not see a second handshake */
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 3);
	assert_int_equal(h->fk.n_rx, 0);
	assert_true(log_has(h, "dropped a client PDU: PAKID_CORE_CLIENT_NAME: "
			       "the RDP server runs the handshake (device provider)"));
	assert_false(rdpprnd_session_ended(&h->s));
}

static void drive_left_to_the_server(void **state)
{
	struct h *h = *state;
	const struct fk_pdu *p;
	unsigned int vlen;
	char got[256];

	provider_announced(h, got, sizeof(got));
	/* answers for the printers only: not the drive, not LPT1 */
	assert_string_equal(got, "4:0 3:0");
	/* the printers alone reached the kernel, byte for byte */
	p = fk_rx(&h->fk, 0);
	assert_non_null(p);
	assert_int_equal(h->fk.n_rx, 1);
	assert_int_equal(rdpprn_get_le32(p->data + 4), 2);
	assert_int_equal(p->len, 8 + 100 + 136);
	assert_memory_equal(p->data + 8, find_vector("01_c2s", &vlen) + 8,
			    100 + 136);
	assert_int_equal(h->s.stats.other, 2);
	assert_int_equal(h->s.stats.accepted, 2);
	assert_true(log_has(h, "device id 77 (type 0x8) is the RDP server's"));
	assert_true(log_has(h, "device id 2 (type 0x2) is the RDP server's"));
}

static void policy_still_applies(void **state)
{
	struct h *h = *state;
	char got[256];

	h->cfg.policy.max_printers = 1;
	provider_announced(h, got, sizeof(got));
	/* the refusal first (the daemon's own), then the kernel's answer */
	assert_string_equal(got, "3:c000009a 4:0");
	assert_int_equal(h->s.n_printers, 1);
}

static void io_response_and_remove(void **state)
{
	static const u8 rm[] = {
		0x72, 0x44, 0x4d, 0x44, 0x02, 0, 0, 0,
		DRIVE_ID, 0, 0, 0, 0x04, 0, 0, 0,
	};
	unsigned int len;
	const u8 *v = find_vector("10_c2s", &len);
	struct h *h = *state;
	const struct fk_pdu *p;
	char got[256];

	provider_announced(h, got, sizeof(got));
	/* an I/O response goes to the kernel unchanged (it refuses it) */
	feed_pdu(h, v, len);
	p = fk_rx(&h->fk, 1);
	assert_non_null(p);
	assert_int_equal(p->len, len);
	assert_memory_equal(p->data, v, len);
	assert_int_equal(h->s.stats.kernel_errors, 1);
	/* the drive's removal is the server's business */
	feed_pdu(h, rm, sizeof(rm));
	p = fk_rx(&h->fk, 2);
	assert_non_null(p);
	assert_memory_equal(p->data, "\x72\x44\x4d\x44\x01\0\0\0\x04\0\0\0",
			    12);
	assert_int_equal(p->len, 12);
}

static void server_pdus_and_unknown_dropped(void **state)
{
	static const u8 unknown[] = { 0x72, 0x44, 0x34, 0x12 };
	struct h *h = *state;
	struct rdpprn_frame f;

	open_provider(h);
	feed_vector(h, "e07_");		/* server-to-client */
	feed_pdu(h, unknown, sizeof(unknown));
	assert_false(next_out(h, &f));
	assert_int_equal(h->s.stats.dropped, 2);
	assert_int_equal(h->fk.n_rx, 0);
}

/* ---- trust ------------------------------------------------------------ */

static void user_peer(struct h *h, u32 uid, u32 gid)
{
	h->s.peer.user = true;
	h->s.peer.uid = uid;
	h->s.peer.gid = gid;
}

static void user_opens_for_itself(void **state)
{
	struct h *h = *state;

	user_peer(h, 1000, 1000);
	open_provider(h);
	assert_int_equal(h->s.state, RDPPRND_READY);
	assert_int_equal(h->s.uid, 1000);
}

static void user_other_uid_refused(void **state)
{
	struct h *h = *state;

	user_peer(h, 1001, 1000);
	open_session_ext(h, 1000, 1000, RDPPRN_OPEN_EXT_V1,
			 RDPPRN_OPEN_PROVIDER);
	expect_refused_open(h, "SESSION_OPEN for uid 1000 gid 1000 from a peer "
			    "of uid 1001 gid 1000: a user may only open "
			    "sessions for itself");
	assert_true(log_has(h, "a user may only open sessions for itself"));
}

static void user_other_gid_refused(void **state)
{
	struct h *h = *state;

	user_peer(h, 1000, 1000);
	/* whole-channel mode is held to the same rule */
	open_session_ext(h, 1000, 0, 0, 0);
	expect_refused_open(h, "SESSION_OPEN for uid 1000 gid 0 from a peer "
			    "of uid 1000 gid 1000: a user may only open "
			    "sessions for itself");
}

static void root_opens_for_anyone(void **state)
{
	struct h *h = *state;
	struct rdpprn_frame f;

	open_session_ext(h, 4242, 17, 0, 0);
	assert_true(next_out(h, &f));
	assert_int_equal(f.type, RDPPRN_FRAME_SESSION_INFO);
	assert_int_equal(h->s.uid, 4242);
	assert_int_equal(h->s.gid, 17);
}

/* ---- rdpprn-sim --provider ------------------------------------------ */

/* rdpprn-sim --provider --provider-drive=1000 */
static void sim_provider(struct h *h)
{
	h->so.provider = true;
	h->so.drive = true;
	h->so.drive_id = 1000;
}

static void sim_provider_job(void **state)
{
	struct h *h = *state;

	sim_provider(h);
	add_printer(h, "name=HP LaserJet,default");
	add_printer(h, "name=Fax,id=7");
	rdpprn_policy_add(&h->cfg.policy, true, "Fax");
	sim_start_session(h);
	assert_int_equal(h->sim.violations, 0);
	assert_true(sim_has(h, "SESSION id=1\n"));
	assert_false(sim_has(h, "ANNOUNCE"));
	assert_false(sim_has(h, "LOGGEDON"));
	assert_false(sim_has(h, "DEVICE dev=1000"));
	assert_true(sim_has(h, "READY session=1 accepted=1 refused=7\n"));
	assert_int_equal(h->s.stats.other, 1);
	fk_start_job(&h->fk, 1, 100000, 30000);
	pump(h);
	assert_int_equal(h->fk.job, FK_JOB_DONE);
	assert_int_equal(h->fk.job_sent, 100000);
	assert_true(sim_has(h, "bytes=100000 "));
	assert_true(sim_has(h, "status=closed writes=4"));
	assert_int_equal(h->sim.violations, 0);
}

/* A daemon that answers the drive, or runs a handshake, is caught */
static void sim_provider_catches_violations(void **state)
{
	struct h *h = *state;
	u8 reply[RDPDR_DEVICE_REPLY_SIZE];
	struct rdpdr_device_reply r = { .device_id = 1000 };
	u8 pdu[RDPDR_ANNOUNCE_SIZE];
	struct rdpdr_announce a = {
		.packet_id = PAKID_CORE_SERVER_ANNOUNCE,
		.version_major = 1, .version_minor = 12, .client_id = 1,
	};
	u8 frame[RDPPRN_FRAME_HDR_SIZE + RDPDR_ANNOUNCE_SIZE];

	sim_provider(h);
	add_printer(h, "name=HP");
	sim_start_session(h);
	assert_int_equal(h->sim.violations, 0);
	rdpdr_build_device_reply(reply, sizeof(reply), &r);
	rdpprn_frame_hdr(frame, RDPPRN_FRAME_PDU, sizeof(reply));
	memcpy(frame + RDPPRN_FRAME_HDR_SIZE, reply, sizeof(reply));
	rdpprn_rx_feed(&h->to_server, frame, RDPPRN_FRAME_HDR_SIZE +
		       sizeof(reply));
	rdpdr_build_announce(pdu, sizeof(pdu), &a);
	rdpprn_frame_hdr(frame, RDPPRN_FRAME_PDU, sizeof(pdu));
	memcpy(frame + RDPPRN_FRAME_HDR_SIZE, pdu, sizeof(pdu));
	rdpprn_rx_feed(&h->to_server, frame, sizeof(frame));
	pump(h);
	assert_int_equal(h->sim.violations, 2);
	assert_true(sim_has(h, "VIOLATION announce response for device 1000, "
			    "which the RDP server keeps"));
	assert_true(sim_has(h, "VIOLATION PAKID_CORE_SERVER_ANNOUNCE to a "
			    "device provider"));
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(provider_ready_at_once),
		T(flags_zero_is_whole_channel),
		T(unknown_version_refused),
		T(version_1_of_other_length_refused),
		T(version_2_address_passed),
		T(version_2_bad_address_refused),
		T(unknown_flags_refused),
		T(handshake_pdus_dropped),
		T(drive_left_to_the_server),
		T(policy_still_applies),
		T(io_response_and_remove),
		T(server_pdus_and_unknown_dropped),
		T(user_opens_for_itself),
		T(user_other_uid_refused),
		T(user_other_gid_refused),
		T(root_opens_for_anyone),
		T(sim_provider_job),
		T(sim_provider_catches_violations),
	};

	return cmocka_run_group_tests_name("rdpprnd_provider", tests, NULL,
					   NULL);
}
