/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rdpdr_test_env.h - the little the shared test cases need beyond
 * rdpdr_types.h: heap allocation and formatted messages, in the kernel
 * (KUnit) and in userspace (cmocka).
 *
 * Allocations are exactly the size asked for, so that KASAN and ASan
 * report any read past the end of a test buffer.
 */
#ifndef RDPDR_TEST_ENV_H
#define RDPDR_TEST_ENV_H

#include "rdpdr/rdpdr_types.h"

#ifdef __KERNEL__
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>

static inline void *rt_alloc(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static inline void *rt_zalloc(size_t n)
{
	return kzalloc(n, GFP_KERNEL);
}

static inline void rt_free(void *p)
{
	kfree(p);
}

#else /* !__KERNEL__ */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Format checking comes from the kernel build (W=1) of the same code. */
#ifndef __printf
#define __printf(a, b)
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* malloc(0) gives a zero-sized chunk under ASan: any read is reported. */
static inline void *rt_alloc(size_t n)
{
	return malloc(n);
}

static inline void *rt_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

static inline void rt_free(void *p)
{
	free(p);
}
#endif /* __KERNEL__ */

/* An allocation of size 0 may legitimately return NULL (userspace). */
static inline bool rt_alloc_failed(const void *p, size_t n)
{
	return !p && n;
}

#endif /* RDPDR_TEST_ENV_H */
