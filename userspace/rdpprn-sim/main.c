// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-sim: command line, transport and event loop.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "rdpprn_stream.h"
#include "sim.h"

#define SIM_LINGER_MS		2000
#define SIM_CHILD_WAIT_MS	10000
#define SIM_DRIVE_ID		1000

static const char sim_usage[] =
"usage: rdpprn-sim (--connect PATH | --exec CMD) [OPTIONS]\n"
"\n"
"Plays an RDP server process and the RDP client behind it against\n"
"rdpprnd: SESSION_OPEN, the client side of the rdpdr handshake, a device\n"
"list announce, then answers the print jobs of the announced printers.\n"
"\n"
"Transport:\n"
"  --connect PATH          rdpprnd --listen PATH\n"
"  --exec CMD              run CMD (e.g. 'rdpprnd --stdio') with a\n"
"                          socketpair as its stdin and stdout\n"
"Session:\n"
"  --uid N --gid N         owner of the device nodes (default 0 0)\n"
"  --client-name NAME      client name (default rdpprn-sim)\n"
"  --client-address ADDR   the address an RDP server would have seen\n"
"                          (SESSION_OPEN extension version 2)\n"
"  --printer SPEC          a printer to announce (repeatable): a comma list\n"
"                          of name=..,driver=..,id=N,dos=PRNn,pnp=..,\n"
"                          flags=N,config=FILE and the words default, xps,\n"
"                          network, nested, ascii, freerdp2 (FreeRDP 2.11's\n"
"                          string lengths) ('\\' escapes , and =);\n"
"                          id defaults to the printer's position (1..)\n"
"  --printers FILE         one SPEC a line ('#' comments)\n"
"  --announce-hex FILE     announce this PDU (.hex vector) instead\n"
"  --client-vectors DIR    send the shared vectors efs/e02, e03, e06 as\n"
"                          the client's handshake PDUs\n"
"  --provider              be an RDP server that keeps the channel (device\n"
"                          provider, like xrdp): SESSION_OPEN with the\n"
"                          provider flag, no handshake, the announce as\n"
"                          soon as SESSION_INFO arrives\n"
"  --provider-drive[=ID]   with --provider, announce a drive too (DeviceId\n"
"                          ID, default 1000) that rdpprnd must not answer\n"
"  --minor N               client VersionMinor (default 0x000C)\n"
"  --ext-pdu N             client extendedPDU (default 0x7)\n"
"  --freerdp-quirks        like FreeRDP: ioCode1 = AND of both masks,\n"
"                          PRINTER caps only if the server sent them,\n"
"                          User Logged On ignored unless the server's\n"
"                          extendedPDU has 0x4\n"
"  --freerdp-queue[=MS]    queue I/O requests like FreeRDP's client\n"
"                          printer: a LIFO list per printer, one request\n"
"                          taken per wake-up of its thread (requests that\n"
"                          arrive together share one, the older ones wait\n"
"                          for later wake-ups), which comes MS ms after the\n"
"                          first of them (default 0: once the frames\n"
"                          already received are handled); a create while\n"
"                          the printer has a job gets FileId 0 and\n"
"                          PRINT_QUEUE_FULL; Offset ignored; QUEUE lines\n"
"  --cache-dir DIR         keep printer cache data (add, update, delete,\n"
"                          rename from the server) in DIR per printer\n"
"                          name, and announce a printer without config=\n"
"                          with what is kept for its name\n"
"Jobs:\n"
"  --out DIR               store each job as DIR/job-<DeviceId>-<n>.bin\n"
"                          (else only hash it)\n"
"  --jobs N                exit after N jobs ended\n"
"  --exit-ready            end the session (CLOSE) once READY\n"
"  --timeout S             exit after S seconds\n"
"  -v, --verbose           a WRITE line per write request\n"
"Faults:\n"
"  --create-status ST      answer creates with NTSTATUS ST (name such as\n"
"                          PRINT_QUEUE_FULL, or a number)\n"
"  --write-status ST       answer writes with ST ...\n"
"  --fault-after N         ... once a job had N successful writes\n"
"  --close-status ST       answer closes with ST\n"
"  --short-write N         take at most N bytes of a write\n"
"  --zero-write[=N]        answer the first N (1) writes of a job with\n"
"                          Length 0\n"
"  --delay-ms N            answer N ms after the request arrived (a slow\n"
"                          link; the simulator's own work counts in N)\n"
"  --silent[=LIST]         never answer create,write,close (default all)\n"
"  --garbage               send malformed PDUs once READY\n"
"  --truncated             send a truncated frame once READY and stop\n"
"                          sending (rdpprnd must end the session)\n"
"  --remove-after-bytes N  once a job got N bytes, send a Client Device\n"
"                          List Remove for its printer\n"
"  --disconnect-after-bytes N  once a job got N bytes, drop the\n"
"                          connection without a word\n"
"\n"
"Output lines: SESSION, ANNOUNCE, CAPS, LOGGEDON, DEVICE dev= type=\n"
"status= name=, READY session= accepted= refused=, CREATE, JOB dev= file=\n"
"bytes= sha256= status= writes=, REMOVED, CLOSED reason=, VIOLATION,\n"
"DAEMON status= (--exec), QUEUE dev= irps= max_outstanding= queue_full=\n"
"reordered= misplaced= stranded= (--freerdp-queue, at the end), EXIT\n"
"reason= jobs= bytes= violations=.\n"
"Exit status: 0 READY and ended by the simulator (SIGTERM, --jobs,\n"
"--timeout), 1 rdpprnd ended the session or READY was never reached,\n"
"2 usage, 3 protocol violations by rdpprnd.\n";

enum {
	OPT_CONNECT = 256, OPT_EXEC, OPT_UID, OPT_GID, OPT_CNAME, OPT_PRINTER,
	OPT_PRINTERS, OPT_HEX, OPT_VECTORS, OPT_MINOR, OPT_EXT, OPT_FREERDP,
	OPT_OUT, OPT_JOBS, OPT_TIMEOUT, OPT_CREATE_ST, OPT_WRITE_ST,
	OPT_FAULT_AFTER, OPT_CLOSE_ST, OPT_SHORT, OPT_ZERO, OPT_DELAY,
	OPT_SILENT, OPT_GARBAGE, OPT_TRUNCATED, OPT_REMOVE, OPT_DISCONNECT,
	OPT_EXIT_READY, OPT_FQ, OPT_PROVIDER, OPT_DRIVE, OPT_CACHE, OPT_CADDR,
};

static const struct option sim_opts_long[] = {
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "exec", required_argument, NULL, OPT_EXEC },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "gid", required_argument, NULL, OPT_GID },
	{ "client-name", required_argument, NULL, OPT_CNAME },
	{ "client-address", required_argument, NULL, OPT_CADDR },
	{ "printer", required_argument, NULL, OPT_PRINTER },
	{ "printers", required_argument, NULL, OPT_PRINTERS },
	{ "announce-hex", required_argument, NULL, OPT_HEX },
	{ "client-vectors", required_argument, NULL, OPT_VECTORS },
	{ "provider", no_argument, NULL, OPT_PROVIDER },
	{ "provider-drive", optional_argument, NULL, OPT_DRIVE },
	{ "minor", required_argument, NULL, OPT_MINOR },
	{ "ext-pdu", required_argument, NULL, OPT_EXT },
	{ "freerdp-quirks", no_argument, NULL, OPT_FREERDP },
	{ "freerdp-queue", optional_argument, NULL, OPT_FQ },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "cache-dir", required_argument, NULL, OPT_CACHE },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "exit-ready", no_argument, NULL, OPT_EXIT_READY },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "create-status", required_argument, NULL, OPT_CREATE_ST },
	{ "write-status", required_argument, NULL, OPT_WRITE_ST },
	{ "fault-after", required_argument, NULL, OPT_FAULT_AFTER },
	{ "close-status", required_argument, NULL, OPT_CLOSE_ST },
	{ "short-write", required_argument, NULL, OPT_SHORT },
	{ "zero-write", optional_argument, NULL, OPT_ZERO },
	{ "delay-ms", required_argument, NULL, OPT_DELAY },
	{ "silent", optional_argument, NULL, OPT_SILENT },
	{ "garbage", no_argument, NULL, OPT_GARBAGE },
	{ "truncated", no_argument, NULL, OPT_TRUNCATED },
	{ "remove-after-bytes", required_argument, NULL, OPT_REMOVE },
	{ "disconnect-after-bytes", required_argument, NULL, OPT_DISCONNECT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/**
 * struct sim_io - the transport
 * @fd: connection to rdpprnd
 * @child: rdpprnd run by --exec, or 0
 * @sig: signalfd of SIGTERM and SIGINT
 * @rx: frames received
 * @outq: bytes to send
 */
struct sim_io {
	int fd;
	pid_t child;
	int sig;
	struct rdpprn_rx rx;
	struct rdpprn_outq outq;
};

static void __noreturn sim_bad(const char *opt, const char *arg)
{
	fprintf(stderr, "rdpprn-sim: bad %s%s%s (see --help)\n", opt,
		arg ? " " : "", arg ? arg : "");
	exit(2);
}

static u64 sim_num(const char *opt, const char *arg)
{
	u64 v;

	if (rdpprn_parse_u64(arg, &v))
		sim_bad(opt, arg);
	return v;
}

static u32 sim_status_arg(const char *opt, const char *arg)
{
	u32 v;

	if (rdpprn_parse_ntstatus(arg, &v))
		sim_bad(opt, arg);
	return v;
}

static unsigned int sim_silent_arg(const char *arg)
{
	static const char *const what[] = { "create", "write", "close" };
	unsigned int m = 0, i;
	char *copy, *tok, *save = NULL;

	if (!arg || !strcmp(arg, "all"))
		return SIM_SILENT_CREATE | SIM_SILENT_WRITE | SIM_SILENT_CLOSE;
	copy = rdpprn_xstrdup(arg);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(what); i++)
			if (!strcmp(tok, what[i]))
				break;
		if (i == ARRAY_SIZE(what))
			sim_bad("--silent", arg);
		m |= 1U << i;
	}
	free(copy);
	return m;
}

static void sim_add_printer(struct sim_opts *o, const char *spec)
{
	o->printers = rdpprn_xrealloc(o->printers, (o->n_printers + 1) *
				      sizeof(*o->printers));
	if (sim_printer_parse(spec, o->n_printers + 1,
			      &o->printers[o->n_printers]))
		sim_bad("--printer", spec);
	o->n_printers++;
}

/* Options of the session and the client */
static bool sim_opt_session(struct sim_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_UID:
		o->uid = (u32)sim_num("--uid", arg);
		break;
	case OPT_GID:
		o->gid = (u32)sim_num("--gid", arg);
		break;
	case OPT_CNAME:
		o->client_name = arg;
		break;
	case OPT_CADDR:
		o->client_addr = arg;
		break;
	case OPT_PRINTER:
		sim_add_printer(o, arg);
		break;
	case OPT_PRINTERS:
		if (sim_printers_load(o, arg))
			sim_bad("--printers", arg);
		break;
	case OPT_HEX:
		o->announce_hex = arg;
		break;
	case OPT_VECTORS:
		o->client_vectors = arg;
		break;
	case OPT_PROVIDER:
		o->provider = true;
		break;
	case OPT_DRIVE:
		o->drive = true;
		o->drive_id = arg ? (u32)sim_num("--provider-drive", arg) :
			      SIM_DRIVE_ID;
		break;
	case OPT_MINOR:
		o->minor = (u16)sim_num("--minor", arg);
		break;
	case OPT_EXT:
		o->ext_pdu = (u32)sim_num("--ext-pdu", arg);
		break;
	case OPT_FREERDP:
		o->freerdp = true;
		break;
	case OPT_FQ:
		o->fq = true;
		o->fq_latency_ms = arg ? (unsigned int)sim_num("--freerdp-queue",
							       arg) : 0;
		break;
	case OPT_OUT:
		o->out_dir = arg;
		break;
	case OPT_CACHE:
		o->cache_dir = arg;
		break;
	case OPT_JOBS:
		o->max_jobs = (unsigned int)sim_num("--jobs", arg);
		break;
	case OPT_EXIT_READY:
		o->exit_ready = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	default:
		return false;
	}
	return true;
}

/* Fault injection */
static bool sim_opt_fault(struct sim_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_CREATE_ST:
		o->create_fault = true;
		o->create_status = sim_status_arg("--create-status", arg);
		break;
	case OPT_WRITE_ST:
		o->write_fault = true;
		o->write_status = sim_status_arg("--write-status", arg);
		break;
	case OPT_FAULT_AFTER:
		o->fault_after = sim_num("--fault-after", arg);
		break;
	case OPT_CLOSE_ST:
		o->close_fault = true;
		o->close_status = sim_status_arg("--close-status", arg);
		break;
	case OPT_SHORT:
		o->short_write = (u32)sim_num("--short-write", arg);
		break;
	case OPT_ZERO:
		o->zero_writes = arg ? (u32)sim_num("--zero-write", arg) : 1;
		break;
	case OPT_DELAY:
		o->delay_ms = (unsigned int)sim_num("--delay-ms", arg);
		break;
	case OPT_SILENT:
		o->silent = sim_silent_arg(arg);
		break;
	case OPT_GARBAGE:
		o->garbage = true;
		break;
	case OPT_TRUNCATED:
		o->truncated = true;
		break;
	case OPT_REMOVE:
		o->remove_set = true;
		o->remove_after = sim_num("--remove-after-bytes", arg);
		break;
	case OPT_DISCONNECT:
		o->disconnect_set = true;
		o->disconnect_after = sim_num("--disconnect-after-bytes", arg);
		break;
	default:
		return false;
	}
	return true;
}

static int sim_write_cb(void *ctx, const void *data, size_t len)
{
	struct sim_io *io = ctx;

	return rdpprn_outq_raw(&io->outq, data, len);
}

/* Connect @io, or leave it as it was (no descriptor, no child). */
static int sim_connect(const char *path, const char *cmd, struct sim_io *io)
{
	int ret;

	if (path)
		io->fd = rdpprn_unix_connect(path);
	else
		io->fd = rdpprn_spawn(cmd, &io->child);
	if (io->fd < 0) {
		ret = io->fd;
		goto err;
	}
	ret = rdpprn_set_nonblock(io->fd);
	if (ret)
		goto err_close;
	return 0;

err_close:
	close(io->fd);
	if (io->child) {
		/* SIGTERM is blocked in the child too (sim_signals()) */
		kill(io->child, SIGKILL);
		waitpid(io->child, NULL, 0);
		io->child = 0;
	}
err:
	io->fd = -1;
	fprintf(stderr, "rdpprn-sim: %s: %s\n", path ? path : cmd,
		strerror(-ret));
	return ret;
}

static int sim_signals(void)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Read and handle what rdpprnd sent; false at end of file or error. */
static bool sim_receive(struct sim *s, struct sim_io *io)
{
	struct rdpprn_frame f;
	const char *why;
	ssize_t n;
	int ret;

	n = rdpprn_rx_read(&io->rx, io->fd);
	if (n == -EAGAIN)
		return true;
	if (n <= 0) {
		/*
		 * ECONNRESET: rdpprnd died (SIGKILL) with our answers still
		 * unread in its socket; that is a close too, not our error.
		 */
		if (!s->stop) {
			s->peer_closed = true;
			s->reason = n && n != -ECONNRESET ? "read-error" :
							    "rdpprnd-closed";
		}
		return false;
	}
	while ((ret = rdpprn_rx_next(&io->rx, &f, &why)) > 0) {
		sim_frame(s, &f);
		if (s->abrupt)
			return true;
	}
	if (ret < 0)
		sim_violation(s, "malformed frame from rdpprnd: %s", why);
	return ret >= 0;
}

/* Run until the session ends; returns with @s->stop set. */
static void sim_loop(struct sim *s, struct sim_io *io, unsigned int timeout)
{
	u64 deadline = timeout ? rdpprn_now_ms() + timeout * 1000ULL : 0;
	struct signalfd_siginfo si;
	bool shut = false;

	while (!s->stop) {
		struct pollfd pfd[2] = {
			{ .fd = io->fd, .events = POLLIN },
			{ .fd = io->sig, .events = POLLIN },
		};
		int wait, err;

		/* the printer threads of --freerdp-queue */
		wait = sim_queue_run(s, rdpprn_now_ms());
		if (s->stop)
			break;
		err = rdpprn_outq_flush(&io->outq, io->fd);
		if (err) {
			/* a CLOSE it sent before it went may say why */
			sim_receive(s, io);
			s->peer_closed = true;
			/* EPIPE, ECONNRESET: rdpprnd is gone, as at EOF */
			if (!s->stop)
				s->reason = err == -EPIPE ||
					    err == -ECONNRESET ?
					    "rdpprnd-closed" : "write-error";
			s->stop = true;
			break;
		}
		if (s->shut_wr && !shut && rdpprn_outq_empty(&io->outq)) {
			shutdown(io->fd, SHUT_WR);
			shut = true;
		}
		if (!rdpprn_outq_empty(&io->outq))
			pfd[0].events |= POLLOUT;
		if (deadline) {
			u64 now = rdpprn_now_ms();

			if (now >= deadline) {
				s->stop = true;
				s->reason = "timeout";
				break;
			}
			if (wait < 0 || deadline - now < (u64)wait)
				wait = (int)(deadline - now);
		}
		if (poll(pfd, 2, wait) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents && read(io->sig, &si, sizeof(si)) > 0) {
			s->stop = true;
			s->reason = "signal";
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR) &&
		    !sim_receive(s, io))
			s->stop = true;
	}
}

/* Say goodbye (CLOSE), then read what rdpprnd still sends, briefly. */
static void sim_linger(struct sim *s, struct sim_io *io)
{
	u64 end = rdpprn_now_ms() + SIM_LINGER_MS;

	if (!s->peer_closed) {
		rdpprn_outq_frame(&io->outq, RDPPRN_FRAME_CLOSE, NULL, 0,
				  s->reason, strlen(s->reason));
	}
	while (rdpprn_now_ms() < end) {
		struct pollfd pfd = { .fd = io->fd, .events = POLLIN };

		if (rdpprn_outq_flush(&io->outq, io->fd))
			break;
		if (rdpprn_outq_empty(&io->outq))
			shutdown(io->fd, SHUT_WR);
		else
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, (int)(end - rdpprn_now_ms())) <= 0)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR) &&
		    !sim_receive(s, io))
			break;
	}
}

static void sim_reap(struct sim *s, pid_t child)
{
	u64 end = rdpprn_now_ms() + SIM_CHILD_WAIT_MS;
	int status;
	pid_t r;

	while ((r = waitpid(child, &status, WNOHANG)) == 0 &&
	       rdpprn_now_ms() < end)
		usleep(20000);
	if (!r) {
		kill(child, SIGTERM);
		r = waitpid(child, &status, 0);
		fprintf(s->out, "DAEMON killed (did not exit)\n");
	}
	if (r == child && WIFEXITED(status))
		fprintf(s->out, "DAEMON status=%d\n", WEXITSTATUS(status));
	else if (r == child && WIFSIGNALED(status))
		fprintf(s->out, "DAEMON signal=%d\n", WTERMSIG(status));
}

static void sim_parse(struct sim_opts *o, int argc, char **argv,
		      const char **path, const char **cmd,
		      unsigned int *timeout)
{
	int c;

	while ((c = getopt_long(argc, argv, "vh", sim_opts_long, NULL)) != -1) {
		if (sim_opt_session(o, c, optarg) || sim_opt_fault(o, c, optarg))
			continue;
		switch (c) {
		case OPT_CONNECT:
			*path = optarg;
			break;
		case OPT_EXEC:
			*cmd = optarg;
			break;
		case OPT_TIMEOUT:
			*timeout = (unsigned int)sim_num("--timeout", optarg);
			break;
		case 'h':
			fputs(sim_usage, stdout);
			exit(0);
		default:
			sim_bad("option", NULL);
		}
	}
	if (optind != argc || !*path == !*cmd)
		sim_bad("usage: give --connect PATH or --exec CMD", NULL);
	if (o->announce_hex && (o->n_printers || o->drive))
		sim_bad("usage: --announce-hex excludes --printer and --provider-drive",
			NULL);
	if (o->drive && !o->provider)
		sim_bad("usage: --provider-drive needs --provider", NULL);
	if (o->provider && o->client_vectors)
		sim_bad("usage: --provider runs no handshake: no --client-vectors",
			NULL);
	if (o->out_dir && mkdir(o->out_dir, 0755) && errno != EEXIST)
		sim_bad("--out", o->out_dir);
	if (o->cache_dir && ((mkdir(o->cache_dir, 0700) && errno != EEXIST) ||
			     sim_cache_load(o)))
		sim_bad("--cache-dir", o->cache_dir);
}

/*
 * One session over @io; closes it (and reaps rdpprnd, with --exec).
 * Returns the exit status.
 */
static int sim_run(const struct sim_opts *o, struct sim_io *io,
		   unsigned int timeout)
{
	struct sim s;
	int ret;

	sim_init(&s, o, stdout, sim_write_cb, io);
	ret = sim_start(&s);
	if (ret) {
		fprintf(stderr, "rdpprn-sim: SESSION_OPEN: %s\n",
			strerror(-ret));
	} else {
		sim_loop(&s, io, timeout);
		if (!s.abrupt)
			sim_linger(&s, io);
	}
	close(io->fd);
	io->fd = -1;
	if (io->child)
		sim_reap(&s, io->child);
	ret = ret ? 2 : sim_finish(&s, "signal");
	sim_free(&s);
	return ret;
}

int main(int argc, char **argv)
{
	struct sim_opts o = {
		.client_name = "rdpprn-sim",
		.minor = RDPDR_VERSION_MINOR_RDP6X,
		.ext_pdu = RDPDR_DEVICE_REMOVE_PDUS |
			   RDPDR_CLIENT_DISPLAY_NAME_PDU |
			   RDPDR_USER_LOGGEDON_PDU,
	};
	const char *path = NULL, *cmd = NULL;
	struct sim_io io = { .fd = -1 };
	unsigned int timeout = 0, i;
	int ret = 1;

	rdpprn_log_init("rdpprn-sim", RDPPRN_LOG_STDERR, LOG_INFO);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sim_parse(&o, argc, argv, &path, &cmd, &timeout);
	rdpprn_rx_init(&io.rx);
	rdpprn_outq_init(&io.outq, 0);
	io.sig = sim_signals();
	if (io.sig < 0) {
		fprintf(stderr, "rdpprn-sim: signalfd: %s\n", strerror(errno));
		goto out_free;
	}
	if (sim_connect(path, cmd, &io))
		goto out_sig;
	ret = sim_run(&o, &io, timeout);
out_sig:
	close(io.sig);
out_free:
	rdpprn_rx_free(&io.rx);
	rdpprn_outq_free(&io.outq);
	for (i = 0; i < o.n_printers; i++)
		sim_printer_free(&o.printers[i]);
	free(o.printers);
	return ret;
}
