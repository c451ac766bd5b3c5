/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_cuse.h - rdpprn-cuse, the baseline of benchmark 2 (issue 11,
 * Documentation/performance.rst): the do-it-yourself alternative to
 * rdpprn.ko, a character device in userspace (CUSE, libfuse3) inside the
 * helper, doing the job of the module over the same framing. It is
 * benchmark code, not a product: one connection, one printer, one job at
 * a time, and no more checks than a fair comparison needs.
 *
 * The rdpdr side is rdpprnd's own session logic (userspace/rdpprnd/
 * session.c, handshake.c, announce.c, policy.c, conf.c, linked as they
 * are): rdpprn-cuse only plays the part of the kernel behind struct
 * rdpprnd_kops, so both paths run the same handshake and the same
 * announce handling and differ only where the module would be.
 *
 * The job is the module's too (Documentation/devices.rst): write() copies
 * into a per-job ring (--ring-size, the module's 256 KiB by default) and
 * returns; the ring leaves in write requests of chunk_size bytes, one
 * outstanding (the module's window of 1); a full ring holds write() back
 * until the client acknowledged enough; the last close() returns once
 * every byte and the IRP_MJ_CLOSE were answered (but cannot return the
 * job's error: CUSE has no flush, see dev.c). The benchmark compares
 * like with like: an application's 4 KiB write() is a 4 KiB copy on both
 * paths, and both send the same requests.
 *
 * Files:
 *   main.c     command line, the listener, the threads, shutdown
 *   session.c  the connection (reader thread, frames out) and the
 *              kernel's part: device announce answers, I/O completions
 *   job.c      the print job: IRP_MJ_CREATE and CLOSE (answers waited
 *              for), the ring and its IRP_MJ_WRITE requests
 *   dev.c      the CUSE device and its thread
 *
 * Threads: main (waits for the end), the reader (socket and signals;
 * runs rdpprnd's session code) and the CUSE loop (open, write, flush,
 * release). One mutex guards everything below. The CUSE loop blocks for
 * the create and close answers and in flush and release until the ring
 * is drained; a write() that does not fit is parked (its FUSE request
 * answered later, by whichever thread frees the room) and the loop goes
 * on. The reader sends the next chunk itself when a write answer comes,
 * and answers parked writes: no thread is woken per chunk.
 */
#ifndef RDPPRN_CUSE_H
#define RDPPRN_CUSE_H

#include <pthread.h>

#include "rdpprn_stream.h"
#include "rdpprnd.h"

struct fuse_session;
struct fuse_req;

#define RDPPRN_CUSE_DEFAULT_NAME	"rdpprn-cuse0"
/* the module's default chunk_size */
#define RDPPRN_CUSE_DEFAULT_CHUNK	61440
/* a write request must fit in one frame */
#define RDPPRN_CUSE_MAX_CHUNK	(RDPPRN_FRAME_MAX - RDPDR_WRITE_REQ_FIXED)
/* the module's default ring_size */
#define RDPPRN_CUSE_DEFAULT_RING	(256 * 1024)
#define RDPPRN_CUSE_MAX_RING		(1024 * 1024 * 1024)
/* the module's RDPPRN_MAX_ZERO_WRITES: zero-length answers in a row */
#define RDPPRN_CUSE_MAX_ZERO_WRITES	3
/* how long the announce waits for the CUSE device to come up */
#define RDPPRN_CUSE_DEV_TIMEOUT_MS	10000

enum rdpprn_cuse_dev_state {
	RDPPRN_CUSE_DEV_NONE,		/* no printer accepted yet */
	RDPPRN_CUSE_DEV_STARTING,	/* CUSE thread started */
	RDPPRN_CUSE_DEV_UP,		/* /dev/NAME exists */
	RDPPRN_CUSE_DEV_FAILED,		/* could not be created */
};

/**
 * struct rdpprn_cuse_io - the one request outstanding
 * @cid: its CompletionId, 0 when none is
 * @major: IRP_MJ_CREATE, IRP_MJ_WRITE or IRP_MJ_CLOSE
 * @requested: bytes a write asked for
 * @done: the answer came (or the request failed without one)
 * @err: 0, or -EIO when the answer broke the protocol or the printer or
 *	the session went away
 * @status: IoStatus of the answer
 * @file_id: FileId of a create answer
 * @length: Length of a write answer
 */
struct rdpprn_cuse_io {
	u32 cid;
	u32 major;
	u32 requested;
	bool done;
	int err;
	u32 status;
	u32 file_id;
	u32 length;
};

/**
 * struct rdpprn_cuse_wreq - a parked write(): its FUSE request, answered
 *	once its last byte is in the ring (or when it fails)
 * @next: the next one parked (FIFO)
 * @req: the FUSE request
 * @size: bytes of the write()
 * @left: bytes of @data not yet in the ring
 * @pos: where they start in @data
 * @data: the last @size minus (bytes copied at once) bytes of the write
 */
struct rdpprn_cuse_wreq {
	struct rdpprn_cuse_wreq *next;
	struct fuse_req *req;
	size_t size;
	size_t left;
	u8 *pos;
	u8 data[];
};

/**
 * struct rdpprn_cuse - all of rdpprn-cuse's state
 * @name: device name (/dev/@name)
 * @chunk_size: WriteData per write request at most
 * @ring_size: bytes of the ring
 * @lock: guards everything below
 * @cond: signalled on every change the threads wait for
 * @fd: the connection to the RDP server side (blocking)
 * @sigfd: signalfd of SIGTERM, SIGINT and SIGHUP
 * @rx: frames received
 * @outq: frames being written
 * @conn_dead: writing to @fd failed
 * @cfg: rdpprnd's configuration (its defaults: every printer passes)
 * @ctx: what rdpprnd's sessions share
 * @s: rdpprnd's session, driven by us as its kernel
 * @over: the session ended; every thread winds down
 * @have_printer: a printer was accepted
 * @device_id: its DeviceId
 * @removed: the client removed it
 * @dev_state: &enum rdpprn_cuse_dev_state
 * @se: the CUSE session, once set up
 * @cuse_thread: the thread running its loop
 * @cuse_started: @cuse_thread exists
 * @job_open: a job is open (create answered with success)
 * @job_failed: the job failed (write answer, printer or session gone):
 *	parked and later writes fail at once, flush returns -EIO
 * @file_id: the job's FileId
 * @job_pos: bytes of the job the client took (the next write's Offset;
 *	the ring's tail)
 * @job_head: bytes of the job written into the ring (its head)
 * @ring: @ring_size bytes; byte N of the job is at N % @ring_size
 * @parked: writes waiting for room, oldest first
 * @parked_tail: where the next one is linked
 * @draining: flush or release waits for the ring to empty (partial
 *	chunks are sent)
 * @zero_writes: zero-length write answers in a row
 * @next_cid: CompletionId of the next request
 * @io: the request outstanding
 * @pdu: room for one write request of @chunk_size
 */
struct rdpprn_cuse {
	const char *name;
	u32 chunk_size;
	u32 ring_size;

	pthread_mutex_t lock;
	pthread_cond_t cond;

	int fd;
	int sigfd;
	struct rdpprn_rx rx;
	struct rdpprn_outq outq;
	bool conn_dead;

	struct rdpprnd_config cfg;
	struct rdpprnd_ctx ctx;
	struct rdpprnd_session s;
	bool over;

	bool have_printer;
	u32 device_id;
	bool removed;

	enum rdpprn_cuse_dev_state dev_state;
	struct fuse_session *se;
	pthread_t cuse_thread;
	bool cuse_started;

	bool job_open;
	bool job_failed;
	u32 file_id;
	u64 job_pos;
	u64 job_head;
	u8 *ring;
	struct rdpprn_cuse_wreq *parked;
	struct rdpprn_cuse_wreq **parked_tail;
	unsigned int draining;
	unsigned int zero_writes;
	u32 next_cid;
	struct rdpprn_cuse_io io;
	u8 *pdu;
};

/* session.c */
void rdpprn_cuse_session_init(struct rdpprn_cuse *c);
/* The reader thread: frames and signals until the session is over. */
void *rdpprn_cuse_reader(void *arg);
/* End the session (CLOSE frame with the reason); @c->lock held. */
void __printf(3, 4) rdpprn_cuse_end(struct rdpprn_cuse *c, bool error,
				    const char *fmt, ...);

/* job.c, all with @c->lock held */
int rdpprn_cuse_job_open(struct rdpprn_cuse *c);
ssize_t rdpprn_cuse_job_write(struct rdpprn_cuse *c, struct fuse_req *req,
			      const u8 *buf, size_t size);
void rdpprn_cuse_job_interrupt(struct rdpprn_cuse *c, struct fuse_req *req);
int rdpprn_cuse_job_drain(struct rdpprn_cuse *c);
void rdpprn_cuse_job_close(struct rdpprn_cuse *c);
/* Fail the job: parked writes answered, drainers woken. */
void rdpprn_cuse_job_fail(struct rdpprn_cuse *c);
/* The answer to the request outstanding; @err as in struct rdpprn_cuse_io */
void rdpprn_cuse_io_done(struct rdpprn_cuse *c, int err);

/* dev.c */
/* Start the CUSE thread; @c->lock held. */
int rdpprn_cuse_dev_start(struct rdpprn_cuse *c);
/* Stop it and remove the device; @c->lock not held. */
void rdpprn_cuse_dev_stop(struct rdpprn_cuse *c);

#endif /* RDPPRN_CUSE_H */
