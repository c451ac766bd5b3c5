// SPDX-License-Identifier: GPL-2.0
/*
 * queued.c - rdpprn-queued: keeps one CUPS queue per redirected printer
 * (Documentation/rdpprn-queued.rst).
 *
 * Level-triggered: whatever woke the agent, a pass compares all printers
 * with all queues (reconcile.c). Passes run at start, shortly after any
 * notification of the rdpprn "monitor" group (printers and sessions come
 * and go; a lost notification is one more reason for a pass), shortly
 * after a user with a queue changes ~/.cups (options that follow the
 * user, watch.c), on SIGHUP
 * after the configuration is read again, every 30 s in case anything
 * else was missed, and 2 s after a pass that failed (cupsd not there).
 *
 * It is a program of its own, not part of rdpprnd: CUPS is optional on
 * an RDP host, rdpprnd must neither link libcups nor wait for cupsd while
 * a session is set up, and one agent serves every session.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_nl.h"
#include "rdpprn_queued.h"

/* A burst of notifications (a client with many printers) is one pass. */
#define RDPPRN_QD_DEBOUNCE_MS	100
#define RDPPRN_QD_PERIOD_MS	30000
#define RDPPRN_QD_RETRY_MS	2000

struct rdpprn_queued {
	const char *conf_path;
	struct rdpprn_qconf conf;
	struct rdpprn_qstate st;
	struct rdpprn_nl *nl;
	bool nl_missing_said;
	bool event;
	u64 nl_retry;
};

static void rdpprn_qd_event(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct rdpprn_queued *q = ctx;

	if (o->cmd == RDPPRN_CMD_DEVICE_NEW || o->cmd == RDPPRN_CMD_DEVICE_DEL ||
	    o->cmd == RDPPRN_CMD_SESSION_EVENT)
		q->event = true;
}

/*
 * (Re)subscribes to the monitor group. A new socket replaces the old one
 * only once it is subscribed, so that no notification falls in between;
 * a module unloaded and loaded again has a new family id, which the
 * periodic call picks up.
 */
static void rdpprn_qd_netlink_close(struct rdpprn_queued *q)
{
	if (!q->nl)
		return;
	rdpprn_nl_close(q->nl);
	free(q->nl);
	q->nl = NULL;
}

static void rdpprn_qd_netlink(struct rdpprn_queued *q)
{
	struct rdpprn_nl *nl = calloc(1, sizeof(*nl));
	struct rdpprn_nl_res res = { .msg = "out of memory" };

	/* libnl's callbacks keep @nl's address: it is never copied */
	if (!nl || rdpprn_nl_open(nl, rdpprn_qd_event, q, &res) ||
	    rdpprn_nl_monitor(nl, &res)) {
		if (nl && nl->sk)
			rdpprn_nl_close(nl);
		free(nl);
		if (q->nl || !q->nl_missing_said)
			rdpprn_warn("no rdpprn notifications (%s): trying every %d s",
				    res.msg, RDPPRN_QD_RETRY_MS / 1000);
		q->nl_missing_said = true;
		rdpprn_qd_netlink_close(q);
		q->nl_retry = rdpprn_now_ms() + RDPPRN_QD_RETRY_MS;
		return;
	}
	if (!q->nl)
		rdpprn_info("watching the rdpprn monitor group");
	rdpprn_qd_netlink_close(q);
	q->nl = nl;
	q->nl_missing_said = false;
}

static void rdpprn_qd_config_err(const char *path,
				 const struct rdpprn_config_err *err)
{
	if (err->line)
		rdpprn_err("%s:%u: %s", path, err->line, err->msg);
	else
		rdpprn_err("%s: %s", path, err->msg);
}

/* Reads the configuration into @c (initialized here); 0 or -errno. */
static int rdpprn_qd_load(const char *path, struct rdpprn_qconf *c)
{
	struct rdpprn_config_err err;
	bool missing;
	int ret;

	rdpprn_qconf_init(c);
	ret = rdpprn_qconf_load(c, path, &missing, &err);
	if (ret) {
		rdpprn_qd_config_err(path, &err);
		rdpprn_qconf_free(c);
		return ret;
	}
	rdpprn_info("configuration %s%s: queue_name=%s driver lines=%zu universal=%s default_printer=%s rules=%zu",
		    path, missing ? " (none: defaults)" : "",
		    c->queue_name, c->n_drivers,
		    c->universal.ppd ?: "none",
		    c->default_printer ? "yes" : "no", c->n_rules);
	return 0;
}

static void rdpprn_qd_reload(struct rdpprn_queued *q)
{
	struct rdpprn_qconf c;

	if (rdpprn_qd_load(q->conf_path, &c)) {
		rdpprn_warn("SIGHUP: keeping the configuration in use");
		return;
	}
	rdpprn_qconf_free(&q->conf);
	q->conf = c;
	/* the next pass applies the new policy to the existing queues */
	q->st.reloaded = true;
	q->st.policy_state = 0;
}

/* Reads the signals; false for SIGTERM and SIGINT. */
static bool rdpprn_qd_signals(struct rdpprn_queued *q, int sfd, bool *hup)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			*hup = true;
			continue;
		}
		rdpprn_info("signal %u: exiting, queues stay", si.ssi_signo);
		return false;
	}
	return true;
}

static u64 rdpprn_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

static int rdpprn_qd_loop(struct rdpprn_queued *q, int sfd)
{
	u64 now, due = 0, wake, overruns = 0;
	bool loud = true, hup, periodic = false;
	struct pollfd pfd[3];
	int ret, timeout;

	rdpprn_qd_netlink(q);
	for (;;) {
		now = rdpprn_now_ms();
		if (!q->nl && now >= q->nl_retry) {
			rdpprn_qd_netlink(q);
			/* subscribed: a pass catches up on what was missed */
			if (q->nl)
				due = now;
		}
		if (now >= due) {
			if (periodic && q->nl)
				rdpprn_qd_netlink(q);
			ret = rdpprn_reconcile(&q->conf, &q->st, loud);
			loud = false;
			due = rdpprn_now_ms() + (ret ? RDPPRN_QD_RETRY_MS :
						 RDPPRN_QD_PERIOD_MS);
			periodic = !ret;
			continue;
		}
		wake = q->nl ? due : rdpprn_min(due, q->nl_retry);
		timeout = wake > now ? (int)(wake - now) : 0;
		pfd[0].fd = sfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = q->nl ? rdpprn_nl_fd(q->nl) : -1;
		pfd[1].events = POLLIN;
		pfd[2].fd = q->st.watching ? q->st.watch_fd : -1;
		pfd[2].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].revents = 0;
		pfd[2].revents = 0;
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
			rdpprn_err("poll: %s", strerror(errno));
			return 1;
		}
		hup = false;
		if (pfd[0].revents && !rdpprn_qd_signals(q, sfd, &hup))
			return 0;
		if (hup) {
			rdpprn_qd_reload(q);
			due = 0;
			loud = true;
			periodic = false;
		}
		if (q->nl && pfd[1].revents) {
			overruns = q->nl->overruns;
			ret = rdpprn_nl_recv(q->nl);
			/* lost notifications: a pass sees what they said */
			if (q->nl->overruns != overruns)
				q->event = true;
			if (ret) {
				rdpprn_warn("rdpprn notifications: %s",
					    rdpprn_errname(ret));
				rdpprn_qd_netlink_close(q);
				q->nl_retry = 0;
			}
		}
		/* a user's options: a pass, but a quiet one */
		if (pfd[2].revents && rdpprn_watch_drain(&q->st)) {
			now = rdpprn_now_ms();
			due = rdpprn_min(due, now + RDPPRN_QD_DEBOUNCE_MS);
		}
		if (q->event) {
			q->event = false;
			now = rdpprn_now_ms();
			due = rdpprn_min(due, now + RDPPRN_QD_DEBOUNCE_MS);
			loud = true;
			periodic = false;
		}
	}
}

static const struct option rdpprn_qd_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "once", no_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void rdpprn_qd_usage(FILE *f)
{
	fprintf(f, "usage: rdpprn-queued [-c CONFIG] [--once] [-v]\n"
		"  -c, --config FILE  configuration (default %s)\n"
		"      --once         one pass, then exit (0: every change made)\n"
		"  -v, --verbose      log every pass\n", RDPPRN_Q_CONF);
}

int main(int argc, char **argv)
{
	struct rdpprn_queued q = { .conf_path = RDPPRN_Q_CONF };
	bool once = false, verbose = false;
	sigset_t mask;
	int c, sfd, ret;

	while ((c = getopt_long(argc, argv, "c:vh", rdpprn_qd_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			q.conf_path = optarg;
			break;
		case 'o':
			once = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			rdpprn_qd_usage(stdout);
			return 0;
		default:
			rdpprn_qd_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		rdpprn_qd_usage(stderr);
		return 2;
	}
	rdpprn_log_init("rdpprn-queued", RDPPRN_LOG_STDERR,
			verbose ? LOG_DEBUG : LOG_INFO);
	if (rdpprn_qd_load(q.conf_path, &q.conf))
		return 1;
	/* cupsd closing a connection must not kill the agent */
	signal(SIGPIPE, SIG_IGN);
	if (once) {
		ret = rdpprn_reconcile(&q.conf, &q.st, true);
		rdpprn_qstate_free(&q.st);
		rdpprn_qconf_free(&q.conf);
		return ret ? 1 : 0;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		rdpprn_err("signalfd: %s", strerror(errno));
		return 1;
	}
	ret = rdpprn_qd_loop(&q, sfd);
	close(sfd);
	rdpprn_qd_netlink_close(&q);
	rdpprn_qstate_free(&q.st);
	rdpprn_qconf_free(&q.conf);
	return ret;
}
