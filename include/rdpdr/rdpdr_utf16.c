// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_utf16.c - strict conversions between the strings of the wire
 * (UTF-16LE, or 8-bit characters read as ISO-8859-1) and UTF-8.
 *
 * Strings come from the client, so the decoder accepts only well-formed
 * UTF-16: a lone or reversed surrogate is an error, never replaced. The
 * UTF-8 given to the encoder comes from userspace and is held to the same
 * standard (no overlong forms, no surrogates, nothing above U+10FFFF).
 */
#include "rdpdr_wire.h"

#define RDPDR_SURROGATE_HIGH	0xd800
#define RDPDR_SURROGATE_LOW	0xdc00
#define RDPDR_SURROGATE_END	0xe000
#define RDPDR_UNICODE_MAX	0x10ffff

/**
 * rdpdr_str_next() - decode the character at @pos of a wire string
 * @s: the string; only @data, @len and @unicode are used
 * @pos: byte offset of the character
 * @cp: the code point (0 for the terminator)
 *
 * Reads nothing at or past @s->len, whether or not @s was checked.
 *
 * Return: bytes the character takes (1, 2 or 4), 0 when @pos is at the end,
 * or -EILSEQ for an unpaired surrogate or half a code unit.
 */
static int rdpdr_str_next(const struct rdpdr_str *s, size_t pos, u32 *cp)
{
	size_t left = pos < s->len ? s->len - pos : 0;
	const u8 *p = s->data + pos;
	u32 hi, lo;

	if (!left)
		return 0;
	if (!s->unicode) {
		*cp = p[0];
		return 1;
	}
	if (left < 2)
		return -EILSEQ;
	hi = rdpdr_get_u16(p);
	if (hi < RDPDR_SURROGATE_HIGH || hi >= RDPDR_SURROGATE_END) {
		*cp = hi;
		return 2;
	}
	/* A low surrogate first, or a high one not followed by a low one. */
	if (hi >= RDPDR_SURROGATE_LOW || left < 4)
		return -EILSEQ;
	lo = rdpdr_get_u16(p + 2);
	if (lo < RDPDR_SURROGATE_LOW || lo >= RDPDR_SURROGATE_END)
		return -EILSEQ;
	*cp = 0x10000 + ((hi - RDPDR_SURROGATE_HIGH) << 10) +
	      (lo - RDPDR_SURROGATE_LOW);
	return 4;
}

static size_t rdpdr_utf8_size(u32 cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp < 0x10000)
		return 3;
	return 4;
}

/* Writes the rdpdr_utf8_size(@cp) bytes of @cp at @out. */
static void rdpdr_utf8_put(char *out, u32 cp)
{
	u8 *p = (u8 *)out;

	switch (rdpdr_utf8_size(cp)) {
	case 1:
		p[0] = (u8)cp;
		break;
	case 2:
		p[0] = (u8)(0xc0 | cp >> 6);
		p[1] = (u8)(0x80 | (cp & 0x3f));
		break;
	case 3:
		p[0] = (u8)(0xe0 | cp >> 12);
		p[1] = (u8)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (u8)(0x80 | (cp & 0x3f));
		break;
	default:
		p[0] = (u8)(0xf0 | cp >> 18);
		p[1] = (u8)(0x80 | ((cp >> 12) & 0x3f));
		p[2] = (u8)(0x80 | ((cp >> 6) & 0x3f));
		p[3] = (u8)(0x80 | (cp & 0x3f));
		break;
	}
}

int rdpdr_str_check(struct rdpdr_str *s)
{
	size_t pos = 0, utf8_len = 0;
	u32 cp = 0;
	int n;

	s->utf8_len = 0;
	if (!s->len)
		return 0;
	if (s->len > RDPDR_MAX_STRING_BYTES)
		return -E2BIG;
	if (!s->data)
		return -EILSEQ;
	/*
	 * The string ends at its first NUL, which must lie inside the
	 * field; what follows it is not part of the string and is not
	 * looked at. FreeRDP 2.11 announces a DriverNameLen one byte too
	 * long (odd) and a PrintNameLen one code unit too long, both
	 * covering whatever followed the string in its memory.
	 */
	while ((n = rdpdr_str_next(s, pos, &cp)) > 0 && cp) {
		utf8_len += rdpdr_utf8_size(cp);
		pos += (size_t)n;
	}
	if (n <= 0)
		return -EILSEQ;
	s->utf8_len = (u32)utf8_len;
	return 0;
}

size_t rdpdr_str_to_utf8(const struct rdpdr_str *s, char *out, size_t outlen)
{
	size_t pos = 0, done = 0, size;
	u32 cp = 0;
	int n;

	if (!outlen)
		return 0;
	if (s->data) {
		while ((n = rdpdr_str_next(s, pos, &cp)) > 0 && cp) {
			size = rdpdr_utf8_size(cp);
			if (size > outlen - 1 - done)
				break;
			rdpdr_utf8_put(out + done, cp);
			done += size;
			pos += (size_t)n;
		}
	}
	out[done] = '\0';
	return done;
}

/**
 * rdpdr_utf8_next() - decode one UTF-8 character, strictly
 * @p: first byte
 * @left: bytes available at @p (at least 1)
 * @cp: the code point
 *
 * Return: bytes the character takes, or -EILSEQ for a stray continuation
 * byte, a cut sequence, an overlong form, a surrogate or a value above
 * U+10FFFF.
 */
static int rdpdr_utf8_next(const u8 *p, size_t left, u32 *cp)
{
	static const u32 min[4] = { 0, 0x80, 0x800, 0x10000 };
	u32 c = p[0];
	int n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
	} else {
		return -EILSEQ;
	}
	if (left < (size_t)n)
		return -EILSEQ;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -EILSEQ;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min[n - 1] || c > RDPDR_UNICODE_MAX ||
	    (c >= RDPDR_SURROGATE_HIGH && c < RDPDR_SURROGATE_END))
		return -EILSEQ;
	*cp = c;
	return n;
}

/*
 * The input ends at @inlen or at its first NUL byte, whichever comes first,
 * so that callers may pass a whole C buffer. An output that would not fit
 * an int is refused with -E2BIG.
 */
int rdpdr_utf8_to_utf16(const char *in, size_t inlen, u8 *out, size_t outlen)
{
	const u8 *p = (const u8 *)in;
	size_t i = 0, need = 0;
	u16 unit[2];
	int n, units, j;
	u32 cp = 0;

	while (i < inlen && p[i]) {
		n = rdpdr_utf8_next(p + i, inlen - i, &cp);
		if (n < 0)
			return n;
		i += (size_t)n;
		if (cp < 0x10000) {
			unit[0] = (u16)cp;
			units = 1;
		} else {
			cp -= 0x10000;
			unit[0] = (u16)(RDPDR_SURROGATE_HIGH + (cp >> 10));
			unit[1] = (u16)(RDPDR_SURROGATE_LOW + (cp & 0x3ff));
			units = 2;
		}
		/* Past @outlen, only count: the caller learns the size. */
		for (j = 0; j < units; j++, need += 2) {
			if (out && need + 2 <= outlen)
				rdpdr_put_u16(out + need, unit[j]);
		}
		if (need > INT_MAX - 2)
			return -E2BIG;
	}
	need += 2;
	if (out) {
		if (need > outlen)
			return -ENOSPC;
		rdpdr_put_u16(out + need - 2, 0);
	}
	return (int)need;
}
