// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: job-side tools for the guest suites.
 *
 *   write-file  print a file to a device and report which call failed
 *   poll-check  O_NONBLOCK/poll behaviour of a job whose ring fills up
 *   as-user     run a command with another uid/gid (no capabilities)
 *   gen         write a pseudo-random file of a given size, quickly
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "linux/rdpprn_dev.h"
#include "rdpprn_test.h"

#define TOOL_BUF	(64 * 1024)

static const char *tool_call(int err, bool reached)
{
	return reached ? rdpprn_errname(err) : "-";
}

int rpt_write_all(int fd, const u8 *p, size_t len, unsigned int *eagain)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			(*eagain)++;
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -errno;
			if (pfd.revents & (POLLERR | POLLHUP) &&
			    !(pfd.revents & POLLOUT)) {
				n = write(fd, p, len);
				return n < 0 ? -errno : -EIO;
			}
			continue;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static const struct option wf_longopts[] = {
	{ "chunk", required_argument, NULL, 'c' },
	{ "no-fsync", no_argument, NULL, 'F' },
	{ "nonblock", no_argument, NULL, 'n' },
	{ "pause-ms", required_argument, NULL, 'p' },
	{ "xps", no_argument, NULL, 'x' },
	{ "xps-late", no_argument, NULL, 'X' },
	{ NULL, 0, NULL, 0 },
};

/*
 * --xps sets the job's format to XPS right after open(), --xps-late after
 * the first chunk was written; a FORMAT line after the RESULT line says
 * how the ioctl went (xps=OK, xps=EOPNOTSUPP, xps=EBUSY, ...).
 */
static int tool_set_xps(int fd)
{
	__u32 format = RDPPRN_FORMAT_XPS;

	return ioctl(fd, RDPPRN_IOC_SET_FORMAT, &format) ? errno : 0;
}

int rpt_cmd_write_file(int argc, char **argv)
{
	int open_err = 0, write_err = 0, fsync_err = 0, close_err = 0;
	int xps = 0, xps_err = 0;	/* 1: before the first write, 2: after */
	bool do_fsync = true, nonblock = false, failed;
	unsigned int pause_ms = 0, eagain = 0;
	u64 chunk = TOOL_BUF, total = 0;
	u64 t0, t_open, t_close = 0;
	int c, fd, in = 0;
	const char *dev;
	u8 *buf;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:Fnp:xX", wf_longopts,
				NULL)) != -1) {
		u64 v = 0;

		switch (c) {
		case 'c':
			if (rdpprn_parse_u64(optarg, &chunk) || !chunk ||
			    chunk > (1 << 26))
				rpt_die("write-file: bad --chunk");
			break;
		case 'F':
			do_fsync = false;
			break;
		case 'n':
			nonblock = true;
			break;
		case 'p':
			if (rdpprn_parse_u64(optarg, &v))
				rpt_die("write-file: bad --pause-ms");
			pause_ms = (unsigned int)v;
			break;
		case 'x':
			xps = 1;
			break;
		case 'X':
			xps = 2;
			break;
		default:
			rpt_die("write-file: see --help");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		rpt_die("write-file: usage: write-file [options] DEV [FILE]");
	dev = argv[optind];
	if (argc - optind == 2 && strcmp(argv[optind + 1], "-")) {
		in = open(argv[optind + 1], O_RDONLY | O_CLOEXEC);
		if (in < 0)
			rpt_die("%s: %s", argv[optind + 1], strerror(errno));
	}
	buf = rdpprn_xmalloc(chunk);
	t0 = rdpprn_now_ms();
	fd = open(dev, O_WRONLY | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
	t_open = rdpprn_now_ms() - t0;
	if (fd < 0) {
		open_err = errno;
		goto report;
	}
	if (xps == 1)
		xps_err = tool_set_xps(fd);
	for (;;) {
		ssize_t n = read(in, buf, chunk);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rpt_die("read: %s", strerror(errno));
		}
		if (!n)
			break;
		write_err = -rpt_write_all(fd, buf, n, &eagain);
		if (write_err)
			break;
		total += n;
		if (xps == 2 && total == (u64)n)
			xps_err = tool_set_xps(fd);
		if (pause_ms)
			rpt_sleep_ms(pause_ms);
	}
	if (do_fsync && fsync(fd))
		fsync_err = errno;
	t_close = rdpprn_now_ms();
	if (close(fd))
		close_err = errno;
	t_close = rdpprn_now_ms() - t_close;
report:
	failed = open_err || write_err || fsync_err || close_err;
	printf("RESULT open=%s", rdpprn_errname(open_err));
	printf(" write=%s", tool_call(write_err, !open_err));
	printf(" fsync=%s", tool_call(fsync_err, !open_err && do_fsync));
	printf(" close=%s", tool_call(close_err, !open_err));
	printf(" bytes=%llu eagain=%u open_ms=%llu close_ms=%llu ms=%llu\n",
	       (unsigned long long)total, eagain,
	       (unsigned long long)t_open, (unsigned long long)t_close,
	       (unsigned long long)(rdpprn_now_ms() - t0));
	if (xps)
		printf("FORMAT xps=%s\n", tool_call(xps_err, !open_err));
	free(buf);
	return failed ? 1 : 0;
}

static const char *tool_revents(short r)
{
	static char buf[64];

	buf[0] = '\0';
	if (r & POLLIN)
		strcat(buf, "|POLLIN");
	if (r & POLLOUT)
		strcat(buf, "|POLLOUT");
	if (r & POLLERR)
		strcat(buf, "|POLLERR");
	if (r & POLLHUP)
		strcat(buf, "|POLLHUP");
	if (r & POLLNVAL)
		strcat(buf, "|POLLNVAL");
	return buf[0] ? buf + 1 : "0";
}

/*
 * poll-check DEV [WAIT_S [MAX_BYTES]]: fill the job's ring through an
 * O_NONBLOCK descriptor (the client must not acknowledge: serve
 * --silent=write), then wait for the job to die (the test kills the
 * client). Prints one line per step.
 */
int rpt_cmd_poll_check(int argc, char **argv)
{
	u64 wait_s = 30, max = 1ULL << 30, total = 0, t0;
	struct pollfd pfd;
	int fd, stop = 0;
	ssize_t n;
	u8 *buf;

	if (argc < 2 || argc > 4)
		rpt_die("poll-check: usage: poll-check DEV [WAIT_S [MAX_BYTES]]");
	if (argc > 2 && rdpprn_parse_u64(argv[2], &wait_s))
		rpt_die("poll-check: bad WAIT_S");
	if (argc > 3 && rdpprn_parse_u64(argv[3], &max))
		rpt_die("poll-check: bad MAX_BYTES");
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[1], O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		printf("OPEN errno=%s\n", rdpprn_errname(errno));
		return 1;
	}
	printf("OPEN errno=OK\n");
	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	poll(&pfd, 1, 0);
	printf("POLL0 revents=%s\n", tool_revents(pfd.revents));
	buf = rdpprn_xzalloc(TOOL_BUF);
	while (total < max) {
		n = write(fd, buf, TOOL_BUF);
		if (n < 0) {
			stop = errno;
			break;
		}
		total += n;
	}
	printf("FILL bytes=%llu stop=%s\n", (unsigned long long)total,
	       stop ? rdpprn_errname(stop) : "MAX");
	pfd.revents = 0;
	poll(&pfd, 1, 0);
	printf("POLL1 revents=%s\n", tool_revents(pfd.revents));
	t0 = rdpprn_now_ms();
	pfd.revents = 0;
	poll(&pfd, 1, (int)(wait_s * 1000));
	printf("POLL2 revents=%s ms=%llu\n", tool_revents(pfd.revents),
	       (unsigned long long)(rdpprn_now_ms() - t0));
	n = write(fd, buf, 1);
	printf("WRITE2 errno=%s\n", n < 0 ? rdpprn_errname(errno) : "OK");
	printf("CLOSE errno=%s\n", close(fd) ? rdpprn_errname(errno) : "OK");
	free(buf);
	return 0;
}

int rpt_cmd_as_user(int argc, char **argv)
{
	u32 uid, gid;
	int i = 3;

	if (argc < 4 || rdpprn_parse_u32(argv[1], &uid) ||
	    rdpprn_parse_u32(argv[2], &gid))
		rpt_die("as-user: usage: as-user UID GID [--] CMD [ARGS...]");
	if (!strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		rpt_die("as-user: no command");
	if (rpt_drop_privileges(uid, gid))
		rpt_die("as-user: cannot switch to %u:%u: %s", uid, gid,
			strerror(errno));
	execvp(argv[i], argv + i);
	rpt_die("as-user: %s: %s", argv[i], strerror(errno));
}

int rpt_cmd_gen(int argc, char **argv)
{
	u64 size, seed = 1, x;
	int fd;
	u8 *buf;

	if (argc < 3 || argc > 4 || rdpprn_parse_u64(argv[2], &size) ||
	    (argc == 4 && rdpprn_parse_u64(argv[3], &seed)))
		rpt_die("gen: usage: gen FILE SIZE [SEED]");
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		rpt_die("%s: %s", argv[1], strerror(errno));
	buf = rdpprn_xmalloc(TOOL_BUF);
	x = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	while (size) {
		size_t n = size < TOOL_BUF ? size : TOOL_BUF, i;

		for (i = 0; i < n; i += 8) {
			u64 v;

			/* xorshift64* */
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			v = x * 0x2545f4914f6cdd1dULL;
			memcpy(buf + i, &v, n - i < 8 ? n - i : 8);
		}
		if (write(fd, buf, n) != (ssize_t)n)
			rpt_die("%s: write failed", argv[1]);
		size -= n;
	}
	free(buf);
	return close(fd) ? 1 : 0;
}
