// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-cuse: the baseline of benchmark 2 (issue 11, Documentation/
 * performance.rst), not a product. It does what rdpprnd and rdpprn.ko do
 * together for one printer, but the way one would without a kernel
 * module: a helper that runs the rdpdr channel over the same framing
 * (rdpprnd --listen's) and makes the printer a CUSE character device of
 * its own. The benchmark times the same jobs through both. See
 * rdpprn_cuse.h for how it is built.
 *
 * main.c: the command line, the listener (one connection), the threads
 * and the end.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "rdpprn_cuse.h"

static const char rdpprn_cuse_usage[] =
"usage: rdpprn-cuse --listen PATH [OPTIONS]\n"
"\n"
"Benchmark baseline (not a product): rdpprnd's job for one printer, with\n"
"the printer a CUSE device of the helper instead of rdpprn.ko's. Accepts\n"
"one connection of an RDP server side (rdpprn-sim --connect PATH), runs\n"
"the rdpdr handshake, makes the first printer announced /dev/NAME and\n"
"prints \"READY dev=/dev/NAME\" on stdout; open and close of it are the\n"
"client's create and close requests.\n"
"\n"
"Writes are buffered as rdpprn.ko buffers them, so that the benchmark\n"
"compares the same job: write() copies into a ring of --ring-size bytes\n"
"and returns (it waits only while the ring is full); the ring is sent in\n"
"write requests of --chunk-size bytes, one outstanding (the module's\n"
"window of 1), a partial one only at the end of the job; the last\n"
"close() returns once the client acknowledged every byte and the close.\n"
"Unlike the module's, close() cannot report a failed job (CUSE sends no\n"
"flush): it is logged.\n"
"\n"
"  -l, --listen PATH     the Unix socket to accept the connection on\n"
"  -n, --name NAME       device name (default " RDPPRN_CUSE_DEFAULT_NAME ")\n"
"  -c, --chunk-size N    WriteData per write request at most (K, M\n"
"                        suffixes; default 61440, the module's)\n"
"  -r, --ring-size N     bytes buffered per job (K, M suffixes; default\n"
"                        256K, the module's ring_size)\n"
"  -f, --foreground      do not detach (stdout and stderr are kept either\n"
"                        way)\n"
"  -v, --verbose         log debug lines too\n"
"  -h, --help            this text\n"
"\n"
"Needs /dev/cuse (modprobe cuse). Ends with the session: exit 0 when the\n"
"RDP server side closed it or on SIGTERM/SIGINT (a CLOSE frame is sent),\n"
"1 on an error.\n";

static const struct option rdpprn_cuse_opts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "name", required_argument, NULL, 'n' },
	{ "chunk-size", required_argument, NULL, 'c' },
	{ "ring-size", required_argument, NULL, 'r' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void __noreturn rdpprn_cuse_bad_usage(const char *msg)
{
	fprintf(stderr, "rdpprn-cuse: %s\n\n%s", msg, rdpprn_cuse_usage);
	exit(2);
}

/* SIGUSR1 only interrupts the CUSE thread's read() (dev.c). */
static void rdpprn_cuse_nop(int sig)
{
}

/*
 * Block the signals that end us (the reader takes them from the returned
 * signalfd), in every thread to come.
 */
static int rdpprn_cuse_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rdpprn_cuse_nop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: the read() must return */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* The one connection; -EINTR when a signal came first. */
static int rdpprn_cuse_accept(int lfd, int sigfd)
{
	struct pollfd pfd[2] = {
		{ .fd = lfd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	int fd;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			return -EINTR;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			return -errno;
	}
}

static void rdpprn_cuse_args(int argc, char **argv, struct rdpprn_cuse *c,
			     const char **path, bool *foreground, int *level)
{
	u64 v;
	int o;

	while ((o = getopt_long(argc, argv, "l:n:c:r:fvh", rdpprn_cuse_opts,
				NULL)) != -1) {
		switch (o) {
		case 'l':
			*path = optarg;
			break;
		case 'n':
			if (!optarg[0] || strchr(optarg, '/') ||
			    strlen(optarg) > 64)
				rdpprn_cuse_bad_usage("--name wants a device name without '/'");
			c->name = optarg;
			break;
		case 'c':
			if (rdpprn_parse_size(optarg, &v) || !v ||
			    v > RDPPRN_CUSE_MAX_CHUNK)
				rdpprn_cuse_bad_usage("--chunk-size wants 1 to 1 MiB - 56");
			c->chunk_size = (u32)v;
			break;
		case 'r':
			if (rdpprn_parse_size(optarg, &v) || !v ||
			    v > RDPPRN_CUSE_MAX_RING)
				rdpprn_cuse_bad_usage("--ring-size wants 1 to 1 GiB");
			c->ring_size = (u32)v;
			break;
		case 'f':
			*foreground = true;
			break;
		case 'v':
			*level = LOG_DEBUG;
			break;
		case 'h':
			fputs(rdpprn_cuse_usage, stdout);
			exit(0);
		default:
			rdpprn_cuse_bad_usage("unknown option");
		}
	}
	if (optind != argc)
		rdpprn_cuse_bad_usage("unexpected argument");
	if (!*path)
		rdpprn_cuse_bad_usage("--listen PATH is required");
}

/* Run the session on @fd until it is over; the exit status. */
static int rdpprn_cuse_run(struct rdpprn_cuse *c)
{
	pthread_t reader;
	int ret;

	rdpprn_cuse_session_init(c);
	ret = pthread_create(&reader, NULL, rdpprn_cuse_reader, c);
	if (ret) {
		rdpprn_err("pthread_create: %s", strerror(ret));
		return 1;
	}
	pthread_mutex_lock(&c->lock);
	while (!c->over)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
	rdpprn_cuse_dev_stop(c);
	pthread_join(reader, NULL);
	rdpprnd_session_free(&c->s);
	rdpprnd_config_free(&c->cfg);
	rdpprn_rx_free(&c->rx);
	rdpprn_outq_free(&c->outq);
	return c->s.error ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct rdpprn_cuse c = {
		.name = RDPPRN_CUSE_DEFAULT_NAME,
		.chunk_size = RDPPRN_CUSE_DEFAULT_CHUNK,
		.ring_size = RDPPRN_CUSE_DEFAULT_RING,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
		.fd = -1,
	};
	const char *path = NULL;
	bool foreground = false;
	int level = LOG_INFO, lfd, status;

	rdpprn_cuse_args(argc, argv, &c, &path, &foreground, &level);
	rdpprn_log_init("rdpprn-cuse", RDPPRN_LOG_STDERR, level);
	c.pdu = rdpprn_xmalloc(RDPDR_WRITE_REQ_FIXED + c.chunk_size);
	c.ring = rdpprn_xmalloc(c.ring_size);
	c.parked_tail = &c.parked;
	c.sigfd = rdpprn_cuse_signals();
	if (c.sigfd < 0)
		rdpprn_die(1, "signalfd: %s", strerror(errno));
	lfd = rdpprn_unix_listen(path, 0600);
	if (lfd < 0)
		rdpprn_die(1, "%s: %s", path, strerror(-lfd));
	/* before any thread; stdout stays for READY, the cwd for @path */
	if (!foreground && daemon(1, 1))
		rdpprn_die(1, "daemon: %s", strerror(errno));
	rdpprn_notice("listening on %s, chunk size %u, ring size %u", path,
		      c.chunk_size, c.ring_size);
	c.fd = rdpprn_cuse_accept(lfd, c.sigfd);
	close(lfd);
	unlink(path);
	if (c.fd == -EINTR) {
		rdpprn_notice("stopped before a connection came");
		return 0;
	}
	if (c.fd < 0)
		rdpprn_die(1, "accept on %s: %s", path, strerror(-c.fd));
	status = rdpprn_cuse_run(&c);
	close(c.fd);
	close(c.sigfd);
	free(c.pdu);
	free(c.ring);
	return status;
}
