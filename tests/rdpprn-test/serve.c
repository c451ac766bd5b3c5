// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test serve: the helper and the RDP client in one process.
 *
 * Creates a session, announces printers, checks the Server Device Announce
 * Responses, then answers the kernel's Device I/O Requests like a client
 * printer would (create, write, close), storing and hashing each job. Fault
 * injection makes it answer with error statuses, short or empty writes,
 * late or never, remove the device or die in the middle of a job.
 *
 * Everything the suites assert on is one line on stdout:
 *   SESSION id=<sid> portid=<portid>
 *   REPLY dev=<id> status=0x<ntstatus>         kernel's announce response
 *   HELPER-REPLY dev=<id> status=0xc00000bb    non-printers, answered here
 *   DEVICE dev=<id> node=/dev/<name>
 *   READY /dev/rdpprnA /dev/rdpprnB ...
 *   CREATE dev=<id> file=<fileid> status=0x<ntstatus>
 *   JOB dev=<id> file=<fileid> bytes=<n> sha256=<hex> status=<s> writes=<n>
 *   REMOVED dev=<id>
 *   NLERR ...                                  the kernel refused an answer
 *   VIOLATION <what>                           the kernel broke the protocol
 *   EXIT reason=<why> violations=<n>
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdpprn_job.h"
#include "rdpprn_test.h"

#define SRV_SILENT_CREATE	BIT(0)
#define SRV_SILENT_WRITE	BIT(1)
#define SRV_SILENT_CLOSE	BIT(2)
#define SRV_MAX_DEVS		1024
#define SRV_MAX_PENDING		256

struct srv_opts {
	u32 uid;
	u32 gid;
	const char *client_name;
	const char *client_addr;
	struct rpt_printer printers[64];
	unsigned int nprinters;
	const char *vector;
	const char *out_dir;
	bool create_fault;
	u32 create_status;
	bool write_fault;
	u32 write_status;
	bool close_fault;
	u32 close_status;
	u64 fault_after;
	u64 fault_jobs;
	bool fault_dev_set;
	u32 fault_dev;
	u32 short_write;
	u32 zero_writes;
	unsigned int silent;
	unsigned int delay_ms;
	bool remove_set;
	u64 remove_after;
	bool exit_set;
	u64 exit_after;
	u32 window;
	u32 chunk_max;
	unsigned int timeout_s;
	unsigned int max_jobs;
	u32 file_id_base;
	bool verbose;
};

struct srv_dev {
	u32 id;
	bool printer;
	bool xps;
	unsigned int replies;
	u32 status;
	bool removed;
	unsigned int jobs;
	char node[64];
};

/*
 * What serve keeps beyond the client's bookkeeping: which jobs the fault
 * options apply to and the writes it holds back (--silent=write).
 */
struct srv_job {
	struct rdpprn_job job;
	bool faulted;
	bool window_reported;
	unsigned int outstanding;
};

struct srv {
	struct srv_opts *o;
	struct rpt_nl nl;
	u32 sid;
	struct srv_dev devs[SRV_MAX_DEVS];
	unsigned int ndevs;
	struct rdpprn_jobs jobs;
	u64 job_count;
	unsigned int violations;
	u32 pending[SRV_MAX_PENDING];
	unsigned int npending;
	bool overrun_reported;
	bool stop;
	const char *reason;
};

static void __printf(2, 3) srv_violation(struct srv *s, const char *fmt, ...)
{
	va_list ap;

	s->violations++;
	printf("VIOLATION ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static struct srv_dev *srv_dev(struct srv *s, u32 id)
{
	unsigned int i;

	for (i = 0; i < s->ndevs; i++)
		if (s->devs[i].id == id)
			return &s->devs[i];
	return NULL;
}

static struct srv_job *srv_job(struct srv *s, u32 dev, u32 file_id)
{
	struct rdpprn_job *j = rdpprn_job_find(&s->jobs, dev, file_id);

	return j ? container_of(j, struct srv_job, job) : NULL;
}

/* rdpprn_job_end() and --jobs */
static void srv_job_end(struct srv *s, struct rdpprn_job *job,
			const char *status)
{
	rdpprn_job_end(&s->jobs, job, status);
	if (s->o->max_jobs && s->jobs.done >= s->o->max_jobs) {
		s->stop = true;
		s->reason = "jobs";
	}
}

static bool srv_cid_pending(struct srv *s, u32 cid)
{
	unsigned int i;

	for (i = 0; i < s->npending; i++)
		if (s->pending[i] == cid)
			return true;
	return false;
}

static void srv_hold(struct srv *s, u32 cid)
{
	if (s->npending < SRV_MAX_PENDING)
		s->pending[s->npending++] = cid;
}

static void srv_answer(struct srv *s, const char *what, u32 dev, u32 cid,
		       const u8 *pdu, size_t len)
{
	int rc;

	if (s->o->delay_ms)
		rpt_sleep_ms(s->o->delay_ms);
	rc = rpt_send_pdu(&s->nl, s->sid, pdu, len);
	if (rc)
		printf("NLERR op=%s dev=%u cid=%u errno=%s extack=\"%s\"\n",
		       what, dev, cid, rdpprn_errname(rc), s->nl.extack);
}

static bool srv_faulted(struct srv *s, u32 dev)
{
	struct srv_opts *o = s->o;

	if (o->fault_dev_set && o->fault_dev != dev)
		return false;
	return !o->fault_jobs || s->job_count < o->fault_jobs;
}

static void srv_create(struct srv *s, const u8 *buf, size_t len)
{
	struct srv_opts *o = s->o;
	struct rdpdr_create_req req;
	struct rdpdr_err err;
	struct rdpprn_job *job;
	struct srv_job *sj;
	struct srv_dev *dev;
	bool faulted;
	u8 rsp[32];
	size_t n;

	if (rdpdr_parse_create_req(buf, len, &req, &err)) {
		srv_violation(s, "unparsable create request (%s)", err.reason);
		return;
	}
	if (len != RDPDR_CREATE_REQ_FIXED || req.path_length ||
	    req.io.file_id)
		srv_violation(s,
			      "create request dev=%u: %zu bytes, FileId %u, PathLength %u (want 56, 0, 0)",
			      req.io.device_id, len, req.io.file_id,
			      req.path_length);
	dev = srv_dev(s, req.io.device_id);
	if (!dev || !dev->printer || dev->status || dev->removed) {
		if (dev && dev->removed)
			printf("LATE create dev=%u\n", req.io.device_id);
		else
			srv_violation(s, "create for device %u that is no accepted printer",
				      req.io.device_id);
	}
	if (o->silent & SRV_SILENT_CREATE) {
		printf("IGNORED create dev=%u cid=%u\n", req.io.device_id,
		       req.io.completion_id);
		srv_hold(s, req.io.completion_id);
		return;
	}
	faulted = srv_faulted(s, req.io.device_id);
	s->job_count++;
	if (faulted && o->create_fault) {
		n = rpt_create_rsp(rsp, req.io.device_id, req.io.completion_id,
				   o->create_status, 0);
		printf("CREATE dev=%u status=0x%08x\n", req.io.device_id,
		       o->create_status);
		srv_answer(s, "create", req.io.device_id, req.io.completion_id,
			   rsp, n);
		return;
	}
	job = rdpprn_job_new(&s->jobs, sizeof(*sj), req.io.device_id,
			     dev ? dev->jobs++ : 0);
	sj = container_of(job, struct srv_job, job);
	sj->faulted = faulted;
	n = rpt_create_rsp(rsp, job->dev, req.io.completion_id, 0,
			   job->file_id);
	printf("CREATE dev=%u file=%u status=0x00000000\n", job->dev,
	       job->file_id);
	srv_answer(s, "create", job->dev, req.io.completion_id, rsp, n);
}

static void srv_remove_dev(struct srv *s, u32 id)
{
	struct rdpprn_job *j, *next;
	struct srv_dev *dev;
	size_t len;
	u8 *pdu;
	int rc;

	pdu = rpt_remove(&id, 1, &len);
	rc = rpt_send_pdu(&s->nl, s->sid, pdu, len);
	free(pdu);
	if (rc)
		printf("NLERR op=remove dev=%u errno=%s extack=\"%s\"\n", id,
		       rdpprn_errname(rc), s->nl.extack);
	printf("REMOVED dev=%u\n", id);
	dev = srv_dev(s, id);
	if (dev)
		dev->removed = true;
	for (j = s->jobs.head; j; j = next) {
		next = j->next;
		if (j->dev == id)
			srv_job_end(s, j, "removed");
	}
}

static void __noreturn srv_exit_now(struct srv *s)
{
	while (s->jobs.head)
		rdpprn_job_end(&s->jobs, s->jobs.head, "exited");
	printf("EXIT reason=exit-after-bytes violations=%u\n", s->violations);
	fflush(stdout);
	/* no SESSION_DEL: the owner socket dies with the process */
	_exit(0);
}

static void srv_write(struct srv *s, const u8 *buf, size_t len)
{
	struct srv_opts *o = s->o;
	struct rdpdr_write_req req;
	struct rdpdr_err err;
	struct rdpprn_job *job;
	struct srv_job *sj;
	u32 status = 0, take;
	u8 rsp[32];
	size_t n;

	if (rdpdr_parse_write_req(buf, len, &req, &err)) {
		srv_violation(s, "unparsable write request (%s)", err.reason);
		return;
	}
	sj = srv_job(s, req.io.device_id, req.io.file_id);
	if (!sj) {
		struct srv_dev *dev = srv_dev(s, req.io.device_id);

		if (dev && dev->removed) {
			printf("LATE write dev=%u\n", req.io.device_id);
			return;
		}
		srv_violation(s, "write for dev=%u file=%u that is not open",
			      req.io.device_id, req.io.file_id);
		n = rpt_write_rsp(rsp, req.io.device_id, req.io.completion_id,
				  STATUS_INVALID_HANDLE, 0);
		srv_answer(s, "write", req.io.device_id, req.io.completion_id,
			   rsp, n);
		return;
	}
	job = &sj->job;
	job->writes++;
	if (len != (size_t)RDPDR_WRITE_REQ_FIXED + req.length)
		srv_violation(s, "write dev=%u: PDU of %zu bytes for Length %u",
			      job->dev, len, req.length);
	if (!req.length || req.length > o->chunk_max)
		srv_violation(s, "write dev=%u: Length %u (want 1..%u)",
			      job->dev, req.length, o->chunk_max);
	if (req.offset != job->bytes)
		srv_violation(s, "write dev=%u file=%u: Offset %llu, expected %llu",
			      job->dev, job->file_id,
			      (unsigned long long)req.offset,
			      (unsigned long long)job->bytes);
	if (o->verbose)
		printf("IRP write dev=%u file=%u cid=%u len=%u off=%llu\n",
		       job->dev, job->file_id, req.io.completion_id,
		       req.length, (unsigned long long)req.offset);
	if (o->silent & SRV_SILENT_WRITE) {
		sj->outstanding++;
		srv_hold(s, req.io.completion_id);
		if (sj->outstanding > o->window && !sj->window_reported) {
			sj->window_reported = true;
			srv_violation(s, "dev=%u file=%u: %u writes outstanding (window %u)",
				      job->dev, job->file_id, sj->outstanding,
				      o->window);
		}
		return;
	}
	take = req.length;
	if (sj->faulted && o->write_fault && job->writes_ok >= o->fault_after) {
		status = o->write_status;
		take = 0;
		job->write_failed = true;
	} else if (job->zeros < o->zero_writes) {
		job->zeros++;
		take = 0;
	} else if (o->short_write && take > o->short_write) {
		take = o->short_write;
	}
	if (take)
		rdpprn_job_take(job, req.data, take);
	if (o->exit_set && job->bytes >= o->exit_after)
		srv_exit_now(s);
	if (o->remove_set && job->bytes >= o->remove_after) {
		/* the write stays unanswered: the removal must complete it */
		srv_remove_dev(s, job->dev);
		return;
	}
	n = rpt_write_rsp(rsp, job->dev, req.io.completion_id, status, take);
	srv_answer(s, "write", job->dev, req.io.completion_id, rsp, n);
}

static void srv_close(struct srv *s, const u8 *buf, size_t len)
{
	struct srv_opts *o = s->o;
	struct rdpdr_err err;
	struct rdpdr_ioreq io;
	struct rdpprn_job *job;
	struct srv_job *sj;
	const char *st;
	u32 status = 0;
	u8 rsp[32];
	size_t n;

	if (rdpdr_parse_close_req(buf, len, &io, &err)) {
		srv_violation(s, "unparsable close request (%s)", err.reason);
		return;
	}
	if (len != RDPDR_CLOSE_REQ_SIZE)
		srv_violation(s, "close request of %zu bytes (want 56)", len);
	sj = srv_job(s, io.device_id, io.file_id);
	if (!sj) {
		struct srv_dev *dev = srv_dev(s, io.device_id);

		if (dev && dev->removed) {
			printf("LATE close dev=%u\n", io.device_id);
			return;
		}
		srv_violation(s, "close for dev=%u file=%u that is not open",
			      io.device_id, io.file_id);
		n = rpt_close_rsp(rsp, io.device_id, io.completion_id,
				  STATUS_INVALID_HANDLE);
		srv_answer(s, "close", io.device_id, io.completion_id, rsp, n);
		return;
	}
	job = &sj->job;
	if (o->silent & SRV_SILENT_CLOSE) {
		printf("IGNORED close dev=%u file=%u cid=%u\n", job->dev,
		       job->file_id, io.completion_id);
		srv_hold(s, io.completion_id);
		srv_job_end(s, job, "close-ignored");
		return;
	}
	st = job->write_failed ? "write-failed" : "closed";
	if (sj->faulted && o->close_fault) {
		status = o->close_status;
		st = "close-failed";
	}
	n = rpt_close_rsp(rsp, job->dev, io.completion_id, status);
	srv_answer(s, "close", job->dev, io.completion_id, rsp, n);
	srv_job_end(s, job, st);
}

static void srv_reply(struct srv *s, const u8 *buf, size_t len)
{
	struct rdpdr_device_reply r;
	struct rdpdr_err err;
	struct srv_dev *dev;

	if (rdpdr_parse_device_reply(buf, len, &r, &err)) {
		srv_violation(s, "unparsable device reply (%s)", err.reason);
		return;
	}
	printf("REPLY dev=%u status=0x%08x\n", r.device_id, r.result_code);
	dev = srv_dev(s, r.device_id);
	if (!dev) {
		srv_violation(s, "reply for device %u that was not announced",
			      r.device_id);
		return;
	}
	if (!dev->printer)
		srv_violation(s, "reply for non-printer device %u",
			      r.device_id);
	if (dev->replies++)
		srv_violation(s, "second reply for device %u", r.device_id);
	dev->status = r.result_code;
}

static void srv_using_xps(struct srv *s, const u8 *pdu, size_t len)
{
	struct rdpdr_using_xps x;
	struct rdpdr_err err;
	struct srv_dev *dev;
	const char *bad;

	if (rdpdr_parse_using_xps(pdu, len, &x, &err)) {
		srv_violation(s, "unparsable DR_PRN_USING_XPS (%s)", err.reason);
		return;
	}
	dev = srv_dev(s, x.printer_id);
	bad = rdpprn_jobs_using_xps(&s->jobs, x.printer_id, dev && dev->xps);
	if (bad)
		srv_violation(s, "%s (printer %u)", bad, x.printer_id);
}

static void srv_pdu(struct srv *s, struct rpt_pdu *p)
{
	struct rdpdr_ioreq io;
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	if (p->session_id && p->session_id != s->sid)
		srv_violation(s, "PDU for session %u on the owner socket of %u",
			      p->session_id, s->sid);
	if (rdpdr_parse_hdr(p->data, p->len, &hdr, &err)) {
		srv_violation(s, "PDU of %zu bytes without a header", p->len);
		return;
	}
	if (hdr.component == RDPDR_CTYP_PRN) {
		printf("PRN packet=0x%04x len=%zu\n", hdr.packet_id, p->len);
		if (hdr.packet_id == PAKID_PRN_USING_XPS)
			srv_using_xps(s, p->data, p->len);
		return;
	}
	if (hdr.component != RDPDR_CTYP_CORE) {
		srv_violation(s, "PDU with component 0x%04x", hdr.component);
		return;
	}
	if (hdr.packet_id == PAKID_CORE_DEVICE_REPLY) {
		srv_reply(s, p->data, p->len);
		return;
	}
	if (hdr.packet_id != PAKID_CORE_DEVICE_IOREQUEST) {
		srv_violation(s, "unexpected PDU %s",
			      rdpdr_pdu_name(hdr.component, hdr.packet_id));
		return;
	}
	if (rdpdr_parse_ioreq(p->data, p->len, &io, &err)) {
		srv_violation(s, "unparsable I/O request (%s)", err.reason);
		return;
	}
	if (srv_cid_pending(s, io.completion_id))
		srv_violation(s, "CompletionId %u reused while outstanding",
			      io.completion_id);
	switch (io.major_function) {
	case IRP_MJ_CREATE:
		srv_create(s, p->data, p->len);
		break;
	case IRP_MJ_WRITE:
		srv_write(s, p->data, p->len);
		break;
	case IRP_MJ_CLOSE:
		srv_close(s, p->data, p->len);
		break;
	default: {
		u8 rsp[32];
		size_t n;

		srv_violation(s, "I/O request with MajorFunction 0x%x",
			      io.major_function);
		n = rpt_close_rsp(rsp, io.device_id, io.completion_id,
				  STATUS_NOT_SUPPORTED);
		srv_answer(s, "other", io.device_id, io.completion_id, rsp, n);
	}
	}
}

/* Window check over what is queued but not handled yet */
static void srv_scan_window(struct srv *s)
{
	struct rpt_pdu *p, *q;
	struct rdpdr_ioreq io, io2;
	struct rdpdr_err err;

	for (p = s->nl.head; p; p = p->next) {
		struct srv_job *sj;
		unsigned int n = 0;

		if (rdpdr_parse_ioreq(p->data, p->len, &io, &err) ||
		    io.major_function != IRP_MJ_WRITE)
			continue;
		sj = srv_job(s, io.device_id, io.file_id);
		if (!sj || sj->window_reported)
			continue;
		for (q = s->nl.head; q; q = q->next) {
			if (!rdpdr_parse_ioreq(q->data, q->len, &io2, &err) &&
			    io2.major_function == IRP_MJ_WRITE &&
			    io2.device_id == io.device_id &&
			    io2.file_id == io.file_id)
				n++;
		}
		n += sj->outstanding;
		if (n > s->o->window) {
			sj->window_reported = true;
			srv_violation(s, "dev=%u file=%u: %u writes outstanding (window %u)",
				      sj->job.dev, sj->job.file_id, n,
				      s->o->window);
		}
	}
}

static void srv_process(struct srv *s)
{
	struct rpt_pdu *p;

	srv_scan_window(s);
	while (!s->stop && (p = rpt_nl_next_pdu(&s->nl, 0, NULL))) {
		srv_pdu(s, p);
		free(p);
	}
	if (s->nl.overruns && !s->overrun_reported) {
		s->overrun_reported = true;
		printf("OVERRUN count=%u\n", s->nl.overruns);
	}
	fflush(stdout);
}

static int srv_add_entries(struct srv *s, const u8 *pdu, size_t len)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_devlist dl;
	struct rdpdr_device d;
	struct rdpdr_err err;

	if (rdpdr_parse_devlist(pdu, len, &dl, &err)) {
		char msg[256];

		rdpdr_err_format(&err, msg, sizeof(msg));
		rpt_warn("the announce does not parse: %s", msg);
		return 0;
	}
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &d)) {
		struct srv_dev *dev;
		struct rdpdr_printer p;

		if (s->ndevs == SRV_MAX_DEVS)
			return -E2BIG;
		dev = &s->devs[s->ndevs++];
		dev->id = d.device_id;
		dev->printer = d.device_type == RDPDR_DTYP_PRINT;
		dev->xps = dev->printer && !rdpdr_parse_printer(&d, &p, &err) &&
			   (p.flags & RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT);
	}
	return 0;
}

static int srv_announce(struct srv *s)
{
	struct srv_opts *o = s->o;
	struct rpt_obj *devs = NULL, *d;
	struct rpt_pdu *p;
	unsigned int i;
	size_t len;
	u8 *pdu;
	int rc;

	if (o->vector) {
		rc = rdpprn_load_hex(o->vector, &pdu, &len);
		if (rc)
			rpt_die("%s: %s", o->vector, rdpprn_errname(rc));
	} else {
		/* up to 64 printers (--printer): too big for the stack */
		struct rpt_entry *e = rdpprn_xzalloc(sizeof(*e) * o->nprinters);

		for (i = 0; i < o->nprinters; i++)
			if (rpt_printer_entry(&o->printers[i], &e[i]))
				rpt_die("cannot build printer %u", i);
		pdu = rpt_devlist(e, o->nprinters, &len);
		rpt_entries_free(e, o->nprinters);
		free(e);
	}
	rc = srv_add_entries(s, pdu, len);
	if (!rc)
		rc = rpt_send_pdu(&s->nl, s->sid, pdu, len);
	free(pdu);
	if (rc) {
		printf("ANNOUNCE-ERROR errno=%s extack=\"%s\"\n",
		       rdpprn_errname(rc), s->nl.extack);
		return rc;
	}
	/* the replies come before the ACK: they are all queued now */
	while ((p = rpt_nl_next_pdu(&s->nl, 0, NULL))) {
		srv_pdu(s, p);
		free(p);
	}
	for (i = 0; i < s->ndevs; i++) {
		struct srv_dev *dev = &s->devs[i];

		if (!dev->printer) {
			printf("HELPER-REPLY dev=%u status=0x%08x\n", dev->id,
			       STATUS_NOT_SUPPORTED);
			continue;
		}
		if (!dev->replies) {
			srv_violation(s, "no reply for printer %u before the ACK",
				      dev->id);
			dev->status = STATUS_UNSUCCESSFUL;
		}
	}
	rc = rpt_get_devices(&s->nl, s->sid, &devs);
	if (rc) {
		printf("NLERR op=device-get errno=%s extack=\"%s\"\n",
		       rdpprn_errname(rc), s->nl.extack);
		return rc;
	}
	for (d = devs; d; d = d->next) {
		struct srv_dev *dev;

		if (d->has[RDPPRN_A_SESSION_ID] &&
		    d->u[RDPPRN_A_SESSION_ID] != s->sid)
			continue;
		dev = srv_dev(s, (u32)d->u[RDPPRN_A_DEVICE_ID]);
		if (!dev || !d->s[RDPPRN_A_DEV_NAME]) {
			srv_violation(s, "DEVICE_GET lists device %llu",
				      (unsigned long long)d->u[RDPPRN_A_DEVICE_ID]);
			continue;
		}
		snprintf(dev->node, sizeof(dev->node), "/dev/%s",
			 d->s[RDPPRN_A_DEV_NAME]);
		printf("DEVICE dev=%u node=%s\n", dev->id, dev->node);
	}
	rpt_objs_free(devs);
	printf("READY");
	for (i = 0; i < s->ndevs; i++) {
		struct srv_dev *dev = &s->devs[i];

		if (!dev->printer || dev->status)
			continue;
		if (!dev->node[0]) {
			srv_violation(s, "accepted printer %u has no device",
				      dev->id);
			continue;
		}
		printf(" %s", dev->node);
	}
	putchar('\n');
	fflush(stdout);
	return 0;
}

static void srv_usage_error(const char *msg)
{
	rpt_die("serve: %s (see --help)", msg);
}

static unsigned int srv_parse_silent(const char *arg)
{
	unsigned int m = 0;
	char *copy, *tok, *save;

	if (!arg)
		return SRV_SILENT_CREATE | SRV_SILENT_WRITE | SRV_SILENT_CLOSE;
	copy = rdpprn_xstrdup(arg);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "create"))
			m |= SRV_SILENT_CREATE;
		else if (!strcmp(tok, "write"))
			m |= SRV_SILENT_WRITE;
		else if (!strcmp(tok, "close"))
			m |= SRV_SILENT_CLOSE;
		else if (!strcmp(tok, "all"))
			m |= SRV_SILENT_CREATE | SRV_SILENT_WRITE |
			     SRV_SILENT_CLOSE;
		else
			srv_usage_error("--silent takes create,write,close,all");
	}
	free(copy);
	return m;
}

enum {
	OPT_UID = 256, OPT_GID, OPT_CNAME, OPT_PRINTER, OPT_VECTOR, OPT_OUT,
	OPT_CREATE_ST, OPT_WRITE_ST, OPT_CLOSE_ST, OPT_FAULT_AFTER,
	OPT_FAULT_JOBS, OPT_FAULT_DEV, OPT_SHORT, OPT_ZERO, OPT_SILENT,
	OPT_DELAY, OPT_REMOVE, OPT_EXIT, OPT_WINDOW, OPT_CHUNK, OPT_TIMEOUT,
	OPT_JOBS, OPT_FILE_ID, OPT_VERBOSE, OPT_CADDR,
};

static const struct option srv_longopts[] = {
	{ "uid", required_argument, NULL, OPT_UID },
	{ "gid", required_argument, NULL, OPT_GID },
	{ "client-name", required_argument, NULL, OPT_CNAME },
	{ "client-address", required_argument, NULL, OPT_CADDR },
	{ "printer", required_argument, NULL, OPT_PRINTER },
	{ "vector", required_argument, NULL, OPT_VECTOR },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "create-status", required_argument, NULL, OPT_CREATE_ST },
	{ "write-status", required_argument, NULL, OPT_WRITE_ST },
	{ "close-status", required_argument, NULL, OPT_CLOSE_ST },
	{ "fault-after", required_argument, NULL, OPT_FAULT_AFTER },
	{ "fault-jobs", required_argument, NULL, OPT_FAULT_JOBS },
	{ "fault-dev", required_argument, NULL, OPT_FAULT_DEV },
	{ "short-write", required_argument, NULL, OPT_SHORT },
	{ "zero-write", required_argument, NULL, OPT_ZERO },
	{ "silent", optional_argument, NULL, OPT_SILENT },
	{ "delay-ms", required_argument, NULL, OPT_DELAY },
	{ "remove-after-bytes", required_argument, NULL, OPT_REMOVE },
	{ "exit-after-bytes", required_argument, NULL, OPT_EXIT },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "chunk-max", required_argument, NULL, OPT_CHUNK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "file-id", required_argument, NULL, OPT_FILE_ID },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ NULL, 0, NULL, 0 },
};

static u64 srv_num(const char *opt, const char *arg)
{
	u64 v;

	if (rdpprn_parse_u64(arg, &v)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s wants a number, got '%s'", opt,
			 arg);
		srv_usage_error(msg);
	}
	return v;
}

static u32 srv_status(const char *opt, const char *arg)
{
	u32 v;

	if (rdpprn_parse_ntstatus(arg, &v)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s wants an NTSTATUS, got '%s'",
			 opt, arg);
		srv_usage_error(msg);
	}
	return v;
}

static void srv_parse(struct srv_opts *o, int argc, char **argv)
{
	int c;

	o->window = (u32)rpt_param("window", RPT_DEF_WINDOW);
	o->chunk_max = (u32)rpt_param("chunk_size", RPT_DEF_CHUNK_SIZE);
	optind = 1;
	while ((c = getopt_long(argc, argv, "v", srv_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_UID:
			o->uid = (u32)srv_num("--uid", optarg);
			break;
		case OPT_GID:
			o->gid = (u32)srv_num("--gid", optarg);
			break;
		case OPT_CNAME:
			o->client_name = optarg;
			break;
		case OPT_CADDR:
			o->client_addr = optarg;
			break;
		case OPT_PRINTER:
			if (o->nprinters == ARRAY_SIZE(o->printers))
				srv_usage_error("too many --printer");
			if (rpt_printer_parse(optarg, o->nprinters + 1,
					      &o->printers[o->nprinters]))
				srv_usage_error("bad --printer spec");
			o->nprinters++;
			break;
		case OPT_VECTOR:
			o->vector = optarg;
			break;
		case OPT_OUT:
			o->out_dir = optarg;
			break;
		case OPT_CREATE_ST:
			o->create_fault = true;
			o->create_status = srv_status("--create-status", optarg);
			break;
		case OPT_WRITE_ST:
			o->write_fault = true;
			o->write_status = srv_status("--write-status", optarg);
			break;
		case OPT_CLOSE_ST:
			o->close_fault = true;
			o->close_status = srv_status("--close-status", optarg);
			break;
		case OPT_FAULT_AFTER:
			o->fault_after = srv_num("--fault-after", optarg);
			break;
		case OPT_FAULT_JOBS:
			o->fault_jobs = srv_num("--fault-jobs", optarg);
			break;
		case OPT_FAULT_DEV:
			o->fault_dev_set = true;
			o->fault_dev = (u32)srv_num("--fault-dev", optarg);
			break;
		case OPT_SHORT:
			o->short_write = (u32)srv_num("--short-write", optarg);
			break;
		case OPT_ZERO:
			o->zero_writes = (u32)srv_num("--zero-write", optarg);
			break;
		case OPT_SILENT:
			o->silent |= srv_parse_silent(optarg);
			break;
		case OPT_DELAY:
			o->delay_ms = (unsigned int)srv_num("--delay-ms", optarg);
			break;
		case OPT_REMOVE:
			o->remove_set = true;
			o->remove_after = srv_num("--remove-after-bytes",
						  optarg);
			break;
		case OPT_EXIT:
			o->exit_set = true;
			o->exit_after = srv_num("--exit-after-bytes", optarg);
			break;
		case OPT_WINDOW:
			o->window = (u32)srv_num("--window", optarg);
			break;
		case OPT_CHUNK:
			o->chunk_max = (u32)srv_num("--chunk-max", optarg);
			break;
		case OPT_TIMEOUT:
			o->timeout_s = (unsigned int)srv_num("--timeout", optarg);
			break;
		case OPT_JOBS:
			o->max_jobs = (unsigned int)srv_num("--jobs", optarg);
			break;
		case OPT_FILE_ID:
			o->file_id_base = (u32)srv_num("--file-id", optarg);
			break;
		case 'v':
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		default:
			srv_usage_error("unknown option");
		}
	}
	if (optind != argc)
		srv_usage_error("unexpected argument");
	if (!o->vector && !o->nprinters)
		srv_usage_error("give --printer SPEC or --vector FILE");
	if (o->vector && o->nprinters)
		srv_usage_error("--printer and --vector exclude each other");
	if (o->out_dir && mkdir(o->out_dir, 0755) && errno != EEXIST)
		rpt_die("%s: %s", o->out_dir, strerror(errno));
}

int rpt_cmd_serve(int argc, char **argv)
{
	struct srv_opts *o = rdpprn_xzalloc(sizeof(*o));
	struct srv *s = rdpprn_xzalloc(sizeof(*s));
	struct pollfd pfd[2];
	u64 deadline = 0;
	sigset_t mask;
	int sfd, rc;
	unsigned int i;

	srv_parse(o, argc, argv);
	s->o = o;
	setvbuf(stdout, NULL, _IOLBF, 0);
	rdpprn_jobs_init(&s->jobs, stdout, o->out_dir, o->file_id_base);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		rpt_die("signalfd: %s", strerror(errno));

	rc = rpt_nl_open(&s->nl);
	if (rc)
		rpt_die("netlink: %s (is rdpprn.ko loaded?)", rdpprn_errname(rc));
	rc = rpt_session_new_at(&s->nl, o->uid, o->gid, o->client_name,
				o->client_addr, &s->sid);
	if (rc) {
		printf("SESSION-ERROR errno=%s extack=\"%s\"\n",
		       rdpprn_errname(rc), s->nl.extack);
		return 1;
	}
	printf("SESSION id=%u portid=%u\n", s->sid, s->nl.portid);
	rc = srv_announce(s);
	if (rc) {
		rpt_session_del(&s->nl, s->sid);
		return 1;
	}
	if (o->timeout_s)
		deadline = rdpprn_now_ms() + o->timeout_s * 1000ULL;
	s->reason = "signal";
	while (!s->stop) {
		int wait = -1, n;

		if (deadline) {
			u64 now = rdpprn_now_ms();

			if (now >= deadline) {
				s->reason = "timeout";
				break;
			}
			wait = (int)(deadline - now);
		}
		pfd[0].fd = rpt_nl_fd(&s->nl);
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		n = poll(pfd, 2, wait);
		if (n < 0 && errno != EINTR)
			rpt_die("poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) > 0)
				s->reason = strsignal(si.ssi_signo);
			break;
		}
		rc = rpt_nl_drain(&s->nl);
		if (rc) {
			printf("NLERR op=receive errno=%s\n", rdpprn_errname(rc));
			s->reason = "netlink";
			break;
		}
		srv_process(s);
	}
	while (s->jobs.head)
		srv_job_end(s, s->jobs.head, "open");
	rc = rpt_session_del(&s->nl, s->sid);
	if (rc)
		printf("NLERR op=session-del errno=%s extack=\"%s\"\n",
		       rdpprn_errname(rc), s->nl.extack);
	printf("EXIT reason=%s violations=%u\n", s->reason, s->violations);
	fflush(stdout);
	rpt_nl_close(&s->nl);
	for (i = 0; i < o->nprinters; i++)
		rpt_printer_free(&o->printers[i]);
	rc = s->violations ? 3 : 0;
	free(s);
	free(o);
	return rc;
}
