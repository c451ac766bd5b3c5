/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_job.h - the client printer's side of print jobs, for the tools
 * that play the RDP client (rdpprn-sim, rdpprn-test serve): a table of
 * open jobs, a sink that counts, hashes and optionally stores each job's
 * bytes, and the JOB line that reports a job when it ends:
 *
 *   JOB dev=<id> file=<fileid> bytes=<n> sha256=<hex> status=<s>
 *       writes=<n>[ format=xps][ out=<path>]
 *
 * The tests compare the hash with sha256sum of what they printed, so the
 * line's format is an interface: change it only together with them.
 */
#ifndef RDPPRN_JOB_H
#define RDPPRN_JOB_H

#include <stdio.h>

#include "rdpprn_sha256.h"
#include "rdpprn_util.h"

/**
 * struct rdpprn_job - one open print job
 * @next: the job opened before it (list link)
 * @dev: DeviceId
 * @file_id: FileId handed out
 * @bytes: bytes accepted
 * @writes: write requests seen
 * @writes_ok: writes that accepted data
 * @zeros: writes answered with Length 0
 * @write_failed: a write was answered with an error status
 * @xps: DR_PRN_USING_XPS came before the first write
 * @sha: hash of the bytes accepted
 * @fd: file the bytes go to (see rdpprn_jobs_init()), or -1
 * @path: its name
 *
 * A tool that keeps more per job embeds it and allocates the whole with
 * rdpprn_job_new().
 */
struct rdpprn_job {
	struct rdpprn_job *next;
	u32 dev;
	u32 file_id;
	u64 bytes;
	u64 writes;
	u64 writes_ok;
	u32 zeros;
	bool write_failed;
	bool xps;
	struct rdpprn_sha256 sha;
	int fd;
	char path[512];
};

/**
 * struct rdpprn_jobs - the open jobs of one session
 * @head: open jobs, newest first
 * @out: where JOB lines go
 * @out_dir: directory each job is stored in, or NULL
 * @next_file_id: FileId of the next job
 * @done: jobs that ended
 */
struct rdpprn_jobs {
	struct rdpprn_job *head;
	FILE *out;
	const char *out_dir;
	u32 next_file_id;
	unsigned int done;
};

void rdpprn_jobs_init(struct rdpprn_jobs *t, FILE *out, const char *out_dir,
		      u32 first_file_id);
struct rdpprn_job *rdpprn_job_new(struct rdpprn_jobs *t, size_t size, u32 dev,
				  unsigned int n);
struct rdpprn_job *rdpprn_job_find(const struct rdpprn_jobs *t, u32 dev,
				   u32 file_id);
/* @dev has an open job. */
bool rdpprn_jobs_busy(const struct rdpprn_jobs *t, u32 dev);
const char *rdpprn_jobs_using_xps(struct rdpprn_jobs *t, u32 dev,
				  bool xps_printer);
void rdpprn_job_take(struct rdpprn_job *job, const void *data, u32 len);
void rdpprn_job_end(struct rdpprn_jobs *t, struct rdpprn_job *job,
		    const char *status);

#endif /* RDPPRN_JOB_H */
