// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-bench.c - the load generator of the benchmarks (tests/bench/).
 *
 * It prints jobs into a device the way an application does (open, write,
 * close) and, as the baseline measured in the same boot, sends the same
 * bytes through a pipe into the simulator's own job sink (userspace/lib/
 * job.c: hashing only). Each command prints one line
 *
 *   RESULT op=OP jobs=N bytes=N ns=N busy_ns=N sha256=HEX
 *
 * ns is the wall time from the first open() to the return of the last
 * close(): rdpprn's close() returns only once the client has answered
 * every write and the close (Documentation/devices.rst), so this is the
 * time until the client has acknowledged everything, not until the
 * writer is done. busy_ns is the CPU time of the whole machine over the
 * same interval (/proc/stat), so it covers the kernel's work, rdpprnd and
 * the simulator alike: the benchmarks divide it by the bytes moved.
 *
 * The data is a fixed pseudo-random 1 MiB block, repeated: generating it
 * costs nothing while the clock runs, and sha256 is that of the whole
 * stream, for the script to compare with what the simulator received.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_job.h"
#include "rdpprn_log.h"
#include "rdpprn_sha256.h"
#include "rdpprn_util.h"

#define RDPPRN_BENCH_PATTERN	(1024 * 1024)

static const char rdpprn_bench_usage[] =
"usage: rdpprn-bench [-b BYTES] COMMAND ARGS...\n"
"  write DEV SIZE          one job of SIZE bytes: open, write, close\n"
"  pipe SIZE               the same bytes through a pipe into the job sink\n"
"  jobs DEV N SIZE         N jobs of SIZE bytes, one after the other\n"
"  pipes N SIZE            N pipelines of SIZE bytes (pipe, fork, sink)\n"
"  parallel SIZE DEV...    one job of SIZE bytes on each DEV, all at once\n"
"  nodes N CMDFILE         run each line of CMDFILE with sh -c in the\n"
"                          background; time until N rdpprn nodes exist\n"
"  -b BYTES                bytes per write() (default 128K)\n"
"SIZE and BYTES take K, M and G suffixes.\n";

static u8 *rdpprn_bench_data;
static size_t rdpprn_bench_block = 128 * 1024;

static u64 rdpprn_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* CPU time of all CPUs that was not idle, from /proc/stat, in ns. */
static u64 rdpprn_bench_busy(void)
{
	unsigned long long v[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	u64 busy;

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) != 8)
		rdpprn_die(1, "cannot read /proc/stat");
	fclose(f);
	/* user nice system [idle iowait] irq softirq steal */
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	return busy * (1000000000ull / (u64)hz);
}

static void rdpprn_bench_pattern(void)
{
	u32 x = 0x2545f491;
	size_t i;

	rdpprn_bench_data = rdpprn_xmalloc(RDPPRN_BENCH_PATTERN);
	for (i = 0; i < RDPPRN_BENCH_PATTERN; i++) {
		/* xorshift32: cheap, and no run a compressor could shorten */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		rdpprn_bench_data[i] = (u8)x;
	}
}

/* The next piece of the stream at @off, at most @max bytes. */
static const u8 *rdpprn_bench_piece(u64 off, u64 max, size_t *len)
{
	size_t at = (size_t)(off % RDPPRN_BENCH_PATTERN);
	u64 n = RDPPRN_BENCH_PATTERN - at;

	if (n > rdpprn_bench_block)
		n = rdpprn_bench_block;
	if (n > max)
		n = max;
	*len = (size_t)n;
	return rdpprn_bench_data + at;
}

/* Write @size bytes of the stream to @fd; 0 or -errno. */
static int rdpprn_bench_send(int fd, u64 size)
{
	u64 off = 0;

	while (off < size) {
		size_t len;
		const u8 *p = rdpprn_bench_piece(off, size - off, &len);
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (u64)n;
	}
	return 0;
}

/* One job on @dev: open, write, close; 0 or a message on stderr. */
static int rdpprn_bench_job(const char *dev, u64 size)
{
	int fd = open(dev, O_WRONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		fprintf(stderr, "rdpprn-bench: open %s: %s\n", dev,
			strerror(errno));
		return -1;
	}
	ret = rdpprn_bench_send(fd, size);
	if (ret)
		fprintf(stderr, "rdpprn-bench: write %s: %s\n", dev,
			strerror(-ret));
	/* close() is where the job is committed: its error is the job's */
	if (close(fd) && !ret) {
		fprintf(stderr, "rdpprn-bench: close %s: %s\n", dev,
			strerror(errno));
		ret = -1;
	}
	return ret ? -1 : 0;
}

/*
 * The sink end of a pipeline: the simulator's job code, hashing what
 * arrives, as rdpprn-sim does with a job's writes. Runs in a child.
 */
static void __noreturn rdpprn_bench_sink(int fd)
{
	struct rdpprn_jobs t;
	struct rdpprn_job *job;
	FILE *null = fopen("/dev/null", "w");
	u8 *buf = rdpprn_xmalloc(rdpprn_bench_block);
	ssize_t n;

	if (!null)
		_exit(1);
	rdpprn_jobs_init(&t, null, NULL, 1);
	job = rdpprn_job_new(&t, sizeof(*job), 1, 0);
	while ((n = read(fd, buf, rdpprn_bench_block)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		rdpprn_job_take(job, buf, (u32)n);
	}
	rdpprn_job_end(&t, job, "closed");
	_exit(0);
}

/* One pipeline: fork a sink, write @size bytes into it, wait for it. */
static int rdpprn_bench_pipeline(u64 size)
{
	int p[2], status, ret;
	pid_t pid;

	if (pipe(p))
		rdpprn_die(1, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		rdpprn_die(1, "fork: %s", strerror(errno));
	if (!pid) {
		close(p[1]);
		rdpprn_bench_sink(p[0]);
	}
	close(p[0]);
	ret = rdpprn_bench_send(p[1], size);
	close(p[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = -EIO;
	return ret;
}

static void rdpprn_bench_result(const char *op, unsigned int jobs, u64 size,
				u64 t0, u64 b0)
{
	u64 ns = rdpprn_bench_now() - t0;
	u64 busy = rdpprn_bench_busy() - b0;
	char hex[RDPPRN_SHA256_HEX];
	struct rdpprn_sha256 sha;
	u64 off = 0;

	rdpprn_sha256_init(&sha);
	while (off < size) {
		size_t len;
		const u8 *p = rdpprn_bench_piece(off, size - off, &len);

		rdpprn_sha256_update(&sha, p, len);
		off += len;
	}
	rdpprn_sha256_hex(&sha, hex);
	printf("RESULT op=%s jobs=%u bytes=%llu ns=%llu busy_ns=%llu sha256=%s\n",
	       op, jobs, (unsigned long long)((u64)jobs * size),
	       (unsigned long long)ns, (unsigned long long)busy, hex);
	fflush(stdout);
}

/* One job on each of @devs at once: a child each, started together. */
static int rdpprn_bench_parallel(u64 size, char **devs, int n)
{
	int go[2], i, status, failed = 0;
	u64 t0, b0;
	char c;

	if (pipe(go))
		rdpprn_die(1, "pipe: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			rdpprn_die(1, "fork: %s", strerror(errno));
		if (pid)
			continue;
		close(go[1]);
		/* the parent closing its end is the starting shot */
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(rdpprn_bench_job(devs[i], size) ? 1 : 0);
	}
	close(go[0]);
	t0 = rdpprn_bench_now();
	b0 = rdpprn_bench_busy();
	close(go[1]);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	if (failed) {
		fprintf(stderr, "rdpprn-bench: %d of %d jobs failed\n", failed,
			n);
		return 1;
	}
	rdpprn_bench_result("parallel", (unsigned int)n, size, t0, b0);
	return 0;
}

/* Printer nodes in /dev: rdpprn followed by digits. */
static unsigned int rdpprn_bench_count_nodes(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		rdpprn_die(1, "/dev: %s", strerror(errno));
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "rdpprn", 6) &&
		    e->d_name[6] >= '0' && e->d_name[6] <= '9')
			n++;
	closedir(d);
	return n;
}

/*
 * Start every command of @file at once and time until @want printer
 * nodes exist. The commands are left running (they are the sessions).
 */
static int rdpprn_bench_nodes(unsigned int want, const char *file)
{
	const struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };
	int before = (int)rdpprn_bench_count_nodes(), n = 0;
	u64 t0, b0, deadline;
	char line[512];
	FILE *f = fopen(file, "r");

	if (!f)
		rdpprn_die(1, "%s: %s", file, strerror(errno));
	t0 = rdpprn_bench_now();
	b0 = rdpprn_bench_busy();
	deadline = t0 + 600 * 1000000000ull;
	while (fgets(line, sizeof(line), f)) {
		pid_t pid;

		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		pid = fork();
		if (pid < 0)
			rdpprn_die(1, "fork: %s", strerror(errno));
		if (!pid) {
			execl("/bin/sh", "sh", "-c", line, (char *)NULL);
			_exit(127);
		}
	}
	fclose(f);
	/* signed: nodes of an earlier session may still be going away */
	while ((n = (int)rdpprn_bench_count_nodes() - before) < (int)want) {
		if (rdpprn_bench_now() > deadline) {
			fprintf(stderr, "rdpprn-bench: %d of %u nodes after 600 s\n",
				n, want);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	printf("RESULT op=nodes jobs=%d bytes=0 ns=%llu busy_ns=%llu sha256=-\n",
	       n, (unsigned long long)(rdpprn_bench_now() - t0),
	       (unsigned long long)(rdpprn_bench_busy() - b0));
	fflush(stdout);
	return 0;
}

static u64 rdpprn_bench_size(const char *s)
{
	u64 v;

	if (rdpprn_parse_size(s, &v) || !v)
		rdpprn_die(1, "bad size %s", s);
	return v;
}

static unsigned int rdpprn_bench_count(const char *s)
{
	u32 v;

	if (rdpprn_parse_u32(s, &v) || !v)
		rdpprn_die(1, "bad count %s", s);
	return v;
}

/* @jobs jobs of @size bytes in a row, on @dev or (NULL) through pipes. */
static int rdpprn_bench_series(const char *op, const char *dev,
			       unsigned int jobs, u64 size)
{
	u64 t0 = rdpprn_bench_now(), b0 = rdpprn_bench_busy();
	unsigned int i;

	for (i = 0; i < jobs; i++) {
		if (dev ? rdpprn_bench_job(dev, size) :
			  rdpprn_bench_pipeline(size)) {
			fprintf(stderr, "rdpprn-bench: %s: job %u of %u failed\n",
				op, i + 1, jobs);
			return 1;
		}
	}
	rdpprn_bench_result(op, jobs, size, t0, b0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	int opt;

	rdpprn_log_init("rdpprn-bench", RDPPRN_LOG_STDERR, LOG_INFO);
	while ((opt = getopt(argc, argv, "+b:h")) != -1) {
		switch (opt) {
		case 'b':
			rdpprn_bench_block = (size_t)rdpprn_bench_size(optarg);
			break;
		case 'h':
			fputs(rdpprn_bench_usage, stdout);
			return 0;
		default:
			fputs(rdpprn_bench_usage, stderr);
			return 2;
		}
	}
	argv += optind;
	argc -= optind;
	if (argc < 2) {
		fputs(rdpprn_bench_usage, stderr);
		return 2;
	}
	rdpprn_bench_pattern();
	cmd = argv[0];
	if (!strcmp(cmd, "write") && argc == 3)
		return rdpprn_bench_series("write", argv[1], 1,
					   rdpprn_bench_size(argv[2]));
	if (!strcmp(cmd, "pipe") && argc == 2)
		return rdpprn_bench_series("pipe", NULL, 1,
					   rdpprn_bench_size(argv[1]));
	if (!strcmp(cmd, "jobs") && argc == 4)
		return rdpprn_bench_series("jobs", argv[1],
					   rdpprn_bench_count(argv[2]),
					   rdpprn_bench_size(argv[3]));
	if (!strcmp(cmd, "pipes") && argc == 3)
		return rdpprn_bench_series("pipes", NULL,
					   rdpprn_bench_count(argv[1]),
					   rdpprn_bench_size(argv[2]));
	if (!strcmp(cmd, "parallel") && argc >= 3)
		return rdpprn_bench_parallel(rdpprn_bench_size(argv[1]),
					     argv + 2, argc - 2);
	if (!strcmp(cmd, "nodes") && argc == 3)
		return rdpprn_bench_nodes(rdpprn_bench_count(argv[1]),
					  argv[2]);
	fputs(rdpprn_bench_usage, stderr);
	return 2;
}
