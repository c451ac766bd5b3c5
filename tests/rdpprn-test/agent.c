// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test agent: run the host's shell commands in the test VM, over a
 * virtio-serial port (the host side is tests/vm/guest-exec).
 *
 * One command at a time; normally one host connection per command. The
 * protocol, all integers little endian, is a stream of frames
 *
 *   u32 length of the payload | u8 type | payload (at most 64 KiB + 16)
 *
 * host -> guest:
 *   'E' EXEC   u64 id, u32 timeout in seconds (0: none), u32 flags (bit 0:
 *              stdin comes in 'I' frames, else it is /dev/null), then the
 *              command, run by "sh -c" in its own session
 *   'I' STDIN  bytes for the command's stdin; an empty one closes it
 * guest -> host:
 *   'S' START  u64 id: the command started (the host ignores anything
 *              before the START of its own id)
 *   'O' STDOUT bytes the command wrote to stdout
 *   'R' STDERR bytes the command wrote to stderr
 *   'X' EXIT   u64 id, u32 status: the exit code, 128 + signal, 124 when
 *              the timeout killed it, 127 when sh could not be run
 *
 * EXIT comes once the command exited and its output read: output written
 * later by processes it left in the background is not waited for. A host
 * that disconnects (or a new EXEC before the EXIT) kills the command's
 * process group. A frame that makes no sense ends reading until the host
 * disconnects.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rdpprn_sock.h"
#include "rdpprn_test.h"
#include "vport.h"

#define AG_HDR		5
#define AG_MAX_PAYLOAD	(64 * 1024 + 16)
#define AG_CHUNK	(32 * 1024)
/* Room always left in the output for a START and an EXIT */
#define AG_RESERVE	64
#define AG_OUT_CAP	(4 * (AG_HDR + AG_CHUNK) + AG_RESERVE)
#define AG_STDIN_FLAG	BIT(0)

struct agent {
	struct vport vp;
	u8 in[AG_HDR + AG_MAX_PAYLOAD];
	size_t in_len;
	bool discarding;	/* after a protocol error, until disconnect */
	u8 out[AG_OUT_CAP];
	size_t out_start, out_end;
	u8 stdin_buf[AG_MAX_PAYLOAD];
	size_t stdin_start, stdin_end;
	bool stdin_eof;

	/* The command; pid 0 when there is none */
	pid_t pid;
	int pidfd, fd_in, fd_out, fd_err;
	u64 id;
	unsigned long cmds;
	u64 t0, deadline;	/* rdpprn_now_ms(); deadline 0: none */
	unsigned int timeout;
	bool timed_out, exited;
	int status;
};

static size_t ag_out_space(struct agent *a)
{
	if (a->out_start == a->out_end) {
		a->out_start = 0;
		a->out_end = 0;
	} else if (a->out_start && AG_OUT_CAP - a->out_end < AG_HDR + AG_CHUNK + AG_RESERVE) {
		memmove(a->out, a->out + a->out_start, a->out_end - a->out_start);
		a->out_end -= a->out_start;
		a->out_start = 0;
	}
	return AG_OUT_CAP - a->out_end;
}

static void ag_frame(struct agent *a, u8 type, const void *data, size_t len)
{
	u8 *p;

	if (ag_out_space(a) < AG_HDR + len)
		return;		/* cannot happen: the reserve holds it */
	p = a->out + a->out_end;
	rdpprn_put_le32(p, len);
	p[4] = type;
	memcpy(p + AG_HDR, data, len);
	a->out_end += AG_HDR + len;
}

static void ag_put_id(u8 *p, u64 id)
{
	rdpprn_put_le32(p, (u32)id);
	rdpprn_put_le32(p + 4, (u32)(id >> 32));
}

static void ag_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forget the command: kill its process group first if it still runs */
static void ag_reap(struct agent *a, bool kill_it)
{
	if (!a->pid)
		return;
	if (kill_it && !a->exited) {
		kill(-a->pid, SIGKILL);
		waitpid(a->pid, NULL, 0);
	}
	ag_close(&a->pidfd);
	ag_close(&a->fd_in);
	ag_close(&a->fd_out);
	ag_close(&a->fd_err);
	a->pid = 0;
	a->stdin_start = 0;
	a->stdin_end = 0;
}

static void ag_log_cmd(struct agent *a, const char *cmd)
{
	char esc[200];

	rdpprn_escape(cmd, strlen(cmd), esc, sizeof(esc));
	fprintf(stderr, "agent %s: #%lu: %s\n", a->vp.name, a->cmds, esc);
}

static void ag_exec(struct agent *a, const u8 *p, size_t len)
{
	int in[2] = { -1, -1 }, out[2], err[2], flags;
	sigset_t none;
	char *cmd;
	u8 start[8];

	if (a->pid) {
		fprintf(stderr, "agent %s: #%lu: a new command: killed\n",
			a->vp.name, a->cmds);
		ag_reap(a, true);
	}
	a->id = (u64)rdpprn_get_le32(p) | (u64)rdpprn_get_le32(p + 4) << 32;
	a->timeout = rdpprn_get_le32(p + 8);
	flags = rdpprn_get_le32(p + 12);
	cmd = rdpprn_xzalloc(len - 16 + 1);
	memcpy(cmd, p + 16, len - 16);
	a->cmds++;
	ag_log_cmd(a, cmd);

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) ||
	    ((flags & AG_STDIN_FLAG) && pipe2(in, O_CLOEXEC)))
		rpt_die("agent: pipe: %s", strerror(errno));
	a->pid = fork();
	if (a->pid < 0)
		rpt_die("agent: fork: %s", strerror(errno));
	if (!a->pid) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setsid();
		if (in[0] < 0)
			in[0] = open("/dev/null", O_RDONLY);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		dprintf(2, "agent: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	free(cmd);
	close(out[1]);
	close(err[1]);
	if (in[0] >= 0)
		close(in[0]);
	a->fd_out = out[0];
	a->fd_err = err[0];
	a->fd_in = in[1];
	rdpprn_set_nonblock(a->fd_out);
	rdpprn_set_nonblock(a->fd_err);
	if (a->fd_in >= 0)
		rdpprn_set_nonblock(a->fd_in);
	a->pidfd = syscall(SYS_pidfd_open, a->pid, 0);
	if (a->pidfd < 0)
		rpt_die("agent: pidfd_open: %s", strerror(errno));
	a->stdin_eof = false;
	a->exited = false;
	a->timed_out = false;
	a->t0 = rdpprn_now_ms();
	a->deadline = a->timeout ? a->t0 + a->timeout * 1000ULL : 0;
	ag_put_id(start, a->id);
	ag_frame(a, 'S', start, sizeof(start));
}

/* Handle the complete frames at the start of the input */
static void ag_parse(struct agent *a)
{
	size_t len, used;
	u8 type;

	while (!a->discarding && a->in_len >= AG_HDR) {
		len = rdpprn_get_le32(a->in);
		type = a->in[4];
		if (len > AG_MAX_PAYLOAD || (type != 'E' && type != 'I') ||
		    (type == 'E' && len < 16)) {
			fprintf(stderr, "agent %s: bad frame (type 0x%02x, %zu bytes): %s\n",
				a->vp.name, type, len,
				"ignoring the host until it disconnects");
			a->discarding = true;
			a->in_len = 0;
			ag_reap(a, true);
			return;
		}
		if (a->in_len < AG_HDR + len)
			return;
		if (type == 'E') {
			ag_exec(a, a->in + AG_HDR, len);
		} else if (a->fd_in >= 0 && !a->stdin_eof) {
			/* Wait until the last one went into the pipe */
			if (a->stdin_end)
				return;
			memcpy(a->stdin_buf, a->in + AG_HDR, len);
			a->stdin_start = 0;
			a->stdin_end = len;
			if (!len) {
				a->stdin_eof = true;
				ag_close(&a->fd_in);
			}
		}
		used = AG_HDR + len;
		memmove(a->in, a->in + used, a->in_len - used);
		a->in_len -= used;
	}
}

/*
 * Read a pipe of the command into an output frame. Returns false once
 * the pipe is closed (EOF, or nothing left in it with @final).
 */
static bool ag_pipe(struct agent *a, int *fd, u8 type, bool final)
{
	size_t room = ag_out_space(a);
	ssize_t n;
	u8 *p;

	if (room < AG_HDR + AG_CHUNK + AG_RESERVE)
		return true;
	p = a->out + a->out_end;
	n = read(*fd, p + AG_HDR, AG_CHUNK);
	if (n > 0) {
		rdpprn_put_le32(p, n);
		p[4] = type;
		a->out_end += AG_HDR + n;
		return true;
	}
	if (n < 0 && (errno == EINTR || (errno == EAGAIN && !final)))
		return true;
	ag_close(fd);
	return false;
}

static void ag_stdin(struct agent *a)
{
	ssize_t n;

	if (a->stdin_start < a->stdin_end) {
		n = write(a->fd_in, a->stdin_buf + a->stdin_start,
			  a->stdin_end - a->stdin_start);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			/* The command does not read any more (EPIPE) */
			a->stdin_start = a->stdin_end;
		} else if (n > 0) {
			a->stdin_start += n;
		}
	}
	if (a->stdin_start == a->stdin_end) {
		a->stdin_start = 0;
		a->stdin_end = 0;
		if (a->stdin_eof)
			ag_close(&a->fd_in);
	}
}

/* The command exited: read what it left in its pipes, then EXIT */
static void ag_finish(struct agent *a)
{
	u8 ex[12];

	while (a->fd_out >= 0 && ag_out_space(a) >= AG_HDR + AG_CHUNK + AG_RESERVE)
		ag_pipe(a, &a->fd_out, 'O', true);
	while (a->fd_err >= 0 && ag_out_space(a) >= AG_HDR + AG_CHUNK + AG_RESERVE)
		ag_pipe(a, &a->fd_err, 'R', true);
	if (a->fd_out >= 0 || a->fd_err >= 0)
		return;		/* the rest once the host took some */
	ag_put_id(ex, a->id);
	rdpprn_put_le32(ex + 8, a->status);
	ag_frame(a, 'X', ex, sizeof(ex));
	fprintf(stderr, "agent %s: #%lu: exit %d after %llu ms\n", a->vp.name,
		a->cmds, a->status,
		(unsigned long long)(rdpprn_now_ms() - a->t0));
	ag_reap(a, false);
}

static void ag_waited(struct agent *a)
{
	int st;

	if (waitpid(a->pid, &st, WNOHANG) != a->pid)
		return;
	a->exited = true;
	ag_close(&a->pidfd);
	if (a->timed_out)
		a->status = 124;
	else if (WIFEXITED(st))
		a->status = WEXITSTATUS(st);
	else
		a->status = 128 + WTERMSIG(st);
}

static void ag_timeout(struct agent *a)
{
	char msg[80];
	int n;

	kill(-a->pid, SIGKILL);
	a->timed_out = true;
	a->deadline = 0;
	n = snprintf(msg, sizeof(msg), "agent: timed out after %u s, killed\n",
		     a->timeout);
	ag_frame(a, 'R', msg, n);
}

/* Serve one host connection, until the host disconnects */
static void ag_serve(struct agent *a)
{
	enum { P_PORT, P_SIG, P_PID, P_OUT, P_ERR, P_IN, P_N };
	struct pollfd pfd[P_N];
	int timeout, i;
	ssize_t n;

	for (;;) {
		if (a->pid && a->exited)
			ag_finish(a);
		ag_parse(a);

		for (i = 0; i < P_N; i++) {
			pfd[i].fd = -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		pfd[P_PORT].fd = a->vp.fd;
		pfd[P_PORT].events = (a->in_len < sizeof(a->in) ? POLLIN : 0) |
				     (a->out_end > a->out_start ? POLLOUT : 0);
		pfd[P_SIG].fd = a->vp.sigfd;
		if (a->pid && !a->exited) {
			pfd[P_PID].fd = a->pidfd;
			if (ag_out_space(a) >= AG_HDR + AG_CHUNK + AG_RESERVE) {
				pfd[P_OUT].fd = a->fd_out;
				pfd[P_ERR].fd = a->fd_err;
			}
			if (a->stdin_end) {
				pfd[P_IN].fd = a->fd_in;
				pfd[P_IN].events = POLLOUT;
			}
		}
		timeout = -1;
		if (a->pid && a->deadline) {
			u64 now = rdpprn_now_ms();

			timeout = now >= a->deadline ? 0 : (int)(a->deadline - now);
		}
		if (poll(pfd, P_N, timeout) < 0) {
			if (errno == EINTR)
				continue;
			rpt_die("agent: poll: %s", strerror(errno));
		}
		if (pfd[P_SIG].revents)
			vport_ack(&a->vp);
		/* An exited command is draining its output: nothing to kill. */
		if (a->pid && !a->exited && a->deadline &&
		    rdpprn_now_ms() >= a->deadline)
			ag_timeout(a);
		if (pfd[P_PORT].revents & POLLOUT) {
			n = write(a->vp.fd, a->out + a->out_start,
				  a->out_end - a->out_start);
			if (n > 0)
				a->out_start += n;
		}
		if (pfd[P_PORT].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (a->in_len == sizeof(a->in))
				n = 0;	/* a hangup and no room to look */
			else
				n = read(a->vp.fd, a->in + a->in_len,
					 sizeof(a->in) - a->in_len);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return;
			if (n > 0 && a->discarding)
				n = 0;
			if (n > 0)
				a->in_len += n;
		}
		if (pfd[P_OUT].revents)
			ag_pipe(a, &a->fd_out, 'O', false);
		if (pfd[P_ERR].revents)
			ag_pipe(a, &a->fd_err, 'R', false);
		if (pfd[P_IN].revents)
			ag_stdin(a);
		if (pfd[P_PID].revents)
			ag_waited(a);
	}
}

static const struct option agent_longopts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

int rpt_cmd_agent(int argc, char **argv)
{
	const char *port = NULL;
	struct agent *a;
	int c, err;

	while ((c = getopt_long(argc, argv, "p:", agent_longopts, NULL)) != -1) {
		if (c != 'p')
			rpt_die("agent: usage: agent --port NAME");
		port = optarg;
	}
	if (!port || optind != argc)
		rpt_die("agent: usage: agent --port NAME");
	setvbuf(stderr, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	a = rdpprn_xzalloc(sizeof(*a));
	a->pidfd = -1;
	a->fd_in = -1;
	a->fd_out = -1;
	a->fd_err = -1;
	err = vport_open(&a->vp, port, 10000);
	if (err)
		rpt_die("agent %s: cannot open the port: %s", port, strerror(-err));
	fprintf(stderr, "agent %s: ready on %s\n", port, a->vp.dev);

	for (;;) {
		err = vport_wait_host(&a->vp);
		if (err)
			rpt_die("agent %s: %s", port, strerror(-err));
		ag_serve(a);
		if (a->pid && !a->exited)
			fprintf(stderr, "agent %s: #%lu: the host disconnected: killed\n",
				port, a->cmds);
		ag_reap(a, true);
		a->in_len = 0;
		a->out_start = 0;
		a->out_end = 0;
		a->discarding = false;
	}
}
