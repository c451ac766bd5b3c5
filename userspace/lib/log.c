// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - leveled logging to stderr, the journal or syslog.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdpprn_log.h"

#define RDPPRN_LOG_LINE	1024

static const char *rdpprn_log_ident = "rdpprn";
static enum rdpprn_log_target rdpprn_log_target = RDPPRN_LOG_STDERR;
static int rdpprn_log_level = LOG_INFO;
static bool rdpprn_log_journal;
static rdpprn_log_sink rdpprn_log_sink_fn;
static void *rdpprn_log_sink_ctx;

static const char *const rdpprn_level_names[] = {
	"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
};

/*
 * systemd sets JOURNAL_STREAM to "<dev>:<inode>" of the stream it connects
 * to stdout/stderr; only when stderr is that very stream may the line
 * carry the "<N>" prefix (elsewhere it would be noise).
 */
static bool rdpprn_stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void rdpprn_log_init(const char *ident, enum rdpprn_log_target target,
		     int max_level)
{
	rdpprn_log_ident = ident;
	rdpprn_log_target = target;
	rdpprn_log_level = max_level;
	rdpprn_log_journal = rdpprn_stderr_is_journal();
	if (target == RDPPRN_LOG_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void rdpprn_log_set_level(int max_level)
{
	rdpprn_log_level = max_level;
}

bool rdpprn_log_enabled(int level)
{
	return level <= rdpprn_log_level;
}

int rdpprn_log_parse_target(const char *s, enum rdpprn_log_target *t)
{
	if (!strcmp(s, "stderr"))
		*t = RDPPRN_LOG_STDERR;
	else if (!strcmp(s, "syslog"))
		*t = RDPPRN_LOG_SYSLOG;
	else
		return -EINVAL;
	return 0;
}

void rdpprn_log_set_sink(rdpprn_log_sink sink, void *ctx)
{
	rdpprn_log_sink_fn = sink;
	rdpprn_log_sink_ctx = ctx;
}

void rdpprn_vlog(int level, const char *fmt, va_list ap)
{
	char line[RDPPRN_LOG_LINE];
	int saved = errno;

	if (!rdpprn_log_enabled(level))
		return;
	if (level < LOG_EMERG)
		level = LOG_EMERG;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (rdpprn_log_sink_fn)
		rdpprn_log_sink_fn(rdpprn_log_sink_ctx, level, line);
	else if (rdpprn_log_target == RDPPRN_LOG_SYSLOG)
		syslog(level, "%s", line);
	else if (rdpprn_log_journal)
		fprintf(stderr, "<%d>%s\n", level, line);
	else
		fprintf(stderr, "%s: %s: %s\n", rdpprn_log_ident,
			rdpprn_level_names[level], line);
	errno = saved;
}

void rdpprn_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rdpprn_vlog(level, fmt, ap);
	va_end(ap);
}

void rdpprn_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rdpprn_vlog(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}
