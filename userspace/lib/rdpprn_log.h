/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_log.h - leveled logging to stderr or syslog.
 *
 * Levels are syslog's. On stderr each line is "<prog>: <level>: <text>",
 * unless stderr is connected to the systemd journal (JOURNAL_STREAM names
 * it), where the line gets the "<N>" priority prefix journald understands.
 * Tests install a sink to see the lines.
 */
#ifndef RDPPRN_LOG_H
#define RDPPRN_LOG_H

#include <syslog.h>

#include "rdpprn_util.h"

enum rdpprn_log_target {
	RDPPRN_LOG_STDERR,
	RDPPRN_LOG_SYSLOG,
};

/**
 * rdpprn_log_init() - set where log lines go
 * @ident: program name in every line
 * @target: stderr or syslog (facility daemon)
 * @max_level: most verbose level logged (LOG_INFO, LOG_DEBUG, ...)
 */
void rdpprn_log_init(const char *ident, enum rdpprn_log_target target,
		     int max_level);
void rdpprn_log_set_level(int max_level);
bool rdpprn_log_enabled(int level);
/* Parse "stderr" or "syslog"; -EINVAL otherwise. */
int rdpprn_log_parse_target(const char *s, enum rdpprn_log_target *t);

/* Receives every line that passes the level (instead of the target). */
typedef void (*rdpprn_log_sink)(void *ctx, int level, const char *line);
void rdpprn_log_set_sink(rdpprn_log_sink sink, void *ctx);

void __printf(2, 3) rdpprn_log(int level, const char *fmt, ...);
void rdpprn_vlog(int level, const char *fmt, va_list ap);

#define rdpprn_err(...)		rdpprn_log(LOG_ERR, __VA_ARGS__)
#define rdpprn_warn(...)	rdpprn_log(LOG_WARNING, __VA_ARGS__)
#define rdpprn_notice(...)	rdpprn_log(LOG_NOTICE, __VA_ARGS__)
#define rdpprn_info(...)	rdpprn_log(LOG_INFO, __VA_ARGS__)
#define rdpprn_dbg(...)		rdpprn_log(LOG_DEBUG, __VA_ARGS__)

/* Log at LOG_ERR and exit(@status). */
void __noreturn __printf(2, 3) rdpprn_die(int status, const char *fmt, ...);

#endif /* RDPPRN_LOG_H */
