// SPDX-License-Identifier: GPL-2.0
/*
 * conn.c - one connection of an RDP server process: frames in, frames
 * out through a bounded queue, and the session's own netlink socket.
 *
 * What ends a connection, always with a log line saying which:
 *  - the peer closes it (with or without a CLOSE frame, or mid-frame);
 *  - a frame is malformed or larger than 1 MiB;
 *  - its output queue would grow over max_queue, or the peer takes no
 *    byte of it for send_timeout seconds (it stopped reading);
 *  - its netlink socket fails, or the kernel session was deleted.
 * Only that connection's session ends; the others go on.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "daemon.h"

static int rdpprnd_conn_queue(void *cptr, u8 type, const void *head,
			      size_t hlen, const void *data, size_t len)
{
	struct rdpprnd_conn *c = cptr;

	if (c->closed)
		return -EPIPE;
	return rdpprn_outq_send(&c->outq, c->out.fd, type, head, hlen, data,
				len);
}

static const struct rdpprnd_cops rdpprnd_conn_ops = {
	.frame = rdpprnd_conn_queue,
};

static void rdpprnd_watch_init(struct rdpprnd_watch *w,
			       enum rdpprnd_watch_kind kind, int fd, void *obj)
{
	w->kind = kind;
	w->fd = fd;
	w->events = 0;
	w->obj = obj;
}

/* Register for writability only while something waits to be written. */
static int rdpprnd_conn_want_out(struct rdpprnd_conn *c, bool want)
{
	if (c->in.fd == c->out.fd)
		return rdpprnd_watch_set(c->d, &c->in,
					 EPOLLIN | (want ? EPOLLOUT : 0));
	return rdpprnd_watch_set(c->d, &c->out, want ? EPOLLOUT : 0);
}

void rdpprnd_conn_close(struct rdpprnd_conn *c)
{
	if (c->closed)
		return;
	rdpprnd_session_end(&c->s, false, "rdpprnd is shutting down");
	/* one last try for the CLOSE frame; the peer may not read at all */
	rdpprn_outq_flush(&c->outq, c->out.fd);
	rdpprnd_watch_set(c->d, &c->in, 0);
	rdpprnd_watch_set(c->d, &c->out, 0);
	rdpprnd_watch_set(c->d, &c->nl_w, 0);
	/* closing the owner socket would end the kernel session as well */
	if (c->attached)
		rdpprnd_backend.detach(c);
	c->attached = false;
	close(c->in.fd);
	if (c->out.fd != c->in.fd)
		close(c->out.fd);
	c->closed = true;
	if (c->d->stdio)
		c->d->status = c->s.error ? 1 : 0;
}

/* Write what is queued; close when the session has ended. */
static void rdpprnd_conn_sync(struct rdpprnd_conn *c)
{
	int ret;

	if (c->closed)
		return;
	ret = rdpprn_outq_flush(&c->outq, c->out.fd);
	if (ret) {
		rdpprnd_session_end(&c->s, true,
				    "the RDP server side went away (write: %s)",
				    rdpprn_errname(ret));
		rdpprn_outq_free(&c->outq);
	}
	if (rdpprnd_session_ended(&c->s)) {
		rdpprnd_conn_close(c);
		return;
	}
	if (rdpprn_outq_empty(&c->outq)) {
		c->stalled_ms = 0;
	} else if (!c->stalled_ms || c->outq.written != c->stalled_at) {
		c->stalled_ms = rdpprn_now_ms();
		c->stalled_at = c->outq.written;
	}
	if (rdpprnd_conn_want_out(c, !rdpprn_outq_empty(&c->outq))) {
		rdpprnd_session_end(&c->s, true,
				    "the output cannot be polled (not a pipe or socket)");
		rdpprnd_conn_close(c);
	}
}

struct rdpprnd_conn *rdpprnd_conn_new(struct rdpprnd_daemon *d, int in,
				      int out, const struct rdpprnd_peer *peer)
{
	struct rdpprnd_conn *c = rdpprn_xzalloc(sizeof(*c));
	struct rdpprn_nl_res res;

	c->d = d;
	rdpprn_rx_init(&c->rx);
	rdpprn_outq_init(&c->outq, d->cfg->max_queue);
	rdpprnd_session_init(&c->s, &d->ctx, rdpprnd_backend.kops, NULL,
			     &rdpprnd_conn_ops, c);
	if (peer)
		c->s.peer = *peer;
	rdpprnd_watch_init(&c->in, RDPPRND_W_CONN_IN, in, c);
	rdpprnd_watch_init(&c->out, RDPPRND_W_CONN_OUT, out, c);
	rdpprnd_watch_init(&c->nl_w, RDPPRND_W_CONN_NL, -1, c);
	c->next = d->conns;
	d->conns = c;
	if (rdpprn_set_nonblock(in) || rdpprn_set_nonblock(out))
		rdpprn_warn("session %u: cannot make the connection non-blocking",
			    c->s.conn);
	/* epoll refuses regular files and /dev/null: do not wait forever */
	if (rdpprnd_watch_set(d, &c->in, EPOLLIN))
		rdpprnd_session_end(&c->s, true,
				    "the input cannot be polled (not a pipe or socket)");
	else if (rdpprnd_backend.attach(c, &res))
		rdpprnd_session_end(&c->s, true, "%s", res.msg);
	else
		c->attached = true;
	if (c->attached) {
		c->s.k = c->k;
		rdpprnd_watch_set(d, &c->nl_w, EPOLLIN);
	}
	/* a session that cannot start says so (CLOSE) and is closed now */
	rdpprnd_conn_sync(c);
	return c;
}

static void rdpprnd_conn_read(struct rdpprnd_conn *c)
{
	struct rdpprn_frame f;
	const char *why;
	ssize_t n;
	int ret;

	n = rdpprn_rx_read(&c->rx, c->in.fd);
	if (n == -EAGAIN)
		return;
	if (n < 0) {
		rdpprnd_session_end(&c->s, true, "read error: %s",
				    rdpprn_errname((int)n));
		return;
	}
	if (!n) {
		if (rdpprn_rx_pending(&c->rx))
			rdpprnd_session_end(&c->s, true,
					    "the RDP server side closed the connection in the middle of a frame (%zu bytes)",
					    rdpprn_rx_pending(&c->rx));
		else
			rdpprnd_session_end(&c->s, false,
					    "the RDP server side closed the connection");
		return;
	}
	while (!rdpprnd_session_ended(&c->s)) {
		ret = rdpprn_rx_next(&c->rx, &f, &why);
		if (!ret)
			break;
		if (ret < 0) {
			rdpprnd_session_end(&c->s, true, "malformed frame: %s",
					    why);
			break;
		}
		rdpprnd_session_frame(&c->s, &f);
	}
}

void rdpprnd_conn_event(struct rdpprnd_conn *c, struct rdpprnd_watch *w,
			u32 events)
{
	int ret;

	if (c->closed)
		return;
	if (w->kind == RDPPRND_W_CONN_IN && (events & (EPOLLIN | EPOLLHUP |
						       EPOLLERR)))
		rdpprnd_conn_read(c);
	if (w->kind == RDPPRND_W_CONN_NL && !rdpprnd_session_ended(&c->s)) {
		ret = rdpprnd_backend.recv(c);
		if (ret)
			rdpprnd_session_end(&c->s, true,
					    "kernel socket receive error: %s",
					    rdpprn_errname(ret));
	}
	/* writability needs nothing more than the flush */
	rdpprnd_conn_sync(c);
}

void rdpprnd_conn_tick(struct rdpprnd_conn *c, u64 now)
{
	unsigned int limit = c->d->cfg->send_timeout;

	if (c->closed || !c->stalled_ms || !limit ||
	    now - c->stalled_ms < (u64)limit * 1000)
		return;
	rdpprnd_session_end(&c->s, true,
			    "the RDP server side read nothing for %u s (%zu bytes queued)",
			    limit, c->outq.bytes);
	rdpprnd_conn_close(c);
}

void rdpprnd_conn_free(struct rdpprnd_conn *c)
{
	rdpprnd_session_free(&c->s);
	rdpprn_rx_free(&c->rx);
	rdpprn_outq_free(&c->outq);
	free(c);
}
