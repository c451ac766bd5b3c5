// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - frames over a byte stream: the receive buffer that cuts the
 * stream into frames and the output queue a non-blocking writer drains.
 *
 * The receive buffer never holds more than one largest frame plus one
 * read's worth: a peer cannot make the reader buffer more than that, and
 * a frame that will be refused is refused by its header.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rdpprn_stream.h"

#define RDPPRN_RX_MIN		(64 * 1024)
#define RDPPRN_IOV_MAX		64

void rdpprn_rx_init(struct rdpprn_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

void rdpprn_rx_free(struct rdpprn_rx *rx)
{
	free(rx->buf);
	rdpprn_rx_init(rx);
}

size_t rdpprn_rx_pending(const struct rdpprn_rx *rx)
{
	return rx->end - rx->start;
}

/*
 * Make room for @extra more bytes: move the unconsumed bytes to the front,
 * and grow the buffer so that the frame being received fits whole.
 */
static void rdpprn_rx_room(struct rdpprn_rx *rx, size_t extra)
{
	size_t have = rx->end - rx->start, want = RDPPRN_RX_MIN;

	if (rx->start) {
		memmove(rx->buf, rx->buf + rx->start, have);
		rx->start = 0;
		rx->end = have;
	}
	if (have >= RDPPRN_FRAME_HDR_SIZE) {
		u32 plen = rdpprn_get_le32(rx->buf);

		/* rdpprn_rx_next() refuses an oversized header */
		if (plen <= RDPPRN_FRAME_MAX &&
		    RDPPRN_FRAME_HDR_SIZE + plen > want)
			want = RDPPRN_FRAME_HDR_SIZE + plen;
	}
	if (have + extra > want)
		want = have + extra;
	if (rx->cap < want) {
		rx->buf = rdpprn_xrealloc(rx->buf, want);
		rx->cap = want;
	}
}

ssize_t rdpprn_rx_read(struct rdpprn_rx *rx, int fd)
{
	ssize_t n;

	rdpprn_rx_room(rx, 1);
	do {
		n = read(fd, rx->buf + rx->end, rx->cap - rx->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	rx->end += (size_t)n;
	return n;
}

void rdpprn_rx_feed(struct rdpprn_rx *rx, const void *data, size_t len)
{
	rdpprn_rx_room(rx, len);
	memcpy(rx->buf + rx->end, data, len);
	rx->end += len;
}

int rdpprn_rx_next(struct rdpprn_rx *rx, struct rdpprn_frame *f,
		   const char **why)
{
	long n;

	*why = NULL;
	n = rdpprn_frame_peek(rx->buf + rx->start, rx->end - rx->start, f,
			      why);
	if (n <= 0)
		return (int)n;
	rx->start += (size_t)n;
	if (rx->start == rx->end) {
		rx->start = 0;
		rx->end = 0;
	}
	return 1;
}

/**
 * struct rdpprn_chunk - one queued frame
 * @next: younger chunk
 * @len: bytes in @data
 * @off: bytes of @data already written
 * @data: header and payload
 */
struct rdpprn_chunk {
	struct rdpprn_chunk *next;
	size_t len;
	size_t off;
	u8 data[];
};

void rdpprn_outq_init(struct rdpprn_outq *q, size_t limit)
{
	memset(q, 0, sizeof(*q));
	q->limit = limit;
}

void rdpprn_outq_free(struct rdpprn_outq *q)
{
	struct rdpprn_chunk *c = q->head;

	while (c) {
		struct rdpprn_chunk *next = c->next;

		free(c);
		c = next;
	}
	q->head = NULL;
	q->tail = NULL;
	q->bytes = 0;
}

/* A chunk of @total bytes at the tail; NULL over the limit. */
static u8 *rdpprn_outq_add(struct rdpprn_outq *q, size_t total)
{
	struct rdpprn_chunk *c;

	if (q->limit && q->bytes + total > q->limit)
		return NULL;
	c = rdpprn_xmalloc(sizeof(*c) + total);
	c->next = NULL;
	c->len = total;
	c->off = 0;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += total;
	return c->data;
}

int rdpprn_outq_frame(struct rdpprn_outq *q, u8 type, const void *head,
		      size_t hlen, const void *data, size_t len)
{
	u8 *p = rdpprn_outq_add(q, RDPPRN_FRAME_HDR_SIZE + hlen + len);

	if (!p)
		return -ENOBUFS;
	rdpprn_frame_hdr(p, type, (u32)(hlen + len));
	p += RDPPRN_FRAME_HDR_SIZE;
	if (hlen)
		memcpy(p, head, hlen);
	if (len)
		memcpy(p + hlen, data, len);
	return 0;
}

/**
 * rdpprn_outq_send() - write a frame now, queueing only what does not fit
 * @q: the queue of @fd
 * @fd: a non-blocking descriptor
 * @type: frame type
 * @head: the first @hlen bytes of the payload
 * @hlen: their length
 * @data: the rest of the payload
 * @len: its length
 *
 * With nothing queued, the frame goes to @fd straight from the caller's
 * buffers in one writev(): a print job's data is not copied once more on
 * its way through (Documentation/performance.rst). What the descriptor
 * does not take is queued, and so is the whole frame when others wait
 * before it. A failed write is not reported here: the frame is queued
 * and the next rdpprn_outq_flush() returns the error.
 *
 * Return: 0, or -ENOBUFS as rdpprn_outq_frame() (nothing written then).
 */
int rdpprn_outq_send(struct rdpprn_outq *q, int fd, u8 type,
		     const void *head, size_t hlen, const void *data,
		     size_t len)
{
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];
	struct iovec iov[3] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)head, .iov_len = hlen },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	size_t total = sizeof(hdr) + hlen + len, done = 0;
	ssize_t w;
	u8 *p;
	int i;

	if (!rdpprn_outq_empty(q))
		return rdpprn_outq_frame(q, type, head, hlen, data, len);
	if (q->limit && total > q->limit)
		return -ENOBUFS;
	rdpprn_frame_hdr(hdr, type, (u32)(hlen + len));
	do
		w = writev(fd, iov, 3);
	while (w < 0 && errno == EINTR);
	if (w > 0) {
		done = (size_t)w;
		q->written += done;
	}
	if (done == total)
		return 0;
	p = rdpprn_outq_add(q, total - done);
	for (i = 0; i < 3; i++) {
		size_t n = iov[i].iov_len;

		if (done >= n) {
			done -= n;
			continue;
		}
		memcpy(p, (const u8 *)iov[i].iov_base + done, n - done);
		p += n - done;
		done = 0;
	}
	return 0;
}

int rdpprn_outq_raw(struct rdpprn_outq *q, const void *data, size_t len)
{
	u8 *p = rdpprn_outq_add(q, len);

	if (!p)
		return -ENOBUFS;
	memcpy(p, data, len);
	return 0;
}

size_t rdpprn_outq_peek(const struct rdpprn_outq *q, const u8 **data)
{
	if (!q->head) {
		*data = NULL;
		return 0;
	}
	*data = q->head->data + q->head->off;
	return q->head->len - q->head->off;
}

void rdpprn_outq_consume(struct rdpprn_outq *q, size_t n)
{
	q->written += n;
	q->bytes -= n;
	while (n && q->head) {
		struct rdpprn_chunk *c = q->head;
		size_t left = c->len - c->off;

		if (n < left) {
			c->off += n;
			return;
		}
		n -= left;
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
		free(c);
	}
}

int rdpprn_outq_flush(struct rdpprn_outq *q, int fd)
{
	while (q->head) {
		struct iovec iov[RDPPRN_IOV_MAX];
		struct rdpprn_chunk *c;
		int n = 0;
		ssize_t w;

		for (c = q->head; c && n < RDPPRN_IOV_MAX; c = c->next) {
			iov[n].iov_base = c->data + c->off;
			iov[n].iov_len = c->len - c->off;
			n++;
		}
		w = writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 0 : -errno;
		rdpprn_outq_consume(q, (size_t)w);
	}
	return 0;
}
