// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module entry points and the limits administrators can set.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

unsigned int rdpprn_max_sessions = 64;
module_param_named(max_sessions, rdpprn_max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions, "Most concurrent sessions (default 64)");

unsigned int rdpprn_max_printers = 32;
module_param_named(max_printers, rdpprn_max_printers, uint, 0644);
MODULE_PARM_DESC(max_printers, "Most printers per session (default 32)");
EXPORT_SYMBOL_IF_KUNIT(rdpprn_max_printers);

unsigned int rdpprn_max_jobs = 8;
module_param_named(max_jobs, rdpprn_max_jobs, uint, 0644);
MODULE_PARM_DESC(max_jobs, "Most jobs per printer, open and queued (default 8)");

unsigned int rdpprn_max_announce = 256;
module_param_named(max_announce, rdpprn_max_announce, uint, 0644);
MODULE_PARM_DESC(max_announce,
		 "Most devices in one Client Device List Announce (default 256)");

unsigned int rdpprn_max_pdu = 1 << 20;
module_param_named(max_pdu, rdpprn_max_pdu, uint, 0644);
MODULE_PARM_DESC(max_pdu, "Largest client PDU in bytes (default 1 MiB)");

unsigned int rdpprn_max_config = 256 << 10;
module_param_named(max_config, rdpprn_max_config, uint, 0644);
MODULE_PARM_DESC(max_config,
		 "Largest cached printer configuration kept, in bytes (default 256 KiB)");

/*
 * A ring is one kvmalloc() per open job: an unbounded size would let a
 * typo (or a hostile script with write access to sysfs) ask for
 * gigabytes, and kvmalloc() WARNs above INT_MAX.
 */
static int rdpprn_ring_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v < RDPPRN_RING_MIN || v > RDPPRN_RING_MAX)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops rdpprn_ring_size_ops = {
	.set = rdpprn_ring_size_set,
	.get = param_get_uint,
};

unsigned int rdpprn_ring_size = 256 << 10;
module_param_cb(ring_size, &rdpprn_ring_size_ops, &rdpprn_ring_size, 0644);
MODULE_PARM_DESC(ring_size,
		 "Ring buffer per open job in bytes, rounded up to a power of two, 4 KiB to 16 MiB (default 256 KiB)");

unsigned int rdpprn_chunk_size = 61440;
module_param_named(chunk_size, rdpprn_chunk_size, uint, 0644);
MODULE_PARM_DESC(chunk_size,
		 "Largest WriteData per write request (default 61440, at most 65472)");
EXPORT_SYMBOL_IF_KUNIT(rdpprn_chunk_size);

unsigned int rdpprn_window = 1;
module_param_named(window, rdpprn_window, uint, 0644);
MODULE_PARM_DESC(window,
		 "Write requests outstanding per job (default 1, as [MS-RDPEPC] asks)");

unsigned int rdpprn_io_timeout = 30;
module_param_named(io_timeout, rdpprn_io_timeout, uint, 0644);
MODULE_PARM_DESC(io_timeout,
		 "Seconds without an answer from the client before a job fails (default 30)");
EXPORT_SYMBOL_IF_KUNIT(rdpprn_io_timeout);

unsigned short rdpprn_node_mode = 0600;
module_param_named(node_mode, rdpprn_node_mode, ushort, 0644);
MODULE_PARM_DESC(node_mode, "Mode of /dev/rdpprnN nodes (default 0600)");

unsigned int rdpprn_max_orphans = 16;
module_param_named(max_orphans, rdpprn_max_orphans, uint, 0644);
MODULE_PARM_DESC(max_orphans,
		 "Most unanswered requests per session whose job went away (default 16)");
EXPORT_SYMBOL_IF_KUNIT(rdpprn_max_orphans);

unsigned int rdpprn_max_user_printers = 256;
module_param_named(max_user_printers, rdpprn_max_user_printers, uint, 0644);
MODULE_PARM_DESC(max_user_printers,
		 "Most printer devices of one owner uid over all its sessions (default 256)");
EXPORT_SYMBOL_IF_KUNIT(rdpprn_max_user_printers);

/* Jobs finished after their file was released (job.c) */
struct workqueue_struct *rdpprn_wq;
EXPORT_SYMBOL_IF_KUNIT(rdpprn_wq);

unsigned long rdpprn_io_timeout_jiffies(void)
{
	return max_t(unsigned long, READ_ONCE(rdpprn_io_timeout), 1) * HZ;
}

static int __init rdpprn_init(void)
{
	int ret;

	rdpprn_wq = alloc_workqueue("rdpprn", WQ_UNBOUND, 0);
	if (!rdpprn_wq)
		return -ENOMEM;
	ret = rdpprn_device_init();
	if (ret)
		goto err_wq;
	ret = rdpprn_netlink_init();
	if (ret)
		goto err_device;
	return 0;

err_device:
	rdpprn_device_exit();
err_wq:
	destroy_workqueue(rdpprn_wq);
	return ret;
}

static void __exit rdpprn_exit(void)
{
	rdpprn_netlink_exit();
	/* Ends every job, so that the jobs still finishing in rdpprn_wq end. */
	rdpprn_session_end_all();
	destroy_workqueue(rdpprn_wq);
	rdpprn_device_exit();
}

module_init(rdpprn_init);
module_exit(rdpprn_exit);

MODULE_DESCRIPTION("Printers redirected by RDP clients as character devices");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(RDPPRN_GENL_NAME);
