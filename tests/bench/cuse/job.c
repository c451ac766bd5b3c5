// SPDX-License-Identifier: GPL-2.0
/*
 * job.c - rdpprn-cuse's print job: the requests rdpprn.ko sends for
 * open(), write() and close() of /dev/rdpprnN, with the module's
 * defaults (window 1: one request outstanding at a time; chunk_size bytes
 * of WriteData at most), built with the wire library. The CUSE thread
 * waits for each answer; the reader thread hands it over (session.c).
 *
 * Unlike the module there is no ring: a write() returns once the client
 * took all of its bytes, so each FUSE write request is cut into chunks
 * of its own (the module streams the ring in whole chunks).
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprn_cuse.h"

void rdpprn_cuse_io_done(struct rdpprn_cuse *c, int err)
{
	c->io.err = err;
	c->io.done = true;
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
	c->zero_writes = 0;
	rdpprn_dbg("job opened: FileId %u", c->file_id);
	return 0;
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

/**
 * rdpprn_cuse_job_write() - one write() of the job
 * @c: state, @c->lock held
 * @buf: the bytes
 * @size: how many
 *
 * Cuts @buf into write requests of at most chunk_size bytes, one
 * outstanding at a time; a short answer sends the rest again.
 *
 * Return: @size once the client took every byte, or a negative errno;
 * after -EIO the job is failed and later writes fail at once.
 */
ssize_t rdpprn_cuse_job_write(struct rdpprn_cuse *c, const u8 *buf,
			      size_t size)
{
	struct rdpdr_write_req req;
	size_t done = 0;
	int ret;
	u32 n;

	ret = rdpprn_cuse_usable(c);
	if (ret)
		return ret;
	if (!c->job_open || c->job_failed)
		return -EIO;
	while (done < size) {
		n = size - done < c->chunk_size ? (u32)(size - done) :
		    c->chunk_size;
		memset(&req, 0, sizeof(req));
		req.io.device_id = c->device_id;
		req.io.file_id = c->file_id;
		req.io.completion_id = rdpprn_cuse_io_start(c, IRP_MJ_WRITE, n);
		req.io.major_function = IRP_MJ_WRITE;
		req.length = n;
		req.offset = c->job_pos;
		/* data NULL: the fixed part only, the bytes follow it */
		rdpdr_build_write_req(c->pdu, RDPDR_WRITE_REQ_FIXED, &req);
		memcpy(c->pdu + RDPDR_WRITE_REQ_FIXED, buf + done, n);
		ret = rdpprn_cuse_request(c, c->pdu, RDPDR_WRITE_REQ_FIXED + n);
		if (!ret)
			ret = rdpprn_cuse_write_answer(c);
		if (ret) {
			c->job_failed = true;
			return ret;
		}
		done += c->io.length;
		c->job_pos += c->io.length;
	}
	return (ssize_t)done;
}

/**
 * rdpprn_cuse_job_close() - the job's IRP_MJ_CLOSE
 * @c: state, @c->lock held
 *
 * Waits for the answer, so that the closer's close() returns when the
 * client has the whole job. Nothing is sent when the printer or the
 * session is gone; a failed close is only logged (FUSE ignores what
 * release answers).
 */
void rdpprn_cuse_job_close(struct rdpprn_cuse *c)
{
	struct rdpdr_ioreq io = { 0 };
	u8 pdu[RDPDR_CLOSE_REQ_SIZE];

	if (!c->job_open)
		return;
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
