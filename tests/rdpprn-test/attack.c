// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: the hostile side of issue 7 - signals during close(), jobs
 * whose file is released with no close() to commit it, opens cut short by
 * signals, stale nodes, and an unprivileged local user as the attacker.
 *
 *   signal-writer       write and close a job under SIGALRM/SIGCHLD
 *   fd-in-flight        release a job's file while it is in flight over
 *                       a Unix socket (no ->flush commits it)
 *   dup-close           close two dup'ed descriptors of a job at once
 *   open-storm          opens interrupted by SIGALRM (orphaned creates)
 *   session-info        what SESSION_GET says of one session
 *   path-reopen         reopen a node through an O_PATH descriptor later
 *   check-monitor-perm  the monitor group refuses unprivileged members
 *   attack              an unprivileged user against its own printers and
 *                       a victim's
 *
 * The job-side commands need no privileges and print one RESULT-like line
 * for the suites (tests/integration/suites/86-88); check-monitor-perm and
 * attack print "ok - NAME" / "not ok - NAME: WHY" lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "rdpprn_test.h"
#include "check.h"

#define ATK_NOBODY		65534
#define ATK_MAX_CHILDREN	32
#define ATK_MAX_HELD		64
#define ATK_WRITE_BUF		(64 * 1024)

static const char *atk_err(int err)
{
	return rdpprn_errname(err);
}

/* "-" for a call that was not reached */
static const char *atk_call(int err, bool reached)
{
	return reached ? atk_err(err) : "-";
}

static u64 atk_num(const char *cmd, const char *opt, const char *arg)
{
	u64 v;

	if (rdpprn_parse_u64(arg, &v))
		rpt_die("%s: %s wants a number, got '%s'", cmd, opt, arg);
	return v;
}

/* ---- signals ----------------------------------------------------------- */

/* Lock-free atomics are safe in a signal handler (C11 7.14.1.1) */
static atomic_int atk_signals;
static atomic_int atk_close_signals;
static atomic_bool atk_in_close;

static void atk_count_signal(int sig)
{
	atomic_fetch_add(&atk_signals, 1);
	if (atomic_load(&atk_in_close))
		atomic_fetch_add(&atk_close_signals, 1);
}

/*
 * Handled without SA_RESTART, as a program with a timer or a child
 * reaper would: the signal interrupts whatever blocking call it lands
 * in, which is what the kernel must cope with.
 */
static void atk_catch(int sig)
{
	struct sigaction sa = { .sa_handler = atk_count_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		rpt_die("sigaction: %s", strerror(errno));
}

/* SIGALRM after @us microseconds, every @us if @repeat; 0 stops it */
static void atk_alarm(unsigned int us, bool repeat)
{
	struct itimerval it = {};

	it.it_value.tv_sec = us / 1000000;
	it.it_value.tv_usec = us % 1000000;
	if (repeat)
		it.it_interval = it.it_value;
	if (setitimer(ITIMER_REAL, &it, NULL))
		rpt_die("setitimer: %s", strerror(errno));
}

/*
 * @n children that exit @step_ms, 2 * @step_ms, ... after the returned
 * descriptor is closed (SIGCHLD each). They are forked before the job is
 * opened: a child holding the job's file would make the parent's close()
 * not the last one. Forking is slow under emulation, so it is done ahead
 * and the children only wait for the go.
 */
static int atk_spawn_exiting(unsigned int n, unsigned int step_ms)
{
	unsigned int i;
	int go[2];

	if (pipe2(go, O_CLOEXEC))
		rpt_die("pipe: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		char c;

		if (pid < 0)
			rpt_die("fork: %s", strerror(errno));
		if (!pid) {
			close(go[1]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			rpt_sleep_ms(step_ms * (i + 1));
			_exit(0);
		}
	}
	close(go[0]);
	return go[1];
}

static void atk_reap(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/* The whole of @path in memory: the job is written from there */
static u8 *atk_load(const char *path, size_t *len)
{
	u8 *buf;
	int rc = rdpprn_read_file(path, RPT_FILE_MAX, &buf, len);

	if (rc)
		rpt_die("%s: %s", path, atk_err(rc));
	return buf;
}

/* ---- signal-writer ------------------------------------------------------ */

static const struct option sw_longopts[] = {
	{ "alarm-us", required_argument, NULL, 'a' },
	{ "children", required_argument, NULL, 'c' },
	{ "child-step-ms", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

/*
 * signal-writer [--alarm-us N] [--children N [--child-step-ms N]] DEV FILE
 *
 * Writes FILE to DEV and closes it while SIGALRM fires every N us and/or
 * children exit (SIGCHLD) during the close. close() cannot be retried, so
 * it must neither fail with EINTR nor cut the job short.
 */
int rpt_cmd_signal_writer(int argc, char **argv)
{
	unsigned int alarm_us = 0, children = 0, step_ms = 10, eagain = 0;
	int c, fd, go, open_err = 0, write_err = 0, close_err = 0;
	u64 t_close = 0;
	size_t len;
	u8 *buf;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", sw_longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			alarm_us = atk_num("signal-writer", "--alarm-us", optarg);
			break;
		case 'c':
			children = atk_num("signal-writer", "--children", optarg);
			if (children > ATK_MAX_CHILDREN)
				rpt_die("signal-writer: at most %d children",
					ATK_MAX_CHILDREN);
			break;
		case 's':
			step_ms = atk_num("signal-writer", "--child-step-ms",
					  optarg);
			break;
		default:
			rpt_die("signal-writer: see --help");
		}
	}
	if (argc - optind != 2)
		rpt_die("signal-writer: usage: signal-writer [options] DEV FILE");
	buf = atk_load(argv[optind + 1], &len);
	atk_catch(SIGALRM);
	atk_catch(SIGCHLD);
	go = atk_spawn_exiting(children, step_ms);
	/* the timer starts after open(): an interrupted open is not the case */
	fd = open(argv[optind], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		open_err = errno;
		goto report;
	}
	if (alarm_us)
		atk_alarm(alarm_us, true);
	write_err = -rpt_write_all(fd, buf, len, &eagain);
	close(go);
	go = -1;
	atomic_store(&atk_in_close, true);
	t_close = rdpprn_now_ms();
	if (close(fd))
		close_err = errno;
	t_close = rdpprn_now_ms() - t_close;
	atomic_store(&atk_in_close, false);
	atk_alarm(0, false);
report:
	if (go >= 0)
		close(go);
	atk_reap();
	printf("RESULT open=%s write=%s close=%s bytes=%zu",
	       atk_err(open_err), atk_call(write_err, !open_err),
	       atk_call(close_err, !open_err), write_err ? 0 : len);
	printf(" signals=%d close_signals=%d close_ms=%llu\n",
	       atomic_load(&atk_signals), atomic_load(&atk_close_signals),
	       (unsigned long long)t_close);
	free(buf);
	return open_err || write_err || close_err;
}

/* ---- fd-in-flight ------------------------------------------------------- */

/* Sends @fd over @sock as SCM_RIGHTS (one byte of payload); 0 or errno */
static int atk_send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : errno;
}

/*
 * fd-in-flight DEV FILE
 *
 * Writes FILE, puts the descriptor in flight over a socketpair (sent, never
 * received) and closes it: that close() is not the last reference, so it
 * only drains. Closing the sockets then drops the in-flight reference: the
 * file is released without a ->flush that could commit the job, and the
 * kernel must finish it on its own (every byte, then IRP_MJ_CLOSE).
 */
int rpt_cmd_fd_in_flight(int argc, char **argv)
{
	int fd, sv[2], open_err = 0, write_err = 0, send_err = 0, close_err = 0;
	u64 t_close = 0, t_release = 0;
	unsigned int eagain = 0;
	size_t len;
	u8 *buf;

	if (argc != 3)
		rpt_die("fd-in-flight: usage: fd-in-flight DEV FILE");
	buf = atk_load(argv[2], &len);
	fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		open_err = errno;
		goto report;
	}
	write_err = -rpt_write_all(fd, buf, len, &eagain);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		rpt_die("socketpair: %s", strerror(errno));
	send_err = atk_send_fd(sv[0], fd);
	t_close = rdpprn_now_ms();
	if (close(fd))
		close_err = errno;
	t_close = rdpprn_now_ms() - t_close;
	t_release = rdpprn_now_ms();
	close(sv[1]);
	close(sv[0]);
	t_release = rdpprn_now_ms() - t_release;
report:
	printf("RESULT open=%s write=%s send=%s close=%s bytes=%zu close_ms=%llu release_ms=%llu\n",
	       atk_err(open_err), atk_call(write_err, !open_err),
	       atk_call(send_err, !open_err), atk_call(close_err, !open_err),
	       write_err ? 0 : len, (unsigned long long)t_close,
	       (unsigned long long)t_release);
	free(buf);
	return open_err || write_err || send_err || close_err;
}

/* ---- dup-close ---------------------------------------------------------- */

struct atk_closer {
	pthread_barrier_t *go;
	int fd;
	int err;
};

static void *atk_closer_main(void *arg)
{
	struct atk_closer *c = arg;

	pthread_barrier_wait(c->go);
	c->err = close(c->fd) ? errno : 0;
	return NULL;
}

/*
 * Both threads are in ->flush at once, so each may see the other's
 * reference and neither commits the job: release must do it then.
 */
static void atk_close_pair(int fd1, int fd2, int *err1, int *err2)
{
	struct atk_closer c[2] = { { .fd = fd1 }, { .fd = fd2 } };
	pthread_barrier_t go;
	pthread_t th[2];
	int i;

	pthread_barrier_init(&go, NULL, 2);
	for (i = 0; i < 2; i++) {
		c[i].go = &go;
		if (pthread_create(&th[i], NULL, atk_closer_main, &c[i]))
			rpt_die("pthread_create failed");
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	*err1 = c[0].err;
	*err2 = c[1].err;
}

static const struct option dc_longopts[] = {
	{ "rounds", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

/*
 * dup-close [--rounds N] DEV FILE
 *
 * N jobs: write FILE, dup() the descriptor, close both from two threads
 * at the same moment. Every other job is fsync()ed first: with nothing
 * left to drain both flushes reach their file_count() test together,
 * which is when neither commits; with data in flight the one woken last
 * usually does. Prints a ROUND line per job and a RESULT line.
 */
int rpt_cmd_dup_close(int argc, char **argv)
{
	unsigned int rounds = 1, r, bad = 0, eagain = 0;
	size_t len;
	int c;
	u8 *buf;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", dc_longopts, NULL)) != -1) {
		if (c != 'r')
			rpt_die("dup-close: see --help");
		rounds = atk_num("dup-close", "--rounds", optarg);
	}
	if (argc - optind != 2)
		rpt_die("dup-close: usage: dup-close [--rounds N] DEV FILE");
	buf = atk_load(argv[optind + 1], &len);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (r = 0; r < rounds; r++) {
		int fd, fd2, werr, serr = 0, e1 = 0, e2 = 0;

		fd = open(argv[optind], O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			printf("ROUND %u open=%s\n", r, atk_err(errno));
			bad++;
			continue;
		}
		werr = -rpt_write_all(fd, buf, len, &eagain);
		if (r & 1 && fsync(fd))
			serr = errno;
		fd2 = dup(fd);
		if (fd2 < 0)
			rpt_die("dup: %s", strerror(errno));
		atk_close_pair(fd, fd2, &e1, &e2);
		printf("ROUND %u open=OK write=%s fsync=%s close1=%s close2=%s\n",
		       r, atk_err(werr), atk_call(serr, r & 1), atk_err(e1),
		       atk_err(e2));
		if (werr || serr || e1 || e2)
			bad++;
	}
	printf("RESULT rounds=%u bad=%u bytes=%zu\n", rounds, bad, len);
	free(buf);
	return bad ? 1 : 0;
}

/* ---- open-storm ----------------------------------------------------------- */

/**
 * struct atk_tally - outcomes of a run of open() calls
 * @tries: calls made
 * @ok: opened (and closed again)
 * @eintr: interrupted by the signal
 * @ebusy: refused with EBUSY
 * @eagain: refused with EAGAIN (O_NONBLOCK, the printer is busy)
 * @other: any other error, the last one in @last_other
 * @eintr_before_ebusy: interrupted opens before the first EBUSY
 * @last_other: errno
 */
struct atk_tally {
	unsigned int tries;
	unsigned int ok;
	unsigned int eintr;
	unsigned int ebusy;
	unsigned int eagain;
	unsigned int other;
	unsigned int eintr_before_ebusy;
	int last_other;
};

static void atk_tally_add(struct atk_tally *t, int err)
{
	t->tries++;
	if (!err) {
		t->ok++;
	} else if (err == EINTR) {
		t->eintr++;
		if (!t->ebusy)
			t->eintr_before_ebusy++;
	} else if (err == EBUSY) {
		t->ebusy++;
	} else if (err == EAGAIN) {
		t->eagain++;
	} else {
		t->other++;
		t->last_other = err;
	}
}

static const struct option os_longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "alarm-us", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

/*
 * open-storm [--count N] [--alarm-us N] DEV
 *
 * N opens of DEV, each cut short by a one-shot SIGALRM after N us (the
 * client never answers the create). Every interrupted open leaves a
 * create request behind whose answer the session must still recognise:
 * an orphan. Their number is bounded (max_orphans, then EBUSY).
 */
int rpt_cmd_open_storm(int argc, char **argv)
{
	unsigned int count = 100, alarm_us = 10000, i;
	struct atk_tally t = {};
	u64 t0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", os_longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			count = atk_num("open-storm", "--count", optarg);
			break;
		case 'a':
			alarm_us = atk_num("open-storm", "--alarm-us", optarg);
			break;
		default:
			rpt_die("open-storm: see --help");
		}
	}
	if (argc - optind != 1 || !alarm_us)
		rpt_die("open-storm: usage: open-storm [--count N] [--alarm-us N] DEV");
	atk_catch(SIGALRM);
	t0 = rdpprn_now_ms();
	for (i = 0; i < count; i++) {
		int fd, err;

		atk_alarm(alarm_us, false);
		fd = open(argv[optind], O_WRONLY | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		atk_alarm(0, false);
		if (fd >= 0)
			close(fd);
		atk_tally_add(&t, err);
	}
	printf("STORM tries=%u eintr=%u ebusy=%u ok=%u other=%u", t.tries,
	       t.eintr, t.ebusy, t.ok, t.other);
	printf(" eintr_before_ebusy=%u last_other=%s ms=%llu\n",
	       t.eintr_before_ebusy, t.other ? atk_err(t.last_other) : "-",
	       (unsigned long long)(rdpprn_now_ms() - t0));
	return 0;
}

/* ---- session-info --------------------------------------------------------- */

static const char *atk_attr(const struct rpt_obj *o, int a, char *buf,
			    size_t len)
{
	if (!o->has[a] || o->bad[a])
		return "-";
	snprintf(buf, len, "%llu", (unsigned long long)o->u[a]);
	return buf;
}

/*
 * session-info SID: one line, "-" for an attribute the kernel did not send
 *   SESSION id=N orphans=N devices=N errors=N state=N
 */
int rpt_cmd_session_info(int argc, char **argv)
{
	char b[4][24];
	struct rpt_obj *o = NULL;
	struct rpt_nl nl;
	u32 sid;
	int rc;

	if (argc != 2 || rdpprn_parse_u32(argv[1], &sid))
		rpt_die("session-info: usage: session-info SID");
	rc = rpt_nl_open(&nl);
	if (rc)
		rpt_die("netlink: %s", atk_err(rc));
	rc = rpt_get_sessions(&nl, sid, false, &o);
	if (rc || !o) {
		printf("SESSION-ERROR errno=%s extack=\"%s\"\n", atk_err(rc),
		       nl.extack);
		rpt_nl_close(&nl);
		return 1;
	}
	printf("SESSION id=%u orphans=%s devices=%s errors=%s state=%s\n", sid,
	       atk_attr(o, RDPPRN_A_ORPHANS, b[0], sizeof(b[0])),
	       atk_attr(o, RDPPRN_A_DEVICES, b[1], sizeof(b[1])),
	       atk_attr(o, RDPPRN_A_ERRORS, b[2], sizeof(b[2])),
	       atk_attr(o, RDPPRN_A_SESSION_STATE, b[3], sizeof(b[3])));
	rpt_objs_free(o);
	rpt_nl_close(&nl);
	return 0;
}

/* ---- path-reopen ---------------------------------------------------------- */

static bool atk_wait_file(const char *path, unsigned int ms)
{
	u64 end = rdpprn_now_ms() + ms;

	while (access(path, F_OK)) {
		if (rdpprn_now_ms() >= end)
			return false;
		rpt_sleep_ms(20);
	}
	return true;
}

/* open("/proc/self/fd/N"): a new open of the inode @fd refers to */
static int atk_reopen(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

/*
 * path-reopen DEV GO_FILE [TEXT]
 *
 * Holds DEV with O_PATH (no open of the device), waits until GO_FILE
 * exists, then opens it again through /proc/self/fd/N for writing. By
 * then DEV's printer is gone and the inode is a stale devtmpfs node: the
 * open must not reach another user's printer that got the same minor.
 * If it does, TEXT is written to show whose job it lands in.
 */
int rpt_cmd_path_reopen(int argc, char **argv)
{
	const char *text = argc > 3 ? argv[3] : "INTRUDER\n";
	int fd, fd2, werr = 0;

	if (argc < 3 || argc > 4)
		rpt_die("path-reopen: usage: path-reopen DEV GO_FILE [TEXT]");
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[1], O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("HELD errno=%s\n", atk_err(errno));
		return 1;
	}
	printf("HELD fd=%d\n", fd);
	if (!atk_wait_file(argv[2], 120000)) {
		printf("REOPEN errno=TIMEOUT\n");
		return 1;
	}
	fd2 = atk_reopen(fd, O_WRONLY);
	printf("REOPEN errno=%s\n", fd2 < 0 ? atk_err(errno) : "OK");
	if (fd2 < 0)
		return 0;
	if (write(fd2, text, strlen(text)) < 0)
		werr = errno;
	printf("WROTE write=%s close=%s\n", atk_err(werr),
	       atk_err(close(fd2) ? errno : 0));
	return 0;
}

/* ---- check-monitor-perm --------------------------------------------------- */

static void atk_monitor_child(void *arg)
{
	int want = EPERM, rc, grp, fd;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct rpt_nl nl;

	rc = rpt_drop_privileges(ATK_NOBODY, ATK_NOBODY);
	if (!rpt_check(!rc, "monitor-drop-privileges", "%s", atk_err(rc)))
		return;
	rc = rpt_nl_open(&nl);
	if (!rpt_check(!rc, "monitor-unprivileged-netlink-open", "%s",
		       atk_err(rc)))
		return;
	grp = genl_ctrl_resolve_grp(nl.sk, RDPPRN_GENL_NAME,
				    RDPPRN_MCGRP_MONITOR);
	if (!rpt_check(grp > 0, "monitor-group-resolvable",
		       "genl_ctrl_resolve_grp: %d", grp)) {
		rpt_nl_close(&nl);
		return;
	}
	/* nl_socket_add_membership(): setsockopt(NETLINK_ADD_MEMBERSHIP) */
	rc = rpt_nl_join_monitor(&nl);
	rpt_expect_err(&nl, "monitor-unprivileged-join-eperm", rc, &want, 1,
		       false);
	rpt_nl_close(&nl);

	/* bind() with nl_groups can only name the groups 1..32 */
	if (grp > 32) {
		printf("# monitor group id %d > 32: no bind() check\n", grp);
		return;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		rpt_not_ok("monitor-unprivileged-bind-eperm", "socket: %s",
			   atk_err(errno));
		return;
	}
	sa.nl_groups = 1U << (grp - 1);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
	rpt_check(rc == EPERM, "monitor-unprivileged-bind-eperm",
		  "bind to group %d: %s, want EPERM", grp, atk_err(rc));
	close(fd);
}

/* Events of session @sid on @mon: SESSION_EVENT and DEVICE_NEW seen */
static bool atk_saw_events(struct rpt_nl *mon, u32 sid)
{
	bool session = false, device = false;
	const struct rpt_obj *ev;
	u64 end = rdpprn_now_ms() + RPT_WAIT_MS;

	while (!(session && device) && rdpprn_now_ms() < end) {
		free(rpt_nl_next_pdu(mon, 200, NULL));
		for (ev = mon->events; ev; ev = ev->next) {
			if (ev->u[RDPPRN_A_SESSION_ID] != sid)
				continue;
			session |= ev->cmd == RDPPRN_CMD_SESSION_EVENT;
			device |= ev->cmd == RDPPRN_CMD_DEVICE_NEW;
		}
	}
	return session && device;
}

/*
 * check-monitor-perm: the monitor group's notifications tell every
 * session's uid, client name and printers; uid 65534 may not join it
 * (setsockopt or bind), root still receives them.
 */
int rpt_cmd_check_monitor_perm(int argc, char **argv)
{
	struct rpt_nl mon, nl;
	u32 sid, id = 1;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = rpt_nl_open(&mon);
	if (!rc)
		rc = rpt_nl_join_monitor(&mon);
	if (!rpt_check(!rc, "monitor-root-join", "%s", atk_err(rc)))
		return rpt_summary();
	rpt_in_child("monitor-unprivileged-child", atk_monitor_child, NULL);
	if (rpt_setup_session(&nl, 1000, 1000, "monitor-perm", &sid)) {
		rpt_nl_close(&mon);
		return rpt_summary();
	}
	rc = rpt_announce_simple(&nl, sid, &id, 1, NULL, NULL);
	rpt_check(!rc, "monitor-announce", "%s", atk_err(rc));
	rpt_check(atk_saw_events(&mon, sid), "monitor-root-receives-events",
		  "no SESSION_EVENT/DEVICE_NEW for session %u", sid);
	rpt_session_del(&nl, sid);
	rpt_nl_close(&nl);
	rpt_nl_close(&mon);
	return rpt_summary();
}

/* ---- attack --------------------------------------------------------------- */

/**
 * struct atk_held - the job descriptors the attacker holds on a printer
 * @dev: the printer's node
 * @fd: descriptors (-1: closed)
 * @n: used entries of @fd
 * @jobs: jobs finished (closed) during the storm
 */
struct atk_held {
	const char *dev;
	int fd[ATK_MAX_HELD];
	unsigned int n;
	unsigned int jobs;
};

/*
 * The errors an own job may end with while its client misbehaves: a
 * full ring, the mapped write status (DEVICE_OFF_LINE is EIO), EBUSY at
 * max_jobs when a finished job is replaced.
 */
static bool atk_documented(int err)
{
	return !err || err == EAGAIN || err == EIO || err == EBUSY;
}

/**
 * struct atk_ctx - what the attack saw
 * @storm_ms: how long the storm ran
 * @polls: poll() calls on every held descriptor
 * @epolls: epoll_wait() calls (each after re-arming every descriptor)
 * @writes: successful write() calls
 * @bytes: bytes they queued
 * @undocumented: errors outside atk_documented(), the last in @last_err
 * @last_err: errno
 */
struct atk_ctx {
	u64 storm_ms;
	unsigned long polls;
	unsigned long epolls;
	unsigned long writes;
	u64 bytes;
	unsigned int undocumented;
	int last_err;
};

static void atk_note(struct atk_ctx *x, int err)
{
	if (atk_documented(err))
		return;
	x->undocumented++;
	x->last_err = err;
}

static int atk_open_own(const char *dev)
{
	return open(dev, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
}

/**
 * struct atk_queuer - a blocking open() waiting in a printer's queue
 * @dev: the printer's node
 * @err: its errno, 0 if it opened
 * @done: open() returned
 * @thread: the thread
 */
struct atk_queuer {
	const char *dev;
	int err;
	atomic_bool done;
	pthread_t thread;
};

static void *atk_queuer_fn(void *arg)
{
	struct atk_queuer *q = arg;
	int fd = open(q->dev, O_WRONLY | O_CLOEXEC);

	q->err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	atomic_store(&q->done, true);
	return NULL;
}

/*
 * While the attacker holds a job on the printer, blocking opens queue
 * behind it: max_jobs - 1 of them wait, the rest are refused with EBUSY
 * at once. A signal takes a waiting open() out of the queue (EINTR);
 * it had sent nothing, so it leaves no orphan behind.
 */
static noinline_for_stack void
atk_queue_flood(const char *dev, long long max_jobs, const char *name)
{
	unsigned int n = (unsigned int)max_jobs + 8, i, waiting = 0;
	struct atk_queuer *q = rdpprn_xzalloc(sizeof(*q) * n);
	struct atk_tally t = {}, late = {};

	atk_catch(SIGUSR1);
	for (i = 0; i < n; i++) {
		q[i].dev = dev;
		if (pthread_create(&q[i].thread, NULL, atk_queuer_fn, &q[i]))
			rpt_die("pthread_create: %s", strerror(errno));
	}
	usleep(500 * 1000);
	for (i = 0; i < n; i++) {
		if (atomic_load(&q[i].done))
			atk_tally_add(&t, q[i].err);
		else
			waiting++;
	}
	for (i = 0; i < n; i++) {
		while (!atomic_load(&q[i].done)) {
			pthread_kill(q[i].thread, SIGUSR1);
			usleep(10 * 1000);
		}
		pthread_join(q[i].thread, NULL);
	}
	for (i = 0; i < n; i++)
		atk_tally_add(&late, q[i].err);
	rpt_check(waiting == max_jobs - 1 && t.ebusy == n - waiting, name,
		  "%u of %u blocking opens waited, %u EBUSY, %u opened, %u other (last %s); max_jobs %lld",
		  waiting, n, t.ebusy, t.ok, t.other,
		  t.other ? atk_err(t.last_other) : "-", max_jobs);
	rpt_check(late.eintr == waiting && late.ebusy == n - waiting,
		  "attacker-queued-opens-interrupted",
		  "%u EINTR, %u EBUSY, %u opened, %u other of %u",
		  late.eintr, late.ebusy, late.ok, late.other, n);
	signal(SIGUSR1, SIG_DFL);
	free(q);
}

/*
 * Opens @tries jobs on the attacker's own printer with O_NONBLOCK: the
 * first holds the printer, every other one is refused with EAGAIN at
 * once (jobs on a printer run one after another). Then blocking opens
 * fill the printer's queue up to max_jobs.
 */
static noinline_for_stack void
atk_flood(struct atk_held *h, unsigned int tries, const char *name)
{
	long long max_jobs = rpt_param("max_jobs", 8);
	struct atk_tally t = {};
	unsigned int i;

	for (i = 0; i < tries; i++) {
		int fd = atk_open_own(h->dev);

		atk_tally_add(&t, fd < 0 ? errno : 0);
		if (fd < 0)
			continue;
		if (h->n < ATK_MAX_HELD)
			h->fd[h->n++] = fd;
		else
			close(fd);
	}
	rpt_check(t.ok == 1 && t.eagain == tries - 1, name,
		  "%u opened, %u EAGAIN, %u EBUSY, %u other (last %s) of %u tries",
		  t.ok, t.eagain, t.ebusy, t.other,
		  t.other ? atk_err(t.last_other) : "-", tries);
	atk_queue_flood(h->dev, max_jobs, "attacker-queue-bounded-by-max-jobs");
}

/* A job that failed is closed (its error is its own) and replaced */
static void atk_replace(struct atk_held *h, unsigned int i,
			struct atk_ctx *x)
{
	atk_note(x, close(h->fd[i]) ? errno : 0);
	h->jobs++;
	h->fd[i] = atk_open_own(h->dev);
	if (h->fd[i] < 0)
		atk_note(x, errno);
}

static void atk_storm_round(struct atk_held *h, struct pollfd *pfd,
			    int epfd, struct atk_ctx *x, const u8 *buf)
{
	struct epoll_event ev[16];
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		/* a job that could not be replaced yet: try again */
		if (h->fd[i] < 0) {
			h->fd[i] = atk_open_own(h->dev);
			if (h->fd[i] < 0)
				atk_note(x, errno);
		}
		pfd[i].fd = h->fd[i];
		pfd[i].events = POLLOUT;
		pfd[i].revents = 0;
	}
	if (poll(pfd, h->n, 0) < 0)
		atk_note(x, errno);
	x->polls++;
	for (i = 0; i < h->n; i++) {
		struct epoll_event e = {
			.events = EPOLLOUT | EPOLLET,
			.data.u32 = i,
		};

		if (h->fd[i] < 0)
			continue;
		/* re-arming is the expensive part of epoll: do it each time */
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, h->fd[i], &e) &&
		    errno == EEXIST)
			epoll_ctl(epfd, EPOLL_CTL_MOD, h->fd[i], &e);
	}
	epoll_wait(epfd, ev, ARRAY_SIZE(ev), 0);
	x->epolls++;
	for (i = 0; i < h->n; i++) {
		ssize_t n;

		if (h->fd[i] < 0 || !pfd[i].revents)
			continue;
		if (pfd[i].revents & (POLLERR | POLLHUP)) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, h->fd[i], NULL);
			atk_replace(h, i, x);
			continue;
		}
		n = write(h->fd[i], buf, ATK_WRITE_BUF);
		if (n > 0) {
			x->writes++;
			x->bytes += n;
		} else if (n < 0) {
			atk_note(x, errno);
		}
	}
}

/*
 * For @seconds: poll() and epoll over every held job, write to those with
 * room, replace those that failed (the client of the second printer fails
 * writes, the first one's takes them a few bytes at a time).
 */
static noinline_for_stack void
atk_storm(struct atk_held *h, unsigned int nh, unsigned int seconds,
	  struct atk_ctx *x)
{
	u64 t0 = rdpprn_now_ms(), end = t0 + seconds * 1000ULL;
	struct pollfd *pfd = rdpprn_xzalloc(sizeof(*pfd) * ATK_MAX_HELD);
	u8 *buf = rdpprn_xzalloc(ATK_WRITE_BUF);
	int epfd[2];
	unsigned int i;

	for (i = 0; i < nh; i++) {
		epfd[i] = epoll_create1(EPOLL_CLOEXEC);
		if (epfd[i] < 0)
			rpt_die("epoll_create1: %s", strerror(errno));
	}
	memset(buf, 'A', ATK_WRITE_BUF);
	while (rdpprn_now_ms() < end)
		for (i = 0; i < nh; i++)
			atk_storm_round(&h[i], pfd, epfd[i], x, buf);
	x->storm_ms = rdpprn_now_ms() - t0;
	for (i = 0; i < nh; i++)
		close(epfd[i]);
	free(pfd);
	free(buf);
}

/* Every way in to the victim's printer an unprivileged user has */
static noinline_for_stack void atk_tricks(const char *victim, const char *dir)
{
	char path[256], link_path[256];
	struct stat st;
	int fd, fd2, rc;

	fd = open(victim, O_WRONLY | O_CLOEXEC);
	rpt_check(fd < 0 && errno == EACCES, "attacker-victim-open-eacces",
		  "open: %s", fd < 0 ? atk_err(errno) : "OK");
	if (fd >= 0)
		close(fd);

	/* O_PATH needs no permission on the node itself */
	fd = open(victim, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("# O_PATH open of the victim's node: %s\n",
		       atk_err(errno));
		return;
	}
	if (fstat(fd, &st))
		rpt_die("fstat: %s", strerror(errno));
	fd2 = atk_reopen(fd, O_WRONLY);
	rpt_check(fd2 < 0 && errno == EACCES,
		  "attacker-victim-opath-reopen-eacces", "reopen: %s",
		  fd2 < 0 ? atk_err(errno) : "OK");
	if (fd2 >= 0)
		close(fd2);

	/* a hard link of the node into a directory of the attacker's own */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	rc = linkat(AT_FDCWD, path, AT_FDCWD, link_path, AT_SYMLINK_FOLLOW);
	fd2 = rc ? -1 : open(link_path, O_WRONLY | O_CLOEXEC);
	rpt_check(fd2 < 0 && (rc || errno == EACCES),
		  "attacker-victim-hardlink-no-way-in", "link: %s, open: %s",
		  rc ? atk_err(errno) : "OK",
		  rc ? "-" : fd2 < 0 ? atk_err(errno) : "OK");
	if (fd2 >= 0)
		close(fd2);
	close(fd);

	/* a node of its own with the victim's major:minor */
	snprintf(path, sizeof(path), "%s/node", dir);
	rc = mknod(path, S_IFCHR | 0600, st.st_rdev);
	rpt_check(rc && errno == EPERM, "attacker-mknod-eperm", "mknod: %s",
		  rc ? atk_err(errno) : "OK");
	if (!rc)
		unlink(path);
}

struct atk_userns {
	const char *victim;
	const char *dir;
};

/* A user namespace makes the attacker "root" there, not on the host */
static void atk_userns_child(void *arg)
{
	const struct atk_userns *u = arg;
	char map[64], path[256];
	struct stat st;
	int fd, rc;

	if (stat(u->victim, &st))
		rpt_die("%s: %s", u->victim, strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)geteuid());
	if (unshare(CLONE_NEWUSER)) {
		printf("# no user namespace for uid %u (%s): not tried\n",
		       (unsigned int)geteuid(), atk_err(errno));
		return;
	}
	fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) < 0) {
		printf("# uid_map: %s: not tried\n", atk_err(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	fd = open(u->victim, O_WRONLY | O_CLOEXEC);
	rpt_check(fd < 0 && errno == EACCES, "attacker-userns-open-eacces",
		  "open as uid %u in a user namespace: %s",
		  (unsigned int)geteuid(), fd < 0 ? atk_err(errno) : "OK");
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/userns-node", u->dir);
	rc = mknod(path, S_IFCHR | 0600, st.st_rdev);
	rpt_check(rc && errno == EPERM, "attacker-userns-mknod-eperm",
		  "mknod: %s", rc ? atk_err(errno) : "OK");
	if (!rc)
		unlink(path);
}

/* Raises the soft descriptor limit to the hard one, for the flood */
static void atk_max_fds(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static const struct option atk_longopts[] = {
	{ "own", required_argument, NULL, 'o' },
	{ "bad", required_argument, NULL, 'b' },
	{ "victim", required_argument, NULL, 'v' },
	{ "dir", required_argument, NULL, 'd' },
	{ "seconds", required_argument, NULL, 's' },
	{ "tries", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

/*
 * attack --own DEV --bad DEV --victim DEV --dir DIR [--seconds S]
 *        [--tries N]
 *
 * Run as an unprivileged user who owns the printers --own (its client
 * takes short writes) and --bad (its client fails writes), with DIR a
 * directory of its own. Floods both with opens (N each), storms
 * poll/epoll and writes on what it got for S seconds, tries every way
 * into the victim's printer, then closes everything. Prints ok/not ok
 * lines; the suite checks the victim's side.
 */
int rpt_cmd_attack(int argc, char **argv)
{
	struct atk_userns u = {};
	struct atk_held *h = rdpprn_xzalloc(sizeof(*h) * 2);
	unsigned int seconds = 4, tries = 1000, i, j, closed = 0;
	struct atk_ctx x = {};
	u64 t0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", atk_longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			h[0].dev = optarg;
			break;
		case 'b':
			h[1].dev = optarg;
			break;
		case 'v':
			u.victim = optarg;
			break;
		case 'd':
			u.dir = optarg;
			break;
		case 's':
			seconds = atk_num("attack", "--seconds", optarg);
			break;
		case 't':
			tries = atk_num("attack", "--tries", optarg);
			break;
		default:
			rpt_die("attack: see --help");
		}
	}
	if (!h[0].dev || !h[1].dev || !u.victim || !u.dir || optind != argc)
		rpt_die("attack: --own, --bad, --victim and --dir are needed (see --help)");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	atk_max_fds();

	atk_tricks(u.victim, u.dir);
	rpt_in_child("attacker-userns-child", atk_userns_child, &u);
	atk_flood(&h[0], tries, "attacker-own-one-job-at-a-time");
	atk_flood(&h[1], tries, "attacker-bad-one-job-at-a-time");
	atk_storm(h, 2, seconds, &x);
	printf("# storm: %llu ms, %lu polls, %lu epolls, %lu writes",
	       (unsigned long long)x.storm_ms, x.polls, x.epolls, x.writes);
	printf(", %llu bytes, %u+%u jobs replaced\n",
	       (unsigned long long)x.bytes, h[0].jobs, h[1].jobs);
	rpt_check(h[1].jobs > 0, "attacker-bad-client-fails-jobs",
		  "no job of the failing client ended during the storm");

	t0 = rdpprn_now_ms();
	for (i = 0; i < 2; i++) {
		for (j = 0; j < h[i].n; j++) {
			if (h[i].fd[j] < 0)
				continue;
			atk_note(&x, close(h[i].fd[j]) ? errno : 0);
			closed++;
		}
	}
	printf("# closed %u jobs in %llu ms\n", closed,
	       (unsigned long long)(rdpprn_now_ms() - t0));
	rpt_check(!x.undocumented, "attacker-own-errors-documented",
		  "%u calls failed with an undocumented error, the last %s",
		  x.undocumented, atk_err(x.last_err));
	free(h);
	return rpt_summary();
}
