// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: check-io and check-session.
 *
 * check-io plays the client by hand against jobs the check itself opens
 * (in threads, since open(), fsync() and close() block until the client
 * answers): the request layouts, refused Device I/O Responses (unknown
 * CompletionId, wrong DeviceId, too short, Length over the request),
 * status latching, chunking, short writes and the create timeout.
 *
 * check-session covers session ownership and lifetime: ENOENT/EPERM, the
 * owner socket closing and SESSION_DEL with jobs in flight.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "rdpprn_test.h"
#include "check.h"

#define IO_DEV		7
#define IO_ANY_FILE	0xffffffffU

struct io_ctx {
	struct rpt_nl nl;
	u32 sid;
	char node[64];
	u8 *data;
	size_t data_len;
};

static int io_send(struct io_ctx *c, const u8 *buf, size_t len)
{
	return rpt_send_pdu(&c->nl, c->sid, buf, len);
}

static int io_want(int code, int lib)
{
	return lib ? lib : code;
}

/* The wire library's errno for a response of @len bytes to @major */
static int io_lib_code(u32 major, const u8 *buf, size_t len)
{
	struct rdpdr_create_rsp cr;
	struct rdpdr_write_rsp wr;
	struct rdpdr_close_rsp cl;
	struct rdpdr_err err;
	int rc;

	if (major == IRP_MJ_CREATE)
		rc = rdpdr_parse_create_rsp(buf, len, &cr, &err);
	else if (major == IRP_MJ_WRITE)
		rc = rdpdr_parse_write_rsp(buf, len, &wr, &err);
	else
		rc = rdpdr_parse_close_rsp(buf, len, &cl, &err);
	return rc < 0 ? -rc : 0;
}

/* open() in a thread, answer its create with @file_id; fd or -1 */
static int io_open_job(struct io_ctx *c, const char *name, u32 file_id)
{
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	u8 buf[32];
	size_t n;

	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, name, IRP_MJ_CREATE, &io, RPT_WAIT_MS);
	if (!p) {
		rpt_async_wait(&op, RPT_WAIT_MS);
		return -1;
	}
	free(p);
	n = rpt_create_rsp(buf, io.device_id, io.completion_id, 0, file_id);
	io_send(c, buf, n);
	if (!rpt_async_wait(&op, RPT_WAIT_MS)) {
		rpt_not_ok(name, "open() did not return after the create response");
		return -1;
	}
	if (op.ret < 0) {
		rpt_not_ok(name, "open() failed: %s", rdpprn_errname(op.err));
		return -1;
	}
	return (int)op.ret;
}

/* close() in a thread, answering its IRP_MJ_CLOSE; 0 or -errno */
/* @file_id IO_ANY_FILE accepts any FileId; the one seen is in *@seen */
static int io_close_job_seen(struct io_ctx *c, const char *name, int fd,
			     u32 file_id, u32 *seen)
{
	struct rpt_async op = { .fd = fd };
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	u8 buf[32];
	size_t n;

	rpt_async_start(&op, RPT_OP_CLOSE);
	p = rpt_expect_ioreq(&c->nl, name, IRP_MJ_CLOSE, &io, RPT_WAIT_MS);
	if (p) {
		if (seen)
			*seen = io.file_id;
		rpt_check(p->len == RDPDR_CLOSE_REQ_SIZE &&
			  (io.file_id == file_id || file_id == IO_ANY_FILE) &&
			  io.device_id == IO_DEV, name,
			  "close request: %zu bytes, FileId 0x%x (want 56, 0x%x)",
			  p->len, io.file_id, file_id);
		free(p);
		n = rpt_close_rsp(buf, io.device_id, io.completion_id, 0);
		io_send(c, buf, n);
	}
	if (!rpt_async_wait(&op, RPT_WAIT_MS))
		return -ETIMEDOUT;
	return op.ret < 0 ? -op.err : 0;
}

static int io_close_job(struct io_ctx *c, const char *name, int fd,
			u32 file_id)
{
	return io_close_job_seen(c, name, fd, file_id, NULL);
}

static int io_fsync(int fd, int ms, bool *done)
{
	struct rpt_async op = { .fd = fd };

	rpt_async_start(&op, RPT_OP_FSYNC);
	*done = rpt_async_wait(&op, ms);
	if (!*done)
		return -ETIMEDOUT;
	return op.ret < 0 ? -op.err : 0;
}

static void io_create_and_write_errors(struct io_ctx *c)
{
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_create_req req;
	struct rdpdr_write_req wreq;
	struct rdpdr_err err;
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	int want[3], rc, fd, e;
	u32 cid, wcid;
	bool done;
	u8 buf[32];
	ssize_t w;
	size_t n;

	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "create-request", IRP_MJ_CREATE, &io,
			     RPT_WAIT_MS);
	if (!p)
		return;
	rc = rdpdr_parse_create_req(p->data, p->len, &req, &err);
	rpt_check(!rc && p->len == RDPDR_CREATE_REQ_FIXED &&
		  io.device_id == IO_DEV && !io.file_id && !req.path_length &&
		  req.create_disposition == RDPDR_FILE_OPEN,
		  "create-request-format",
		  "%zu bytes, DeviceId %u, FileId %u, PathLength %u, disposition %u",
		  p->len, io.device_id, io.file_id, req.path_length,
		  req.create_disposition);
	free(p);
	cid = io.completion_id;
	rpt_check(!rpt_async_wait(&op, 100), "open-waits-for-create-response",
		  "open() returned %s before any response",
		  rdpprn_errname(op.err));

	want[0] = ENOENT;
	n = rpt_create_rsp(buf, IO_DEV, cid + 1000, 0, 0x1234);
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-unknown-completionid", rc, want, 1,
		       true);

	want[0] = EINVAL;
	n = rpt_create_rsp(buf, IO_DEV + 1, cid, 0, 0x1234);
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-wrong-deviceid", rc, want, 1, true);
	rpt_check(!rpt_async_wait(&op, 200),
		  "iorsp-wrong-deviceid-keeps-request", "open() returned %s",
		  rdpprn_errname(op.err));

	/* a 16-byte completion (the shape of a close) for a create */
	n = rpt_completion(buf, IO_DEV, cid, 0);
	want[0] = EBADMSG;
	want[1] = io_want(EBADMSG, io_lib_code(IRP_MJ_CREATE, buf, n));
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-wrong-major-too-short", rc, want, 2,
		       true);
	n = rpt_create_rsp(buf, IO_DEV, cid, 0, 0x1234);
	want[1] = io_want(EBADMSG, io_lib_code(IRP_MJ_CREATE, buf, n - 1));
	rc = io_send(c, buf, n - 1);
	rpt_expect_err(&c->nl, "iorsp-create-truncated", rc, want, 2, true);
	rpt_check(!rpt_async_wait(&op, 200), "iorsp-refused-keeps-request",
		  "open() returned %s", rdpprn_errname(op.err));

	rc = io_send(c, buf, n);
	rpt_check(!rc, "iorsp-create-accepted", "%s \"%s\"", rdpprn_errname(rc),
		  c->nl.extack);
	done = rpt_async_wait(&op, RPT_WAIT_MS);
	if (!rpt_check(done && op.ret >= 0, "open-after-create-response",
		       "%s", done ? rdpprn_errname(op.err) : "still blocked"))
		return;
	fd = (int)op.ret;
	want[0] = ENOENT;
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-duplicate-completion", rc, want, 1,
		       true);

	w = write(fd, c->data, 100);
	rpt_check(w == 100, "write-returns-at-once", "write() = %zd (%s)", w,
		  rdpprn_errname(errno));
	p = rpt_expect_ioreq(&c->nl, "write-request", IRP_MJ_WRITE, &io,
			     RPT_WAIT_MS);
	if (!p)
		return;
	rc = rdpdr_parse_write_req(p->data, p->len, &wreq, &err);
	rpt_check(!rc && p->len == 156 && io.device_id == IO_DEV &&
		  io.file_id == 0x1234 && wreq.length == 100 && !wreq.offset &&
		  !memcmp(wreq.data, c->data, 100), "write-request-format",
		  "%zu bytes, FileId 0x%x, Length %u, Offset %llu",
		  p->len, io.file_id, wreq.length,
		  (unsigned long long)wreq.offset);
	free(p);
	wcid = io.completion_id;

	n = rpt_completion(buf, IO_DEV, wcid, 0);
	want[0] = EBADMSG;
	want[1] = io_want(EBADMSG, io_lib_code(IRP_MJ_WRITE, buf, n));
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-write-too-short", rc, want, 2, true);
	n = rpt_write_rsp(buf, IO_DEV, wcid, 0, 100);
	rc = io_send(c, buf, n);
	rpt_check(!rc, "iorsp-write-accepted-after-refused", "%s \"%s\"",
		  rdpprn_errname(rc), c->nl.extack);
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(done && !e, "fsync-after-acknowledge", "%s",
		  done ? rdpprn_errname(e) : "blocked");

	w = write(fd, c->data + 100, 200);
	p = rpt_expect_ioreq(&c->nl, "write-request-2", IRP_MJ_WRITE, &io,
			     RPT_WAIT_MS);
	if (!p)
		return;
	rc = rdpdr_parse_write_req(p->data, p->len, &wreq, &err);
	rpt_check(w == 200 && !rc && wreq.offset == 100 &&
		  wreq.length == 200 &&
		  !memcmp(wreq.data, c->data + 100, 200),
		  "write-request-running-offset", "Offset %llu Length %u",
		  (unsigned long long)wreq.offset, wreq.length);
	free(p);
	n = rpt_write_rsp(buf, IO_DEV, io.completion_id, 0, 201);
	want[0] = EINVAL;
	rc = io_send(c, buf, n);
	rpt_expect_err(&c->nl, "iorsp-write-length-over-request", rc, want, 1,
		       true);
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(done && e == -EIO, "job-fails-after-bad-length",
		  "fsync: %s", done ? rdpprn_errname(e) : "blocked");
	w = write(fd, c->data, 1);
	rpt_check(w < 0 && errno == EIO, "write-after-failure", "write: %s",
		  w < 0 ? rdpprn_errname(errno) : "succeeded");
	e = io_close_job(c, "close-request-after-failure", fd, 0x1234);
	rpt_check(e == -EIO, "close-returns-latched-error", "close: %s",
		  rdpprn_errname(e));
}

static void io_failed_create(struct io_ctx *c)
{
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	u8 buf[32];
	size_t n;
	int rc;

	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "create-refused", IRP_MJ_CREATE, &io,
			     RPT_WAIT_MS);
	if (!p)
		return;
	free(p);
	n = rpt_create_rsp(buf, IO_DEV, io.completion_id,
			   STATUS_PRINT_QUEUE_FULL, 0);
	io_send(c, buf, n);
	rpt_check(rpt_async_wait(&op, RPT_WAIT_MS) && op.ret < 0 &&
		  op.err == EBUSY, "create-refused-ebusy", "open: %s",
		  op.ret < 0 ? rdpprn_errname(op.err) : "succeeded");
	if (op.ret >= 0)
		close((int)op.ret);
	p = rpt_nl_next_pdu(&c->nl, 1000, &rc);
	rpt_check(!p, "no-close-after-failed-create",
		  "the kernel sent a %zu-byte PDU", p ? p->len : 0);
	free(p);
}

static void io_write_status(struct io_ctx *c)
{
	struct rdpdr_ioreq io;
	struct rpt_async op;
	struct rpt_pdu *p;
	bool done;
	u8 buf[32];
	ssize_t w;
	size_t n;
	int fd, e;

	fd = io_open_job(c, "write-status-open", 0x2000);
	if (fd < 0)
		return;
	w = write(fd, c->data, 10);
	p = rpt_expect_ioreq(&c->nl, "write-status-request", IRP_MJ_WRITE, &io,
			     RPT_WAIT_MS);
	if (!p || w != 10) {
		free(p);
		close(fd);
		return;
	}
	free(p);
	memset(&op, 0, sizeof(op));
	op.fd = fd;
	rpt_async_start(&op, RPT_OP_FSYNC);
	rpt_check(!rpt_async_wait(&op, 200), "fsync-waits-for-acknowledge",
		  "fsync returned %s with a write outstanding",
		  rdpprn_errname(op.err));
	n = rpt_write_rsp(buf, IO_DEV, io.completion_id, STATUS_NO_SPOOL_SPACE,
			  0);
	io_send(c, buf, n);
	done = rpt_async_wait(&op, RPT_WAIT_MS);
	rpt_check(done && op.ret < 0 && op.err == ENOSPC,
		  "write-status-at-fsync", "fsync: %s",
		  !done ? "blocked" : op.ret < 0 ? rdpprn_errname(op.err) : "OK");
	w = write(fd, c->data, 1);
	rpt_check(w < 0 && errno == ENOSPC, "write-status-at-next-write",
		  "write: %s", w < 0 ? rdpprn_errname(errno) : "succeeded");
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(done && e == -ENOSPC, "write-status-stays-latched",
		  "second fsync: %s", done ? rdpprn_errname(e) : "blocked");
	e = io_close_job(c, "write-status-close-request", fd, 0x2000);
	rpt_check(e == -ENOSPC, "write-status-at-close", "close: %s",
		  rdpprn_errname(e));
}

static void io_zero_writes(struct io_ctx *c)
{
	struct rdpdr_write_req wreq;
	struct rdpdr_err err;
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	unsigned int i, ok = 0;
	bool done;
	u8 buf[32];
	size_t n;
	int fd, e;

	fd = io_open_job(c, "zero-writes-open", 0x2100);
	if (fd < 0)
		return;
	if (write(fd, c->data, 10) != 10)
		rpt_not_ok("zero-writes-write", "write: %s", rdpprn_errname(errno));
	for (i = 0; i < 3; i++) {
		p = rpt_expect_ioreq(&c->nl, "zero-writes-request",
				     IRP_MJ_WRITE, &io, RPT_WAIT_MS);
		if (!p)
			break;
		if (!rdpdr_parse_write_req(p->data, p->len, &wreq, &err) &&
		    !wreq.offset && wreq.length == 10)
			ok++;
		free(p);
		n = rpt_write_rsp(buf, IO_DEV, io.completion_id, 0, 0);
		io_send(c, buf, n);
	}
	rpt_check(ok == 3, "zero-write-resent", "%u of 3 resends", ok);
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(done && e == -EIO, "three-zero-writes-eio", "fsync: %s",
		  done ? rdpprn_errname(e) : "blocked");
	p = rpt_nl_next_pdu(&c->nl, 300, NULL);
	if (p && !rdpdr_parse_ioreq(p->data, p->len, &io, &err) &&
	    io.major_function == IRP_MJ_WRITE)
		rpt_not_ok("no-fourth-write", "a write was sent after 3 zero-length responses");
	if (p) {
		/* put it back: it is probably the close */
		p->next = c->nl.head;
		c->nl.head = p;
		if (!c->nl.tail)
			c->nl.tail = p;
		c->nl.queued++;
	}
	e = io_close_job(c, "zero-writes-close-request", fd, 0x2100);
	rpt_check(e == -EIO, "zero-writes-close-eio", "close: %s",
		  rdpprn_errname(e));
}

/* Nothing from the kernel for @ms: the check passes; else it is put back. */
static void io_expect_silence(struct io_ctx *c, const char *name, int ms)
{
	struct rpt_pdu *p;
	int rc;

	p = rpt_nl_next_pdu(&c->nl, ms, &rc);
	rpt_check(!p, name, "the kernel sent a PDU of %zu bytes",
		  p ? p->len : 0);
	free(p);
}

/*
 * Two opens of one printer: jobs run one after another. The second
 * open() sends no create until the first job is closed and its close
 * answered (real clients refuse a second create while a job is open);
 * with O_NONBLOCK it fails with EAGAIN meanwhile.
 */
static void io_concurrent(struct io_ctx *c)
{
	struct rpt_async a = { .path = c->node, .flags = O_WRONLY };
	struct rpt_async b = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_ioreq io1, io2;
	struct rpt_pdu *p;
	u8 buf[32];
	size_t n;
	int e, fd;

	rpt_async_start(&a, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "concurrent-create-1", IRP_MJ_CREATE,
			     &io1, RPT_WAIT_MS);
	if (!p) {
		rpt_async_wait(&a, RPT_WAIT_MS);
		return;
	}
	free(p);
	rpt_async_start(&b, RPT_OP_OPEN);
	io_expect_silence(c, "concurrent-second-create-waits", 300);
	n = rpt_create_rsp(buf, IO_DEV, io1.completion_id, 0, 0x3001);
	io_send(c, buf, n);
	if (!rpt_check(rpt_async_wait(&a, RPT_WAIT_MS) && a.ret >= 0,
		       "concurrent-open-1", "open: %s", rdpprn_errname(a.err))) {
		rpt_async_wait(&b, RPT_WAIT_MS);
		return;
	}
	io_expect_silence(c, "concurrent-second-create-waits-open-job", 300);
	rpt_check(!rpt_async_wait(&b, 0), "concurrent-open-2-queued",
		  "the second open() returned while the first job is open: %s",
		  rdpprn_errname(b.err));
	fd = open(c->node, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	rpt_check(fd < 0 && errno == EAGAIN, "concurrent-nonblock-eagain",
		  "O_NONBLOCK open of a busy printer: %s",
		  fd < 0 ? rdpprn_errname(-errno) : "opened");
	if (fd >= 0)
		close(fd);

	e = io_close_job(c, "concurrent-close-1", (int)a.ret, 0x3001);
	rpt_check(!e, "concurrent-close-1-ok", "close: %s", rdpprn_errname(e));
	p = rpt_expect_ioreq(&c->nl, "concurrent-create-2", IRP_MJ_CREATE,
			     &io2, RPT_WAIT_MS);
	if (!p) {
		rpt_async_wait(&b, RPT_WAIT_MS);
		return;
	}
	free(p);
	n = rpt_create_rsp(buf, IO_DEV, io2.completion_id, 0, 0x3002);
	io_send(c, buf, n);
	if (!rpt_check(rpt_async_wait(&b, RPT_WAIT_MS) && b.ret >= 0,
		       "concurrent-open-2", "open: %s", rdpprn_errname(b.err)))
		return;
	e = io_close_job(c, "concurrent-close-2", (int)b.ret, 0x3002);
	rpt_check(!e, "concurrent-close-2-ok", "close: %s", rdpprn_errname(e));
}

static void io_chunks(struct io_ctx *c)
{
	u32 chunk = (u32)rpt_param("chunk_size", RPT_DEF_CHUNK_SIZE);
	size_t total = (size_t)chunk * 3 + 1234, got = 0;
	struct rpt_async wr;
	struct rdpdr_write_req wreq;
	struct rdpdr_err err;
	struct rdpdr_ioreq io;
	unsigned int reqs = 0, bad_len = 0, bad_off = 0, bad_data = 0;
	unsigned int window = 0, resent = 0;
	bool done;
	u8 buf[32];
	size_t n;
	int fd, e;

	if (total > c->data_len)
		total = c->data_len;
	fd = io_open_job(c, "chunks-open", 0x4000);
	if (fd < 0)
		return;
	memset(&wr, 0, sizeof(wr));
	wr.fd = fd;
	wr.buf = c->data;
	wr.len = total;
	rpt_async_start(&wr, RPT_OP_WRITE);
	while (got < total) {
		struct rpt_pdu *p;
		u32 take;

		p = rpt_expect_ioreq(&c->nl, "chunks-request", IRP_MJ_WRITE,
				     &io, RPT_WAIT_MS);
		if (!p)
			break;
		reqs++;
		if (rdpdr_parse_write_req(p->data, p->len, &wreq, &err)) {
			free(p);
			rpt_not_ok("chunks-request", "unparsable write");
			break;
		}
		if (!wreq.length || wreq.length > chunk)
			bad_len++;
		if (wreq.offset != got)
			bad_off++;
		if (wreq.offset + wreq.length > total ||
		    memcmp(wreq.data, c->data + wreq.offset, wreq.length))
			bad_data++;
		free(p);
		if (reqs <= 2) {
			/* window 1: nothing else may come before we answer */
			rpt_sleep_ms(300);
			rpt_nl_drain(&c->nl);
			if (c->nl.head)
				window++;
		}
		take = wreq.length;
		if (reqs == 1) {
			take = wreq.length / 2;
			resent = 1;
		} else if (reqs == 2 && resent == 1) {
			/* the rest of the first request must come again */
			if (wreq.offset == got)
				resent = 2;
		}
		got += take;
		n = rpt_write_rsp(buf, IO_DEV, io.completion_id, 0, take);
		io_send(c, buf, n);
	}
	rpt_check(!bad_len, "chunks-within-chunk_size",
		  "%u of %u requests outside 1..%u bytes", bad_len, reqs,
		  chunk);
	rpt_check(!bad_off, "chunks-running-offset",
		  "%u of %u requests with a wrong Offset", bad_off, reqs);
	rpt_check(!bad_data, "chunks-data-intact",
		  "%u of %u requests with wrong data", bad_data, reqs);
	rpt_check(!window, "chunks-one-outstanding",
		  "a second write came before the first was answered");
	rpt_check(resent == 2, "short-write-remainder-resent",
		  "the remainder of a short write was not resent");
	done = rpt_async_wait(&wr, RPT_WAIT_MS);
	rpt_check(done && wr.ret == (ssize_t)total, "chunks-write-complete",
		  "write() = %zd (%s)", wr.ret, rdpprn_errname(wr.err));
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(done && !e, "chunks-fsync", "%s",
		  done ? rdpprn_errname(e) : "blocked");
	e = io_close_job(c, "chunks-close-request", fd, 0x4000);
	rpt_check(!e, "chunks-close", "close: %s", rdpprn_errname(e));
}

static void io_create_timeout(struct io_ctx *c)
{
	long long old = rpt_param("io_timeout", -1);
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	char val[32];
	bool done;
	u8 buf[32];
	size_t n;
	int rc, want = ENOENT;

	if (old < 0 || rpt_set_param("io_timeout", "2")) {
		rpt_not_ok("create-timeout", "io_timeout is not writable");
		return;
	}
	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "create-timeout-request", IRP_MJ_CREATE,
			     &io, RPT_WAIT_MS);
	free(p);
	done = rpt_async_wait(&op, 10000);
	rpt_check(done && op.ret < 0 && op.err == ETIMEDOUT &&
		  op.ms >= 1500 && op.ms < 6000, "create-timeout-etimedout",
		  "open: %s after %llu ms (io_timeout 2)",
		  !done ? "blocked" : op.ret < 0 ? rdpprn_errname(op.err) : "OK",
		  (unsigned long long)op.ms);
	if (done && op.ret >= 0)
		close((int)op.ret);
	snprintf(val, sizeof(val), "%lld", old);
	rpt_set_param("io_timeout", val);
	if (!p)
		return;
	/*
	 * A late success for a create that timed out: the kernel may refuse
	 * it (ENOENT, and then nothing may follow), or take it and close the
	 * FileId the client just opened at once (nothing else may follow).
	 */
	n = rpt_create_rsp(buf, IO_DEV, io.completion_id, 0, 0x5000);
	rc = io_send(c, buf, n);
	if (rc) {
		rpt_expect_err(&c->nl, "late-create-response-after-timeout", rc,
			       &want, 1, true);
		p = rpt_nl_next_pdu(&c->nl, 500, NULL);
		rpt_check(!p, "no-close-after-timed-out-create",
			  "the kernel sent a %zu-byte PDU", p ? p->len : 0);
		free(p);
		return;
	}
	rpt_ok("late-create-response-after-timeout");
	printf("# late-create-response-after-timeout: accepted, FileId closed again\n");
	p = rpt_expect_ioreq(&c->nl, "late-create-closed-again", IRP_MJ_CLOSE,
			     &io, RPT_WAIT_MS);
	if (!p)
		return;
	rpt_check(io.file_id == 0x5000 && io.device_id == IO_DEV,
		  "late-create-closed-again", "close of DeviceId %u FileId 0x%x",
		  io.device_id, io.file_id);
	free(p);
	n = rpt_close_rsp(buf, IO_DEV, io.completion_id, 0);
	rc = io_send(c, buf, n);
	rpt_check(!rc, "late-create-close-answered", "%s \"%s\"",
		  rdpprn_errname(rc), c->nl.extack);
	p = rpt_nl_next_pdu(&c->nl, 500, NULL);
	rpt_check(!p, "nothing-else-after-late-create",
		  "the kernel sent a %zu-byte PDU", p ? p->len : 0);
	free(p);
}

/* Two descriptors of one open file: only the last close() ends the job */
static void io_dup_close(struct io_ctx *c)
{
	struct rdpdr_write_req wreq;
	struct rpt_async op = { 0 };
	struct rdpdr_err err;
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	int fd, fd2, e;
	u32 got = 0;
	u8 buf[32];
	size_t n;

	fd = io_open_job(c, "dup-open", 0x6200);
	if (fd < 0)
		return;
	fd2 = dup(fd);
	if (write(fd, c->data, 10) != 10)
		rpt_not_ok("dup-write", "%s", rdpprn_errname(errno));
	p = rpt_expect_ioreq(&c->nl, "dup-write-request", IRP_MJ_WRITE, &io,
			     RPT_WAIT_MS);
	if (!p) {
		close(fd2);
		close(fd);
		return;
	}
	free(p);
	n = rpt_write_rsp(buf, IO_DEV, io.completion_id, 0, 10);
	io_send(c, buf, n);
	op.fd = fd;
	rpt_async_start(&op, RPT_OP_CLOSE);
	rpt_check(rpt_async_wait(&op, RPT_WAIT_MS) && !op.ret,
		  "dup-first-close", "close: %s", rdpprn_errname(op.err));
	p = rpt_nl_next_pdu(&c->nl, 300, NULL);
	rpt_check(!p, "dup-first-close-keeps-job",
		  "the kernel sent a %zu-byte PDU at the first close()",
		  p ? p->len : 0);
	free(p);
	if (write(fd2, c->data + 10, 20) != 20)
		rpt_not_ok("dup-write-2", "%s", rdpprn_errname(errno));
	p = rpt_expect_ioreq(&c->nl, "dup-write-request-2", IRP_MJ_WRITE, &io,
			     RPT_WAIT_MS);
	if (p) {
		if (!rdpdr_parse_write_req(p->data, p->len, &wreq, &err) &&
		    wreq.offset == 10 && wreq.length == 20)
			got = 1;
		free(p);
		n = rpt_write_rsp(buf, IO_DEV, io.completion_id, 0, 20);
		io_send(c, buf, n);
	}
	rpt_check(got, "dup-job-goes-on",
		  "no write at Offset 10 after the first close()");
	e = io_close_job(c, "dup-last-close-request", fd2, 0x6200);
	rpt_check(!e, "dup-last-close", "close: %s", rdpprn_errname(e));
}

static void io_nop_handler(int sig)
{
}

/* Answer a late create success: refused, or taken and closed at once */
static void io_late_create(struct io_ctx *c, const char *name, u32 cid,
			   u32 file_id)
{
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	char cname[96];
	int rc, want = ENOENT;
	u8 buf[32];
	size_t n;

	n = rpt_create_rsp(buf, IO_DEV, cid, 0, file_id);
	rc = io_send(c, buf, n);
	if (rc) {
		rpt_expect_err(&c->nl, name, rc, &want, 1, true);
		p = rpt_nl_next_pdu(&c->nl, 500, NULL);
		snprintf(cname, sizeof(cname), "%s-nothing-follows", name);
		rpt_check(!p, cname, "the kernel sent a %zu-byte PDU",
			  p ? p->len : 0);
		free(p);
		return;
	}
	p = rpt_expect_ioreq(&c->nl, name, IRP_MJ_CLOSE, &io, RPT_WAIT_MS);
	if (!p)
		return;
	rpt_check(io.file_id == file_id, name,
		  "late create taken, then close of FileId 0x%x (want 0x%x)",
		  io.file_id, file_id);
	free(p);
	n = rpt_close_rsp(buf, IO_DEV, io.completion_id, 0);
	io_send(c, buf, n);
}

/*
 * open() interrupted by a signal while it waits for the create response,
 * and a writer SIGKILLed while close() waits for the client.
 */
static void io_interrupts(struct io_ctx *c)
{
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct sigaction sa;
	struct rdpdr_ioreq io, wio;
	struct rpt_pdu *p;
	int status = 0, i, rc;
	bool done, gone = false, have_write;
	u8 buf[32];
	size_t n;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = io_nop_handler;
	sigaction(SIGUSR1, &sa, NULL);
	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "open-interrupted-create", IRP_MJ_CREATE,
			     &io, RPT_WAIT_MS);
	if (!p)
		return;
	free(p);
	pthread_kill(op.th, SIGUSR1);
	done = rpt_async_wait(&op, 3000);
	rpt_check(done && op.ret < 0 && op.err == EINTR, "open-interrupted-eintr",
		  "open: %s", !done ? "blocked" :
		  op.ret < 0 ? rdpprn_errname(op.err) : "OK");
	if (done && op.ret >= 0)
		close((int)op.ret);
	io_late_create(c, "open-interrupted-late-create", io.completion_id,
		       0x6100);

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		int fd = open(c->node, O_WRONLY);

		if (fd < 0 || write(fd, "0123456789", 10) != 10)
			_exit(1);
		close(fd);
		_exit(0);
	}
	p = rpt_expect_ioreq(&c->nl, "killed-in-close-create", IRP_MJ_CREATE,
			     &io, RPT_WAIT_MS);
	if (!p) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	free(p);
	n = rpt_create_rsp(buf, IO_DEV, io.completion_id, 0, 0x7000);
	io_send(c, buf, n);
	p = rpt_expect_ioreq(&c->nl, "killed-in-close-write", IRP_MJ_WRITE,
			     &wio, RPT_WAIT_MS);
	have_write = p;
	free(p);
	/* the child now waits in close() for the write to be acknowledged */
	rpt_sleep_ms(300);
	kill(pid, SIGKILL);
	for (i = 0; i < 100 && !gone; i++) {
		gone = waitpid(pid, &status, WNOHANG) == pid;
		if (!gone)
			rpt_sleep_ms(50);
	}
	rpt_check(gone && WIFSIGNALED(status), "writer-killable-in-close",
		  "the writer did not die within 5 s of SIGKILL");
	if (!gone) {
		/* let it go: acknowledge, so that the test can go on */
		n = rpt_write_rsp(buf, IO_DEV, wio.completion_id, 0, 10);
		io_send(c, buf, n);
		waitpid(pid, &status, 0);
	} else if (have_write) {
		n = rpt_write_rsp(buf, IO_DEV, wio.completion_id, 0, 10);
		rc = io_send(c, buf, n);
		rpt_check(!rc || rc == -ENOENT, "late-write-response-after-kill",
			  "%s \"%s\"", rdpprn_errname(rc), c->nl.extack);
	}
	p = rpt_expect_ioreq(&c->nl, "killed-writer-job-closed", IRP_MJ_CLOSE,
			     &io, RPT_WAIT_MS);
	if (p) {
		rpt_check(io.file_id == 0x7000, "killed-writer-job-closed",
			  "close of FileId 0x%x", io.file_id);
		free(p);
		n = rpt_close_rsp(buf, IO_DEV, io.completion_id, 0);
		io_send(c, buf, n);
	}
	p = rpt_nl_next_pdu(&c->nl, 500, NULL);
	rpt_check(!p, "killed-writer-nothing-follows",
		  "the kernel sent a %zu-byte PDU", p ? p->len : 0);
	free(p);
}

/* The device goes away under a pending open() and under an open job */
static void io_remove_and_replace(struct io_ctx *c)
{
	struct rpt_async op = { .path = c->node, .flags = O_WRONLY };
	struct rdpdr_ioreq io;
	struct rpt_reply r[4];
	struct rpt_pdu *p;
	unsigned int nr = 4;
	u32 id = IO_DEV;
	bool done;
	ssize_t w;
	size_t len;
	u8 *pdu;
	int rc, fd, e;

	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&c->nl, "remove-pending-open-create",
			     IRP_MJ_CREATE, &io, RPT_WAIT_MS);
	free(p);
	pdu = rpt_remove(&id, 1, &len);
	rc = io_send(c, pdu, len);
	free(pdu);
	done = rpt_async_wait(&op, RPT_WAIT_MS);
	rpt_check(!rc && done && op.ret < 0 && op.err == ENODEV,
		  "remove-fails-pending-open", "remove: %s, open: %s",
		  rdpprn_errname(rc),
		  !done ? "blocked" : op.ret < 0 ? rdpprn_errname(op.err) : "OK");
	if (done && op.ret >= 0)
		close((int)op.ret);
	p = rpt_nl_next_pdu(&c->nl, 300, NULL);
	rpt_check(!p, "remove-pending-open-nothing-sent",
		  "the kernel sent a %zu-byte PDU for a removed device",
		  p ? p->len : 0);
	free(p);

	rc = rpt_announce_simple(&c->nl, c->sid, &id, 1, r, &nr);
	rc = rc ? rc : rpt_find_node(&c->nl, c->sid, IO_DEV, c->node,
				     sizeof(c->node));
	if (!rpt_check(!rc && nr == 1 && !r[0].status, "re-announce-after-remove",
		       "%s, %u replies", rdpprn_errname(rc), nr))
		return;
	fd = io_open_job(c, "replace-open", 0x6000);
	if (fd < 0)
		return;
	/* the same DeviceId again: the printer is replaced */
	nr = 4;
	rc = rpt_announce_simple(&c->nl, c->sid, &id, 1, r, &nr);
	rpt_check(!rc && nr == 1 && !r[0].status, "replace-with-open-job",
		  "%s, %u replies, status 0x%08x", rdpprn_errname(rc), nr,
		  nr ? r[0].status : 0);
	w = write(fd, c->data, 10);
	e = w < 0 ? errno : 0;
	if (!e) {
		bool fdone;

		e = -io_fsync(fd, RPT_WAIT_MS, &fdone);
	}
	rpt_check(e == ENODEV, "replace-fails-old-job",
		  "write/fsync on the replaced printer's job: %s",
		  rdpprn_errname(e));
	close(fd);
	rpt_nl_flush_pdus(&c->nl);
	rc = rpt_find_node(&c->nl, c->sid, IO_DEV, c->node, sizeof(c->node));
	rpt_check(!rc && !access(c->node, W_OK), "replacement-device-exists",
		  "%s: %s", c->node, rdpprn_errname(rc ? rc : errno));
}

int rpt_cmd_check_io(int argc, char **argv)
{
	struct io_ctx *c = rdpprn_xzalloc(sizeof(*c));
	struct rpt_reply r[4];
	unsigned int nr = 4;
	u32 id = IO_DEV, id2 = IO_DEV + 1;
	size_t i;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	c->data_len = 4 * 1024 * 1024;
	c->data = rdpprn_xmalloc(c->data_len);
	for (i = 0; i < c->data_len; i++)
		c->data[i] = (u8)(i * 31 + 7 + (i >> 13));
	if (rpt_setup_session(&c->nl, 0, 0, "check-io", &c->sid))
		return rpt_summary();
	rc = rpt_announce_simple(&c->nl, c->sid, &id, 1, r, &nr);
	if (!rpt_check(!rc && nr == 1 && !r[0].status, "announce",
		       "%s, %u replies", rdpprn_errname(rc), nr))
		return rpt_summary();
	rc = rpt_find_node(&c->nl, c->sid, IO_DEV, c->node, sizeof(c->node));
	if (!rpt_check(!rc, "device-node", "%s", rdpprn_errname(rc)))
		return rpt_summary();

	io_create_and_write_errors(c);
	rpt_nl_flush_pdus(&c->nl);
	io_failed_create(c);
	io_write_status(c);
	io_zero_writes(c);
	io_concurrent(c);
	io_chunks(c);
	io_create_timeout(c);
	io_interrupts(c);
	io_dup_close(c);
	io_remove_and_replace(c);

	nr = 4;
	rc = rpt_announce_simple(&c->nl, c->sid, &id2, 1, r, &nr);
	rpt_check(!rc && nr == 1 && !r[0].status,
		  "session-works-after-io-errors", "%s, %u replies",
		  rdpprn_errname(rc), nr);
	rc = rpt_session_del(&c->nl, c->sid);
	rpt_check(!rc, "session-del", "%s", rdpprn_errname(rc));
	rpt_nl_close(&c->nl);
	free(c->data);
	free(c);
	return rpt_summary();
}

/* ---- check-session ----------------------------------------------------- */

static int sess_fill_uid_only(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, RDPPRN_A_UID, 0) ? -1 : 0;
}

static int sess_fill_long_name(struct nl_msg *msg, void *arg)
{
	char name[RDPPRN_CLIENT_NAME_MAX + 64];

	memset(name, 'N', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	if (nla_put_u32(msg, RDPPRN_A_UID, 0) ||
	    nla_put_u32(msg, RDPPRN_A_GID, 0) ||
	    nla_put_string(msg, RDPPRN_A_CLIENT_NAME, name))
		return -1;
	return 0;
}

static bool sess_node_gone(const char *node)
{
	struct stat st;
	int i;

	for (i = 0; i < 20; i++) {
		if (stat(node, &st))
			return true;
		rpt_sleep_ms(50);
	}
	return false;
}

static noinline_for_stack void
sess_owner_close(void)
{
	struct rpt_nl a, b;
	struct rpt_async op = { .flags = O_WRONLY };
	struct rpt_reply r[4];
	struct rdpdr_ioreq io;
	struct rpt_obj *o = NULL;
	struct rpt_pdu *p;
	unsigned int nr = 4;
	char node[64];
	u32 sid, id = 1;
	bool done;
	u8 buf[32];
	ssize_t w;
	size_t n;
	int rc, fd, e;

	if (rpt_nl_open(&a))
		return;
	if (rpt_setup_session(&b, 0, 0, "owner-close", &sid)) {
		rpt_nl_close(&a);
		return;
	}
	rc = rpt_announce_simple(&b, sid, &id, 1, r, &nr);
	if (rc || rpt_find_node(&b, sid, 1, node, sizeof(node))) {
		rpt_not_ok("owner-close-setup", "announce: %s", rdpprn_errname(rc));
		goto out;
	}
	op.path = node;
	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(&b, "owner-close-create", IRP_MJ_CREATE, &io,
			     RPT_WAIT_MS);
	if (!p)
		goto out;
	free(p);
	n = rpt_create_rsp(buf, 1, io.completion_id, 0, 9);
	rpt_send_pdu(&b, sid, buf, n);
	done = rpt_async_wait(&op, RPT_WAIT_MS);
	if (!rpt_check(done && op.ret >= 0, "owner-close-open", "open: %s",
		       rdpprn_errname(op.err)))
		goto out;
	fd = (int)op.ret;
	w = write(fd, "0123456789", 10);
	p = rpt_nl_next_pdu(&b, RPT_WAIT_MS, NULL);
	free(p);
	/* the owner goes away with a write outstanding */
	rpt_nl_close(&b);
	e = io_fsync(fd, RPT_WAIT_MS, &done);
	rpt_check(w == 10 && done && e == -ENODEV, "owner-close-fails-job",
		  "fsync: %s", done ? rdpprn_errname(e) : "blocked");
	w = write(fd, "x", 1);
	rpt_check(w < 0 && errno == ENODEV, "owner-close-later-write-enodev",
		  "write: %s", w < 0 ? rdpprn_errname(errno) : "succeeded");
	rpt_check(sess_node_gone(node), "owner-close-removes-device",
		  "%s still exists", node);
	rc = rpt_get_sessions(&a, sid, false, &o);
	rpt_objs_free(o);
	rpt_check(rc == -ENOENT, "owner-close-ends-session",
		  "SESSION_GET: %s", rdpprn_errname(rc));
	close(fd);
	rpt_nl_close(&a);
	return;
out:
	rpt_session_del(&b, sid);
	rpt_nl_close(&b);
	rpt_nl_close(&a);
}

int rpt_cmd_check_session(int argc, char **argv)
{
	struct rpt_async op = { .flags = O_WRONLY };
	struct rpt_nl a, b;
	struct rpt_obj *o = NULL;
	struct rpt_reply r[4];
	struct rdpdr_ioreq io;
	struct rpt_pdu *p;
	char node1[32] = "", node2[32] = "", node3[32] = "";	/* /dev/rdpprnN */
	u32 s1, s2, s3, id = 1, bogus = 0x7ffffff0;
	unsigned int nr;
	int rc, want;
	bool done;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rpt_setup_session(&a, 0, 0, "check-session", &s1))
		return rpt_summary();
	rpt_check(s1 != 0, "session-id-nonzero", "SESSION_NEW gave 0");
	if (rpt_nl_open(&b)) {
		rpt_not_ok("second-socket", "cannot open");
		return rpt_summary();
	}

	rc = rpt_nl_request(&a, RDPPRN_CMD_SESSION_NEW, false,
			    sess_fill_uid_only, NULL, NULL);
	rpt_expect_err(&a, "session-new-without-gid", rc, NULL, 0, false);
	rc = rpt_nl_request(&a, RDPPRN_CMD_SESSION_NEW, false,
			    sess_fill_long_name, NULL, NULL);
	rpt_expect_err(&a, "session-new-client-name-too-long", rc, NULL, 0,
		       false);

	want = ENOENT;
	nr = 4;
	rc = rpt_announce_simple(&a, bogus, &id, 1, r, &nr);
	rpt_expect_err(&a, "pdu-unknown-session", rc, &want, 1, false);
	rc = rpt_get_sessions(&a, bogus, false, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_expect_err(&a, "session-get-unknown", rc, &want, 1, false);
	rc = rpt_session_del(&a, bogus);
	rpt_expect_err(&a, "session-del-unknown", rc, &want, 1, false);

	want = EPERM;
	nr = 4;
	rc = rpt_announce_simple(&b, s1, &id, 1, r, &nr);
	rpt_expect_err(&b, "pdu-from-non-owner-socket", rc, &want, 1, false);
	rpt_check(rpt_count_devices(&a, s1) == 0, "pdu-from-non-owner-no-change",
		  "a device appeared");

	rc = rpt_get_sessions(&a, s1, false, &o);
	rpt_check(!rc && rpt_objs_count(o) == 1 &&
		  o->u[RDPPRN_A_SESSION_ID] == s1, "session-get-one",
		  "%s, %u replies", rdpprn_errname(rc), rpt_objs_count(o));
	rpt_objs_free(o);

	/* two sessions of one owner, the same DeviceId in both */
	rc = rpt_session_new(&a, 0, 0, "second", &s2);
	rpt_check(!rc && s2 != s1, "second-session", "%s, id %u",
		  rdpprn_errname(rc), s2);
	nr = 4;
	rc = rpt_announce_simple(&a, s1, &id, 1, r, &nr);
	rc = rc ? rc : rpt_find_node(&a, s1, 1, node1, sizeof(node1));
	nr = 4;
	rc = rc ? rc : rpt_announce_simple(&a, s2, &id, 1, r, &nr);
	rc = rc ? rc : rpt_find_node(&a, s2, 1, node2, sizeof(node2));
	rpt_check(!rc && strcmp(node1, node2), "same-deviceid-two-sessions",
		  "%s: %s %s", rdpprn_errname(rc), node1, node2);
	rc = rpt_session_del(&a, s2);
	rpt_check(!rc && sess_node_gone(node2) && !access(node1, F_OK),
		  "session-del-removes-its-devices-only", "%s",
		  rdpprn_errname(rc));
	rc = rpt_get_sessions(&a, s2, false, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_check(rc == -ENOENT, "session-del-ends-session", "SESSION_GET: %s",
		  rdpprn_errname(rc));

	/* SESSION_DEL while an open() waits for its create response */
	rc = rpt_session_new(&a, 0, 0, "third", &s3);
	nr = 4;
	rc = rc ? rc : rpt_announce_simple(&a, s3, &id, 1, r, &nr);
	rc = rc ? rc : rpt_find_node(&a, s3, 1, node3, sizeof(node3));
	if (rpt_check(!rc, "third-session", "%s", rdpprn_errname(rc))) {
		op.path = node3;
		rpt_async_start(&op, RPT_OP_OPEN);
		p = rpt_expect_ioreq(&a, "session-del-pending-create",
				     IRP_MJ_CREATE, &io, RPT_WAIT_MS);
		free(p);
		rc = rpt_session_del(&a, s3);
		done = rpt_async_wait(&op, RPT_WAIT_MS);
		rpt_check(!rc && done && op.ret < 0 && op.err == ENODEV,
			  "session-del-fails-pending-open", "%s, open: %s",
			  rdpprn_errname(rc),
			  !done ? "blocked" : op.ret < 0 ? rdpprn_errname(op.err) : "OK");
		if (done && op.ret >= 0)
			close((int)op.ret);
	}
	rpt_nl_flush_pdus(&a);
	rc = rpt_session_del(&a, s1);
	rpt_check(!rc, "session-del", "%s", rdpprn_errname(rc));
	rpt_nl_close(&b);
	rpt_nl_close(&a);

	sess_owner_close();
	return rpt_summary();
}
