// SPDX-License-Identifier: GPL-2.0
/*
 * job.c - rdpprn-cuse's print job: the requests rdpprn.ko sends for
 * open(), write() and close() of /dev/rdpprnN, with the module's
 * defaults (window 1: one request outstanding at a time; chunk_size bytes
 * of WriteData at most), built with the wire library.
 *
 * As in the module, write() copies into the job's ring and is answered at
 * once; the ring leaves in write requests of chunk_size bytes. A write()
 * that does not fit keeps its FUSE request (parked) and is answered when
 * the client's acknowledgements made room for its last byte. A chunk is
 * sent when chunk_size bytes are in the ring and no write request is
 * outstanding: by write() when the ring was idle, else by the reader
 * thread straight from the answer to the previous one. A partial chunk
 * goes out only while flush or release drains the ring, or while a
 * write() is parked (a ring smaller than chunk_size).
 *
 * The create and close answers are waited for by the CUSE thread; the
 * reader thread hands them over (session.c).
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fuse_lowlevel.h>
#include <stdlib.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprn_cuse.h"

static void rdpprn_cuse_write_done(struct rdpprn_cuse *c, int err);

void rdpprn_cuse_io_done(struct rdpprn_cuse *c, int err)
{
	c->io.err = err;
	c->io.done = true;
	if (c->io.major == IRP_MJ_WRITE)
		rdpprn_cuse_write_done(c, err);
	else
		pthread_cond_broadcast(&c->cond);
}

/* A new request outstanding; returns its CompletionId. */
static u32 rdpprn_cuse_io_start(struct rdpprn_cuse *c, u32 major,
				u32 requested)
{
	memset(&c->io, 0, sizeof(c->io));
	/* CompletionIds of our own; 0 means "none" here */
	if (!++c->next_cid)
		c->next_cid = 1;
	c->io.cid = c->next_cid;
	c->io.major = major;
	c->io.requested = requested;
	return c->io.cid;
}

/**
 * rdpprn_cuse_request() - send the request outstanding, wait for the answer
 * @c: state, @c->lock held (released while waiting)
 * @pdu: the request, with the CompletionId of rdpprn_cuse_io_start()
 * @len: its length
 *
 * Return: 0 with the answer in @c->io, or -EIO when the request could
 * not go out, the answer broke the protocol, or the printer or the
 * session went away before it came.
 */
static int rdpprn_cuse_request(struct rdpprn_cuse *c, const u8 *pdu,
			       size_t len)
{
	struct rdpprn_cuse_io *io = &c->io;
	int ret;

	if (!rdpprnd_session_send(&c->s, pdu, len))
		rdpprn_cuse_io_done(c, -EIO);
	while (!io->done)
		pthread_cond_wait(&c->cond, &c->lock);
	ret = io->err;
	io->cid = 0;
	return ret;
}

static int rdpprn_cuse_usable(const struct rdpprn_cuse *c)
{
	if (c->over)
		return -EIO;
	if (!c->have_printer || c->removed)
		return -ENODEV;
	return 0;
}

/* For the log: "0x%08x (%s)" */
static const char *rdpprn_cuse_status(u32 status)
{
	const char *name = rdpprn_ntstatus_name(status);

	return name ? name : "no name";
}

int rdpprn_cuse_job_open(struct rdpprn_cuse *c)
{
	struct rdpdr_create_req req;
	u8 pdu[RDPDR_CREATE_REQ_FIXED];
	int ret, n;

	ret = rdpprn_cuse_usable(c);
	if (ret)
		return ret;
	if (c->job_open)
		return -EBUSY;
	rdpdr_printer_create_init(&req, c->device_id,
				  rdpprn_cuse_io_start(c, IRP_MJ_CREATE, 0));
	n = rdpdr_build_create_req(pdu, sizeof(pdu), &req);
	if (n < 0)
		return -EIO;
	ret = rdpprn_cuse_request(c, pdu, (size_t)n);
	if (ret)
		return ret;
	if (c->io.status != STATUS_SUCCESS) {
		rdpprn_notice("create refused by the client: 0x%08x (%s)",
			      c->io.status, rdpprn_cuse_status(c->io.status));
		return -EIO;
	}
	c->job_open = true;
	c->job_failed = false;
	c->file_id = c->io.file_id;
	c->job_pos = 0;
	c->job_head = 0;
	c->zero_writes = 0;
	c->draining = 0;
	c->parked_tail = &c->parked;
	rdpprn_dbg("job opened: FileId %u", c->file_id);
	return 0;
}

/* Bytes of the ring: copy @n bytes of @buf in at its head. */
static void rdpprn_cuse_ring_put(struct rdpprn_cuse *c, const u8 *buf,
				 size_t n)
{
	size_t at = c->job_head % c->ring_size;
	size_t first = c->ring_size - at < n ? c->ring_size - at : n;

	memcpy(c->ring + at, buf, first);
	memcpy(c->ring, buf + first, n - first);
	c->job_head += n;
}

static size_t rdpprn_cuse_ring_room(const struct rdpprn_cuse *c)
{
	return c->ring_size - (size_t)(c->job_head - c->job_pos);
}

static bool rdpprn_cuse_write_outstanding(const struct rdpprn_cuse *c)
{
	return c->io.cid && !c->io.done;
}

/* The ring is empty, or will never be: flush and release stop waiting. */
static bool rdpprn_cuse_drained(const struct rdpprn_cuse *c)
{
	return c->job_failed || rdpprn_cuse_usable(c) ||
	       (c->job_head == c->job_pos && !c->parked);
}

static void rdpprn_cuse_unpark(struct rdpprn_cuse *c,
			       struct rdpprn_cuse_wreq *w)
{
	struct rdpprn_cuse_wreq **p;

	for (p = &c->parked; *p != w; p = &(*p)->next)
		;
	*p = w->next;
	if (c->parked_tail == &w->next)
		c->parked_tail = p;
	free(w);
}

/*
 * Answer a parked write that will not complete: with the bytes of it the
 * ring took, as the module's write() returns its progress, else @err.
 */
static void rdpprn_cuse_wreq_fail(struct rdpprn_cuse *c,
				  struct rdpprn_cuse_wreq *w, int err)
{
	size_t took = w->size - w->left;

	if (took)
		fuse_reply_write(w->req, took);
	else
		fuse_reply_err(w->req, -err);
	rdpprn_cuse_unpark(c, w);
}

void rdpprn_cuse_job_fail(struct rdpprn_cuse *c)
{
	int err = rdpprn_cuse_usable(c);

	c->job_failed = true;
	while (c->parked)
		rdpprn_cuse_wreq_fail(c, c->parked, err ? err : -EIO);
	pthread_cond_broadcast(&c->cond);
}

/* Move parked writes into the room the ring has; answer the complete. */
static void rdpprn_cuse_fill(struct rdpprn_cuse *c)
{
	struct rdpprn_cuse_wreq *w;
	size_t n;

	while ((w = c->parked)) {
		n = rdpprn_cuse_ring_room(c);
		if (n > w->left)
			n = w->left;
		rdpprn_cuse_ring_put(c, w->pos, n);
		w->pos += n;
		w->left -= n;
		if (w->left)
			return;
		fuse_reply_write(w->req, w->size);
		rdpprn_cuse_unpark(c, w);
	}
}

/*
 * Send the next chunk if the window (1) is free and the ring holds a
 * whole chunk, or any bytes while someone waits for the ring to empty.
 */
static void rdpprn_cuse_tx(struct rdpprn_cuse *c)
{
	struct rdpdr_write_req req;
	size_t at, first;
	u64 avail;
	u32 n;

	if (!c->job_open || c->job_failed || rdpprn_cuse_usable(c) ||
	    rdpprn_cuse_write_outstanding(c))
		return;
	avail = c->job_head - c->job_pos;
	if (!avail || (avail < c->chunk_size && !c->draining && !c->parked))
		return;
	n = avail < c->chunk_size ? (u32)avail : c->chunk_size;
	memset(&req, 0, sizeof(req));
	req.io.device_id = c->device_id;
	req.io.file_id = c->file_id;
	req.io.completion_id = rdpprn_cuse_io_start(c, IRP_MJ_WRITE, n);
	req.io.major_function = IRP_MJ_WRITE;
	req.length = n;
	req.offset = c->job_pos;
	/* data NULL: the fixed part only, the bytes follow it */
	rdpdr_build_write_req(c->pdu, RDPDR_WRITE_REQ_FIXED, &req);
	at = c->job_pos % c->ring_size;
	first = c->ring_size - at < n ? c->ring_size - at : n;
	memcpy(c->pdu + RDPDR_WRITE_REQ_FIXED, c->ring + at, first);
	memcpy(c->pdu + RDPDR_WRITE_REQ_FIXED + first, c->ring, n - first);
	if (!rdpprnd_session_send(&c->s, c->pdu, RDPDR_WRITE_REQ_FIXED + n))
		rdpprn_cuse_io_done(c, -EIO);
}

/* A write answer, judged as the module judges it; -EIO fails the job. */
static int rdpprn_cuse_write_answer(struct rdpprn_cuse *c)
{
	if (c->io.status != STATUS_SUCCESS) {
		rdpprn_notice("write failed at byte %llu: 0x%08x (%s)",
			      (unsigned long long)c->job_pos, c->io.status,
			      rdpprn_cuse_status(c->io.status));
		return -EIO;
	}
	if (c->io.length) {
		c->zero_writes = 0;
		return 0;
	}
	if (++c->zero_writes < RDPPRN_CUSE_MAX_ZERO_WRITES)
		return 0;
	rdpprn_notice("write failed at byte %llu: %u zero-length answers",
		      (unsigned long long)c->job_pos, c->zero_writes);
	return -EIO;
}

/*
 * The answer to the write request outstanding (@err 0), or its failure;
 * by the reader thread, or by whoever failed to send it. The bytes the
 * client took leave the ring; a short answer sends the rest again.
 */
static void rdpprn_cuse_write_done(struct rdpprn_cuse *c, int err)
{
	c->io.cid = 0;
	if (!err)
		err = rdpprn_cuse_write_answer(c);
	if (err) {
		rdpprn_cuse_job_fail(c);
		return;
	}
	c->job_pos += c->io.length;
	rdpprn_cuse_fill(c);
	rdpprn_cuse_tx(c);
	if (c->draining && rdpprn_cuse_drained(c))
		pthread_cond_broadcast(&c->cond);
}

static struct rdpprn_cuse_wreq *rdpprn_cuse_park(struct rdpprn_cuse *c,
						 struct fuse_req *req,
						 const u8 *buf, size_t size,
						 size_t took)
{
	struct rdpprn_cuse_wreq *w;

	w = malloc(sizeof(*w) + size - took);
	if (!w)
		return NULL;
	w->next = NULL;
	w->req = req;
	w->size = size;
	w->left = size - took;
	w->pos = w->data;
	memcpy(w->data, buf + took, w->left);
	*c->parked_tail = w;
	c->parked_tail = &w->next;
	return w;
}

/**
 * rdpprn_cuse_job_write() - one write() of the job
 * @c: state, @c->lock held
 * @req: its FUSE request, to park it; NULL: only if it fits at once
 * @buf: the bytes
 * @size: how many
 *
 * Copies @buf into the ring and sends a chunk if one is due.
 *
 * Return: @size when all of @buf is in the ring; -EAGAIN (nothing
 * copied) when it does not fit and @req is NULL; -EINPROGRESS when
 * @req was parked, to be answered once the rest fits (or the job
 * failed); a negative errno, or the bytes copied when they fit in part
 * and no memory was left to park the rest.
 */
ssize_t rdpprn_cuse_job_write(struct rdpprn_cuse *c, struct fuse_req *req,
			      const u8 *buf, size_t size)
{
	size_t took;
	int ret;

	ret = rdpprn_cuse_usable(c);
	if (ret)
		return ret;
	if (!c->job_open || c->job_failed)
		return -EIO;
	/* parked writes go first */
	took = c->parked ? 0 : rdpprn_cuse_ring_room(c);
	if (took < size && !req)
		return -EAGAIN;
	if (took > size)
		took = size;
	rdpprn_cuse_ring_put(c, buf, took);
	if (took < size && !rdpprn_cuse_park(c, req, buf, size, took)) {
		rdpprn_cuse_tx(c);
		return took ? (ssize_t)took : -ENOMEM;
	}
	rdpprn_cuse_tx(c);
	return took < size ? -EINPROGRESS : (ssize_t)size;
}

/* A parked write's writer got a signal: answer what it has so far. */
void rdpprn_cuse_job_interrupt(struct rdpprn_cuse *c, struct fuse_req *req)
{
	struct rdpprn_cuse_wreq *w;

	for (w = c->parked; w; w = w->next)
		if (w->req == req) {
			rdpprn_cuse_wreq_fail(c, w, -EINTR);
			return;
		}
}

/**
 * rdpprn_cuse_job_drain() - wait until the client took every byte
 * @c: state, @c->lock held (released while waiting)
 *
 * What is left in the ring goes out, a partial chunk too.
 *
 * Return: 0, or the job's error: -EIO when it failed, -ENODEV when the
 * printer is gone.
 */
int rdpprn_cuse_job_drain(struct rdpprn_cuse *c)
{
	int ret;

	if (!c->job_open)
		return 0;
	c->draining++;
	rdpprn_cuse_tx(c);
	while (!rdpprn_cuse_drained(c))
		pthread_cond_wait(&c->cond, &c->lock);
	c->draining--;
	ret = rdpprn_cuse_usable(c);
	if (!ret && c->job_failed)
		ret = -EIO;
	return ret;
}

/**
 * rdpprn_cuse_job_close() - the job's IRP_MJ_CLOSE
 * @c: state, @c->lock held
 *
 * Drains the ring first (the kernel sends CUSE no flush, see dev.c),
 * and waits for the answer, so that the closer's close() returns when the
 * client has the whole job. Nothing is sent when the printer or the
 * session is gone; a failed job or close is only logged (FUSE ignores
 * what release answers).
 */
void rdpprn_cuse_job_close(struct rdpprn_cuse *c)
{
	struct rdpdr_ioreq io = { 0 };
	u8 pdu[RDPDR_CLOSE_REQ_SIZE];

	if (!c->job_open)
		return;
	if (rdpprn_cuse_job_drain(c) == -EIO && !rdpprn_cuse_usable(c))
		rdpprn_notice("job failed after %llu of %llu bytes",
			      (unsigned long long)c->job_pos,
			      (unsigned long long)c->job_head);
	c->job_open = false;
	if (rdpprn_cuse_usable(c)) {
		rdpprn_notice("job of %llu bytes dropped: the printer or the session is gone",
			      (unsigned long long)c->job_pos);
		return;
	}
	io.device_id = c->device_id;
	io.file_id = c->file_id;
	io.completion_id = rdpprn_cuse_io_start(c, IRP_MJ_CLOSE, 0);
	io.major_function = IRP_MJ_CLOSE;
	rdpdr_build_close_req(pdu, sizeof(pdu), &io);
	if (rdpprn_cuse_request(c, pdu, sizeof(pdu)))
		rdpprn_notice("close of the job: no answer");
	else if (c->io.status != STATUS_SUCCESS)
		rdpprn_notice("close of the job failed: 0x%08x (%s)",
			      c->io.status, rdpprn_cuse_status(c->io.status));
	else
		rdpprn_dbg("job closed: %llu bytes%s",
			   (unsigned long long)c->job_pos,
			   c->job_failed ? " (failed)" : "");
}
