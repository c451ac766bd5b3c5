// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - the "key = value" file format of rdpprn's configuration.
 * The file is trusted less than its owner: it is checked for size, text
 * and line length, and every refusal names its line.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "rdpprn_config.h"

static char *rdpprn_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

static bool rdpprn_key_valid(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) &&
		    *k != '_')
			return false;
	return true;
}

/* One line, NUL-terminated, without its newline. */
static int rdpprn_config_line(char *line, rdpprn_config_cb cb, void *ctx,
			      struct rdpprn_config_err *err)
{
	char *key, *value, *eq;
	size_t vlen;

	key = rdpprn_trim(line);
	if (!*key || *key == '#')
		return 0;
	eq = strchr(key, '=');
	if (!eq) {
		snprintf(err->msg, sizeof(err->msg),
			 "expected \"key = value\"");
		return -EINVAL;
	}
	*eq = '\0';
	key = rdpprn_trim(key);
	value = rdpprn_trim(eq + 1);
	if (!rdpprn_key_valid(key)) {
		snprintf(err->msg, sizeof(err->msg), "invalid key \"%.64s\"",
			 key);
		return -EINVAL;
	}
	vlen = strlen(value);
	if (vlen && value[0] == '"') {
		if (vlen < 2 || value[vlen - 1] != '"') {
			snprintf(err->msg, sizeof(err->msg),
				 "%s: unterminated quote", key);
			return -EINVAL;
		}
		value[vlen - 1] = '\0';
		value++;
	}
	if (cb(ctx, key, value, err->msg, sizeof(err->msg)))
		return -EINVAL;
	return 0;
}

int rdpprn_config_parse(const char *text, size_t len, rdpprn_config_cb cb,
			void *ctx, struct rdpprn_config_err *err)
{
	char *line = rdpprn_xmalloc(RDPPRN_CONFIG_LINE_MAX + 1);
	const char *p = text, *end = text + len;
	int ret = 0;

	memset(err, 0, sizeof(*err));
	if (memchr(text, '\0', len)) {
		snprintf(err->msg, sizeof(err->msg), "not a text file");
		ret = -EINVAL;
		goto out;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		err->line++;
		if (n > RDPPRN_CONFIG_LINE_MAX) {
			snprintf(err->msg, sizeof(err->msg),
				 "line longer than %d bytes",
				 RDPPRN_CONFIG_LINE_MAX);
			ret = -EINVAL;
			goto out;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		ret = rdpprn_config_line(line, cb, ctx, err);
		if (ret)
			goto out;
		p += n + (nl ? 1 : 0);
	}
	err->line = 0;
out:
	free(line);
	return ret;
}

int rdpprn_config_parse_file(const char *path, rdpprn_config_cb cb,
			     void *ctx, struct rdpprn_config_err *err)
{
	size_t len;
	u8 *text;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = rdpprn_read_file(path, RDPPRN_CONFIG_FILE_MAX, &text, &len);
	if (ret) {
		snprintf(err->msg, sizeof(err->msg), "%s", ret == -EFBIG ?
			 "file larger than 1 MiB" : strerror(-ret));
		return ret;
	}
	ret = rdpprn_config_parse((const char *)text, len, cb, ctx, err);
	free(text);
	return ret;
}

int rdpprn_config_load(const char *path, rdpprn_config_cb cb, void *ctx,
		       bool *missing, struct rdpprn_config_err *err)
{
	int ret = rdpprn_config_parse_file(path, cb, ctx, err);

	*missing = ret == -ENOENT;
	return *missing ? 0 : ret;
}

int rdpprn_config_bool(const char *value, bool *b)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(value, yes[i])) {
			*b = true;
			return 0;
		}
		if (!strcasecmp(value, no[i])) {
			*b = false;
			return 0;
		}
	}
	return -EINVAL;
}
