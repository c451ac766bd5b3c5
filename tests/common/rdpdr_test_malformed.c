// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_test_malformed.c - hostile PDUs (RDPDR.md section 11): each family
 * must be rejected with a precise error code and field name, by its parse
 * function and by rdpdr_describe().
 */
#include "rdpdr_test.h"

#define SCRATCH_LEN	4096

/* Parse the devlist, then rdpdr_parse_printer() on its first printer. */
#define TK_PRINTER	1000

/**
 * struct tmal - one malformed PDU family
 * @name: case name
 * @build: writes the PDU
 * @kind: RDPDR_TK_* parse function to call, or TK_PRINTER
 * @rsp_major: for rdpdr_describe()
 * @code: expected negative errno
 * @field: expected err.field
 * @declared: expected err.declared for -ENODATA (0: not checked)
 */
struct tmal {
	const char *name;
	void (*build)(struct rdpdr_twriter *w);
	int kind;
	int rsp_major;
	int code;
	const char *field;
	u64 declared;
};

static void hdr(struct rdpdr_twriter *w, u16 comp, u16 pkt)
{
	rdpdr_tw_u16(w, comp);
	rdpdr_tw_u16(w, pkt);
}

static void dev_entry(struct rdpdr_twriter *w, u32 type, u32 id,
		      const char *dos, u32 data_len)
{
	u8 name[8] = { 0 };

	memcpy(name, dos, strnlen(dos, 8));
	rdpdr_tw_u32(w, type);
	rdpdr_tw_u32(w, id);
	rdpdr_tw_bytes(w, name, 8);
	rdpdr_tw_u32(w, data_len);
}

/* A one-printer device list; the caller writes the strings. */
static void printer_head(struct rdpdr_twriter *w, u32 data_len, u32 flags,
			 u32 pnp, u32 drv, u32 prn, u32 cached)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 1);
	dev_entry(w, RDPDR_DTYP_PRINT, 4, "PRN4", data_len);
	rdpdr_tw_u32(w, flags);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, pnp);
	rdpdr_tw_u32(w, drv);
	rdpdr_tw_u32(w, prn);
	rdpdr_tw_u32(w, cached);
}

static void b_devlist_count_ffffffff(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 0xffffffff);
	dev_entry(w, RDPDR_DTYP_PARALLEL, 2, "LPT1", 0);
}

static void b_devlist_count_10000(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 10000);
	dev_entry(w, RDPDR_DTYP_FILESYSTEM, 1, "C:", 0);
	dev_entry(w, RDPDR_DTYP_FILESYSTEM, 2, "D:", 0);
	dev_entry(w, RDPDR_DTYP_SMARTCARD, 3, "SCARD", 0);
}

static void b_devlist_datalen_beyond(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 1);
	dev_entry(w, RDPDR_DTYP_FILESYSTEM, 1, "C:", 100);
	rdpdr_tw_utf16(w, "C:\\x", true);
}

static void b_devlist_datalen_ffffffff(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 2);
	dev_entry(w, RDPDR_DTYP_FILESYSTEM, 1, "C:", 0xffffffec);
	dev_entry(w, RDPDR_DTYP_FILESYSTEM, 2, "D:", 0);
}

static void b_printer_datalen_lt24(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 1);
	dev_entry(w, RDPDR_DTYP_PRINT, 4, "PRN4", 20);
	/* Flags .. PrintNameLen; CachedFieldsLen missing */
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 4);
}

/* 24 + 0x80000000 + 0x80000000 + 4 == 28 in 32-bit arithmetic */
static void b_printer_sum_overflow32(struct rdpdr_twriter *w)
{
	printer_head(w, 28, 0, 0x80000000, 0x80000000, 4, 0);
	rdpdr_tw_utf16(w, "A", true);
}

/* 24 + 4 + 0xffffffe4 == 4 in 32-bit arithmetic, below DeviceDataLength */
static void b_printer_sum_overflow32_cached(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 4, 0, 0, 0, 4, 0xffffffe4);
	rdpdr_tw_utf16(w, "A", true);
}

static void b_printer_sum_exceeds(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 8, 0, 0, 6, 6, 0);
	rdpdr_tw_utf16(w, "AB", true);
	rdpdr_tw_u16(w, 0);
}

static void b_printer_single_len_gt(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 8, 0, 0, 10, 0, 0);
	rdpdr_tw_utf16(w, "ABC", true);
}

/* Half a code unit before any terminator (an odd length after one is fine). */
static void b_printer_name_odd(struct rdpdr_twriter *w)
{
	static const u8 s[] = { 'A', 0, 'B' };

	printer_head(w, 24 + 3, 0, 0, 0, 3, 0);
	rdpdr_tw_bytes(w, s, sizeof(s));
}

static void b_printer_name_unterminated(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 4, 0, 0, 0, 4, 0);
	rdpdr_tw_utf16(w, "AB", false);
}

static void b_printer_name_lone_high(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 6, 0, 0, 0, 6, 0);
	rdpdr_tw_u16(w, 'A');
	rdpdr_tw_u16(w, 0xd800);
	rdpdr_tw_u16(w, 0);
}

static void b_printer_name_high_then_bmp(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 6, 0, 0, 0, 6, 0);
	rdpdr_tw_u16(w, 0xdbff);
	rdpdr_tw_u16(w, 'A');
	rdpdr_tw_u16(w, 0);
}

static void b_printer_name_lone_low(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 6, 0, 0, 0, 6, 0);
	rdpdr_tw_u16(w, 0xdc00);
	rdpdr_tw_u16(w, 'A');
	rdpdr_tw_u16(w, 0);
}

static void b_printer_ascii_driver_unterminated(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 2 + 4, RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII, 0, 2, 4,
		     0);
	rdpdr_tw_bytes(w, "HP", 2);
	rdpdr_tw_utf16(w, "A", true);
}

static void b_printer_driver_too_long(struct rdpdr_twriter *w)
{
	unsigned int i;

	printer_head(w, 24 + 2050 + 4, 0, 0, 2050, 4, 0);
	for (i = 0; i < 1024; i++)
		rdpdr_tw_u16(w, 'D');
	rdpdr_tw_u16(w, 0);
	rdpdr_tw_utf16(w, "A", true);
}

static void b_printer_empty_name(struct rdpdr_twriter *w)
{
	printer_head(w, 24 + 4, 0, 0, 4, 0, 0);
	rdpdr_tw_utf16(w, "A", true);
}

static void b_name_len_beyond(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 30);
	rdpdr_tw_utf16(w, "ABCD", true);
}

/* RDPDR.md section 11: a Unicode ComputerName is >= 2 bytes, 8-bit >= 1 */
static void b_name_len_zero(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
}

static void b_name_len_zero_8bit(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
}

static void b_name_len_over_512(struct rdpdr_twriter *w)
{
	unsigned int i;

	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 514);
	for (i = 0; i < 256; i++)
		rdpdr_tw_u16(w, 'N');
	rdpdr_tw_u16(w, 0);
}

static void b_name_odd(struct rdpdr_twriter *w)
{
	static const u8 s[] = { 'A', 0, 'B' };

	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, sizeof(s));
	rdpdr_tw_bytes(w, s, sizeof(s));
}

static void b_name_8bit_unterminated(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 3);
	rdpdr_tw_bytes(w, "ABC", 3);
}

static void b_name_lone_high(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 4);
	rdpdr_tw_u16(w, 0xd83d);
	rdpdr_tw_u16(w, 0);
}

static void caps_head(struct rdpdr_twriter *w, u16 num)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_CAPABILITY);
	rdpdr_tw_u16(w, num);
	rdpdr_tw_u16(w, 0);
}

static void cap_set(struct rdpdr_twriter *w, u16 type, u16 len, u32 ver,
		    u32 body)
{
	u32 i;

	rdpdr_tw_u16(w, type);
	rdpdr_tw_u16(w, len);
	rdpdr_tw_u32(w, ver);
	for (i = 0; i < body; i++)
		rdpdr_tw_u8(w, i == 12 ? 0xff : 0);
}

static void b_caps_len_lt8(struct rdpdr_twriter *w)
{
	caps_head(w, 2);
	cap_set(w, CAP_PRINTER_TYPE, 4, 1, 0);
	cap_set(w, CAP_PORT_TYPE, 8, 1, 0);
}

static void b_caps_len_zero(struct rdpdr_twriter *w)
{
	caps_head(w, 2);
	cap_set(w, CAP_PRINTER_TYPE, 0, 1, 0);
	cap_set(w, CAP_PORT_TYPE, 8, 1, 0);
}

static void b_caps_len_beyond(struct rdpdr_twriter *w)
{
	caps_head(w, 1);
	cap_set(w, CAP_PRINTER_TYPE, 16, 1, 0);
}

static void b_caps_general_v2_short(struct rdpdr_twriter *w)
{
	caps_head(w, 1);
	cap_set(w, CAP_GENERAL_TYPE, 40, 2, 32);
}

static void b_caps_general_v1_short(struct rdpdr_twriter *w)
{
	caps_head(w, 1);
	cap_set(w, CAP_GENERAL_TYPE, 36, 1, 28);
}

static void b_caps_duplicate(struct rdpdr_twriter *w)
{
	caps_head(w, 3);
	cap_set(w, CAP_PRINTER_TYPE, 8, 1, 0);
	cap_set(w, CAP_PORT_TYPE, 8, 1, 0);
	cap_set(w, CAP_PRINTER_TYPE, 8, 1, 0);
}

static void b_caps_num_beyond(struct rdpdr_twriter *w)
{
	caps_head(w, 3);
	cap_set(w, CAP_GENERAL_TYPE, 44, 2, 36);
	cap_set(w, CAP_PRINTER_TYPE, 8, 1, 0);
}

static void b_caps_num_over_max(struct rdpdr_twriter *w)
{
	u16 i;

	caps_head(w, RDPDR_MAX_CAP_SETS + 1);
	for (i = 0; i < RDPDR_MAX_CAP_SETS + 1; i++)
		cap_set(w, 0x100 + i, 8, 1, 0);
}

static void b_remove_count_wrap(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_REMOVE);
	/* 4 * 0x40000001 == 4 in 32-bit arithmetic */
	rdpdr_tw_u32(w, 0x40000001);
	rdpdr_tw_u32(w, 1);
}

static void b_remove_count_ffffffff(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_REMOVE);
	rdpdr_tw_u32(w, 0xffffffff);
	rdpdr_tw_u32(w, 1);
	rdpdr_tw_u32(w, 2);
}

static void completion(struct rdpdr_twriter *w, size_t total)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOCOMPLETION);
	rdpdr_tw_u32(w, 2);
	rdpdr_tw_u32(w, 0);
	while (w->len < total)
		rdpdr_tw_u8(w, 0);
}

static void b_rsp_15(struct rdpdr_twriter *w)
{
	completion(w, 15);
}

static void b_rsp_19(struct rdpdr_twriter *w)
{
	completion(w, 19);
}

static void ioreq(struct rdpdr_twriter *w, u32 major)
{
	hdr(w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOREQUEST);
	rdpdr_tw_u32(w, 2);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, major);
	rdpdr_tw_u32(w, 0);
}

static void b_write_req_len_beyond(struct rdpdr_twriter *w)
{
	unsigned int i;

	ioreq(w, IRP_MJ_WRITE);
	rdpdr_tw_u32(w, 100);
	for (i = 0; i < 28; i++)
		rdpdr_tw_u8(w, 0);
	rdpdr_tw_bytes(w, "0123456789", 10);
}

static void b_write_req_len_ffffffff(struct rdpdr_twriter *w)
{
	unsigned int i;

	ioreq(w, IRP_MJ_WRITE);
	rdpdr_tw_u32(w, 0xffffffff);
	for (i = 0; i < 28 + 16; i++)
		rdpdr_tw_u8(w, 0);
}

static void b_create_req_path_beyond(struct rdpdr_twriter *w)
{
	unsigned int i;

	ioreq(w, IRP_MJ_CREATE);
	for (i = 0; i < 28; i++)
		rdpdr_tw_u8(w, 0);
	rdpdr_tw_u32(w, 0xfffffffe);
	rdpdr_tw_utf16(w, "x", true);
}

static void b_create_req_as_close(struct rdpdr_twriter *w)
{
	unsigned int i;

	ioreq(w, IRP_MJ_CLOSE);
	for (i = 0; i < 32; i++)
		rdpdr_tw_u8(w, 0);
}

static void b_cache_unknown_event(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA);
	rdpdr_tw_u32(w, 5);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_u32(w, 0);
}

static void b_cache_update_beyond(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA);
	rdpdr_tw_u32(w, RDPDR_UPDATE_PRINTER_EVENT);
	rdpdr_tw_u32(w, 4);
	rdpdr_tw_u32(w, 0xfffffff0);
	rdpdr_tw_utf16(w, "P", true);
	rdpdr_tw_bytes(w, "cfg", 3);
}

static void b_cache_add_sum_overflow(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA);
	rdpdr_tw_u32(w, RDPDR_ADD_PRINTER_EVENT);
	rdpdr_tw_bytes(w, "LPT1\0\0\0\0", 8);
	rdpdr_tw_u32(w, 0x80000000);
	rdpdr_tw_u32(w, 0x80000000);
	rdpdr_tw_u32(w, 4);
	rdpdr_tw_u32(w, 0);
	rdpdr_tw_utf16(w, "A", true);
}

static void b_cache_rename_lone_low(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA);
	rdpdr_tw_u32(w, RDPDR_RENAME_PRINTER_EVENT);
	rdpdr_tw_u32(w, 4);
	rdpdr_tw_u32(w, 4);
	rdpdr_tw_utf16(w, "A", true);
	rdpdr_tw_u16(w, 0xdfff);
	rdpdr_tw_u16(w, 0);
}

static void b_unknown_component(struct rdpdr_twriter *w)
{
	hdr(w, 0x1234, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(w, 0);
}

static void b_unknown_packet_id(struct rdpdr_twriter *w)
{
	hdr(w, RDPDR_CTYP_CORE, 0x1234);
	rdpdr_tw_u32(w, 0);
}

static const struct tmal tmal_cases[] = {
	{ "devlist_count_ffffffff", b_devlist_count_ffffffff,
	  RDPDR_TK_DEVLIST, -1, -ENODATA, "DeviceCount" },
	{ "devlist_count_10000_few_present", b_devlist_count_10000,
	  RDPDR_TK_DEVLIST, -1, -ENODATA, "DeviceCount" },
	{ "devlist_datalen_beyond_remaining", b_devlist_datalen_beyond,
	  RDPDR_TK_DEVLIST, -1, -ENODATA, "DeviceDataLength" },
	{ "devlist_datalen_wraps_32bit", b_devlist_datalen_ffffffff,
	  RDPDR_TK_DEVLIST, -1, -ENODATA, "DeviceDataLength" },
	{ "printer_datalen_lt_24", b_printer_datalen_lt24, TK_PRINTER, -1,
	  -EBADMSG, "DeviceDataLength" },
	{ "printer_len_sum_overflows_32bit", b_printer_sum_overflow32,
	  TK_PRINTER, -1, -EBADMSG, "PnPNameLen" },
	{ "printer_cached_len_sum_overflows_32bit",
	  b_printer_sum_overflow32_cached, TK_PRINTER, -1, -EBADMSG,
	  "CachedFieldsLen" },
	{ "printer_len_sum_exceeds_datalen", b_printer_sum_exceeds,
	  TK_PRINTER, -1, -EBADMSG, "PrintNameLen" },
	{ "printer_single_len_gt_datalen", b_printer_single_len_gt,
	  TK_PRINTER, -1, -EBADMSG, "DriverNameLen" },
	{ "printer_name_odd_unterminated", b_printer_name_odd, TK_PRINTER, -1,
	  -EILSEQ, "PrinterName" },
	{ "printer_name_no_terminator", b_printer_name_unterminated,
	  TK_PRINTER, -1, -EILSEQ, "PrinterName" },
	{ "printer_name_lone_high_surrogate", b_printer_name_lone_high,
	  TK_PRINTER, -1, -EILSEQ, "PrinterName" },
	{ "printer_name_high_surrogate_then_bmp",
	  b_printer_name_high_then_bmp, TK_PRINTER, -1, -EILSEQ,
	  "PrinterName" },
	{ "printer_name_lone_low_surrogate", b_printer_name_lone_low,
	  TK_PRINTER, -1, -EILSEQ, "PrinterName" },
	{ "printer_ascii_driver_no_terminator",
	  b_printer_ascii_driver_unterminated, TK_PRINTER, -1, -EILSEQ,
	  "DriverName" },
	{ "printer_driver_name_over_2048", b_printer_driver_too_long,
	  TK_PRINTER, -1, -E2BIG, "DriverName" },
	{ "printer_empty_printer_name", b_printer_empty_name, TK_PRINTER, -1,
	  -EBADMSG, "PrinterName" },
	{ "name_len_beyond_remaining", b_name_len_beyond,
	  RDPDR_TK_CLIENT_NAME, -1, -ENODATA, "ComputerNameLen" },
	{ "name_len_over_512", b_name_len_over_512, RDPDR_TK_CLIENT_NAME, -1,
	  -E2BIG, "ComputerNameLen" },
	{ "name_len_zero_unicode", b_name_len_zero, RDPDR_TK_CLIENT_NAME, -1,
	  -EILSEQ, "ComputerName" },
	{ "name_len_zero_8bit", b_name_len_zero_8bit, RDPDR_TK_CLIENT_NAME,
	  -1, -EILSEQ, "ComputerName" },
	{ "name_unicode_odd_unterminated", b_name_odd, RDPDR_TK_CLIENT_NAME, -1,
	  -EILSEQ, "ComputerName" },
	{ "name_8bit_no_terminator", b_name_8bit_unterminated,
	  RDPDR_TK_CLIENT_NAME, -1, -EILSEQ, "ComputerName" },
	{ "name_lone_high_surrogate", b_name_lone_high, RDPDR_TK_CLIENT_NAME,
	  -1, -EILSEQ, "ComputerName" },
	{ "caps_length_lt_8", b_caps_len_lt8, RDPDR_TK_CAPS, -1, -EBADMSG,
	  "CapabilityLength" },
	{ "caps_length_zero", b_caps_len_zero, RDPDR_TK_CAPS, -1, -EBADMSG,
	  "CapabilityLength" },
	{ "caps_length_beyond_remaining", b_caps_len_beyond, RDPDR_TK_CAPS,
	  -1, -ENODATA, "CapabilityLength" },
	{ "caps_general_v2_shorter_than_44", b_caps_general_v2_short,
	  RDPDR_TK_CAPS, -1, -EBADMSG, "CapabilityLength" },
	{ "caps_general_v1_shorter_than_40", b_caps_general_v1_short,
	  RDPDR_TK_CAPS, -1, -EBADMSG, "CapabilityLength" },
	{ "caps_duplicate_type", b_caps_duplicate, RDPDR_TK_CAPS, -1,
	  -EBADMSG, "CapabilityType" },
	{ "caps_num_more_than_present", b_caps_num_beyond, RDPDR_TK_CAPS, -1,
	  -ENODATA, "numCapabilities" },
	{ "caps_num_over_max_sets", b_caps_num_over_max, RDPDR_TK_CAPS, -1,
	  -E2BIG, "numCapabilities" },
	{ "remove_4count_wraps_32bit", b_remove_count_wrap, RDPDR_TK_REMOVE,
	  -1, -ENODATA, "DeviceCount" },
	{ "remove_count_ffffffff", b_remove_count_ffffffff, RDPDR_TK_REMOVE,
	  -1, -ENODATA, "DeviceCount" },
	{ "create_rsp_19_bytes", b_rsp_19, RDPDR_TK_CREATE_RSP, IRP_MJ_CREATE,
	  -ENODATA, "FileId" },
	{ "write_rsp_19_bytes", b_rsp_19, RDPDR_TK_WRITE_RSP, IRP_MJ_WRITE,
	  -ENODATA, "Length" },
	{ "close_rsp_15_bytes", b_rsp_15, RDPDR_TK_CLOSE_RSP, IRP_MJ_CLOSE,
	  -ENODATA, "IoStatus" },
	{ "write_req_length_beyond", b_write_req_len_beyond,
	  RDPDR_TK_WRITE_REQ, -1, -ENODATA, "Length", 156 },
	{ "write_req_length_ffffffff", b_write_req_len_ffffffff,
	  RDPDR_TK_WRITE_REQ, -1, -ENODATA, "Length", 56ULL + 0xffffffff },
	{ "create_req_path_beyond", b_create_req_path_beyond,
	  RDPDR_TK_CREATE_REQ, -1, -ENODATA, "PathLength",
	  56ULL + 0xfffffffe },
	{ "create_req_parser_on_close", b_create_req_as_close,
	  RDPDR_TK_CREATE_REQ, -2, -EPROTO, "MajorFunction" },
	{ "cache_unknown_event", b_cache_unknown_event, RDPDR_TK_CACHE_DATA,
	  -1, -EBADMSG, "EventId" },
	{ "cache_update_config_beyond", b_cache_update_beyond,
	  RDPDR_TK_CACHE_DATA, -1, -ENODATA, "ConfigDataLen",
	  16ULL + 4 + 0xfffffff0 },
	{ "cache_add_len_sum_overflows_32bit", b_cache_add_sum_overflow,
	  RDPDR_TK_CACHE_DATA, -1, -ENODATA, "PnPNameLen" },
	{ "cache_rename_lone_low_surrogate", b_cache_rename_lone_low,
	  RDPDR_TK_CACHE_DATA, -1, -EILSEQ, "NewPrinterName" },
	{ "describe_unknown_component", b_unknown_component, RDPDR_TK_HDR,
	  -1, -EPROTO, "Component" },
	{ "describe_unknown_packet_id", b_unknown_packet_id, RDPDR_TK_HDR,
	  -1, -EPROTO, "PacketId" },
};

static const char *terr_check(struct rdpdr_tctx *t, const char *who, int rc,
			      const struct rdpdr_err *err,
			      const struct tmal *m)
{
	if (rc != m->code || err->code != rc || !err->field ||
	    strcmp(err->field, m->field) || !err->reason ||
	    (m->declared && err->declared != m->declared))
		return rdpdr_tfail(t, "%s: %d %s decl %llu (%s), want %d %s decl %llu",
				   who, rc, err->field ? err->field : "NULL",
				   (unsigned long long)err->declared,
				   err->reason ? err->reason : "no reason",
				   m->code, m->field,
				   (unsigned long long)m->declared);
	return NULL;
}

static const char *tmal_run(struct rdpdr_tctx *t, const void *arg)
{
	const struct tmal *m = arg;
	struct rdpdr_devlist_iter it;
	union rdpdr_tparsed *p = NULL;
	struct rdpdr_printer pr;
	struct rdpdr_device dev;
	struct rdpdr_twriter w;
	const char *fail = NULL;
	struct rdpdr_err err;
	u8 *scratch, *buf = NULL;
	int rc;

	scratch = rt_zalloc(SCRATCH_LEN);
	p = rt_zalloc(sizeof(*p));
	if (!scratch || !p) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	rdpdr_tw_init(&w, scratch, SCRATCH_LEN);
	m->build(&w);
	if (w.overflow) {
		fail = rdpdr_tfail(t, "test PDU does not fit the scratch buffer");
		goto out;
	}
	/* Exactly-sized copy: an overread is a sanitizer report. */
	buf = rdpdr_tdup(scratch, w.len);
	if (!buf) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}

	if (m->kind == TK_PRINTER) {
		rc = rdpdr_tparse(RDPDR_TK_DEVLIST, buf, w.len, p, &err);
		if (rc) {
			fail = rdpdr_tfail(t, "the device list itself is rejected: %d (%s)",
					   rc, err.reason);
			goto out;
		}
		rdpdr_devlist_iter_init(&it, &p->devlist);
		if (!rdpdr_devlist_next(&it, &dev)) {
			fail = rdpdr_tfail(t, "no entry in the device list");
			goto out;
		}
		memset(&err, 0, sizeof(err));
		rc = rdpdr_parse_printer(&dev, &pr, &err);
		fail = terr_check(t, "rdpdr_parse_printer", rc, &err, m);
	} else if (m->kind != RDPDR_TK_HDR) {
		rc = rdpdr_tparse(m->kind, buf, w.len, p, &err);
		fail = terr_check(t, rdpdr_tkind_name(m->kind), rc, &err, m);
	}
	if (fail)
		goto out;
	if (m->rsp_major == -2)
		goto out;	/* describe() picks the right parser itself */
	rc = rdpdr_tdescribe(t, buf, w.len, m->rsp_major, &err);
	fail = terr_check(t, "rdpdr_describe", rc, &err, m);
	if (!fail && t->flat.error)
		fail = rdpdr_tfail(t, "describe: visitor: %s", t->flat.error);
	if (!fail && t->flat.depth)
		fail = rdpdr_tfail(t, "describe: %u objects left open",
				   t->flat.depth);
out:
	rt_free(buf);
	rt_free(p);
	rt_free(scratch);
	return fail;
}

/*
 * Every parse function refuses a PDU of another Component or PacketId
 * with -EPROTO, naming the header field that differs.
 */
static const char *tmal_wrong_header(struct rdpdr_tctx *t, const void *arg)
{
	static const struct {
		int kind;
		u16 comp;
		u16 pkt;
	} k[] = {
		{ RDPDR_TK_ANNOUNCE, RDPDR_CTYP_CORE, PAKID_CORE_SERVER_ANNOUNCE },
		{ RDPDR_TK_CLIENT_NAME, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME },
		{ RDPDR_TK_CAPS, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_CAPABILITY },
		{ RDPDR_TK_DEVLIST, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICELIST_ANNOUNCE },
		{ RDPDR_TK_DEVICE_REPLY, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_REPLY },
		{ RDPDR_TK_REMOVE, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICELIST_REMOVE },
		{ RDPDR_TK_IOREQ, RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOREQUEST },
		{ RDPDR_TK_CREATE_REQ, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOREQUEST },
		{ RDPDR_TK_CLOSE_REQ, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOREQUEST },
		{ RDPDR_TK_WRITE_REQ, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOREQUEST },
		{ RDPDR_TK_WRITE_REQ_HDR, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOREQUEST },
		{ RDPDR_TK_IOCOMPLETION, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOCOMPLETION },
		{ RDPDR_TK_CREATE_RSP, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOCOMPLETION },
		{ RDPDR_TK_CLOSE_RSP, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOCOMPLETION },
		{ RDPDR_TK_WRITE_RSP, RDPDR_CTYP_CORE,
		  PAKID_CORE_DEVICE_IOCOMPLETION },
		{ RDPDR_TK_USING_XPS, RDPDR_CTYP_PRN, PAKID_PRN_USING_XPS },
		{ RDPDR_TK_CACHE_DATA, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA },
	};
	union rdpdr_tparsed *p;
	const char *fail = NULL;
	struct rdpdr_err err;
	unsigned int i, pass;
	u8 *buf;
	int rc;

	p = rt_zalloc(sizeof(*p));
	buf = rt_zalloc(64);
	if (!p || !buf) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(k) && !fail; i++) {
		for (pass = 0; pass < 2 && !fail; pass++) {
			/* pass 0: the other component; 1: a wrong PacketId */
			u16 comp = k[i].comp, pkt = k[i].pkt;
			const char *field = pass ? "PacketId" : "Component";

			if (pass)
				pkt = pkt == PAKID_CORE_DEVICE_REPLY ?
					PAKID_CORE_SERVER_ANNOUNCE :
					PAKID_CORE_DEVICE_REPLY;
			else
				comp = comp == RDPDR_CTYP_CORE ?
					RDPDR_CTYP_PRN : RDPDR_CTYP_CORE;
			memset(buf, 0, 64);
			buf[0] = comp & 0xff;
			buf[1] = comp >> 8;
			buf[2] = pkt & 0xff;
			buf[3] = pkt >> 8;
			rc = rdpdr_tparse(k[i].kind, buf, 64, p, &err);
			if (rc != -EPROTO || err.code != rc || !err.field ||
			    strcmp(err.field, field))
				fail = rdpdr_tfail(t, "%s on %04x/%04x: %d %s, want -EPROTO %s",
						   rdpdr_tkind_name(k[i].kind),
						   comp, pkt, rc,
						   err.field ? err.field : "NULL",
						   field);
		}
	}
out:
	rt_free(buf);
	rt_free(p);
	return fail;
}

static const char *tmal_dos_names(struct rdpdr_tctx *t, const void *arg)
{
	static const char * const good[] = {
		"PRN1", "PRN12345", "SCARD", "C:", "LPT1", "COM2", "A B", "x~",
	};
	static const char * const bad[] = {
		"", "PR<N", "PR>N", "PR\"N", "PR/N", "PR\\N", "PR|N", "C:D",
		":", "PR\x01", "PR\x7f", "PR\xe9",
	};
	struct rdpdr_devlist_iter it;
	struct rdpdr_twriter w;
	struct rdpdr_devlist dl;
	struct rdpdr_device dev;
	struct rdpdr_err err;
	unsigned int i;
	u8 pdu[28], *buf;
	int rc;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!rdpdr_dos_name_valid(good[i]))
			return rdpdr_tfail(t, "\"%s\" refused", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (rdpdr_dos_name_valid(bad[i]))
			return rdpdr_tfail(t, "bad name #%u \"%s\" accepted", i,
					   bad[i]);

	/* 8 characters and no NUL on the wire: accepted, read as 8. */
	rdpdr_tw_init(&w, pdu, sizeof(pdu));
	hdr(&w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(&w, 1);
	rdpdr_tw_u32(&w, RDPDR_DTYP_PRINT);
	rdpdr_tw_u32(&w, 9);
	rdpdr_tw_bytes(&w, "PRN12345", 8);
	rdpdr_tw_u32(&w, 0);
	buf = rdpdr_tdup(pdu, w.len);
	if (!buf)
		return rdpdr_tfail(t, "out of memory");
	rc = rdpdr_parse_devlist(buf, w.len, &dl, &err);
	rdpdr_devlist_iter_init(&it, &dl);
	if (rc || !rdpdr_devlist_next(&it, &dev) ||
	    strcmp(dev.dos_name, "PRN12345") ||
	    !rdpdr_dos_name_valid(dev.dos_name)) {
		rt_free(buf);
		return rdpdr_tfail(t, "8-character PreferredDosName: %d", rc);
	}
	/* A NUL then junk: read up to the NUL. */
	memcpy(buf + 16, "PR<N\0:ZZ", 8);
	rc = rdpdr_parse_devlist(buf, w.len, &dl, &err);
	rdpdr_devlist_iter_init(&it, &dl);
	if (rc || !rdpdr_devlist_next(&it, &dev) ||
	    strcmp(dev.dos_name, "PR<N") ||
	    rdpdr_dos_name_valid(dev.dos_name)) {
		rt_free(buf);
		return rdpdr_tfail(t, "\"PR<N\" is not parsed and refused");
	}
	rt_free(buf);
	return NULL;
}

/* An unknown DeviceType is skipped by its DeviceDataLength, not refused. */
static const char *tmal_unknown_device_type(struct rdpdr_tctx *t,
					    const void *arg)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_twriter w;
	struct rdpdr_devlist dl;
	struct rdpdr_device dev;
	struct rdpdr_err err;
	u8 pdu[64], *buf;
	int rc, n = 0;

	rdpdr_tw_init(&w, pdu, sizeof(pdu));
	hdr(&w, RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_tw_u32(&w, 2);
	dev_entry(&w, 0x40, 1, "WHAT", 6);
	rdpdr_tw_bytes(&w, "abcdef", 6);
	dev_entry(&w, RDPDR_DTYP_SMARTCARD, 2, "SCARD", 0);
	buf = rdpdr_tdup(pdu, w.len);
	if (!buf)
		return rdpdr_tfail(t, "out of memory");
	rc = rdpdr_parse_devlist(buf, w.len, &dl, &err);
	if (!rc) {
		rdpdr_devlist_iter_init(&it, &dl);
		while (rdpdr_devlist_next(&it, &dev))
			n++;
	}
	if (!rc && n == 2)
		rc = rdpdr_tdescribe(t, buf, w.len, -1, &err);
	rt_free(buf);
	if (rc || n != 2)
		return rdpdr_tfail(t, "unknown type: rc %d, %d entries", rc, n);
	return NULL;
}

static const struct rdpdr_tcase tmal_fixed[] = {
	{ "malformed", "wrong_component_or_packet_id", tmal_wrong_header,
	  NULL },
	{ "malformed", "dos_name_8_chars_and_invalid", tmal_dos_names, NULL },
	{ "malformed", "unknown_device_type_skipped",
	  tmal_unknown_device_type, NULL },
};

unsigned int rdpdr_malformed_count(void)
{
	return ARRAY_SIZE(tmal_fixed) + ARRAY_SIZE(tmal_cases);
}

void rdpdr_malformed_fill(unsigned int i, struct rdpdr_tcase *c)
{
	if (i < ARRAY_SIZE(tmal_fixed)) {
		*c = tmal_fixed[i];
		return;
	}
	i -= ARRAY_SIZE(tmal_fixed);
	c->group = "malformed";
	c->name = tmal_cases[i].name;
	c->run = tmal_run;
	c->arg = &tmal_cases[i];
}
