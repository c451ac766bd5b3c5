// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test relay: carry a byte stream between a virtio-serial port of
 * the test VM and rdpprnd's Unix socket, so that an RDP server (or
 * rdpprn-sim) on the host talks to rdpprnd in the guest.
 *
 * Each connection of the host to the port is one connection to rdpprnd,
 * i.e. one session. The host disconnecting closes the rdpprnd connection
 * (the session ends, its printers go). rdpprnd closing first cannot be
 * passed on (the guest cannot close the host's side): what rdpprnd sent
 * is still delivered, anything more from the host is discarded until the
 * host disconnects. Then the relay waits for the next connection.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdpprn_sock.h"
#include "rdpprn_test.h"
#include "vport.h"

#define RELAY_BUF	(256 * 1024)

/* Bytes read from one side, not yet written to the other */
struct relay_buf {
	u8 data[RELAY_BUF];
	size_t start, end;
};

struct relay {
	struct vport vp;
	const char *sock_path;
	int sock;
	struct relay_buf to_sock;	/* host -> rdpprnd */
	struct relay_buf to_port;	/* rdpprnd -> host */
	unsigned long long in, out;	/* bytes of this session */
};

static size_t rb_len(const struct relay_buf *b)
{
	return b->end - b->start;
}

static size_t rb_space(struct relay_buf *b)
{
	if (b->start == b->end) {
		b->start = 0;
		b->end = 0;
	} else if (b->end == RELAY_BUF && b->start) {
		memmove(b->data, b->data + b->start, rb_len(b));
		b->end -= b->start;
		b->start = 0;
	}
	return RELAY_BUF - b->end;
}

/* read() into @b: bytes read, 0 at EOF, -EAGAIN, or -errno */
static ssize_t rb_fill(struct relay_buf *b, int fd)
{
	ssize_t n = read(fd, b->data + b->end, rb_space(b));

	if (n < 0)
		return errno == EINTR ? -EAGAIN : -errno;
	b->end += n;
	return n;
}

/* write (send() without SIGPIPE for sockets) from @b: 0 or -errno */
static int rb_flush(struct relay_buf *b, int fd, bool sock)
{
	ssize_t n;

	if (!rb_len(b))
		return 0;
	if (sock)
		n = send(fd, b->data + b->start, rb_len(b), MSG_NOSIGNAL);
	else
		n = write(fd, b->data + b->start, rb_len(b));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	b->start += n;
	return 0;
}

enum { RELAY_HOST_GONE, RELAY_PEER_GONE };

/*
 * Copy both ways until one side ends; @why says how. Returns
 * RELAY_HOST_GONE or RELAY_PEER_GONE.
 */
static int relay_session(struct relay *r, char *why, size_t len)
{
	struct pollfd pfd[3];
	ssize_t n;
	int err;

	for (;;) {
		pfd[0].fd = r->vp.fd;
		pfd[0].events = (rb_space(&r->to_sock) ? POLLIN : 0) |
				(rb_len(&r->to_port) ? POLLOUT : 0);
		pfd[1].fd = r->sock;
		pfd[1].events = (rb_space(&r->to_port) ? POLLIN : 0) |
				(rb_len(&r->to_sock) ? POLLOUT : 0);
		/* Nothing to ask: do not let its POLLHUP spin the loop */
		if (!pfd[1].events)
			pfd[1].fd = -1;
		pfd[2].fd = r->vp.sigfd;
		pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, len, "poll: %s", strerror(errno));
			return RELAY_HOST_GONE;
		}
		if (pfd[2].revents)
			vport_ack(&r->vp);

		/*
		 * The host's data comes before its hangup: read until read()
		 * says 0. A hangup with no room to read into ends it too.
		 */
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!rb_space(&r->to_sock)) {
				snprintf(why, len, "host disconnected");
				return RELAY_HOST_GONE;
			}
			n = rb_fill(&r->to_sock, r->vp.fd);
			if (n == 0 || (n < 0 && n != -EAGAIN)) {
				snprintf(why, len, "host disconnected%s%s",
					 n ? ": " : "", n ? strerror(-n) : "");
				return RELAY_HOST_GONE;
			}
			if (n > 0)
				r->in += n;
		}
		if (pfd[0].revents & POLLOUT) {
			size_t before = rb_len(&r->to_port);

			err = rb_flush(&r->to_port, r->vp.fd, false);
			if (err) {
				snprintf(why, len, "write to the port: %s",
					 strerror(-err));
				return RELAY_HOST_GONE;
			}
			r->out += before - rb_len(&r->to_port);
		}

		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = rb_fill(&r->to_port, r->sock);
			if (n == 0 || (n < 0 && n != -EAGAIN)) {
				snprintf(why, len, "rdpprnd closed the connection%s%s",
					 n ? ": " : "", n ? strerror(-n) : "");
				return RELAY_PEER_GONE;
			}
		}
		if (pfd[1].revents & POLLOUT) {
			err = rb_flush(&r->to_sock, r->sock, true);
			if (err) {
				snprintf(why, len, "rdpprnd: %s", strerror(-err));
				return RELAY_PEER_GONE;
			}
		}
	}
}

/*
 * rdpprnd is gone but the host is still connected: deliver what rdpprnd
 * sent (its CLOSE frame), discard what the host sends, until it
 * disconnects.
 */
static int relay_drain(struct relay *r)
{
	struct pollfd pfd[2];
	ssize_t n;

	for (;;) {
		pfd[0].fd = r->vp.fd;
		pfd[0].events = POLLIN | (rb_len(&r->to_port) ? POLLOUT : 0);
		pfd[1].fd = r->vp.sigfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			vport_ack(&r->vp);
		if (pfd[0].revents & POLLOUT &&
		    rb_flush(&r->to_port, r->vp.fd, false))
			r->to_port.start = r->to_port.end;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			/* to_sock is not used any more: the bin */
			n = read(r->vp.fd, r->to_sock.data, RELAY_BUF);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return 0;
		}
	}
}

static const struct option relay_longopts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "connect", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

int rpt_cmd_relay(int argc, char **argv)
{
	const char *port = NULL;
	unsigned int sessions = 0;
	struct relay *r;
	char why[256];
	int c, err;

	r = rdpprn_xzalloc(sizeof(*r));
	r->sock_path = "/run/rdpprnd.sock";
	while ((c = getopt_long(argc, argv, "p:c:", relay_longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = optarg;
			break;
		case 'c':
			r->sock_path = optarg;
			break;
		default:
			rpt_die("relay: usage: relay --port NAME [--connect PATH]");
		}
	}
	if (!port || optind != argc)
		rpt_die("relay: usage: relay --port NAME [--connect PATH]");
	setvbuf(stderr, NULL, _IOLBF, 0);

	err = vport_open(&r->vp, port, 10000);
	if (err)
		rpt_die("relay %s: cannot open the port: %s", port, strerror(-err));
	fprintf(stderr, "relay %s: %s, relaying to %s\n", port, r->vp.dev,
		r->sock_path);

	for (;;) {
		err = vport_wait_host(&r->vp);
		if (err)
			rpt_die("relay %s: %s", port, strerror(-err));
		sessions++;
		r->in = 0;
		r->out = 0;
		r->to_sock.start = 0;
		r->to_sock.end = 0;
		r->to_port.start = 0;
		r->to_port.end = 0;
		fprintf(stderr, "relay %s: host connected (session %u)\n",
			port, sessions);

		r->sock = rdpprn_unix_connect(r->sock_path);
		if (r->sock < 0) {
			snprintf(why, sizeof(why), "cannot connect to %s: %s",
				 r->sock_path, strerror(-r->sock));
			err = RELAY_PEER_GONE;
		} else {
			rdpprn_set_nonblock(r->sock);
			err = relay_session(r, why, sizeof(why));
			/* The host's last words (its CLOSE), if they fit */
			if (err == RELAY_HOST_GONE)
				rb_flush(&r->to_sock, r->sock, true);
			close(r->sock);
		}
		fprintf(stderr, "relay %s: session %u ended: %s (%llu bytes in, %llu out)\n",
			port, sessions, why, r->in, r->out);
		if (err == RELAY_PEER_GONE) {
			err = relay_drain(r);
			if (err)
				rpt_die("relay %s: %s", port, strerror(-err));
			fprintf(stderr, "relay %s: host disconnected\n", port);
		}
	}
}
