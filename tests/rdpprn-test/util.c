// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: small helpers - errors, NTSTATUS names, files, module
 * parameters, time and TAP-like reporting.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_test.h"

const char *rpt_prog = "rdpprn-test";

static unsigned int rpt_passed;
static unsigned int rpt_failed;

static void rpt_vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", rpt_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void rpt_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rpt_vwarn(fmt, ap);
	va_end(ap);
	exit(2);
}

void rpt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rpt_vwarn(fmt, ap);
	va_end(ap);
}

struct rpt_status_errno {
	u32 status;
	int err;
};

/*
 * The errno the module contract maps each status of RDPDR.md section 8
 * to (the names are librdpprn's, rdpprn_ntstatus_name()).
 */
static const struct rpt_status_errno rpt_statuses[] = {
	{ STATUS_SUCCESS, 0 },
	{ STATUS_DEVICE_PAPER_EMPTY, EIO },
	{ STATUS_DEVICE_POWERED_OFF, EIO },
	{ STATUS_DEVICE_OFF_LINE, EIO },
	{ STATUS_DEVICE_BUSY, EBUSY },
	{ STATUS_UNSUCCESSFUL, EIO },
	{ STATUS_NOT_IMPLEMENTED, EIO },
	{ STATUS_INVALID_HANDLE, EIO },
	{ STATUS_INVALID_PARAMETER, EINVAL },
	{ STATUS_NO_SUCH_DEVICE, ENODEV },
	{ STATUS_INVALID_DEVICE_REQUEST, EIO },
	{ STATUS_ACCESS_DENIED, EACCES },
	{ STATUS_INSUFFICIENT_RESOURCES, ENOMEM },
	{ STATUS_DEVICE_NOT_CONNECTED, ENODEV },
	{ STATUS_DEVICE_NOT_READY, EIO },
	{ STATUS_NOT_SUPPORTED, EOPNOTSUPP },
	{ STATUS_PRINT_QUEUE_FULL, EBUSY },
	{ STATUS_NO_SPOOL_SPACE, ENOSPC },
	{ STATUS_PRINT_CANCELLED, ECANCELED },
	{ STATUS_CANCELLED, ECANCELED },
};

int rpt_ntstatus_errno(u32 status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rpt_statuses); i++)
		if (rpt_statuses[i].status == status)
			return rpt_statuses[i].err;
	return status ? EIO : 0;
}

int rpt_read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

long long rpt_param(const char *name, long long def)
{
	char path[256], val[64];
	char *end;
	long long v;

	snprintf(path, sizeof(path), "/sys/module/rdpprn/parameters/%s", name);
	if (rpt_read_text(path, val, sizeof(val)))
		return def;
	v = strtoll(val, &end, 0);
	if (end == val)
		return def;
	return v;
}

int rpt_set_param(const char *name, const char *value)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/rdpprn/parameters/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

int rpt_drop_privileges(u32 uid, u32 gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

void rpt_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int rpt_fail_nth_open(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int rpt_fail_nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

int rpt_fail_nth_get(int fd)
{
	char buf[16];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	return (int)strtol(buf, NULL, 10);
}

void rpt_ok(const char *name)
{
	rpt_passed++;
	printf("ok - %s\n", name);
	fflush(stdout);
}

static void rpt_vnot_ok(const char *name, const char *fmt, va_list ap)
{
	rpt_failed++;
	printf("not ok - %s: ", name);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void rpt_not_ok(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rpt_vnot_ok(name, fmt, ap);
	va_end(ap);
}

bool rpt_check(bool cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		rpt_ok(name);
		return true;
	}
	va_start(ap, fmt);
	rpt_vnot_ok(name, fmt, ap);
	va_end(ap);
	return false;
}

void rpt_add_counts(unsigned int passed, unsigned int failed)
{
	rpt_passed += passed;
	rpt_failed += failed;
}

void rpt_get_counts(unsigned int *passed, unsigned int *failed)
{
	*passed = rpt_passed;
	*failed = rpt_failed;
}

int rpt_summary(void)
{
	printf("%u passed, %u failed\n", rpt_passed, rpt_failed);
	fflush(stdout);
	return rpt_failed ? 1 : 0;
}
