// SPDX-License-Identifier: GPL-2.0
/*
 * uri.c - rdpprn://<user>/<client>/<printer>[?id=<DeviceId>]
 *
 * Printer and client names come from RDP clients and may hold any
 * character, '/', '%' and '?' among them: every byte outside RFC 3986's
 * unreserved set is percent-encoded, so that a name can never split into
 * two path segments or start a query. Parsing is strict, because a queue's
 * URI is typed by administrators too: anything this file would not build
 * is refused rather than guessed at.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rdpprn_cups.h"

static const char rdpprn_hex[] = "0123456789ABCDEF";

static bool rdpprn_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/* Appends @s encoded at buf[*pos]; false when it does not fit. */
static bool rdpprn_put_enc(char *buf, size_t size, size_t *pos, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (rdpprn_unreserved(*p)) {
			if (*pos + 1 >= size)
				return false;
			buf[(*pos)++] = *p;
			continue;
		}
		if (*pos + 3 >= size)
			return false;
		buf[(*pos)++] = '%';
		buf[(*pos)++] = rdpprn_hex[*p >> 4];
		buf[(*pos)++] = rdpprn_hex[*p & 15];
	}
	buf[*pos] = '\0';
	return true;
}

static bool rdpprn_put(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n >= size)
		return false;
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return true;
}

/**
 * rdpprn_uri_build() - the device URI of a printer
 * @buf: where to write it
 * @size: size of @buf; a URI of RDPPRN_CUPS_URI_MAX bytes or more is
 *	refused even if @buf is larger, as CUPS would cut it
 * @user: owner's login name, not empty
 * @client: client computer name
 * @printer: client printer name
 * @device_id: DeviceId for the ?id= form, or NULL
 *
 * Return: the URI's length, -EINVAL for an empty user, -ENAMETOOLONG when
 * it does not fit.
 */
int rdpprn_uri_build(char *buf, size_t size, const char *user,
		     const char *client, const char *printer,
		     const uint32_t *device_id)
{
	char num[24];
	size_t pos = 0;

	if (!*user)
		return -EINVAL;
	if (size > RDPPRN_CUPS_URI_MAX)
		size = RDPPRN_CUPS_URI_MAX;
	if (!size)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	if (!rdpprn_put(buf, size, &pos, RDPPRN_CUPS_SCHEME "://") ||
	    !rdpprn_put_enc(buf, size, &pos, user) ||
	    !rdpprn_put(buf, size, &pos, "/") ||
	    !rdpprn_put_enc(buf, size, &pos, client) ||
	    !rdpprn_put(buf, size, &pos, "/") ||
	    !rdpprn_put_enc(buf, size, &pos, printer))
		goto too_long;
	if (device_id) {
		snprintf(num, sizeof(num), "?id=%u", (unsigned int)*device_id);
		if (!rdpprn_put(buf, size, &pos, num))
			goto too_long;
	}
	return (int)pos;

too_long:
	buf[0] = '\0';
	return -ENAMETOOLONG;
}

/* The value of a hex digit of either case, -1 for anything else. */
static int rdpprn_hexval(char c)
{
	const char *p = c ? strchr(rdpprn_hex, toupper((unsigned char)c)) : NULL;

	return p ? (int)(p - rdpprn_hex) : -1;
}

/*
 * Decodes the segment [@s, @end) into @out (NUL-terminated). Raw bytes
 * must be printable ASCII other than the delimiters; %00 is refused, as
 * no name from sysfs can hold a NUL.
 */
static int rdpprn_decode(const char *s, const char *end, char *out)
{
	int hi, lo;

	for (; s < end; s++) {
		unsigned char c = *s;

		if (c == '%') {
			if (end - s < 3)
				return -EINVAL;
			hi = rdpprn_hexval(s[1]);
			lo = rdpprn_hexval(s[2]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -EINVAL;
			*out++ = (char)(hi << 4 | lo);
			s += 2;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#')
			return -EINVAL;
		*out++ = (char)c;
	}
	*out = '\0';
	return 0;
}

/**
 * rdpprn_parse_uint() - a whole decimal number that fits in 32 bits
 * @s: the text: digits only, no sign, no space
 * @v: the value
 *
 * Return: 0 or -EINVAL.
 */
int rdpprn_parse_uint(const char *s, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > UINT32_MAX)
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

/* "id=<decimal u32>", nothing else: no leading zeros either. */
static int rdpprn_parse_query(const char *q, uint32_t *id)
{
	unsigned int v;

	if (strncmp(q, "id=", 3) || (q[3] == '0' && q[4]) ||
	    rdpprn_parse_uint(q + 3, &v))
		return -EINVAL;
	*id = v;
	return 0;
}

/**
 * rdpprn_uri_parse() - split and decode a device URI
 * @uri: "rdpprn://user/client/printer", optionally "?id=N"
 * @out: the result, to free with rdpprn_uri_free()
 *
 * Return: 0, -EINVAL for a URI this backend does not understand,
 * -ENAMETOOLONG beyond CUPS's limit, -ENOMEM.
 */
int rdpprn_uri_parse(const char *uri, struct rdpprn_uri **out)
{
	static const char prefix[] = RDPPRN_CUPS_SCHEME "://";
	const char *user, *client, *printer, *query, *end;
	struct rdpprn_uri *u;
	size_t len = strlen(uri);
	char *mem;
	int ret;

	*out = NULL;
	if (len >= RDPPRN_CUPS_URI_MAX)
		return -ENAMETOOLONG;
	if (strncmp(uri, prefix, sizeof(prefix) - 1))
		return -EINVAL;
	user = uri + sizeof(prefix) - 1;
	client = strchr(user, '/');
	if (!client)
		return -EINVAL;
	client++;
	printer = strchr(client, '/');
	if (!printer)
		return -EINVAL;
	printer++;
	end = uri + len;
	query = strchr(printer, '?');
	if (query)
		end = query;
	if (client - 1 == user)
		return -EINVAL;

	/* Decoding never lengthens: len + 1 bytes hold all three. */
	u = calloc(1, sizeof(*u) + len + 1);
	if (!u)
		return -ENOMEM;
	mem = (char *)(u + 1);
	u->user = mem;
	ret = rdpprn_decode(user, client - 1, u->user);
	if (!ret) {
		u->client = u->user + strlen(u->user) + 1;
		ret = rdpprn_decode(client, printer - 1, u->client);
	}
	if (!ret) {
		u->printer = u->client + strlen(u->client) + 1;
		ret = rdpprn_decode(printer, end, u->printer);
	}
	if (!ret && query) {
		u->has_id = true;
		ret = rdpprn_parse_query(query + 1, &u->device_id);
	}
	if (ret) {
		free(u);
		return ret;
	}
	*out = u;
	return 0;
}

void rdpprn_uri_free(struct rdpprn_uri *uri)
{
	free(uri);
}
