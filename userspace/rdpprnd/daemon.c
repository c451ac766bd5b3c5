// SPDX-License-Identifier: GPL-2.0
/*
 * daemon.c - the event loop: the listening socket (peer.c says who may
 * connect), the connections, signals (SIGTERM/SIGINT: end every session and exit 0;
 * SIGHUP: reload the configuration) and the monitor group, which tells
 * when an administrator deleted a session in the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "daemon.h"

#define RDPPRND_EVENTS		32
#define RDPPRND_TICK_MS		1000

int rdpprnd_watch_set(struct rdpprnd_daemon *d, struct rdpprnd_watch *w,
		      u32 events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	int op;

	if (w->events == events || w->fd < 0)
		return 0;
	op = !w->events ? EPOLL_CTL_ADD : !events ? EPOLL_CTL_DEL :
	     EPOLL_CTL_MOD;
	if (epoll_ctl(d->ep, op, w->fd, &ev)) {
		rdpprn_err("epoll_ctl(fd %d): %s", w->fd, strerror(errno));
		return -errno;
	}
	w->events = events;
	return 0;
}

static void rdpprnd_accept(struct rdpprnd_daemon *d)
{
	struct rdpprnd_peer peer;
	int fd;

	for (;;) {
		fd = accept4(d->listen.fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				rdpprn_warn("accept: %s", strerror(errno));
			/* EMFILE and friends: the tick will retry */
			return;
		}
		if (!rdpprnd_peer_admit(d, fd, &peer)) {
			close(fd);
			continue;
		}
		rdpprnd_conn_new(d, fd, fd, &peer);
	}
}

/* The reload line's note when user_sessions changed: [new value] */
static const char *const rdpprnd_mode_note[] = {
	"; user_sessions = no, users are refused, but the socket keeps mode 0666 until rdpprnd restarts",
	"; user_sessions = yes, but the socket keeps mode 0600 until rdpprnd restarts",
};

static void rdpprnd_reload(struct rdpprnd_daemon *d)
{
	struct rdpprnd_config *cfg = rdpprn_xmalloc(sizeof(*cfg));
	struct rdpprn_config_err err;
	struct rdpprnd_conn *c;
	const char *note;
	bool missing;

	rdpprnd_config_init(cfg);
	if (rdpprnd_config_load(cfg, d->config_path, &missing, &err)) {
		rdpprn_err("%s:%u: %s; keeping the configuration in force",
			   d->config_path, err.line, err.msg);
		rdpprnd_config_free(cfg);
		free(cfg);
		return;
	}
	/* the socket's mode was set at start: it stays */
	note = "";
	if (d->listen.fd >= 0 && cfg->user_sessions != d->cfg->user_sessions)
		note = rdpprnd_mode_note[cfg->user_sessions];
	rdpprnd_config_free(d->cfg);
	free(d->cfg);
	d->cfg = cfg;
	d->ctx.cfg = cfg;
	for (c = d->conns; c; c = c->next)
		c->outq.limit = cfg->max_queue;
	rdpprn_notice("configuration reloaded%s; it applies to announces from now on%s",
		      missing ? " (no file: defaults)" : "", note);
	rdpprnd_config_log(cfg, d->config_path);
}

static void rdpprnd_signal(struct rdpprnd_daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig.fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			rdpprnd_reload(d);
			continue;
		}
		rdpprn_notice("%s: ending every session", strsignal((int)si.ssi_signo));
		d->stop = true;
		d->status = 0;
	}
}

static struct rdpprnd_conn *rdpprnd_find(struct rdpprnd_daemon *d, u32 sid,
					 u32 portid)
{
	struct rdpprnd_conn *c;

	for (c = d->conns; c; c = c->next)
		if (!c->closed && c->s.sid == sid && c->nl.portid == portid)
			return c;
	return NULL;
}

/* The kernel session is gone already: end ours without SESSION_DEL. */
static void rdpprnd_gone(struct rdpprnd_conn *c)
{
	u32 sid = c->s.sid;

	c->s.sid = 0;
	rdpprnd_session_end(&c->s, true,
			    "kernel session %u was deleted (rdpprnctl delete?)",
			    sid);
	rdpprnd_conn_close(c);
}

static void rdpprnd_monitor_event(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct rdpprnd_daemon *d = ctx;
	struct rdpprnd_conn *c;

	if (o->cmd != RDPPRN_CMD_SESSION_EVENT ||
	    !rdpprn_nl_has(o, RDPPRN_A_SESSION_STATE) ||
	    o->u[RDPPRN_A_SESSION_STATE] ||
	    !rdpprn_nl_has(o, RDPPRN_A_SESSION_ID) ||
	    !rdpprn_nl_has(o, RDPPRN_A_OWNER_PORTID))
		return;
	c = rdpprnd_find(d, (u32)o->u[RDPPRN_A_SESSION_ID],
			 (u32)o->u[RDPPRN_A_OWNER_PORTID]);
	if (c && !rdpprnd_session_ended(&c->s))
		rdpprnd_gone(c);
}

static void rdpprnd_live_cb(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct rdpprnd_conn *c;

	c = rdpprnd_find(ctx, (u32)o->u[RDPPRN_A_SESSION_ID],
			 (u32)o->u[RDPPRN_A_OWNER_PORTID]);
	if (c && o->u[RDPPRN_A_SESSION_STATE])
		c->alive = true;
}

/* Notifications were lost: ask the kernel which sessions still exist. */
static void rdpprnd_reconcile(struct rdpprnd_daemon *d)
{
	struct rdpprn_nl_res res;
	struct rdpprnd_conn *c;

	rdpprn_warn("monitor notifications were lost; checking every session");
	for (c = d->conns; c; c = c->next)
		c->alive = false;
	if (rdpprn_nl_dump(&d->mon, RDPPRN_CMD_SESSION_GET, 0,
			   rdpprnd_live_cb, d, &res)) {
		rdpprn_warn("SESSION_GET dump: %s", res.msg);
		return;
	}
	for (c = d->conns; c; c = c->next)
		if (!c->closed && c->s.sid && !c->alive &&
		    !rdpprnd_session_ended(&c->s))
			rdpprnd_gone(c);
}

static void rdpprnd_monitor(struct rdpprnd_daemon *d)
{
	u64 overruns = d->mon.overruns;

	if (rdpprn_nl_recv(&d->mon)) {
		rdpprn_warn("monitor socket failed; sessions deleted in the kernel are noticed on their next PDU");
		rdpprnd_watch_set(d, &d->mon_w, 0);
		rdpprn_nl_close(&d->mon);
		d->mon_w.fd = -1;	/* the next connection tries again */
		return;
	}
	if (d->mon.overruns != overruns)
		rdpprnd_reconcile(d);
}

static void rdpprnd_monitor_open(struct rdpprnd_daemon *d)
{
	struct rdpprn_nl_res res;

	d->mon_w.kind = RDPPRND_W_MONITOR;
	d->mon_w.fd = -1;
	if (rdpprn_nl_open(&d->mon, rdpprnd_monitor_event, d, &res) ||
	    rdpprn_nl_monitor(&d->mon, &res)) {
		rdpprn_warn("no monitor socket (%s); sessions deleted in the kernel are noticed on their next PDU",
			    res.msg);
		rdpprn_nl_close(&d->mon);
		return;
	}
	d->mon_w.fd = rdpprn_nl_fd(&d->mon);
	rdpprnd_watch_set(d, &d->mon_w, EPOLLIN);
	rdpprn_dbg("monitor socket open");
}

static int rdpprnd_setup_signals(struct rdpprnd_daemon *d)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sig.kind = RDPPRND_W_SIGNAL;
	d->sig.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig.fd < 0)
		return -errno;
	return rdpprnd_watch_set(d, &d->sig, EPOLLIN);
}

static void rdpprnd_dispatch(struct rdpprnd_daemon *d, struct rdpprnd_watch *w,
			     u32 events)
{
	switch (w->kind) {
	case RDPPRND_W_LISTEN:
		/*
		 * rdpprnd may have started before the module existed (the
		 * packages configure rdpprn-tools and rdpprn-dkms in either
		 * order) or outlived an unload: a new session is the moment
		 * to try the monitor group again.
		 */
		if (rdpprnd_backend.monitor && d->mon_w.fd < 0)
			rdpprnd_monitor_open(d);
		rdpprnd_accept(d);
		break;
	case RDPPRND_W_SIGNAL:
		rdpprnd_signal(d);
		break;
	case RDPPRND_W_MONITOR:
		rdpprnd_monitor(d);
		break;
	default:
		rdpprnd_conn_event(w->obj, w, events);
	}
}

/* Free closed connections; tick the others. */
static void rdpprnd_reap(struct rdpprnd_daemon *d, bool tick)
{
	struct rdpprnd_conn **pp = &d->conns, *c;
	u64 now = rdpprn_now_ms();

	while ((c = *pp)) {
		if (tick)
			rdpprnd_conn_tick(c, now);
		if (!c->closed) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		rdpprnd_conn_free(c);
	}
	if (d->stdio && !d->conns)
		d->stop = true;
}

int rdpprnd_setup(struct rdpprnd_daemon *d, const char *listen_path)
{
	int ret;

	d->ep = epoll_create1(EPOLL_CLOEXEC);
	if (d->ep < 0)
		return -errno;
	ret = rdpprnd_setup_signals(d);
	if (ret)
		return ret;
	d->listen.kind = RDPPRND_W_LISTEN;
	d->listen.fd = -1;
	if (!listen_path)
		return 0;
	d->listen.fd = rdpprn_unix_listen(listen_path,
					  rdpprnd_peer_socket_mode(d->cfg));
	if (d->listen.fd < 0) {
		ret = d->listen.fd;
		d->listen.fd = -1;
		return ret;
	}
	return rdpprnd_watch_set(d, &d->listen, EPOLLIN);
}

int rdpprnd_run(struct rdpprnd_daemon *d)
{
	struct epoll_event ev[RDPPRND_EVENTS];
	struct rdpprnd_conn *c;
	int i, n;

	d->mon_w.fd = -1;
	if (rdpprnd_backend.monitor)
		rdpprnd_monitor_open(d);
	if (d->stdio)
		rdpprnd_conn_new(d, STDIN_FILENO, STDOUT_FILENO, NULL);
	while (!d->stop) {
		n = epoll_wait(d->ep, ev, RDPPRND_EVENTS, RDPPRND_TICK_MS);
		if (n < 0 && errno != EINTR) {
			rdpprn_err("epoll_wait: %s", strerror(errno));
			d->status = 1;
			break;
		}
		for (i = 0; i < n; i++)
			rdpprnd_dispatch(d, ev[i].data.ptr, ev[i].events);
		rdpprnd_reap(d, true);
		/* a full descriptor table stops accept(); try again */
		if (d->listen.fd >= 0 && !n)
			rdpprnd_accept(d);
	}
	for (c = d->conns; c; c = c->next)
		rdpprnd_conn_close(c);
	rdpprnd_reap(d, false);
	if (d->mon.sk)
		rdpprn_nl_close(&d->mon);
	return d->status;
}
