// SPDX-License-Identifier: GPL-2.0
/*
 * session_harness.c - one rdpprnd session in-process, for the cmocka
 * suites of the session logic: the fake kernel behind it, the frames it
 * sends to the RDP server side collected, its log lines kept, and
 * rdpprn-sim's client (client.c, io.c) on the other end when a test
 * wants it.
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

static void log_sink(void *ctx, int level, const char *line)
{
	struct h *h = ctx;
	int n = snprintf(h->log + h->loglen, sizeof(h->log) - h->loglen,
			 "%s\n", line);

	if (n > 0 && h->loglen + (size_t)n < sizeof(h->log))
		h->loglen += (size_t)n;
}

static int to_server(void *c, u8 type, const void *head, size_t hlen,
		     const void *data, size_t len)
{
	struct h *h = c;
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];

	if (h->limit && rdpprn_rx_pending(&h->to_server) + 5 + hlen + len >
	    h->limit)
		return -ENOBUFS;
	rdpprn_frame_hdr(hdr, type, (u32)(hlen + len));
	rdpprn_rx_feed(&h->to_server, hdr, sizeof(hdr));
	if (hlen)
		rdpprn_rx_feed(&h->to_server, head, hlen);
	if (len)
		rdpprn_rx_feed(&h->to_server, data, len);
	return 0;
}

const struct rdpprnd_cops test_cops = { .frame = to_server };

static int sim_write(void *ctx, const void *data, size_t len)
{
	rdpprn_rx_feed(&((struct h *)ctx)->to_daemon, data, len);
	return 0;
}

int setup(void **state)
{
	struct h *h = calloc(1, sizeof(*h));

	rdpprnd_config_init(&h->cfg);
	h->ctx.cfg = &h->cfg;
	h->ctx.next_client_id = 0x1000;
	rdpprnd_session_init(&h->s, &h->ctx, &fake_kernel_ops, &h->fk,
			     &test_cops, h);
	fk_init(&h->fk, &h->s);
	rdpprn_rx_init(&h->to_server);
	rdpprn_rx_init(&h->to_daemon);
	h->so.client_name = "unit-client";
	h->so.minor = RDPDR_VERSION_MINOR_RDP6X;
	h->so.ext_pdu = 7;
	h->simf = open_memstream(&h->simout, &h->simlen);
	rdpprn_log_set_sink(log_sink, h);
	rdpprn_log_set_level(LOG_DEBUG);
	*state = h;
	return 0;
}

int teardown(void **state)
{
	struct h *h = *state;
	unsigned int i;

	rdpprn_log_set_sink(NULL, NULL);
	if (h->use_sim)
		sim_free(&h->sim);
	fclose(h->simf);
	free(h->simout);
	for (i = 0; i < h->so.n_printers; i++)
		sim_printer_free(&h->so.printers[i]);
	free(h->so.printers);
	rdpprnd_session_free(&h->s);
	fk_free(&h->fk);
	rdpprn_rx_free(&h->to_server);
	rdpprn_rx_free(&h->to_daemon);
	rdpprnd_config_free(&h->cfg);
	free(h);
	return 0;
}

bool log_has(struct h *h, const char *what)
{
	return strstr(h->log, what);
}

bool sim_has(struct h *h, const char *what)
{
	fflush(h->simf);
	return h->simout && strstr(h->simout, what);
}

/* ---- feeding the session directly ------------------------------------- */

void feed(struct h *h, u8 type, const void *data, size_t len)
{
	struct rdpprn_frame f = { .type = type, .len = (u32)len, .data = data };

	rdpprnd_session_frame(&h->s, &f);
}

void feed_pdu(struct h *h, const void *pdu, size_t len)
{
	feed(h, RDPPRN_FRAME_PDU, pdu, len);
}

void open_session_ext(struct h *h, u32 uid, u32 gid, u8 ext_version,
		      u32 flags)
{
	struct rdpprn_open o = {
		.uid = uid, .gid = gid, .ext_version = ext_version,
		.flags = flags,
	};
	u8 buf[RDPPRN_FRAME_OPEN_MAX];
	int n;

	strcpy(o.name, "unit-client");
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_true(n > 0);
	feed(h, RDPPRN_FRAME_SESSION_OPEN, buf, (size_t)n);
}

void open_session(struct h *h)
{
	open_session_ext(h, 1000, 1000, 0, 0);
}

/* The next frame the session sent; false when there is none. */
bool next_out(struct h *h, struct rdpprn_frame *f)
{
	const char *why;

	return rdpprn_rx_next(&h->to_server, f, &why) == 1;
}

void expect_pdu(struct h *h, u16 packet_id, struct rdpprn_frame *f)
{
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	assert_true(next_out(h, f));
	assert_int_equal(f->type, RDPPRN_FRAME_PDU);
	assert_int_equal(rdpdr_parse_hdr(f->data, f->len, &hdr, &err), 0);
	if (hdr.packet_id != packet_id)
		fail_msg("got %s, want packet 0x%04x",
			 rdpdr_pdu_name(hdr.component, hdr.packet_id),
			 packet_id);
}

const u8 *find_vector(const char *name, unsigned int *len)
{
	unsigned int i;

	for (i = 0; i < rdpdr_vector_count(); i++)
		if (strstr(rdpdr_vector_name(i), name))
			return rdpdr_vector_bytes(i, len);
	fail_msg("no vector %s", name);
	return NULL;
}

void feed_vector(struct h *h, const char *name)
{
	unsigned int len;
	const u8 *v = find_vector(name, &len);

	feed_pdu(h, v, len);
}

/* The answers the client got, as "id:status" in order. */
void answers(struct h *h, char *buf, size_t len)
{
	struct rdpdr_device_reply r;
	struct rdpprn_frame f;
	struct rdpdr_err err;
	size_t n = 0;

	buf[0] = '\0';
	while (next_out(h, &f)) {
		assert_int_equal(f.type, RDPPRN_FRAME_PDU);
		assert_int_equal(rdpdr_parse_device_reply(f.data, f.len, &r,
							  &err), 0);
		n += (size_t)snprintf(buf + n, len - n, "%s%u:%x",
				      n ? " " : "", r.device_id, r.result_code);
	}
}

void add_printer(struct h *h, const char *spec)
{
	struct sim_opts *o = &h->so;

	o->printers = realloc(o->printers, (o->n_printers + 1) *
			      sizeof(*o->printers));
	assert_int_equal(sim_printer_parse(spec, o->n_printers + 1,
					   &o->printers[o->n_printers]), 0);
	o->n_printers++;
}

/* Move frames both ways until nothing moves. */
void pump(struct h *h)
{
	struct rdpprn_frame f;
	const char *why;
	bool moved;

	do {
		moved = false;
		while (rdpprn_rx_next(&h->to_daemon, &f, &why) == 1) {
			rdpprnd_session_frame(&h->s, &f);
			moved = true;
		}
		while (!h->sim.abrupt &&
		       rdpprn_rx_next(&h->to_server, &f, &why) == 1) {
			sim_frame(&h->sim, &f);
			moved = true;
		}
		if (fk_deliver(&h->fk))
			moved = true;
	} while (moved);
}

void sim_start_session(struct h *h)
{
	h->use_sim = true;
	sim_init(&h->sim, &h->so, h->simf, sim_write, h);
	assert_int_equal(sim_start(&h->sim), 0);
	pump(h);
}
