// SPDX-License-Identifier: GPL-2.0
/*
 * qopts.c - a user's options for one queue as the client keeps them for
 * us: the CachedPrinterConfigData that rdpprn-queued stores with printer
 * cache data and reads back in the next session (Documentation/cups.rst,
 * "Options that follow the user").
 *
 * The blob comes back from the client, so from anyone: a strict format
 * of our own, versioned, small, with keys from an allow-list and values
 * of a few harmless characters. Whatever is not exactly that is refused
 * as a whole, with the line and the reason. Pure code, no I/O.
 *
 *   RDPPRN-OPTIONS 1\n
 *   media=iso_a4_210x297mm\n
 *   sides=two-sided-long-edge\n
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rdpprn_queued.h"

/*
 * IPP job-template attributes (RFC 8011, PWG 5100.x) that describe how a
 * user likes a printer to print, and that CUPS takes as lpoptions. Left
 * out: what belongs to one job (page-ranges, job-hold-until,
 * job-priority, job-name), banner pages (job-sheets: other users' names
 * on paper) and PPD option names (PageSize, Duplex: driver-specific,
 * meaningless for another driver). Sorted, for bsearch().
 */
static const char *const rdpprn_qopts_keys[] = {
	"copies",
	"finishings",
	"media",
	"media-source",
	"media-type",
	"multiple-document-handling",
	"number-up",
	"number-up-layout",
	"orientation-requested",
	"output-bin",
	"page-delivery",
	"print-color-mode",
	"print-quality",
	"print-scaling",
	"printer-resolution",
	"sides",
};

static int rdpprn_qopts_keycmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

/**
 * rdpprn_qopt_known() - whether @key may be stored and applied
 * @key: an option name
 *
 * Return: true for the allow-list's keys.
 */
bool rdpprn_qopt_known(const char *key)
{
	return bsearch(key, rdpprn_qopts_keys, ARRAY_SIZE(rdpprn_qopts_keys),
		       sizeof(rdpprn_qopts_keys[0]), rdpprn_qopts_keycmp);
}

static bool rdpprn_qopt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/**
 * rdpprn_qopt_value_ok() - whether @value may be stored and applied
 * @value: an option value, NUL-terminated
 *
 * One value of [A-Za-z0-9_.-], 1 to %RDPPRN_QOPT_VALUE_MAX characters: no
 * lists, quotes, spaces or escapes that lpoptions, a filter or a shell
 * could read as anything but one word.
 *
 * Return: true when it may.
 */
bool rdpprn_qopt_value_ok(const char *value)
{
	size_t n;

	for (n = 0; value[n]; n++)
		if (n >= RDPPRN_QOPT_VALUE_MAX || !rdpprn_qopt_char(value[n]))
			return false;
	return n > 0;
}

/**
 * rdpprn_qopts_add() - add an option, keeping the list sorted by key
 * @o: the options
 * @key: its name, from the allow-list
 * @value: its value (rdpprn_qopt_value_ok())
 *
 * Return: 0; -ENOENT for a key not on the list, -EINVAL for a bad
 * value, -EEXIST when @key is there already, -ENOSPC for more than
 * %RDPPRN_QOPTS_MAX options.
 */
int rdpprn_qopts_add(struct rdpprn_qopts *o, const char *key,
		     const char *value)
{
	unsigned int i;
	int cmp;

	if (!rdpprn_qopt_known(key))
		return -ENOENT;
	if (!rdpprn_qopt_value_ok(value))
		return -EINVAL;
	for (i = 0; i < o->n; i++) {
		cmp = strcmp(o->opt[i].key, key);
		if (!cmp)
			return -EEXIST;
		if (cmp > 0)
			break;
	}
	if (o->n >= RDPPRN_QOPTS_MAX)
		return -ENOSPC;
	memmove(&o->opt[i + 1], &o->opt[i], (o->n - i) * sizeof(o->opt[0]));
	/* zero-padded: equal options are equal bytes (memcmp()) */
	memset(&o->opt[i], 0, sizeof(o->opt[i]));
	snprintf(o->opt[i].key, sizeof(o->opt[i].key), "%s", key);
	snprintf(o->opt[i].value, sizeof(o->opt[i].value), "%s", value);
	o->n++;
	return 0;
}

/**
 * rdpprn_qopts_encode() - the blob of @o
 * @o: the options (made with rdpprn_qopts_add())
 * @buf: where it goes, or NULL to learn the size
 * @size: room at @buf
 *
 * Return: the length (no NUL is added), or -ENOSPC when @size is short.
 */
int rdpprn_qopts_encode(const struct rdpprn_qopts *o, char *buf, size_t size)
{
	size_t len = strlen(RDPPRN_QOPTS_HEADER) + 1, at;
	unsigned int i;

	for (i = 0; i < o->n; i++)
		len += strlen(o->opt[i].key) + strlen(o->opt[i].value) + 2;
	if (!buf)
		return (int)len;
	if (len > size)
		return -ENOSPC;
	at = (size_t)sprintf(buf, "%s\n", RDPPRN_QOPTS_HEADER);
	for (i = 0; i < o->n; i++) {
		memcpy(buf + at, o->opt[i].key, strlen(o->opt[i].key));
		at += strlen(o->opt[i].key);
		buf[at++] = '=';
		memcpy(buf + at, o->opt[i].value, strlen(o->opt[i].value));
		at += strlen(o->opt[i].value);
		buf[at++] = '\n';
	}
	return (int)len;
}

static int __printf(3, 4) rdpprn_qopts_bad(struct rdpprn_qopts_err *err,
					   unsigned int line,
					   const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* @s[0..len) for a log line: at most 32 bytes, '?' for odd ones. */
static void rdpprn_qopts_show(const char *s, size_t len, char *out)
{
	size_t i;

	if (len > 32)
		len = 32;
	for (i = 0; i < len; i++)
		out[i] = s[i] > ' ' && s[i] < 0x7f ? s[i] : '?';
	out[len] = '\0';
}

/* One "key=value" line without its '\n'; @n is its number. */
static int rdpprn_qopts_line(struct rdpprn_qopts *o, const char *s,
			     size_t len, unsigned int n,
			     struct rdpprn_qopts_err *err)
{
	const char *eq = memchr(s, '=', len);
	char key[RDPPRN_QOPT_KEY_MAX + 1], value[RDPPRN_QOPT_VALUE_MAX + 1];
	char show[33];
	size_t klen, vlen;

	if (!eq)
		return rdpprn_qopts_bad(err, n, "no '=' in the line");
	klen = (size_t)(eq - s);
	vlen = len - klen - 1;
	rdpprn_qopts_show(s, klen, show);
	if (!klen || klen > RDPPRN_QOPT_KEY_MAX)
		return rdpprn_qopts_bad(err, n, "key of %zu bytes", klen);
	memcpy(key, s, klen);
	key[klen] = '\0';
	if (!rdpprn_qopt_known(key))
		return rdpprn_qopts_bad(err, n, "unknown key \"%s\"", show);
	if (!vlen || vlen > RDPPRN_QOPT_VALUE_MAX)
		return rdpprn_qopts_bad(err, n, "%s: value of %zu bytes", key,
					vlen);
	memcpy(value, eq + 1, vlen);
	value[vlen] = '\0';
	switch (rdpprn_qopts_add(o, key, value)) {
	case 0:
		return 0;
	case -EINVAL:
		return rdpprn_qopts_bad(err, n,
					"%s: value has a character outside [A-Za-z0-9_.-]",
					key);
	case -EEXIST:
		return rdpprn_qopts_bad(err, n, "%s given twice", key);
	}
	return rdpprn_qopts_bad(err, n, "more than %d options",
				RDPPRN_QOPTS_MAX);
}

static int rdpprn_qopts_parse(const void *buf, size_t len,
			      struct rdpprn_qopts *o,
			      struct rdpprn_qopts_err *err)
{
	const size_t hlen = strlen(RDPPRN_QOPTS_MAGIC);
	const char *s = buf, *nl, *end = s + len;
	char show[33];
	unsigned int n;
	int ret;

	if (!len)
		return rdpprn_qopts_bad(err, 0, "empty");
	if (len > RDPPRN_QOPTS_SIZE_MAX) {
		rdpprn_qopts_bad(err, 0, "%zu bytes, more than %d", len,
				 RDPPRN_QOPTS_SIZE_MAX);
		return -EMSGSIZE;
	}
	/* first the magic: a foreign blob is told apart from a broken one */
	if (len < hlen + 1 || memcmp(s, RDPPRN_QOPTS_MAGIC, hlen) ||
	    s[hlen] != ' ')
		return rdpprn_qopts_bad(err, 1,
					"not rdpprn options (no \"%s\" header)",
					RDPPRN_QOPTS_MAGIC);
	for (n = 1; s < end; n++, s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (memchr(s, '\0', nl ? (size_t)(nl - s) : (size_t)(end - s)))
			return rdpprn_qopts_bad(err, n, "a NUL byte");
		if (memchr(s, '\r', nl ? (size_t)(nl - s) : (size_t)(end - s)))
			return rdpprn_qopts_bad(err, n, "a carriage return");
		if (!nl)
			return rdpprn_qopts_bad(err, n,
						"the last line has no newline");
		if (n == 1) {
			if ((size_t)(nl - s) != strlen(RDPPRN_QOPTS_HEADER) ||
			    memcmp(s, RDPPRN_QOPTS_HEADER, (size_t)(nl - s))) {
				rdpprn_qopts_show(s + hlen + 1,
						  (size_t)(nl - s) - hlen - 1,
						  show);
				return rdpprn_qopts_bad(err, n,
							"unknown version \"%s\"",
							show);
			}
			continue;
		}
		if (nl == s)
			return rdpprn_qopts_bad(err, n, "an empty line");
		ret = rdpprn_qopts_line(o, s, (size_t)(nl - s), n, err);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * rdpprn_qopts_decode() - options from a blob the client sent back
 * @buf: the blob (CachedPrinterConfigData)
 * @len: its length
 * @o: the options (emptied first; sorted by key)
 * @err: why it was refused: @err->line (0: the blob as a whole) and a
 *	message that quotes no more than 32 printable bytes of it
 *
 * The blob is %RDPPRN_QOPTS_HEADER and '\n', then "key=value\n" lines:
 * at most %RDPPRN_QOPTS_SIZE_MAX bytes and %RDPPRN_QOPTS_MAX options,
 * keys from the allow-list, each once, values per rdpprn_qopt_value_ok();
 * no NUL, no CR, no empty line, a '\n' at the end of every line. Anything
 * else, a Windows DEVMODE first of all, is refused whole.
 *
 * Return: 0; -EMSGSIZE when over the size, -EINVAL for anything else
 * (and @o empty).
 */
int rdpprn_qopts_decode(const void *buf, size_t len, struct rdpprn_qopts *o,
			struct rdpprn_qopts_err *err)
{
	int ret;

	memset(o, 0, sizeof(*o));
	memset(err, 0, sizeof(*err));
	ret = rdpprn_qopts_parse(buf, len, o, err);
	if (ret)
		memset(o, 0, sizeof(*o));
	return ret;
}
