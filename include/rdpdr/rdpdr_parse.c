// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_parse.c - parse the PDUs of the rdpdr channel.
 *
 * Every byte comes from the other end and is treated as hostile. All reads
 * go through struct rdpdr_rd, which checks each one against the bytes that
 * remain before it happens; lengths are added up in 64 bits; the first
 * failure is recorded with its field, its offset in the PDU and a static
 * reason. The same body readers report what they read to a visitor when
 * rdpdr_describe() runs them, so the parser and the decoder cannot drift
 * apart.
 */
#include "rdpdr_wire.h"

#define RDPDR_FF_HEX		0x1	/* reads better in hex */
#define RDPDR_FF_HIDE		0x2	/* never shown (padding) */
#define RDPDR_FF_OMIT_EMPTY	0x4	/* not shown when empty */

/* Strings shown without a visitor scratch buffer are cut to this size. */
#define RDPDR_SHOW_STR_LOCAL	256

/**
 * struct rdpdr_field - what the library knows about a field
 * @name: the name of RDPDR.md, as reported in struct rdpdr_err
 * @key: the name a visitor sees when it differs from @name
 * @cut: reason when the PDU ends inside the field
 * @over: length fields: reason when what they count runs past the end
 * @bad: strings: reason for a bad encoding or a missing terminator
 * @big: strings: reason for a string above RDPDR_MAX_STRING_BYTES
 * @flags: RDPDR_FF_*
 *
 * The reasons are spelled out here, once per field, because they must be
 * static strings that name the field (they double as netlink extack
 * messages).
 */
struct rdpdr_field {
	const char *name;
	const char *key;
	const char *cut;
	const char *over;
	const char *bad;
	const char *big;
	u8 flags;
};

static const struct rdpdr_field rdpdr_fields[RDPDR_F_COUNT] = {
	[RDPDR_F_NONE] = { .name = NULL },
	[RDPDR_F_COMPONENT] = { .name = "Component", .flags = RDPDR_FF_HEX,
		.cut = "Component runs past the end of the PDU" },
	[RDPDR_F_PACKET_ID] = { .name = "PacketId", .flags = RDPDR_FF_HEX,
		.cut = "PacketId runs past the end of the PDU" },
	[RDPDR_F_VERSION_MAJOR] = { .name = "VersionMajor",
		.cut = "VersionMajor runs past the end of the PDU" },
	[RDPDR_F_VERSION_MINOR] = { .name = "VersionMinor",
		.flags = RDPDR_FF_HEX,
		.cut = "VersionMinor runs past the end of the PDU" },
	[RDPDR_F_CLIENT_ID] = { .name = "ClientId",
		.cut = "ClientId runs past the end of the PDU" },
	[RDPDR_F_UNICODE_FLAG] = { .name = "UnicodeFlag", .flags = RDPDR_FF_HEX,
		.cut = "UnicodeFlag runs past the end of the PDU" },
	[RDPDR_F_CODE_PAGE] = { .name = "CodePage",
		.cut = "CodePage runs past the end of the PDU" },
	[RDPDR_F_COMPUTER_NAME_LEN] = { .name = "ComputerNameLen",
		.cut = "ComputerNameLen runs past the end of the PDU",
		.over = "ComputerNameLen exceeds the remaining bytes" },
	[RDPDR_F_COMPUTER_NAME] = { .name = "ComputerName",
		.cut = "ComputerName runs past the end of the PDU",
		.bad = "ComputerName is not a valid NUL-terminated string",
		.big = "ComputerName is longer than 2048 bytes" },
	[RDPDR_F_NUM_CAPS] = { .name = "numCapabilities",
		.cut = "numCapabilities runs past the end of the PDU" },
	[RDPDR_F_PADDING] = { .name = "Padding", .flags = RDPDR_FF_HIDE,
		.cut = "Padding runs past the end of the PDU" },
	[RDPDR_F_CAP] = { .name = "cap" },
	[RDPDR_F_CAP_TYPE] = { .name = "CapabilityType", .key = "Type",
		.cut = "CapabilityType runs past the end of the PDU" },
	[RDPDR_F_CAP_LENGTH] = { .name = "CapabilityLength", .key = "Length",
		.cut = "CapabilityLength runs past the end of the PDU" },
	[RDPDR_F_CAP_VERSION] = { .name = "Version",
		.cut = "Version runs past the end of the PDU" },
	[RDPDR_F_OS_TYPE] = { .name = "osType",
		.cut = "osType runs past the end of the PDU" },
	[RDPDR_F_OS_VERSION] = { .name = "osVersion", .flags = RDPDR_FF_HEX,
		.cut = "osVersion runs past the end of the PDU" },
	[RDPDR_F_PROTO_MAJOR] = { .name = "protocolMajorVersion",
		.cut = "protocolMajorVersion runs past the end of the PDU" },
	[RDPDR_F_PROTO_MINOR] = { .name = "protocolMinorVersion",
		.flags = RDPDR_FF_HEX,
		.cut = "protocolMinorVersion runs past the end of the PDU" },
	[RDPDR_F_IO_CODE1] = { .name = "ioCode1", .flags = RDPDR_FF_HEX,
		.cut = "ioCode1 runs past the end of the PDU" },
	[RDPDR_F_IO_CODE2] = { .name = "ioCode2", .flags = RDPDR_FF_HEX,
		.cut = "ioCode2 runs past the end of the PDU" },
	[RDPDR_F_EXTENDED_PDU] = { .name = "extendedPDU", .flags = RDPDR_FF_HEX,
		.cut = "extendedPDU runs past the end of the PDU" },
	[RDPDR_F_EXTRA_FLAGS1] = { .name = "extraFlags1", .flags = RDPDR_FF_HEX,
		.cut = "extraFlags1 runs past the end of the PDU" },
	[RDPDR_F_EXTRA_FLAGS2] = { .name = "extraFlags2", .flags = RDPDR_FF_HEX,
		.cut = "extraFlags2 runs past the end of the PDU" },
	[RDPDR_F_SPECIAL_TYPE_DEVICE_CAP] = { .name = "SpecialTypeDeviceCap",
		.cut = "SpecialTypeDeviceCap runs past the end of the PDU" },
	[RDPDR_F_DEVICE_COUNT] = { .name = "DeviceCount",
		.cut = "DeviceCount runs past the end of the PDU" },
	[RDPDR_F_DEV] = { .name = "dev" },
	[RDPDR_F_DEVICE_TYPE] = { .name = "DeviceType", .flags = RDPDR_FF_HEX,
		.cut = "DeviceType runs past the end of the PDU" },
	[RDPDR_F_DEVICE_ID] = { .name = "DeviceId",
		.cut = "DeviceId runs past the end of the PDU" },
	[RDPDR_F_PREFERRED_DOS_NAME] = { .name = "PreferredDosName",
		.cut = "PreferredDosName runs past the end of the PDU" },
	[RDPDR_F_DEVICE_DATA_LENGTH] = { .name = "DeviceDataLength",
		.cut = "DeviceDataLength runs past the end of the PDU",
		.over = "DeviceDataLength exceeds the remaining bytes" },
	[RDPDR_F_DEVICE_DATA] = { .name = "DeviceData",
		.cut = "DeviceData runs past the end of the PDU" },
	[RDPDR_F_FLAGS] = { .name = "Flags", .flags = RDPDR_FF_HEX,
		.cut = "Flags runs past the end of the PDU" },
	[RDPDR_F_PNP_NAME_LEN] = { .name = "PnPNameLen",
		.cut = "PnPNameLen runs past the end of the PDU",
		.over = "PnPNameLen exceeds the remaining bytes" },
	[RDPDR_F_DRIVER_NAME_LEN] = { .name = "DriverNameLen",
		.cut = "DriverNameLen runs past the end of the PDU",
		.over = "DriverNameLen exceeds the remaining bytes" },
	[RDPDR_F_PRINT_NAME_LEN] = { .name = "PrintNameLen",
		.cut = "PrintNameLen runs past the end of the PDU",
		.over = "PrintNameLen exceeds the remaining bytes" },
	[RDPDR_F_CACHED_FIELDS_LEN] = { .name = "CachedFieldsLen",
		.cut = "CachedFieldsLen runs past the end of the PDU",
		.over = "CachedFieldsLen exceeds the remaining bytes" },
	[RDPDR_F_PNP_NAME] = { .name = "PnPName", .flags = RDPDR_FF_OMIT_EMPTY,
		.cut = "PnPName runs past the end of the PDU",
		.bad = "PnPName is not a valid NUL-terminated string",
		.big = "PnPName is longer than 2048 bytes" },
	[RDPDR_F_DRIVER_NAME] = { .name = "DriverName",
		.cut = "DriverName runs past the end of the PDU",
		.bad = "DriverName is not a valid NUL-terminated string",
		.big = "DriverName is longer than 2048 bytes" },
	[RDPDR_F_PRINTER_NAME] = { .name = "PrinterName",
		.cut = "PrinterName runs past the end of the PDU",
		.bad = "PrinterName is not a valid NUL-terminated string",
		.big = "PrinterName is longer than 2048 bytes" },
	[RDPDR_F_CACHED_DATA] = { .name = "CachedPrinterConfigData",
		.cut = "CachedPrinterConfigData runs past the end of the PDU" },
	[RDPDR_F_RESULT_CODE] = { .name = "ResultCode", .flags = RDPDR_FF_HEX,
		.cut = "ResultCode runs past the end of the PDU" },
	[RDPDR_F_DEVICE_IDS] = { .name = "DeviceIds",
		.cut = "DeviceIds runs past the end of the PDU" },
	[RDPDR_F_FILE_ID] = { .name = "FileId",
		.cut = "FileId runs past the end of the PDU" },
	[RDPDR_F_COMPLETION_ID] = { .name = "CompletionId",
		.cut = "CompletionId runs past the end of the PDU" },
	[RDPDR_F_MAJOR_FUNCTION] = { .name = "MajorFunction",
		.cut = "MajorFunction runs past the end of the PDU" },
	[RDPDR_F_MINOR_FUNCTION] = { .name = "MinorFunction",
		.cut = "MinorFunction runs past the end of the PDU" },
	[RDPDR_F_DESIRED_ACCESS] = { .name = "DesiredAccess",
		.flags = RDPDR_FF_HEX,
		.cut = "DesiredAccess runs past the end of the PDU" },
	[RDPDR_F_ALLOCATION_SIZE] = { .name = "AllocationSize",
		.cut = "AllocationSize runs past the end of the PDU" },
	[RDPDR_F_FILE_ATTRIBUTES] = { .name = "FileAttributes",
		.flags = RDPDR_FF_HEX,
		.cut = "FileAttributes runs past the end of the PDU" },
	[RDPDR_F_SHARED_ACCESS] = { .name = "SharedAccess",
		.flags = RDPDR_FF_HEX,
		.cut = "SharedAccess runs past the end of the PDU" },
	[RDPDR_F_CREATE_DISPOSITION] = { .name = "CreateDisposition",
		.cut = "CreateDisposition runs past the end of the PDU" },
	[RDPDR_F_CREATE_OPTIONS] = { .name = "CreateOptions",
		.flags = RDPDR_FF_HEX,
		.cut = "CreateOptions runs past the end of the PDU" },
	[RDPDR_F_PATH_LENGTH] = { .name = "PathLength",
		.cut = "PathLength runs past the end of the PDU",
		.over = "PathLength exceeds the remaining bytes" },
	[RDPDR_F_PATH] = { .name = "Path", .flags = RDPDR_FF_OMIT_EMPTY,
		.cut = "Path runs past the end of the PDU",
		.bad = "Path is not a valid NUL-terminated string",
		.big = "Path is longer than 2048 bytes" },
	[RDPDR_F_LENGTH] = { .name = "Length",
		.cut = "Length runs past the end of the PDU",
		.over = "Length exceeds the remaining bytes" },
	[RDPDR_F_OFFSET] = { .name = "Offset",
		.cut = "Offset runs past the end of the PDU" },
	[RDPDR_F_WRITE_DATA] = { .name = "WriteData",
		.cut = "WriteData runs past the end of the PDU" },
	[RDPDR_F_PADDING_LEN] = { .name = "PaddingLen" },
	[RDPDR_F_IO_STATUS] = { .name = "IoStatus", .flags = RDPDR_FF_HEX,
		.cut = "IoStatus runs past the end of the PDU" },
	[RDPDR_F_HAS_INFORMATION] = { .name = "HasInformation" },
	[RDPDR_F_INFORMATION] = { .name = "Information",
		.cut = "Information runs past the end of the PDU" },
	[RDPDR_F_HAS_PADDING] = { .name = "HasPadding" },
	[RDPDR_F_PRINTER_ID] = { .name = "PrinterId",
		.cut = "PrinterId runs past the end of the PDU" },
	[RDPDR_F_EVENT_ID] = { .name = "EventId",
		.cut = "EventId runs past the end of the PDU" },
	[RDPDR_F_PORT_DOS_NAME] = { .name = "PortDosName",
		.cut = "PortDosName runs past the end of the PDU" },
	[RDPDR_F_PRINTER_NAME_LEN] = { .name = "PrinterNameLen",
		.cut = "PrinterNameLen runs past the end of the PDU",
		.over = "PrinterNameLen exceeds the remaining bytes" },
	[RDPDR_F_CONFIG_DATA_LEN] = { .name = "ConfigDataLen",
		.cut = "ConfigDataLen runs past the end of the PDU",
		.over = "ConfigDataLen exceeds the remaining bytes" },
	[RDPDR_F_CONFIG_DATA_PRESENT] = { .name = "ConfigDataPresent" },
	[RDPDR_F_CONFIG_DATA] = { .name = "ConfigData",
		.cut = "ConfigData runs past the end of the PDU" },
	[RDPDR_F_OLD_PRINTER_NAME_LEN] = { .name = "OldPrinterNameLen",
		.cut = "OldPrinterNameLen runs past the end of the PDU",
		.over = "OldPrinterNameLen exceeds the remaining bytes" },
	[RDPDR_F_NEW_PRINTER_NAME_LEN] = { .name = "NewPrinterNameLen",
		.cut = "NewPrinterNameLen runs past the end of the PDU",
		.over = "NewPrinterNameLen exceeds the remaining bytes" },
	[RDPDR_F_OLD_PRINTER_NAME] = { .name = "OldPrinterName",
		.cut = "OldPrinterName runs past the end of the PDU",
		.bad = "OldPrinterName is not a valid NUL-terminated string",
		.big = "OldPrinterName is longer than 2048 bytes" },
	[RDPDR_F_NEW_PRINTER_NAME] = { .name = "NewPrinterName",
		.cut = "NewPrinterName runs past the end of the PDU",
		.bad = "NewPrinterName is not a valid NUL-terminated string",
		.big = "NewPrinterName is longer than 2048 bytes" },
};

/* Reasons given by more than one check. */
static const char rdpdr_why_count_overrun[] =
	"DeviceCount exceeds what the remaining bytes can hold";
static const char rdpdr_why_caps_overrun[] =
	"numCapabilities exceeds the sets the remaining bytes hold";

/* ---- the reader --------------------------------------------------------- */

void rdpdr_rd_init(struct rdpdr_rd *r, const u8 *buf, size_t len,
		   struct rdpdr_err *err, const struct rdpdr_visitor *v)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = buf ? len : 0;
	r->err = err;
	r->v = v;
	if (err)
		memset(err, 0, sizeof(*err));
}

/**
 * rdpdr_rd_child() - a reader over a part of the bytes of @parent
 * @parent: the reader the part was taken from
 * @sub: the new reader; it shares the error record and the visitor
 * @buf: first byte of the part
 * @len: its length
 * @base: offset of @buf from the start of the PDU
 *
 * A child reader reports fields but never opens objects or arrays, so the
 * nesting stays with the top reader.
 */
static void rdpdr_rd_child(const struct rdpdr_rd *parent, struct rdpdr_rd *sub,
			   const u8 *buf, size_t len, u32 base)
{
	*sub = *parent;
	sub->buf = buf;
	sub->len = buf ? len : 0;
	sub->pos = 0;
	sub->base = base;
	sub->depth = 0;
	sub->arrays = 0;
}

int rdpdr_rd_fail(struct rdpdr_rd *r, int code, enum rdpdr_fid f,
		  const char *reason, u32 offset)
{
	struct rdpdr_err *err = r->err;

	if (err) {
		err->code = code;
		err->field = rdpdr_fields[f].name;
		err->reason = reason;
		err->offset = offset;
		err->declared = code == -ENODATA ? r->declared : 0;
	}
	return code;
}

/* Takes @n bytes without showing them; *@out is NULL when @n is 0. */
int rdpdr_rd_bytes(struct rdpdr_rd *r, enum rdpdr_fid f, size_t n,
		   const u8 **out)
{
	if (n > rdpdr_rd_left(r))
		return rdpdr_rd_fail(r, -ENODATA, f, rdpdr_fields[f].cut,
				     rdpdr_rd_off(r, 0));
	*out = n ? r->buf + r->pos : NULL;
	r->pos += n;
	return 0;
}

/* Reads a little-endian integer of @size bytes and shows it. */
static int rdpdr_rd_num(struct rdpdr_rd *r, enum rdpdr_fid f, size_t size,
			u64 *out)
{
	const u8 *p;
	u64 v = 0;
	int ret;

	ret = rdpdr_rd_bytes(r, f, size, &p);
	if (ret)
		return ret;
	while (size--)
		v = v << 8 | p[size];
	*out = v;
	rdpdr_show_num(r, f, v);
	return 0;
}

int rdpdr_rd_u8(struct rdpdr_rd *r, enum rdpdr_fid f, u8 *out)
{
	u64 v = 0;
	int ret = rdpdr_rd_num(r, f, sizeof(*out), &v);

	*out = (u8)v;
	return ret;
}

int rdpdr_rd_u16(struct rdpdr_rd *r, enum rdpdr_fid f, u16 *out)
{
	u64 v = 0;
	int ret = rdpdr_rd_num(r, f, sizeof(*out), &v);

	*out = (u16)v;
	return ret;
}

int rdpdr_rd_u32(struct rdpdr_rd *r, enum rdpdr_fid f, u32 *out)
{
	u64 v = 0;
	int ret = rdpdr_rd_num(r, f, sizeof(*out), &v);

	*out = (u32)v;
	return ret;
}

int rdpdr_rd_u64(struct rdpdr_rd *r, enum rdpdr_fid f, u64 *out)
{
	return rdpdr_rd_num(r, f, sizeof(*out), out);
}

/* Takes @n bytes as a child reader (see rdpdr_rd_child()). */
int rdpdr_rd_sub(struct rdpdr_rd *r, enum rdpdr_fid f, size_t n,
		 struct rdpdr_rd *sub)
{
	u32 base = rdpdr_rd_off(r, 0);
	const u8 *p;
	int ret;

	ret = rdpdr_rd_bytes(r, f, n, &p);
	if (!ret)
		rdpdr_rd_child(r, sub, p, n, base);
	return ret;
}

/* Reads a u32 length field and remembers where it was. */
int rdpdr_rd_len(struct rdpdr_rd *r, enum rdpdr_fid f, struct rdpdr_len *len)
{
	len->f = f;
	len->at = rdpdr_rd_off(r, 0);
	len->val = 0;
	return rdpdr_rd_u32(r, f, &len->val);
}

/*
 * What a length field counts must fit in the bytes that remain; when it
 * does not, the length field is the one at fault and is reported.
 */
int rdpdr_rd_fits(struct rdpdr_rd *r, const struct rdpdr_len *len)
{
	if (len->val > rdpdr_rd_left(r))
		return rdpdr_rd_fail(r, -ENODATA, len->f,
				     rdpdr_fields[len->f].over, len->at);
	return 0;
}

/**
 * rdpdr_rd_str() - read, check and show a counted string
 * @r: reader
 * @f: the string field
 * @len: the length field that counts it
 * @unicode: UTF-16LE, else 8-bit
 * @s: result; zeroed when the string is refused
 *
 * Return: 0, -ENODATA, or the error of rdpdr_str_check().
 */
int rdpdr_rd_str(struct rdpdr_rd *r, enum rdpdr_fid f,
		 const struct rdpdr_len *len, bool unicode, struct rdpdr_str *s)
{
	const struct rdpdr_field *fd = &rdpdr_fields[f];
	u32 at = rdpdr_rd_off(r, 0);
	int ret;

	memset(s, 0, sizeof(*s));
	ret = rdpdr_rd_fits(r, len);
	if (!ret)
		ret = rdpdr_rd_bytes(r, f, len->val, &s->data);
	if (ret)
		return ret;
	s->len = len->val;
	s->unicode = unicode;
	ret = rdpdr_str_check(s);
	if (ret) {
		memset(s, 0, sizeof(*s));
		return rdpdr_rd_fail(r, ret, f, ret == -E2BIG ? fd->big : fd->bad,
				     at);
	}
	if (s->len || !(fd->flags & RDPDR_FF_OMIT_EMPTY))
		rdpdr_show_str(r, f, s);
	return 0;
}

/* Takes the opaque bytes @len counts and shows them when there are any. */
int rdpdr_rd_blob(struct rdpdr_rd *r, enum rdpdr_fid f,
		  const struct rdpdr_len *len, const u8 **out)
{
	int ret = rdpdr_rd_fits(r, len);

	if (!ret)
		ret = rdpdr_rd_bytes(r, f, len->val, out);
	if (!ret)
		rdpdr_show_blob(r, f, *out, len->val);
	return ret;
}

/**
 * rdpdr_rd_dos_name() - read an 8-byte DOS name field
 * @r: reader
 * @f: RDPDR_F_PREFERRED_DOS_NAME or RDPDR_F_PORT_DOS_NAME
 * @name: receives the bytes up to the first NUL, NUL-terminated
 * @raw: receives all 8 bytes, or NULL
 *
 * The field need not hold a NUL, and bytes after the first one are junk
 * (a spec sample has "COM2\0\0:\0"), so nothing past it is looked at.
 */
static int rdpdr_rd_dos_name(struct rdpdr_rd *r, enum rdpdr_fid f,
			     char name[RDPDR_DOS_NAME_LEN + 1],
			     u8 raw[RDPDR_DOS_NAME_LEN])
{
	struct rdpdr_str s = { .unicode = false };
	const u8 *p;
	int ret;

	ret = rdpdr_rd_bytes(r, f, RDPDR_DOS_NAME_LEN, &p);
	if (ret)
		return ret;
	if (raw)
		memcpy(raw, p, RDPDR_DOS_NAME_LEN);
	s.data = p;
	s.len = (u32)strnlen((const char *)p, RDPDR_DOS_NAME_LEN);
	memcpy(name, p, s.len);
	name[s.len] = '\0';
	rdpdr_show_str(r, f, &s);
	return 0;
}

/* ---- showing fields to a visitor ---------------------------------------- */

static bool rdpdr_shown(const struct rdpdr_rd *r, enum rdpdr_fid f)
{
	return r->v && !(rdpdr_fields[f].flags & RDPDR_FF_HIDE);
}

static const char *rdpdr_key(enum rdpdr_fid f)
{
	const struct rdpdr_field *fd = &rdpdr_fields[f];

	return fd->key ? fd->key : fd->name;
}

void rdpdr_show_num(struct rdpdr_rd *r, enum rdpdr_fid f, u64 value)
{
	if (rdpdr_shown(r, f) && r->v->num)
		r->v->num(r->v->ctx, rdpdr_key(f), value,
			  rdpdr_fields[f].flags & RDPDR_FF_HEX);
}

void rdpdr_show_flag(struct rdpdr_rd *r, enum rdpdr_fid f, bool value)
{
	if (rdpdr_shown(r, f) && r->v->flag)
		r->v->flag(r->v->ctx, rdpdr_key(f), value);
}

void rdpdr_show_str(struct rdpdr_rd *r, enum rdpdr_fid f,
		    const struct rdpdr_str *s)
{
	char local[RDPDR_SHOW_STR_LOCAL];
	char *out = local;
	size_t outlen = sizeof(local);

	if (!rdpdr_shown(r, f) || !r->v->str)
		return;
	if (r->v->scratch && r->v->scratch_len) {
		out = r->v->scratch;
		outlen = r->v->scratch_len;
	}
	rdpdr_str_to_utf8(s, out, outlen);
	r->v->str(r->v->ctx, rdpdr_key(f), out);
}

void rdpdr_show_blob(struct rdpdr_rd *r, enum rdpdr_fid f, const u8 *data,
		     size_t len)
{
	if (len && rdpdr_shown(r, f) && r->v->blob)
		r->v->blob(r->v->ctx, rdpdr_key(f), data, len);
}

/*
 * The nesting of a PDU is fixed by this code and never deeper than three
 * levels (the PDU, a list, an entry), well within the 32 bits of @arrays.
 */
void rdpdr_show_begin(struct rdpdr_rd *r, enum rdpdr_fid f, bool array)
{
	if (!r->v || r->depth >= 32)
		return;
	if (array)
		r->arrays |= 1U << r->depth;
	else
		r->arrays &= ~(1U << r->depth);
	r->depth++;
	if (r->v->begin)
		r->v->begin(r->v->ctx, rdpdr_key(f), array);
}

void rdpdr_show_end(struct rdpdr_rd *r)
{
	bool array;

	if (!r->v || !r->depth)
		return;
	r->depth--;
	array = r->arrays >> r->depth & 1;
	if (r->v->end)
		r->v->end(r->v->ctx, array);
}

/* Closes what is still open, so that a visitor sees balanced calls. */
void rdpdr_show_close_all(struct rdpdr_rd *r)
{
	while (r->depth)
		rdpdr_show_end(r);
}

/* ---- errors and PDU identification -------------------------------------- */

int rdpdr_err_format(const struct rdpdr_err *err, char *buf, size_t len)
{
	int n;

	if (!len)
		return 0;
	if (!err || !err->reason)
		n = snprintf(buf, len, "no error");
	else
		n = snprintf(buf, len, "%s (field %s at offset %u)",
			     err->reason, err->field ? err->field : "?",
			     err->offset);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < len ? n : (int)(len - 1);
}

#define RDPDR_C2S	0x1
#define RDPDR_S2C	0x2

static const struct rdpdr_pdu_info {
	u16 component;
	u16 packet_id;
	u8 dir;
	const char *name;
} rdpdr_pdus[] = {
	{ RDPDR_CTYP_CORE, PAKID_CORE_SERVER_ANNOUNCE, RDPDR_S2C,
	  "PAKID_CORE_SERVER_ANNOUNCE" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_CLIENTID_CONFIRM, RDPDR_C2S | RDPDR_S2C,
	  "PAKID_CORE_CLIENTID_CONFIRM" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME, RDPDR_C2S,
	  "PAKID_CORE_CLIENT_NAME" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_SERVER_CAPABILITY, RDPDR_S2C,
	  "PAKID_CORE_SERVER_CAPABILITY" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_CAPABILITY, RDPDR_C2S,
	  "PAKID_CORE_CLIENT_CAPABILITY" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_USER_LOGGEDON, RDPDR_S2C,
	  "PAKID_CORE_USER_LOGGEDON" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE, RDPDR_C2S,
	  "PAKID_CORE_DEVICELIST_ANNOUNCE" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_REPLY, RDPDR_S2C,
	  "PAKID_CORE_DEVICE_REPLY" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_REMOVE, RDPDR_C2S,
	  "PAKID_CORE_DEVICELIST_REMOVE" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOREQUEST, RDPDR_S2C,
	  "PAKID_CORE_DEVICE_IOREQUEST" },
	{ RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOCOMPLETION, RDPDR_C2S,
	  "PAKID_CORE_DEVICE_IOCOMPLETION" },
	{ RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA, RDPDR_S2C,
	  "PAKID_PRN_CACHE_DATA" },
	{ RDPDR_CTYP_PRN, PAKID_PRN_USING_XPS, RDPDR_S2C,
	  "PAKID_PRN_USING_XPS" },
};

static const struct rdpdr_pdu_info *rdpdr_pdu_info(u16 component,
						   u16 packet_id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdpdr_pdus); i++) {
		if (rdpdr_pdus[i].component == component &&
		    rdpdr_pdus[i].packet_id == packet_id)
			return &rdpdr_pdus[i];
	}
	return NULL;
}

bool rdpdr_pdu_known(const struct rdpdr_hdr *hdr, bool from_client)
{
	const struct rdpdr_pdu_info *pi;

	pi = rdpdr_pdu_info(hdr->component, hdr->packet_id);
	return pi && pi->dir & (from_client ? RDPDR_C2S : RDPDR_S2C);
}

const char *rdpdr_pdu_name(u16 component, u16 packet_id)
{
	const struct rdpdr_pdu_info *pi = rdpdr_pdu_info(component, packet_id);

	return pi ? pi->name : "unknown";
}

/* ---- header ------------------------------------------------------------- */

int rdpdr_read_hdr(struct rdpdr_rd *r, struct rdpdr_hdr *hdr)
{
	int ret;

	ret = rdpdr_rd_u16(r, RDPDR_F_COMPONENT, &hdr->component);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_PACKET_ID, &hdr->packet_id);
	return ret;
}

int rdpdr_parse_hdr(const u8 *buf, size_t len, struct rdpdr_hdr *hdr,
		    struct rdpdr_err *err)
{
	struct rdpdr_rd r;

	memset(hdr, 0, sizeof(*hdr));
	rdpdr_rd_init(&r, buf, len, err, NULL);
	return rdpdr_read_hdr(&r, hdr);
}

/**
 * rdpdr_rd_start() - start parsing a PDU of a given kind
 * @r: reader to set up over @buf
 * @buf: the PDU
 * @len: its length
 * @err: error record
 * @component: the Component the PDU must have
 * @id: the PacketId it must have ...
 * @alt: ... or this one (pass @id again when there is no other)
 *
 * Return: the PacketId, or a negative errno (-EPROTO for another PDU).
 */
static int rdpdr_rd_start(struct rdpdr_rd *r, const u8 *buf, size_t len,
			  struct rdpdr_err *err, u16 component, u16 id,
			  u16 alt)
{
	struct rdpdr_hdr hdr;
	int ret;

	rdpdr_rd_init(r, buf, len, err, NULL);
	ret = rdpdr_read_hdr(r, &hdr);
	if (ret)
		return ret;
	if (hdr.component != component)
		return rdpdr_rd_fail(r, -EPROTO, RDPDR_F_COMPONENT,
				     "Component is not the one of this PDU", 0);
	if (hdr.packet_id != id && hdr.packet_id != alt)
		return rdpdr_rd_fail(r, -EPROTO, RDPDR_F_PACKET_ID,
				     "PacketId is not the PDU being parsed", 2);
	return hdr.packet_id;
}

/* ---- announce, client name ---------------------------------------------- */

int rdpdr_read_announce(struct rdpdr_rd *r, struct rdpdr_announce *a)
{
	int ret;

	r->declared = RDPDR_ANNOUNCE_SIZE;
	ret = rdpdr_rd_u16(r, RDPDR_F_VERSION_MAJOR, &a->version_major);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_VERSION_MINOR, &a->version_minor);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_CLIENT_ID, &a->client_id);
	return ret;
}

/**
 * rdpdr_parse_announce() - parse an announce, announce reply or ID confirm
 * @buf: the PDU
 * @len: its length
 * @a: result
 * @err: error details
 *
 * DR_CORE_SERVER_ANNOUNCE_REQ, DR_CORE_CLIENT_ANNOUNCE_RSP and
 * DR_CORE_SERVER_CLIENTID_CONFIRM share one layout; @a->packet_id says
 * which one this is.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_announce(const u8 *buf, size_t len, struct rdpdr_announce *a,
			 struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(a, 0, sizeof(*a));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_SERVER_ANNOUNCE,
			     PAKID_CORE_CLIENTID_CONFIRM);
	if (ret < 0)
		return ret;
	a->packet_id = (u16)ret;
	return rdpdr_read_announce(&r, a);
}

int rdpdr_read_client_name(struct rdpdr_rd *r, struct rdpdr_client_name *cn)
{
	struct rdpdr_len len;
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_UNICODE_FLAG, &cn->unicode_flag);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_CODE_PAGE, &cn->code_page);
	if (!ret)
		ret = rdpdr_rd_len(r, RDPDR_F_COMPUTER_NAME_LEN, &len);
	if (ret)
		return ret;
	cn->computer_name_len = len.val;
	r->declared = RDPDR_CLIENT_NAME_FIXED + (u64)len.val;
	ret = rdpdr_rd_fits(r, &len);
	if (ret)
		return ret;
	if (len.val > RDPDR_MAX_COMPUTER_NAME_BYTES)
		return rdpdr_rd_fail(r, -E2BIG, RDPDR_F_COMPUTER_NAME_LEN,
				     "ComputerNameLen exceeds 512 bytes", len.at);
	/* RDPDR.md section 11: the name holds at least its terminator. */
	if (!len.val)
		return rdpdr_rd_fail(r, -EILSEQ, RDPDR_F_COMPUTER_NAME,
				     "ComputerName is empty, without its terminator",
				     rdpdr_rd_off(r, 0));
	/* Only bit 0 of UnicodeFlag counts; the other 31 are ignored. */
	return rdpdr_rd_str(r, RDPDR_F_COMPUTER_NAME, &len,
			    cn->unicode_flag & 1, &cn->computer_name);
}

/**
 * rdpdr_parse_client_name() - parse a Client Name Request
 * @buf: the PDU
 * @len: its length
 * @cn: result
 * @err: error details
 *
 * ComputerName is read as UTF-16LE when bit 0 of UnicodeFlag is set, else
 * as 8-bit characters; the other 31 bits are ignored.
 *
 * Return: 0, -ENODATA, -E2BIG (ComputerNameLen above 512), -EILSEQ or -EPROTO.
 */
int rdpdr_parse_client_name(const u8 *buf, size_t len,
			    struct rdpdr_client_name *cn,
			    struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(cn, 0, sizeof(*cn));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_CLIENT_NAME, PAKID_CORE_CLIENT_NAME);
	return ret < 0 ? ret : rdpdr_read_client_name(&r, cn);
}

/* ---- capabilities ------------------------------------------------------- */

static int rdpdr_read_general(struct rdpdr_rd *r, u32 version,
			      struct rdpdr_general_caps *g)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_OS_TYPE, &g->os_type);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_OS_VERSION, &g->os_version);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_PROTO_MAJOR, &g->protocol_major);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_PROTO_MINOR, &g->protocol_minor);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_IO_CODE1, &g->io_code1);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_IO_CODE2, &g->io_code2);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_EXTENDED_PDU, &g->extended_pdu);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_EXTRA_FLAGS1, &g->extra_flags1);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_EXTRA_FLAGS2, &g->extra_flags2);
	if (!ret && version >= GENERAL_CAPABILITY_VERSION_02)
		ret = rdpdr_rd_u32(r, RDPDR_F_SPECIAL_TYPE_DEVICE_CAP,
				   &g->special_type_device_cap);
	return ret;
}

/**
 * rdpdr_read_cap_set() - read one capability set and step over it
 * @r: reader at the CAPABILITY_HEADER
 * @set: result
 *
 * The walk advances by CapabilityLength, so the length is checked before
 * anything else: below 8 the walk would stall, past the end it would read
 * out of the PDU. The body is read through a child reader bounded by the
 * set, and a GENERAL set must be long enough for its version.
 */
static int rdpdr_read_cap_set(struct rdpdr_rd *r, struct rdpdr_cap_set *set)
{
	u32 at = rdpdr_rd_off(r, 0) + 2;
	struct rdpdr_rd body;
	bool v2;
	int ret;

	ret = rdpdr_rd_u16(r, RDPDR_F_CAP_TYPE, &set->type);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_CAP_LENGTH, &set->length);
	if (ret)
		return ret;
	if (set->length < RDPDR_CAP_HDR_SIZE)
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_CAP_LENGTH,
				     "CapabilityLength is below the 8 bytes of its header",
				     at);
	if (set->length - 4U > rdpdr_rd_left(r))
		return rdpdr_rd_fail(r, -ENODATA, RDPDR_F_CAP_LENGTH,
				     "CapabilityLength exceeds the remaining bytes",
				     at);
	ret = rdpdr_rd_u32(r, RDPDR_F_CAP_VERSION, &set->version);
	if (!ret)
		ret = rdpdr_rd_sub(r, RDPDR_F_CAP_LENGTH,
				   set->length - RDPDR_CAP_HDR_SIZE, &body);
	if (ret || set->type != CAP_GENERAL_TYPE)
		return ret;
	v2 = set->version >= GENERAL_CAPABILITY_VERSION_02;
	if (v2 && set->length < RDPDR_GENERAL_CAP_V2_SIZE)
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_CAP_LENGTH,
				     "CapabilityLength is below the 44 bytes of GENERAL version 2",
				     at);
	if (!v2 && set->length < RDPDR_GENERAL_CAP_V1_SIZE)
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_CAP_LENGTH,
				     "CapabilityLength is below the 40 bytes of GENERAL version 1",
				     at);
	return rdpdr_read_general(&body, set->version, &set->general);
}

/**
 * rdpdr_read_caps() - read numCapabilities, Padding and the capability sets
 * @r: reader after the header
 * @num: numCapabilities
 * @padding: Padding
 * @sets: where the sets go (RDPDR_MAX_CAP_SETS of them), or NULL to only
 *	check and show them, so that rdpdr_describe() need not hold a whole
 *	struct rdpdr_caps on its stack
 * @count: sets read so far
 */
int rdpdr_read_caps(struct rdpdr_rd *r, u16 *num, u16 *padding,
		    struct rdpdr_cap_set *sets, u16 *count)
{
	u16 types[RDPDR_MAX_CAP_SETS];
	struct rdpdr_cap_set one;
	struct rdpdr_cap_set *set;
	u16 i, j;
	u32 at;
	int ret;

	ret = rdpdr_rd_u16(r, RDPDR_F_NUM_CAPS, num);
	if (!ret)
		ret = rdpdr_rd_u16(r, RDPDR_F_PADDING, padding);
	if (ret)
		return ret;
	if ((size_t)*num * RDPDR_CAP_HDR_SIZE > rdpdr_rd_left(r))
		return rdpdr_rd_fail(r, -ENODATA, RDPDR_F_NUM_CAPS,
				     rdpdr_why_caps_overrun, 4);
	if (*num > RDPDR_MAX_CAP_SETS)
		return rdpdr_rd_fail(r, -E2BIG, RDPDR_F_NUM_CAPS,
				     "numCapabilities is above the 16 sets the library keeps",
				     4);
	rdpdr_show_begin(r, RDPDR_F_CAP, true);
	for (i = 0; i < *num; i++) {
		set = sets ? &sets[i] : &one;
		memset(set, 0, sizeof(*set));
		at = rdpdr_rd_off(r, 0);
		/* Sets longer than 8 bytes can exhaust the PDU early. */
		if (rdpdr_rd_left(r) < RDPDR_CAP_HDR_SIZE)
			return rdpdr_rd_fail(r, -ENODATA, RDPDR_F_NUM_CAPS,
					     rdpdr_why_caps_overrun, 4);
		rdpdr_show_begin(r, RDPDR_F_NONE, false);
		ret = rdpdr_read_cap_set(r, set);
		if (ret)
			return ret;
		rdpdr_show_end(r);
		/* Two sets of one type cannot both be honoured: refuse. */
		for (j = 0; j < i; j++) {
			if (types[j] == set->type)
				return rdpdr_rd_fail(r, -EBADMSG,
						     RDPDR_F_CAP_TYPE,
						     "CapabilityType appears twice",
						     at);
		}
		types[i] = set->type;
		*count = i + 1;
	}
	rdpdr_show_end(r);
	return 0;
}

/**
 * rdpdr_parse_caps() - parse a Core Capability Request or Response
 * @buf: the PDU
 * @len: its length
 * @caps: result
 * @err: error details
 *
 * Return: 0, -ENODATA, -EBADMSG (a CapabilityLength too short for
 * its set, a type seen twice), -E2BIG (more than RDPDR_MAX_CAP_SETS sets) or
 * -EPROTO.
 */
int rdpdr_parse_caps(const u8 *buf, size_t len, struct rdpdr_caps *caps,
		     struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(caps, 0, sizeof(*caps));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_SERVER_CAPABILITY,
			     PAKID_CORE_CLIENT_CAPABILITY);
	if (ret < 0)
		return ret;
	caps->packet_id = (u16)ret;
	return rdpdr_read_caps(&r, &caps->num_capabilities, &caps->padding,
			       caps->sets, &caps->count);
}

const struct rdpdr_cap_set *rdpdr_caps_find(const struct rdpdr_caps *caps,
					    u16 type)
{
	u16 i;

	for (i = 0; i < caps->count && i < RDPDR_MAX_CAP_SETS; i++) {
		if (caps->sets[i].type == type)
			return &caps->sets[i];
	}
	return NULL;
}

/* ---- printer names (device announce and add-printer event) -------------- */

static const enum rdpdr_fid rdpdr_name_len_fids[4] = {
	RDPDR_F_PNP_NAME_LEN, RDPDR_F_DRIVER_NAME_LEN,
	RDPDR_F_PRINT_NAME_LEN, RDPDR_F_CACHED_FIELDS_LEN,
};

/* Reads PnPNameLen, DriverNameLen, PrintNameLen and CachedFieldsLen. */
static int rdpdr_read_name_lens(struct rdpdr_rd *r, struct rdpdr_len len[4],
				u32 *val[4])
{
	int i, ret;

	for (i = 0; i < 4; i++) {
		ret = rdpdr_rd_len(r, rdpdr_name_len_fids[i], &len[i]);
		if (ret)
			return ret;
		*val[i] = len[i].val;
	}
	return 0;
}

/**
 * rdpdr_read_names() - read PnPName, DriverName, PrinterName and the blob
 * @r: reader after the four length fields
 * @len: the four length fields
 * @ascii_driver: DriverName is 8-bit (RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII)
 * @str: where the three strings go, in wire order
 * @cached: where CachedPrinterConfigData goes
 *
 * Shared by DR_PRN_DEVICE_ANNOUNCE and DR_PRN_ADD_CACHEDATA, which end with
 * the same four fields. A field that does not fit is reported as its
 * length field, the first whose running total passes the end.
 */
static int rdpdr_read_names(struct rdpdr_rd *r, const struct rdpdr_len len[4],
			    bool ascii_driver, struct rdpdr_str *str[3],
			    const u8 **cached)
{
	static const enum rdpdr_fid fids[3] = {
		RDPDR_F_PNP_NAME, RDPDR_F_DRIVER_NAME, RDPDR_F_PRINTER_NAME,
	};
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = rdpdr_rd_str(r, fids[i], &len[i], i != 1 || !ascii_driver,
				   str[i]);
		if (ret)
			return ret;
	}
	return rdpdr_rd_blob(r, RDPDR_F_CACHED_DATA, &len[3], cached);
}

/**
 * rdpdr_read_printer() - read DR_PRN_DEVICE_ANNOUNCE device data
 * @r: reader spanning exactly DeviceData; @r->base is its offset
 * @p: result
 *
 * The four lengths are checked against DeviceDataLength before any string
 * is read: a running 64-bit total, so that four u32 cannot wrap around to
 * a small sum, and the first length that takes it past DeviceDataLength is
 * the one reported. That covers each length <= DeviceDataLength too.
 */
static int rdpdr_read_printer(struct rdpdr_rd *r, struct rdpdr_printer *p)
{
	static const char * const over[4] = {
		"PnPNameLen runs past the end of DeviceData",
		"DriverNameLen runs past the end of DeviceData",
		"PrintNameLen runs past the end of DeviceData",
		"CachedFieldsLen runs past the end of DeviceData",
	};
	u32 *val[4] = {
		&p->pnp_name_len, &p->driver_name_len, &p->print_name_len,
		&p->cached_fields_len,
	};
	struct rdpdr_str *str[3] = {
		&p->pnp_name, &p->driver_name, &p->printer_name,
	};
	struct rdpdr_len len[4];
	u64 total = RDPDR_PRINTER_DATA_FIXED;
	int i, ret;

	if (r->len < RDPDR_PRINTER_DATA_FIXED)
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_DEVICE_DATA_LENGTH,
				     "DeviceDataLength is below the 24 bytes of a printer",
				     r->base - 4);
	ret = rdpdr_rd_u32(r, RDPDR_F_FLAGS, &p->flags);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_CODE_PAGE, &p->code_page);
	if (!ret)
		ret = rdpdr_read_name_lens(r, len, val);
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		total += len[i].val;
		if (total > r->len)
			return rdpdr_rd_fail(r, -EBADMSG, len[i].f, over[i],
					     len[i].at);
	}
	ret = rdpdr_read_names(r, len,
			       p->flags & RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII,
			       str, &p->cached_data);
	if (ret)
		return ret;
	if (!p->printer_name.utf8_len)
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_PRINTER_NAME,
				     "PrinterName is empty",
				     len[3].at + 4 + len[0].val + len[1].val);
	return 0;
}

int rdpdr_parse_printer(const struct rdpdr_device *dev,
			struct rdpdr_printer *p, struct rdpdr_err *err)
{
	struct rdpdr_rd r;

	memset(p, 0, sizeof(*p));
	rdpdr_rd_init(&r, dev->data, dev->data_len, err, NULL);
	r.base = dev->offset + RDPDR_DEVICE_ANNOUNCE_FIXED;
	return rdpdr_read_printer(&r, p);
}

/* ---- device list -------------------------------------------------------- */

/* Reads one DEVICE_ANNOUNCE and steps over its DeviceData. */
static int rdpdr_read_device(struct rdpdr_rd *r, struct rdpdr_device *dev)
{
	struct rdpdr_len len;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->offset = rdpdr_rd_off(r, 0);
	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_TYPE, &dev->device_type);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_ID, &dev->device_id);
	if (!ret)
		ret = rdpdr_rd_dos_name(r, RDPDR_F_PREFERRED_DOS_NAME,
					dev->dos_name, NULL);
	if (!ret)
		ret = rdpdr_rd_len(r, RDPDR_F_DEVICE_DATA_LENGTH, &len);
	if (!ret)
		ret = rdpdr_rd_fits(r, &len);
	if (ret)
		return ret;
	dev->data_len = len.val;
	return rdpdr_rd_bytes(r, RDPDR_F_DEVICE_DATA, len.val, &dev->data);
}

/*
 * With a visitor, the device data is shown too: a printer decoded (and
 * checked) as rdpdr_parse_printer() does it, other data as a blob.
 */
static int rdpdr_show_device_data(struct rdpdr_rd *r,
				  const struct rdpdr_device *dev)
{
	struct rdpdr_printer p = { 0 };
	struct rdpdr_rd sub;

	if (dev->device_type != RDPDR_DTYP_PRINT) {
		rdpdr_show_blob(r, RDPDR_F_DEVICE_DATA, dev->data,
				dev->data_len);
		return 0;
	}
	rdpdr_rd_child(r, &sub, dev->data, dev->data_len,
		       dev->offset + RDPDR_DEVICE_ANNOUNCE_FIXED);
	return rdpdr_read_printer(&sub, &p);
}

int rdpdr_read_devlist(struct rdpdr_rd *r, struct rdpdr_devlist *dl)
{
	struct rdpdr_device dev;
	u32 i;
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_COUNT, &dl->device_count);
	if (ret)
		return ret;
	/* Every entry takes 20 bytes at least: no trust in the count. */
	if (dl->device_count >
	    rdpdr_rd_left(r) / RDPDR_DEVICE_ANNOUNCE_FIXED)
		return rdpdr_rd_fail(r, -ENODATA, RDPDR_F_DEVICE_COUNT,
				     rdpdr_why_count_overrun,
				     rdpdr_rd_off(r, 4));
	rdpdr_show_begin(r, RDPDR_F_DEV, true);
	for (i = 0; i < dl->device_count; i++) {
		rdpdr_show_begin(r, RDPDR_F_NONE, false);
		ret = rdpdr_read_device(r, &dev);
		if (!ret && r->v)
			ret = rdpdr_show_device_data(r, &dev);
		if (ret)
			return ret;
		rdpdr_show_end(r);
	}
	rdpdr_show_end(r);
	return 0;
}

int rdpdr_parse_devlist(const u8 *buf, size_t len, struct rdpdr_devlist *dl,
			struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(dl, 0, sizeof(*dl));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICELIST_ANNOUNCE,
			     PAKID_CORE_DEVICELIST_ANNOUNCE);
	if (ret < 0)
		return ret;
	dl->pdu = buf;
	dl->len = len;
	return rdpdr_read_devlist(&r, dl);
}

/**
 * rdpdr_devlist_iter_init() - start walking a device list
 * @it: iterator
 * @dl: a list that rdpdr_parse_devlist() accepted
 */
void rdpdr_devlist_iter_init(struct rdpdr_devlist_iter *it,
			     const struct rdpdr_devlist *dl)
{
	it->dl = dl;
	it->pos = RDPDR_DEVLIST_FIXED;
	it->index = 0;
}

bool rdpdr_devlist_next(struct rdpdr_devlist_iter *it,
			struct rdpdr_device *dev)
{
	struct rdpdr_rd r;

	if (!it->dl || it->index >= it->dl->device_count)
		return false;
	/* Bounds-checked anyway, even for a list that was never parsed. */
	rdpdr_rd_init(&r, it->dl->pdu, it->dl->len, NULL, NULL);
	if (it->pos > r.len)
		return false;
	r.pos = it->pos;
	if (rdpdr_read_device(&r, dev))
		return false;
	it->pos = r.pos;
	it->index++;
	return true;
}

bool rdpdr_dos_name_valid(const char *name)
{
	size_t i, n;
	u8 c;

	if (!name)
		return false;
	n = strnlen(name, RDPDR_DOS_NAME_LEN + 1);
	if (!n || n > RDPDR_DOS_NAME_LEN)
		return false;
	for (i = 0; i < n; i++) {
		c = (u8)name[i];
		if (c < 0x20 || c > 0x7e || strchr("<>\"/\\|", c))
			return false;
		/* "C:" names a drive; ":" alone or ":C" names nothing. */
		if (c == ':' && (i != n - 1 || i == 0))
			return false;
	}
	return true;
}

/* ---- device reply, device list remove ----------------------------------- */

int rdpdr_read_device_reply(struct rdpdr_rd *r,
			    struct rdpdr_device_reply *dr)
{
	int ret;

	r->declared = RDPDR_DEVICE_REPLY_SIZE;
	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_ID, &dr->device_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_RESULT_CODE, &dr->result_code);
	return ret;
}

/**
 * rdpdr_parse_device_reply() - parse a Server Device Announce Response
 * @buf: the PDU
 * @len: its length
 * @dr: result
 * @err: error details
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_device_reply(const u8 *buf, size_t len,
			     struct rdpdr_device_reply *dr,
			     struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(dr, 0, sizeof(*dr));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICE_REPLY, PAKID_CORE_DEVICE_REPLY);
	return ret < 0 ? ret : rdpdr_read_device_reply(&r, dr);
}

int rdpdr_read_devlist_remove(struct rdpdr_rd *r,
			      struct rdpdr_devlist_remove *rm)
{
	u64 size;
	u32 i;
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_COUNT, &rm->device_count);
	if (ret)
		return ret;
	size = (u64)rm->device_count * 4;
	r->declared = RDPDR_DEVLIST_REMOVE_FIXED + size;
	if (size > rdpdr_rd_left(r))
		return rdpdr_rd_fail(r, -ENODATA, RDPDR_F_DEVICE_COUNT,
				     rdpdr_why_count_overrun,
				     rdpdr_rd_off(r, 4));
	ret = rdpdr_rd_bytes(r, RDPDR_F_DEVICE_IDS, (size_t)size, &rm->ids);
	if (ret || !r->v)
		return ret;
	rdpdr_show_begin(r, RDPDR_F_DEVICE_IDS, true);
	for (i = 0; i < rm->device_count; i++)
		rdpdr_show_num(r, RDPDR_F_NONE, rdpdr_remove_id(rm, i));
	rdpdr_show_end(r);
	return 0;
}

/**
 * rdpdr_parse_devlist_remove() - parse a Client Device List Remove
 * @buf: the PDU
 * @len: its length
 * @rm: result
 * @err: error details
 *
 * The DeviceIds stay in @buf; rdpdr_remove_id() reads them.
 *
 * Return: 0, -ENODATA (4 * DeviceCount above the bytes left) or -EPROTO.
 */
int rdpdr_parse_devlist_remove(const u8 *buf, size_t len,
			       struct rdpdr_devlist_remove *rm,
			       struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(rm, 0, sizeof(*rm));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICELIST_REMOVE,
			     PAKID_CORE_DEVICELIST_REMOVE);
	return ret < 0 ? ret : rdpdr_read_devlist_remove(&r, rm);
}

u32 rdpdr_remove_id(const struct rdpdr_devlist_remove *rm, u32 i)
{
	if (!rm->ids || i >= rm->device_count)
		return 0;
	return rdpdr_get_u32(rm->ids + (size_t)i * 4);
}

/* ---- device I/O requests ------------------------------------------------ */

int rdpdr_read_ioreq(struct rdpdr_rd *r, struct rdpdr_ioreq *io)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_ID, &io->device_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_FILE_ID, &io->file_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_COMPLETION_ID, &io->completion_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_MAJOR_FUNCTION,
				   &io->major_function);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_MINOR_FUNCTION,
				   &io->minor_function);
	return ret;
}

/**
 * rdpdr_parse_ioreq() - parse the DR_DEVICE_IOREQUEST prefix of any request
 * @buf: the PDU
 * @len: its length
 * @io: result
 * @err: error details
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_ioreq(const u8 *buf, size_t len, struct rdpdr_ioreq *io,
		      struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(io, 0, sizeof(*io));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICE_IOREQUEST,
			     PAKID_CORE_DEVICE_IOREQUEST);
	return ret < 0 ? ret : rdpdr_read_ioreq(&r, io);
}

/**
 * rdpdr_rd_ioreq() - start parsing a request of one MajorFunction
 * @r: reader to set up over @buf
 * @buf: the PDU
 * @len: its length
 * @err: error record
 * @io: the DR_DEVICE_IOREQUEST prefix
 * @major: the MajorFunction it must have
 * @reason: the reason given when it has another
 */
static int rdpdr_rd_ioreq(struct rdpdr_rd *r, const u8 *buf, size_t len,
			  struct rdpdr_err *err, struct rdpdr_ioreq *io,
			  u32 major, const char *reason)
{
	int ret;

	ret = rdpdr_rd_start(r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICE_IOREQUEST,
			     PAKID_CORE_DEVICE_IOREQUEST);
	if (ret < 0)
		return ret;
	ret = rdpdr_read_ioreq(r, io);
	if (ret)
		return ret;
	if (io->major_function != major)
		return rdpdr_rd_fail(r, -EPROTO, RDPDR_F_MAJOR_FUNCTION,
				     reason, 16);
	return 0;
}

int rdpdr_read_create_req(struct rdpdr_rd *r, struct rdpdr_create_req *req)
{
	struct rdpdr_len len;
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_DESIRED_ACCESS, &req->desired_access);
	if (!ret)
		ret = rdpdr_rd_u64(r, RDPDR_F_ALLOCATION_SIZE,
				   &req->allocation_size);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_FILE_ATTRIBUTES,
				   &req->file_attributes);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_SHARED_ACCESS,
				   &req->shared_access);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_CREATE_DISPOSITION,
				   &req->create_disposition);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_CREATE_OPTIONS,
				   &req->create_options);
	if (!ret)
		ret = rdpdr_rd_len(r, RDPDR_F_PATH_LENGTH, &len);
	if (ret)
		return ret;
	req->path_length = len.val;
	r->declared = RDPDR_CREATE_REQ_FIXED + (u64)len.val;
	return rdpdr_rd_str(r, RDPDR_F_PATH, &len, true, &req->path);
}

/**
 * rdpdr_parse_create_req() - parse a DR_CREATE_REQ
 * @buf: the PDU
 * @len: its length
 * @req: result
 * @err: error details
 *
 * Return: 0, -ENODATA, -EILSEQ or -E2BIG (Path), or -EPROTO (another
 * PDU, or a MajorFunction other than IRP_MJ_CREATE).
 */
int rdpdr_parse_create_req(const u8 *buf, size_t len,
			   struct rdpdr_create_req *req,
			   struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(req, 0, sizeof(*req));
	ret = rdpdr_rd_ioreq(&r, buf, len, err, &req->io, IRP_MJ_CREATE,
			     "MajorFunction is not IRP_MJ_CREATE");
	return ret ? ret : rdpdr_read_create_req(&r, req);
}

int rdpdr_read_write_req(struct rdpdr_rd *r, struct rdpdr_write_req *req,
			 bool with_data)
{
	struct rdpdr_len len;
	const u8 *padding;
	int ret;

	ret = rdpdr_rd_len(r, RDPDR_F_LENGTH, &len);
	if (ret)
		return ret;
	req->length = len.val;
	r->declared = RDPDR_WRITE_REQ_FIXED + (u64)len.val;
	ret = rdpdr_rd_u64(r, RDPDR_F_OFFSET, &req->offset);
	if (!ret)
		ret = rdpdr_rd_bytes(r, RDPDR_F_PADDING,
				     RDPDR_WRITE_REQ_FIXED - 36, &padding);
	if (ret || !with_data)
		return ret;
	return rdpdr_rd_blob(r, RDPDR_F_WRITE_DATA, &len, &req->data);
}

/**
 * rdpdr_parse_write_req() - parse a DR_WRITE_REQ and its WriteData
 * @buf: the PDU
 * @len: its length
 * @req: result
 * @err: error details
 *
 * All Length bytes of WriteData must be present; @req->data points to them.
 *
 * Return: 0, -ENODATA (err->declared is 56 + Length) or -EPROTO (another
 * PDU, or a MajorFunction other than IRP_MJ_WRITE).
 */
int rdpdr_parse_write_req(const u8 *buf, size_t len,
			  struct rdpdr_write_req *req, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(req, 0, sizeof(*req));
	ret = rdpdr_rd_ioreq(&r, buf, len, err, &req->io, IRP_MJ_WRITE,
			     "MajorFunction is not IRP_MJ_WRITE");
	return ret ? ret : rdpdr_read_write_req(&r, req, true);
}

/**
 * rdpdr_parse_write_req_hdr() - parse the 56-byte fixed part of a DR_WRITE_REQ
 * @buf: the PDU
 * @len: its length
 * @req: result
 * @err: error details
 *
 * Length is not checked against what follows, and @req->data is NULL: for
 * a caller that handles WriteData itself.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_write_req_hdr(const u8 *buf, size_t len,
			      struct rdpdr_write_req *req,
			      struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(req, 0, sizeof(*req));
	ret = rdpdr_rd_ioreq(&r, buf, len, err, &req->io, IRP_MJ_WRITE,
			     "MajorFunction is not IRP_MJ_WRITE");
	return ret ? ret : rdpdr_read_write_req(&r, req, false);
}

int rdpdr_read_close_req(struct rdpdr_rd *r)
{
	size_t padding_len = rdpdr_rd_left(r);
	const u8 *padding;
	int ret;

	r->declared = RDPDR_CLOSE_REQ_SIZE;
	ret = rdpdr_rd_bytes(r, RDPDR_F_PADDING,
			     RDPDR_CLOSE_REQ_SIZE - RDPDR_IOREQ_SIZE, &padding);
	if (!ret)
		rdpdr_show_num(r, RDPDR_F_PADDING_LEN, padding_len);
	return ret;
}

/**
 * rdpdr_parse_close_req() - parse a DR_CLOSE_REQ
 * @buf: the PDU
 * @len: its length
 * @io: result
 * @err: error details
 *
 * The 32 bytes of padding must be there; their value is not checked.
 *
 * Return: 0, -ENODATA or -EPROTO (another PDU, or a MajorFunction other
 * than IRP_MJ_CLOSE).
 */
int rdpdr_parse_close_req(const u8 *buf, size_t len, struct rdpdr_ioreq *io,
			  struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(io, 0, sizeof(*io));
	ret = rdpdr_rd_ioreq(&r, buf, len, err, io, IRP_MJ_CLOSE,
			     "MajorFunction is not IRP_MJ_CLOSE");
	return ret ? ret : rdpdr_read_close_req(&r);
}

/* ---- device I/O responses ----------------------------------------------- */

int rdpdr_read_iocompletion(struct rdpdr_rd *r, struct rdpdr_iocompletion *c)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_DEVICE_ID, &c->device_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_COMPLETION_ID, &c->completion_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_IO_STATUS, &c->io_status);
	return ret;
}

/* Sets up @r and reads the 16-byte DR_DEVICE_IOCOMPLETION prefix. */
static int rdpdr_rd_iocompletion(struct rdpdr_rd *r, const u8 *buf,
				 size_t len, struct rdpdr_err *err,
				 struct rdpdr_iocompletion *c)
{
	int ret;

	ret = rdpdr_rd_start(r, buf, len, err, RDPDR_CTYP_CORE,
			     PAKID_CORE_DEVICE_IOCOMPLETION,
			     PAKID_CORE_DEVICE_IOCOMPLETION);
	return ret < 0 ? ret : rdpdr_read_iocompletion(r, c);
}

/**
 * rdpdr_parse_iocompletion() - parse the DR_DEVICE_IOCOMPLETION prefix
 * @buf: the PDU
 * @len: its length
 * @c: result
 * @err: error details
 *
 * Nothing in a response says what it answers: look the request up by
 * CompletionId, then parse the whole PDU again with the function for its
 * MajorFunction.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_iocompletion(const u8 *buf, size_t len,
			     struct rdpdr_iocompletion *c,
			     struct rdpdr_err *err)
{
	struct rdpdr_rd r;

	memset(c, 0, sizeof(*c));
	return rdpdr_rd_iocompletion(&r, buf, len, err, c);
}

int rdpdr_read_create_rsp(struct rdpdr_rd *r, struct rdpdr_create_rsp *rsp)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_FILE_ID, &rsp->file_id);
	if (ret)
		return ret;
	/* Windows and FreeRDP leave the optional Information byte out. */
	rsp->has_information = rdpdr_rd_left(r) > 0;
	rdpdr_show_flag(r, RDPDR_F_HAS_INFORMATION, rsp->has_information);
	if (rsp->has_information)
		ret = rdpdr_rd_u8(r, RDPDR_F_INFORMATION, &rsp->information);
	return ret;
}

/**
 * rdpdr_parse_create_rsp() - parse a DR_CREATE_RSP
 * @buf: the PDU
 * @len: its length
 * @rsp: result
 * @err: error details
 *
 * At least 20 bytes; a 21st byte is Information, more are ignored.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_create_rsp(const u8 *buf, size_t len,
			   struct rdpdr_create_rsp *rsp, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(rsp, 0, sizeof(*rsp));
	ret = rdpdr_rd_iocompletion(&r, buf, len, err, &rsp->c);
	return ret ? ret : rdpdr_read_create_rsp(&r, rsp);
}

int rdpdr_read_write_rsp(struct rdpdr_rd *r, struct rdpdr_write_rsp *rsp)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_LENGTH, &rsp->length);
	if (ret)
		return ret;
	/* [MS-RDPEPC] has a pad byte, [MS-RDPEFS] makes it optional. */
	rsp->has_padding = rdpdr_rd_left(r) > 0;
	rdpdr_show_flag(r, RDPDR_F_HAS_PADDING, rsp->has_padding);
	return 0;
}

/**
 * rdpdr_parse_write_rsp() - parse a DR_WRITE_RSP
 * @buf: the PDU
 * @len: its length
 * @rsp: result
 * @err: error details
 *
 * At least 20 bytes; a 21st byte is the optional Padding, more are ignored.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_write_rsp(const u8 *buf, size_t len,
			  struct rdpdr_write_rsp *rsp, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(rsp, 0, sizeof(*rsp));
	ret = rdpdr_rd_iocompletion(&r, buf, len, err, &rsp->c);
	return ret ? ret : rdpdr_read_write_rsp(&r, rsp);
}

int rdpdr_read_close_rsp(struct rdpdr_rd *r, struct rdpdr_close_rsp *rsp)
{
	size_t left = rdpdr_rd_left(r);

	/* Clients send 0 to 5 bytes of padding; all of it is ignored. */
	rsp->padding_len = left > U32_MAX ? U32_MAX : (u32)left;
	rdpdr_show_num(r, RDPDR_F_PADDING_LEN, rsp->padding_len);
	return 0;
}

/**
 * rdpdr_parse_close_rsp() - parse a DR_CLOSE_RSP
 * @buf: the PDU
 * @len: its length
 * @rsp: result
 * @err: error details
 *
 * At least 16 bytes; whatever follows is padding and only counted.
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_close_rsp(const u8 *buf, size_t len,
			  struct rdpdr_close_rsp *rsp, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(rsp, 0, sizeof(*rsp));
	ret = rdpdr_rd_iocompletion(&r, buf, len, err, &rsp->c);
	return ret ? ret : rdpdr_read_close_rsp(&r, rsp);
}

/* ---- printer component -------------------------------------------------- */

int rdpdr_read_using_xps(struct rdpdr_rd *r, struct rdpdr_using_xps *x)
{
	int ret;

	r->declared = RDPDR_USING_XPS_SIZE;
	ret = rdpdr_rd_u32(r, RDPDR_F_PRINTER_ID, &x->printer_id);
	if (!ret)
		ret = rdpdr_rd_u32(r, RDPDR_F_FLAGS, &x->flags);
	return ret;
}

/**
 * rdpdr_parse_using_xps() - parse a DR_PRN_USING_XPS
 * @buf: the PDU
 * @len: its length
 * @x: result
 * @err: error details
 *
 * Return: 0, -ENODATA or -EPROTO.
 */
int rdpdr_parse_using_xps(const u8 *buf, size_t len,
			  struct rdpdr_using_xps *x, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(x, 0, sizeof(*x));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_PRN,
			     PAKID_PRN_USING_XPS, PAKID_PRN_USING_XPS);
	return ret < 0 ? ret : rdpdr_read_using_xps(&r, x);
}

static int rdpdr_read_cache_add(struct rdpdr_rd *r,
				struct rdpdr_cache_add *add)
{
	u32 *val[4] = {
		&add->pnp_name_len, &add->driver_name_len,
		&add->print_name_len, &add->cached_fields_len,
	};
	struct rdpdr_str *str[3] = {
		&add->pnp_name, &add->driver_name, &add->printer_name,
	};
	struct rdpdr_len len[4];
	int ret;

	ret = rdpdr_rd_dos_name(r, RDPDR_F_PORT_DOS_NAME, add->port_dos_name,
				add->port_dos_name_raw);
	if (!ret)
		ret = rdpdr_read_name_lens(r, len, val);
	if (ret)
		return ret;
	r->declared = 32 + (u64)len[0].val + len[1].val + len[2].val +
		      len[3].val;
	return rdpdr_read_names(r, len, false, str, &add->cached_data);
}

static int rdpdr_read_cache_update(struct rdpdr_rd *r,
				   struct rdpdr_cache_update *upd)
{
	struct rdpdr_len name_len, data_len;
	u32 present;
	int ret;

	ret = rdpdr_rd_len(r, RDPDR_F_PRINTER_NAME_LEN, &name_len);
	if (!ret)
		ret = rdpdr_rd_len(r, RDPDR_F_CONFIG_DATA_LEN, &data_len);
	if (ret)
		return ret;
	upd->printer_name_len = name_len.val;
	upd->config_data_len = data_len.val;
	r->declared = 16 + (u64)name_len.val + data_len.val;
	ret = rdpdr_rd_str(r, RDPDR_F_PRINTER_NAME, &name_len, true,
			   &upd->printer_name);
	if (ret)
		return ret;
	/*
	 * The blob is the one field a capture may cut short (the spec sample
	 * is), so what is there is kept and shown before failing.
	 */
	present = data_len.val;
	if (present > rdpdr_rd_left(r))
		present = (u32)rdpdr_rd_left(r);
	upd->config_data_present = present;
	upd->config_data = present ? r->buf + r->pos : NULL;
	rdpdr_show_num(r, RDPDR_F_CONFIG_DATA_PRESENT, present);
	rdpdr_show_blob(r, RDPDR_F_CONFIG_DATA, upd->config_data, present);
	ret = rdpdr_rd_fits(r, &data_len);
	if (!ret)
		r->pos += present;
	return ret;
}

static int rdpdr_read_cache_delete(struct rdpdr_rd *r,
				   struct rdpdr_cache_delete *del)
{
	struct rdpdr_len len;
	int ret;

	ret = rdpdr_rd_len(r, RDPDR_F_PRINTER_NAME_LEN, &len);
	if (ret)
		return ret;
	del->printer_name_len = len.val;
	r->declared = 12 + (u64)len.val;
	return rdpdr_rd_str(r, RDPDR_F_PRINTER_NAME, &len, true,
			    &del->printer_name);
}

static int rdpdr_read_cache_rename(struct rdpdr_rd *r,
				   struct rdpdr_cache_rename *ren)
{
	struct rdpdr_len old_len, new_len;
	int ret;

	ret = rdpdr_rd_len(r, RDPDR_F_OLD_PRINTER_NAME_LEN, &old_len);
	if (!ret)
		ret = rdpdr_rd_len(r, RDPDR_F_NEW_PRINTER_NAME_LEN, &new_len);
	if (ret)
		return ret;
	ren->old_printer_name_len = old_len.val;
	ren->new_printer_name_len = new_len.val;
	r->declared = 16 + (u64)old_len.val + new_len.val;
	ret = rdpdr_rd_str(r, RDPDR_F_OLD_PRINTER_NAME, &old_len, true,
			   &ren->old_printer_name);
	if (!ret)
		ret = rdpdr_rd_str(r, RDPDR_F_NEW_PRINTER_NAME, &new_len, true,
				   &ren->new_printer_name);
	return ret;
}

int rdpdr_read_cache_data(struct rdpdr_rd *r, struct rdpdr_cache_data *cd)
{
	int ret;

	ret = rdpdr_rd_u32(r, RDPDR_F_EVENT_ID, &cd->event_id);
	if (ret)
		return ret;
	switch (cd->event_id) {
	case RDPDR_ADD_PRINTER_EVENT:
		return rdpdr_read_cache_add(r, &cd->add);
	case RDPDR_UPDATE_PRINTER_EVENT:
		return rdpdr_read_cache_update(r, &cd->update);
	case RDPDR_DELETE_PRINTER_EVENT:
		return rdpdr_read_cache_delete(r, &cd->del);
	case RDPDR_RENAME_PRINTER_EVENT:
		return rdpdr_read_cache_rename(r, &cd->rename);
	default:
		return rdpdr_rd_fail(r, -EBADMSG, RDPDR_F_EVENT_ID,
				     "EventId is not a printer cache event", 4);
	}
}

/**
 * rdpdr_parse_cache_data() - parse a DR_PRN_CACHE_DATA
 * @buf: the PDU
 * @len: its length
 * @cd: result
 * @err: error details
 *
 * @cd->event_id selects the member of the union that is filled in. An
 * update event cut short inside ConfigData keeps what is there in
 * @cd->update.config_data and config_data_present.
 *
 * Return: 0, -ENODATA, -EILSEQ or -E2BIG (a name), -EBADMSG (an unknown
 * EventId) or -EPROTO.
 */
int rdpdr_parse_cache_data(const u8 *buf, size_t len,
			   struct rdpdr_cache_data *cd, struct rdpdr_err *err)
{
	struct rdpdr_rd r;
	int ret;

	memset(cd, 0, sizeof(*cd));
	ret = rdpdr_rd_start(&r, buf, len, err, RDPDR_CTYP_PRN,
			     PAKID_PRN_CACHE_DATA, PAKID_PRN_CACHE_DATA);
	return ret < 0 ? ret : rdpdr_read_cache_data(&r, cd);
}
