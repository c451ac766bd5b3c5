// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - rdpprn-cuse's connection to the RDP server side, and the
 * part of the kernel it plays behind rdpprnd's session logic.
 *
 * rdpprnd's session code (userspace/rdpprnd/) runs here unchanged, under
 * the one lock: the reader thread hands it the frames of the connection,
 * and the frames it sends are written at once, blocking, under the lock
 * (the peer reads while it answers; a write request is the only large
 * thing sent, and there is one at a time). The answer to a write request
 * sends the next one from the reader thread (job.c). struct rdpprnd_kops is played
 * the way rdpprn.ko plays it:
 *
 *  - SESSION_NEW and SESSION_DEL: one session; its end wakes everyone;
 *  - Client Device List Announce (the printers rdpprnd's policy passed):
 *    the first printer becomes /dev/NAME and is answered STATUS_SUCCESS
 *    once the device exists (STATUS_UNSUCCESSFUL, and the session ends,
 *    when it cannot be created); every other entry is answered
 *    STATUS_NOT_SUPPORTED, and one with a bad PreferredDosName
 *    STATUS_ACCESS_DENIED. The answers go out before the call returns, as
 *    the module's do;
 *  - Client Device List Remove of that printer fails the request
 *    outstanding, the job (parked writes) and every later request
 *    (open, write: ENODEV);
 *  - Device I/O Response: it must carry the CompletionId outstanding and
 *    the DeviceId the request went to, and parse as the answer to that
 *    request; otherwise it is refused (-ENOENT, -EINVAL or the parse
 *    error: rdpprnd logs "the kernel refused") and the request stays
 *    outstanding, as in the module. A write answer whose Length exceeds
 *    the request fails the job.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_cuse.h"

static int rdpprn_cuse_refuse(struct rdpprn_nl_res *res, int err,
			      const char *msg)
{
	res->err = err;
	snprintf(res->msg, sizeof(res->msg), "%s", msg);
	return err;
}

/* The session is over: fail the request outstanding, wake every thread. */
static void rdpprn_cuse_over(struct rdpprn_cuse *c)
{
	if (c->over)
		return;
	c->over = true;
	if (c->io.cid && !c->io.done)
		rdpprn_cuse_io_done(c, -EIO);
	if (c->job_open)
		rdpprn_cuse_job_fail(c);
	/* the reader may sit in poll(): end of file wakes it */
	shutdown(c->fd, SHUT_RD);
	pthread_cond_broadcast(&c->cond);
}

void rdpprn_cuse_end(struct rdpprn_cuse *c, bool error, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	rdpprnd_session_end(&c->s, error, "%s", why);
	rdpprn_cuse_over(c);
}

/*
 * struct rdpprnd_cops: a frame goes out before this returns. A failed
 * write ends the connection; the reader then sees its end.
 */
static int rdpprn_cuse_frame(void *arg, u8 type, const void *head,
			     size_t hlen, const void *data, size_t len)
{
	struct rdpprn_cuse *c = arg;
	int ret;

	if (c->conn_dead)
		return 0;
	ret = rdpprn_outq_frame(&c->outq, type, head, hlen, data, len);
	if (!ret)
		ret = rdpprn_outq_flush(&c->outq, c->fd);
	if (ret) {
		rdpprn_warn("writing to the RDP server side: %s",
			    strerror(-ret));
		c->conn_dead = true;
		rdpprn_outq_free(&c->outq);
		shutdown(c->fd, SHUT_RDWR);
	}
	return 0;
}

static int rdpprn_cuse_session_new(void *k, const struct rdpprn_open *o,
				   u32 *sid, struct rdpprn_nl_res *res)
{
	memset(res, 0, sizeof(*res));
	*sid = 1;
	return 0;
}

static int rdpprn_cuse_session_del(void *k, u32 sid,
				   struct rdpprn_nl_res *res)
{
	memset(res, 0, sizeof(*res));
	rdpprn_cuse_over(k);
	return 0;
}

/**
 * rdpprn_cuse_accept() - the answer to one printer entry
 * @c: state, @c->lock held (released while the device comes up)
 * @dev: the entry
 *
 * The first printer gets the CUSE device; "READY dev=/dev/NAME" on
 * stdout says it can be opened.
 *
 * Return: its ResultCode.
 */
static u32 rdpprn_cuse_accept(struct rdpprn_cuse *c,
			      const struct rdpdr_device *dev)
{
	struct timespec ts;

	if (!rdpdr_dos_name_valid(dev->dos_name))
		return STATUS_ACCESS_DENIED;
	if (c->have_printer && dev->device_id == c->device_id) {
		/* announced again: it is the same printer */
		c->removed = false;
		return STATUS_SUCCESS;
	}
	if (c->dev_state != RDPPRN_CUSE_DEV_NONE)
		return STATUS_NOT_SUPPORTED;
	if (rdpprn_cuse_dev_start(c))
		return STATUS_UNSUCCESSFUL;
	rdpprn_deadline(&ts, RDPPRN_CUSE_DEV_TIMEOUT_MS);
	while (c->dev_state == RDPPRN_CUSE_DEV_STARTING && !c->over)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &ts) ==
		    ETIMEDOUT)
			break;
	if (c->dev_state != RDPPRN_CUSE_DEV_UP) {
		/* the reader ends the session after this frame */
		c->dev_state = RDPPRN_CUSE_DEV_FAILED;
		return STATUS_UNSUCCESSFUL;
	}
	c->have_printer = true;
	c->device_id = dev->device_id;
	rdpprn_info("printer id %u is /dev/%s", dev->device_id, c->name);
	printf("READY dev=/dev/%s\n", c->name);
	fflush(stdout);
	return STATUS_SUCCESS;
}

static int rdpprn_cuse_announce(struct rdpprn_cuse *c, const u8 *pdu,
				size_t len, struct rdpprn_nl_res *res)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_device_reply r;
	struct rdpdr_devlist dl;
	struct rdpdr_device dev;
	struct rdpdr_err err;
	u8 out[RDPDR_DEVICE_REPLY_SIZE];

	if (rdpdr_parse_devlist(pdu, len, &dl, &err))
		return rdpprn_cuse_refuse(res, err.code, err.reason);
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &dev)) {
		r.device_id = dev.device_id;
		r.result_code = STATUS_NOT_SUPPORTED;
		if (dev.device_type == RDPDR_DTYP_PRINT)
			r.result_code = rdpprn_cuse_accept(c, &dev);
		/* rdpprnd logs the answers that are no success */
		rdpdr_build_device_reply(out, sizeof(out), &r);
		rdpprnd_session_kernel_pdu(&c->s, out, sizeof(out));
	}
	return 0;
}

static int rdpprn_cuse_remove(struct rdpprn_cuse *c, const u8 *pdu,
			      size_t len, struct rdpprn_nl_res *res)
{
	struct rdpdr_devlist_remove r;
	struct rdpdr_err err;
	u32 i;

	if (rdpdr_parse_devlist_remove(pdu, len, &r, &err))
		return rdpprn_cuse_refuse(res, err.code, err.reason);
	for (i = 0; i < r.device_count; i++) {
		if (!c->have_printer || c->removed ||
		    rdpdr_remove_id(&r, i) != c->device_id)
			continue;
		rdpprn_notice("printer id %u removed by the client",
			      c->device_id);
		c->removed = true;
		if (c->io.cid && !c->io.done)
			rdpprn_cuse_io_done(c, -EIO);
		if (c->job_open)
			rdpprn_cuse_job_fail(c);
	}
	return 0;
}

static int rdpprn_cuse_completion(struct rdpprn_cuse *c, const u8 *pdu,
				  size_t len, struct rdpprn_nl_res *res)
{
	struct rdpprn_cuse_io *io = &c->io;
	union {
		struct rdpdr_create_rsp create;
		struct rdpdr_write_rsp write;
		struct rdpdr_close_rsp close;
	} r;
	struct rdpdr_iocompletion ic;
	struct rdpdr_err err;
	int ret;

	ret = rdpdr_parse_iocompletion(pdu, len, &ic, &err);
	if (ret)
		return rdpprn_cuse_refuse(res, ret, err.reason);
	if (!io->cid || io->done || ic.completion_id != io->cid)
		return rdpprn_cuse_refuse(res, -ENOENT,
					  "CompletionId is not pending");
	if (ic.device_id != c->device_id)
		return rdpprn_cuse_refuse(res, -EINVAL,
					  "DeviceId does not match the request");
	switch (io->major) {
	case IRP_MJ_CREATE:
		ret = rdpdr_parse_create_rsp(pdu, len, &r.create, &err);
		io->file_id = r.create.file_id;
		break;
	case IRP_MJ_WRITE:
		ret = rdpdr_parse_write_rsp(pdu, len, &r.write, &err);
		io->length = r.write.length;
		break;
	default:
		ret = rdpdr_parse_close_rsp(pdu, len, &r.close, &err);
		break;
	}
	if (ret)
		return rdpprn_cuse_refuse(res, ret, err.reason);
	io->status = ic.io_status;
	if (io->major == IRP_MJ_WRITE && io->length > io->requested) {
		rdpprn_cuse_io_done(c, -EIO);
		return rdpprn_cuse_refuse(res, -EINVAL,
					  "write Length exceeds the bytes requested");
	}
	rdpprn_cuse_io_done(c, 0);
	return 0;
}

static int rdpprn_cuse_pdu(void *k, u32 sid, const u8 *pdu, size_t len,
			   struct rdpprn_nl_res *res)
{
	struct rdpprn_cuse *c = k;
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	memset(res, 0, sizeof(*res));
	if (rdpdr_parse_hdr(pdu, len, &hdr, &err))
		return rdpprn_cuse_refuse(res, err.code, err.reason);
	switch (hdr.packet_id) {
	case PAKID_CORE_DEVICELIST_ANNOUNCE:
		return rdpprn_cuse_announce(c, pdu, len, res);
	case PAKID_CORE_DEVICELIST_REMOVE:
		return rdpprn_cuse_remove(c, pdu, len, res);
	case PAKID_CORE_DEVICE_IOCOMPLETION:
		return rdpprn_cuse_completion(c, pdu, len, res);
	}
	return rdpprn_cuse_refuse(res, -EOPNOTSUPP, "not a PDU for the kernel");
}

static const struct rdpprnd_kops rdpprn_cuse_kops = {
	.session_new = rdpprn_cuse_session_new,
	.session_del = rdpprn_cuse_session_del,
	.pdu = rdpprn_cuse_pdu,
};

static const struct rdpprnd_cops rdpprn_cuse_cops = {
	.frame = rdpprn_cuse_frame,
};

void rdpprn_cuse_session_init(struct rdpprn_cuse *c)
{
	/* rdpprnd's defaults: every printer passes the policy */
	rdpprnd_config_init(&c->cfg);
	c->ctx.cfg = &c->cfg;
	/* one connection: any ClientId will do */
	c->ctx.next_client_id = 1;
	rdpprn_rx_init(&c->rx);
	rdpprn_outq_init(&c->outq, 0);
	rdpprnd_session_init(&c->s, &c->ctx, &rdpprn_cuse_kops, c,
			     &rdpprn_cuse_cops, c);
}

/* The frames received, to rdpprnd's session logic; @c->lock held. */
static void rdpprn_cuse_frames(struct rdpprn_cuse *c)
{
	struct rdpprn_frame f;
	const char *why;
	int ret;

	while (!c->over) {
		ret = rdpprn_rx_next(&c->rx, &f, &why);
		if (!ret)
			return;
		if (ret < 0) {
			rdpprn_cuse_end(c, true,
					"malformed frame from the RDP server: %s",
					why);
			return;
		}
		rdpprnd_session_frame(&c->s, &f);
		if (c->dev_state == RDPPRN_CUSE_DEV_FAILED)
			rdpprn_cuse_end(c, true,
					"the CUSE device /dev/%s could not be created",
					c->name);
		if (rdpprnd_session_ended(&c->s))
			rdpprn_cuse_over(c);
	}
}

/* One wake-up of the reader; @c->lock held. */
static void rdpprn_cuse_event(struct rdpprn_cuse *c, bool sig, ssize_t n)
{
	struct signalfd_siginfo si;

	if (sig && read(c->sigfd, &si, sizeof(si)) == sizeof(si)) {
		rdpprn_cuse_end(c, false, "rdpprn-cuse stopped by %s",
				strsignal((int)si.ssi_signo));
		return;
	}
	if (n > 0)
		rdpprn_cuse_frames(c);
	else if (!n && rdpprn_rx_pending(&c->rx))
		rdpprn_cuse_end(c, true,
				"the connection ended in the middle of a frame");
	else if (!n)
		rdpprn_cuse_end(c, false, "the RDP server closed the connection");
	else if (n != -EAGAIN && n != -EINTR)
		rdpprn_cuse_end(c, true, "reading the connection: %s",
				strerror((int)-n));
}

void *rdpprn_cuse_reader(void *arg)
{
	struct rdpprn_cuse *c = arg;
	struct pollfd pfd[2] = {
		{ .fd = c->fd, .events = POLLIN },
		{ .fd = c->sigfd, .events = POLLIN },
	};
	bool over = false;
	ssize_t n;
	int ret;

	while (!over) {
		ret = poll(pfd, 2, -1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			rdpprn_err("poll: %s", strerror(errno));
			pthread_mutex_lock(&c->lock);
			rdpprn_cuse_end(c, true, "poll failed");
			pthread_mutex_unlock(&c->lock);
			break;
		}
		/* the receive buffer is the reader's own */
		n = pfd[0].revents ? rdpprn_rx_read(&c->rx, c->fd) : -EAGAIN;
		pthread_mutex_lock(&c->lock);
		if (!c->over)
			rdpprn_cuse_event(c, pfd[1].revents, n);
		over = c->over;
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}
