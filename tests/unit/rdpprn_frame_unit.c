// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn_frame_unit.c - the framing protocol between an RDP server and
 * rdpprnd (userspace/lib/frame.c, stream.c): whole, split, truncated,
 * oversized and garbage frames, SESSION_OPEN payloads, the output queue;
 * and the helpers the tools share (SHA-256, UTF-8, escaping, numbers).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "rdpprn_job.h"
#include "rdpprn_sha256.h"
#include "rdpprn_stream.h"

static size_t put_frame(u8 *buf, u8 type, const void *payload, u32 len)
{
	rdpprn_frame_hdr(buf, type, len);
	memcpy(buf + RDPPRN_FRAME_HDR_SIZE, payload, len);
	return RDPPRN_FRAME_HDR_SIZE + len;
}

static void frame_whole(void **state)
{
	static const u8 pdu[] = { 0x72, 0x44, 0x4c, 0x55 };
	struct rdpprn_frame f;
	const char *why;
	u8 buf[16];
	size_t n = put_frame(buf, RDPPRN_FRAME_PDU, pdu, sizeof(pdu));

	/* header: length LE, then the type */
	assert_memory_equal(buf, "\x04\x00\x00\x00\x02", 5);
	assert_int_equal(rdpprn_frame_peek(buf, n, &f, &why), (long)n);
	assert_int_equal(f.type, RDPPRN_FRAME_PDU);
	assert_int_equal(f.len, sizeof(pdu));
	assert_memory_equal(f.data, pdu, sizeof(pdu));
	/* one frame followed by the start of the next */
	assert_int_equal(rdpprn_frame_peek(buf, sizeof(buf), &f, &why),
			 (long)n);
}

static void frame_truncated(void **state)
{
	static const u8 pdu[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rdpprn_frame f;
	const char *why;
	u8 buf[16];
	size_t n = put_frame(buf, RDPPRN_FRAME_PDU, pdu, sizeof(pdu)), i;

	/* every prefix asks for more, none is an error */
	for (i = 0; i < n; i++)
		assert_int_equal(rdpprn_frame_peek(buf, i, &f, &why), 0);
}

static void frame_oversized(void **state)
{
	struct rdpprn_frame f;
	const char *why;
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];

	/* refused by the header: nothing is buffered for it */
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_PDU, RDPPRN_FRAME_MAX + 1);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EMSGSIZE);
	assert_non_null(why);
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_PDU, 0xffffffff);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EMSGSIZE);
	/* exactly 1 MiB is fine, and incomplete */
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_PDU, RDPPRN_FRAME_MAX);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why), 0);
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_CLOSE, RDPPRN_FRAME_CLOSE_MAX + 1);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EMSGSIZE);
	/* the name and a version 2 extension block with an address at most */
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_SESSION_OPEN, 8 + 255 + 7 + 45);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why), 0);
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_SESSION_OPEN, 8 + 255 + 7 + 46);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EMSGSIZE);
}

static void frame_garbage(void **state)
{
	static const u8 types[] = { 0, 5, 0x7f, 0xff };
	struct rdpprn_frame f;
	const char *why;
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];
	size_t i;

	for (i = 0; i < sizeof(types); i++) {
		rdpprn_frame_hdr(hdr, types[i], 4);
		assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
				 -EBADMSG);
		assert_string_equal(why, "unknown frame type");
	}
	/* lengths a type does not allow */
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_PDU, 0);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EBADMSG);
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_SESSION_OPEN, 7);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EBADMSG);
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_SESSION_INFO, 3);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why),
			 -EBADMSG);
	/* an empty CLOSE is fine */
	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_CLOSE, 0);
	assert_int_equal(rdpprn_frame_peek(hdr, sizeof(hdr), &f, &why), 5);
}

static void frame_open(void **state)
{
	struct rdpprn_open o = { .uid = 1000, .gid = 100 }, back;
	struct rdpprn_frame f = { .type = RDPPRN_FRAME_SESSION_OPEN };
	const char *why;
	u8 buf[300];
	int n;

	strcpy(o.name, "Büro-PC");
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_int_equal(n, 8 + strlen("Büro-PC"));
	assert_memory_equal(buf, "\xe8\x03\x00\x00\x64\x00\x00\x00", 8);
	f.len = (u32)n;
	f.data = buf;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_int_equal(back.uid, 1000);
	assert_int_equal(back.gid, 100);
	assert_string_equal(back.name, "Büro-PC");
	/* no name at all is allowed */
	f.len = 8;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_string_equal(back.name, "");
	/* a NUL starts an extension block: "üro-PC" is no version */
	buf[9] = 0;
	f.len = (u32)n;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why),
			 -EPROTONOSUPPORT);
	/* bytes that are not UTF-8 are refused */
	buf[9] = 0xff;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
	f.len = 7;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
}

static void open_parse(struct rdpprn_frame *f, const u8 *buf, size_t len)
{
	f->type = RDPPRN_FRAME_SESSION_OPEN;
	f->len = (u32)len;
	f->data = buf;
}

/* The versioned extension block of SESSION_OPEN (device provider) */
static void frame_open_ext(void **state)
{
	struct rdpprn_open o = {
		.uid = 1000, .gid = 100, .ext_version = RDPPRN_OPEN_EXT_V1,
		.flags = RDPPRN_OPEN_PROVIDER,
	}, back;
	struct rdpprn_frame f;
	const char *why;
	u8 buf[RDPPRN_FRAME_OPEN_MAX + 8];
	int n;

	strcpy(o.name, "xrdp");
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_int_equal(n, 8 + 4 + RDPPRN_OPEN_EXT_V1_LEN);
	assert_memory_equal(buf + 8, "xrdp\0\x01\x01\0\0\0", 10);
	open_parse(&f, buf, (size_t)n);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_string_equal(back.name, "xrdp");
	assert_int_equal(back.ext_version, RDPPRN_OPEN_EXT_V1);
	assert_int_equal(back.flags, RDPPRN_OPEN_PROVIDER);
	/* no room for the block */
	assert_int_equal(rdpprn_frame_build_open(buf, 8 + 4 + 5, &o), -ENOSPC);
	/* flags 0 in a version 1 block: whole-channel mode, explicitly */
	buf[14] = 0;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_int_equal(back.flags, 0);
	/* an unknown flag */
	buf[17] = 0x80;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EOPNOTSUPP);
	assert_int_equal(back.flags, 0x80000000);
	buf[17] = 0;
	/* version 3; version 2 without its address; version 1 with more or
	 * fewer bytes
	 */
	buf[13] = 3;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why),
			 -EPROTONOSUPPORT);
	assert_int_equal(back.ext_version, 3);
	buf[13] = 2;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
	buf[13] = 1;
	f.len = (u32)n - 1;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
	f.len = (u32)n + 1;
	buf[n] = 0;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
	/* a NUL and nothing after it */
	f.len = 8 + 5;
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
	/* the longest name with the block: 269 bytes */
	memset(o.name, 'a', RDPPRN_FRAME_OPEN_NAME_MAX);
	o.name[RDPPRN_FRAME_OPEN_NAME_MAX] = 0;
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_int_equal(n, 8 + 255 + RDPPRN_OPEN_EXT_V1_LEN);
	open_parse(&f, buf, (size_t)n);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_int_equal(strlen(back.name), 255);
	/* without the NUL, 256 name bytes are too many */
	memset(buf + 8, 'a', 256);
	open_parse(&f, buf, 8 + 256);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
}

/* parse SESSION_OPEN with a version 2 block carrying @addr (raw bytes) */
static int open_addr(const char *addr, size_t alen, int lendelta,
		     struct rdpprn_open *back)
{
	static u8 buf[RDPPRN_FRAME_OPEN_MAX + 64];
	struct rdpprn_frame f;
	const char *why;
	size_t n = 8;

	memset(buf, 0, 8);
	memcpy(buf + n, "pc\0\x02\0\0\0\0", 8);
	n += 8;
	buf[n++] = (u8)((int)alen + lendelta);
	memcpy(buf + n, addr, alen);
	n += alen;
	open_parse(&f, buf, n);
	return rdpprn_frame_parse_open(&f, back, &why);
}

/* Version 2: the client's address, an IPv4 or IPv6 literal or nothing. */
static void frame_open_addr(void **state)
{
	static const char v6max[] = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
	struct rdpprn_open o = {
		.ext_version = RDPPRN_OPEN_EXT_V2, .flags = RDPPRN_OPEN_PROVIDER,
	}, back;
	struct rdpprn_frame f;
	const char *why;
	u8 buf[RDPPRN_FRAME_OPEN_MAX + 8];
	int n;

	strcpy(o.name, "pc");
	strcpy(o.addr, "192.0.2.7");
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_int_equal(n, 8 + 2 + RDPPRN_OPEN_EXT_V2_FIXED + 9);
	open_parse(&f, buf, (size_t)n);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_string_equal(back.addr, "192.0.2.7");
	assert_int_equal(back.flags, RDPPRN_OPEN_PROVIDER);

	assert_int_equal(open_addr("2001:db8::7", 11, 0, &back), 0);
	assert_string_equal(back.addr, "2001:db8::7");
	assert_int_equal(open_addr("", 0, 0, &back), 0);	/* unknown */
	assert_string_equal(back.addr, "");
	assert_int_equal(open_addr(v6max, 45, 0, &back), 0);
	assert_string_equal(back.addr, v6max);

	/* not an address, a NUL inside, lengths that do not match */
	assert_int_equal(open_addr("192.0.2.7x", 10, 0, &back), -EBADMSG);
	assert_string_equal(back.addr, "");
	assert_int_equal(open_addr("pc-7", 4, 0, &back), -EBADMSG);
	assert_int_equal(open_addr("1.2.3.4\0\x01", 9, 0, &back), -EBADMSG);
	assert_int_equal(open_addr("1.2.3.4", 7, 1, &back), -EBADMSG);
	assert_int_equal(open_addr("1.2.3.4", 7, -1, &back), -EBADMSG);
	assert_int_equal(open_addr("::1 ", 4, 0, &back), -EBADMSG);
	assert_int_equal(open_addr("1111111111111111111111111111111111111111111111", 46,
				   0, &back), -EBADMSG);

	/* the longest name and address: RDPPRN_FRAME_OPEN_MAX */
	memset(o.name, 'a', RDPPRN_FRAME_OPEN_NAME_MAX);
	o.name[RDPPRN_FRAME_OPEN_NAME_MAX] = 0;
	strcpy(o.addr, v6max);
	n = rdpprn_frame_build_open(buf, sizeof(buf), &o);
	assert_int_equal(n, RDPPRN_FRAME_OPEN_MAX);
	open_parse(&f, buf, (size_t)n);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), 0);
	assert_string_equal(back.addr, v6max);
	/* one byte more is no SESSION_OPEN */
	open_parse(&f, buf, (size_t)n + 1);
	assert_int_equal(rdpprn_frame_parse_open(&f, &back, &why), -EBADMSG);
}

/* Feed a stream byte by byte: the frames come out whole and in order. */
static void rx_byte_by_byte(void **state)
{
	static const u8 a[] = { 0x72, 0x44, 0x4c, 0x55 };
	u8 big[70000], stream[80000];
	struct rdpprn_frame f;
	struct rdpprn_rx rx;
	const char *why;
	size_t n = 0, i;
	int got = 0;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (u8)i;
	n += put_frame(stream + n, RDPPRN_FRAME_PDU, a, sizeof(a));
	n += put_frame(stream + n, RDPPRN_FRAME_PDU, big, sizeof(big));
	n += put_frame(stream + n, RDPPRN_FRAME_CLOSE, "bye", 3);
	rdpprn_rx_init(&rx);
	for (i = 0; i < n; i++) {
		rdpprn_rx_feed(&rx, stream + i, 1);
		while (rdpprn_rx_next(&rx, &f, &why) == 1) {
			if (got == 0)
				assert_int_equal(f.len, sizeof(a));
			if (got == 1) {
				assert_int_equal(f.len, sizeof(big));
				assert_memory_equal(f.data, big, sizeof(big));
			}
			if (got == 2)
				assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
			got++;
		}
	}
	assert_int_equal(got, 3);
	assert_int_equal(rdpprn_rx_pending(&rx), 0);
	rdpprn_rx_free(&rx);
}

/* Half a frame when the stream ends shows as pending bytes. */
static void rx_truncated_stream(void **state)
{
	struct rdpprn_frame f;
	struct rdpprn_rx rx;
	const char *why;
	u8 buf[32];
	size_t n = put_frame(buf, RDPPRN_FRAME_PDU, "0123456789", 10);

	rdpprn_rx_init(&rx);
	rdpprn_rx_feed(&rx, buf, n - 3);
	assert_int_equal(rdpprn_rx_next(&rx, &f, &why), 0);
	assert_int_equal(rdpprn_rx_pending(&rx), n - 3);
	rdpprn_rx_free(&rx);
}

/* A garbage header after a good frame: the good one first, then refusal. */
static void rx_garbage_after_good(void **state)
{
	struct rdpprn_frame f;
	struct rdpprn_rx rx;
	const char *why;
	u8 buf[32];
	size_t n = put_frame(buf, RDPPRN_FRAME_CLOSE, "", 0);

	memcpy(buf + n, "\xff\xff\xff\xff\x02", 5);
	rdpprn_rx_init(&rx);
	rdpprn_rx_feed(&rx, buf, n + 5);
	assert_int_equal(rdpprn_rx_next(&rx, &f, &why), 1);
	assert_int_equal(rdpprn_rx_next(&rx, &f, &why), -EMSGSIZE);
	rdpprn_rx_free(&rx);
}

/* Over a real socket: rdpprn_rx_read() then frames. */
static void rx_socket(void **state)
{
	struct rdpprn_outq q;
	struct rdpprn_frame f;
	struct rdpprn_rx rx;
	const char *why;
	int sv[2], frames = 0;
	u8 payload[5000];

	memset(payload, 0xab, sizeof(payload));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	rdpprn_outq_init(&q, 0);
	assert_int_equal(rdpprn_outq_frame(&q, RDPPRN_FRAME_PDU, "\x72\x44",
					   2, payload, sizeof(payload)), 0);
	assert_int_equal(rdpprn_outq_frame(&q, RDPPRN_FRAME_SESSION_INFO,
					   NULL, 0, "\x07\0\0\0", 4), 0);
	assert_int_equal(rdpprn_outq_flush(&q, sv[0]), 0);
	assert_true(rdpprn_outq_empty(&q));
	assert_int_equal(q.written, 2 * 5 + 2 + 5000 + 4);
	close(sv[0]);
	rdpprn_rx_init(&rx);
	while (rdpprn_rx_read(&rx, sv[1]) > 0) {
		while (rdpprn_rx_next(&rx, &f, &why) == 1) {
			if (!frames++) {
				assert_int_equal(f.len, 5002);
				assert_memory_equal(f.data, "\x72\x44", 2);
			} else {
				assert_int_equal(rdpprn_get_le32(f.data), 7);
			}
		}
	}
	assert_int_equal(frames, 2);
	rdpprn_rx_free(&rx);
	close(sv[1]);
}

static void outq_limit(void **state)
{
	struct rdpprn_outq q;
	const u8 *p;
	u8 data[100] = { 0 };

	rdpprn_outq_init(&q, 250);
	assert_int_equal(rdpprn_outq_frame(&q, 2, NULL, 0, data, 100), 0);
	assert_int_equal(rdpprn_outq_frame(&q, 2, NULL, 0, data, 100), 0);
	/* 210 queued: another 105 would pass the limit */
	assert_int_equal(rdpprn_outq_frame(&q, 2, NULL, 0, data, 100),
			 -ENOBUFS);
	assert_int_equal(q.bytes, 210);
	assert_int_equal(rdpprn_outq_peek(&q, &p), 105);
	rdpprn_outq_consume(&q, 50);
	assert_int_equal(rdpprn_outq_peek(&q, &p), 55);
	rdpprn_outq_consume(&q, 100);
	assert_int_equal(q.bytes, 60);
	rdpprn_outq_free(&q);
	assert_true(rdpprn_outq_empty(&q));
}

/*
 * rdpprn_outq_send(): straight to the socket while nothing is queued; the
 * part a full socket does not take is queued, later frames queue behind
 * it, and the peer reads every frame whole and in order.
 */
static void outq_send_direct(void **state)
{
	static u8 big[300000];
	struct rdpprn_outq q;
	struct rdpprn_frame f;
	struct rdpprn_rx rx;
	const char *why;
	int sv[2], frames = 0, sndbuf = 4096;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (u8)(i * 7);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
				    sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	rdpprn_outq_init(&q, 0);
	/* a small frame fits: nothing queued */
	assert_int_equal(rdpprn_outq_send(&q, sv[0], RDPPRN_FRAME_PDU, "\x72",
					  1, "\x44", 1), 0);
	assert_true(rdpprn_outq_empty(&q));
	assert_int_equal(q.written, 7);
	/* a big one does not: the rest waits, and so does the next frame */
	assert_int_equal(rdpprn_outq_send(&q, sv[0], RDPPRN_FRAME_PDU, NULL, 0,
					  big, sizeof(big)), 0);
	assert_false(rdpprn_outq_empty(&q));
	assert_true(q.written > 7);
	assert_int_equal(rdpprn_outq_send(&q, sv[0], RDPPRN_FRAME_CLOSE, NULL,
					  0, "bye", 3), 0);
	assert_int_equal(q.written + q.bytes, 7 + 5 + sizeof(big) + 5 + 3);
	rdpprn_rx_init(&rx);
	while (frames < 3) {
		assert_int_equal(rdpprn_outq_flush(&q, sv[0]), 0);
		assert_true(rdpprn_rx_read(&rx, sv[1]) > 0);
		while (rdpprn_rx_next(&rx, &f, &why) == 1) {
			frames++;
			if (frames == 2) {
				assert_int_equal(f.len, sizeof(big));
				assert_memory_equal(f.data, big, sizeof(big));
			} else if (frames == 3) {
				assert_int_equal(f.type, RDPPRN_FRAME_CLOSE);
				assert_memory_equal(f.data, "bye", 3);
			}
		}
	}
	assert_true(rdpprn_outq_empty(&q));
	rdpprn_rx_free(&rx);
	rdpprn_outq_free(&q);
	close(sv[0]);
	close(sv[1]);
}

/* A peer that is gone: the flush reports it. */
static void outq_epipe(void **state)
{
	struct rdpprn_outq q;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	rdpprn_outq_init(&q, 0);
	rdpprn_outq_frame(&q, 3, NULL, 0, "x", 1);
	assert_int_equal(rdpprn_outq_flush(&q, sv[0]), -EPIPE);
	rdpprn_outq_free(&q);
	close(sv[0]);
}

/*
 * The wrapper around libcrypto, not SHA-256 itself: pieces add up, the
 * digest comes out as 64 lowercase digits, and a hash dropped unfinished
 * leaks nothing (ASan).
 */
#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void sha256_wrapper(void **state)
{
	struct rdpprn_sha256 s;
	char hex[RDPPRN_SHA256_HEX];

	rdpprn_sha256_init(&s);
	rdpprn_sha256_update(&s, "a", 1);
	rdpprn_sha256_update(&s, "bc", 2);
	rdpprn_sha256_hex(&s, hex);
	assert_string_equal(hex, ABC_SHA256);
	assert_null(s.ctx);

	rdpprn_sha256_init(&s);
	rdpprn_sha256_update(&s, "x", 1);
	rdpprn_sha256_free(&s);
	rdpprn_sha256_free(&s);
}

static void utf8_and_escape(void **state)
{
	char out[64];

	assert_true(rdpprn_utf8_valid((const u8 *)"Büro €", 9));
	assert_false(rdpprn_utf8_valid((const u8 *)"\xc0\xaf", 2));
	assert_false(rdpprn_utf8_valid((const u8 *)"\xed\xa0\x80", 3));
	assert_false(rdpprn_utf8_valid((const u8 *)"\xe2\x82", 2));
	rdpprn_escape("a\"b\\c\x1b[2J\xc2\x9b", 11, out, sizeof(out));
	assert_string_equal(out, "a\\x22b\\x5cc\\x1b[2J\\x9b");
	rdpprn_escape("abcdef", 6, out, 4);
	assert_string_equal(out, "abc");
	/* an escape is never cut in half */
	rdpprn_escape("ab\x01", 3, out, 5);
	assert_string_equal(out, "ab");
}

static void numbers(void **state)
{
	u64 v;
	u32 st;

	assert_int_equal(rdpprn_parse_size("16M", &v), 0);
	assert_int_equal(v, 16 << 20);
	assert_int_equal(rdpprn_parse_size("256k", &v), 0);
	assert_int_equal(v, 256 << 10);
	assert_int_equal(rdpprn_parse_size("12", &v), 0);
	assert_int_equal(v, 12);
	assert_int_not_equal(rdpprn_parse_size("-1", &v), 0);
	assert_int_not_equal(rdpprn_parse_size("M", &v), 0);
	assert_int_not_equal(rdpprn_parse_u64(" 1", &v), 0);
	assert_int_equal(rdpprn_parse_ntstatus("PRINT_QUEUE_FULL", &st), 0);
	assert_int_equal(st, STATUS_PRINT_QUEUE_FULL);
	assert_int_equal(rdpprn_parse_ntstatus("status_access_denied", &st), 0);
	assert_int_equal(st, STATUS_ACCESS_DENIED);
	assert_int_equal(rdpprn_parse_ntstatus("0xc0000001", &st), 0);
	assert_int_equal(st, STATUS_UNSUCCESSFUL);
	assert_string_equal(rdpprn_ntstatus_name(STATUS_NOT_SUPPORTED),
			    "STATUS_NOT_SUPPORTED");
	assert_null(rdpprn_ntstatus_name(0x12345678));
}

static void hex_decode(void **state)
{
	static const char text[] = "# comment 00 11\n72 44 4c 55\n\n6e 49\n";
	size_t n;
	u8 *b;

	assert_int_equal(rdpprn_hex_decode(text, strlen(text), &b, &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(b, "\x72\x44\x4c\x55\x6e\x49", 6);
	free(b);
	assert_int_equal(rdpprn_hex_decode("7g", 2, &b, &n), -EINVAL);
	assert_int_equal(rdpprn_hex_decode("724", 3, &b, &n), -EINVAL);
}

/* The simulated clients' check of DR_PRN_USING_XPS order (rdpprn_job.h) */
static void jobs_using_xps(void **state)
{
	struct rdpprn_jobs t;
	struct rdpprn_job *job;
	FILE *out = fopen("/dev/null", "w");

	assert_non_null(out);
	rdpprn_jobs_init(&t, out, NULL, 1);
	assert_non_null(rdpprn_jobs_using_xps(&t, 4, true));	/* no job */
	job = rdpprn_job_new(&t, sizeof(*job), 4, 0);
	assert_non_null(rdpprn_jobs_using_xps(&t, 4, false));	/* not XPS */
	assert_false(job->xps);
	assert_non_null(rdpprn_jobs_using_xps(&t, 5, true));	/* other dev */
	assert_null(rdpprn_jobs_using_xps(&t, 4, true));
	assert_true(job->xps);
	job->writes = 1;
	assert_non_null(rdpprn_jobs_using_xps(&t, 4, true));	/* too late */
	rdpprn_job_end(&t, job, "closed");
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_whole),
		cmocka_unit_test(frame_truncated),
		cmocka_unit_test(frame_oversized),
		cmocka_unit_test(frame_garbage),
		cmocka_unit_test(frame_open),
		cmocka_unit_test(frame_open_ext),
		cmocka_unit_test(frame_open_addr),
		cmocka_unit_test(rx_byte_by_byte),
		cmocka_unit_test(rx_truncated_stream),
		cmocka_unit_test(rx_garbage_after_good),
		cmocka_unit_test(rx_socket),
		cmocka_unit_test(outq_limit),
		cmocka_unit_test(outq_epipe),
		cmocka_unit_test(outq_send_direct),
		cmocka_unit_test(sha256_wrapper),
		cmocka_unit_test(utf8_and_escape),
		cmocka_unit_test(numbers),
		cmocka_unit_test(hex_decode),
		cmocka_unit_test(jobs_using_xps),
	};

	/* outq_epipe writes to a closed socket, as rdpprnd may */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("rdpprn_frame", tests, NULL, NULL);
}
