/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daemon.h - rdpprnd's process level: the event loop, connections and
 * their netlink sockets (the session logic is in rdpprnd.h).
 */
#ifndef RDPPRND_DAEMON_H
#define RDPPRND_DAEMON_H

#include <sys/types.h>

#include "rdpprn_stream.h"
#include "rdpprnd.h"

struct rdpprnd_daemon;

enum rdpprnd_watch_kind {
	RDPPRND_W_LISTEN,
	RDPPRND_W_SIGNAL,
	RDPPRND_W_MONITOR,
	RDPPRND_W_CONN_IN,
	RDPPRND_W_CONN_OUT,
	RDPPRND_W_CONN_NL,
};

/**
 * struct rdpprnd_watch - what an epoll event stands for
 * @kind: &enum rdpprnd_watch_kind
 * @fd: the descriptor
 * @events: the epoll events it is registered for (0: not registered)
 * @obj: the connection, for the CONN kinds
 */
struct rdpprnd_watch {
	enum rdpprnd_watch_kind kind;
	int fd;
	u32 events;
	void *obj;
};

/**
 * struct rdpprnd_conn - one connection of an RDP server process
 * @d: the daemon
 * @next: list link
 * @in: receiving descriptor
 * @out: sending descriptor (the same socket as @in, or stdout)
 * @nl_w: the session's netlink socket
 * @rx: frames received
 * @outq: frames to send
 * @nl: the session's netlink socket; it owns the kernel session
 * @k: the kernel channel (&struct rdpprnd_backend), &@nl for netlink
 * @s: the session
 * @stalled_ms: since when output waits without the peer taking any
 *	(0: it does not)
 * @stalled_at: bytes written when the stall began
 * @attached: the kernel channel is open
 * @closed: the descriptors are closed; free at the end of the loop pass
 * @alive: the kernel listed the session (monitor resynchronisation)
 */
struct rdpprnd_conn {
	struct rdpprnd_daemon *d;
	struct rdpprnd_conn *next;
	struct rdpprnd_watch in;
	struct rdpprnd_watch out;
	struct rdpprnd_watch nl_w;
	struct rdpprn_rx rx;
	struct rdpprn_outq outq;
	struct rdpprn_nl nl;
	void *k;
	struct rdpprnd_session s;
	u64 stalled_ms;
	u64 stalled_at;
	bool attached;
	bool closed;
	bool alive;
};

/**
 * struct rdpprnd_daemon - the process
 * @ep: epoll descriptor
 * @listen: the listening socket (--listen)
 * @sig: signalfd of SIGTERM, SIGINT, SIGHUP
 * @mon: monitor-group socket: sessions deleted behind the daemon's back
 * @mon_w: its watch
 * @ctx: state shared by the sessions
 * @cfg: configuration in force
 * @config_path: where it comes from
 * @conns: connections
 * @stdio: one session on stdin/stdout, then exit
 * @stop: leave the loop
 * @status: exit status
 */
struct rdpprnd_daemon {
	int ep;
	struct rdpprnd_watch listen;
	struct rdpprnd_watch sig;
	struct rdpprn_nl mon;
	struct rdpprnd_watch mon_w;
	struct rdpprnd_ctx ctx;
	struct rdpprnd_config *cfg;
	const char *config_path;
	struct rdpprnd_conn *conns;
	bool stdio;
	bool stop;
	int status;
};

/* daemon.c */
int rdpprnd_watch_set(struct rdpprnd_daemon *d, struct rdpprnd_watch *w,
		      u32 events);
/* The event loop's descriptors, and the listening socket if @listen_path */
int rdpprnd_setup(struct rdpprnd_daemon *d, const char *listen_path);
/* Run until a signal (or, with --stdio, the session) ends it. */
int rdpprnd_run(struct rdpprnd_daemon *d);

/* conn.c */
/* @peer: the RDP server side's credentials, NULL for --stdio's parent */
struct rdpprnd_conn *rdpprnd_conn_new(struct rdpprnd_daemon *d, int in,
				      int out, const struct rdpprnd_peer *peer);
void rdpprnd_conn_event(struct rdpprnd_conn *c, struct rdpprnd_watch *w,
			u32 events);
/* End the session (if live) and close the descriptors. */
void rdpprnd_conn_close(struct rdpprnd_conn *c);
/* Output stalled for longer than send_timeout: end the session. */
void rdpprnd_conn_tick(struct rdpprnd_conn *c, u64 now);
void rdpprnd_conn_free(struct rdpprnd_conn *c);

/* peer.c */
/* The listening socket's mode: 0666 with user_sessions, else 0600 */
mode_t rdpprnd_peer_socket_mode(const struct rdpprnd_config *cfg);
/*
 * May the peer on @fd, just accepted, hand over sessions? Fills @p; false
 * (logged, a CLOSE frame sent when possible) if it is refused.
 */
bool rdpprnd_peer_admit(struct rdpprnd_daemon *d, int fd,
			struct rdpprnd_peer *p);

/**
 * struct rdpprnd_backend - the kernel side of the connections
 * @kops: the session's kernel operations; their argument is the
 *	connection's @k
 * @attach: give a new connection its kernel channel: set @c->k and the
 *	descriptor of @c->nl_w; 0 or a negative errno with @res filled in
 * @recv: @c->nl_w is readable: deliver what the kernel sent; 0 or -errno
 * @detach: close the channel (for the netlink one this ends the kernel
 *	session too)
 * @monitor: the daemon may watch the "monitor" group
 *
 * kernel.c is the real one, on a netlink socket per session; the unit
 * tests link a fake in its place and run the very same event loop.
 */
struct rdpprnd_backend {
	const struct rdpprnd_kops *kops;
	int (*attach)(struct rdpprnd_conn *c, struct rdpprn_nl_res *res);
	int (*recv)(struct rdpprnd_conn *c);
	void (*detach)(struct rdpprnd_conn *c);
	bool monitor;
};

/* kernel.c, or a test's fake */
extern const struct rdpprnd_backend rdpprnd_backend;

#endif /* RDPPRND_DAEMON_H */
