// SPDX-License-Identifier: GPL-2.0
/*
 * sha256.c - SHA-256 through libcrypto's EVP interface (rdpprn_sha256.h).
 *
 * The tools cannot do anything useful with a hash that failed to start
 * or to finish, and libcrypto fails here only without memory: like the
 * rdpprn_x*() allocators, a failure ends the program.
 */
#include <openssl/evp.h>

#include "rdpprn_log.h"
#include "rdpprn_sha256.h"

/**
 * rdpprn_sha256_init() - start a hash
 * @s: the hash; end it with rdpprn_sha256_hex() or rdpprn_sha256_free()
 */
void rdpprn_sha256_init(struct rdpprn_sha256 *s)
{
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || !EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL))
		rdpprn_die(1, "libcrypto: cannot start a SHA-256 hash");
}

void rdpprn_sha256_update(struct rdpprn_sha256 *s, const void *data,
			  size_t len)
{
	if (!EVP_DigestUpdate(s->ctx, data, len))
		rdpprn_die(1, "libcrypto: SHA-256 update failed");
}

/**
 * rdpprn_sha256_hex() - finish a hash
 * @s: the hash, freed by the call
 * @hex: 64 lowercase hex digits and a NUL
 */
void rdpprn_sha256_hex(struct rdpprn_sha256 *s, char hex[RDPPRN_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, n = 0;

	if (!EVP_DigestFinal_ex(s->ctx, md, &n) || n != 32)
		rdpprn_die(1, "libcrypto: SHA-256 final failed");
	rdpprn_sha256_free(s);
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[2 * n] = '\0';
}

/* Drop a hash that will not be finished (NULL-safe, twice too). */
void rdpprn_sha256_free(struct rdpprn_sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}
