// SPDX-License-Identifier: GPL-2.0
/*
 * frame.c - encoding and decoding of the rdpprnd framing protocol. Both
 * ends treat the other's bytes as hostile: a frame is refused by its
 * header before anything is buffered for it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "rdpprn_frame.h"

static const char *const rdpprn_frame_names[] = {
	[RDPPRN_FRAME_SESSION_OPEN] = "SESSION_OPEN",
	[RDPPRN_FRAME_PDU] = "PDU",
	[RDPPRN_FRAME_CLOSE] = "CLOSE",
	[RDPPRN_FRAME_SESSION_INFO] = "SESSION_INFO",
};

const char *rdpprn_frame_type_name(u8 type)
{
	if (type < ARRAY_SIZE(rdpprn_frame_names) && rdpprn_frame_names[type])
		return rdpprn_frame_names[type];
	return "unknown";
}

/* The payload sizes each type allows: [min, max] */
static int rdpprn_frame_check_len(u8 type, u32 len, const char **why)
{
	u32 min, max;

	switch (type) {
	case RDPPRN_FRAME_SESSION_OPEN:
		min = RDPPRN_FRAME_OPEN_FIXED;
		max = RDPPRN_FRAME_OPEN_MAX;
		break;
	case RDPPRN_FRAME_PDU:
		min = 1;
		max = RDPPRN_FRAME_MAX;
		break;
	case RDPPRN_FRAME_CLOSE:
		min = 0;
		max = RDPPRN_FRAME_CLOSE_MAX;
		break;
	case RDPPRN_FRAME_SESSION_INFO:
		min = RDPPRN_FRAME_INFO_SIZE;
		max = RDPPRN_FRAME_INFO_SIZE;
		break;
	default:
		*why = "unknown frame type";
		return -EBADMSG;
	}
	if (len > max) {
		*why = type == RDPPRN_FRAME_PDU ? "frame larger than 1 MiB" :
		       "frame larger than its type allows";
		return -EMSGSIZE;
	}
	if (len < min) {
		*why = "frame shorter than its type requires";
		return -EBADMSG;
	}
	return 0;
}

long rdpprn_frame_peek(const u8 *buf, size_t len, struct rdpprn_frame *f,
		       const char **why)
{
	u32 plen;
	int ret;

	*why = NULL;
	if (len < RDPPRN_FRAME_HDR_SIZE)
		return 0;
	plen = rdpprn_get_le32(buf);
	ret = rdpprn_frame_check_len(buf[4], plen, why);
	if (ret)
		return ret;
	if (len - RDPPRN_FRAME_HDR_SIZE < plen)
		return 0;
	f->type = buf[4];
	f->len = plen;
	f->data = buf + RDPPRN_FRAME_HDR_SIZE;
	return (long)RDPPRN_FRAME_HDR_SIZE + plen;
}

void rdpprn_frame_hdr(u8 *hdr, u8 type, u32 len)
{
	rdpprn_put_le32(hdr, len);
	hdr[4] = type;
}

/*
 * Version 2's address: length, then the literal. Only what inet_pton()
 * takes as an IPv4 or IPv6 address is accepted, so that nothing else
 * reaches the kernel, the logs or a policy's address match.
 */
static int rdpprn_frame_parse_open_addr(const u8 *p, size_t n,
					struct rdpprn_open *o, const char **why)
{
	struct in6_addr a;

	if (!n || p[0] != n - 1 || p[0] >= RDPPRN_CLIENT_ADDR_MAX) {
		*why = "client address length does not match the block";
		return -EBADMSG;
	}
	memcpy(o->addr, p + 1, p[0]);
	o->addr[p[0]] = '\0';
	if (!p[0])
		return 0;	/* unknown */
	if (strlen(o->addr) == p[0] &&
	    (inet_pton(AF_INET, o->addr, &a) == 1 ||
	     inet_pton(AF_INET6, o->addr, &a) == 1))
		return 0;
	o->addr[0] = '\0';
	*why = "client address is no IPv4 or IPv6 literal";
	return -EBADMSG;
}

/* The extension block after the name's NUL: version, then its fields */
static int rdpprn_frame_parse_open_ext(const u8 *ext, size_t n,
				       struct rdpprn_open *o, const char **why)
{
	if (!n) {
		*why = "extension block without a version";
		return -EBADMSG;
	}
	o->ext_version = ext[0];
	if (o->ext_version != RDPPRN_OPEN_EXT_V1 &&
	    o->ext_version != RDPPRN_OPEN_EXT_V2) {
		*why = "unknown extension version";
		return -EPROTONOSUPPORT;
	}
	if (n < RDPPRN_OPEN_EXT_V1_LEN - 1 ||
	    (o->ext_version == RDPPRN_OPEN_EXT_V1 &&
	     n != RDPPRN_OPEN_EXT_V1_LEN - 1)) {
		*why = "extension block of the wrong size";
		return -EBADMSG;
	}
	o->flags = rdpprn_get_le32(ext + 1);
	if (o->flags & ~RDPPRN_OPEN_FLAGS_V1) {
		*why = "unknown flags";
		return -EOPNOTSUPP;
	}
	if (o->ext_version == RDPPRN_OPEN_EXT_V2)
		return rdpprn_frame_parse_open_addr(ext + 5, n - 5, o, why);
	return 0;
}

int rdpprn_frame_parse_open(const struct rdpprn_frame *f,
			    struct rdpprn_open *o, const char **why)
{
	const u8 *name = f->data + RDPPRN_FRAME_OPEN_FIXED, *nul;
	size_t n, ext;

	*why = NULL;
	memset(o, 0, sizeof(*o));
	if (f->type != RDPPRN_FRAME_SESSION_OPEN ||
	    f->len < RDPPRN_FRAME_OPEN_FIXED ||
	    f->len > RDPPRN_FRAME_OPEN_MAX) {
		*why = "not a SESSION_OPEN payload";
		return -EBADMSG;
	}
	n = f->len - RDPPRN_FRAME_OPEN_FIXED;
	nul = memchr(name, '\0', n);
	ext = nul ? n - (size_t)(nul - name) : 0;
	n -= ext;
	if (n > RDPPRN_FRAME_OPEN_NAME_MAX) {
		*why = "client name longer than 255 bytes";
		return -EBADMSG;
	}
	if (!rdpprn_utf8_valid(name, n)) {
		*why = "client name is not UTF-8 text";
		return -EBADMSG;
	}
	o->uid = rdpprn_get_le32(f->data);
	o->gid = rdpprn_get_le32(f->data + 4);
	memcpy(o->name, name, n);
	o->name[n] = '\0';
	if (!nul)
		return 0;
	return rdpprn_frame_parse_open_ext(nul + 1, ext - 1, o, why);
}

int rdpprn_frame_build_open(u8 *buf, size_t cap, const struct rdpprn_open *o)
{
	size_t n = strnlen(o->name, sizeof(o->name));
	size_t alen = strnlen(o->addr, sizeof(o->addr));
	size_t ext = 0;

	if (o->ext_version == RDPPRN_OPEN_EXT_V1)
		ext = RDPPRN_OPEN_EXT_V1_LEN;
	else if (o->ext_version == RDPPRN_OPEN_EXT_V2)
		ext = RDPPRN_OPEN_EXT_V2_FIXED + alen;
	else if (o->ext_version)
		return -EINVAL;
	if (n > RDPPRN_FRAME_OPEN_NAME_MAX || alen >= sizeof(o->addr))
		return -E2BIG;
	if (cap < RDPPRN_FRAME_OPEN_FIXED + n + ext)
		return -ENOSPC;
	rdpprn_put_le32(buf, o->uid);
	rdpprn_put_le32(buf + 4, o->gid);
	memcpy(buf + RDPPRN_FRAME_OPEN_FIXED, o->name, n);
	n += RDPPRN_FRAME_OPEN_FIXED;
	if (ext) {
		buf[n] = '\0';
		buf[n + 1] = o->ext_version;
		rdpprn_put_le32(buf + n + 2, o->flags);
	}
	if (o->ext_version == RDPPRN_OPEN_EXT_V2) {
		buf[n + RDPPRN_OPEN_EXT_V1_LEN] = (u8)alen;
		memcpy(buf + n + RDPPRN_OPEN_EXT_V2_FIXED, o->addr, alen);
	}
	return (int)(n + ext);
}
