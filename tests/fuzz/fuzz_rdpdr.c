// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fuzz_rdpdr.c - libFuzzer harness over every entry point of the RDPDR
 * wire library.
 *
 * Each input is one PDU. It goes through rdpdr_describe() with every
 * rsp_major, through every parse function (not only the one its header
 * selects), through rdpdr_parse_printer() for each printer entry of a
 * device list, and through the string helpers. Whatever parses is rebuilt
 * and parsed again, and must give the same fields. Any difference, and any
 * sanitizer report, is a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rdpdr_test.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* ---- a visitor that checks what describe() reports -------------------- */

struct vstate {
	int depth;
	bool array[64];
	unsigned int fields;
};

static void v_begin(void *ctx, const char *name, bool array)
{
	struct vstate *s = ctx;

	CHECK(s->depth < 64);
	if (s->depth && !s->array[s->depth - 1])
		CHECK(name && *name);
	s->array[s->depth++] = array;
}

static void v_end(void *ctx, bool array)
{
	struct vstate *s = ctx;

	CHECK(s->depth > 0);
	CHECK(s->array[--s->depth] == array);
}

static void v_field(struct vstate *s, const char *name)
{
	if (s->depth && !s->array[s->depth - 1])
		CHECK(name && *name);
	s->fields++;
}

static void v_num(void *ctx, const char *name, u64 v, bool hex)
{
	v_field(ctx, name);
}

static void v_str(void *ctx, const char *name, const char *s)
{
	v_field(ctx, name);
	CHECK(s);
	(void)strlen(s);
}

static void v_flag(void *ctx, const char *name, bool v)
{
	v_field(ctx, name);
}

/* Written so that the reads of a blob are not optimised away. */
u8 fuzz_sink;

static void v_blob(void *ctx, const char *name, const u8 *d, size_t n)
{
	size_t i;

	v_field(ctx, name);
	CHECK(d || !n);
	for (i = 0; i < n; i++)
		fuzz_sink ^= d[i];
}

static char fuzz_scratch[RDPDR_MAX_UTF8_BYTES];

static void fuzz_describe(const u8 *buf, size_t len)
{
	static const int majors[] = { -1, IRP_MJ_CREATE, IRP_MJ_CLOSE,
				      IRP_MJ_WRITE, IRP_MJ_READ };
	struct rdpdr_err err;
	struct vstate s;
	struct rdpdr_visitor v = {
		v_begin, v_end, v_num, v_str, v_flag, v_blob, &s,
	};
	char msg[256];
	unsigned int i;
	int rc;

	for (i = 0; i < 2 * ARRAY_SIZE(majors); i++) {
		/* Once with the caller's scratch buffer, once without. */
		v.scratch = i % 2 ? fuzz_scratch : NULL;
		v.scratch_len = i % 2 ? sizeof(fuzz_scratch) : 0;
		memset(&s, 0, sizeof(s));
		memset(&err, 0, sizeof(err));
		rc = rdpdr_describe(buf, len, majors[i / 2], &v, &err);
		CHECK(rc <= 0);
		if (rc == 0) {
			CHECK(s.depth == 0);
		} else {
			CHECK(err.code == rc);
			CHECK(err.field && err.reason);
			CHECK(err.offset <= len || rc != -ENODATA);
			CHECK(rdpdr_err_format(&err, msg, sizeof(msg)) >= 0);
			CHECK(strlen(msg) < sizeof(msg));
		}
	}
}

/* ---- field comparison after a rebuild --------------------------------- */

static bool str_eq(const struct rdpdr_str *a, const struct rdpdr_str *b)
{
	return a->len == b->len && a->unicode == b->unicode &&
	       a->utf8_len == b->utf8_len &&
	       (!a->len || !memcmp(a->data, b->data, a->len));
}

static bool blob_eq(const u8 *a, const u8 *b, u32 len)
{
	return !len || (a && b && !memcmp(a, b, len));
}

static bool io_eq(const struct rdpdr_ioreq *a, const struct rdpdr_ioreq *b)
{
	return a->device_id == b->device_id && a->file_id == b->file_id &&
	       a->completion_id == b->completion_id &&
	       a->major_function == b->major_function &&
	       a->minor_function == b->minor_function;
}

static bool cpl_eq(const struct rdpdr_iocompletion *a,
		   const struct rdpdr_iocompletion *b)
{
	return a->device_id == b->device_id &&
	       a->completion_id == b->completion_id &&
	       a->io_status == b->io_status;
}

static bool caps_eq(const struct rdpdr_caps *a, const struct rdpdr_caps *b)
{
	unsigned int i;

	if (a->packet_id != b->packet_id || a->count != b->count ||
	    a->num_capabilities != b->num_capabilities)
		return false;
	for (i = 0; i < a->count; i++) {
		const struct rdpdr_cap_set *x = &a->sets[i], *y = &b->sets[i];

		if (x->type != y->type || x->length != y->length ||
		    x->version != y->version)
			return false;
		if (x->type == CAP_GENERAL_TYPE &&
		    memcmp(&x->general, &y->general, sizeof(x->general)))
			return false;
	}
	return true;
}

static bool devlist_eq(const struct rdpdr_devlist *a,
		       const struct rdpdr_devlist *b)
{
	struct rdpdr_devlist_iter ia, ib;
	struct rdpdr_device da, db;

	if (a->device_count != b->device_count)
		return false;
	rdpdr_devlist_iter_init(&ia, a);
	rdpdr_devlist_iter_init(&ib, b);
	while (rdpdr_devlist_next(&ia, &da)) {
		if (!rdpdr_devlist_next(&ib, &db))
			return false;
		if (da.device_type != db.device_type ||
		    da.device_id != db.device_id ||
		    strcmp(da.dos_name, db.dos_name) ||
		    da.data_len != db.data_len ||
		    !blob_eq(da.data, db.data, da.data_len))
			return false;
	}
	return !rdpdr_devlist_next(&ib, &db);
}

static bool cache_eq(const struct rdpdr_cache_data *a,
		     const struct rdpdr_cache_data *b)
{
	if (a->event_id != b->event_id)
		return false;
	switch (a->event_id) {
	case RDPDR_ADD_PRINTER_EVENT:
		return !memcmp(a->add.port_dos_name_raw,
			       b->add.port_dos_name_raw, 8) &&
		       !strcmp(a->add.port_dos_name, b->add.port_dos_name) &&
		       a->add.pnp_name_len == b->add.pnp_name_len &&
		       a->add.driver_name_len == b->add.driver_name_len &&
		       a->add.print_name_len == b->add.print_name_len &&
		       a->add.cached_fields_len == b->add.cached_fields_len &&
		       str_eq(&a->add.pnp_name, &b->add.pnp_name) &&
		       str_eq(&a->add.driver_name, &b->add.driver_name) &&
		       str_eq(&a->add.printer_name, &b->add.printer_name) &&
		       blob_eq(a->add.cached_data, b->add.cached_data,
			       a->add.cached_fields_len);
	case RDPDR_UPDATE_PRINTER_EVENT:
		return a->update.printer_name_len ==
			b->update.printer_name_len &&
		       a->update.config_data_len == b->update.config_data_len &&
		       a->update.config_data_present ==
			b->update.config_data_present &&
		       str_eq(&a->update.printer_name,
			      &b->update.printer_name) &&
		       blob_eq(a->update.config_data, b->update.config_data,
			       a->update.config_data_len);
	case RDPDR_DELETE_PRINTER_EVENT:
		return a->del.printer_name_len == b->del.printer_name_len &&
		       str_eq(&a->del.printer_name, &b->del.printer_name);
	case RDPDR_RENAME_PRINTER_EVENT:
		return a->rename.old_printer_name_len ==
			b->rename.old_printer_name_len &&
		       a->rename.new_printer_name_len ==
			b->rename.new_printer_name_len &&
		       str_eq(&a->rename.old_printer_name,
			      &b->rename.old_printer_name) &&
		       str_eq(&a->rename.new_printer_name,
			      &b->rename.new_printer_name);
	default:
		return false;
	}
}

static bool parsed_eq(enum rdpdr_tkind k, const union rdpdr_tparsed *a,
		      const union rdpdr_tparsed *b)
{
	switch (k) {
	case RDPDR_TK_HDR_ONLY:
		return a->hdr.component == b->hdr.component &&
		       a->hdr.packet_id == b->hdr.packet_id;
	case RDPDR_TK_ANNOUNCE:
		return a->announce.packet_id == b->announce.packet_id &&
		       a->announce.version_major ==
			b->announce.version_major &&
		       a->announce.version_minor ==
			b->announce.version_minor &&
		       a->announce.client_id == b->announce.client_id;
	case RDPDR_TK_CLIENT_NAME:
		return a->name.unicode_flag == b->name.unicode_flag &&
		       a->name.code_page == b->name.code_page &&
		       a->name.computer_name_len ==
			b->name.computer_name_len &&
		       str_eq(&a->name.computer_name, &b->name.computer_name);
	case RDPDR_TK_CAPS:
		return caps_eq(&a->caps, &b->caps);
	case RDPDR_TK_DEVLIST:
		return devlist_eq(&a->devlist, &b->devlist);
	case RDPDR_TK_DEVICE_REPLY:
		return a->reply.device_id == b->reply.device_id &&
		       a->reply.result_code == b->reply.result_code;
	case RDPDR_TK_REMOVE:
		return a->remove.device_count == b->remove.device_count &&
		       blob_eq(a->remove.ids, b->remove.ids,
			       4 * a->remove.device_count);
	case RDPDR_TK_CREATE_REQ:
		return io_eq(&a->create_req.io, &b->create_req.io) &&
		       a->create_req.desired_access ==
			b->create_req.desired_access &&
		       a->create_req.allocation_size ==
			b->create_req.allocation_size &&
		       a->create_req.file_attributes ==
			b->create_req.file_attributes &&
		       a->create_req.shared_access ==
			b->create_req.shared_access &&
		       a->create_req.create_disposition ==
			b->create_req.create_disposition &&
		       a->create_req.create_options ==
			b->create_req.create_options &&
		       a->create_req.path_length ==
			b->create_req.path_length &&
		       str_eq(&a->create_req.path, &b->create_req.path);
	case RDPDR_TK_CLOSE_REQ:
		return io_eq(&a->ioreq, &b->ioreq);
	case RDPDR_TK_WRITE_REQ:
	case RDPDR_TK_WRITE_REQ_HDR:
		return io_eq(&a->write_req.io, &b->write_req.io) &&
		       a->write_req.length == b->write_req.length &&
		       a->write_req.offset == b->write_req.offset &&
		       (k == RDPDR_TK_WRITE_REQ_HDR ||
			blob_eq(a->write_req.data, b->write_req.data,
				a->write_req.length));
	case RDPDR_TK_CREATE_RSP:
		return cpl_eq(&a->create_rsp.c, &b->create_rsp.c) &&
		       a->create_rsp.file_id == b->create_rsp.file_id &&
		       a->create_rsp.has_information ==
			b->create_rsp.has_information &&
		       (!a->create_rsp.has_information ||
			a->create_rsp.information ==
			b->create_rsp.information);
	case RDPDR_TK_CLOSE_RSP:
		return cpl_eq(&a->close_rsp.c, &b->close_rsp.c) &&
		       a->close_rsp.padding_len == b->close_rsp.padding_len;
	case RDPDR_TK_WRITE_RSP:
		return cpl_eq(&a->write_rsp.c, &b->write_rsp.c) &&
		       a->write_rsp.length == b->write_rsp.length &&
		       a->write_rsp.has_padding == b->write_rsp.has_padding;
	case RDPDR_TK_USING_XPS:
		return a->xps.printer_id == b->xps.printer_id &&
		       a->xps.flags == b->xps.flags;
	case RDPDR_TK_CACHE_DATA:
		return cache_eq(&a->cache, &b->cache);
	default:
		return true;
	}
}

static bool has_build(enum rdpdr_tkind k, const union rdpdr_tparsed *p)
{
	switch (k) {
	case RDPDR_TK_IOREQ:
	case RDPDR_TK_IOCOMPLETION:
	case RDPDR_TK_HDR:
		return false;
	case RDPDR_TK_CLOSE_RSP:
		/* The builder writes 0 to 5 padding bytes only. */
		return p->close_rsp.padding_len <= 5;
	default:
		return true;
	}
}

static void roundtrip(enum rdpdr_tkind k, const union rdpdr_tparsed *p,
		      const u8 *src, size_t len)
{
	union rdpdr_tparsed *q;
	struct rdpdr_err err;
	int need, n, rc;
	u8 *out;

	if (!has_build(k, p))
		return;
	need = rdpdr_tbuild(k, p, src, len, NULL, 0);
	if (need == -E2BIG)
		return;	/* e.g. more devices than a build accepts */
	CHECK(need > 0);
	out = malloc(need);
	CHECK(out);
	if (need > 1)
		CHECK(rdpdr_tbuild(k, p, src, len, out, need - 1) == -ENOSPC);
	n = rdpdr_tbuild(k, p, src, len, out, need);
	CHECK(n == need);
	q = malloc(sizeof(*q));
	CHECK(q);
	rc = rdpdr_tparse(k, out, n, q, &err);
	if (rc)
		fprintf(stderr, "reparse of %s: %d %s at %u: %s\n",
			rdpdr_tkind_name(k), rc, err.field, err.offset,
			err.reason);
	CHECK(rc == 0);
	CHECK(parsed_eq(k, p, q));
	free(q);
	free(out);
}

/* Every printer entry: parse, rebuild, parse again, same fields. */
static void fuzz_printers(const struct rdpdr_devlist *dl)
{
	struct rdpdr_printer p, q;
	struct rdpdr_devlist_iter it;
	struct rdpdr_device dev, d2;
	struct rdpdr_err err;
	int need, n;
	u8 *out;

	rdpdr_devlist_iter_init(&it, dl);
	while (rdpdr_devlist_next(&it, &dev)) {
		CHECK(dev.data_len == 0 || dev.data);
		CHECK(strlen(dev.dos_name) <= RDPDR_DOS_NAME_LEN);
		(void)rdpdr_dos_name_valid(dev.dos_name);
		memset(&err, 0, sizeof(err));
		if (rdpdr_parse_printer(&dev, &p, &err)) {
			CHECK(err.code < 0 && err.field && err.reason);
			continue;
		}
		CHECK((u64)24 + p.pnp_name_len + p.driver_name_len +
		      p.print_name_len + p.cached_fields_len <= dev.data_len);
		need = rdpdr_build_printer_data(NULL, 0, &p);
		CHECK(need >= 24 && (u32)need <= dev.data_len);
		out = malloc(need);
		CHECK(out);
		n = rdpdr_build_printer_data(out, need, &p);
		CHECK(n == need);
		d2 = dev;
		d2.data = out;
		d2.data_len = n;
		CHECK(rdpdr_parse_printer(&d2, &q, &err) == 0);
		CHECK(p.flags == q.flags && p.code_page == q.code_page &&
		      p.pnp_name_len == q.pnp_name_len &&
		      p.driver_name_len == q.driver_name_len &&
		      p.print_name_len == q.print_name_len &&
		      p.cached_fields_len == q.cached_fields_len &&
		      str_eq(&p.pnp_name, &q.pnp_name) &&
		      str_eq(&p.driver_name, &q.driver_name) &&
		      str_eq(&p.printer_name, &q.printer_name) &&
		      blob_eq(p.cached_data, q.cached_data,
			      p.cached_fields_len));
		free(out);
	}
}

/* UTF-8 -> UTF-16 -> UTF-8 is the identity up to the first NUL. */
static void fuzz_utf8(const u8 *buf, size_t len)
{
	struct rdpdr_str s;
	size_t cut, got;
	char *back;
	int n, rc;
	u8 *w;

	n = rdpdr_utf8_to_utf16((const char *)buf, len, NULL, 0);
	if (n < 0) {
		CHECK(n == -EILSEQ);
		return;
	}
	CHECK(n >= 2 && n % 2 == 0);
	w = malloc(n);
	CHECK(w);
	CHECK(rdpdr_utf8_to_utf16((const char *)buf, len, w, n) == n);
	s.data = w;
	s.len = n;
	s.unicode = true;
	rc = rdpdr_str_check(&s);
	if (n > RDPDR_MAX_STRING_BYTES) {
		CHECK(rc == -E2BIG);
		free(w);
		return;
	}
	CHECK(rc == 0);
	cut = strnlen((const char *)buf, len);
	CHECK(s.utf8_len == cut);
	back = malloc(cut + 1);
	CHECK(back);
	got = rdpdr_str_to_utf8(&s, back, cut + 1);
	CHECK(got == cut && !memcmp(back, buf, cut) && !back[cut]);
	free(back);
	free(w);
}

/* A valid UTF-16 wire string survives UTF-8 and back. */
static void fuzz_utf16(const u8 *buf, size_t len, bool unicode)
{
	struct rdpdr_str s = { .data = buf, .len = len, .unicode = unicode };
	size_t got, units;
	char *u8s;
	u8 *w;
	int n;

	if (len > RDPDR_MAX_STRING_BYTES + 2)
		return;
	if (rdpdr_str_check(&s))
		return;
	u8s = malloc(s.utf8_len + 1);
	CHECK(u8s);
	got = rdpdr_str_to_utf8(&s, u8s, s.utf8_len + 1);
	CHECK(got == s.utf8_len && !u8s[got]);
	n = rdpdr_utf8_to_utf16(u8s, got, NULL, 0);
	if (!unicode) {
		CHECK(n > 0);	/* ISO-8859-1 is always encodable */
		free(u8s);
		return;
	}
	for (units = 0; units * 2 + 1 < len; units++)
		if (!buf[units * 2] && !buf[units * 2 + 1])
			break;
	CHECK(n == (int)(units * 2 + 2));
	w = malloc(n);
	CHECK(w);
	CHECK(rdpdr_utf8_to_utf16(u8s, got, w, n) == n);
	CHECK(!memcmp(w, buf, units * 2));
	free(w);
	free(u8s);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	union rdpdr_tparsed *p;
	struct rdpdr_err err;
	struct rdpdr_hdr hdr;
	int k, rc;

	fuzz_describe(data, size);

	if (!rdpdr_parse_hdr(data, size, &hdr, &err)) {
		(void)rdpdr_pdu_known(&hdr, true);
		(void)rdpdr_pdu_known(&hdr, false);
		CHECK(rdpdr_pdu_name(hdr.component, hdr.packet_id));
	} else {
		CHECK(size < 4);
	}

	p = malloc(sizeof(*p));
	CHECK(p);
	for (k = RDPDR_TK_HDR_ONLY; k <= RDPDR_TK_HDR; k++) {
		rc = rdpdr_tparse(k, data, size, p, &err);
		if (rc) {
			CHECK(rc < 0 && err.code == rc && err.field &&
			      err.reason);
			continue;
		}
		if (k == RDPDR_TK_DEVLIST)
			fuzz_printers(&p->devlist);
		if (k == RDPDR_TK_REMOVE && p->remove.device_count)
			(void)rdpdr_remove_id(&p->remove,
					      p->remove.device_count - 1);
		if (k == RDPDR_TK_CAPS)
			(void)rdpdr_caps_find(&p->caps, CAP_GENERAL_TYPE);
		roundtrip(k, p, data, size);
	}
	free(p);

	fuzz_utf8(data, size);
	fuzz_utf16(data, size, true);
	fuzz_utf16(data, size, false);
	return 0;
}
