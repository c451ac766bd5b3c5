/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_sha256.h - SHA-256 (FIPS 180-4) of print job data, so that tests
 * compare what arrived with what was printed without storing it.
 */
#ifndef RDPPRN_SHA256_H
#define RDPPRN_SHA256_H

#include "rdpprn_util.h"

#define RDPPRN_SHA256_HEX	65

struct rdpprn_sha256 {
	u32 h[8];
	u64 total;
	u8 block[64];
	size_t used;
};

void rdpprn_sha256_init(struct rdpprn_sha256 *s);
void rdpprn_sha256_update(struct rdpprn_sha256 *s, const void *data,
			  size_t len);
/* Finish and write 64 lowercase hex digits and a NUL. */
void rdpprn_sha256_hex(struct rdpprn_sha256 *s, char hex[RDPPRN_SHA256_HEX]);

#endif /* RDPPRN_SHA256_H */
