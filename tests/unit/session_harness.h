/* SPDX-License-Identifier: GPL-2.0 */
/*
 * session_harness.h - one rdpprnd session in-process with the fake kernel
 * and, optionally, rdpprn-sim's client (session_harness.c). Each test
 * gets a fresh &struct h from setup() (cmocka's state).
 */
#ifndef SESSION_HARNESS_H
#define SESSION_HARNESS_H

#include "rdpprn_stream.h"
#include "fake_kernel.h"
#include "sim.h"

/**
 * struct h - one test's world
 * @cfg: rdpprnd's configuration
 * @ctx: shared daemon state
 * @s: the session under test
 * @fk: the kernel
 * @to_server: what the session queued for the RDP server side
 * @to_daemon: what the simulator sent
 * @limit: bytes @to_server may hold before -ENOBUFS (0: no limit)
 * @so: the simulator's options
 * @sim: the simulator (when @use_sim)
 * @use_sim: frames for the server side go to @sim
 * @simf: the simulator's output lines
 * @simout: their text
 * @simlen: its length
 * @log: rdpprnd's log lines
 * @loglen: their length
 */
struct h {
	struct rdpprnd_config cfg;
	struct rdpprnd_ctx ctx;
	struct rdpprnd_session s;
	struct fake_kernel fk;
	struct rdpprn_rx to_server;
	struct rdpprn_rx to_daemon;
	size_t limit;
	struct sim_opts so;
	struct sim sim;
	bool use_sim;
	FILE *simf;
	char *simout;
	size_t simlen;
	char log[32768];
	size_t loglen;
};

/* The RDP server side of a session: its frames go to @c's @to_server */
extern const struct rdpprnd_cops test_cops;

int setup(void **state);
int teardown(void **state);
bool log_has(struct h *h, const char *what);
bool sim_has(struct h *h, const char *what);
void feed(struct h *h, u8 type, const void *data, size_t len);
void feed_pdu(struct h *h, const void *pdu, size_t len);
/* SESSION_OPEN with an extension block when @ext_version is set */
void open_session_ext(struct h *h, u32 uid, u32 gid, u8 ext_version,
		      u32 flags);
void open_session(struct h *h);
bool next_out(struct h *h, struct rdpprn_frame *f);
void expect_pdu(struct h *h, u16 packet_id, struct rdpprn_frame *f);
const u8 *find_vector(const char *name, unsigned int *len);
void feed_vector(struct h *h, const char *name);
void answers(struct h *h, char *buf, size_t len);
void add_printer(struct h *h, const char *spec);
void pump(struct h *h);
void sim_start_session(struct h *h);

#endif /* SESSION_HARNESS_H */
