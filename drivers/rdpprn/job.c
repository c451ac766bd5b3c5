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
 * the client does not keep a spool file open forever. Orphans are bounded
 * (max_orphans) and forgotten after io_timeout.
 *
 * No request is dropped quietly when the helper's socket has no room for
 * it: write chunks stay in the ring and are sent again, creates and
 * closes are tried again by the task that needs them, orphan closes by
 * the session's orphan_work; all of it for at most io_timeout, after
 * which the job fails with ETIMEDOUT.
 *
 * Jobs on one printer run one after another, in the order of their
 * open(), and a printer has at most one request awaiting its answer
 * (with the default window of 1): real clients take no more. FreeRDP's
 * printers answer a second create with STATUS_PRINT_QUEUE_FULL while a
 * job is open, and their per-printer thread pops one request from a LIFO
 * list per wake-up, so a second outstanding request can be answered out
 * of order or not at all. A job waits in RDPPRN_JOB_QUEUED until
 * rdpprn_queue_advance() gives it the printer.
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
	[RDPPRN_JOB_QUEUED] = "queued",
};

const char *rdpprn_job_state_name(int state)
{
	if (state < 0 || state >= ARRAY_SIZE(rdpprn_job_states) ||
	    !rdpprn_job_states[state])
		return "?";
	return rdpprn_job_states[state];
}

/* ---- the printer's queue ------------------------------------------------- */

/* Whether @job keeps the next job on its printer waiting. */
static bool rdpprn_job_holds_printer(const struct rdpprn_job *job)
{
	switch (job->state) {
	case RDPPRN_JOB_CREATING:
	case RDPPRN_JOB_OPEN:
	case RDPPRN_JOB_CLOSING:
		return true;
	case RDPPRN_JOB_FAILED:
		/* Its FileId is still to be closed. */
		return job->have_file;
	default:
		return false;
	}
}

/*
 * Whether a request sent to @device_id still awaits its answer, orphans
 * included: a create whose open() gave up is still in the client's queue.
 * A session has few requests outstanding (one per printer, max_orphans),
 * so a walk is cheaper than keeping counts in step.
 */
static bool rdpprn_device_busy(struct rdpprn_session *s, u32 device_id)
{
	struct rdpprn_irp *irp;
	unsigned long idx;

	xa_for_each(&s->irps, idx, irp)
		if (irp->device_id == device_id)
			return true;
	return false;
}

/**
 * rdpprn_queue_advance() - give a printer to its next queued job
 * @pdev: the printer, session->lock held
 *
 * The first queued job, in the order of open(), gets the printer once no
 * earlier job holds it and the client has answered every request sent to
 * the device. Called wherever one of those conditions may have changed.
 */
static void rdpprn_queue_advance(struct rdpprn_device *pdev)
{
	struct rdpprn_session *s = pdev->session;
	struct rdpprn_job *job, *next = NULL;

	lockdep_assert_held(&s->lock);
	if (pdev->dead || s->dead)
		return;
	list_for_each_entry(job, &pdev->job_list, node) {
		if (job->state == RDPPRN_JOB_QUEUED) {
			next = job;
			break;
		}
		if (rdpprn_job_holds_printer(job))
			return;
	}
	if (!next || rdpprn_device_busy(s, pdev->device_id))
		return;
	WRITE_ONCE(next->state, RDPPRN_JOB_CREATING);
	atomic64_inc(&pdev->jobs);
	wake_up_all(&next->wq);
}

/* ---- requests ------------------------------------------------------------ */

/*
 * Make the session's orphan_work run within @delay. An earlier run that
 * is already queued is kept: moving it later each time a new orphan came
 * would let a steady stream of orphans keep the old ones from expiring.
 */
static void rdpprn_orphan_arm(struct rdpprn_session *s, unsigned long delay)
{
	struct delayed_work *dw = &s->orphan_work;

	if (s->dead)
		return;
	if (!queue_delayed_work(system_wq, dw, delay) &&
	    time_after(dw->timer.expires, jiffies + delay))
		mod_delayed_work(system_wq, dw, delay);
}

static struct rdpprn_irp *rdpprn_irp_alloc(struct rdpprn_session *s,
					   struct rdpprn_job *job, u32 major,
					   u32 device_id)
{
	struct rdpprn_irp *irp;

	irp = kzalloc(sizeof(*irp), GFP_KERNEL_ACCOUNT);
	if (!irp)
		return NULL;
	irp->major = major;
	irp->device_id = device_id;
	/* CompletionIds only need to be unique among outstanding requests. */
	if (xa_alloc_cyclic(&s->irps, &irp->cid, irp, xa_limit_32b,
			    &s->next_cid, GFP_KERNEL_ACCOUNT) < 0) {
		kfree(irp);
		return NULL;
	}
	irp->job = job;
	if (job) {
		list_add_tail(&irp->node, &job->irps);
	} else {
		INIT_LIST_HEAD(&irp->node);
		irp->since = jiffies;
		s->nr_orphans++;
		rdpprn_orphan_arm(s, rdpprn_io_timeout_jiffies());
	}
	return irp;
}

static void rdpprn_irp_free(struct rdpprn_session *s, struct rdpprn_irp *irp)
{
	if (!irp->job)
		s->nr_orphans--;
	xa_erase(&s->irps, irp->cid);
	list_del(&irp->node);
	kfree(irp);
}

/*
 * A request to @device_id is over: the printer may be free for its next
 * job. Called once what the answer causes is done (a late create's
 * FileId is closed first), so nothing slips in between.
 */
static void rdpprn_device_answered(struct rdpprn_session *s, u32 device_id)
{
	struct rdpprn_device *pdev = xa_load(&s->devices, device_id);

	if (pdev)
		rdpprn_queue_advance(pdev);
}

static void rdpprn_job_touch(struct rdpprn_job *job)
{
	job->progress = jiffies;
	mod_delayed_work(system_wq, &job->timeout_work,
			 rdpprn_io_timeout_jiffies());
}

/*
 * Send a built request. A failure leaves the request to the caller, which
 * either tries again or fails visibly: a request is never dropped quietly.
 */
static int rdpprn_irp_send(struct rdpprn_session *s, struct rdpprn_irp *irp,
			   const struct kvec *iov, unsigned int n)
{
	int ret = rdpprn_session_send(s, iov, n);

	if (!ret && irp->job)
		rdpprn_job_touch(irp->job);
	return ret;
}

/* The job no longer waits for its requests; their answers are consumed. */
static void rdpprn_job_orphan_irps(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	struct rdpprn_irp *irp, *tmp;

	list_for_each_entry_safe(irp, tmp, &job->irps, node) {
		irp->job = NULL;
		irp->since = jiffies;
		list_del_init(&irp->node);
		s->nr_orphans++;
	}
	job->inflight = 0;
	if (s->nr_orphans)
		rdpprn_orphan_arm(s, rdpprn_io_timeout_jiffies());
}

static int rdpprn_send_create(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	struct rdpdr_create_req req;
	u8 buf[RDPDR_CREATE_REQ_FIXED];
	struct kvec iov = { .iov_base = buf };
	struct rdpprn_irp *irp;
	int len, ret;

	/* The printer went away while the job waited for it. */
	if (job->state != RDPPRN_JOB_CREATING)
		return -ENODEV;
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
	ret = rdpprn_irp_send(s, irp, &iov, 1);
	if (ret)
		rdpprn_irp_free(s, irp);
	return ret;
}

/* Build and send the IRP_MJ_CLOSE that @irp stands for. */
static int rdpprn_irp_send_close(struct rdpprn_session *s,
				 struct rdpprn_irp *irp)
{
	struct rdpdr_ioreq io = {
		.device_id = irp->device_id,
		.file_id = irp->file_id,
		.completion_id = irp->cid,
		.major_function = IRP_MJ_CLOSE,
	};
	u8 buf[RDPDR_CLOSE_REQ_SIZE];
	struct kvec iov = { .iov_base = buf };
	int len;

	len = rdpdr_build_close_req(buf, sizeof(buf), &io);
	if (WARN_ON_ONCE(len < 0))
		return -EINVAL;
	iov.iov_len = len;
	return rdpprn_irp_send(s, irp, &iov, 1);
}

/* Commit a job: its IRP_MJ_CLOSE goes out, or nothing changes. */
static int rdpprn_send_close(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	struct rdpprn_irp *irp;
	int ret;

	lockdep_assert_held(&s->lock);
	if (job->state == RDPPRN_JOB_GONE)
		return -ENODEV;
	if (!job->have_file)
		return 0;
	/* Answers to writes still on their way no longer matter. */
	rdpprn_job_orphan_irps(job);
	irp = rdpprn_irp_alloc(s, job, IRP_MJ_CLOSE, job->pdev->device_id);
	if (!irp)
		return -ENOMEM;
	irp->file_id = job->file_id;
	ret = rdpprn_irp_send_close(s, irp);
	if (ret) {
		rdpprn_irp_free(s, irp);
		return ret;
	}
	job->have_file = false;
	job->committed = true;
	WRITE_ONCE(job->state, RDPPRN_JOB_CLOSING);
	return 0;
}

/*
 * Close a FileId no job waits for (a create answered after its open gave
 * up). When the helper has no room, the orphan stays in the table marked
 * unsent and rdpprn_orphan_work() tries again, so the client does not
 * keep a spool file open for ever.
 */
static void rdpprn_close_orphan(struct rdpprn_session *s, u32 device_id,
				u32 file_id)
{
	struct rdpprn_irp *irp;
	int ret;

	irp = rdpprn_irp_alloc(s, NULL, IRP_MJ_CLOSE, device_id);
	if (!irp) {
		pr_warn("rdpprn: session %u: FileId %u of device %u left open: out of memory\n",
			s->id, file_id, device_id);
		return;
	}
	irp->file_id = file_id;
	ret = rdpprn_irp_send_close(s, irp);
	if (!ret)
		return;
	if (rdpprn_send_transient(ret)) {
		irp->unsent = true;
		rdpprn_orphan_arm(s, msecs_to_jiffies(RDPPRN_RETRY_MS));
		return;
	}
	rdpprn_irp_free(s, irp);
}

/* An orphan is given up: its printer no longer waits for the answer. */
static void rdpprn_orphan_forget(struct rdpprn_session *s,
				 struct rdpprn_irp *irp)
{
	u32 device_id = irp->device_id;

	rdpprn_irp_free(s, irp);
	rdpprn_device_answered(s, device_id);
}

/**
 * rdpprn_orphan_work() - keep a session's orphaned requests bounded
 * @work: the session's orphan_work
 *
 * Resends the orphan closes the helper had no room for, and forgets
 * orphans that have waited io_timeout for their answer: a client that
 * never answers must not make a local user able to grow kernel memory by
 * looping open() and a signal. An answer that comes after that is refused
 * as not pending.
 */
void rdpprn_orphan_work(struct work_struct *work)
{
	struct rdpprn_session *s = container_of(to_delayed_work(work),
						struct rdpprn_session,
						orphan_work);
	unsigned long timeout = rdpprn_io_timeout_jiffies();
	struct rdpprn_irp *irp;
	unsigned long idx;
	bool unsent = false;

	mutex_lock(&s->lock);
	if (s->dead)
		goto out;
	xa_for_each(&s->irps, idx, irp) {
		if (irp->job)
			continue;
		if (irp->unsent) {
			int ret = rdpprn_irp_send_close(s, irp);

			if (!ret) {
				irp->unsent = false;
				irp->since = jiffies;
				continue;
			}
			if (rdpprn_send_transient(ret) &&
			    time_before(jiffies, irp->since + timeout)) {
				unsent = true;
				continue;
			}
			pr_warn("rdpprn: session %u: FileId %u of device %u left open: close not sent (%d)\n",
				s->id, irp->file_id, irp->device_id, ret);
			rdpprn_orphan_forget(s, irp);
			continue;
		}
		if (time_after_eq(jiffies, irp->since + timeout))
			rdpprn_orphan_forget(s, irp);
	}
	if (unsent)
		rdpprn_orphan_arm(s, msecs_to_jiffies(RDPPRN_RETRY_MS));
	else if (s->nr_orphans)
		rdpprn_orphan_arm(s, HZ);
out:
	mutex_unlock(&s->lock);
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
		ret = -EINVAL;
		goto err;
	}
	iov[0].iov_base = hdr;
	iov[0].iov_len = hlen;
	n = 1 + rdpprn_ring_segs(&job->ring, pos, len, &iov[1]);
	ret = rdpprn_irp_send(s, irp, iov, n);
	if (ret)
		goto err;
	job->inflight++;
	job->stalled = false;
	return 0;
err:
	/* The chunk stays in the ring and is cut again next time. */
	rdpprn_irp_free(s, irp);
	job->ring.sent = pos;
	return ret;
}

/*
 * DR_PRN_USING_XPS switches the client's printer to XPS for what follows.
 * It has no answer, so it needs no CompletionId; the client handles PDUs
 * in order, so sending it before the first write request is enough.
 */
static int rdpprn_send_using_xps(struct rdpprn_job *job)
{
	struct rdpdr_using_xps x = {
		.printer_id = job->pdev->device_id,
	};
	u8 buf[RDPDR_USING_XPS_SIZE];
	struct kvec iov = { .iov_base = buf };
	int len, ret;

	len = rdpdr_build_using_xps(buf, sizeof(buf), &x);
	if (WARN_ON_ONCE(len < 0))
		return -EINVAL;
	iov.iov_len = len;
	ret = rdpprn_session_send(job->s, &iov, 1);
	if (!ret)
		job->format_sent = true;
	return ret;
}

static void rdpprn_job_kick(struct rdpprn_job *job)
{
	mod_delayed_work(system_wq, &job->tx_work, 0);
}

/*
 * The helper's socket had no room for a write request: try again soon,
 * but not for ever. io_timeout counts from the first failed send, so a
 * helper that stopped reading fails the job just as a silent client does.
 */
static void rdpprn_job_stall(struct rdpprn_job *job)
{
	if (!job->stalled) {
		job->stalled = true;
		job->stall_start = jiffies;
	} else if (time_after(jiffies, job->stall_start +
			      rdpprn_io_timeout_jiffies())) {
		rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -ETIMEDOUT);
		return;
	}
	schedule_delayed_work(&job->tx_work,
			      msecs_to_jiffies(RDPPRN_RETRY_MS));
}

/*
 * Send what the window allows. Called with the session lock held: by the
 * transmit work, and straight from the answer to a write, so that the next
 * chunk leaves within the helper's own sendmsg() of that answer. Waking a
 * worker instead cost one more scheduling round trip per chunk, which on
 * a slow link is time with nothing in flight (Documentation/
 * performance.rst, slow links).
 */
static void rdpprn_job_tx(struct rdpprn_job *job)
{
	unsigned int window = clamp_t(unsigned int, READ_ONCE(rdpprn_window),
				      1, 64);
	int ret;

	lockdep_assert_held(&job->s->lock);
	while (job->state == RDPPRN_JOB_OPEN && !job->error &&
	       job->inflight < window && rdpprn_ring_unsent(&job->ring)) {
		if (job->format == RDPPRN_FORMAT_XPS && !job->format_sent)
			ret = rdpprn_send_using_xps(job);
		else
			ret = rdpprn_send_write(job);
		if (rdpprn_send_transient(ret)) {
			rdpprn_job_stall(job);
			break;
		}
		if (ret) {
			rdpprn_job_fail_locked(job, RDPPRN_JOB_FAILED, -EIO);
			break;
		}
	}
}

static void rdpprn_job_tx_work(struct work_struct *work)
{
	struct rdpprn_job *job = container_of(to_delayed_work(work),
					      struct rdpprn_job, tx_work);
	struct rdpprn_session *s = job->s;

	mutex_lock(&s->lock);
	rdpprn_job_tx(job);
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
	rdpprn_queue_advance(job->pdev);
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
			rdpprn_close_orphan(s, device_id, r->file_id);
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
	job->opened = true;
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
	/*
	 * The next write leaves from here, with no workqueue round trip per
	 * chunk, unless it could crowd out the ACK of this response.
	 */
	if (rdpprn_session_room(job->s, READ_ONCE(rdpprn_chunk_size)))
		rdpprn_job_tx(job);
	else
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
	rdpprn_queue_advance(job->pdev);
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
	/* An unsent request cannot have been answered. */
	if (!irp || irp->unsent) {
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
			rdpprn_device_answered(s, device_id);
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
	rdpprn_device_answered(s, device_id);
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
	struct rdpprn_device *pdev = job->pdev;

	rdpprn_job_orphan_irps(job);
	list_del(&job->node);
	pdev->nr_jobs--;
	if (job->state != RDPPRN_JOB_GONE && job->state != RDPPRN_JOB_FAILED)
		WRITE_ONCE(job->state, RDPPRN_JOB_CLOSED);
	/* A removed printer stops counting when its last job ends. */
	if (pdev->dead && list_empty(&pdev->job_list))
		rdpprn_account_uncharge(pdev);
	rdpprn_queue_advance(pdev);
}

/* The end of a job that was opened: count it, unlink it, free it. */
static void rdpprn_job_end(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;

	mutex_lock(&s->lock);
	if (job->opened &&
	    (job->error || job->state != RDPPRN_JOB_CLOSED))
		atomic64_inc(&job->pdev->incomplete);
	rdpprn_job_unlink(job);
	mutex_unlock(&s->lock);
	rdpprn_job_free(job);
}

/* Sleep in @state until @cond; 0, or -ERESTARTSYS on a signal @state allows. */
static int rdpprn_job_wait(struct rdpprn_job *job,
			   bool (*cond)(struct rdpprn_job *job),
			   unsigned int state)
{
	if (state == TASK_INTERRUPTIBLE)
		return wait_event_interruptible(job->wq, cond(job));
	if (state == TASK_KILLABLE)
		return wait_event_killable(job->wq, cond(job));
	wait_event_idle(job->wq, cond(job));
	return 0;
}

/**
 * rdpprn_job_send_sync() - send a create or a close until it is sent
 * @job: the job
 * @send: rdpprn_send_create() or rdpprn_send_close(), called with
 *	session->lock held
 * @state: how to sleep between tries (TASK_INTERRUPTIBLE, TASK_KILLABLE,
 *	TASK_IDLE)
 *
 * A create or close must reach the client or its job must fail visibly,
 * so a send the helper's socket has no room for is tried again every
 * RDPPRN_RETRY_MS, for at most io_timeout. Called without session->lock.
 *
 * Return: 0; -ETIMEDOUT when the helper took nothing for io_timeout;
 * -ENODEV when the helper or the printer is gone; -ERESTARTSYS on a
 * signal @state allows; -ENOMEM.
 */
static int rdpprn_job_send_sync(struct rdpprn_job *job,
				int (*send)(struct rdpprn_job *job),
				unsigned int state)
{
	unsigned long deadline = jiffies + rdpprn_io_timeout_jiffies();
	struct rdpprn_session *s = job->s;
	int ret;

	for (;;) {
		mutex_lock(&s->lock);
		ret = send(job);
		mutex_unlock(&s->lock);
		if (!rdpprn_send_transient(ret))
			break;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		set_current_state(state);
		schedule_timeout(msecs_to_jiffies(RDPPRN_RETRY_MS));
		if (signal_pending_state(state, current))
			return -ERESTARTSYS;
	}
	/* The owner socket is closing or the session has ended. */
	if (ret == -ECONNREFUSED || ret == -ENOTCONN)
		return -ENODEV;
	return ret;
}

static void rdpprn_job_release_work(struct work_struct *work);

static bool rdpprn_job_created(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_CREATING;
}

static bool rdpprn_job_granted(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_QUEUED;
}

/**
 * rdpprn_job_open() - start a print job
 * @pdev: the printer; the job takes a reference
 * @nonblock: fail with -EAGAIN rather than wait for an earlier job
 *
 * Queues the job behind the printer's earlier ones and waits for its
 * turn, then sends IRP_MJ_CREATE and waits for the client's answer. Both
 * waits are interruptible; the turn comes when the earlier jobs end, the
 * client's silence is bounded by io_timeout.
 *
 * Return: the job, or an ERR_PTR: the errno the client's status maps to,
 * -ETIMEDOUT, -ENODEV when the printer is gone, -EBUSY at max_jobs (open
 * and queued) or at max_orphans, -EAGAIN when @nonblock and the printer
 * is busy, -ENOMEM, -ERESTARTSYS on a signal.
 */
struct rdpprn_job *rdpprn_job_open(struct rdpprn_device *pdev, bool nonblock)
{
	struct rdpprn_session *s = pdev->session;
	struct rdpprn_job *job;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL_ACCOUNT);
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
	job->state = RDPPRN_JOB_QUEUED;
	job->pid = task_tgid_vnr(current);
	INIT_LIST_HEAD(&job->irps);
	INIT_LIST_HEAD(&job->node);
	init_waitqueue_head(&job->wq);
	mutex_init(&job->write_lock);
	INIT_DELAYED_WORK(&job->tx_work, rdpprn_job_tx_work);
	INIT_DELAYED_WORK(&job->timeout_work, rdpprn_job_timeout_work);
	INIT_WORK(&job->release_work, rdpprn_job_release_work);

	mutex_lock(&s->lock);
	if (pdev->dead) {
		ret = -ENODEV;
	} else if (pdev->nr_jobs >= READ_ONCE(rdpprn_max_jobs) ||
		   s->nr_orphans >= READ_ONCE(rdpprn_max_orphans)) {
		/* Orphans: the client leaves requests unanswered. */
		ret = -EBUSY;
	} else {
		list_add_tail(&job->node, &pdev->job_list);
		pdev->nr_jobs++;
		rdpprn_queue_advance(pdev);
		if (nonblock && job->state == RDPPRN_JOB_QUEUED) {
			rdpprn_job_unlink(job);
			ret = -EAGAIN;
		}
	}
	mutex_unlock(&s->lock);
	if (ret)
		goto out_free;

	ret = rdpprn_job_wait(job, rdpprn_job_granted, TASK_INTERRUPTIBLE);
	if (!ret)
		ret = rdpprn_job_send_sync(job, rdpprn_send_create,
					   TASK_INTERRUPTIBLE);
	if (!ret)
		ret = rdpprn_job_wait(job, rdpprn_job_created,
				      TASK_INTERRUPTIBLE);

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

static bool rdpprn_job_not_closing(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_CLOSING;
}

/**
 * rdpprn_job_close() - commit a job: IRP_MJ_CLOSE and its answer
 * @job: the job
 * @state: how to wait: TASK_KILLABLE from close(), TASK_IDLE when a
 *	released file's job is finished in the background
 *
 * Sends IRP_MJ_CLOSE when the client has a FileId open for the job
 * (trying again while the helper has no room) and waits for the answer,
 * bounded by io_timeout. A job is committed once: later calls send
 * nothing and report the same outcome.
 *
 * Return: the job's latched error, which includes a failed or unsent
 * close, or 0; -ERESTARTSYS when a signal @state allows ended the wait
 * (if the close was not sent yet, the job is not committed).
 */
int rdpprn_job_close(struct rdpprn_job *job, unsigned int state)
{
	struct rdpprn_session *s = job->s;
	int ret;

	ret = rdpprn_job_send_sync(job, rdpprn_send_close, state);
	if (ret == -ERESTARTSYS)
		return ret;
	mutex_lock(&s->lock);
	if (ret) {
		/* Not sent: the client never commits the job. Say so. */
		if (!job->error) {
			job->error = ret == -ENOMEM ? -EIO : ret;
			atomic64_inc(&job->pdev->errors);
		}
		job->have_file = false;
		if (job->state != RDPPRN_JOB_GONE)
			WRITE_ONCE(job->state, RDPPRN_JOB_FAILED);
		rdpprn_queue_advance(job->pdev);
	}
	job->committed = true;
	mutex_unlock(&s->lock);

	if (rdpprn_job_wait(job, rdpprn_job_not_closing, state))
		return -ERESTARTSYS;

	mutex_lock(&s->lock);
	ret = job->error;
	mutex_unlock(&s->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_close);

/*
 * The file went away without a close() that committed the job: the
 * writer was killed in close(), or the last reference was not a close()
 * at all. Every byte write() accepted still goes to the client before
 * IRP_MJ_CLOSE; only the log and the counters can tell the outcome.
 */
static void rdpprn_job_release_work(struct work_struct *work)
{
	struct rdpprn_job *job = container_of(work, struct rdpprn_job,
					      release_work);
	int ret = 0, cret;

	if (!READ_ONCE(job->committed))
		ret = rdpprn_job_drain(job, TASK_IDLE);
	cret = rdpprn_job_close(job, TASK_IDLE);
	if (!ret)
		ret = cret;
	if (ret)
		dev_warn(&job->pdev->dev,
			 "job of pid %d ended with no close() to report to: failed (%d)\n",
			 job->pid, ret);
	else
		dev_info(&job->pdev->dev,
			 "job of pid %d ended with no close() to report to: printed\n",
			 job->pid);
	rdpprn_job_end(job);
}

/* Nothing left to send or to wait for; session->lock held. */
static bool rdpprn_job_settled(struct rdpprn_job *job)
{
	switch (job->state) {
	case RDPPRN_JOB_CLOSED:
	case RDPPRN_JOB_GONE:
		return true;
	case RDPPRN_JOB_FAILED:
		return job->committed || !job->have_file;
	default:
		return false;
	}
}

/**
 * rdpprn_job_release() - end a job when its file is released
 * @job: the job
 *
 * A job its last close() committed is freed at once. Any other job is
 * finished by rdpprn_wq: release can run where no one should wait for a
 * client (the exit of a killed task, io_uring and Unix socket garbage
 * collection).
 */
void rdpprn_job_release(struct rdpprn_job *job)
{
	struct rdpprn_session *s = job->s;
	bool settled;

	mutex_lock(&s->lock);
	settled = rdpprn_job_settled(job);
	mutex_unlock(&s->lock);
	if (settled)
		rdpprn_job_end(job);
	else
		queue_work(rdpprn_wq, &job->release_work);
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

/**
 * rdpprn_job_set_format() - say what the job's data is, before any of it
 * @job: job
 * @format: &enum rdpprn_format
 *
 * The client must hear of XPS before the first write request, and a
 * request may leave as soon as write() has queued a byte. So the format
 * can change only while the ring has never held data; a later call is
 * -EBUSY even when it would change nothing, so that a caller that set it
 * too late learns so whatever the timing.
 *
 * Return: 0, -EINVAL for an unknown format, -EOPNOTSUPP for XPS on a
 * printer that did not announce it, -EBUSY once data was written, or the
 * job's error.
 */
int rdpprn_job_set_format(struct rdpprn_job *job, u32 format)
{
	struct rdpprn_session *s = job->s;
	int ret;

	if (format > RDPPRN_FORMAT_XPS)
		return -EINVAL;
	if (format == RDPPRN_FORMAT_XPS &&
	    !(job->pdev->flags & RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT))
		return -EOPNOTSUPP;
	mutex_lock(&s->lock);
	ret = rdpprn_job_status(job);
	if (!ret && job->ring.head)
		ret = -EBUSY;
	if (!ret)
		job->format = format;
	mutex_unlock(&s->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_job_set_format);

static bool rdpprn_job_drained(struct rdpprn_job *job)
{
	return READ_ONCE(job->state) != RDPPRN_JOB_OPEN ||
	       READ_ONCE(job->error) ||
	       READ_ONCE(job->ring.tail) == READ_ONCE(job->ring.head);
}

/**
 * rdpprn_job_drain() - wait until the client has acknowledged every byte
 * @job: job
 * @state: TASK_INTERRUPTIBLE (fsync()), TASK_KILLABLE (close(), which
 *	cannot be retried) or TASK_IDLE (a released file's job)
 *
 * The wait ends: the client stopping answering fails the job after
 * io_timeout, so does a helper that stops taking requests.
 *
 * Return: 0, the latched error, -ENODEV, or -ERESTARTSYS on a signal
 * @state allows.
 */
int rdpprn_job_drain(struct rdpprn_job *job, unsigned int state)
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
		if (rdpprn_job_wait(job, rdpprn_job_drained, state))
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
