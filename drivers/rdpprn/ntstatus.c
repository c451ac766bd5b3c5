// SPDX-License-Identifier: GPL-2.0
/*
 * ntstatus.c - what a client's NTSTATUS means to the process that prints.
 *
 * The one table that turns client answers into errno values, used for
 * create, write and close alike.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

struct rdpprn_ntstatus {
	u32 status;
	int err;
	const char *name;
};

#define NT(s, e) { s, e, #s }

static const struct rdpprn_ntstatus rdpprn_ntstatus_table[] = {
	NT(STATUS_SUCCESS, 0),
	NT(STATUS_PRINT_QUEUE_FULL, -EBUSY),
	NT(STATUS_DEVICE_BUSY, -EBUSY),
	NT(STATUS_NO_SUCH_DEVICE, -ENODEV),
	NT(STATUS_DEVICE_NOT_CONNECTED, -ENODEV),
	NT(STATUS_ACCESS_DENIED, -EACCES),
	NT(STATUS_NO_SPOOL_SPACE, -ENOSPC),
	NT(STATUS_CANCELLED, -ECANCELED),
	NT(STATUS_PRINT_CANCELLED, -ECANCELED),
	NT(STATUS_INSUFFICIENT_RESOURCES, -ENOMEM),
	NT(STATUS_NOT_SUPPORTED, -EOPNOTSUPP),
	NT(STATUS_INVALID_PARAMETER, -EINVAL),
	NT(STATUS_DEVICE_NOT_READY, -EIO),
	NT(STATUS_DEVICE_PAPER_EMPTY, -EIO),
	NT(STATUS_DEVICE_POWERED_OFF, -EIO),
	NT(STATUS_DEVICE_OFF_LINE, -EIO),
	NT(STATUS_UNSUCCESSFUL, -EIO),
};

static const struct rdpprn_ntstatus *rdpprn_ntstatus_find(u32 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rdpprn_ntstatus_table); i++)
		if (rdpprn_ntstatus_table[i].status == status)
			return &rdpprn_ntstatus_table[i];
	return NULL;
}

/**
 * rdpprn_ntstatus_to_errno() - the errno a client status surfaces as
 * @status: IoStatus or ResultCode from the client
 *
 * Only STATUS_SUCCESS is success: a print job is never reported done when
 * the client said anything else, warnings included.
 *
 * Return: 0 or a negative errno; -EIO for every status without a closer
 * match, so that an errno never suggests a cause on the host (EBADF for
 * STATUS_INVALID_HANDLE would blame the caller's descriptor).
 */
int rdpprn_ntstatus_to_errno(u32 status)
{
	const struct rdpprn_ntstatus *nt = rdpprn_ntstatus_find(status);

	return nt ? nt->err : -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ntstatus_to_errno);

/* Return: "STATUS_..." for known values, "STATUS_?" otherwise. */
const char *rdpprn_ntstatus_name(u32 status)
{
	const struct rdpprn_ntstatus *nt = rdpprn_ntstatus_find(status);

	return nt ? nt->name : "STATUS_?";
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ntstatus_name);
