/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rdpdr.h - parse and build the PDUs of the server end of the rdpdr channel.
 *
 * The same source compiles in the kernel (rdpprn.ko) and in userspace
 * (rdpprnd, rdpdr-dump, the client simulator, unit tests and fuzzers).
 *
 * Conventions:
 *  - Every parse function takes a whole PDU, RDPDR_HEADER included, checks
 *    the header, and treats the bytes as hostile: every length and count is
 *    checked against the bytes that remain, sums are done in 64 bits, nothing
 *    is read outside [buf, buf + len) and nothing is allocated.
 *  - Parsed structures point into the caller's buffer (strings, blobs); they
 *    are valid only as long as that buffer is.
 *  - On failure a parse function returns a negative errno and fills @err
 *    with the field, its offset in the PDU and a static reason. The fields
 *    that were decoded before the failing one are left filled in, so that a
 *    truncated capture can still be shown.
 *  - Build functions return the PDU length, or -ENOSPC when @cap is too
 *    small (nothing useful is written then). A NULL @buf with @cap 0 asks
 *    for the length only.
 *
 * Error codes:
 *   -EBADMSG    malformed: a field has an impossible value
 *   -ENODATA    truncated: a field or a declared length runs past the end
 *   -EPROTO     not the PDU this function parses (Component/PacketId)
 *   -EILSEQ     a string is not valid UTF-16LE / not terminated
 *   -EOVERFLOW  lengths that overflow when added up
 *   -E2BIG      a count or length beyond what the library accepts
 */
#ifndef RDPDR_H
#define RDPDR_H

#include "rdpdr_types.h"
#include "rdpdr_proto.h"

/* Longest string (in bytes on the wire, terminator included) accepted. */
#define RDPDR_MAX_STRING_BYTES		2048
/* ComputerNameLen limit (FreeRDP's). */
#define RDPDR_MAX_COMPUTER_NAME_BYTES	512
/* Capability sets kept from one capability PDU. */
#define RDPDR_MAX_CAP_SETS		16
/*
 * A buffer this size (terminator included) holds the UTF-8 form of any
 * string the library accepts: 8-bit characters take at most 2 bytes, UTF-16
 * code units at most 3.
 */
#define RDPDR_MAX_UTF8_BYTES		(2 * RDPDR_MAX_STRING_BYTES)

/**
 * struct rdpdr_err - why a PDU was rejected
 * @code: the negative errno also returned by the parse function
 * @field: name of the offending field as in RDPDR.md (static string)
 * @reason: human-readable reason, naming the field (static string, usable
 *	as a netlink extack message)
 * @offset: offset of @field from the first byte of the PDU
 * @declared: for -ENODATA, the total PDU length the fields declare when it
 *	is known, else 0
 */
struct rdpdr_err {
	int code;
	const char *field;
	const char *reason;
	u32 offset;
	u64 declared;
};

/**
 * rdpdr_err_format() - render an error as "<reason> (field <f> at offset <n>)"
 * @err: the error filled in by a parse function
 * @buf: output buffer, always NUL-terminated when @len > 0
 * @len: size of @buf
 *
 * Return: the number of characters written, excluding the terminator.
 */
int rdpdr_err_format(const struct rdpdr_err *err, char *buf, size_t len);

/**
 * struct rdpdr_str - a string as it sits on the wire
 * @data: first byte on the wire (NULL when @len is 0)
 * @len: bytes of the field on the wire: the string, its terminator and
 *	whatever follows the terminator inside the field
 * @utf8_len: bytes of its UTF-8 form, without terminator; the string ends
 *	at its first NUL
 * @unicode: true for UTF-16LE, false for 8-bit characters (read as
 *	ISO-8859-1)
 *
 * A parsed string has been validated: a NUL (code unit) inside the field,
 * well-formed UTF-16 before it. Bytes after the NUL are not looked at:
 * FreeRDP 2.11 announces lengths past the terminator, one of them odd.
 */
struct rdpdr_str {
	const u8 *data;
	u32 len;
	u32 utf8_len;
	bool unicode;
};

/**
 * rdpdr_str_check() - validate a wire string and compute its UTF-8 length
 * @s: string with @data, @len and @unicode set; @utf8_len is filled in
 *
 * Return: 0, or -EILSEQ (bad encoding or no NUL inside the field), or
 * -E2BIG (longer than RDPDR_MAX_STRING_BYTES). A zero-length string is
 * valid and empty.
 */
int rdpdr_str_check(struct rdpdr_str *s);

/**
 * rdpdr_str_to_utf8() - convert a validated wire string to UTF-8
 * @s: string checked by rdpdr_str_check() (every parser does that)
 * @out: output buffer, always NUL-terminated when @outlen > 0
 * @outlen: size of @out; @s->utf8_len + 1 is always enough
 *
 * Stops at the first NUL. When @out is too small, the output is cut at a
 * character boundary.
 *
 * Return: bytes written, terminator excluded.
 */
size_t rdpdr_str_to_utf8(const struct rdpdr_str *s, char *out, size_t outlen);

/**
 * rdpdr_utf8_to_utf16() - encode UTF-8 as NUL-terminated UTF-16LE
 * @in: UTF-8 text (need not be terminated)
 * @inlen: bytes of @in
 * @out: output, or NULL to compute the size only
 * @outlen: size of @out
 *
 * Return: bytes of UTF-16LE including the 2-byte terminator, -EILSEQ for
 * invalid UTF-8, -ENOSPC when @out is too small.
 */
int rdpdr_utf8_to_utf16(const char *in, size_t inlen, u8 *out, size_t outlen);

/* ---- RDPDR_HEADER ------------------------------------------------------ */

struct rdpdr_hdr {
	u16 component;
	u16 packet_id;
};

/**
 * rdpdr_parse_hdr() - read the RDPDR_HEADER of a PDU
 * @buf: PDU
 * @len: its length
 * @hdr: result
 * @err: error details
 *
 * Only the size is checked; use rdpdr_pdu_known() to check the values.
 *
 * Return: 0 or -ENODATA.
 */
int rdpdr_parse_hdr(const u8 *buf, size_t len, struct rdpdr_hdr *hdr,
		    struct rdpdr_err *err);

/**
 * rdpdr_pdu_known() - is (component, packet_id) a PDU the protocol defines?
 * @hdr: header
 * @from_client: true to accept only client-to-server PDUs, false to accept
 *	only server-to-client PDUs
 */
bool rdpdr_pdu_known(const struct rdpdr_hdr *hdr, bool from_client);

/** rdpdr_pdu_name() - "PAKID_CORE_..." name of a PDU, or "unknown" */
const char *rdpdr_pdu_name(u16 component, u16 packet_id);

/**
 * rdpdr_build_hdr() - build a header-only PDU (e.g. Server User Logged On)
 * @buf: output
 * @cap: size of @buf
 * @component: RDPDR_CTYP_*
 * @packet_id: PAKID_*
 */
int rdpdr_build_hdr(u8 *buf, size_t cap, u16 component, u16 packet_id);

/* ---- Announce / Announce Reply / Client ID Confirm (12 bytes) ---------- */

/**
 * struct rdpdr_announce - DR_CORE_SERVER_ANNOUNCE_REQ,
 *	DR_CORE_CLIENT_ANNOUNCE_RSP and DR_CORE_SERVER_CLIENTID_CONFIRM
 * @packet_id: PAKID_CORE_SERVER_ANNOUNCE or PAKID_CORE_CLIENTID_CONFIRM
 * @version_major: VersionMajor
 * @version_minor: VersionMinor
 * @client_id: ClientId
 */
struct rdpdr_announce {
	u16 packet_id;
	u16 version_major;
	u16 version_minor;
	u32 client_id;
};

int rdpdr_parse_announce(const u8 *buf, size_t len, struct rdpdr_announce *a,
			 struct rdpdr_err *err);
int rdpdr_build_announce(u8 *buf, size_t cap, const struct rdpdr_announce *a);

/* ---- Client Name Request ----------------------------------------------- */

struct rdpdr_client_name {
	u32 unicode_flag;
	u32 code_page;
	u32 computer_name_len;
	struct rdpdr_str computer_name;
};

int rdpdr_parse_client_name(const u8 *buf, size_t len,
			    struct rdpdr_client_name *cn,
			    struct rdpdr_err *err);
/* Writes computer_name.data/len as given; UnicodeFlag from the struct. */
int rdpdr_build_client_name(u8 *buf, size_t cap,
			    const struct rdpdr_client_name *cn);

/* ---- Core Capability Request / Response -------------------------------- */

struct rdpdr_general_caps {
	u32 os_type;
	u32 os_version;
	u16 protocol_major;
	u16 protocol_minor;
	u32 io_code1;
	u32 io_code2;
	u32 extended_pdu;
	u32 extra_flags1;
	u32 extra_flags2;
	u32 special_type_device_cap;	/* version 2 only */
};

/**
 * struct rdpdr_cap_set - one capability set
 * @type: CapabilityType
 * @length: CapabilityLength (whole set, header included)
 * @version: Version
 * @general: the GENERAL_CAPS_SET body, valid when @type is CAP_GENERAL_TYPE
 *
 * When building, a set other than GENERAL is its header followed by zeros
 * up to @length; GENERAL writes 40 (version 1) or 44 bytes, then zeros.
 */
struct rdpdr_cap_set {
	u16 type;
	u16 length;
	u32 version;
	struct rdpdr_general_caps general;
};

/**
 * struct rdpdr_caps - DR_CORE_CAPABILITY_REQ / DR_CORE_CAPABILITY_RSP
 * @packet_id: PAKID_CORE_SERVER_CAPABILITY or PAKID_CORE_CLIENT_CAPABILITY
 * @num_capabilities: numCapabilities as on the wire
 * @padding: Padding as on the wire
 * @count: sets stored in @sets (equals @num_capabilities after a parse)
 * @sets: the sets in wire order
 *
 * Parsing walks the sets by CapabilityLength, skips (but records) unknown
 * types, and rejects a type that appears twice.
 */
struct rdpdr_caps {
	u16 packet_id;
	u16 num_capabilities;
	u16 padding;
	u16 count;
	struct rdpdr_cap_set sets[RDPDR_MAX_CAP_SETS];
};

int rdpdr_parse_caps(const u8 *buf, size_t len, struct rdpdr_caps *caps,
		     struct rdpdr_err *err);
/* numCapabilities on the wire is @caps->count; @num_capabilities is ignored. */
int rdpdr_build_caps(u8 *buf, size_t cap, const struct rdpdr_caps *caps);
/** rdpdr_caps_find() - the set of @type, or NULL */
const struct rdpdr_cap_set *rdpdr_caps_find(const struct rdpdr_caps *caps,
					    u16 type);
/**
 * rdpdr_server_caps_init() - the recommended server capability request
 * @caps: filled with GENERAL v2 (ioCode1 0xFFFF, extendedPDU 0x7,
 *	protocol 1.0x000C) and PRINTER v1, as RDPDR.md section 3.4 gives it
 */
void rdpdr_server_caps_init(struct rdpdr_caps *caps);

/* ---- Client Device List Announce --------------------------------------- */

/**
 * struct rdpdr_device - one DEVICE_ANNOUNCE entry
 * @device_type: DeviceType
 * @device_id: DeviceId
 * @dos_name: PreferredDosName up to its first NUL (at most 8 characters),
 *	NUL-terminated; not validated (see rdpdr_dos_name_valid())
 * @data_len: DeviceDataLength
 * @data: DeviceData (NULL when @data_len is 0)
 * @offset: offset of the entry from the start of the PDU (error reports)
 */
struct rdpdr_device {
	u32 device_type;
	u32 device_id;
	char dos_name[RDPDR_DOS_NAME_LEN + 1];
	u32 data_len;
	const u8 *data;
	u32 offset;
};

/**
 * struct rdpdr_devlist - a structurally validated device list
 * @device_count: DeviceCount
 * @pdu: the PDU
 * @len: its length
 */
struct rdpdr_devlist {
	u32 device_count;
	const u8 *pdu;
	size_t len;
};

struct rdpdr_devlist_iter {
	const struct rdpdr_devlist *dl;
	size_t pos;
	u32 index;
};

/**
 * rdpdr_parse_devlist() - validate a Client Device List Announce
 * @buf: PDU
 * @len: its length
 * @dl: result
 * @err: error details
 *
 * Walks every entry: DeviceCount must fit the remaining bytes (20 per
 * entry at least) and every DeviceDataLength must fit. Entry contents
 * (names, printer data) are checked later, per entry, by
 * rdpdr_parse_printer() and rdpdr_dos_name_valid(), so one bad printer can
 * be refused without refusing its neighbours.
 */
int rdpdr_parse_devlist(const u8 *buf, size_t len, struct rdpdr_devlist *dl,
			struct rdpdr_err *err);
void rdpdr_devlist_iter_init(struct rdpdr_devlist_iter *it,
			     const struct rdpdr_devlist *dl);
/** rdpdr_devlist_next() - next entry of a validated list; false at the end */
bool rdpdr_devlist_next(struct rdpdr_devlist_iter *it,
			struct rdpdr_device *dev);
/**
 * rdpdr_build_devlist() - build a Client Device List Announce
 * @buf: output
 * @cap: its size
 * @devs: entries; dos_name, data and data_len are written as given
 * @count: number of entries
 */
int rdpdr_build_devlist(u8 *buf, size_t cap, const struct rdpdr_device *devs,
			u32 count);

/**
 * rdpdr_dos_name_valid() - is a PreferredDosName acceptable?
 * @name: NUL-terminated, at most 8 characters
 *
 * Non-empty, printable ASCII, none of < > " / \ |, and ':' only as the last
 * character. A bad name is answered with STATUS_ACCESS_DENIED.
 */
bool rdpdr_dos_name_valid(const char *name);

/**
 * struct rdpdr_printer - DR_PRN_DEVICE_ANNOUNCE device data
 * @flags: Flags (RDPDR_PRINTER_ANNOUNCE_FLAG_*)
 * @code_page: CodePage
 * @pnp_name_len: PnPNameLen
 * @driver_name_len: DriverNameLen
 * @print_name_len: PrintNameLen
 * @cached_fields_len: CachedFieldsLen
 * @pnp_name: PnPName (Unicode)
 * @driver_name: DriverName (ASCII when flag 0x1 is set)
 * @printer_name: PrinterName (Unicode)
 * @cached_data: CachedPrinterConfigData (opaque; NULL when empty)
 */
struct rdpdr_printer {
	u32 flags;
	u32 code_page;
	u32 pnp_name_len;
	u32 driver_name_len;
	u32 print_name_len;
	u32 cached_fields_len;
	struct rdpdr_str pnp_name;
	struct rdpdr_str driver_name;
	struct rdpdr_str printer_name;
	const u8 *cached_data;
};

/**
 * rdpdr_parse_printer() - parse the device data of a printer entry
 * @dev: an entry of type RDPDR_DTYP_PRINT from rdpdr_devlist_next()
 * @p: result
 * @err: error details; offsets count from the start of the PDU
 *
 * Checks DeviceDataLength >= 24, each length field and their 64-bit sum
 * against DeviceDataLength (slack after the last field is ignored), and
 * each string. An empty PrinterName is rejected.
 */
int rdpdr_parse_printer(const struct rdpdr_device *dev,
			struct rdpdr_printer *p, struct rdpdr_err *err);
/**
 * rdpdr_build_printer_data() - build DR_PRN_DEVICE_ANNOUNCE device data
 * @buf: output
 * @cap: its size
 * @p: the lengths are taken from the strings and @cached_fields_len
 *
 * Return: DeviceDataLength, or -ENOSPC.
 */
int rdpdr_build_printer_data(u8 *buf, size_t cap,
			     const struct rdpdr_printer *p);

/* ---- Server Device Announce Response ------------------------------------ */

struct rdpdr_device_reply {
	u32 device_id;
	u32 result_code;
};

int rdpdr_parse_device_reply(const u8 *buf, size_t len,
			     struct rdpdr_device_reply *r,
			     struct rdpdr_err *err);
int rdpdr_build_device_reply(u8 *buf, size_t cap,
			     const struct rdpdr_device_reply *r);

/* ---- Client Device List Remove ------------------------------------------ */

struct rdpdr_devlist_remove {
	u32 device_count;
	const u8 *ids;
};

int rdpdr_parse_devlist_remove(const u8 *buf, size_t len,
			       struct rdpdr_devlist_remove *r,
			       struct rdpdr_err *err);
/** rdpdr_remove_id() - the @i-th DeviceId of a parsed remove PDU */
u32 rdpdr_remove_id(const struct rdpdr_devlist_remove *r, u32 i);
int rdpdr_build_devlist_remove(u8 *buf, size_t cap, const u32 *ids,
			       u32 count);

/* ---- Device I/O Request (server to client) ------------------------------ */

struct rdpdr_ioreq {
	u32 device_id;
	u32 file_id;
	u32 completion_id;
	u32 major_function;
	u32 minor_function;
};

struct rdpdr_create_req {
	struct rdpdr_ioreq io;
	u32 desired_access;
	u64 allocation_size;
	u32 file_attributes;
	u32 shared_access;
	u32 create_disposition;
	u32 create_options;
	u32 path_length;
	struct rdpdr_str path;
};

/**
 * struct rdpdr_write_req - DR_WRITE_REQ
 * @io: request header (MajorFunction IRP_MJ_WRITE)
 * @length: Length
 * @offset: Offset
 * @data: WriteData; NULL after rdpdr_parse_write_req_hdr(), and when
 *	building, NULL writes the 56-byte fixed part only (the caller appends
 *	@length bytes itself)
 */
struct rdpdr_write_req {
	struct rdpdr_ioreq io;
	u32 length;
	u64 offset;
	const u8 *data;
};

/* Parse the 24-byte DR_DEVICE_IOREQUEST prefix of any request. */
int rdpdr_parse_ioreq(const u8 *buf, size_t len, struct rdpdr_ioreq *io,
		      struct rdpdr_err *err);
int rdpdr_parse_create_req(const u8 *buf, size_t len,
			   struct rdpdr_create_req *req,
			   struct rdpdr_err *err);
/* Requires all Length bytes of WriteData. */
int rdpdr_parse_write_req(const u8 *buf, size_t len,
			  struct rdpdr_write_req *req, struct rdpdr_err *err);
/* Only the 56-byte fixed part; @req->data is set to NULL. */
int rdpdr_parse_write_req_hdr(const u8 *buf, size_t len,
			      struct rdpdr_write_req *req,
			      struct rdpdr_err *err);
/* A close request; the 32 padding bytes are not checked. */
int rdpdr_parse_close_req(const u8 *buf, size_t len, struct rdpdr_ioreq *io,
			  struct rdpdr_err *err);

/**
 * rdpdr_printer_create_init() - a printer IRP_MJ_CREATE as Windows sends it
 * @req: filled in: DesiredAccess 0x0012019F, SharedAccess 3, FILE_OPEN,
 *	CreateOptions 0x40, PathLength 0
 * @device_id: DeviceId
 * @completion_id: CompletionId
 */
void rdpdr_printer_create_init(struct rdpdr_create_req *req, u32 device_id,
			       u32 completion_id);
int rdpdr_build_create_req(u8 *buf, size_t cap,
			   const struct rdpdr_create_req *req);
int rdpdr_build_write_req(u8 *buf, size_t cap,
			  const struct rdpdr_write_req *req);
/* MajorFunction is forced to IRP_MJ_CLOSE; padding is zeros. */
int rdpdr_build_close_req(u8 *buf, size_t cap, const struct rdpdr_ioreq *io);

/* ---- Device I/O Response (client to server) ----------------------------- */

/**
 * struct rdpdr_iocompletion - DR_DEVICE_IOCOMPLETION prefix
 * @device_id: DeviceId
 * @completion_id: CompletionId
 * @io_status: IoStatus (NTSTATUS)
 *
 * The PDU does not say what it answers: look the request up by
 * CompletionId, then parse the rest with the function for its major.
 */
struct rdpdr_iocompletion {
	u32 device_id;
	u32 completion_id;
	u32 io_status;
};

struct rdpdr_create_rsp {
	struct rdpdr_iocompletion c;
	u32 file_id;
	bool has_information;
	u8 information;
};

struct rdpdr_write_rsp {
	struct rdpdr_iocompletion c;
	u32 length;
	bool has_padding;
};

struct rdpdr_close_rsp {
	struct rdpdr_iocompletion c;
	u32 padding_len;
};

int rdpdr_parse_iocompletion(const u8 *buf, size_t len,
			     struct rdpdr_iocompletion *c,
			     struct rdpdr_err *err);
/* >= 20 bytes; a 21st byte is Information. */
int rdpdr_parse_create_rsp(const u8 *buf, size_t len,
			   struct rdpdr_create_rsp *r, struct rdpdr_err *err);
/* >= 20 bytes; a 21st byte is Padding. */
int rdpdr_parse_write_rsp(const u8 *buf, size_t len,
			  struct rdpdr_write_rsp *r, struct rdpdr_err *err);
/* >= 16 bytes; whatever follows is padding. */
int rdpdr_parse_close_rsp(const u8 *buf, size_t len,
			  struct rdpdr_close_rsp *r, struct rdpdr_err *err);
int rdpdr_build_create_rsp(u8 *buf, size_t cap,
			   const struct rdpdr_create_rsp *r);
int rdpdr_build_write_rsp(u8 *buf, size_t cap,
			  const struct rdpdr_write_rsp *r);
/* padding_len zero bytes follow the 16-byte prefix (0 to 5). */
int rdpdr_build_close_rsp(u8 *buf, size_t cap,
			  const struct rdpdr_close_rsp *r);

/* ---- Printer component: using XPS, cache data (server to client) -------- */

struct rdpdr_using_xps {
	u32 printer_id;
	u32 flags;
};

int rdpdr_parse_using_xps(const u8 *buf, size_t len,
			  struct rdpdr_using_xps *x, struct rdpdr_err *err);
int rdpdr_build_using_xps(u8 *buf, size_t cap,
			  const struct rdpdr_using_xps *x);

struct rdpdr_cache_add {
	char port_dos_name[RDPDR_DOS_NAME_LEN + 1];
	u8 port_dos_name_raw[RDPDR_DOS_NAME_LEN];
	u32 pnp_name_len;
	u32 driver_name_len;
	u32 print_name_len;
	u32 cached_fields_len;
	struct rdpdr_str pnp_name;
	struct rdpdr_str driver_name;
	struct rdpdr_str printer_name;
	const u8 *cached_data;
};

/**
 * struct rdpdr_cache_update - DR_PRN_UPDATE_CACHEDATA
 * @printer_name_len: PrinterNameLen
 * @config_data_len: ConfigDataLen
 * @printer_name: PrinterName
 * @config_data: ConfigData
 * @config_data_present: bytes of ConfigData actually present; equals
 *	@config_data_len after a successful parse, less after -ENODATA
 */
struct rdpdr_cache_update {
	u32 printer_name_len;
	u32 config_data_len;
	struct rdpdr_str printer_name;
	const u8 *config_data;
	u32 config_data_present;
};

struct rdpdr_cache_delete {
	u32 printer_name_len;
	struct rdpdr_str printer_name;
};

struct rdpdr_cache_rename {
	u32 old_printer_name_len;
	u32 new_printer_name_len;
	struct rdpdr_str old_printer_name;
	struct rdpdr_str new_printer_name;
};

/**
 * struct rdpdr_cache_data - DR_PRN_CACHE_DATA, one of four events
 * @event_id: RDPDR_*_PRINTER_EVENT; selects the union member
 * @add: RDPDR_ADD_PRINTER_EVENT
 * @update: RDPDR_UPDATE_PRINTER_EVENT
 * @del: RDPDR_DELETE_PRINTER_EVENT
 * @rename: RDPDR_RENAME_PRINTER_EVENT
 */
struct rdpdr_cache_data {
	u32 event_id;
	union {
		struct rdpdr_cache_add add;
		struct rdpdr_cache_update update;
		struct rdpdr_cache_delete del;
		struct rdpdr_cache_rename rename;
	};
};

int rdpdr_parse_cache_data(const u8 *buf, size_t len,
			   struct rdpdr_cache_data *cd, struct rdpdr_err *err);
/* Lengths come from the strings and blob lengths; add uses port_dos_name_raw. */
int rdpdr_build_cache_data(u8 *buf, size_t cap,
			   const struct rdpdr_cache_data *cd);

/* ---- Describing a PDU field by field (rdpdr-dump, tests) ---------------- */

/**
 * struct rdpdr_visitor - receives the fields of a PDU in wire order
 * @begin: an object (@array false) or array (@array true) named @name
 *	starts; inside an array, @name is NULL
 * @end: the innermost object or array ends
 * @num: an integer field; @hex says whether it reads better in hex
 * @str: a string field (UTF-8, NUL-terminated)
 * @flag: a boolean field
 * @blob: an opaque byte field (only its length and first bytes matter)
 * @ctx: passed to every callback
 * @scratch: optional buffer that receives the UTF-8 form of strings before
 *	@str sees them; RDPDR_MAX_UTF8_BYTES is enough for any string. Without
 *	it a 256-byte buffer on the stack is used and longer strings are cut
 *	at a character boundary.
 * @scratch_len: size of @scratch
 *
 * Field names are those of RDPDR.md (e.g. "DeviceDataLength"). A NULL
 * callback is skipped. Every @begin gets its @end, also when decoding
 * stops at an error.
 */
struct rdpdr_visitor {
	void (*begin)(void *ctx, const char *name, bool array);
	void (*end)(void *ctx, bool array);
	void (*num)(void *ctx, const char *name, u64 value, bool hex);
	void (*str)(void *ctx, const char *name, const char *utf8);
	void (*flag)(void *ctx, const char *name, bool value);
	void (*blob)(void *ctx, const char *name, const u8 *data, size_t len);
	void *ctx;
	char *scratch;
	size_t scratch_len;
};

/**
 * rdpdr_describe() - decode any PDU and report its fields to a visitor
 * @buf: PDU
 * @len: its length
 * @rsp_major: for a Device I/O Response, the MajorFunction of the request it
 *	answers (IRP_MJ_CREATE/WRITE/CLOSE), or -1 to report the 16-byte
 *	prefix only
 * @v: visitor
 * @err: error details
 *
 * On -ENODATA the fields before the truncation have been reported, which
 * is how truncated captures are shown.
 *
 * Return: 0 or the parse error.
 */
int rdpdr_describe(const u8 *buf, size_t len, int rsp_major,
		   const struct rdpdr_visitor *v, struct rdpdr_err *err);

#endif /* RDPDR_H */
