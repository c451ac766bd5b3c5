// SPDX-License-Identifier: GPL-2.0
/*
 * ring.c - the per-job ring buffer.
 *
 * A print job's bytes stay here from write() until the client acknowledges
 * them, because a short write response means the rest must be sent again.
 * Hence three counters rather than kfifo's two: head (written), sent and
 * tail (acknowledged). The ring only does the arithmetic and the copies;
 * the caller serialises (session->lock for the counters, the job's
 * write_lock for the producer's copy).
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

/**
 * rdpprn_ring_init() - allocate a ring
 * @r: ring
 * @size: capacity in bytes, rounded up to a power of two
 *
 * Return: 0 or -ENOMEM.
 */
int rdpprn_ring_init(struct rdpprn_ring *r, size_t size)
{
	size = clamp_t(size_t, size, PAGE_SIZE, RDPPRN_RING_MAX);
	size = roundup_pow_of_two(size);
	/* Charged to the opener's memory cgroup: users pay for their jobs. */
	r->buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!r->buf)
		return -ENOMEM;
	r->size = size;
	r->head = 0;
	r->sent = 0;
	r->tail = 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_init);

void rdpprn_ring_free(struct rdpprn_ring *r)
{
	kvfree(r->buf);
	r->buf = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_free);

/* Bytes write() may add now. */
size_t rdpprn_ring_space(const struct rdpprn_ring *r)
{
	return r->size - (size_t)(r->head - r->tail);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_space);

/* Bytes written but not yet handed to the client. */
size_t rdpprn_ring_unsent(const struct rdpprn_ring *r)
{
	return r->head - r->sent;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_unsent);

/* Bytes written but not yet acknowledged. */
size_t rdpprn_ring_unacked(const struct rdpprn_ring *r)
{
	return r->head - r->tail;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_unacked);

/**
 * rdpprn_ring_segs() - where @len bytes at stream position @pos live
 * @r: ring
 * @pos: stream position (a head/sent/tail counter value)
 * @len: bytes, at most the ring size
 * @seg: one or two pieces of @r->buf, filled in
 *
 * Return: the number of pieces (0 when @len is 0).
 */
unsigned int rdpprn_ring_segs(const struct rdpprn_ring *r, u64 pos, size_t len,
			      struct kvec seg[2])
{
	size_t off = pos & (r->size - 1);
	size_t first = min(len, r->size - off);

	if (!len)
		return 0;
	seg[0].iov_base = r->buf + off;
	seg[0].iov_len = first;
	if (first == len)
		return 1;
	seg[1].iov_base = r->buf;
	seg[1].iov_len = len - first;
	return 2;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_segs);

void rdpprn_ring_copy_in(struct rdpprn_ring *r, u64 pos, const void *src,
			 size_t len)
{
	struct kvec seg[2];
	unsigned int i, n = rdpprn_ring_segs(r, pos, len, seg);

	for (i = 0; i < n; i++) {
		memcpy(seg[i].iov_base, src, seg[i].iov_len);
		src += seg[i].iov_len;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_copy_in);

/*
 * Copy @len bytes from @from to stream position @pos. Nothing is published
 * (see rdpprn_ring_produce()), so a fault leaves the ring as it was.
 *
 * Return: 0 or -EFAULT.
 */
int rdpprn_ring_copy_from_iter(struct rdpprn_ring *r, u64 pos,
			       struct iov_iter *from, size_t len)
{
	struct kvec seg[2];
	unsigned int i, n = rdpprn_ring_segs(r, pos, len, seg);

	for (i = 0; i < n; i++)
		if (copy_from_iter(seg[i].iov_base, seg[i].iov_len, from) !=
		    seg[i].iov_len)
			return -EFAULT;
	return 0;
}

void rdpprn_ring_copy_out(const struct rdpprn_ring *r, u64 pos, void *dst,
			  size_t len)
{
	struct kvec seg[2];
	unsigned int i, n = rdpprn_ring_segs(r, pos, len, seg);

	for (i = 0; i < n; i++) {
		memcpy(dst, seg[i].iov_base, seg[i].iov_len);
		dst += seg[i].iov_len;
	}
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_copy_out);

/* Publish @len bytes the producer copied in at r->head. */
void rdpprn_ring_produce(struct rdpprn_ring *r, size_t len)
{
	WARN_ON_ONCE(len > rdpprn_ring_space(r));
	r->head += len;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_produce);

/**
 * rdpprn_ring_take() - hand out the next unsent bytes
 * @r: ring
 * @max: most bytes to take
 * @len: bytes taken (0 when nothing is unsent)
 *
 * Return: the stream position of the first byte taken.
 */
u64 rdpprn_ring_take(struct rdpprn_ring *r, size_t max, size_t *len)
{
	u64 pos = r->sent;

	*len = min(max, rdpprn_ring_unsent(r));
	r->sent += *len;
	return pos;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_take);

/**
 * rdpprn_ring_ack() - the client consumed @len more bytes
 * @r: ring
 * @len: bytes acknowledged, in stream order
 *
 * Return: 0, or -EINVAL when more is acknowledged than was sent.
 */
int rdpprn_ring_ack(struct rdpprn_ring *r, size_t len)
{
	if (len > r->sent - r->tail)
		return -EINVAL;
	r->tail += len;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_ack);

/* Everything sent but not acknowledged goes out again. */
void rdpprn_ring_rewind(struct rdpprn_ring *r)
{
	r->sent = r->tail;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_ring_rewind);
