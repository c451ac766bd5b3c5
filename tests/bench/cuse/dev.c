// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - rdpprn-cuse's character device: /dev/NAME made with libfuse3's
 * cuse_lowlevel API, its loop in a thread of its own.
 *
 * open() is the job's IRP_MJ_CREATE, waited for; write() copies into
 * the job's ring and is answered at once, or parked while the ring is
 * full and answered later from the reader thread (job.c; a signal to the
 * writer answers it with what it wrote so far, or EINTR); release (the
 * last close(); CUSE makes it synchronous for the closer) sends what is
 * left, waits until the client acknowledged every byte, then sends the
 * job's IRP_MJ_CLOSE and waits for its answer. flush does the waiting
 * part and answers the job's error, as the module's ->flush does for
 * close(); but the kernel's CUSE (fs/fuse/cuse.c) has no ->flush and
 * never sends it, so close() of a CUSE device returns 0 whatever
 * happened, and a failed job is only logged here. The loop is
 * single-threaded: one job at a time is all the benchmark needs, and an
 * open() while a job is open fails with EBUSY.
 *
 * The thread is stopped with fuse_session_exit() and SIGUSR1, which
 * interrupts its read() of /dev/cuse; the other signals stay blocked in
 * every thread (the reader takes them from a signalfd), so the handlers
 * libfuse installs never run.
 */
#define FUSE_USE_VERSION 31

#include <cuse_lowlevel.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rdpprn_log.h"
#include "rdpprn_cuse.h"

static void rdpprn_cuse_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct rdpprn_cuse *c = fuse_req_userdata(req);
	int ret;

	pthread_mutex_lock(&c->lock);
	ret = rdpprn_cuse_job_open(c);
	pthread_mutex_unlock(&c->lock);
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_open(req, fi);
}

/* By the CUSE thread (FUSE_INTERRUPT), or at once in ..._write(). */
static void rdpprn_cuse_interrupt(fuse_req_t req, void *data)
{
	struct rdpprn_cuse *c = data;

	pthread_mutex_lock(&c->lock);
	rdpprn_cuse_job_interrupt(c, req);
	pthread_mutex_unlock(&c->lock);
}

/*
 * A write() that fits is answered here. One that does not is parked,
 * with an interrupt handler; that must be set before the request is
 * parked (the reader may answer and free it at once after), and without
 * the lock (it may run at once), hence the second try.
 */
static void rdpprn_cuse_write(fuse_req_t req, const char *buf, size_t size,
			      off_t off, struct fuse_file_info *fi)
{
	struct rdpprn_cuse *c = fuse_req_userdata(req);
	ssize_t n;

	pthread_mutex_lock(&c->lock);
	n = rdpprn_cuse_job_write(c, NULL, (const u8 *)buf, size);
	pthread_mutex_unlock(&c->lock);
	if (n == -EAGAIN) {
		fuse_req_interrupt_func(req, rdpprn_cuse_interrupt, c);
		pthread_mutex_lock(&c->lock);
		if (fuse_req_interrupted(req))
			n = rdpprn_cuse_job_write(c, NULL, (const u8 *)buf,
						  size);
		else
			n = rdpprn_cuse_job_write(c, req, (const u8 *)buf,
						  size);
		pthread_mutex_unlock(&c->lock);
		if (n == -EAGAIN)
			n = -EINTR;
	}
	if (n == -EINPROGRESS)
		return;
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, (size_t)n);
}

/* Never called by Linux's CUSE (see above); for completeness. */
static void rdpprn_cuse_flush(fuse_req_t req, struct fuse_file_info *fi)
{
	struct rdpprn_cuse *c = fuse_req_userdata(req);
	int ret;

	pthread_mutex_lock(&c->lock);
	ret = rdpprn_cuse_job_drain(c);
	pthread_mutex_unlock(&c->lock);
	fuse_reply_err(req, -ret);
}

static void rdpprn_cuse_release(fuse_req_t req, struct fuse_file_info *fi)
{
	struct rdpprn_cuse *c = fuse_req_userdata(req);

	pthread_mutex_lock(&c->lock);
	rdpprn_cuse_job_close(c);
	pthread_mutex_unlock(&c->lock);
	fuse_reply_err(req, 0);
}

/* The kernel has created the device (and its devtmpfs node) by now. */
static void rdpprn_cuse_init_done(void *userdata)
{
	struct rdpprn_cuse *c = userdata;
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/%s", c->name);
	if (stat(path, &st))
		rdpprn_warn("%s: %s (is devtmpfs mounted on /dev?)", path,
			    strerror(errno));
	pthread_mutex_lock(&c->lock);
	if (c->dev_state == RDPPRN_CUSE_DEV_STARTING)
		c->dev_state = RDPPRN_CUSE_DEV_UP;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static const struct cuse_lowlevel_ops rdpprn_cuse_ops = {
	.init_done = rdpprn_cuse_init_done,
	.open = rdpprn_cuse_open,
	.write = rdpprn_cuse_write,
	.flush = rdpprn_cuse_flush,
	.release = rdpprn_cuse_release,
};

static void *rdpprn_cuse_thread(void *arg)
{
	struct rdpprn_cuse *c = arg;
	/* foreground (never fork), single-threaded loop */
	char arg0[] = "rdpprn-cuse", fg[] = "-f", st[] = "-s";
	char *argv[4] = { arg0, fg, st, NULL };
	const char *dev_info[1];
	struct cuse_info ci = {
		.dev_info_argc = 1,
		.dev_info_argv = dev_info,
	};
	struct fuse_session *se;
	char devname[256];
	bool over;
	int mt, ret = 0;

	snprintf(devname, sizeof(devname), "DEVNAME=%s", c->name);
	dev_info[0] = devname;
	se = cuse_lowlevel_setup(3, argv, &ci, &rdpprn_cuse_ops, &mt, c);
	pthread_mutex_lock(&c->lock);
	c->se = se;
	if (!se) {
		rdpprn_err("cannot create the CUSE device /dev/%s (no /dev/cuse? modprobe cuse)",
			   c->name);
		c->dev_state = RDPPRN_CUSE_DEV_FAILED;
		pthread_cond_broadcast(&c->cond);
	}
	over = c->over;
	pthread_mutex_unlock(&c->lock);
	if (!se || over)
		return NULL;
	ret = fuse_session_loop(se);
	pthread_mutex_lock(&c->lock);
	if (!c->over)
		rdpprn_cuse_end(c, true, "the CUSE device went away (loop: %s)",
				rdpprn_errname(ret));
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int rdpprn_cuse_dev_start(struct rdpprn_cuse *c)
{
	int ret;

	c->dev_state = RDPPRN_CUSE_DEV_STARTING;
	ret = pthread_create(&c->cuse_thread, NULL, rdpprn_cuse_thread, c);
	if (ret) {
		rdpprn_err("pthread_create: %s", strerror(ret));
		c->dev_state = RDPPRN_CUSE_DEV_FAILED;
		return -ret;
	}
	c->cuse_started = true;
	return 0;
}

/**
 * rdpprn_cuse_dev_stop() - end the CUSE loop and remove the device
 * @c: state, the session over (@c->over set), @c->lock not held
 *
 * The loop checks fuse_session_exited() between requests only, so its
 * thread gets SIGUSR1 until it is gone: one sent while it was not yet in
 * read() would be lost.
 */
void rdpprn_cuse_dev_stop(struct rdpprn_cuse *c)
{
	struct fuse_session *se;
	struct timespec ts;
	bool started;
	int i;

	pthread_mutex_lock(&c->lock);
	se = c->se;
	started = c->cuse_started;
	pthread_mutex_unlock(&c->lock);
	if (!started)
		return;
	if (se)
		fuse_session_exit(se);
	for (i = 0; i < 50; i++) {
		pthread_kill(c->cuse_thread, SIGUSR1);
		rdpprn_deadline(&ts, 100);
		if (pthread_timedjoin_np(c->cuse_thread, NULL, &ts) != ETIMEDOUT)
			break;
	}
	if (i == 50) {
		rdpprn_warn("the CUSE thread does not stop; leaving it");
		return;
	}
	pthread_mutex_lock(&c->lock);
	se = c->se;
	c->se = NULL;
	pthread_mutex_unlock(&c->lock);
	if (se)
		cuse_lowlevel_teardown(se);
}
