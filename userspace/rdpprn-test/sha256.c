// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: SHA-256 (FIPS 180-4) of the job data the client receives,
 * so that a job can be compared with "sha256sum" of its source file.
 */
#include <string.h>

#include "rdpprn_test.h"

static const u32 rpt_k[64] = {
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

static inline u32 rpt_ror(u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void rpt_sha256_block(u32 st[8], const u8 *p)
{
	u32 w[64], a, b, c, d, e, f, g, h, t1, t2;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		u32 s0 = rpt_ror(w[i - 15], 7) ^ rpt_ror(w[i - 15], 18) ^
			 (w[i - 15] >> 3);
		u32 s1 = rpt_ror(w[i - 2], 17) ^ rpt_ror(w[i - 2], 19) ^
			 (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0];
	b = st[1];
	c = st[2];
	d = st[3];
	e = st[4];
	f = st[5];
	g = st[6];
	h = st[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (rpt_ror(e, 6) ^ rpt_ror(e, 11) ^ rpt_ror(e, 25)) +
		     ((e & f) ^ (~e & g)) + rpt_k[i] + w[i];
		t2 = (rpt_ror(a, 2) ^ rpt_ror(a, 13) ^ rpt_ror(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
	st[4] += e;
	st[5] += f;
	st[6] += g;
	st[7] += h;
}

void rpt_sha256_init(struct rpt_sha256 *s)
{
	static const u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->state, iv, sizeof(iv));
	s->bytes = 0;
	s->fill = 0;
}

void rpt_sha256_update(struct rpt_sha256 *s, const void *data, size_t len)
{
	const u8 *p = data;

	s->bytes += len;
	if (s->fill) {
		size_t n = 64 - s->fill;

		if (n > len)
			n = len;
		memcpy(s->buf + s->fill, p, n);
		s->fill += n;
		p += n;
		len -= n;
		if (s->fill < 64)
			return;
		rpt_sha256_block(s->state, s->buf);
		s->fill = 0;
	}
	while (len >= 64) {
		rpt_sha256_block(s->state, p);
		p += 64;
		len -= 64;
	}
	memcpy(s->buf, p, len);
	s->fill = len;
}

void rpt_sha256_hex(struct rpt_sha256 *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	u64 bits = s->bytes * 8;
	u8 pad[72];
	unsigned int i, n;

	n = (s->fill < 56) ? 56 - s->fill : 120 - s->fill;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n + i] = (u8)(bits >> (56 - 8 * i));
	rpt_sha256_update(s, pad, n + 8);
	for (i = 0; i < 32; i++) {
		u8 b = (u8)(s->state[i / 4] >> (24 - 8 * (i % 4)));

		hex[2 * i] = digits[b >> 4];
		hex[2 * i + 1] = digits[b & 15];
	}
	hex[64] = '\0';
}
