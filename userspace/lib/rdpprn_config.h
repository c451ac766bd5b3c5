/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_config.h - "key = value" configuration files.
 *
 * One setting per line; blank lines and lines whose first non-blank
 * character is '#' are ignored ('#' elsewhere is part of the value, since
 * printer names may contain it). Blanks around the key and the value are
 * dropped; a value in double quotes keeps its blanks (no escapes). Keys
 * are [a-z0-9_]. Lines are at most 4096 bytes; the file must be text.
 */
#ifndef RDPPRN_CONFIG_H
#define RDPPRN_CONFIG_H

#include "rdpprn_util.h"

#define RDPPRN_CONFIG_LINE_MAX	4096
#define RDPPRN_CONFIG_FILE_MAX	(1024 * 1024)

/**
 * struct rdpprn_config_err - where and why a file was refused
 * @line: line number (from 1), 0 for the file as a whole
 * @msg: the reason
 */
struct rdpprn_config_err {
	unsigned int line;
	char msg[256];
};

/*
 * Called for every setting in file order; returns 0 or a negative errno
 * after writing the reason into @msg (of @msglen bytes).
 */
typedef int (*rdpprn_config_cb)(void *ctx, const char *key, const char *value,
				char *msg, size_t msglen);

/* Parse @len bytes of text; 0, or -EINVAL with @err filled in. */
int rdpprn_config_parse(const char *text, size_t len, rdpprn_config_cb cb,
			void *ctx, struct rdpprn_config_err *err);
/*
 * Parse a file. A missing file is -ENOENT (the caller decides whether
 * that means "defaults").
 */
int rdpprn_config_parse_file(const char *path, rdpprn_config_cb cb,
			     void *ctx, struct rdpprn_config_err *err);

/*
 * Parse a file that may be missing: then *@missing is set, nothing is
 * parsed (the caller's defaults stand) and 0 is returned.
 */
int rdpprn_config_load(const char *path, rdpprn_config_cb cb, void *ctx,
		       bool *missing, struct rdpprn_config_err *err);

/* yes/no, true/false, on/off, 1/0 */
int rdpprn_config_bool(const char *value, bool *b);

#endif /* RDPPRN_CONFIG_H */
