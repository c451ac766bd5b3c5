/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_stream.h - the framed transport over a stream socket or pipe:
 * a receive buffer that yields whole frames and a bounded output queue
 * for non-blocking writers.
 */
#ifndef RDPPRN_STREAM_H
#define RDPPRN_STREAM_H

#include <sys/types.h>

#include "rdpprn_frame.h"

/**
 * struct rdpprn_rx - receive buffer
 * @buf: bytes received
 * @cap: size of @buf; grows up to one largest frame
 * @start: first byte not consumed
 * @end: end of the received bytes
 */
struct rdpprn_rx {
	u8 *buf;
	size_t cap;
	size_t start;
	size_t end;
};

void rdpprn_rx_init(struct rdpprn_rx *rx);
void rdpprn_rx_free(struct rdpprn_rx *rx);
/*
 * One read() from @fd into the buffer. Frames returned by rdpprn_rx_next()
 * before are invalid afterwards.
 * Return: bytes read, 0 at end of file, -EAGAIN or another -errno.
 */
ssize_t rdpprn_rx_read(struct rdpprn_rx *rx, int fd);
/* Append bytes as if read (tests, in-process peers). */
void rdpprn_rx_feed(struct rdpprn_rx *rx, const void *data, size_t len);
/*
 * The next complete frame, valid until the next rdpprn_rx_read() or
 * rdpprn_rx_feed(). Return: 1 with @f set, 0 when more bytes are needed,
 * or the negative error of rdpprn_frame_peek() (with @why).
 */
int rdpprn_rx_next(struct rdpprn_rx *rx, struct rdpprn_frame *f,
		   const char **why);
/* Bytes received that do not make a whole frame yet. */
size_t rdpprn_rx_pending(const struct rdpprn_rx *rx);

struct rdpprn_chunk;

/**
 * struct rdpprn_outq - frames waiting to be written
 * @head: oldest chunk
 * @tail: newest chunk
 * @bytes: bytes queued
 * @limit: most bytes that may be queued (0: no limit)
 * @written: bytes written so far
 */
struct rdpprn_outq {
	struct rdpprn_chunk *head;
	struct rdpprn_chunk *tail;
	size_t bytes;
	size_t limit;
	u64 written;
};

void rdpprn_outq_init(struct rdpprn_outq *q, size_t limit);
void rdpprn_outq_free(struct rdpprn_outq *q);
/*
 * Queue a frame of @type with @len bytes of payload (the first @hlen of
 * them from @head, the rest from @data, so a caller can prepend a few
 * bytes without a copy of its own). Return: 0, or -ENOBUFS when it would
 * take the queue over its limit (nothing is queued then).
 */
int rdpprn_outq_frame(struct rdpprn_outq *q, u8 type, const void *head,
		      size_t hlen, const void *data, size_t len);
/* Write a frame to @fd now if nothing is queued; queue what is left. */
int rdpprn_outq_send(struct rdpprn_outq *q, int fd, u8 type,
		     const void *head, size_t hlen, const void *data,
		     size_t len);
/* Queue bytes as they are (a sender that builds its own frames). */
int rdpprn_outq_raw(struct rdpprn_outq *q, const void *data, size_t len);
/*
 * Write what is queued until done or the descriptor would block.
 * Return: 0, or -errno of the failed write (-EPIPE: the peer is gone).
 */
int rdpprn_outq_flush(struct rdpprn_outq *q, int fd);
/* Take @n bytes off the front (an in-process reader consumed them). */
size_t rdpprn_outq_peek(const struct rdpprn_outq *q, const u8 **data);
void rdpprn_outq_consume(struct rdpprn_outq *q, size_t n);

static inline bool rdpprn_outq_empty(const struct rdpprn_outq *q)
{
	return !q->bytes;
}

#endif /* RDPPRN_STREAM_H */
