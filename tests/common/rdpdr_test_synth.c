// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_test_synth.c - build -> parse round trips of PDUs made up for the
 * tests, and the string helpers.
 */
#include "rdpdr_test.h"

/* U+1F5A8 PRINTER, U+1D11E G CLEF, U+00FC, U+2603: 4+4+2+3 UTF-8 bytes */
#define NONBMP_NAME	"Drucker \xf0\x9f\x96\xa8 M\xc3\xbcller \xe2\x98\x83 \xf0\x9d\x84\x9e"
/* 18 BMP characters and 2 surrogate pairs: 22 UTF-16 units */
#define NONBMP_UTF16_LEN	(2 * (22 + 1))

/* The recommended server capability request, RDPDR.md section 3.4. */
static const u8 server_caps_60[60] = {
	0x72, 0x44, 0x50, 0x53, 0x02, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x2c, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x0c, 0x00, 0xff, 0xff, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00,
	0x01, 0x00, 0x00, 0x00,
};

/* Vector 07: the printer create request Windows sends. */
static const u8 create_req_07[56] = {
	0x72, 0x44, 0x52, 0x49, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x9f, 0x01, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Builds with NULL/0, then exactly, checking -ENOSPC one byte short. */
static int tbuild_exact(struct rdpdr_tctx *t, u8 **out,
			int (*fn)(u8 *buf, size_t cap, const void *obj),
			const void *obj)
{
	int need, rc;
	u8 *buf;

	*out = NULL;
	need = fn(NULL, 0, obj);
	if (need <= 0) {
		rdpdr_tfail(t, "size query returned %d", need);
		return -1;
	}
	buf = rt_alloc(need);
	if (!buf) {
		rdpdr_tfail(t, "out of memory");
		return -1;
	}
	rc = fn(buf, need - 1, obj);
	if (rc != -ENOSPC) {
		rdpdr_tfail(t, "build into %d bytes returned %d, want -ENOSPC",
			    need - 1, rc);
		rt_free(buf);
		return -1;
	}
	rc = fn(buf, need, obj);
	if (rc != need) {
		rdpdr_tfail(t, "build returned %d, size query said %d", rc,
			    need);
		rt_free(buf);
		return -1;
	}
	*out = buf;
	return need;
}

static int wrap_caps(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_caps(b, c, o);
}

static int wrap_printer(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_printer_data(b, c, o);
}

static int wrap_create_req(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_create_req(b, c, o);
}

static int wrap_write_req(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_write_req(b, c, o);
}

static int wrap_cache(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_cache_data(b, c, o);
}

static int wrap_client_name(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_client_name(b, c, o);
}

static int wrap_close_rsp(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_close_rsp(b, c, o);
}

static int wrap_create_rsp(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_create_rsp(b, c, o);
}

static int wrap_write_rsp(u8 *b, size_t c, const void *o)
{
	return rdpdr_build_write_rsp(b, c, o);
}

static const char *synth_server_caps(struct rdpdr_tctx *t, const void *arg)
{
	const struct rdpdr_cap_set *g;
	struct rdpdr_caps *caps, *back;
	const char *fail = NULL;
	struct rdpdr_err err;
	u8 *out = NULL;
	int n, i;

	caps = rt_zalloc(sizeof(*caps));
	back = rt_zalloc(sizeof(*back));
	if (!caps || !back) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	rdpdr_server_caps_init(caps);
	n = tbuild_exact(t, &out, wrap_caps, caps);
	if (n < 0) {
		fail = t->msg;
		goto out;
	}
	if (n != (int)sizeof(server_caps_60)) {
		fail = rdpdr_tfail(t, "server caps are %d bytes, want 60", n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (out[i] != server_caps_60[i]) {
			fail = rdpdr_tfail(t, "server caps differ at %d: 0x%02x, want 0x%02x",
					   i, out[i], server_caps_60[i]);
			goto out;
		}
	}
	if (rdpdr_parse_caps(out, n, back, &err)) {
		fail = rdpdr_tfail(t, "parse of the built caps: %s",
				   err.reason);
		goto out;
	}
	g = rdpdr_caps_find(back, CAP_GENERAL_TYPE);
	if (back->packet_id != PAKID_CORE_SERVER_CAPABILITY ||
	    back->count != 2 || back->num_capabilities != 2 || !g ||
	    g->version != 2 || g->length != 44 ||
	    g->general.io_code1 != 0xffff ||
	    g->general.extended_pdu != 7 ||
	    g->general.protocol_major != 1 ||
	    g->general.protocol_minor != 0x000c ||
	    !rdpdr_caps_find(back, CAP_PRINTER_TYPE) ||
	    rdpdr_caps_find(back, CAP_DRIVE_TYPE))
		fail = rdpdr_tfail(t, "parsed server caps have wrong values");
out:
	rt_free(out);
	rt_free(back);
	rt_free(caps);
	return fail;
}

/* A UTF-16LE wire string made from UTF-8 with rdpdr_utf8_to_utf16(). */
static const char *tmk_utf16(struct rdpdr_tctx *t, const char *utf8,
			     struct rdpdr_str *s, u8 **mem)
{
	int n = rdpdr_utf8_to_utf16(utf8, strlen(utf8), NULL, 0);

	*mem = NULL;
	if (!(n >= 2))
		return rdpdr_tfail(t, "rdpdr_utf8_to_utf16 size query: %d", n);
	*mem = rt_alloc(n);
	if (!*mem)
		return rdpdr_tfail(t, "out of memory");
	if (!(rdpdr_utf8_to_utf16(utf8, strlen(utf8), *mem, n - 1) ==
	      -ENOSPC))
		return rdpdr_tfail(t,
				   "rdpdr_utf8_to_utf16 one byte short is not -ENOSPC");
	if (rdpdr_utf8_to_utf16(utf8, strlen(utf8), *mem, n) != n)
		return rdpdr_tfail(t,
				   "rdpdr_utf8_to_utf16 disagrees with its size query");
	s->data = *mem;
	s->len = n;
	s->unicode = true;
	s->utf8_len = 0;
	return NULL;
}

/* @s decodes to exactly @want. */
static const char *tstr_is(struct rdpdr_tctx *t, const char *what,
			   const struct rdpdr_str *s, const char *want)
{
	char buf[128];
	size_t n;

	if (s->utf8_len != strlen(want))
		return rdpdr_tfail(t, "%s: utf8_len %u, want %zu", what,
				   s->utf8_len, strlen(want));
	n = rdpdr_str_to_utf8(s, buf, sizeof(buf));
	if (!(n == strlen(want) && !strcmp(buf, want)))
		return rdpdr_tfail(t, "%s: \"%s\", want \"%s\"", what, buf,
				   want);
	return NULL;
}

/*
 * One printer in a device list: build the device data and the list, parse
 * both back, and compare. @cached may be NULL.
 */
static const char *tprinter_roundtrip(struct rdpdr_tctx *t, u32 flags,
				      const struct rdpdr_str *driver,
				      const char *driver_utf8,
				      const char *printer_utf8,
				      const u8 *cached, u32 cached_len)
{
	struct rdpdr_printer *p, *back;
	struct rdpdr_devlist_iter it;
	struct rdpdr_device dev, got;
	struct rdpdr_devlist dl;
	const char *fail = NULL;
	u8 *pname = NULL, *data = NULL, *pdu = NULL, *pdu2 = NULL;
	struct rdpdr_err err;
	int dlen, plen, rc;

	p = rt_zalloc(sizeof(*p));
	back = rt_zalloc(sizeof(*back));
	if (!p || !back) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	fail = tmk_utf16(t, printer_utf8, &p->printer_name, &pname);
	if (fail)
		goto out;
	p->flags = flags;
	p->driver_name = *driver;
	p->cached_fields_len = cached_len;
	p->cached_data = cached;
	dlen = tbuild_exact(t, &data, wrap_printer, p);
	if (dlen < 0) {
		fail = t->msg;
		goto out;
	}
	if ((u32)dlen != 24 + driver->len + p->printer_name.len + cached_len) {
		fail = rdpdr_tfail(t, "DeviceDataLength %d is not 24 + the lengths",
				   dlen);
		goto out;
	}

	memset(&dev, 0, sizeof(dev));
	dev.device_type = RDPDR_DTYP_PRINT;
	dev.device_id = 7;
	memcpy(dev.dos_name, "PRN7", 5);
	dev.data = data;
	dev.data_len = dlen;
	plen = rdpdr_build_devlist(NULL, 0, &dev, 1);
	if (plen != 8 + 20 + dlen) {
		fail = rdpdr_tfail(t, "device list size %d", plen);
		goto out;
	}
	pdu = rt_alloc(plen);
	if (!pdu) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	rc = rdpdr_build_devlist(pdu, plen, &dev, 1);
	if (rc != plen) {
		fail = rdpdr_tfail(t, "rdpdr_build_devlist: %d", rc);
		goto out;
	}
	/* Reparse from an exactly-sized copy. */
	pdu2 = rdpdr_tdup(pdu, plen);
	if (!pdu2) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	rc = rdpdr_parse_devlist(pdu2, plen, &dl, &err);
	if (rc || dl.device_count != 1) {
		fail = rdpdr_tfail(t, "rdpdr_parse_devlist: %d", rc);
		goto out;
	}
	rdpdr_devlist_iter_init(&it, &dl);
	if (!rdpdr_devlist_next(&it, &got) || got.device_id != 7 ||
	    got.device_type != RDPDR_DTYP_PRINT ||
	    strcmp(got.dos_name, "PRN7") || got.data_len != (u32)dlen ||
	    got.offset != 8) {
		fail = rdpdr_tfail(t, "device entry read back wrong");
		goto out;
	}
	if (rdpdr_devlist_next(&it, &got)) {
		fail = rdpdr_tfail(t, "a second entry appeared");
		goto out;
	}
	rc = rdpdr_parse_printer(&got, back, &err);
	if (rc) {
		fail = rdpdr_tfail(t, "rdpdr_parse_printer: %d (%s)", rc,
				   err.reason);
		goto out;
	}
	if (back->flags != flags || back->pnp_name_len != 0 ||
	    back->driver_name_len != driver->len ||
	    back->print_name_len != p->printer_name.len ||
	    back->cached_fields_len != cached_len ||
	    back->driver_name.unicode != driver->unicode ||
	    !back->printer_name.unicode) {
		fail = rdpdr_tfail(t, "printer fields read back wrong");
		goto out;
	}
	if (cached_len && (!back->cached_data ||
			   memcmp(back->cached_data, cached, cached_len))) {
		fail = rdpdr_tfail(t, "cached config data read back wrong");
		goto out;
	}
	if (!cached_len && back->cached_data) {
		fail = rdpdr_tfail(t, "cached_data not NULL when empty");
		goto out;
	}
	fail = tstr_is(t, "DriverName", &back->driver_name, driver_utf8);
	if (!fail)
		fail = tstr_is(t, "PrinterName", &back->printer_name,
			       printer_utf8);
	if (!fail && memcmp(pdu, pdu2, plen))
		fail = rdpdr_tfail(t, "parsing modified the buffer");
out:
	rt_free(pdu2);
	rt_free(pdu);
	rt_free(data);
	rt_free(pname);
	rt_free(back);
	rt_free(p);
	return fail;
}

static const char *synth_printer_ascii_driver(struct rdpdr_tctx *t,
					      const void *arg)
{
	static const u8 drv[] = "HP LaserJet 4000 Series PS";
	struct rdpdr_str d = {
		.data = drv, .len = sizeof(drv), .unicode = false,
	};

	return tprinter_roundtrip(t, RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII |
				  RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER,
				  &d, (const char *)drv, "Office laser",
				  NULL, 0);
}

static const char *synth_printer_cached_blob(struct rdpdr_tctx *t,
					     const void *arg)
{
	struct rdpdr_str d;
	const char *fail;
	u8 *blob, *dname;
	u32 i, n = 16272;

	fail = tmk_utf16(t, "MS Publisher Imagesetter", &d, &dname);
	if (fail) {
		rt_free(dname);
		return fail;
	}
	blob = rt_alloc(n);
	if (!blob) {
		rt_free(dname);
		return rdpdr_tfail(t, "out of memory");
	}
	for (i = 0; i < n; i++)
		blob[i] = (u8)(i * 7 + 3);
	fail = tprinter_roundtrip(t, RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT,
				  &d, "MS Publisher Imagesetter",
				  "Brother DCP-1000 USB", blob, n);
	rt_free(blob);
	rt_free(dname);
	return fail;
}

static const char *synth_printer_nonbmp(struct rdpdr_tctx *t,
					const void *arg)
{
	struct rdpdr_str d;
	const char *fail;
	u8 *dname;
	int n;

	n = rdpdr_utf8_to_utf16(NONBMP_NAME, strlen(NONBMP_NAME), NULL, 0);
	if (n != NONBMP_UTF16_LEN)
		return rdpdr_tfail(t,
				   "UTF-16 size of the non-BMP name is %d, want %d",
				   n, NONBMP_UTF16_LEN);
	fail = tmk_utf16(t, "Gen\xc3\xa9rique \xf0\x9f\x96\xa8", &d, &dname);
	if (!fail) {
		const u8 *u = d.data;

		/* 10 BMP units, then U+1F5A8 as D83D DDA8, then NUL */
		if (d.len != 2 * 13 || u[20] != 0x3d || u[21] != 0xd8 ||
		    u[22] != 0xa8 || u[23] != 0xdd || u[24] || u[25])
			fail = rdpdr_tfail(t, "surrogate pair encoded wrong");
	}
	if (!fail)
		fail = tprinter_roundtrip(t, 0, &d,
					  "Gen\xc3\xa9rique \xf0\x9f\x96\xa8",
					  NONBMP_NAME, NULL, 0);
	rt_free(dname);
	return fail;
}

static const char *synth_client_name_nonbmp(struct rdpdr_tctx *t,
					    const void *arg)
{
	struct rdpdr_client_name cn, back;
	const char *fail;
	struct rdpdr_err err;
	u8 *name, *out = NULL;
	int n, rc;

	memset(&cn, 0, sizeof(cn));
	fail = tmk_utf16(t, NONBMP_NAME, &cn.computer_name, &name);
	if (fail)
		goto out;
	cn.unicode_flag = 1;
	cn.computer_name_len = cn.computer_name.len;
	n = tbuild_exact(t, &out, wrap_client_name, &cn);
	if (n < 0) {
		fail = t->msg;
		goto out;
	}
	rc = rdpdr_parse_client_name(out, n, &back, &err);
	if (rc) {
		fail = rdpdr_tfail(t, "rdpdr_parse_client_name: %d (%s)", rc,
				   err.reason);
		goto out;
	}
	if (n != 16 + NONBMP_UTF16_LEN || back.unicode_flag != 1 ||
	    back.computer_name_len != NONBMP_UTF16_LEN ||
	    !back.computer_name.unicode) {
		fail = rdpdr_tfail(t, "client name read back wrong");
		goto out;
	}
	fail = tstr_is(t, "ComputerName", &back.computer_name, NONBMP_NAME);
out:
	rt_free(out);
	rt_free(name);
	return fail;
}

static const char *synth_client_name_ascii(struct rdpdr_tctx *t,
					   const void *arg)
{
	static const u8 nm[] = "THINCLIENT-07";
	struct rdpdr_client_name cn, back;
	struct rdpdr_err err;
	const char *fail;
	u8 *out;
	int n;

	memset(&cn, 0, sizeof(cn));
	/* Only bit 0 of UnicodeFlag counts. */
	cn.unicode_flag = 0xfffffffe;
	cn.computer_name.data = nm;
	cn.computer_name.len = sizeof(nm);
	cn.computer_name_len = sizeof(nm);
	n = tbuild_exact(t, &out, wrap_client_name, &cn);
	if (n < 0)
		return t->msg;
	if (n != 16 + (int)sizeof(nm) ||
	    rdpdr_parse_client_name(out, n, &back, &err) ||
	    back.computer_name.unicode || back.unicode_flag != 0xfffffffe) {
		rt_free(out);
		return rdpdr_tfail(t, "8-bit client name read back wrong");
	}
	fail = tstr_is(t, "ComputerName", &back.computer_name,
		       (const char *)nm);
	rt_free(out);
	return fail;
}

static const char *synth_utf8_invalid(struct rdpdr_tctx *t, const void *arg)
{
	static const char * const bad[] = {
		"\xc0\xaf",		/* overlong '/' */
		"\xe0\x80\xaf",		/* overlong */
		"\xed\xa0\x80",		/* U+D800 encoded */
		"\xed\xbf\xbf",		/* U+DFFF encoded */
		"\xf4\x90\x80\x80",	/* > U+10FFFF */
		"\xe2\x82",		/* cut sequence */
		"\x80",			/* lone continuation */
		"\xf8\x88\x80\x80\x80",	/* 5-byte form */
		"ab\xff",
	};
	u8 out[32];
	unsigned int i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = rdpdr_utf8_to_utf16(bad[i], strlen(bad[i]), out,
					 sizeof(out));
		if (rc != -EILSEQ)
			return rdpdr_tfail(t, "bad UTF-8 #%u accepted (%d)", i,
					   rc);
		rc = rdpdr_utf8_to_utf16(bad[i], strlen(bad[i]), NULL, 0);
		if (rc != -EILSEQ)
			return rdpdr_tfail(t,
					   "bad UTF-8 #%u size query gave %d",
					   i, rc);
	}
	/* Empty input: just the terminator. */
	rc = rdpdr_utf8_to_utf16("", 0, out, sizeof(out));
	if (!(rc == 2 && !out[0] && !out[1]))
		return rdpdr_tfail(t, "empty string gave %d", rc);
	/* @inlen is honoured: "abc" of which 2 bytes. */
	rc = rdpdr_utf8_to_utf16("abc", 2, out, sizeof(out));
	if (!(rc == 6 && out[0] == 'a' && out[2] == 'b' && !out[4] &&
	      !out[5]))
		return rdpdr_tfail(t, "inlen not honoured (%d)", rc);
	if (rdpdr_utf8_to_utf16("abc", 3, out, 7) != -ENOSPC)
		return rdpdr_tfail(t, "no -ENOSPC with 7 bytes for 8");
	return NULL;
}

static const char *synth_str_helpers(struct rdpdr_tctx *t, const void *arg)
{
	/* "A" U+1F5A8 "B", NUL, "junk" NUL (embedded NUL cuts) */
	static const u8 w[] = {
		'A', 0, 0x3d, 0xd8, 0xa8, 0xdd, 'B', 0, 0, 0, 'j', 0, 0, 0,
	};
	struct rdpdr_str s = { .data = w, .len = sizeof(w), .unicode = true };
	static const u8 a[] = { 'c', 0xe9, 0, 'x', 0 };
	struct rdpdr_str s8 = { .data = a, .len = sizeof(a) };
	char out[16];
	size_t n;
	int rc;

	rc = rdpdr_str_check(&s);
	if (rc != 0)
		return rdpdr_tfail(t, "rdpdr_str_check: %d", rc);
	if (s.utf8_len != 6)
		return rdpdr_tfail(t, "utf8_len %u, want 6", s.utf8_len);
	n = rdpdr_str_to_utf8(&s, out, sizeof(out));
	if (!(n == 6 && !strcmp(out, "A\xf0\x9f\x96\xa8\x42")))
		return rdpdr_tfail(t, "str_to_utf8 gave %zu \"%s\"", n, out);
	/* Too small: cut before the 4-byte character, NUL-terminated. */
	memset(out, 'z', sizeof(out));
	n = rdpdr_str_to_utf8(&s, out, 4);
	if (!(n == 1 && !strcmp(out, "A")))
		return rdpdr_tfail(t, "cut output: %zu \"%.4s\", want 1 \"A\"",
				   n, out);
	n = rdpdr_str_to_utf8(&s, out, 1);
	if (!(n == 0 && !out[0]))
		return rdpdr_tfail(t, "1-byte output not just a NUL");
	out[0] = 'z';
	n = rdpdr_str_to_utf8(&s, out, 0);
	if (!(n == 0 && out[0] == 'z'))
		return rdpdr_tfail(t, "0-byte output was written");

	/* 8-bit strings are ISO-8859-1. */
	rc = rdpdr_str_check(&s8);
	if (!(rc == 0 && s8.utf8_len == 3))
		return rdpdr_tfail(t, "8-bit check: %d, len %u", rc,
				   s8.utf8_len);
	n = rdpdr_str_to_utf8(&s8, out, sizeof(out));
	if (!(n == 3 && !strcmp(out, "c\xc3\xa9")))
		return rdpdr_tfail(t, "ISO-8859-1 0xe9 gave \"%s\"", out);

	/* Zero-length string: valid and empty. */
	s.len = 0;
	s.data = NULL;
	if (!(!rdpdr_str_check(&s) && !s.utf8_len))
		return rdpdr_tfail(t, "empty string rejected");
	/*
	 * FreeRDP 2.11 announces lengths one byte (odd) or one code unit
	 * too long, covering bytes after the terminator: accepted, the
	 * string ends at its NUL.
	 */
	s.data = w;
	s.len = 11;
	if (rdpdr_str_check(&s) || s.utf8_len != 6)
		return rdpdr_tfail(t, "odd length after the NUL rejected");
	s.len = 12;
	if (rdpdr_str_check(&s) || s.utf8_len != 6)
		return rdpdr_tfail(t, "junk unit after the NUL rejected");
	/* Odd length before a terminator, no terminator, lone surrogates. */
	s.len = 3;
	if (rdpdr_str_check(&s) != -EILSEQ)
		return rdpdr_tfail(t, "half a code unit accepted");
	s.len = 2;
	s.data = w;
	if (rdpdr_str_check(&s) != -EILSEQ)
		return rdpdr_tfail(t, "unterminated accepted");
	s.data = w + 2;	/* D83D DDA8 'B' 0: fine */
	s.len = 8;
	if (rdpdr_str_check(&s))
		return rdpdr_tfail(t, "pair at start rejected");
	s.data = w + 4;	/* lone low surrogate first */
	s.len = 6;
	if (rdpdr_str_check(&s) != -EILSEQ)
		return rdpdr_tfail(t, "lone low surrogate accepted");
	s8.len = 1;
	s8.data = a;	/* 'c' without NUL */
	if (rdpdr_str_check(&s8) != -EILSEQ)
		return rdpdr_tfail(t, "unterminated 8-bit accepted");
	return NULL;
}

static const char *synth_err_format(struct rdpdr_tctx *t, const void *arg)
{
	static const u8 pdu[] = { 0x72, 0x44, 0x6e, 0x49, 0x01, 0x00 };
	struct rdpdr_announce a;
	struct rdpdr_err err;
	char want[160], buf[160];
	int n, rc;

	memset(&err, 0, sizeof(err));
	rc = rdpdr_parse_announce(pdu, sizeof(pdu), &a, &err);
	if (!(rc == -ENODATA && err.code == rc && err.field &&
	      err.reason))
		return rdpdr_tfail(t, "short announce: %d", rc);
	snprintf(want, sizeof(want), "%s (field %s at offset %u)",
		 err.reason, err.field, err.offset);
	n = rdpdr_err_format(&err, buf, sizeof(buf));
	if (!(n == (int)strlen(want) && !strcmp(buf, want)))
		return rdpdr_tfail(t,
				   "rdpdr_err_format gave \"%s\", want \"%s\"",
				   buf, want);
	if (!(err.offset == 6 || err.offset == 4))
		return rdpdr_tfail(t,
				   "offset %u of the cut VersionMinor/ClientId",
				   err.offset);
	memset(buf, 'x', sizeof(buf));
	n = rdpdr_err_format(&err, buf, 5);
	if (!(n <= 4 && buf[4] == '\0' && buf[5] == 'x'))
		return rdpdr_tfail(t, "rdpdr_err_format into 5 bytes: %d", n);
	buf[0] = 'x';
	rdpdr_err_format(&err, buf, 0);
	if (buf[0] != 'x')
		return rdpdr_tfail(t, "rdpdr_err_format wrote into 0 bytes");
	return NULL;
}

static const char *synth_create_req(struct rdpdr_tctx *t, const void *arg)
{
	struct rdpdr_create_req req, back;
	struct rdpdr_err err;
	u8 *out;
	int n;

	rdpdr_printer_create_init(&req, 2, 0);
	n = tbuild_exact(t, &out, wrap_create_req, &req);
	if (n < 0)
		return t->msg;
	if (n != 56 || memcmp(out, create_req_07, 56)) {
		rt_free(out);
		return rdpdr_tfail(t, "rdpdr_printer_create_init(2, 0) does not build vector 07");
	}
	n = rdpdr_parse_create_req(out, n, &back, &err);
	rt_free(out);
	if (!(!n && back.io.major_function == IRP_MJ_CREATE &&
	      back.desired_access == RDPDR_PRN_CREATE_DESIRED_ACCESS &&
	      back.create_options == RDPDR_PRN_CREATE_OPTIONS &&
	      !back.path_length))
		return rdpdr_tfail(t, "create request read back wrong");
	return NULL;
}

static const char *synth_write_req(struct rdpdr_tctx *t, const void *arg)
{
	struct rdpdr_write_req req, back;
	const char *fail = NULL;
	struct rdpdr_err err;
	u8 *data, *out = NULL;
	u32 i, len = 65536;
	int n, rc;

	data = rt_alloc(len);
	if (!data)
		return rdpdr_tfail(t, "out of memory");
	for (i = 0; i < len; i++)
		data[i] = (u8)(i ^ (i >> 8));
	memset(&req, 0, sizeof(req));
	req.io.device_id = 5;
	req.io.file_id = 9;
	req.io.completion_id = 77;
	req.io.major_function = IRP_MJ_WRITE;
	req.length = len;
	req.offset = 0x100000000ULL;
	req.data = data;
	n = tbuild_exact(t, &out, wrap_write_req, &req);
	if (n < 0) {
		fail = t->msg;
		goto out;
	}
	if (n != 56 + (int)len) {
		fail = rdpdr_tfail(t, "write request of %d bytes", n);
		goto out;
	}
	rc = rdpdr_parse_write_req(out, n, &back, &err);
	if (rc || back.length != len || back.offset != req.offset ||
	    back.io.completion_id != 77 || back.io.file_id != 9 ||
	    back.data != out + 56 || memcmp(back.data, data, len)) {
		fail = rdpdr_tfail(t, "write request read back wrong (%d)", rc);
		goto out;
	}
	rc = rdpdr_parse_write_req_hdr(out, 56, &back, &err);
	if (rc || back.data || back.length != len) {
		fail = rdpdr_tfail(t, "write_req_hdr on 56 bytes: %d", rc);
		goto out;
	}
	rc = rdpdr_parse_write_req(out, n - 1, &back, &err);
	if (rc != -ENODATA || err.declared != (u64)n)
		fail = rdpdr_tfail(t, "one byte short: %d, declared %llu", rc,
				   (unsigned long long)err.declared);
	/* Fixed part only. */
	req.data = NULL;
	if (!fail && rdpdr_build_write_req(NULL, 0, &req) != 56)
		fail = rdpdr_tfail(t, "data NULL does not build 56 bytes");
out:
	rt_free(out);
	rt_free(data);
	return fail;
}

static const char *synth_responses(struct rdpdr_tctx *t, const void *arg)
{
	struct rdpdr_create_rsp cr, crb;
	struct rdpdr_write_rsp wr, wrb;
	struct rdpdr_close_rsp cl, clb;
	struct rdpdr_err err;
	u8 *out;
	u32 pad;
	int n, rc;

	for (pad = 0; pad <= 5; pad++) {
		memset(&cl, 0, sizeof(cl));
		cl.c.device_id = 3;
		cl.c.completion_id = 0xfffffffe;
		cl.c.io_status = STATUS_CANCELLED;
		cl.padding_len = pad;
		n = tbuild_exact(t, &out, wrap_close_rsp, &cl);
		if (n < 0)
			return t->msg;
		rc = rdpdr_parse_close_rsp(out, n, &clb, &err);
		rt_free(out);
		if (!(n == 16 + (int)pad && !rc && clb.padding_len == pad &&
		      clb.c.io_status == STATUS_CANCELLED &&
		      clb.c.completion_id == 0xfffffffe))
			return rdpdr_tfail(t,
					   "close response with %u padding bytes read back wrong",
					   pad);
	}
	for (pad = 0; pad <= 1; pad++) {
		memset(&cr, 0, sizeof(cr));
		cr.c.device_id = 1;
		cr.file_id = 0x12345678;
		cr.has_information = pad;
		cr.information = 3;
		n = tbuild_exact(t, &out, wrap_create_rsp, &cr);
		if (n < 0)
			return t->msg;
		rc = rdpdr_parse_create_rsp(out, n, &crb, &err);
		rt_free(out);
		if (!(n == 20 + (int)pad && !rc &&
		      crb.file_id == 0x12345678 &&
		      crb.has_information == !!pad &&
		      (!pad || crb.information == 3)))
			return rdpdr_tfail(t,
					   "create response (information %u) read back wrong",
					   pad);

		memset(&wr, 0, sizeof(wr));
		wr.c.io_status = STATUS_DEVICE_PAPER_EMPTY;
		wr.length = 4096;
		wr.has_padding = pad;
		n = tbuild_exact(t, &out, wrap_write_rsp, &wr);
		if (n < 0)
			return t->msg;
		rc = rdpdr_parse_write_rsp(out, n, &wrb, &err);
		rt_free(out);
		if (!(n == 20 + (int)pad && !rc && wrb.length == 4096 &&
		      wrb.has_padding == !!pad &&
		      wrb.c.io_status == STATUS_DEVICE_PAPER_EMPTY))
			return rdpdr_tfail(t,
					   "write response (padding %u) read back wrong",
					   pad);
	}
	return NULL;
}

static const char *tcache_roundtrip(struct rdpdr_tctx *t,
				    const struct rdpdr_cache_data *cd,
				    struct rdpdr_cache_data *back, int want)
{
	struct rdpdr_err err;
	u8 *out, *copy;
	int n, rc;

	n = tbuild_exact(t, &out, wrap_cache, cd);
	if (n < 0)
		return t->msg;
	copy = rdpdr_tdup(out, n);
	rt_free(out);
	if (!copy)
		return rdpdr_tfail(t, "out of memory");
	if (n != want)
		return rdpdr_tfail(t, "cache event %u: %d bytes, want %d",
				   cd->event_id, n, want);
	rc = rdpdr_parse_cache_data(copy, n, back, &err);
	/* The strings point into @copy; compare before freeing. */
	if (rc || back->event_id != cd->event_id) {
		rt_free(copy);
		return rdpdr_tfail(t, "cache event %u: parse %d (%s)",
				   cd->event_id, rc, err.reason);
	}
	rt_free(copy);
	return NULL;
}

static const char *synth_cache_events(struct rdpdr_tctx *t, const void *arg)
{
	struct rdpdr_cache_data *cd, *back;
	u8 *n1 = NULL, *n2 = NULL;
	const char *fail;
	u8 blob[100];
	unsigned int i;

	cd = rt_zalloc(sizeof(*cd));
	back = rt_zalloc(sizeof(*back));
	if (!cd || !back) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = i;
	fail = tmk_utf16(t, "Brother DCP-1000 USB", &cd->add.printer_name,
			 &n1);
	if (fail)
		goto out;

	/* ADD: PortDosName 8 characters without NUL */
	cd->event_id = RDPDR_ADD_PRINTER_EVENT;
	memcpy(cd->add.port_dos_name_raw, "COM2\0\0:\0", 8);
	cd->add.driver_name = cd->add.printer_name;
	cd->add.cached_fields_len = sizeof(blob);
	cd->add.cached_data = blob;
	fail = tcache_roundtrip(t, cd, back, 32 + 42 + 42 + 100);
	if (fail)
		goto out;
	if (strcmp(back->add.port_dos_name, "COM2") ||
	    memcmp(back->add.port_dos_name_raw, "COM2\0\0:\0", 8) ||
	    back->add.driver_name_len != 42 ||
	    back->add.print_name_len != 42 ||
	    back->add.cached_fields_len != 100 || back->add.pnp_name_len) {
		fail = rdpdr_tfail(t, "ADD read back wrong");
		goto out;
	}

	memset(cd, 0, sizeof(*cd));
	cd->event_id = RDPDR_UPDATE_PRINTER_EVENT;
	cd->update.printer_name.data = n1;
	cd->update.printer_name.len = 42;
	cd->update.printer_name.unicode = true;
	cd->update.config_data_len = sizeof(blob);
	cd->update.config_data = blob;
	fail = tcache_roundtrip(t, cd, back, 16 + 42 + 100);
	if (fail)
		goto out;
	if (back->update.printer_name_len != 42 ||
	    back->update.config_data_len != 100 ||
	    back->update.config_data_present != 100) {
		fail = rdpdr_tfail(t, "UPDATE read back wrong");
		goto out;
	}

	memset(cd, 0, sizeof(*cd));
	cd->event_id = RDPDR_DELETE_PRINTER_EVENT;
	fail = tmk_utf16(t, "X", &cd->del.printer_name, &n2);
	if (fail)
		goto out;
	fail = tcache_roundtrip(t, cd, back, 12 + 4);
	if (fail)
		goto out;
	if (back->del.printer_name_len != 4) {
		fail = rdpdr_tfail(t, "DELETE read back wrong");
		goto out;
	}
	rt_free(n2);
	n2 = NULL;

	memset(cd, 0, sizeof(*cd));
	cd->event_id = RDPDR_RENAME_PRINTER_EVENT;
	fail = tmk_utf16(t, "Old", &cd->rename.old_printer_name, &n2);
	if (fail)
		goto out;
	cd->rename.new_printer_name.data = n1;
	cd->rename.new_printer_name.len = 42;
	cd->rename.new_printer_name.unicode = true;
	fail = tcache_roundtrip(t, cd, back, 16 + 8 + 42);
	if (!fail && (back->rename.old_printer_name_len != 8 ||
		      back->rename.new_printer_name_len != 42))
		fail = rdpdr_tfail(t, "RENAME read back wrong");
out:
	rt_free(n2);
	rt_free(n1);
	rt_free(back);
	rt_free(cd);
	return fail;
}

static const char *synth_devlist_mixed(struct rdpdr_tctx *t, const void *arg)
{
	static const char * const names[] = {
		"SCARD", "C:", "PRN12345", "COM1", "",
	};
	static const u32 types[] = {
		RDPDR_DTYP_SMARTCARD, RDPDR_DTYP_FILESYSTEM, RDPDR_DTYP_PRINT,
		RDPDR_DTYP_SERIAL, 0x1234,
	};
	static const u8 drive[] = { 'C', 0, ':', 0, 0, 0 };
	struct rdpdr_device devs[5], got;
	struct rdpdr_devlist_iter it;
	struct rdpdr_devlist dl;
	struct rdpdr_err err;
	u8 *out, *copy;
	unsigned int i;
	int n;

	memset(devs, 0, sizeof(devs));
	for (i = 0; i < 5; i++) {
		devs[i].device_type = types[i];
		devs[i].device_id = 100 + i;
		memcpy(devs[i].dos_name, names[i], strlen(names[i]) + 1);
	}
	devs[1].data = drive;
	devs[1].data_len = sizeof(drive);
	n = rdpdr_build_devlist(NULL, 0, devs, 5);
	if (n != 8 + 5 * 20 + 6)
		return rdpdr_tfail(t, "device list size %d", n);
	out = rt_alloc(n);
	if (!out)
		return rdpdr_tfail(t, "out of memory");
	if (rdpdr_build_devlist(out, n, devs, 5) != n)
		return rdpdr_tfail(t, "build failed");
	copy = rdpdr_tdup(out, n);
	rt_free(out);
	if (!copy)
		return rdpdr_tfail(t, "out of memory");
	if (rdpdr_parse_devlist(copy, n, &dl, &err) || dl.device_count != 5) {
		rt_free(copy);
		return rdpdr_tfail(t, "parse of the mixed list failed");
	}
	rdpdr_devlist_iter_init(&it, &dl);
	for (i = 0; rdpdr_devlist_next(&it, &got); i++) {
		if (i >= 5 || got.device_type != types[i] ||
		    got.device_id != 100 + i ||
		    strcmp(got.dos_name, names[i]) ||
		    got.data_len != devs[i].data_len ||
		    (got.data_len && memcmp(got.data, drive, 6)) ||
		    (!got.data_len && got.data)) {
			rt_free(copy);
			return rdpdr_tfail(t, "entry %u read back wrong", i);
		}
	}
	rt_free(copy);
	if (i != 5)
		return rdpdr_tfail(t, "iterated %u entries, want 5", i);
	return NULL;
}

static const char *synth_announce_family(struct rdpdr_tctx *t,
					 const void *arg)
{
	struct rdpdr_announce a = {
		.packet_id = PAKID_CORE_SERVER_ANNOUNCE,
		.version_major = 1,
		.version_minor = RDPDR_VERSION_MINOR_RDP6X,
		.client_id = 0xdeadbeef,
	};
	static const u8 want[] = {
		0x72, 0x44, 0x6e, 0x49, 0x01, 0x00, 0x0c, 0x00,
		0xef, 0xbe, 0xad, 0xde,
	};
	struct rdpdr_device_reply r = { 7, STATUS_ACCESS_DENIED }, rb;
	struct rdpdr_using_xps x = { 4, 0x7ffa5bf8 }, xb;
	static const u32 ids[] = { 1, 0xffffffff, 3 };
	struct rdpdr_devlist_remove rm;
	struct rdpdr_announce b;
	struct rdpdr_err err;
	struct rdpdr_hdr h;
	u8 buf[32];

	if (!(rdpdr_build_announce(buf, sizeof(buf), &a) == 12 &&
	      !memcmp(buf, want, 12)))
		return rdpdr_tfail(t, "server announce built wrong");
	if (!(!rdpdr_parse_announce(buf, 12, &b, &err) &&
	      b.packet_id == a.packet_id && b.client_id == a.client_id))
		return rdpdr_tfail(t, "server announce read back wrong");
	a.packet_id = PAKID_CORE_CLIENTID_CONFIRM;
	if (!(rdpdr_build_announce(buf, sizeof(buf), &a) == 12 &&
	      buf[2] == 0x43 && buf[3] == 0x43))
		return rdpdr_tfail(t, "client ID confirm wrong");
	if (!(rdpdr_build_device_reply(buf, sizeof(buf), &r) == 12 &&
	      !rdpdr_parse_device_reply(buf, 12, &rb, &err) &&
	      rb.device_id == 7 && rb.result_code == STATUS_ACCESS_DENIED))
		return rdpdr_tfail(t, "device reply round trip");
	if (!(rdpdr_build_using_xps(buf, sizeof(buf), &x) == 12 &&
	      buf[0] == 0x52 && buf[1] == 0x50 &&
	      !rdpdr_parse_using_xps(buf, 12, &xb, &err) &&
	      xb.printer_id == 4 && xb.flags == 0x7ffa5bf8))
		return rdpdr_tfail(t, "using XPS round trip");
	if (!(rdpdr_build_devlist_remove(buf, sizeof(buf), ids, 3) == 20 &&
	      !rdpdr_parse_devlist_remove(buf, 20, &rm, &err) &&
	      rm.device_count == 3 && rdpdr_remove_id(&rm, 1) == 0xffffffff &&
	      rdpdr_remove_id(&rm, 2) == 3))
		return rdpdr_tfail(t, "remove round trip");
	if (!(rdpdr_build_hdr(buf, sizeof(buf), RDPDR_CTYP_CORE,
			      PAKID_CORE_USER_LOGGEDON) == 4 &&
	      !rdpdr_parse_hdr(buf, 4, &h, &err) &&
	      h.component == RDPDR_CTYP_CORE &&
	      h.packet_id == PAKID_CORE_USER_LOGGEDON &&
	      rdpdr_build_hdr(buf, 3, RDPDR_CTYP_CORE, 0) == -ENOSPC))
		return rdpdr_tfail(t, "header round trip");
	/* PRN-component PDUs never come from a client. */
	h.component = RDPDR_CTYP_PRN;
	h.packet_id = PAKID_PRN_USING_XPS;
	if (!(!rdpdr_pdu_known(&h, true) && rdpdr_pdu_known(&h, false)))
		return rdpdr_tfail(t, "rdpdr_pdu_known on PAKID_PRN_USING_XPS");
	h.component = 0x1234;
	if (!(!rdpdr_pdu_known(&h, true) && !rdpdr_pdu_known(&h, false) &&
	      !strcmp(rdpdr_pdu_name(0x1234, 0x4441), "unknown")))
		return rdpdr_tfail(t, "an unknown component is known");
	h.component = RDPDR_CTYP_CORE;
	h.packet_id = PAKID_CORE_DEVICE_IOCOMPLETION;
	if (!(rdpdr_pdu_known(&h, true) && !rdpdr_pdu_known(&h, false)))
		return rdpdr_tfail(t, "rdpdr_pdu_known on a completion");
	return NULL;
}

static const char *synth_caps_v1_unknown(struct rdpdr_tctx *t,
					 const void *arg)
{
	struct rdpdr_caps *caps, *back;
	const char *fail = NULL;
	struct rdpdr_err err;
	u8 *out = NULL;
	int n;

	caps = rt_zalloc(sizeof(*caps));
	back = rt_zalloc(sizeof(*back));
	if (!caps || !back) {
		fail = rdpdr_tfail(t, "out of memory");
		goto out;
	}
	caps->packet_id = PAKID_CORE_CLIENT_CAPABILITY;
	caps->count = 3;
	caps->sets[0].type = CAP_GENERAL_TYPE;
	caps->sets[0].length = 40;
	caps->sets[0].version = 1;
	caps->sets[0].general.io_code1 = 0x3fff;
	caps->sets[0].general.extra_flags1 = ENABLE_ASYNCIO;
	caps->sets[1].type = 0x77;	/* unknown: skipped but recorded */
	caps->sets[1].length = 20;
	caps->sets[1].version = 9;
	caps->sets[2].type = CAP_SMARTCARD_TYPE;
	caps->sets[2].length = 8;
	caps->sets[2].version = 1;
	n = tbuild_exact(t, &out, wrap_caps, caps);
	if (n < 0) {
		fail = t->msg;
		goto out;
	}
	if (n != 8 + 40 + 20 + 8) {
		fail = rdpdr_tfail(t, "caps size %d, want 76", n);
		goto out;
	}
	n = rdpdr_parse_caps(out, n, back, &err);
	if (n || back->count != 3 || back->num_capabilities != 3 ||
	    back->sets[1].type != 0x77 || back->sets[1].length != 20 ||
	    back->sets[0].general.io_code1 != 0x3fff ||
	    back->sets[0].general.extra_flags1 != 1 ||
	    back->sets[0].general.special_type_device_cap ||
	    rdpdr_caps_find(back, 0x77) != &back->sets[1])
		fail = rdpdr_tfail(t, "v1 caps with an unknown set read back wrong (%d)",
				   n);
out:
	rt_free(out);
	rt_free(back);
	rt_free(caps);
	return fail;
}

const struct rdpdr_tcase rdpdr_synth_cases[] = {
	{ "synth", "server_caps_60_bytes", synth_server_caps, NULL },
	{ "synth", "printer_ascii_driver", synth_printer_ascii_driver, NULL },
	{ "synth", "printer_cached_blob", synth_printer_cached_blob, NULL },
	{ "synth", "printer_non_bmp_names", synth_printer_nonbmp, NULL },
	{ "synth", "client_name_non_bmp", synth_client_name_nonbmp, NULL },
	{ "synth", "client_name_8bit", synth_client_name_ascii, NULL },
	{ "synth", "utf8_to_utf16_invalid", synth_utf8_invalid, NULL },
	{ "synth", "str_check_and_to_utf8", synth_str_helpers, NULL },
	{ "synth", "err_format", synth_err_format, NULL },
	{ "synth", "printer_create_init", synth_create_req, NULL },
	{ "synth", "write_req_64k", synth_write_req, NULL },
	{ "synth", "responses_optional_bytes", synth_responses, NULL },
	{ "synth", "cache_data_events", synth_cache_events, NULL },
	{ "synth", "devlist_mixed_types", synth_devlist_mixed, NULL },
	{ "synth", "announce_reply_xps_remove_hdr", synth_announce_family,
	  NULL },
	{ "synth", "caps_v1_and_unknown_set", synth_caps_v1_unknown, NULL },
};

const unsigned int rdpdr_synth_case_count = ARRAY_SIZE(rdpdr_synth_cases);
