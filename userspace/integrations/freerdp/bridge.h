/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bridge.h - rdpprn-bridge, a small RDP server on libfreerdp-server3 that
 * hands the rdpdr channel of each connection to rdpprnd
 * (Documentation/freerdp-bridge.rst).
 *
 * main.c parses the options and runs the listener, peer.c drives one
 * FreeRDP peer per thread, relay.c is the rdpprnd side of a connection:
 * it knows frames, not FreeRDP, so this header names no FreeRDP type.
 */
#ifndef RDPPRN_BRIDGE_H
#define RDPPRN_BRIDGE_H

#include <stdbool.h>
#include <sys/types.h>

#include "rdpprn_stream.h"

/**
 * struct bridge_opts - the command line
 * @addr: address to listen on
 * @port: TCP port (0: any free one, logged)
 * @cert: server certificate, PEM
 * @key: its private key, PEM
 * @rdpprnd: Unix socket of rdpprnd --listen (or a chardev leading to it)
 * @exec: command that runs rdpprnd --stdio, one per connection
 * @uid: owner of the session's device nodes, sent in SESSION_OPEN
 * @gid: their group
 * @trace: directory for a hex file of every relayed PDU, or NULL
 * @once: serve one connection, then exit
 * @max_conns: most connections served at the same time
 */
struct bridge_opts {
	const char *addr;
	unsigned int port;
	const char *cert;
	const char *key;
	const char *rdpprnd;
	const char *exec;
	u32 uid;
	u32 gid;
	const char *trace;
	bool once;
	unsigned int max_conns;
};

extern struct bridge_opts bridge_opts;

/* The PDU rdpprnd sent for the client; false if it could not be queued. */
typedef bool (*bridge_deliver_fn)(void *ctx, const u8 *pdu, size_t len);

enum bridge_relay_state {
	BRIDGE_RELAY_IDLE,	/* not started */
	BRIDGE_RELAY_OPEN,	/* frames flow */
	BRIDGE_RELAY_DONE,	/* ended; client PDUs are dropped */
};

/**
 * struct bridge_relay - the rdpprnd side of one connection
 * @conn: connection number, for the logs
 * @state: &enum bridge_relay_state
 * @fd: stream to rdpprnd (non-blocking), -1 when none
 * @child: rdpprnd run by --exec, or 0
 * @rx: frames from rdpprnd
 * @outq: frames for rdpprnd
 * @sid: kernel session id from SESSION_INFO, valid if @have_sid
 * @have_sid: SESSION_INFO came
 * @pdus_in: PDUs from the client forwarded to rdpprnd
 * @pdus_out: PDUs from rdpprnd delivered to the client
 * @dropped: client PDUs not forwarded (no relay, too large, empty)
 * @deliver: hands a PDU to the client's channel
 * @ctx: its argument
 */
struct bridge_relay {
	unsigned int conn;
	enum bridge_relay_state state;
	int fd;
	pid_t child;
	struct rdpprn_rx rx;
	struct rdpprn_outq outq;
	u32 sid;
	bool have_sid;
	u64 pdus_in;
	u64 pdus_out;
	u64 dropped;
	bridge_deliver_fn deliver;
	void *ctx;
};

void bridge_relay_init(struct bridge_relay *r, unsigned int conn,
		       bridge_deliver_fn deliver, void *ctx);
int bridge_relay_start(struct bridge_relay *r, const char *client_name,
		       const char *client_addr);
void bridge_relay_from_client(struct bridge_relay *r, const u8 *pdu,
			      size_t len);
void bridge_relay_event(struct bridge_relay *r);
void bridge_relay_stop(struct bridge_relay *r, const char *reason);

static inline bool bridge_relay_want_write(const struct bridge_relay *r)
{
	return r->state == BRIDGE_RELAY_OPEN && !rdpprn_outq_empty(&r->outq);
}

/*
 * Serve one accepted FreeRDP peer (a freerdp_peer *) on a thread of its
 * own; false if the thread could not be started.
 */
bool bridge_peer_spawn(void *peer, unsigned int conn);
/* Connections being served. */
unsigned int bridge_peers_active(void);
/* Wait up to @ms for every peer thread to end; true if they did. */
bool bridge_peers_wait(unsigned int ms);
/* Ask every peer thread to end (SIGTERM). */
void bridge_peers_stop(void);
int bridge_peers_init(void);

#endif /* RDPPRN_BRIDGE_H */
