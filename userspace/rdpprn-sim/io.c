// SPDX-License-Identifier: GPL-2.0
/*
 * io.c - the client printer: answers IRP_MJ_CREATE, IRP_MJ_WRITE and
 * IRP_MJ_CLOSE like a Windows or FreeRDP client, keeps each job's bytes
 * (hashed, and in a file with --out), and injects the faults asked for:
 * error statuses, short and empty writes, delays, silence, removal of the
 * device and loss of the connection in the middle of a job.
 *
 * --freerdp-queue queues the requests like FreeRDP's client printer
 * (channels/printer/client/printer_main.c, 2.x and 3.x): the rdpdr thread
 * pushes each IRP onto the printer's SList (LIFO) and sets a manual-reset
 * event; the printer thread, once woken, resets the event, pops ONE IRP
 * and handles it, then waits again. Requests that arrive before the pop
 * share one wake-up: the newest is handled first, and the older ones stay
 * on the list until a later wake-up reaches them (one more request per
 * wake-up never does). A create while the printer has a job answers
 * FileId 0 and STATUS_PRINT_QUEUE_FULL (the CUPS backend keeps one job per
 * printer); writes ignore Offset; a write or close of an unknown FileId
 * answers STATUS_UNSUCCESSFUL.
 *
 *   CREATE dev=<id> file=<fileid> status=<ntstatus>
 *   JOB dev=<id> file=<fileid> bytes=<n> sha256=<hex> status=<s> writes=<n>
 *       status: closed, write-failed, close-failed, removed, open,
 *       disconnected
 *   REMOVED dev=<id>
 *   QUEUE dev=<id> irps=<n> max_outstanding=<n> queue_full=<n>
 *       reordered=<n> misplaced=<n> stranded=<n>      (--freerdp-queue)
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "rdpprn_log.h"
#include "sim.h"

/* rdpprn_job_end() and --max-jobs */
static void sim_job_end(struct sim *s, struct rdpprn_job *job,
			const char *status)
{
	rdpprn_job_end(&s->jobs, job, status);
	if (s->o->max_jobs && s->jobs.done >= s->o->max_jobs) {
		s->stop = true;
		s->reason = "jobs";
	}
}

void sim_jobs_end(struct sim *s, const char *status)
{
	while (s->jobs.head)
		sim_job_end(s, s->jobs.head, status);
}

/*
 * With --delay-ms, an answer leaves delay_ms after its request arrived: a
 * link of that round-trip time to a client whose own work (hashing, the
 * spool file) is done while the answer is on its way, as it is on a real
 * slow link. Only what the server side adds per request remains on top,
 * which is what the slow-link benchmark measures (tests/bench/).
 */
static void sim_answer(struct sim *s, const u8 *pdu, size_t len)
{
	u64 at = s->req_ns + (u64)s->o->delay_ms * 1000000;
	struct timespec ts = {
		.tv_sec = (time_t)(at / 1000000000),
		.tv_nsec = (long)(at % 1000000000),
	};

	if (s->o->delay_ms)
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
	sim_send_pdu(s, pdu, len);
}

static void sim_completion(struct sim *s, const struct rdpdr_ioreq *io,
			   u32 status, u32 padding)
{
	struct rdpdr_close_rsp r = {
		.c = { io->device_id, io->completion_id, status },
		.padding_len = padding,
	};
	u8 pdu[32];
	int n = rdpdr_build_close_rsp(pdu, sizeof(pdu), &r);

	if (n > 0)
		sim_answer(s, pdu, (size_t)n);
}

static bool sim_usable(struct sim *s, u32 id, const char *what)
{
	struct sim_dev *dev = sim_dev(s, id);

	if (dev && dev->removed) {
		fprintf(s->out, "LATE %s dev=%u\n", what, id);
		return false;
	}
	if (!dev || dev->type != RDPDR_DTYP_PRINT || dev->status)
		sim_violation(s, "%s for device %u, which is no accepted printer",
			      what, id);
	return true;
}

static void sim_create(struct sim *s, const u8 *pdu, size_t len)
{
	const struct sim_opts *o = s->o;
	struct rdpdr_create_rsp r = { 0 };
	struct rdpdr_create_req req;
	struct rdpdr_err err;
	struct rdpprn_job *job;
	u8 rsp[32];
	int n;

	if (rdpdr_parse_create_req(pdu, len, &req, &err)) {
		sim_violation(s, "unparsable create request (%s)", err.reason);
		return;
	}
	if (len != RDPDR_CREATE_REQ_FIXED || req.io.file_id)
		sim_violation(s, "create request of %zu bytes with FileId %u",
			      len, req.io.file_id);
	if (!sim_usable(s, req.io.device_id, "create") ||
	    (o->silent & SIM_SILENT_CREATE))
		return;
	r.c.device_id = req.io.device_id;
	r.c.completion_id = req.io.completion_id;
	if (o->create_fault) {
		r.c.io_status = o->create_status;
		fprintf(s->out, "CREATE dev=%u status=0x%08x\n",
			req.io.device_id, o->create_status);
	} else if (o->fq && rdpprn_jobs_busy(&s->jobs, req.io.device_id)) {
		/* CreatePrintJob() fails: one job per printer */
		sim_dev(s, req.io.device_id)->q_full++;
		s->jobs.next_file_id++;	/* devman->id_sequence++ all the same */
		r.c.io_status = STATUS_PRINT_QUEUE_FULL;
		fprintf(s->out, "CREATE dev=%u status=0x%08x\n",
			req.io.device_id, STATUS_PRINT_QUEUE_FULL);
	} else {
		struct sim_dev *dev = sim_dev(s, req.io.device_id);

		/* the job's number on its printer names its --out file */
		job = rdpprn_job_new(&s->jobs, sizeof(*job), req.io.device_id,
				     dev && o->out_dir ? dev->jobs++ : 0);
		r.file_id = job->file_id;
		fprintf(s->out, "CREATE dev=%u file=%u status=0x00000000\n",
			job->dev, job->file_id);
	}
	n = rdpdr_build_create_rsp(rsp, sizeof(rsp), &r);
	if (n > 0)
		sim_answer(s, rsp, (size_t)n);
}

/* Drop @dev's list, as printer_free() discards what is left on it */
static void sim_queue_drop(struct sim_dev *dev)
{
	struct sim_irp *irp;

	while ((irp = dev->irps)) {
		dev->irps = irp->next;
		free(irp);
	}
	dev->depth = 0;
	dev->event = false;
}

static void sim_remove(struct sim *s, u32 id)
{
	struct rdpprn_job *j, *next;
	struct sim_dev *dev;
	u8 pdu[16];
	int n;

	n = rdpdr_build_devlist_remove(pdu, sizeof(pdu), &id, 1);
	if (n > 0)
		sim_send_pdu(s, pdu, (size_t)n);
	fprintf(s->out, "REMOVED dev=%u\n", id);
	dev = sim_dev(s, id);
	if (dev) {
		dev->removed = true;
		sim_queue_drop(dev);
	}
	for (j = s->jobs.head; j; j = next) {
		next = j->next;
		if (j->dev == id)
			sim_job_end(s, j, "removed");
	}
}

/* How much of a write the client takes, and with which status */
static u32 sim_take(struct sim *s, struct rdpprn_job *job, u32 length,
		    u32 *status)
{
	const struct sim_opts *o = s->o;

	*status = STATUS_SUCCESS;
	if (o->write_fault && job->writes_ok >= o->fault_after) {
		*status = o->write_status;
		job->write_failed = true;
		return 0;
	}
	if (job->zeros < o->zero_writes) {
		job->zeros++;
		return 0;
	}
	if (o->short_write && length > o->short_write)
		return o->short_write;
	return length;
}

static void sim_write(struct sim *s, const u8 *pdu, size_t len)
{
	const struct sim_opts *o = s->o;
	struct rdpdr_write_rsp r = { .has_padding = true };
	struct rdpdr_write_req req;
	struct rdpdr_err err;
	struct rdpprn_job *job;
	u32 take, status;
	u8 rsp[32];
	int n;

	if (rdpdr_parse_write_req(pdu, len, &req, &err)) {
		sim_violation(s, "unparsable write request (%s)", err.reason);
		return;
	}
	job = rdpprn_job_find(&s->jobs, req.io.device_id, req.io.file_id);
	if (!job) {
		if (!sim_usable(s, req.io.device_id, "write"))
			return;
		sim_violation(s, "write for dev=%u file=%u, not open",
			      req.io.device_id, req.io.file_id);
		if (o->fq) {
			/* FindPrintJob() fails: Length 0 */
			r.c.device_id = req.io.device_id;
			r.c.completion_id = req.io.completion_id;
			r.c.io_status = STATUS_UNSUCCESSFUL;
			n = rdpdr_build_write_rsp(rsp, sizeof(rsp), &r);
			if (n > 0)
				sim_answer(s, rsp, (size_t)n);
		}
		return;
	}
	job->writes++;
	if (o->fq && req.offset != job->bytes) {
		/* FreeRDP ignores Offset: the bytes land where they land */
		sim_dev(s, job->dev)->q_misplaced++;
		if (!req.length)
			sim_violation(s, "write dev=%u: Length 0", job->dev);
	} else if (!req.length || req.offset != job->bytes) {
		sim_violation(s, "write dev=%u: Length %u Offset %llu (at %llu)",
			      job->dev, req.length,
			      (unsigned long long)req.offset,
			      (unsigned long long)job->bytes);
	}
	if (o->verbose)
		fprintf(s->out, "WRITE dev=%u file=%u len=%u off=%llu\n",
			job->dev, job->file_id, req.length,
			(unsigned long long)req.offset);
	if (o->silent & SIM_SILENT_WRITE)
		return;
	take = sim_take(s, job, req.length, &status);
	if (take) {
		rdpprn_job_take(job, req.data, take);
		s->bytes += take;
	}
	if (o->disconnect_set && job->bytes >= o->disconnect_after) {
		/* the connection drops with this write unanswered */
		sim_jobs_end(s, "disconnected");
		s->abrupt = true;
		s->stop = true;
		s->reason = "disconnect-after-bytes";
		return;
	}
	if (o->remove_set && job->bytes >= o->remove_after) {
		/* the removal, not an answer, must end the write */
		sim_remove(s, job->dev);
		return;
	}
	r.c.device_id = job->dev;
	r.c.completion_id = req.io.completion_id;
	r.c.io_status = status;
	r.length = take;
	n = rdpdr_build_write_rsp(rsp, sizeof(rsp), &r);
	if (n > 0)
		sim_answer(s, rsp, (size_t)n);
}

static void sim_close(struct sim *s, const u8 *pdu, size_t len)
{
	const struct sim_opts *o = s->o;
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	struct rdpprn_job *job;
	const char *st;

	if (rdpdr_parse_close_req(pdu, len, &io, &err)) {
		sim_violation(s, "unparsable close request (%s)", err.reason);
		return;
	}
	job = rdpprn_job_find(&s->jobs, io.device_id, io.file_id);
	if (!job) {
		if (!sim_usable(s, io.device_id, "close"))
			return;
		sim_violation(s, "close for dev=%u file=%u, not open",
			      io.device_id, io.file_id);
		if (o->fq)	/* FindPrintJob() fails */
			sim_completion(s, &io, STATUS_UNSUCCESSFUL, 4);
		return;
	}
	if (o->silent & SIM_SILENT_CLOSE)
		return;
	st = job->write_failed ? "write-failed" : "closed";
	if (o->close_fault)
		st = "close-failed";
	/* 4 bytes of padding, as Windows sends */
	sim_completion(s, &io, o->close_fault ? o->close_status : 0, 4);
	sim_job_end(s, job, st);
}

static void sim_handle(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s->req_ns = (u64)now.tv_sec * 1000000000 + (u64)now.tv_nsec;
	if (rdpdr_parse_ioreq(pdu, len, &io, &err)) {
		sim_violation(s, "unparsable I/O request (%s)", err.reason);
		return;
	}
	switch (io.major_function) {
	case IRP_MJ_CREATE:
		sim_create(s, pdu, len);
		break;
	case IRP_MJ_WRITE:
		sim_write(s, pdu, len);
		break;
	case IRP_MJ_CLOSE:
		sim_close(s, pdu, len);
		break;
	default:
		/* what FreeRDP's printer does with other requests */
		sim_violation(s, "I/O request with MajorFunction 0x%x",
			      io.major_function);
		sim_completion(s, &io, STATUS_NOT_SUPPORTED, 0);
	}
}

void sim_ioreq(struct sim *s, const u8 *pdu, size_t len)
{
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	struct sim_dev *dev;
	struct sim_irp *irp;

	if (!s->o->fq || rdpdr_parse_ioreq(pdu, len, &io, &err)) {
		sim_handle(s, pdu, len);
		return;
	}
	dev = sim_dev(s, io.device_id);
	if (!dev || dev->removed || dev->type != RDPDR_DTYP_PRINT ||
	    dev->status) {
		/* no printer thread: rdpdr itself answers (or not) */
		sim_handle(s, pdu, len);
		return;
	}
	/* printer_irp_request(): InterlockedPushEntrySList(), SetEvent() */
	irp = rdpprn_xzalloc(sizeof(*irp) + len);
	memcpy(irp->pdu, pdu, len);
	irp->len = len;
	irp->next = dev->irps;
	dev->irps = irp;
	dev->depth++;
	dev->q_irps++;
	if (dev->depth > dev->q_max)
		dev->q_max = dev->depth;
	if (!dev->event) {
		dev->event = true;
		dev->event_ms = rdpprn_now_ms();
	}
}

int sim_queue_run(struct sim *s, u64 now)
{
	unsigned int lat = s->o->fq_latency_ms, i;
	int next = -1;

	for (i = 0; i < s->n_devs && !s->stop; i++) {
		struct sim_dev *dev = &s->devs[i];
		struct sim_irp *irp;

		if (!dev->event)
			continue;
		if (now < dev->event_ms + lat) {
			int left = (int)(dev->event_ms + lat - now);

			if (next < 0 || left < next)
				next = left;
			continue;
		}
		/* printer_thread_func(): ResetEvent(), then pop ONE */
		dev->event = false;
		irp = dev->irps;
		if (!irp)
			continue;
		dev->irps = irp->next;
		dev->depth--;
		if (dev->depth)
			dev->q_reordered++;	/* an older one waits */
		sim_handle(s, irp->pdu, irp->len);
		free(irp);
		/* a removal in the handler drops the list */
	}
	return next;
}

void sim_queue_report(struct sim *s)
{
	unsigned int i;

	if (!s->o->fq)
		return;
	for (i = 0; i < s->n_devs; i++) {
		const struct sim_dev *d = &s->devs[i];

		if (d->type != RDPDR_DTYP_PRINT)
			continue;
		fprintf(s->out, "QUEUE dev=%u irps=%llu max_outstanding=%u",
			d->id, (unsigned long long)d->q_irps, d->q_max);
		fprintf(s->out, " queue_full=%u reordered=%u misplaced=%u stranded=%u\n",
			d->q_full, d->q_reordered, d->q_misplaced, d->depth);
	}
	fflush(s->out);
}

void sim_queue_free(struct sim *s)
{
	unsigned int i;

	for (i = 0; i < s->n_devs; i++)
		sim_queue_drop(&s->devs[i]);
}
