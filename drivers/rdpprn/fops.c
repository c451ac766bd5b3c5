// SPDX-License-Identifier: GPL-2.0
/*
 * fops.c - file operations of /dev/rdpprnN.
 *
 * open() starts a print job, write() queues its bytes, close() waits for
 * the client to take them all and reports whether it did (through
 * ->flush), and the last close ends the job. Reading is not supported:
 * printer redirection carries data one way.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>

#include "rdpprn.h"

static int rdpprn_open(struct inode *inode, struct file *file)
{
	struct rdpprn_device *pdev = container_of(inode->i_cdev,
						  struct rdpprn_device, cdev);
	struct rdpprn_job *job;

	if ((file->f_flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	job = rdpprn_job_open(pdev);
	if (IS_ERR(job))
		return PTR_ERR(job);
	file->private_data = job;
	return stream_open(inode, file);
}

static ssize_t rdpprn_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return rdpprn_job_write(iocb->ki_filp->private_data, from,
				(iocb->ki_flags & IOCB_NOWAIT) ||
				(iocb->ki_filp->f_flags & O_NONBLOCK));
}

static __poll_t rdpprn_poll(struct file *file, poll_table *wait)
{
	struct rdpprn_job *job = file->private_data;

	poll_wait(file, &job->wq, wait);
	return rdpprn_job_poll_mask(job);
}

/*
 * Every close() of the file drains and says whether the job went well. The
 * last one also closes the client's FileId, so that a failed IRP_MJ_CLOSE
 * is reported by the close() that caused it rather than lost in release.
 */
static int rdpprn_flush(struct file *file, fl_owner_t id)
{
	struct rdpprn_job *job = file->private_data;
	int ret = rdpprn_job_drain(job);
	int cret;

	if (file_count(file) > 1)
		return ret;
	cret = rdpprn_job_close(job);
	return ret ? ret : cret;
}

static int rdpprn_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	return rdpprn_job_drain(file->private_data);
}

static int rdpprn_release(struct inode *inode, struct file *file)
{
	rdpprn_job_release(file->private_data);
	return 0;
}

const struct file_operations rdpprn_fops = {
	.owner = THIS_MODULE,
	.open = rdpprn_open,
	.write_iter = rdpprn_write_iter,
	.poll = rdpprn_poll,
	.flush = rdpprn_flush,
	.fsync = rdpprn_fsync,
	.release = rdpprn_release,
};
