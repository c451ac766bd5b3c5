// SPDX-License-Identifier: GPL-2.0
/*
 * job.c - print jobs as the client printer keeps them (rdpprn_job.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rdpprn_job.h"
#include "rdpprn_log.h"

/**
 * rdpprn_jobs_init() - an empty job table
 * @t: the table
 * @out: where the JOB lines go
 * @out_dir: store each job's bytes in @out_dir/job-DEV-N.bin, or NULL
 * @first_file_id: FileId of the first job
 */
void rdpprn_jobs_init(struct rdpprn_jobs *t, FILE *out, const char *out_dir,
		      u32 first_file_id)
{
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->out_dir = out_dir;
	t->next_file_id = first_file_id;
}

/**
 * rdpprn_job_new() - open a job and hand out its FileId
 * @t: the table
 * @size: bytes to allocate, zeroed: sizeof(struct rdpprn_job), or more for
 *	a caller's structure that embeds it (reached with container_of())
 * @dev: DeviceId
 * @n: the job's number on @dev, for the name of its file
 *
 * A file that cannot be created is logged and the job goes on without it:
 * the hash still tells what arrived.
 *
 * Return: the job, on @t's list; rdpprn_job_end() ends and frees it.
 */
struct rdpprn_job *rdpprn_job_new(struct rdpprn_jobs *t, size_t size, u32 dev,
				  unsigned int n)
{
	struct rdpprn_job *job = rdpprn_xzalloc(size);

	job->dev = dev;
	job->file_id = t->next_file_id++;
	job->fd = -1;
	rdpprn_sha256_init(&job->sha);
	if (t->out_dir) {
		snprintf(job->path, sizeof(job->path), "%s/job-%u-%u.bin",
			 t->out_dir, dev, n);
		job->fd = open(job->path, O_WRONLY | O_CREAT | O_TRUNC |
			       O_CLOEXEC, 0644);
		if (job->fd < 0)
			rdpprn_warn("%s: %s", job->path, strerror(errno));
	}
	job->next = t->head;
	t->head = job;
	return job;
}

struct rdpprn_job *rdpprn_job_find(const struct rdpprn_jobs *t, u32 dev,
				   u32 file_id)
{
	struct rdpprn_job *j;

	for (j = t->head; j; j = j->next)
		if (j->dev == dev && j->file_id == file_id)
			return j;
	return NULL;
}

static struct rdpprn_job *rdpprn_job_on(const struct rdpprn_jobs *t, u32 dev)
{
	struct rdpprn_job *j;

	for (j = t->head; j; j = j->next)
		if (j->dev == dev)
			return j;
	return NULL;
}

bool rdpprn_jobs_busy(const struct rdpprn_jobs *t, u32 dev)
{
	return rdpprn_job_on(t, dev);
}

/**
 * rdpprn_jobs_using_xps() - a DR_PRN_USING_XPS arrived for printer @dev
 * @t: the table
 * @dev: its PrinterId
 * @xps_printer: @dev was announced with RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT
 *
 * [MS-RDPEPC] wants it only for printers that take XPS, and before the
 * first XPS write. A server sends it once a job's FileId is open, so it
 * is out of order with no job open on @dev or after the job's first
 * write request. In order, the job is marked XPS (format=xps in its JOB
 * line).
 *
 * Return: NULL, or what is wrong, for a VIOLATION line.
 */
const char *rdpprn_jobs_using_xps(struct rdpprn_jobs *t, u32 dev,
				  bool xps_printer)
{
	struct rdpprn_job *job = rdpprn_job_on(t, dev);

	if (!xps_printer)
		return "DR_PRN_USING_XPS for a printer announced without XPSFORMAT";
	if (!job)
		return "DR_PRN_USING_XPS with no job open on the printer";
	if (job->writes)
		return "DR_PRN_USING_XPS after the job's first write request";
	job->xps = true;
	return NULL;
}

/**
 * rdpprn_job_take() - the client accepted @len bytes of a write
 * @job: the job
 * @data: the bytes
 * @len: how many (not 0)
 */
void rdpprn_job_take(struct rdpprn_job *job, const void *data, u32 len)
{
	rdpprn_sha256_update(&job->sha, data, len);
	if (job->fd >= 0 && write(job->fd, data, len) != len)
		rdpprn_warn("%s: write failed", job->path);
	job->bytes += len;
	job->writes_ok++;
}

/**
 * rdpprn_job_end() - report a job and free it
 * @t: the table
 * @job: the job, on @t's list
 * @status: how it ended (closed, write-failed, removed, ...)
 *
 * Prints the JOB line (flushed: tests wait for it), closes the job's
 * file, takes the job off @t's list and frees it.
 */
void rdpprn_job_end(struct rdpprn_jobs *t, struct rdpprn_job *job,
		    const char *status)
{
	struct rdpprn_job **pp;
	char hex[RDPPRN_SHA256_HEX];

	rdpprn_sha256_hex(&job->sha, hex);
	fprintf(t->out, "JOB dev=%u file=%u bytes=%llu sha256=%s status=%s writes=%llu",
		job->dev, job->file_id, (unsigned long long)job->bytes, hex,
		status, (unsigned long long)job->writes);
	if (job->xps)
		fputs(" format=xps", t->out);
	if (job->fd >= 0) {
		close(job->fd);
		fprintf(t->out, " out=%s", job->path);
	}
	fputc('\n', t->out);
	fflush(t->out);
	for (pp = &t->head; *pp; pp = &(*pp)->next) {
		if (*pp == job) {
			*pp = job->next;
			break;
		}
	}
	free(job);
	t->done++;
}
