/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rdpdr_wire.h - private helpers of the RDPDR wire library: little-endian
 * access, the bounds-checked reader every parser uses, and the PDU body
 * readers that rdpdr_describe() shares with the rdpdr_parse_*() functions.
 *
 * Nothing here is API: only the .c files next to it include it.
 */
#ifndef RDPDR_WIRE_H
#define RDPDR_WIRE_H

#include "rdpdr.h"

/*
 * Little-endian access written with shifts: it works on any alignment and
 * byte order, and does not depend on <asm/unaligned.h>, which moved between
 * kernel releases.
 */
static inline u16 rdpdr_get_u16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 rdpdr_get_u32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 rdpdr_get_u64(const u8 *p)
{
	return (u64)rdpdr_get_u32(p) | (u64)rdpdr_get_u32(p + 4) << 32;
}

static inline void rdpdr_put_u16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void rdpdr_put_u32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static inline void rdpdr_put_u64(u8 *p, u64 v)
{
	rdpdr_put_u32(p, (u32)v);
	rdpdr_put_u32(p + 4, (u32)(v >> 32));
}

/*
 * Every field the library reads or reports. The names (table in
 * rdpdr_parse.c) are those of RDPDR.md, and they are also the keys that
 * rdpdr_describe() hands to a visitor.
 */
enum rdpdr_fid {
	RDPDR_F_NONE,
	RDPDR_F_COMPONENT,
	RDPDR_F_PACKET_ID,
	RDPDR_F_VERSION_MAJOR,
	RDPDR_F_VERSION_MINOR,
	RDPDR_F_CLIENT_ID,
	RDPDR_F_UNICODE_FLAG,
	RDPDR_F_CODE_PAGE,
	RDPDR_F_COMPUTER_NAME_LEN,
	RDPDR_F_COMPUTER_NAME,
	RDPDR_F_NUM_CAPS,
	RDPDR_F_PADDING,
	RDPDR_F_CAP,
	RDPDR_F_CAP_TYPE,
	RDPDR_F_CAP_LENGTH,
	RDPDR_F_CAP_VERSION,
	RDPDR_F_OS_TYPE,
	RDPDR_F_OS_VERSION,
	RDPDR_F_PROTO_MAJOR,
	RDPDR_F_PROTO_MINOR,
	RDPDR_F_IO_CODE1,
	RDPDR_F_IO_CODE2,
	RDPDR_F_EXTENDED_PDU,
	RDPDR_F_EXTRA_FLAGS1,
	RDPDR_F_EXTRA_FLAGS2,
	RDPDR_F_SPECIAL_TYPE_DEVICE_CAP,
	RDPDR_F_DEVICE_COUNT,
	RDPDR_F_DEV,
	RDPDR_F_DEVICE_TYPE,
	RDPDR_F_DEVICE_ID,
	RDPDR_F_PREFERRED_DOS_NAME,
	RDPDR_F_DEVICE_DATA_LENGTH,
	RDPDR_F_DEVICE_DATA,
	RDPDR_F_FLAGS,
	RDPDR_F_PNP_NAME_LEN,
	RDPDR_F_DRIVER_NAME_LEN,
	RDPDR_F_PRINT_NAME_LEN,
	RDPDR_F_CACHED_FIELDS_LEN,
	RDPDR_F_PNP_NAME,
	RDPDR_F_DRIVER_NAME,
	RDPDR_F_PRINTER_NAME,
	RDPDR_F_CACHED_DATA,
	RDPDR_F_RESULT_CODE,
	RDPDR_F_DEVICE_IDS,
	RDPDR_F_FILE_ID,
	RDPDR_F_COMPLETION_ID,
	RDPDR_F_MAJOR_FUNCTION,
	RDPDR_F_MINOR_FUNCTION,
	RDPDR_F_DESIRED_ACCESS,
	RDPDR_F_ALLOCATION_SIZE,
	RDPDR_F_FILE_ATTRIBUTES,
	RDPDR_F_SHARED_ACCESS,
	RDPDR_F_CREATE_DISPOSITION,
	RDPDR_F_CREATE_OPTIONS,
	RDPDR_F_PATH_LENGTH,
	RDPDR_F_PATH,
	RDPDR_F_LENGTH,
	RDPDR_F_OFFSET,
	RDPDR_F_WRITE_DATA,
	RDPDR_F_PADDING_LEN,
	RDPDR_F_IO_STATUS,
	RDPDR_F_HAS_INFORMATION,
	RDPDR_F_INFORMATION,
	RDPDR_F_HAS_PADDING,
	RDPDR_F_PRINTER_ID,
	RDPDR_F_EVENT_ID,
	RDPDR_F_PORT_DOS_NAME,
	RDPDR_F_PRINTER_NAME_LEN,
	RDPDR_F_CONFIG_DATA_LEN,
	RDPDR_F_CONFIG_DATA_PRESENT,
	RDPDR_F_CONFIG_DATA,
	RDPDR_F_OLD_PRINTER_NAME_LEN,
	RDPDR_F_NEW_PRINTER_NAME_LEN,
	RDPDR_F_OLD_PRINTER_NAME,
	RDPDR_F_NEW_PRINTER_NAME,
	RDPDR_F_COUNT
};

/**
 * struct rdpdr_rd - bounds-checked reader over (part of) a PDU
 * @buf: first byte this reader may read
 * @len: bytes it may read
 * @pos: next byte to read; always <= @len
 * @base: offset of @buf[0] from the start of the PDU (error offsets)
 * @declared: total PDU length the fields read so far declare, or 0
 * @err: where a failure is recorded, or NULL
 * @v: visitor that sees every field read, or NULL when parsing
 * @depth: objects and arrays opened on @v and not closed yet
 * @arrays: bit n set when level n is an array
 *
 * A read that does not fit fails without reading and records -ENODATA.
 */
struct rdpdr_rd {
	const u8 *buf;
	size_t len;
	size_t pos;
	u32 base;
	u64 declared;
	struct rdpdr_err *err;
	const struct rdpdr_visitor *v;
	u32 depth;
	u32 arrays;
};

/**
 * struct rdpdr_len - a length field, kept with where it was read
 * @val: its value
 * @at: its offset in the PDU
 * @f: the field
 *
 * When what it counts does not fit, the error names the length field.
 */
struct rdpdr_len {
	u32 val;
	u32 at;
	enum rdpdr_fid f;
};

static inline size_t rdpdr_rd_left(const struct rdpdr_rd *r)
{
	return r->len - r->pos;
}

/* Offset from the start of the PDU of the byte @back bytes before @pos. */
static inline u32 rdpdr_rd_off(const struct rdpdr_rd *r, size_t back)
{
	return r->base + (u32)(r->pos - back);
}

void rdpdr_rd_init(struct rdpdr_rd *r, const u8 *buf, size_t len,
		   struct rdpdr_err *err, const struct rdpdr_visitor *v);
int rdpdr_rd_fail(struct rdpdr_rd *r, int code, enum rdpdr_fid f,
		  const char *reason, u32 offset);
int rdpdr_rd_bytes(struct rdpdr_rd *r, enum rdpdr_fid f, size_t n,
		   const u8 **out);
int rdpdr_rd_u8(struct rdpdr_rd *r, enum rdpdr_fid f, u8 *out);
int rdpdr_rd_u16(struct rdpdr_rd *r, enum rdpdr_fid f, u16 *out);
int rdpdr_rd_u32(struct rdpdr_rd *r, enum rdpdr_fid f, u32 *out);
int rdpdr_rd_u64(struct rdpdr_rd *r, enum rdpdr_fid f, u64 *out);
int rdpdr_rd_sub(struct rdpdr_rd *r, enum rdpdr_fid f, size_t n,
		 struct rdpdr_rd *sub);
int rdpdr_rd_len(struct rdpdr_rd *r, enum rdpdr_fid f, struct rdpdr_len *len);
int rdpdr_rd_fits(struct rdpdr_rd *r, const struct rdpdr_len *len);
int rdpdr_rd_str(struct rdpdr_rd *r, enum rdpdr_fid f,
		 const struct rdpdr_len *len, bool unicode, struct rdpdr_str *s);
int rdpdr_rd_blob(struct rdpdr_rd *r, enum rdpdr_fid f,
		  const struct rdpdr_len *len, const u8 **out);

/* Reporting without reading; all of them do nothing without a visitor. */
void rdpdr_show_num(struct rdpdr_rd *r, enum rdpdr_fid f, u64 value);
void rdpdr_show_flag(struct rdpdr_rd *r, enum rdpdr_fid f, bool value);
void rdpdr_show_str(struct rdpdr_rd *r, enum rdpdr_fid f,
		    const struct rdpdr_str *s);
void rdpdr_show_blob(struct rdpdr_rd *r, enum rdpdr_fid f, const u8 *data,
		     size_t len);
void rdpdr_show_begin(struct rdpdr_rd *r, enum rdpdr_fid f, bool array);
void rdpdr_show_end(struct rdpdr_rd *r);
void rdpdr_show_close_all(struct rdpdr_rd *r);

/*
 * PDU body readers: @r stands after the RDPDR_HEADER (for the I/O responses
 * and requests, after their common prefix) and the output is zeroed by the
 * caller.
 */
int rdpdr_read_hdr(struct rdpdr_rd *r, struct rdpdr_hdr *hdr);
int rdpdr_read_announce(struct rdpdr_rd *r, struct rdpdr_announce *a);
int rdpdr_read_client_name(struct rdpdr_rd *r, struct rdpdr_client_name *cn);
int rdpdr_read_caps(struct rdpdr_rd *r, u16 *num, u16 *padding,
		    struct rdpdr_cap_set *sets, u16 *count);
int rdpdr_read_devlist(struct rdpdr_rd *r, struct rdpdr_devlist *dl);
int rdpdr_read_device_reply(struct rdpdr_rd *r,
			    struct rdpdr_device_reply *dr);
int rdpdr_read_devlist_remove(struct rdpdr_rd *r,
			      struct rdpdr_devlist_remove *rm);
int rdpdr_read_ioreq(struct rdpdr_rd *r, struct rdpdr_ioreq *io);
int rdpdr_read_create_req(struct rdpdr_rd *r, struct rdpdr_create_req *req);
int rdpdr_read_write_req(struct rdpdr_rd *r, struct rdpdr_write_req *req,
			 bool with_data);
int rdpdr_read_close_req(struct rdpdr_rd *r);
int rdpdr_read_iocompletion(struct rdpdr_rd *r,
			    struct rdpdr_iocompletion *c);
int rdpdr_read_create_rsp(struct rdpdr_rd *r, struct rdpdr_create_rsp *rsp);
int rdpdr_read_write_rsp(struct rdpdr_rd *r, struct rdpdr_write_rsp *rsp);
int rdpdr_read_close_rsp(struct rdpdr_rd *r, struct rdpdr_close_rsp *rsp);
int rdpdr_read_using_xps(struct rdpdr_rd *r, struct rdpdr_using_xps *x);
int rdpdr_read_cache_data(struct rdpdr_rd *r, struct rdpdr_cache_data *cd);

#endif /* RDPDR_WIRE_H */
