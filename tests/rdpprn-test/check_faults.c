// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: check-faults - every allocation of an operation fails once.
 *
 * The kernel's per-task fail-nth (CONFIG_FAULT_INJECTION) makes the N-th
 * fault-injection point a thread passes fail. For each operation the
 * check arms it with N = 1, 2, ... in the thread that makes the system
 * call, runs the operation once and judges it: it must succeed, or fail
 * with an out-of-memory errno (a PDU the module itself refused also with
 * an extack message); it must leave no half-made printer, node, job or
 * session behind; and what it was about must work without a fault
 * afterwards. The loop ends when fail-nth was not used up: the operation
 * passed all its fault points.
 *
 * The faults are where the thread's own system call allocates: the
 * socket's buffers, generic netlink, the module, the driver core, sysfs,
 * uevents. Work the module does in a workqueue (the write requests) is
 * not this thread's and never fails here. GFP_KERNEL allocations only
 * count when failslab's ignore-gfp-wait is off (93-faults.sh does that).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdpprn_test.h"
#include "check.h"

/* More points than this: the loop does not converge */
#define FLT_MAX_N	5000
/* DeviceIds of the printers each operation uses */
#define FLT_ID_A	11
#define FLT_ID_B	12
#define FLT_ID_IO	21
#define FLT_ID_RM	31
#define FLT_ID_DEL	41
#define FLT_DATA	4096
#define FLT_HELD	100
#define FLT_SESSIONS	8
#define FLT_OUTCOMES	8
#define FLT_FAILSLAB	"/sys/kernel/debug/failslab/ignore-gfp-wait"

/**
 * struct flt_run - one run of an operation with fail-nth armed
 * @fired: the N-th point was reached and failed
 * @bad: the outcome was not clean (@why says how)
 * @fatal: the state is not known any more: stop this operation
 * @outcome: "ok", an errno name, "send-ENOBUFS" or "ack-lost"
 * @why: the first reason the run was not clean
 * @ack_lost: the faulted request's ACK was lost (its effect is not known)
 * @extack: the faulted request's extack message
 * @detail: what the faulted request got back, for the report
 */
struct flt_run {
	bool fired;
	bool bad;
	bool fatal;
	bool ack_lost;
	char outcome[24];
	char why[160];
	char extack[RPT_EXTACK_LEN];
	char detail[128];
};

/* I/O requests the check answered as a good client */
struct flt_seen {
	unsigned int creates;
	unsigned int writes;
	unsigned int closes;
};

struct flt_ctx {
	struct rpt_nl nl;
	struct rpt_nl_hooks hk;
	u32 sid;
	int fail_fd;
	unsigned int overruns;
	u32 next_file;
	char node[64];
	int fd;
	u64 offset;
	u8 *announce;
	size_t announce_len;
	u8 *config[2];
	u32 config_len[2];
	u8 data[FLT_DATA];
	unsigned int sites;
	unsigned int bad;
	unsigned int ops;
};

struct flt_op {
	const char *name;
	int (*setup)(struct flt_ctx *c);
	void (*step)(struct flt_ctx *c, unsigned int n, struct flt_run *r);
	void (*teardown)(struct flt_ctx *c);
};

static void __printf(2, 3) flt_bad(struct flt_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad)
		return;
	r->bad = true;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static void flt_outcome(struct flt_run *r, const char *what)
{
	snprintf(r->outcome, sizeof(r->outcome), "%s", what);
}

/* A blocked call cannot be left behind: its thread uses our stack. */
static void __noreturn flt_abort(const char *what)
{
	rpt_not_ok("faults", "%s: giving up", what);
	exit(rpt_summary());
}

/* ---- the good client ------------------------------------------------------- */

/* Answer an I/O request as a printer that takes everything would */
static void flt_answer(struct flt_ctx *c, const struct rpt_pdu *p,
		       struct flt_seen *seen)
{
	struct rdpdr_write_req wreq;
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	u8 buf[32];
	size_t n;

	if (rdpdr_parse_ioreq(p->data, p->len, &io, &err))
		return;
	switch (io.major_function) {
	case IRP_MJ_CREATE:
		n = rpt_create_rsp(buf, io.device_id, io.completion_id, 0,
				   c->next_file++);
		seen->creates++;
		break;
	case IRP_MJ_WRITE:
		if (rdpdr_parse_write_req(p->data, p->len, &wreq, &err))
			return;
		n = rpt_write_rsp(buf, io.device_id, io.completion_id, 0,
				  wreq.length);
		seen->writes++;
		break;
	default:
		n = rpt_close_rsp(buf, io.device_id, io.completion_id, 0);
		seen->closes++;
		break;
	}
	rpt_send_pdu(&c->nl, p->session_id ? p->session_id : c->sid, buf, n);
}

/* Answer whatever the kernel sends for @ms (0: what is queued now) */
static void flt_play(struct flt_ctx *c, int ms, struct flt_seen *seen)
{
	u64 end = rdpprn_now_ms() + ms;
	struct flt_seen dummy = {};
	struct rpt_pdu *p;
	int left = ms;

	if (!seen)
		seen = &dummy;

	for (;;) {
		p = rpt_nl_next_pdu(&c->nl, left, NULL);
		if (p) {
			flt_answer(c, p, seen);
			free(p);
		} else if (left <= 0) {
			return;
		}
		left = (int)(end - rdpprn_now_ms());
		if (left < 0)
			left = 0;
	}
}

/**
 * flt_sys() - a blocking system call on a job, with the client answering
 * @c: context
 * @op: RPT_OP_OPEN (of @path), RPT_OP_FSYNC or RPT_OP_CLOSE (of @fd)
 * @path: device node for open()
 * @fd: descriptor for fsync() and close()
 * @n: arm the calling thread's fail-nth with @n (0: no fault)
 * @left: fail-nth after the call (0: the fault fired), may be NULL
 * @seen: the requests answered meanwhile, may be NULL
 *
 * The call runs in a thread of its own because it waits for the client,
 * which is this thread.
 *
 * Return: what the call returned (a descriptor for open()), or -errno.
 */
static int flt_sys(struct flt_ctx *c, enum rpt_op op, const char *path,
		   int fd, unsigned int n, int *left, struct flt_seen *seen)
{
	struct rpt_async a = { .path = path, .flags = O_WRONLY, .fd = fd,
			       .fail_nth = n };
	u64 deadline = rdpprn_now_ms() + RPT_WAIT_MS;

	rpt_async_start(&a, op);
	while (!rpt_async_wait(&a, 0)) {
		if (rdpprn_now_ms() > deadline)
			flt_abort(op == RPT_OP_OPEN ? "open() blocks" :
				  op == RPT_OP_CLOSE ? "close() blocks" :
				  "fsync() blocks");
		flt_play(c, 20, seen);
	}
	flt_play(c, 0, seen);
	if (left)
		*left = a.fail_left;
	return a.ret < 0 ? -a.err : (int)a.ret;
}

/* A job on @node whose first write request waits for its answer in @io */
static int flt_held_job(struct flt_ctx *c, const char *node,
			struct rdpdr_ioreq *io)
{
	struct rpt_pdu *p;
	int fd;

	fd = flt_sys(c, RPT_OP_OPEN, node, -1, 0, NULL, NULL);
	if (fd < 0)
		return fd;
	p = write(fd, c->data, FLT_HELD) != FLT_HELD ? NULL :
	    rpt_expect_ioreq(&c->nl, "faults-held-write", IRP_MJ_WRITE, io,
			     RPT_WAIT_MS);
	if (!p) {
		flt_sys(c, RPT_OP_CLOSE, NULL, fd, 0, NULL, NULL);
		return -EIO;
	}
	free(p);
	return fd;
}

/* Answer a held write request of session @sid in full; 0 or -errno */
static int flt_release_held(struct flt_ctx *c, u32 sid,
			    const struct rdpdr_ioreq *io)
{
	u8 buf[32];
	size_t n;

	n = rpt_write_rsp(buf, io->device_id, io->completion_id, 0, FLT_HELD);
	return rpt_send_pdu(&c->nl, sid, buf, n);
}

/* ---- state ---------------------------------------------------------------- */

/* Errors the module counted for session @sid (refused PDUs) */
static u64 flt_errors(struct flt_ctx *c, u32 sid)
{
	struct rpt_obj *o = NULL;
	u64 v = 0;

	if (!rpt_get_sessions(&c->nl, sid, false, &o) && o)
		v = o->u[RDPPRN_A_ERRORS];
	rpt_objs_free(o);
	return v;
}

/* Sessions this socket owns (at most FLT_SESSIONS ids in @ids) */
static unsigned int flt_sessions(struct flt_ctx *c, u32 *ids)
{
	struct rpt_obj *list = NULL, *o;
	unsigned int n = 0;

	if (rpt_get_sessions(&c->nl, 0, true, &list))
		return 0;
	for (o = list; o && n < FLT_SESSIONS; o = o->next)
		if (o->u[RDPPRN_A_OWNER_PORTID] == c->nl.portid)
			ids[n++] = (u32)o->u[RDPPRN_A_SESSION_ID];
	rpt_objs_free(list);
	return n;
}

static bool flt_has(const u32 *ids, unsigned int n, u32 id)
{
	while (n--)
		if (ids[n] == id)
			return true;
	return false;
}

static unsigned int flt_jobs(struct flt_ctx *c, u32 sid)
{
	struct rpt_obj *list = NULL, *o;
	unsigned int n = 0;

	if (rpt_get_jobs(&c->nl, &list))
		return 0;
	for (o = list; o; o = o->next)
		if (o->u[RDPPRN_A_SESSION_ID] == sid)
			n++;
	rpt_objs_free(list);
	return n;
}

/*
 * The printers of session @sid in sysfs, or -1 when sysfs and /dev do
 * not agree: every /sys/class/rdpprn entry has its node and every
 * /dev/rdpprnN its class device (a half-registered printer shows here).
 */
static int flt_sysfs(u32 sid, char *why, size_t len)
{
	char path[300], val[32];
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir("/sys/class/rdpprn");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		if (access(path, F_OK)) {
			snprintf(why, len, "%.32s in sysfs but no node",
				 e->d_name);
			n = -1;
			break;
		}
		snprintf(path, sizeof(path), "/sys/class/rdpprn/%s/session_id",
			 e->d_name);
		if (!rpt_read_text(path, val, sizeof(val)) &&
		    strtoul(val, NULL, 10) == sid)
			n++;
	}
	if (d)
		closedir(d);
	d = n < 0 ? NULL : opendir("/dev");
	while (d && (e = readdir(d))) {
		/*
		 * Only the nodes, rdpprnN: /dev/rdpprn/ is the directory of
		 * the udev links (70-rdpprn.rules), left by earlier suites.
		 */
		if (strncmp(e->d_name, "rdpprn", 6) ||
		    !isdigit((unsigned char)e->d_name[6]))
			continue;
		snprintf(path, sizeof(path), "/sys/class/rdpprn/%s", e->d_name);
		if (access(path, F_OK)) {
			snprintf(why, len, "/dev/%.32s without a device",
				 e->d_name);
			n = -1;
			break;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * After a run: session @sid has @devices printers (netlink and sysfs
 * agree) and @jobs open jobs. Marks the run bad and fatal otherwise: the
 * next runs would start from a state nobody knows.
 */
static void flt_settled(struct flt_ctx *c, u32 sid, int devices,
			unsigned int jobs, struct flt_run *r)
{
	char why[128] = "";
	unsigned int j, i;
	int nl, fs;

	nl = rpt_count_devices(&c->nl, sid);
	fs = flt_sysfs(sid, why, sizeof(why));
	/* a job released without a committing close() ends in a worker */
	for (i = 0; (j = flt_jobs(c, sid)) != jobs && i < 20; i++)
		flt_play(c, 50, NULL);
	if (fs < 0)
		flt_bad(r, "%s", why);
	else if (nl != devices || fs != devices)
		flt_bad(r, "%d printers by netlink, %d in sysfs, want %d", nl,
			fs, devices);
	else if (j != jobs)
		flt_bad(r, "%u open jobs, want %u", j, jobs);
	else
		return;
	r->fatal = true;
}

/* ---- judging ---------------------------------------------------------------- */

/* Arm the main thread's fail-nth for the next netlink request */
static void flt_arm(struct flt_ctx *c, unsigned int n)
{
	c->hk.fail_fd = c->fail_fd;
	c->hk.fail_nth = n;
	c->hk.fail_left = -1;
	c->overruns = c->nl.overruns;
}

/*
 * After the faulted request: did the fault fire, what came back. Kept in
 * @r, as the next request (a check of the state) overwrites @c->nl's.
 */
static void flt_fired(struct flt_ctx *c, int rc, struct flt_run *r)
{
	r->ack_lost = c->hk.ack_lost;
	snprintf(r->extack, sizeof(r->extack), "%s", c->nl.extack);
	snprintf(r->detail, sizeof(r->detail), "%s \"%.96s\"%s",
		 rdpprn_errname(rc), c->nl.extack,
		 c->nl.overruns != c->overruns ? ", socket overrun" : "");
	if (c->hk.fail_left < 0) {
		flt_bad(r, "fail-nth could not be armed: %s",
			rdpprn_errname(c->hk.fail_left));
		r->fatal = true;
	}
	r->fired = !c->hk.fail_left;
}

/*
 * A faulted request failed with @rc. Clean are the errnos of memory
 * running out: ENOBUFS from sendmsg() (the request's skb), ENOMEM from
 * generic netlink or the module. A PDU the module itself refused
 * (@by_module: its error counter moved) needs an extack message. A lost
 * ACK says nothing about the request: the caller looks at the state.
 */
static void flt_refused(struct flt_run *r, int rc, bool by_module)
{
	if (r->ack_lost) {
		flt_outcome(r, "ack-lost");
		return;
	}
	if (!strncmp(r->extack, "(send failed", 12))
		flt_outcome(r, "send-ENOBUFS");
	else
		flt_outcome(r, rdpprn_errname(rc));
	if (rc != -ENOMEM && rc != -ENOBUFS)
		flt_bad(r, "%s \"%s\": not an out-of-memory error",
			rdpprn_errname(rc), r->extack);
	else if (by_module && !r->extack[0])
		flt_bad(r, "the module refused with %s and no extack message",
			rdpprn_errname(rc));
}

/* A PDU with fail-nth @n armed; the run's outcome for a success */
static int flt_pdu(struct flt_ctx *c, unsigned int n, u32 sid, const u8 *pdu,
		   size_t len, struct flt_run *r)
{
	int rc;

	flt_arm(c, n);
	rc = rpt_send_pdu(&c->nl, sid, pdu, len);
	flt_fired(c, rc, r);
	flt_outcome(r, "ok");
	return rc;
}

/* ---- SESSION_NEW ------------------------------------------------------------- */

static void flt_session_new_step(struct flt_ctx *c, unsigned int n,
				 struct flt_run *r)
{
	u32 before[FLT_SESSIONS], after[FLT_SESSIONS], sid = 0;
	unsigned int nb, na, i, added = 0;
	int rc;

	nb = flt_sessions(c, before);
	flt_arm(c, n);
	rc = rpt_session_new(&c->nl, 0, 0, "faults-new", &sid);
	flt_fired(c, rc, r);
	flt_outcome(r, "ok");
	if (rc)
		flt_refused(r, rc, false);
	na = flt_sessions(c, after);
	for (i = 0; i < na; i++) {
		if (flt_has(before, nb, after[i]))
			continue;
		added++;
		if (rc && !r->ack_lost)
			flt_bad(r, "SESSION_NEW failed (%s) but session %u exists",
				rdpprn_errname(rc), after[i]);
		else if (!rc && after[i] != sid)
			flt_bad(r, "SESSION_NEW gave %u, session %u appeared",
				sid, after[i]);
		rpt_session_del(&c->nl, after[i]);
	}
	if (!rc && added != 1)
		flt_bad(r, "SESSION_NEW succeeded, %u sessions appeared", added);
	if (!r->fired)
		return;
	rc = rpt_session_new(&c->nl, 0, 0, "faults-new-again", &sid);
	if (rc) {
		flt_bad(r, "the next SESSION_NEW failed: %s \"%s\"",
			rdpprn_errname(rc), c->nl.extack);
		r->fatal = true;
		return;
	}
	rpt_session_del(&c->nl, sid);
}

/* ---- Client Device List Announce ------------------------------------------------ */

static int flt_announce_setup(struct flt_ctx *c)
{
	struct rpt_printer p = { .driver = "Faulty Driver" };
	struct rpt_entry e[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char name[32];

		c->config_len[i] = i ? 2000 : 300;
		c->config[i] = rdpprn_xmalloc(c->config_len[i]);
		memset(c->config[i], 0x40 + i, c->config_len[i]);
		snprintf(name, sizeof(name), "Faulty %u", i);
		p.id = FLT_ID_A + i;
		snprintf(p.dos, sizeof(p.dos), "PRN%u", i + 1);
		p.name = name;
		p.config = c->config[i];
		p.config_len = c->config_len[i];
		if (rpt_printer_entry(&p, &e[i]))
			rpt_die("cannot build printer %u", p.id);
	}
	c->announce = rpt_devlist(e, 2, &c->announce_len);
	rpt_entries_free(e, 2);
	return 0;
}

/* Printer @i exists as announced: node, sysfs, its cached config */
static void flt_printer_ok(struct flt_ctx *c, unsigned int i,
			   struct flt_run *r)
{
	char node[64], path[128];
	size_t len = 0;
	u8 *buf = NULL;

	if (rpt_find_node(&c->nl, c->sid, FLT_ID_A + i, node, sizeof(node))) {
		flt_bad(r, "printer %u accepted but not listed", FLT_ID_A + i);
		return;
	}
	snprintf(path, sizeof(path), "/sys/class/rdpprn/%s/cached_config",
		 node + 5);
	if (access(node, W_OK) ||
	    rdpprn_read_file(path, RPT_FILE_MAX, &buf, &len) ||
	    len != c->config_len[i] || memcmp(buf, c->config[i], len))
		flt_bad(r, "printer %u: %s or its cached_config (%zu bytes) is wrong",
			FLT_ID_A + i, node, len);
	free(buf);
}

/*
 * What the client was told is what exists: a printer answered with
 * success is there (with its cached config), one refused or not answered
 * is not. An accepted PDU answers every printer once; a refused one may
 * have answered some (a Device Announce Response that could not be sent
 * fails the PDU, and only its own printer is taken back).
 */
static void flt_announce_judge(struct flt_ctx *c, int rc,
			       const struct rpt_reply *rep, unsigned int nr,
			       struct flt_run *r)
{
	unsigned int i, j, k;
	u32 id;

	for (i = 0; i < 2; i++) {
		const struct rpt_reply *x = NULL;

		id = FLT_ID_A + i;
		for (j = 0, k = 0; j < nr; j++) {
			if (rep[j].id == id) {
				x = &rep[j];
				k++;
			}
		}
		if (k > 1)
			flt_bad(r, "%u responses for printer %u", k, id);
		else if (x && x->status == STATUS_SUCCESS)
			flt_printer_ok(c, i, r);
		else if (x && x->status != STATUS_INSUFFICIENT_RESOURCES)
			flt_bad(r, "printer %u answered 0x%08x", id, x->status);
		else if (!rpt_find_node(&c->nl, c->sid, id, NULL, 0))
			flt_bad(r, "printer %u %s but listed", id,
				x ? "refused" : "not answered");
		else if (!x && !rc)
			flt_bad(r, "announce accepted, printer %u not answered",
				id);
		if (x && x->status && !rc)
			flt_outcome(r, "ok-refused-entry");
	}
}

static void flt_remove_all(struct flt_ctx *c, u32 sid, const u32 *ids,
			   unsigned int n)
{
	size_t len;
	u8 *pdu = rpt_remove(ids, n, &len);

	rpt_send_pdu(&c->nl, sid, pdu, len);
	free(pdu);
	rpt_nl_flush_pdus(&c->nl);
}

static void flt_announce_step(struct flt_ctx *c, unsigned int n,
			      struct flt_run *r)
{
	static const u32 ids[2] = { FLT_ID_A, FLT_ID_B };
	struct rpt_reply rep[4];
	unsigned int nr;
	u64 e0 = flt_errors(c, c->sid);
	int rc;

	rc = flt_pdu(c, n, c->sid, c->announce, c->announce_len, r);
	nr = rpt_take_replies(&c->nl, rep, ARRAY_SIZE(rep));
	rpt_nl_flush_pdus(&c->nl);
	if (rc)
		flt_refused(r, rc, flt_errors(c, c->sid) != e0);
	/* a lost ACK came after the module's work: judge what it did */
	flt_announce_judge(c, r->ack_lost ? 0 : rc, rep, nr, r);
	flt_remove_all(c, c->sid, ids, 2);
	flt_settled(c, c->sid, 0, 0, r);
	if (!r->fired || r->fatal)
		return;
	/* the session takes the same announce without a fault */
	rc = rpt_send_pdu(&c->nl, c->sid, c->announce, c->announce_len);
	nr = rpt_take_replies(&c->nl, rep, ARRAY_SIZE(rep));
	if (rc || nr != 2 || rep[0].status || rep[1].status) {
		flt_bad(r, "the next announce: %s, %u responses",
			rdpprn_errname(rc), nr);
		r->fatal = true;
	}
	flt_remove_all(c, c->sid, ids, 2);
}

/* ---- jobs ---------------------------------------------------------------------- */

static int flt_io_setup(struct flt_ctx *c)
{
	u32 id = FLT_ID_IO;
	int rc;

	rc = rpt_announce_simple(&c->nl, c->sid, &id, 1, NULL, NULL);
	rpt_nl_flush_pdus(&c->nl);
	if (!rc)
		rc = rpt_find_node(&c->nl, c->sid, id, c->node,
				   sizeof(c->node));
	return rc;
}

static void flt_io_teardown(struct flt_ctx *c)
{
	u32 id = FLT_ID_IO;

	flt_remove_all(c, c->sid, &id, 1);
}

static void flt_open_step(struct flt_ctx *c, unsigned int n,
			  struct flt_run *r)
{
	struct flt_seen seen = {};
	int fd, left = -1;

	fd = flt_sys(c, RPT_OP_OPEN, c->node, -1, n, &left, &seen);
	r->fired = !left;
	if (fd >= 0) {
		flt_outcome(r, "ok");
		if (seen.creates != 1)
			flt_bad(r, "open() succeeded after %u creates",
				seen.creates);
		fd = flt_sys(c, RPT_OP_CLOSE, NULL, fd, 0, NULL, NULL);
		if (fd)
			flt_bad(r, "close() after it: %s", rdpprn_errname(fd));
	} else {
		flt_outcome(r, rdpprn_errname(fd));
		if (fd != -ENOMEM)
			flt_bad(r, "open() failed with %s", rdpprn_errname(fd));
	}
	/* an orphaned request would still be answered now */
	flt_play(c, 0, NULL);
	flt_settled(c, c->sid, 1, 0, r);
	if (!r->fired || r->fatal)
		return;
	fd = flt_sys(c, RPT_OP_OPEN, c->node, -1, 0, NULL, NULL);
	if (fd < 0 || flt_sys(c, RPT_OP_CLOSE, NULL, fd, 0, NULL, NULL)) {
		flt_bad(r, "the next job failed: %s", rdpprn_errname(fd));
		r->fatal = true;
	}
}

/*
 * An answer sent with fail-nth @n. When it did not reach the module, the
 * request must still be pending and take the same answer again; a lost
 * ACK leaves it open whether the first one was taken.
 */
static void flt_answer_faulted(struct flt_ctx *c, unsigned int n,
			       const u8 *buf, size_t len, struct flt_run *r)
{
	u64 e0 = flt_errors(c, c->sid);
	int rc, rc2;

	rc = flt_pdu(c, n, c->sid, buf, len, r);
	if (!rc)
		return;
	flt_refused(r, rc, flt_errors(c, c->sid) != e0);
	rc2 = rpt_send_pdu(&c->nl, c->sid, buf, len);
	if (rc2 && !(r->ack_lost && rc2 == -ENOENT))
		flt_bad(r, "the answer again after %s: %s \"%s\"",
			rdpprn_errname(rc), rdpprn_errname(rc2), c->nl.extack);
}

/*
 * @a (open() or close()) waits for the client to answer its request of
 * @major; the answer goes out with fail-nth @n, and @a must then succeed.
 */
static void flt_rsp_step(struct flt_ctx *c, struct rpt_async *a,
			 enum rpt_op op, u32 major, unsigned int n,
			 struct flt_run *r)
{
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	u8 buf[32];
	size_t len;

	rpt_async_start(a, op);
	p = rpt_expect_ioreq(&c->nl, "faults-request", major, &io,
			     RPT_WAIT_MS);
	if (!p)
		flt_abort("no I/O request");
	free(p);
	if (major == IRP_MJ_CREATE)
		len = rpt_create_rsp(buf, io.device_id, io.completion_id, 0,
				     c->next_file++);
	else
		len = rpt_close_rsp(buf, io.device_id, io.completion_id, 0);
	flt_answer_faulted(c, n, buf, len, r);
	if (!rpt_async_wait(a, RPT_WAIT_MS))
		flt_abort("blocked after the response");
	if (a->ret < 0)
		flt_bad(r, "%s failed with %s",
			op == RPT_OP_OPEN ? "open()" : "close()",
			rdpprn_errname(a->err));
}

static void flt_create_rsp_step(struct flt_ctx *c, unsigned int n,
				struct flt_run *r)
{
	struct rpt_async a = { .path = c->node, .flags = O_WRONLY };
	int rc;

	flt_rsp_step(c, &a, RPT_OP_OPEN, IRP_MJ_CREATE, n, r);
	if (a.ret >= 0) {
		rc = flt_sys(c, RPT_OP_CLOSE, NULL, (int)a.ret, 0, NULL, NULL);
		if (rc)
			flt_bad(r, "close(): %s", rdpprn_errname(rc));
	}
	flt_settled(c, c->sid, 1, 0, r);
}

static int flt_job_setup(struct flt_ctx *c)
{
	int rc = flt_io_setup(c);

	if (rc)
		return rc;
	c->offset = 0;
	c->fd = flt_sys(c, RPT_OP_OPEN, c->node, -1, 0, NULL, NULL);
	return c->fd < 0 ? c->fd : 0;
}

static void flt_job_teardown(struct flt_ctx *c)
{
	int rc = flt_sys(c, RPT_OP_CLOSE, NULL, c->fd, 0, NULL, NULL);

	rpt_check(!rc, "faults-write-job-close", "close() of the job: %s",
		  rdpprn_errname(rc));
	flt_io_teardown(c);
}

/*
 * @bytes were written: their write requests must come in order, from
 * the job's running offset, and fsync() must see them acknowledged.
 * With @faulted, the first request's answer goes out with fail-nth @n.
 */
static void flt_write_flow(struct flt_ctx *c, size_t bytes, bool faulted,
			   unsigned int n, struct flt_run *r)
{
	struct rdpdr_write_req wreq;
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	struct rpt_pdu *p;
	size_t got = 0, len;
	u8 buf[32];
	int rc;

	while (got < bytes) {
		p = rpt_expect_ioreq(&c->nl, "faults-write-request",
				     IRP_MJ_WRITE, &io, RPT_WAIT_MS);
		if (!p) {
			flt_bad(r, "%zu of %zu bytes were requested", got,
				bytes);
			r->fatal = true;
			return;
		}
		if (rdpdr_parse_write_req(p->data, p->len, &wreq, &err) ||
		    wreq.offset != c->offset + got ||
		    wreq.length > bytes - got ||
		    memcmp(wreq.data, c->data + got, wreq.length))
			flt_bad(r, "write request at %llu of %u bytes, want %llu",
				(unsigned long long)wreq.offset, wreq.length,
				(unsigned long long)(c->offset + got));
		free(p);
		len = rpt_write_rsp(buf, io.device_id, io.completion_id, 0,
				    wreq.length);
		if (faulted) {
			faulted = false;
			flt_answer_faulted(c, n, buf, len, r);
		} else {
			rpt_send_pdu(&c->nl, c->sid, buf, len);
		}
		got += wreq.length;
	}
	c->offset += bytes;
	rc = flt_sys(c, RPT_OP_FSYNC, NULL, c->fd, 0, NULL, NULL);
	if (rc) {
		flt_bad(r, "fsync() after the writes: %s", rdpprn_errname(rc));
		r->fatal = true;
	}
}

static void flt_write_step(struct flt_ctx *c, unsigned int n,
			   struct flt_run *r)
{
	int left, e;
	ssize_t w;

	if (rpt_fail_nth_set(c->fail_fd, n))
		flt_abort("fail-nth cannot be armed");
	w = write(c->fd, c->data, FLT_DATA);
	e = errno;
	left = rpt_fail_nth_get(c->fail_fd);
	rpt_fail_nth_set(c->fail_fd, 0);
	r->fired = !left;
	flt_outcome(r, w < 0 ? rdpprn_errname(e) : "ok");
	if (w < 0 && e != ENOMEM)
		flt_bad(r, "write() failed with %s", rdpprn_errname(e));
	flt_write_flow(c, w > 0 ? (size_t)w : 0, false, 0, r);
}

static void flt_write_rsp_step(struct flt_ctx *c, unsigned int n,
			       struct flt_run *r)
{
	ssize_t w = write(c->fd, c->data, FLT_DATA);

	if (w != FLT_DATA)
		flt_abort("write() without a fault failed");
	flt_write_flow(c, FLT_DATA, true, n, r);
}

/* A fresh job on the I/O printer with some data acknowledged */
static int flt_busy_job(struct flt_ctx *c)
{
	int fd = flt_sys(c, RPT_OP_OPEN, c->node, -1, 0, NULL, NULL);

	if (fd < 0)
		flt_abort("open() without a fault failed");
	if (write(fd, c->data, FLT_HELD) != FLT_HELD ||
	    flt_sys(c, RPT_OP_FSYNC, NULL, fd, 0, NULL, NULL))
		flt_abort("write()/fsync() without a fault failed");
	return fd;
}

static void flt_close_step(struct flt_ctx *c, unsigned int n,
			   struct flt_run *r)
{
	struct flt_seen seen = {};
	int fd = flt_busy_job(c), left = -1, rc;

	rc = flt_sys(c, RPT_OP_CLOSE, NULL, fd, n, &left, &seen);
	r->fired = !left;
	/* a job finished in the background closes a little later */
	if (!seen.closes)
		flt_play(c, 300, &seen);
	flt_outcome(r, rc ? rdpprn_errname(rc) : "ok");
	if (!rc && !seen.closes)
		flt_bad(r, "close() returned 0, no IRP_MJ_CLOSE: the client's FileId stays open");
	else if (rc && rc != -ENOMEM)
		flt_bad(r, "close() failed with %s", rdpprn_errname(rc));
	else if (seen.closes > 1)
		flt_bad(r, "%u IRP_MJ_CLOSE for one job", seen.closes);
	if (rc && !seen.closes)
		flt_outcome(r, "ENOMEM-unclosed");
	flt_settled(c, c->sid, 1, 0, r);
}

static void flt_close_rsp_step(struct flt_ctx *c, unsigned int n,
			       struct flt_run *r)
{
	struct rpt_async a = { .fd = flt_busy_job(c) };

	flt_rsp_step(c, &a, RPT_OP_CLOSE, IRP_MJ_CLOSE, n, r);
	flt_settled(c, c->sid, 1, 0, r);
}

/* ---- a printer or a session goes away under open jobs ------------------------- */

/* The jobs @fds of a removed printer or ended session fail with ENODEV */
static void flt_jobs_gone(struct flt_ctx *c, const int *fds, unsigned int n,
			  struct flt_run *r)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = flt_sys(c, RPT_OP_FSYNC, NULL, fds[i], 0, NULL, NULL);
		if (rc != -ENODEV)
			flt_bad(r, "fsync() of a job of a removed printer: %s",
				rdpprn_errname(rc));
	}
}

/* Their held writes still work after a refused removal */
static void flt_jobs_live(struct flt_ctx *c, u32 sid, const int *fds,
			  const struct rdpdr_ioreq *io, unsigned int n,
			  struct flt_run *r)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = flt_release_held(c, sid, &io[i]);
		if (!rc)
			rc = flt_sys(c, RPT_OP_FSYNC, NULL, fds[i], 0, NULL,
				     NULL);
		if (rc)
			flt_bad(r, "job after a refused removal: %s",
				rdpprn_errname(rc));
	}
}

static void flt_close_all(struct flt_ctx *c, const int *fds, unsigned int n)
{
	while (n--)
		if (fds[n] >= 0)
			flt_sys(c, RPT_OP_CLOSE, NULL, fds[n], 0, NULL, NULL);
}

static void flt_remove_step(struct flt_ctx *c, unsigned int n,
			    struct flt_run *r)
{
	struct rdpdr_ioreq io;
	u32 id = FLT_ID_RM;
	char node[64];
	bool gone;
	size_t len;
	u64 e0;
	int rc, fd;
	u8 *pdu;

	if (rpt_announce_simple(&c->nl, c->sid, &id, 1, NULL, NULL) ||
	    rpt_find_node(&c->nl, c->sid, id, node, sizeof(node)))
		flt_abort("announce without a fault failed");
	rpt_nl_flush_pdus(&c->nl);
	fd = flt_held_job(c, node, &io);
	if (fd < 0)
		flt_abort("job without a fault failed");
	e0 = flt_errors(c, c->sid);
	pdu = rpt_remove(&id, 1, &len);
	rc = flt_pdu(c, n, c->sid, pdu, len, r);
	free(pdu);
	if (rc)
		flt_refused(r, rc, flt_errors(c, c->sid) != e0);
	gone = rpt_find_node(&c->nl, c->sid, id, NULL, 0) == -ENOENT;
	if (!rc || (r->ack_lost && gone)) {
		if (!gone || !access(node, F_OK))
			flt_bad(r, "removed printer %u still there (%s)", id,
				node);
		flt_jobs_gone(c, &fd, 1, r);
		rc = flt_release_held(c, c->sid, &io);
		if (rc != -ENOENT)
			flt_bad(r, "answer to a removed printer's request: %s",
				rdpprn_errname(rc));
	} else {
		if (gone)
			flt_bad(r, "refused remove (%s) removed the printer",
				rdpprn_errname(rc));
		flt_jobs_live(c, c->sid, &fd, &io, 1, r);
		flt_remove_all(c, c->sid, &id, 1);
		flt_jobs_gone(c, &fd, 1, r);
	}
	flt_close_all(c, &fd, 1);
	flt_settled(c, c->sid, 0, 0, r);
}

static void flt_del_step(struct flt_ctx *c, unsigned int n,
			 struct flt_run *r)
{
	static const u32 ids[2] = { FLT_ID_DEL, FLT_ID_DEL + 1 };
	struct rdpdr_ioreq io[2];
	struct rpt_obj *o = NULL;
	char node[2][64];
	int fd[2] = { -1, -1 }, rc, i;
	bool gone;
	u32 sid;

	if (rpt_session_new(&c->nl, 0, 0, "faults-del", &sid) ||
	    rpt_announce_simple(&c->nl, sid, ids, 2, NULL, NULL))
		flt_abort("session without a fault failed");
	rpt_nl_flush_pdus(&c->nl);
	for (i = 0; i < 2; i++) {
		if (rpt_find_node(&c->nl, sid, ids[i], node[i], sizeof(node[i])))
			flt_abort("printer without a fault failed");
		fd[i] = flt_held_job(c, node[i], &io[i]);
		if (fd[i] < 0)
			flt_abort("job without a fault failed");
	}
	flt_arm(c, n);
	rc = rpt_session_del(&c->nl, sid);
	flt_fired(c, rc, r);
	flt_outcome(r, "ok");
	if (rc)
		flt_refused(r, rc, false);
	gone = rpt_get_sessions(&c->nl, sid, false, &o) == -ENOENT;
	rpt_objs_free(o);
	if (!rc || (r->ack_lost && gone)) {
		if (!gone || !access(node[0], F_OK) || !access(node[1], F_OK))
			flt_bad(r, "ended session %u or its nodes still there",
				sid);
		flt_jobs_gone(c, fd, 2, r);
	} else {
		if (gone)
			flt_bad(r, "refused SESSION_DEL (%s) ended the session",
				rdpprn_errname(rc));
		flt_jobs_live(c, sid, fd, io, 2, r);
		rc = rpt_session_del(&c->nl, sid);
		if (rc)
			flt_bad(r, "SESSION_DEL again: %s", rdpprn_errname(rc));
		flt_jobs_gone(c, fd, 2, r);
	}
	flt_close_all(c, fd, 2);
	flt_settled(c, sid, 0, 0, r);
}

/* ---- the loop ---------------------------------------------------------------- */

static const struct flt_op flt_ops[] = {
	{ "session-new", NULL, flt_session_new_step, NULL },
	{ "announce", flt_announce_setup, flt_announce_step, NULL },
	{ "open", flt_io_setup, flt_open_step, flt_io_teardown },
	{ "create-response", flt_io_setup, flt_create_rsp_step,
	  flt_io_teardown },
	{ "write", flt_job_setup, flt_write_step, flt_job_teardown },
	{ "write-response", flt_job_setup, flt_write_rsp_step,
	  flt_job_teardown },
	{ "close", flt_io_setup, flt_close_step, flt_io_teardown },
	{ "close-response", flt_io_setup, flt_close_rsp_step,
	  flt_io_teardown },
	{ "remove-open-job", NULL, flt_remove_step, NULL },
	{ "session-del-open-jobs", NULL, flt_del_step, NULL },
};

/**
 * struct flt_tally - how the failed runs of one operation ended
 * @name: outcome names
 * @n: how often each
 * @used: entries in use
 */
struct flt_tally {
	char name[FLT_OUTCOMES][24];
	unsigned int n[FLT_OUTCOMES];
	unsigned int used;
};

static void flt_tally_add(struct flt_tally *t, const char *outcome)
{
	unsigned int i;

	for (i = 0; i < t->used; i++) {
		if (!strcmp(t->name[i], outcome)) {
			t->n[i]++;
			return;
		}
	}
	if (t->used == FLT_OUTCOMES)
		return;
	snprintf(t->name[t->used], sizeof(t->name[0]), "%s", outcome);
	t->n[t->used++] = 1;
}

static void flt_tally_print(const struct flt_tally *t)
{
	unsigned int i;

	for (i = 0; i < t->used; i++)
		printf("%s%s %u", i ? ", " : " (", t->name[i], t->n[i]);
	if (t->used)
		putchar(')');
}

static bool flt_verbose;

static noinline_for_stack void flt_run_op(struct flt_ctx *c,
					  const struct flt_op *op)
{
	unsigned int n, failed = 0, bad = 0;
	struct flt_tally tally = {};
	char first[176] = "", name[48];
	struct flt_run r;
	u64 t0 = rdpprn_now_ms();
	int rc;

	snprintf(name, sizeof(name), "faults-%s", op->name);
	rc = op->setup ? op->setup(c) : 0;
	if (rc) {
		rpt_not_ok(name, "setup failed: %s", rdpprn_errname(rc));
		return;
	}
	for (n = 1; n <= FLT_MAX_N; n++) {
		memset(&r, 0, sizeof(r));
		op->step(c, n, &r);
		if (r.fired) {
			failed++;
			flt_tally_add(&tally, r.outcome);
		}
		if (flt_verbose)
			printf("# faults: %s: site %u: %s%s [%s]\n", op->name,
			       n, r.fired ? r.outcome : "not reached",
			       r.bad ? ", NOT CLEAN" : "", r.detail);
		if (r.bad) {
			bad++;
			printf("# faults: %s: site %u: %s [%s]\n", op->name, n,
			       r.why, r.detail[0] ? r.detail : r.outcome);
			if (!first[0])
				snprintf(first, sizeof(first), "site %u: %s",
					 n, r.why);
		}
		if (!r.fired || r.fatal)
			break;
	}
	if (op->teardown)
		op->teardown(c);
	c->sites += failed;
	c->bad += bad;
	c->ops++;
	printf("# faults: %s: %u sites failed, %s", op->name, failed,
	       bad ? "NOT all clean" : "all clean");
	flt_tally_print(&tally);
	printf(", %llu ms\n", (unsigned long long)(rdpprn_now_ms() - t0));
	if (n > FLT_MAX_N)
		rpt_not_ok(name, "still failing after %u sites", FLT_MAX_N);
	else if (r.fatal)
		rpt_not_ok(name, "stopped at site %u: %s", n, first);
	else if (bad)
		rpt_not_ok(name, "%u of %u runs not clean, first %s", bad,
			   failed + !r.fired, first);
	else
		rpt_ok(name);
}

static const struct option flt_longopts[] = {
	{ "only", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

int rpt_cmd_check_faults(int argc, char **argv)
{
	struct flt_ctx *c = rdpprn_xzalloc(sizeof(*c));
	const char *only = NULL;
	char val[16];
	size_t i;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:v", flt_longopts,
				  NULL)) != -1) {
		if (opt == 'v')
			flt_verbose = true;
		else if (opt == 'o')
			only = optarg;
		else
			rpt_die("check-faults: see --help");
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	c->fail_fd = rpt_fail_nth_open();
	if (c->fail_fd < 0) {
		rpt_not_ok("faults-fail-nth",
			   "/proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)",
			   rdpprn_errname(c->fail_fd));
		return rpt_summary();
	}
	if (rpt_read_text(FLT_FAILSLAB, val, sizeof(val)) || val[0] != 'N')
		printf("# faults: failslab ignore-gfp-wait is not N: only atomic ones fail\n");
	for (i = 0; i < sizeof(c->data); i++)
		c->data[i] = (u8)(i * 7 + 3);
	c->next_file = 0x5000;
	if (rpt_setup_session(&c->nl, 0, 0, "check-faults", &c->sid))
		return rpt_summary();
	c->nl.hooks = &c->hk;
	for (i = 0; i < ARRAY_SIZE(flt_ops); i++)
		if (!only || !strcmp(only, flt_ops[i].name))
			flt_run_op(c, &flt_ops[i]);
	printf("# faults: total: %u sites failed in %u operations, %u runs not clean\n",
	       c->sites, c->ops, c->bad);
	rpt_check(!rpt_session_del(&c->nl, c->sid), "faults-session-del",
		  "%s", c->nl.extack);
	rpt_nl_close(&c->nl);
	close(c->fail_fd);
	free(c->announce);
	free(c->config[0]);
	free(c->config[1]);
	free(c);
	return rpt_summary();
}
