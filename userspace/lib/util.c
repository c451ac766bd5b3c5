// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - allocation, numbers, NTSTATUS names, files, hex vectors, UTF-8
 * validation and escaping of untrusted text.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_util.h"

void *rdpprn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		rdpprn_die(1, "out of memory (%zu bytes)", n);
	return p;
}

void *rdpprn_xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		rdpprn_die(1, "out of memory (%zu bytes)", n);
	return p;
}

void *rdpprn_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		rdpprn_die(1, "out of memory (%zu bytes)", n);
	return p;
}

char *rdpprn_xstrdup(const char *s)
{
	return strcpy(rdpprn_xmalloc(strlen(s) + 1), s);
}

int rdpprn_parse_u64(const char *s, u64 *v)
{
	unsigned long long x;
	char *end;

	/* strtoull() would accept a sign and leading blanks */
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int rdpprn_parse_u32(const char *s, u32 *v)
{
	u64 x;

	if (rdpprn_parse_u64(s, &x) || x > U32_MAX)
		return -EINVAL;
	*v = (u32)x;
	return 0;
}

int rdpprn_parse_size(const char *s, u64 *v)
{
	static const char units[] = "KMG";
	char num[32];
	size_t n = strlen(s);
	const char *u;
	u64 x;

	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	u = strchr(units, toupper((unsigned char)num[n - 1]));
	if (u && *u)
		num[n - 1] = '\0';
	if (rdpprn_parse_u64(num, &x))
		return -EINVAL;
	if (u && *u) {
		unsigned int shift = 10 * (unsigned int)(u - units + 1);

		if (x > (~(u64)0 >> shift))
			return -ERANGE;
		x <<= shift;
	}
	*v = x;
	return 0;
}

const char *rdpprn_errname(int err)
{
	static char buf[16];
	const char *n;

	if (err < 0)
		err = -err;
	if (!err)
		return "OK";
	n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

#define RDPPRN_STATUS(x)	{ x, #x }

static const struct {
	u32 status;
	const char *name;
} rdpprn_statuses[] = {
	RDPPRN_STATUS(STATUS_SUCCESS),
	RDPPRN_STATUS(STATUS_DEVICE_PAPER_EMPTY),
	RDPPRN_STATUS(STATUS_DEVICE_POWERED_OFF),
	RDPPRN_STATUS(STATUS_DEVICE_OFF_LINE),
	RDPPRN_STATUS(STATUS_DEVICE_BUSY),
	RDPPRN_STATUS(STATUS_UNSUCCESSFUL),
	RDPPRN_STATUS(STATUS_NOT_IMPLEMENTED),
	RDPPRN_STATUS(STATUS_INVALID_HANDLE),
	RDPPRN_STATUS(STATUS_INVALID_PARAMETER),
	RDPPRN_STATUS(STATUS_NO_SUCH_DEVICE),
	RDPPRN_STATUS(STATUS_INVALID_DEVICE_REQUEST),
	RDPPRN_STATUS(STATUS_ACCESS_DENIED),
	RDPPRN_STATUS(STATUS_INSUFFICIENT_RESOURCES),
	RDPPRN_STATUS(STATUS_DEVICE_NOT_CONNECTED),
	RDPPRN_STATUS(STATUS_DEVICE_NOT_READY),
	RDPPRN_STATUS(STATUS_NOT_SUPPORTED),
	RDPPRN_STATUS(STATUS_PRINT_QUEUE_FULL),
	RDPPRN_STATUS(STATUS_NO_SPOOL_SPACE),
	RDPPRN_STATUS(STATUS_PRINT_CANCELLED),
	RDPPRN_STATUS(STATUS_CANCELLED),
};

const char *rdpprn_ntstatus_name(u32 status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdpprn_statuses); i++)
		if (rdpprn_statuses[i].status == status)
			return rdpprn_statuses[i].name;
	return NULL;
}

int rdpprn_parse_ntstatus(const char *s, u32 *status)
{
	static const char prefix[] = "STATUS_";
	size_t i;

	if (!strncasecmp(s, prefix, sizeof(prefix) - 1))
		s += sizeof(prefix) - 1;
	for (i = 0; i < ARRAY_SIZE(rdpprn_statuses); i++) {
		if (!strcasecmp(s, rdpprn_statuses[i].name + sizeof(prefix) - 1)) {
			*status = rdpprn_statuses[i].status;
			return 0;
		}
	}
	return rdpprn_parse_u32(s, status);
}

int rdpprn_read_file(const char *path, size_t max, u8 **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	int fd, ret = 0;
	u8 *b;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	b = rdpprn_xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > max) {
				ret = -EFBIG;
				break;
			}
			cap *= 2;
			b = rdpprn_xrealloc(b, cap + 1);
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!ret && n > max)
		ret = -EFBIG;
	if (ret) {
		free(b);
		return ret;
	}
	/* a terminator after the data, for callers that parse text */
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static int rdpprn_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int rdpprn_hex_decode(const char *text, size_t len, u8 **buf,
		      size_t *outlen)
{
	const char *p = text, *end = text + len;
	u8 *out = rdpprn_xmalloc(len / 2 + 1);
	size_t n = 0;

	while (p < end) {
		int hi, lo;

		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		hi = rdpprn_hexval(*p);
		lo = end - p >= 2 ? rdpprn_hexval(p[1]) : -1;
		if (hi < 0 || lo < 0 ||
		    (end - p > 2 && !isspace((unsigned char)p[2]))) {
			free(out);
			return -EINVAL;
		}
		out[n++] = (u8)(hi << 4 | lo);
		p += 2;
	}
	*buf = out;
	*outlen = n;
	return 0;
}

int rdpprn_load_hex(const char *path, u8 **buf, size_t *len)
{
	size_t tlen;
	u8 *text;
	int ret;

	ret = rdpprn_read_file(path, 16 << 20, &text, &tlen);
	if (ret)
		return ret;
	ret = rdpprn_hex_decode((const char *)text, tlen, buf, len);
	free(text);
	return ret;
}

/* Length of the UTF-8 sequence at @s (at most @len bytes), 0 if invalid. */
static size_t rdpprn_utf8_seq(const u8 *s, size_t len)
{
	u32 c, min;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

bool rdpprn_utf8_valid(const u8 *s, size_t len)
{
	while (len) {
		size_t n = rdpprn_utf8_seq(s, len);

		if (!n)
			return false;
		s += n;
		len -= n;
	}
	return true;
}

void rdpprn_escape(const char *in, size_t inlen, char *out, size_t outlen)
{
	const u8 *p = (const u8 *)in, *end = p + inlen;
	size_t n = 0;

	for (; p < end; p++) {
		/* U+0080..U+009F is C2 80..C2 9F in UTF-8 */
		bool c1 = p[0] == 0xc2 && p + 1 < end && p[1] >= 0x80 &&
			  p[1] <= 0x9f;
		bool esc = *p < 0x20 || *p == 0x7f || *p == '"' ||
			   *p == '\\' || c1;

		if (c1)
			p++;
		if (esc) {
			if (n + 4 >= outlen)
				break;
			snprintf(out + n, 5, "\\x%02x", *p);
			n += 4;
		} else {
			if (n + 1 >= outlen)
				break;
			out[n++] = (char)*p;
		}
	}
	out[n] = '\0';
}

/**
 * rdpprn_json_str() - @s as a JSON string, quotes included
 * @f: where to
 * @s: UTF-8 text, possibly from the client
 *
 * Control characters become \uXXXX: C0 and DEL as JSON demands, and the
 * C1 range (U+0080..U+009F, C2 80..C2 9F) because terminals obey it as
 * escape sequences when the output is shown.
 */
void rdpprn_json_str(FILE *f, const char *s)
{
	const u8 *p = (const u8 *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(f, "\\u%04x", *++p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

u64 rdpprn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

void rdpprn_deadline(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}
