/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rdpprn - printers redirected by RDP clients as character devices.
 *
 * The character devices' ABI: ioctls on an open /dev/rdpprnN, that is on
 * one print job (Documentation/devices.rst). The generic netlink family
 * is in <linux/rdpprn.h>, a header its YNL spec renders; this one is not
 * part of the family.
 */
#ifndef _UAPI_LINUX_RDPPRN_DEV_H
#define _UAPI_LINUX_RDPPRN_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RDPPRN_IOC_MAGIC		0xB9

/**
 * enum rdpprn_format - what a print job's data is
 * @RDPPRN_FORMAT_NATIVE: the printer's own language, handed to the
 *	client's printer as it is (the default)
 * @RDPPRN_FORMAT_XPS: an XPS document. Before the job's first write
 *	request the client gets DR_PRN_USING_XPS, so that it sends the data
 *	to the printer's XPS path. Only for printers announced with
 *	%RDPPRN_PRINTER_F_XPS.
 */
enum rdpprn_format {
	RDPPRN_FORMAT_NATIVE,
	RDPPRN_FORMAT_XPS,
};

/*
 * RDPPRN_IOC_SET_FORMAT: set the job's &enum rdpprn_format (a __u32),
 * before its first write(). Errors: EINVAL (an unknown format), EOPNOTSUPP
 * (XPS on a printer that did not announce it), EBUSY (the job has data
 * already), or the job's own error (ENODEV when the printer went away).
 */
#define RDPPRN_IOC_SET_FORMAT		_IOW(RDPPRN_IOC_MAGIC, 1, __u32)

#endif /* _UAPI_LINUX_RDPPRN_DEV_H */
