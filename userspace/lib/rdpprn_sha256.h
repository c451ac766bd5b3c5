/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_sha256.h - SHA-256 of print job data, so that tests compare what
 * arrived with what was printed without storing it. The digest is
 * OpenSSL's (libcrypto's EVP interface); link with -lcrypto.
 */
#ifndef RDPPRN_SHA256_H
#define RDPPRN_SHA256_H

#include "rdpprn_util.h"

#define RDPPRN_SHA256_HEX	65

struct evp_md_ctx_st;

/**
 * struct rdpprn_sha256 - a hash in progress
 * @ctx: libcrypto's context; NULL once finished or freed
 */
struct rdpprn_sha256 {
	struct evp_md_ctx_st *ctx;
};

void rdpprn_sha256_init(struct rdpprn_sha256 *s);
void rdpprn_sha256_update(struct rdpprn_sha256 *s, const void *data,
			  size_t len);
void rdpprn_sha256_hex(struct rdpprn_sha256 *s, char hex[RDPPRN_SHA256_HEX]);
void rdpprn_sha256_free(struct rdpprn_sha256 *s);

#endif /* RDPPRN_SHA256_H */
