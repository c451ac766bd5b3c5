/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - kernel API differences between 6.1 and 6.12, kept in one place.
 */
#ifndef RDPPRN_COMPAT_H
#define RDPPRN_COMPAT_H

#include <linux/version.h>

/* device_type.devnode() takes a const device from 6.2 on. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define rdpprn_devnode_dev_t	const struct device
#else
#define rdpprn_devnode_dev_t	struct device
#endif

/* device_type.uevent() takes a const device from 6.3 on. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define rdpprn_uevent_dev_t	const struct device
#else
#define rdpprn_uevent_dev_t	struct device
#endif

/* A dump's parsed attributes moved into a genl_info in 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define rdpprn_dumpit_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define rdpprn_dumpit_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* RDPPRN_COMPAT_H */
