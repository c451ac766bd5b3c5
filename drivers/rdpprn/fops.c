// SPDX-License-Identifier: GPL-2.0
/*
 * fops.c - file operations of /dev/rdpprnN.
 *
 * open() starts a print job, write() queues its bytes, close() waits for
 * the client to take them all and reports whether it did (through
 * ->flush), and the last close ends the job. An ioctl before the first
 * write says the data is XPS. Reading is not supported:
 * printer redirection carries data one way.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "rdpprn.h"

/*
 * The inode's permission check is not enough: a node outside devtmpfs
 * (mknod in a container's /dev, a copy) keeps the owner it was made with
 * while its minor may by now belong to another user's printer. So the
 * opener is checked against the device's current owner too, with the
 * write bits of node_mode (an open is always for writing).
 */
static int rdpprn_may_open(const struct rdpprn_device *pdev)
{
	const struct rdpprn_session *s = pdev->session;
	umode_t mode = READ_ONCE(rdpprn_node_mode);
	umode_t bit;

	if (uid_eq(current_fsuid(), s->uid))
		bit = 0200;
	else if (in_group_p(s->gid))
		bit = 0020;
	else
		bit = 0002;
	if ((mode & bit) || capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

static int rdpprn_open(struct inode *inode, struct file *file)
{
	struct rdpprn_device *pdev = container_of(inode->i_cdev,
						  struct rdpprn_device, cdev);
	struct rdpprn_job *job;
	int ret;

	if ((file->f_flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	ret = rdpprn_may_open(pdev);
	if (ret)
		return ret;
	job = rdpprn_job_open(pdev, file->f_flags & O_NONBLOCK);
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
 * A task a signal killed closes its files on the way out with that signal
 * no longer pending, so a killable wait would not end: it could wait for
 * a silent client for io_timeout. No one is left to report to, so release
 * finishes the job in the background. A task that exits normally (cat
 * without a close()) still waits, so "cat f >/dev/rdpprn0" returns once
 * the client has every byte.
 */
static bool rdpprn_killed(void)
{
	return (current->flags & PF_EXITING) &&
	       (READ_ONCE(current->signal->group_exit_code) & 0x7f);
}

/*
 * Every close() of the file waits until the client has every byte and
 * says whether the job went well. The wait is killable, not
 * interruptible: close() cannot be retried, so a SIGCHLD or SIGALRM
 * handler must not cut a job short. The close() of the last reference
 * also commits the job (IRP_MJ_CLOSE) and reports its status.
 *
 * file_count() can only err one way: a transient reference (a concurrent
 * close of a dup, an fdinfo reader, a descriptor in flight over a Unix
 * socket) makes the last close() look like an earlier one. Then the job
 * is committed by release instead, after every accepted byte, and its
 * outcome goes to the log and the counters (job.c).
 */
static int rdpprn_flush(struct file *file, fl_owner_t id)
{
	struct rdpprn_job *job = file->private_data;
	int ret, cret;

	if (rdpprn_killed())
		return -EINTR;
	ret = rdpprn_job_drain(job, TASK_KILLABLE);

	/* Dying: release finishes the job; this close() reports failure. */
	if (ret == -ERESTARTSYS)
		return -EINTR;
	if (file_count(file) > 1)
		return ret;
	cret = rdpprn_job_close(job, TASK_KILLABLE);
	if (cret == -ERESTARTSYS)
		return -EINTR;
	return ret ? ret : cret;
}

static int rdpprn_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	/* Unlike close(), fsync() can be retried: signals interrupt it. */
	return rdpprn_job_drain(file->private_data, TASK_INTERRUPTIBLE);
}

static long rdpprn_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	u32 format;

	switch (cmd) {
	case RDPPRN_IOC_SET_FORMAT:
		if (get_user(format, (u32 __user *)arg))
			return -EFAULT;
		return rdpprn_job_set_format(file->private_data, format);
	default:
		return -ENOTTY;
	}
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
	.unlocked_ioctl = rdpprn_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = rdpprn_release,
};
