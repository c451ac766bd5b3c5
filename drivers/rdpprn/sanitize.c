// SPDX-License-Identifier: GPL-2.0
/*
 * sanitize.c - printer names made safe for uevents, udev rules and paths.
 *
 * The client chooses printer names. Before one reaches a uevent variable
 * (and from there a udev symlink under /dev) it is reduced to a short,
 * conservative alphabet so that no name can contain '/', escape into a
 * parent directory, carry control characters or confuse a shell.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

static bool rdpprn_name_char_ok(char c)
{
	/* The kernel's ctype knows Latin-1 letters: stay in ASCII. */
	if ((unsigned char)c >= 0x80)
		return false;
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '+';
}

/**
 * rdpprn_sanitize_name() - reduce a UTF-8 name to [A-Za-z0-9._+-]
 * @in: NUL-terminated UTF-8
 * @out: output, always NUL-terminated
 * @outlen: size of @out (at least 2), which bounds the name
 *
 * Every other byte becomes '_', runs of '_' collapse into one, a leading
 * '.' becomes '_' (no hidden files, no "." or ".."), and an empty result
 * becomes "printer".
 *
 * Return: length of the result.
 */
size_t rdpprn_sanitize_name(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	for (; *in && n + 1 < outlen; in++) {
		char c = rdpprn_name_char_ok(*in) ? *in : '_';

		if (c == '_' && n && out[n - 1] == '_')
			continue;
		if (c == '.' && !n)
			c = '_';
		out[n++] = c;
	}
	out[n] = '\0';
	if (!n)
		n = strscpy(out, "printer", outlen);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_sanitize_name);
