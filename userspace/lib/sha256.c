// SPDX-License-Identifier: GPL-2.0
/*
 * sha256.c - SHA-256 as FIPS 180-4 gives it; checked against its test
 * vectors in tests/unit/frame_unit.c.
 */
#include <string.h>

#include "rdpprn_sha256.h"

static const u32 rdpprn_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 rdpprn_ror(u32 x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static void rdpprn_sha256_block(u32 *h, const u8 *p)
{
	u32 w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		u32 s0 = rdpprn_ror(w[i - 15], 7) ^ rdpprn_ror(w[i - 15], 18) ^
			 w[i - 15] >> 3;
		u32 s1 = rdpprn_ror(w[i - 2], 17) ^ rdpprn_ror(w[i - 2], 19) ^
			 w[i - 2] >> 10;

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (i = 0; i < 64; i++) {
		/* v[] = a b c d e f g h */
		t1 = v[7] + (rdpprn_ror(v[4], 6) ^ rdpprn_ror(v[4], 11) ^
			     rdpprn_ror(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + rdpprn_sha256_k[i] +
		     w[i];
		t2 = (rdpprn_ror(v[0], 2) ^ rdpprn_ror(v[0], 13) ^
		      rdpprn_ror(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
}

void rdpprn_sha256_init(struct rdpprn_sha256 *s)
{
	static const u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->total = 0;
	s->used = 0;
}

void rdpprn_sha256_update(struct rdpprn_sha256 *s, const void *data,
			  size_t len)
{
	const u8 *p = data;

	s->total += len;
	while (len) {
		size_t n = sizeof(s->block) - s->used;

		if (!s->used && len >= sizeof(s->block)) {
			rdpprn_sha256_block(s->h, p);
			p += sizeof(s->block);
			len -= sizeof(s->block);
			continue;
		}
		if (n > len)
			n = len;
		memcpy(s->block + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
		if (s->used == sizeof(s->block)) {
			rdpprn_sha256_block(s->h, s->block);
			s->used = 0;
		}
	}
}

void rdpprn_sha256_hex(struct rdpprn_sha256 *s, char hex[RDPPRN_SHA256_HEX])
{
	u64 bits = s->total * 8;
	u8 pad[72] = { 0x80 };
	size_t padlen;
	int i;

	/* 0x80, zeros up to 56 mod 64, then the bit count big-endian */
	padlen = (s->used < 56 ? 56 : 120) - s->used;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (u8)(bits >> (56 - 8 * i));
	rdpprn_sha256_update(s, pad, padlen + 8);
	for (i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}
