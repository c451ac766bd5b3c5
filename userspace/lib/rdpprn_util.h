/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_util.h - small helpers shared by rdpprnd, rdpprn-sim and
 * rdpprnctl: allocation, numbers, NTSTATUS names, files, hex vectors,
 * UTF-8 checks and escaping of untrusted text for logs and terminals.
 */
#ifndef RDPPRN_UTIL_H
#define RDPPRN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "rdpdr/rdpdr.h"

#ifndef __printf
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#endif
#ifndef __noreturn
#define __noreturn		__attribute__((noreturn))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((unused))
#endif
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Allocation that cannot fail: out of memory ends the program (logged). */
void *rdpprn_xmalloc(size_t n);
void *rdpprn_xzalloc(size_t n);
void *rdpprn_xrealloc(void *p, size_t n);
char *rdpprn_xstrdup(const char *s);

/* Decimal or 0x-hex, whole string, no sign; -EINVAL otherwise. */
int rdpprn_parse_u64(const char *s, u64 *v);
int rdpprn_parse_u32(const char *s, u32 *v);
/* A number with an optional K, M or G suffix (powers of 1024). */
int rdpprn_parse_size(const char *s, u64 *v);

/* "EIO" for -5 or 5, "OK" for 0. */
const char *rdpprn_errname(int err);

/* "STATUS_PRINT_QUEUE_FULL" or NULL for a value without a name. */
const char *rdpprn_ntstatus_name(u32 status);
/*
 * An NTSTATUS given by name ("STATUS_ACCESS_DENIED", "ACCESS_DENIED",
 * any case) or by number ("0xC0000022").
 */
int rdpprn_parse_ntstatus(const char *s, u32 *status);

/* Whole file, at most @max bytes (-EFBIG beyond); free *@buf. */
int rdpprn_read_file(const char *path, size_t max, u8 **buf, size_t *len);
/* Hex text: '#' comment lines, then whitespace-separated hex bytes. */
int rdpprn_hex_decode(const char *text, size_t len, u8 **buf,
		      size_t *outlen);
/* A protocol vector .hex file (tests/vectors/). */
int rdpprn_load_hex(const char *path, u8 **buf, size_t *len);

/* Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
bool rdpprn_utf8_valid(const u8 *s, size_t len);

/**
 * rdpprn_escape() - make untrusted UTF-8 safe to print
 * @in: text
 * @inlen: its length in bytes
 * @out: output, always NUL-terminated
 * @outlen: size of @out (at least 1)
 *
 * Control characters (C0 and NUL, DEL and the C1 range, which terminals
 * obey as escape sequences), '"' and '\' become \xNN; other bytes are
 * kept.
 * Output that does not fit is cut at a whole escape.
 */
void rdpprn_escape(const char *in, size_t inlen, char *out, size_t outlen);

void rdpprn_json_str(FILE *f, const char *s);

/* CLOCK_MONOTONIC in milliseconds. */
u64 rdpprn_now_ms(void);

struct timespec;
/* CLOCK_REALTIME @ms from now, for pthread_cond_timedwait(). */
void rdpprn_deadline(struct timespec *ts, unsigned int ms);

static inline u32 rdpprn_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void rdpprn_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

#endif /* RDPPRN_UTIL_H */
