/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_frame.h - the framing protocol between an RDP server process and
 * rdpprnd (Documentation/rdpprnd.rst, "Integrating an RDP server").
 *
 * A connection carries a stream of frames in both directions:
 *
 *   u32 length (little-endian) | u8 type | payload[length]
 *
 * @length counts the payload only, so a frame is 5 + length bytes. The RDP
 * server side sends SESSION_OPEN first, then PDU frames (one whole RDPDR
 * PDU each, reassembled from the channel's chunks) and CLOSE when the
 * client goes away. rdpprnd sends SESSION_INFO once the kernel session
 * exists, PDU frames for the client and CLOSE when it ends the session.
 */
#ifndef RDPPRN_FRAME_H
#define RDPPRN_FRAME_H

#include "rdpprn_util.h"
#include "linux/rdpprn.h"

#define RDPPRN_FRAME_HDR_SIZE		5
/* Largest payload of any frame: the largest RDPDR PDU rdpprn accepts. */
#define RDPPRN_FRAME_MAX		(1024 * 1024)
#define RDPPRN_FRAME_CLOSE_MAX		1024
#define RDPPRN_FRAME_OPEN_FIXED		8
#define RDPPRN_FRAME_OPEN_NAME_MAX	(RDPPRN_CLIENT_NAME_MAX - 1)
#define RDPPRN_FRAME_INFO_SIZE		4

/*
 * SESSION_OPEN extension: the client name may be followed by one NUL and
 * an extension block, version u8 then its fields. Version 1 is
 * RDPPRN_OPEN_EXT_V1_LEN bytes from the NUL on: NUL, version, flags u32.
 * Version 2 appends the client's network address: length u8 (0 for
 * unknown, at most RDPPRN_CLIENT_ADDR_MAX - 1), then an IPv4 or IPv6
 * literal in ASCII without a NUL. A parser refuses versions it does not
 * know, so a later version may append fields without an old rdpprnd
 * misreading them.
 */
#define RDPPRN_OPEN_EXT_V1		1
#define RDPPRN_OPEN_EXT_V1_LEN		6
#define RDPPRN_OPEN_EXT_V2		2
#define RDPPRN_OPEN_EXT_V2_FIXED	7
/* The RDP server runs the handshake and keeps the non-printer devices */
#define RDPPRN_OPEN_PROVIDER		0x1
#define RDPPRN_OPEN_FLAGS_V1		RDPPRN_OPEN_PROVIDER
#define RDPPRN_FRAME_OPEN_MAX		(RDPPRN_FRAME_OPEN_FIXED + \
					 RDPPRN_FRAME_OPEN_NAME_MAX + \
					 RDPPRN_OPEN_EXT_V2_FIXED + \
					 RDPPRN_CLIENT_ADDR_MAX - 1)

/**
 * enum rdpprn_frame_type - frame types
 * @RDPPRN_FRAME_SESSION_OPEN: server to rdpprnd, first frame: uid u32,
 *	gid u32 (little-endian; owner of the session's device nodes), then
 *	the client's name in UTF-8 (0..255 bytes, no NUL), optionally a
 *	NUL and an extension block (RDPPRN_OPEN_EXT_V1)
 * @RDPPRN_FRAME_PDU: both ways: one whole RDPDR PDU (1 byte to 1 MiB)
 * @RDPPRN_FRAME_CLOSE: both ways: the sender ends the session; optional
 *	UTF-8 reason (at most 1024 bytes) for the logs
 * @RDPPRN_FRAME_SESSION_INFO: rdpprnd to server: u32 kernel session id,
 *	sent once after SESSION_OPEN succeeded
 */
enum rdpprn_frame_type {
	RDPPRN_FRAME_SESSION_OPEN = 1,
	RDPPRN_FRAME_PDU = 2,
	RDPPRN_FRAME_CLOSE = 3,
	RDPPRN_FRAME_SESSION_INFO = 4,
};

/**
 * struct rdpprn_frame - one decoded frame
 * @type: &enum rdpprn_frame_type
 * @len: payload length
 * @data: payload (points into the receive buffer)
 */
struct rdpprn_frame {
	u8 type;
	u32 len;
	const u8 *data;
};

/**
 * struct rdpprn_open - SESSION_OPEN payload
 * @uid: owner of the device nodes
 * @gid: their group
 * @name: client name, UTF-8, NUL-terminated here
 * @ext_version: version of the extension block, 0 when there is none
 * @flags: RDPPRN_OPEN_* flags of the extension block
 * @addr: version 2: the client's address, an IPv4 or IPv6 literal, ""
 *	when unknown
 */
struct rdpprn_open {
	u32 uid;
	u32 gid;
	char name[RDPPRN_CLIENT_NAME_MAX];
	u8 ext_version;
	u32 flags;
	char addr[RDPPRN_CLIENT_ADDR_MAX];
};

/**
 * rdpprn_frame_peek() - look for a complete frame at the start of a buffer
 * @buf: received bytes
 * @len: how many
 * @f: the frame, when one is complete
 * @why: reason of a failure (static string)
 *
 * The header alone is enough to refuse a frame (unknown type, payload
 * larger than its type allows), so nothing is buffered for a frame that
 * will be refused.
 *
 * Return: bytes of the complete frame (header included), 0 when more
 * bytes are needed, -EBADMSG for a malformed frame or -EMSGSIZE for one
 * that is too large.
 */
long rdpprn_frame_peek(const u8 *buf, size_t len, struct rdpprn_frame *f,
		       const char **why);

/* Write the 5-byte header of a frame. */
void rdpprn_frame_hdr(u8 *hdr, u8 type, u32 len);
/* "SESSION_OPEN", ..., "unknown" */
const char *rdpprn_frame_type_name(u8 type);

/*
 * Decode a SESSION_OPEN payload. Return: 0; -EBADMSG (and @why) if
 * malformed; -EPROTONOSUPPORT for an extension block of another version
 * or length than this code knows (@o->ext_version says which version);
 * -EOPNOTSUPP for unknown flags (@o->flags has them all).
 */
int rdpprn_frame_parse_open(const struct rdpprn_frame *f,
			    struct rdpprn_open *o, const char **why);
/*
 * Encode a SESSION_OPEN payload into @buf: at least 8 + 255 bytes, and
 * RDPPRN_FRAME_OPEN_MAX with an extension block (@o->ext_version set).
 */
int rdpprn_frame_build_open(u8 *buf, size_t cap, const struct rdpprn_open *o);

#endif /* RDPPRN_FRAME_H */
