// SPDX-License-Identifier: GPL-2.0
/*
 * job.c - print jobs: one open() of a printer each.
 *
 * A job is IRP_MJ_CREATE, then IRP_MJ_WRITE requests cut from the job's
 * ring, then IRP_MJ_CLOSE. Requests awaiting an answer are kept in the
 * session's table by CompletionId; an answer is matched by CompletionId and
 * DeviceId and parsed according to the request it answers.
 *
 * A request whose job went away (interrupted open, timeout, release) stays
 * in the table as an orphan, so that a late answer is still recognised:
 * it is consumed, and a late successful create is closed again at once so
 * the client does not keep a spool file open forever.
 *
 * All job state is under session->lock. Waiters read it with READ_ONCE()
 * and every change that can end a wait is followed by wake_up_all().
 */
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

static const char * const rdpprn_job_states[] = {
	[RDPPRN_JOB_CREATING] = "creating",
	[RDPPRN_JOB_OPEN] = "open",
	[RDPPRN_JOB_CLOSING] = "closing",
	[RDPPRN_JOB_CLOSED] = "closed",
	[RDPPRN_JOB_FAILED] = "failed",
	[RDPPRN_JOB_GONE] = "gone",
};

const char *rdpprn_job_state_name(int state)
{
	if (state < 0 || state >= ARRAY_SIZE(rdpprn_job_states) ||
	    !rdpprn_job_states[state])
		return "?";
	return rdpprn_job_states[state];
}

/* ---- requests ------------------------------------------------------------ */

static struct rdpprn_irp *rdpprn_irp_alloc(struct rdpprn_session *s,
					   struct rdpprn_job *job, u32 major,
					   u32 device_id)
{
	struct rdpprn_irp *irp;

	irp = kzalloc(sizeof(*irp), GFP_KERNEL);
	if (!irp)
		return NULL;
	irp->major = major;
	irp->device_id = device_id;
	/* CompletionIds only need to be unique among outstanding requests. */
	if (xa_alloc_cyclic(&s->irps, &irp->cid, irp, xa_limit_32b,
			    &s->next_cid, GFP_KERNEL) < 0) {
		kfree(irp);
		return NULL;
	}
	irp->job = job;
	if (job)
		list_add_tail(&irp->node, &job->irps);
	else
		INIT_LIST_HEAD(&irp->node);
	return irp;
}

static void rdpprn_irp_free(struct rdpprn_session *s, struct rdpprn_irp *irp)
{
	xa_erase(&s->irps, irp->cid);
	list_del(&irp->node);
	kfree(irp);
}

static void rdpprn_job_touch(struct rdpprn_job *job)
{
	job->progress = jiffies;
	mod_delayed_work(system_wq, &job->timeout_work,
			 rdpprn_io_timeout_jiffies());
}

/* Send a built request; when that fails, the request is forgotten. */
static int rdpprn_irp_send(struct rdpprn_session *s, struct rdpprn_irp *irp,
			   const struct kvec *iov, unsigned int n)
{
	int ret = rdpprn_session_send(s, iov, n);

	if (ret)
		rdpprn_irp_free(s, irp);
	else if (irp->job)
		rdpprn_job_touch(irp->job);
	return ret;
}

/* The job no longer waits for its requests; their answers are consumed. */
static void rdpprn_job_orphan_irps(struct rdpprn_job *job)
{
	struct rdpprn_irp *irp, *tmp;

	list_for_each_entry_safe(irp, tmp, &job->irps, node) {
		irp->job = NULL;
		list_del_init(&irp->node);
	}
	job->inflight = 0;
}

static int rdpprn_send_create(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	struct rdpdr_create_req req;
	u8 buf[RDPDR_CREATE_REQ_FIXED];
	struct kvec iov = { .iov_base = buf };
	struct rdpprn_irp *irp;
	int len;

	irp = rdpprn_irp_alloc(s, job, IRP_MJ_CREATE, job->pdev->device_id);
	if (!irp)
		return -ENOMEM;
	rdpdr_printer_create_init(&req, irp->device_id, irp->cid);
	len = rdpdr_build_create_req(buf, sizeof(buf), &req);
	if (WARN_ON_ONCE(len < 0)) {
		rdpprn_irp_free(s, irp);
		return -EINVAL;
	}
	iov.iov_len = len;
	return rdpprn_irp_send(s, irp, &iov, 1);
}

/* @job may be NULL: closing a FileId no job waits for any more. */
static int rdpprn_send_close(struct rdpprn_session *s, struct rdpprn_job *job,
			     u32 device_id, u32 file_id)
{
	struct rdpdr_ioreq io = {
		.device_id = device_id,
		.file_id = file_id,
		.major_function = IRP_MJ_CLOSE,
	};
	u8 buf[RDPDR_CLOSE_REQ_SIZE];
	struct kvec iov = { .iov_base = buf };
	struct rdpprn_irp *irp;
	int len;

	irp = rdpprn_irp_alloc(s, job, IRP_MJ_CLOSE, device_id);
	if (!irp)
		return -ENOMEM;
	io.completion_id = irp->cid;
	len = rdpdr_build_close_req(buf, sizeof(buf), &io);
	if (WARN_ON_ONCE(len < 0)) {
		rdpprn_irp_free(s, irp);
		return -EINVAL;
	}
	iov.iov_len = len;
	return rdpprn_irp_send(s, irp, &iov, 1);
}

/* Cut the next chunk off the ring and send it as a DR_WRITE_REQ. */
static int rdpprn_send_write(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	struct rdpdr_write_req req = {};
	u8 hdr[RDPDR_WRITE_REQ_FIXED];
	struct rdpprn_irp *irp;
	struct kvec iov[3];
	unsigned int n;
	size_t chunk, len;
	u64 pos;
	int hlen, ret;

	chunk = clamp_t(size_t, READ_ONCE(rdpprn_chunk_size), 1,
			RDPPRN_CHUNK_MAX);
	pos = rdpprn_ring_take(&job->ring, chunk, &len);
	if (!len)
		return 0;
	irp = rdpprn_irp_alloc(s, job, IRP_MJ_WRITE, job->pdev->device_id);
	if (!irp) {
		job->ring.sent = pos;
		return -ENOMEM;
	}
	irp->pos = pos;
	irp->len = len;
	req.io.device_id = irp->device_id;
	req.io.file_id = job->file_id;
	req.io.completion_id = irp->cid;
	req.io.major_function = IRP_MJ_WRITE;
	req.length = len;
	req.offset = pos;
	hlen = rdpdr_build_write_req(hdr, sizeof(hdr), &req);
	if (WARN_ON_ONCE(hlen < 0)) {
		rdpprn_irp_free(s, irp);
		job->ring.sent = pos;
		return -EINVAL;
	}
	iov[0].iov_base = hdr;
	iov[0].iov_len = hlen;
	n = 1 + rdpprn_ring_segs(&job->ring, pos, len, &iov[1]);
	ret = rdpprn_irp_send(s, irp, iov, n);
	if (ret) {
		job->ring.sent = pos;
		return ret;
	}
	job->inflight++;
	return 0;
}

static void rdpprn_job_kick(struct rdpprn_job *job)
{
	mod_delayed_work(system_wq, &job->tx_work, 0);
}

static void rdpprn_job_tx_work(struct work_struct *work)
{
	struct rdpprn_job *job = container_of(to_delayed_work(work),
					      struct rdpprn_job, tx_work);
	struct rdpprn_session *s = job->s;
	unsigned int window = clamp_t(unsigned int, READ_ONCE(rdpprn_window),
				      1, 64);
	int ret;

	mutex_lock(&s->lock);
	while (job->state == RDPPRN_JOB_OPEN && !job->error &&
	       job->inflight < window && rdpprn_ring_unsent(&job->ring)) {
		ret = rdpprn_send_write(job);
		if (ret == -EAGAIN || ret == -ENOBUFS || ret == -ENOMEM) {
			/* The helper is not reading fast enough: retry. */
			schedule_delayed_work(&job->tx_work,
					      msecs_to_jiffies(20));
			break;
		}
		if (ret) {
			rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -EIO);
			break;
		}
	}
	mutex_unlock(&s->lock);
}

static void rdpprn_job_timeout_work(struct work_struct *work)
{
	struct rdpprn_job *job = container_of(to_delayed_work(work),
					      struct rdpprn_job, timeout_work);
	struct rdpprn_session *s = job->s;
	unsigned long deadline;

	mutex_lock(&s->lock);
	if (!list_empty(&job->irps)) {
		deadline = job->progress + rdpprn_io_timeout_jiffies();
		if (time_before(jiffies, deadline)) {
			mod_delayed_work(system_wq, &job->timeout_work,
					 deadline - jiffies);
		} else {
			rdpprn_job_orphan_irps(job);
			rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED,
					       -ETIMEDOUT);
		}
	}
	mutex_unlock(&s->lock);
}

/**
 * rdpprn_job_fail_locked() - a job cannot go on
 * @job: job, session->lock held
 * @state: RDPPRN_JOB_FAILED (the client refused or stopped answering) or
 *	RDPPRN_JOB_GONE (the device or session went away)
 * @error: negative errno latched for write(), fsync() and close()
 *
 * The first error sticks. A job that is GONE drops its requests: the
 * client no longer knows the device, there is nothing left to close.
 */
void rdpprn_job_fail_locked(struct rdpprn_job *job, int state, int error)
{
	struct rdpprn_irp *irp, *tmp;

	lockdep_assert_held(&job->s->lock);
	if (job->state == RDPPRN_JOB_GONE)
		return;
	if (!job->error) {
		job->error = error;
		atomic64_inc(&job->pdev->errors);
	}
	if (state == RDPPRN_JOB_GONE) {
		list_for_each_entry_safe(irp, tmp, &job->irps, node)
			rdpprn_irp_free(job->s, irp);
		job->inflight = 0;
		job->have_file = false;
	}
	WRITE_ONCE(job->state, state);
	wake_up_all(&job->wq);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_fail_locked);

/* Free every request of a session; its devices are already detached. */
void rdpprn_irps_drop_all(struct rdpprn_session *s)
{
	struct rdpprn_irp *irp;
	unsigned long idx;

	lockdep_assert_held(&s->lock);
	xa_for_each(&s->irps, idx, irp)
		rdpprn_irp_free(s, irp);
}

/* ---- answers --------------------------------------------------------------- */

static void rdpprn_create_done(struct rdpprn_session *s,
			       struct rdpprn_job *job, u32 device_id,
			       const struct rdpdr_create_rsp *r)
{
	if (!job) {
		if (r->c.io_status == STATUS_SUCCESS)
			rdpprn_send_close(s, NULL, device_id, r->file_id);
		return;
	}
	if (job->state != RDPPRN_JOB_CREATING)
		return;
	if (r->c.io_status != STATUS_SUCCESS) {
		rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED,
				       rdpprn_ntstatus_to_errno(r->c.io_status));
		return;
	}
	job->have_file = true;
	job->file_id = r->file_id;
	WRITE_ONCE(job->state, RDPPRN_JOB_OPEN);
	wake_up_all(&job->wq);
}

/*
 * A write answer. Data leaves the ring only when the client has consumed
 * it; a short answer sends the rest again. Resending is only possible when
 * no later chunk is already on its way, or the client would see the bytes
 * out of order: with a window above 1 a short answer fails the job.
 */
static void rdpprn_write_done(struct rdpprn_job *job, u64 pos, u32 requested,
			      const struct rdpdr_write_rsp *r)
{
	job->inflight--;
	if (job->state != RDPPRN_JOB_OPEN || job->error)
		return;
	if (r->c.io_status != STATUS_SUCCESS) {
		rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED,
				       rdpprn_ntstatus_to_errno(r->c.io_status));
		return;
	}
	if (pos != job->ring.tail || rdpprn_ring_ack(&job->ring, r->length)) {
		rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -EIO);
		return;
	}
	atomic64_add(r->length, &job->pdev->bytes);
	if (r->length < requested) {
		if (!r->length &&
		    ++job->zero_writes >= RDPPRN_MAX_ZERO_WRITES) {
			rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -EIO);
			return;
		}
		if (job->inflight) {
			rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -EIO);
			return;
		}
		rdpprn_ring_rewind(&job->ring);
	}
	if (r->length)
		job->zero_writes = 0;
	wake_up_all(&job->wq);
	rdpprn_job_kick(job);
}

/* A failed close is the job's failure too: the client may drop the job. */
static void rdpprn_close_done(struct rdpprn_job *job,
			      const struct rdpdr_close_rsp *r)
{
	if (!job || job->state != RDPPRN_JOB_CLOSING)
		return;
	if (r->c.io_status != STATUS_SUCCESS && !job->error) {
		job->error = rdpprn_ntstatus_to_errno(r->c.io_status);
		atomic64_inc(&job->pdev->errors);
	}
	WRITE_ONCE(job->state, RDPPRN_JOB_CLOSED);
	wake_up_all(&job->wq);
}

/**
 * rdpprn_job_completion() - handle a Device I/O Response
 * @s: session, @s->lock held
 * @pdu: the PDU
 * @len: its length
 * @extack: why it was refused
 *
 * The answer must name a pending CompletionId and the DeviceId that
 * request went to, and be long enough for its kind; otherwise it is
 * refused and the request stays pending.
 *
 * Return: 0 or a negative errno.
 */
int rdpprn_job_completion(struct rdpprn_session *s, const u8 *pdu,
			  size_t len, struct netlink_ext_ack *extack)
{
	union {
		struct rdpdr_create_rsp create;
		struct rdpdr_write_rsp write;
		struct rdpdr_close_rsp close;
	} r;
	struct rdpdr_iocompletion c;
	struct rdpprn_irp *irp;
	struct rdpprn_job *job;
	struct rdpdr_err err;
	u32 device_id, requested, major;
	u64 pos;
	int ret;

	ret = rdpdr_parse_iocompletion(pdu, len, &c, &err);
	if (ret) {
		rdpprn_set_parse_err(extack, &err);
		return ret;
	}
	irp = xa_load(&s->irps, c.completion_id);
	if (!irp) {
		NL_SET_ERR_MSG(extack, "CompletionId is not pending");
		return -ENOENT;
	}
	if (irp->device_id != c.device_id) {
		NL_SET_ERR_MSG(extack, "DeviceId does not match the request");
		return -EINVAL;
	}

	switch (irp->major) {
	case IRP_MJ_CREATE:
		ret = rdpdr_parse_create_rsp(pdu, len, &r.create, &err);
		break;
	case IRP_MJ_WRITE:
		ret = rdpdr_parse_write_rsp(pdu, len, &r.write, &err);
		break;
	default:
		ret = rdpdr_parse_close_rsp(pdu, len, &r.close, &err);
		break;
	}
	if (ret) {
		rdpprn_set_parse_err(extack, &err);
		return ret;
	}

	/* The request is answered: it leaves the table before anything else. */
	job = irp->job;
	major = irp->major;
	device_id = irp->device_id;
	pos = irp->pos;
	requested = irp->len;
	rdpprn_irp_free(s, irp);

	switch (major) {
	case IRP_MJ_CREATE:
		rdpprn_create_done(s, job, device_id, &r.create);
		break;
	case IRP_MJ_WRITE:
		if (r.write.length > requested) {
			if (job) {
				job->inflight--;
				rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED,
						       -EIO);
			}
			NL_SET_ERR_MSG(extack,
				       "write Length exceeds the bytes requested");
			return -EINVAL;
		}
		if (job)
			rdpprn_write_done(job, pos, requested, &r.write);
		break;
	default:
		rdpprn_close_done(job, &r.close);
		break;
	}
	if (job)
		rdpprn_job_touch(job);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_completion);

/* ---- the file side ----------------------------------------------------------- */

static void rdpprn_job_free(struct rdpprn_job *job)
{
	/* tx_work may arm timeout_work, never the other way round. */
	cancel_delayed_work_sync(&job->tx_work);
	cancel_delayed_work_sync(&job->timeout_work);
	rdpprn_ring_free(&job->ring);
	rdpprn_device_put(job->pdev);
	kfree(job);
}

/* Take the job off its device; session->lock held. */
static void rdpprn_job_unlink(struct rdpprn_job *job)
{
	rdpprn_job_orphan_irps(job);
	list_del(&job->node);
	job->pdev->nr_jobs--;
	if (job->state != RDPPRN_JOB_GONE && job->state != RDPPRN_JOB_FAILED)
		WRITE_ONCE(job->state, RDPPRN_JOB_CLOSED);
}

/**
 * rdpprn_job_open() - start a print job
 * @pdev: the printer; the job takes a reference
 *
 * Sends IRP_MJ_CREATE and waits for the client's answer. The wait is
 * interruptible; the client's silence is bounded by io_timeout.
 *
 * Return: the job, or an ERR_PTR: the errno the client's status maps to,
 * -ETIMEDOUT, -ENODEV when the printer is gone, -EBUSY at max_jobs,
 * -ERESTARTSYS on a signal.
 */
struct rdpprn_job *rdpprn_job_open(struct rdpprn_device *pdev)
{
	struct rdpprn_session *s = pdev->session;
	struct rdpprn_job *job;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	ret = rdpprn_ring_init(&job->ring, READ_ONCE(rdpprn_ring_size));
	if (ret) {
		kfree(job);
		return ERR_PTR(ret);
	}
	get_device(&pdev->dev);
	job->pdev = pdev;
	job->s = s;
	job->state = RDPPRN_JOB_CREATING;
	job->pid = task_tgid_vnr(current);
	INIT_LIST_HEAD(&job->irps);
	INIT_LIST_HEAD(&job->node);
	init_waitqueue_head(&job->wq);
	mutex_init(&job->write_lock);
	INIT_DELAYED_WORK(&job->tx_work, rdpprn_job_tx_work);
	INIT_DELAYED_WORK(&job->timeout_work, rdpprn_job_timeout_work);

	mutex_lock(&s->lock);
	if (pdev->dead) {
		ret = -ENODEV;
	} else if (pdev->nr_jobs >= READ_ONCE(rdpprn_max_jobs)) {
		ret = -EBUSY;
	} else {
		list_add_tail(&job->node, &pdev->job_list);
		pdev->nr_jobs++;
		atomic64_inc(&pdev->jobs);
		ret = rdpprn_send_create(job);
		if (ret) {
			rdpprn_job_unlink(job);
			if (ret == -ENOTCONN)
				ret = -ENODEV;
		}
	}
	mutex_unlock(&s->lock);
	if (ret)
		goto out_free;

	ret = wait_event_interruptible(job->wq, READ_ONCE(job->state) !=
				       RDPPRN_JOB_CREATING);

	mutex_lock(&s->lock);
	if (job->state == RDPPRN_JOB_OPEN) {
		ret = 0;	/* the answer won the race against a signal */
	} else {
		if (!ret)
			ret = job->error ? job->error : -EIO;
		rdpprn_job_unlink(job);
	}
	mutex_unlock(&s->lock);
	if (ret)
		goto out_free;
	return job;

out_free:
	rdpprn_job_free(job);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_open);

/**
 * rdpprn_job_close() - close the client's FileId of a job
 * @job: the job
 *
 * Sends IRP_MJ_CLOSE when the client opened a FileId for the job and
 * waits for the answer (bounded by io_timeout; a fatal signal stops the
 * wait early). Anything still pending becomes an orphan. Closing twice is
 * harmless: the second call sends nothing.
 *
 * Return: the job's latched error, which now includes the errno of a
 * failed close, or 0.
 */
int rdpprn_job_close(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	int ret;

	mutex_lock(&s->lock);
	if (job->have_file && job->state != RDPPRN_JOB_GONE) {
		rdpprn_job_orphan_irps(job);
		job->have_file = false;
		if (!rdpprn_send_close(s, job, job->pdev->device_id,
				       job->file_id))
			WRITE_ONCE(job->state, RDPPRN_JOB_CLOSING);
	}
	mutex_unlock(&s->lock);

	wait_event_killable(job->wq,
			    READ_ONCE(job->state) != RDPPRN_JOB_CLOSING);

	mutex_lock(&s->lock);
	ret = job->error;
	mutex_unlock(&s->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_close);

/**
 * rdpprn_job_release() - end a job when its file is released
 * @job: the job; freed on return
 *
 * Closes the FileId if the last close() did not (e.g. the file was
 * released without a flush), then frees the job.
 */
void rdpprn_job_release(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;

	rdpprn_job_close(job);
	mutex_lock(&s->lock);
	rdpprn_job_unlink(job);
	mutex_unlock(&s->lock);
	rdpprn_job_free(job);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_release);

/* Lockless view for waiters; the answer is re-checked under the lock. */
static bool rdpprn_job_writable(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_OPEN ||
	       READ_ONCE(job->error) ||
	       READ_ONCE(job->ring.head) - READ_ONCE(job->ring.tail) <
	       job->ring.size;
}

/* Why a job takes no more data, or 0. session->lock held. */
static int rdpprn_job_status(struct rdpprn_job *job)
{
	if (job->error)
		return job->error;
	if (job->state == RDPPRN_JOB_GONE)
		return -ENODEV;
	if (job->state != RDPPRN_JOB_OPEN)
		return -EIO;
	return 0;
}

/**
 * rdpprn_job_write() - queue bytes for the client
 * @job: job
 * @from: the data
 * @nonblock: return -EAGAIN instead of waiting for room
 *
 * Return: bytes queued (a signal or an error after some progress returns
 * the progress; the error comes with the next call), or a negative errno.
 */
ssize_t rdpprn_job_write(struct rdpprn_job *job, struct iov_iter *from,
			 bool nonblock)
{
	struct rdpprn_session *s = job->s;
	size_t count = iov_iter_count(from);
	size_t done = 0, space, n;
	int ret = 0;
	u64 pos;

	if (mutex_lock_interruptible(&job->write_lock))
		return -ERESTARTSYS;
	while (done < count) {
		mutex_lock(&s->lock);
		ret = rdpprn_job_status(job);
		space = rdpprn_ring_space(&job->ring);
		pos = job->ring.head;
		mutex_unlock(&s->lock);
		if (ret)
			break;
		if (!space) {
			if (nonblock) {
				ret = -EAGAIN;
				break;
			}
			ret = wait_event_interruptible(job->wq,
						       rdpprn_job_writable(job));
			if (ret)
				break;
			continue;
		}

		/* Only this writer touches the free part of the ring. */
		n = min(space, count - done);
		if (rdpprn_ring_copy_from_iter(&job->ring, pos, from, n)) {
			ret = -EFAULT;
			break;
		}
		mutex_lock(&s->lock);
		ret = rdpprn_job_status(job);
		if (!ret) {
			rdpprn_ring_produce(&job->ring, n);
			rdpprn_job_kick(job);
		}
		mutex_unlock(&s->lock);
		if (ret)
			break;
		done += n;
	}
	mutex_unlock(&job->write_lock);
	return done ? done : ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_write);

static bool rdpprn_job_drained(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_OPEN ||
	       READ_ONCE(job->error) ||
	       READ_ONCE(job->ring.tail) == READ_ONCE(job->ring.head);
}

/**
 * rdpprn_job_drain() - wait until the client has acknowledged every byte
 * @job: job
 *
 * Used by fsync() and by close() (through ->flush).
 *
 * Return: 0, the latched error, -ENODEV, or -ERESTARTSYS on a signal.
 */
int rdpprn_job_drain(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	bool done;
	int ret;

	for (;;) {
		mutex_lock(&s->lock);
		ret = rdpprn_job_status(job);
		done = !rdpprn_ring_unacked(&job->ring);
		mutex_unlock(&s->lock);
		if (ret || done)
			return ret;
		if (wait_event_interruptible(job->wq, rdpprn_job_drained(job)))
			return -ERESTARTSYS;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_drain);

/* Poll bits for a job; the caller has done poll_wait() on @job->wq. */
__poll_t rdpprn_job_poll_mask(struct rdpprn_job *job)
{
	if (READ_ONCE(job->state) != RDPPRN_JOB_OPEN || READ_ONCE(job->error))
		return EPOLLERR | EPOLLHUP;
	if (READ_ONCE(job->ring.head) - READ_ONCE(job->ring.tail) <
	    job->ring.size)
		return EPOLLOUT | EPOLLWRNORM;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_poll_mask);
