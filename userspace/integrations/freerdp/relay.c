// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c - the rdpprnd side of one bridge connection: connect to
 * rdpprnd (or run it), SESSION_OPEN, whole rdpdr PDUs as PDU frames both
 * ways, CLOSE. The framing is librdpprn's (rdpprn_frame.h, stream.c).
 *
 * The relay never blocks: frames for rdpprnd wait in a bounded queue that
 * the peer thread flushes when the socket is writable, and each call of
 * bridge_relay_event() reads at most once, so PDUs for the client are
 * handed to FreeRDP (which sends them before the next read) in slices.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "bridge.h"

/* most bytes that wait for rdpprnd to read them */
#define BRIDGE_OUTQ_LIMIT	(4u * RDPPRN_FRAME_MAX)
/* how long a --exec rdpprnd gets to exit after its stdin closed */
#define BRIDGE_CHILD_GRACE_MS	3000

void bridge_relay_init(struct bridge_relay *r, unsigned int conn,
		       bridge_deliver_fn deliver, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->conn = conn;
	r->state = BRIDGE_RELAY_IDLE;
	r->fd = -1;
	r->deliver = deliver;
	r->ctx = ctx;
	rdpprn_rx_init(&r->rx);
	rdpprn_outq_init(&r->outq, BRIDGE_OUTQ_LIMIT);
}

/**
 * bridge_trace() - keep a copy of a relayed PDU (--trace DIR)
 * @r: the relay
 * @dir: "in" (client to rdpprnd) or "out"
 * @pdu: the PDU
 * @len: its length
 *
 * One file per PDU, c<conn>-<seq>-<dir>.hex, in the hex format of the
 * protocol vectors, so rdpdr-dump decodes it as it is.
 */
static void bridge_trace(struct bridge_relay *r, const char *dir,
			 const u8 *pdu, size_t len)
{
	char *path;
	FILE *f;
	size_t i;

	if (!bridge_opts.trace)
		return;
	if (asprintf(&path, "%s/c%u-%04llu-%s.hex", bridge_opts.trace,
		     r->conn, (unsigned long long)(r->pdus_in + r->pdus_out),
		     dir) < 0)
		return;
	f = fopen(path, "we");
	if (!f) {
		rdpprn_warn("connection %u: trace %s: %s", r->conn, path,
			    strerror(errno));
		free(path);
		return;
	}
	free(path);
	fprintf(f, "# connection %u, %s, %zu bytes\n", r->conn,
		!strcmp(dir, "in") ? "client to rdpprnd" : "rdpprnd to client",
		len);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x%s", pdu[i],
			(i % 16 == 15 || i + 1 == len) ? "\n" : " ");
	fclose(f);
}

/*
 * Wait for a --exec rdpprnd: its stdin is closed, so it ends its session
 * and exits; one that does not is killed.
 */
static void bridge_reap(struct bridge_relay *r)
{
	u64 until = rdpprn_now_ms() + BRIDGE_CHILD_GRACE_MS;
	int status = 0, sig = SIGTERM;
	pid_t ret;

	if (!r->child)
		return;
	for (;;) {
		ret = waitpid(r->child, &status, WNOHANG);
		if (ret == r->child || (ret < 0 && errno != EINTR))
			break;
		if (rdpprn_now_ms() >= until) {
			rdpprn_warn("connection %u: rdpprnd (pid %d) still runs; sending signal %d",
				    r->conn, (int)r->child, sig);
			kill(r->child, sig);
			sig = SIGKILL;
			until = rdpprn_now_ms() + BRIDGE_CHILD_GRACE_MS;
		}
		usleep(10 * 1000);
	}
	if (ret == r->child) {
		if (WIFEXITED(status))
			rdpprn_info("connection %u: rdpprnd exited with status %d",
				    r->conn, WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			rdpprn_info("connection %u: rdpprnd killed by signal %d",
				    r->conn, WTERMSIG(status));
	}
	r->child = 0;
}

/* Close the stream to rdpprnd; nothing more is relayed. */
static void bridge_relay_end(struct bridge_relay *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	bridge_reap(r);
	rdpprn_rx_free(&r->rx);
	rdpprn_outq_free(&r->outq);
	r->state = BRIDGE_RELAY_DONE;
}

/**
 * bridge_relay_fail() - end the relay from the bridge's side
 * @r: the relay
 * @why: reason, logged and sent in a CLOSE frame when the stream still
 *	takes one
 */
static void bridge_relay_fail(struct bridge_relay *r, const char *why)
{
	rdpprn_notice("connection %u: relay to rdpprnd ends: %s", r->conn,
		      why);
	bridge_relay_stop(r, why);
}

/* Write what is queued; a dead stream ends the relay. */
static void bridge_relay_flush(struct bridge_relay *r)
{
	int ret;

	if (r->state != BRIDGE_RELAY_OPEN)
		return;
	ret = rdpprn_outq_flush(&r->outq, r->fd);
	if (ret) {
		rdpprn_notice("connection %u: rdpprnd went away (write: %s)",
			      r->conn, rdpprn_errname(ret));
		bridge_relay_end(r);
	}
}

/**
 * bridge_relay_start() - connect to rdpprnd and open the session
 * @r: an idle relay
 * @client_name: the client's name for SESSION_OPEN, UTF-8
 * @client_addr: the peer's address as FreeRDP has it (client->hostname);
 *	an IPv4 or IPv6 literal goes to rdpprnd for site policy, anything
 *	else (a Unix socket's path) is left out
 *
 * Connects to --rdpprnd or runs --exec, and queues SESSION_OPEN with
 * --uid/--gid. SESSION_INFO and the Server Announce follow from rdpprnd.
 *
 * Return: 0, or -errno (the relay is DONE then and client PDUs are
 * dropped).
 */
int bridge_relay_start(struct bridge_relay *r, const char *client_name,
		       const char *client_addr)
{
	struct in6_addr a;
	struct rdpprn_open o = {
		.uid = bridge_opts.uid,
		.gid = bridge_opts.gid,
	};
	u8 buf[RDPPRN_FRAME_OPEN_MAX];
	size_t n;
	int fd, len;

	/* cut at RDPPRN_FRAME_OPEN_NAME_MAX bytes, on a character boundary */
	n = strnlen(client_name, RDPPRN_FRAME_OPEN_NAME_MAX + 1);
	if (n > RDPPRN_FRAME_OPEN_NAME_MAX) {
		n = RDPPRN_FRAME_OPEN_NAME_MAX;
		while (n && ((u8)client_name[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(o.name, client_name, n);
	o.name[n] = '\0';
	if (client_addr && strlen(client_addr) < sizeof(o.addr) &&
	    (inet_pton(AF_INET, client_addr, &a) == 1 ||
	     inet_pton(AF_INET6, client_addr, &a) == 1)) {
		o.ext_version = RDPPRN_OPEN_EXT_V2;
		strcpy(o.addr, client_addr);
	}

	if (bridge_opts.exec)
		fd = rdpprn_spawn(bridge_opts.exec, &r->child);
	else
		fd = rdpprn_unix_connect(bridge_opts.rdpprnd);
	if (fd < 0) {
		rdpprn_err("connection %u: cannot reach rdpprnd (%s): %s",
			   r->conn, bridge_opts.exec ?: bridge_opts.rdpprnd,
			   strerror(-fd));
		r->state = BRIDGE_RELAY_DONE;
		return fd;
	}
	r->fd = fd;
	r->state = BRIDGE_RELAY_OPEN;
	if (rdpprn_set_nonblock(fd)) {
		bridge_relay_fail(r, "fcntl failed");
		return -EIO;
	}
	len = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	if (len < 0 || rdpprn_outq_frame(&r->outq, RDPPRN_FRAME_SESSION_OPEN,
					 NULL, 0, buf, (size_t)len)) {
		bridge_relay_fail(r, "cannot build SESSION_OPEN");
		return -EIO;
	}
	rdpprn_info("connection %u: rdpprnd connected (%s%s), SESSION_OPEN uid %u gid %u",
		    r->conn, bridge_opts.exec ? "exec " : "",
		    bridge_opts.exec ?: bridge_opts.rdpprnd, o.uid, o.gid);
	bridge_relay_flush(r);
	return r->state == BRIDGE_RELAY_OPEN ? 0 : -EPIPE;
}

/**
 * bridge_relay_from_client() - forward one whole rdpdr PDU to rdpprnd
 * @r: the relay
 * @pdu: the PDU, as the channel manager reassembled it
 * @len: its length
 *
 * PDUs that come when no relay is open, empty ones and ones over the
 * framing's limit are dropped (counted, and logged once in a while).
 */
void bridge_relay_from_client(struct bridge_relay *r, const u8 *pdu,
			      size_t len)
{
	if (r->state != BRIDGE_RELAY_OPEN || !len || len > RDPPRN_FRAME_MAX) {
		if (!r->dropped++ || len > RDPPRN_FRAME_MAX)
			rdpprn_notice("connection %u: client PDU of %zu bytes dropped (%s)",
				      r->conn, len,
				      r->state != BRIDGE_RELAY_OPEN ?
				      "no rdpprnd session" : "bad length");
		return;
	}
	bridge_trace(r, "in", pdu, len);
	if (rdpprn_outq_frame(&r->outq, RDPPRN_FRAME_PDU, NULL, 0, pdu, len)) {
		bridge_relay_fail(r, "rdpprnd does not read (queue full)");
		return;
	}
	r->pdus_in++;
	bridge_relay_flush(r);
}

/* One frame from rdpprnd. */
static void bridge_relay_frame(struct bridge_relay *r,
			       const struct rdpprn_frame *f)
{
	/* the reason as it fits a log line */
	char text[512];

	switch (f->type) {
	case RDPPRN_FRAME_SESSION_INFO:
		if (f->len != RDPPRN_FRAME_INFO_SIZE || r->have_sid) {
			bridge_relay_fail(r, "unexpected SESSION_INFO");
			return;
		}
		r->sid = rdpprn_get_le32(f->data);
		r->have_sid = true;
		rdpprn_info("connection %u: rdpprnd session %u", r->conn,
			    r->sid);
		return;
	case RDPPRN_FRAME_PDU:
		bridge_trace(r, "out", f->data, f->len);
		if (!r->deliver(r->ctx, f->data, f->len)) {
			bridge_relay_fail(r, "the rdpdr channel does not take a PDU");
			return;
		}
		r->pdus_out++;
		return;
	case RDPPRN_FRAME_CLOSE:
		rdpprn_escape((const char *)f->data, f->len, text,
			      sizeof(text));
		rdpprn_notice("connection %u: rdpprnd closed the session: \"%s\"; relaying stopped",
			      r->conn, text);
		bridge_relay_end(r);
		return;
	default:
		bridge_relay_fail(r, "unexpected frame from rdpprnd");
		return;
	}
}

/**
 * bridge_relay_event() - the stream to rdpprnd is readable or writable
 * @r: the relay
 *
 * Flushes what is queued, then reads once and handles the complete
 * frames: PDUs go to the client through @r->deliver.
 */
void bridge_relay_event(struct bridge_relay *r)
{
	struct rdpprn_frame f;
	const char *why = NULL;
	ssize_t n;
	int ret;

	bridge_relay_flush(r);
	if (r->state != BRIDGE_RELAY_OPEN)
		return;
	n = rdpprn_rx_read(&r->rx, r->fd);
	if (n == -EAGAIN)
		return;
	if (n < 0) {
		rdpprn_notice("connection %u: rdpprnd went away (read: %s)",
			      r->conn, rdpprn_errname((int)n));
		bridge_relay_end(r);
		return;
	}
	while ((ret = rdpprn_rx_next(&r->rx, &f, &why)) > 0) {
		bridge_relay_frame(r, &f);
		if (r->state != BRIDGE_RELAY_OPEN)
			return;
	}
	if (ret < 0) {
		bridge_relay_fail(r, why ?: "malformed frame");
		return;
	}
	if (!n) {
		rdpprn_notice("connection %u: rdpprnd closed the connection%s",
			      r->conn, rdpprn_rx_pending(&r->rx) ?
			      " in the middle of a frame" : "");
		bridge_relay_end(r);
	}
}

/**
 * bridge_relay_stop() - end the session: CLOSE, close the stream
 * @r: the relay (any state)
 * @reason: for rdpprnd's logs
 *
 * The CLOSE is written if the stream takes it now; rdpprnd ends the
 * session when the stream closes anyway.
 */
void bridge_relay_stop(struct bridge_relay *r, const char *reason)
{
	if (r->state == BRIDGE_RELAY_OPEN) {
		size_t n = strnlen(reason, RDPPRN_FRAME_CLOSE_MAX);

		if (!rdpprn_outq_frame(&r->outq, RDPPRN_FRAME_CLOSE, NULL, 0,
				       reason, n))
			rdpprn_outq_flush(&r->outq, r->fd);
	}
	bridge_relay_end(r);
}
