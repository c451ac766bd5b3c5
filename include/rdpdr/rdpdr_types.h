/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rdpdr_types.h - the few definitions the RDPDR wire library needs from its
 * environment, so that the same source builds in the kernel and in userspace.
 */
#ifndef RDPDR_TYPES_H
#define RDPDR_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>

/*
 * The compiler's own names for the <stdint.h> types: u64 stays uint64_t,
 * so that userspace callers can print it with PRIu64.
 */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;

#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#endif

#endif /* RDPDR_TYPES_H */
