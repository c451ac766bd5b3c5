// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_test_util.c - helpers of the shared RDPDR test cases: messages,
 * the flattening visitor, a parse/build dispatcher and a PDU writer.
 */
#include "rdpdr_test.h"

const char *rdpdr_tfail(struct rdpdr_tctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	return t->msg;
}

u8 *rdpdr_tdup(const u8 *src, size_t len)
{
	u8 *p = rt_alloc(len);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

bool rdpdr_tparse_u64(const char *s, u64 *v)
{
	unsigned int base = 10;
	u64 r = 0;

	if (!*s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return false;
	}
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (r > (~0ULL - d) / base)
			return false;
		r = r * base + d;
	}
	*v = r;
	return true;
}

/* ---- flattening visitor ------------------------------------------------ */

static void tf_error(struct rdpdr_tflat *fl, const char *what)
{
	if (!fl->error)
		fl->error = what;
}

/* Appends @s to the path; false (and error) if it does not fit. */
static bool tf_append(struct rdpdr_tflat *fl, char *dst, size_t *len,
		      const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > RDPDR_TF_KEY_LEN) {
		tf_error(fl, "key longer than RDPDR_TF_KEY_LEN");
		return false;
	}
	memcpy(dst + *len, s, n + 1);
	*len += n;
	return true;
}

/*
 * The key of the next member of the innermost container: "[i]" inside an
 * array (the member's own name, if any, is not part of the key), ".name"
 * inside an object, "name" at the top.
 */
static bool tf_member_key(struct rdpdr_tflat *fl, const char *name,
			  char *key)
{
	size_t len = strlen(fl->path);

	memcpy(key, fl->path, len + 1);
	if (fl->depth && fl->stack[fl->depth - 1].array) {
		char idx[16];

		snprintf(idx, sizeof(idx), "[%u]",
			 fl->stack[fl->depth - 1].next++);
		return tf_append(fl, key, &len, idx);
	}
	if (!name) {
		tf_error(fl, "unnamed member of an object");
		return false;
	}
	if (len && !tf_append(fl, key, &len, "."))
		return false;
	return tf_append(fl, key, &len, name);
}

static void tf_begin(void *ctx, const char *name, bool array)
{
	struct rdpdr_tflat *fl = ctx;
	char key[RDPDR_TF_KEY_LEN];

	if (fl->depth >= RDPDR_TF_DEPTH) {
		tf_error(fl, "objects nested too deep");
		return;
	}
	if (!fl->depth && !array) {
		/* The PDU itself: its members are top-level keys. */
		key[0] = '\0';
	} else if (!tf_member_key(fl, name, key)) {
		return;
	}
	fl->stack[fl->depth].array = array;
	fl->stack[fl->depth].next = 0;
	fl->stack[fl->depth].pathlen = strlen(fl->path);
	fl->depth++;
	memcpy(fl->path, key, strlen(key) + 1);
}

static void tf_end(void *ctx, bool array)
{
	struct rdpdr_tflat *fl = ctx;

	if (!fl->depth) {
		tf_error(fl, "end() without begin()");
		return;
	}
	fl->depth--;
	if (fl->stack[fl->depth].array != array)
		tf_error(fl, "end() of an array closes an object or vice versa");
	fl->path[fl->stack[fl->depth].pathlen] = '\0';
}

static struct rdpdr_tfield *tf_add(struct rdpdr_tflat *fl, const char *name,
				   u8 kind)
{
	struct rdpdr_tfield *f;
	char key[RDPDR_TF_KEY_LEN];

	if (!tf_member_key(fl, name, key))
		return NULL;
	if (rdpdr_tflat_find(fl, key)) {
		tf_error(fl, "a key reported twice");
		return NULL;
	}
	if (fl->n >= RDPDR_TF_MAX_FIELDS) {
		tf_error(fl, "more than RDPDR_TF_MAX_FIELDS fields");
		return NULL;
	}
	f = &fl->f[fl->n++];
	memset(f, 0, sizeof(*f));
	memcpy(f->key, key, strlen(key) + 1);
	f->kind = kind;
	return f;
}

static void tf_num(void *ctx, const char *name, u64 value, bool hex)
{
	struct rdpdr_tfield *f = tf_add(ctx, name, RDPDR_TF_NUM);

	if (f)
		f->num = value;
}

static void tf_str(void *ctx, const char *name, const char *utf8)
{
	struct rdpdr_tfield *f = tf_add(ctx, name, RDPDR_TF_STR);
	size_t n;

	if (!f)
		return;
	if (!utf8) {
		tf_error(ctx, "str() with a NULL value");
		return;
	}
	n = strlen(utf8);
	if (n >= sizeof(f->str)) {
		n = sizeof(f->str) - 1;
		f->cut = true;
	}
	memcpy(f->str, utf8, n);
	f->str[n] = '\0';
}

static void tf_flag(void *ctx, const char *name, bool value)
{
	struct rdpdr_tfield *f = tf_add(ctx, name, RDPDR_TF_FLAG);

	if (f)
		f->flag = value;
}

static void tf_blob(void *ctx, const char *name, const u8 *data, size_t len)
{
	struct rdpdr_tfield *f = tf_add(ctx, name, RDPDR_TF_BLOB);
	size_t i;

	if (!f)
		return;
	f->blob_len = len;
	if (len && !data) {
		tf_error(ctx, "blob() with data NULL and a length");
		return;
	}
	/* Read every byte: the sanitizers check the blob is in bounds. */
	for (i = 0; i < len; i++)
		f->num += data[i];
}

int rdpdr_tdescribe(struct rdpdr_tctx *t, const u8 *buf, size_t len,
		    int rsp_major, struct rdpdr_err *err)
{
	struct rdpdr_tflat *fl = &t->flat;
	struct rdpdr_visitor v = {
		.begin = tf_begin,
		.end = tf_end,
		.num = tf_num,
		.str = tf_str,
		.flag = tf_flag,
		.blob = tf_blob,
		.ctx = fl,
	};

	memset(fl, 0, sizeof(*fl));
	memset(err, 0, sizeof(*err));
	return rdpdr_describe(buf, len, rsp_major, &v, err);
}

const struct rdpdr_tfield *rdpdr_tflat_find(const struct rdpdr_tflat *fl,
					    const char *key)
{
	unsigned int i;

	for (i = 0; i < fl->n; i++)
		if (!strcmp(fl->f[i].key, key))
			return &fl->f[i];
	return NULL;
}

/* ---- parse/build dispatch ---------------------------------------------- */

const char *rdpdr_tkind_name(enum rdpdr_tkind k)
{
	static const char * const names[] = {
		[RDPDR_TK_UNKNOWN] = "unknown",
		[RDPDR_TK_HDR_ONLY] = "hdr_only",
		[RDPDR_TK_ANNOUNCE] = "announce",
		[RDPDR_TK_CLIENT_NAME] = "client_name",
		[RDPDR_TK_CAPS] = "caps",
		[RDPDR_TK_DEVLIST] = "devlist",
		[RDPDR_TK_DEVICE_REPLY] = "device_reply",
		[RDPDR_TK_REMOVE] = "devlist_remove",
		[RDPDR_TK_CREATE_REQ] = "create_req",
		[RDPDR_TK_CLOSE_REQ] = "close_req",
		[RDPDR_TK_WRITE_REQ] = "write_req",
		[RDPDR_TK_WRITE_REQ_HDR] = "write_req_hdr",
		[RDPDR_TK_CREATE_RSP] = "create_rsp",
		[RDPDR_TK_CLOSE_RSP] = "close_rsp",
		[RDPDR_TK_WRITE_RSP] = "write_rsp",
		[RDPDR_TK_USING_XPS] = "using_xps",
		[RDPDR_TK_CACHE_DATA] = "cache_data",
		[RDPDR_TK_IOREQ] = "ioreq",
		[RDPDR_TK_IOCOMPLETION] = "iocompletion",
		[RDPDR_TK_HDR] = "hdr",
	};

	if ((unsigned int)k < ARRAY_SIZE(names) && names[k])
		return names[k];
	return "?";
}

static u32 tget32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

enum rdpdr_tkind rdpdr_tkind_of(const u8 *buf, size_t len, int rsp_major)
{
	u16 comp, pkt;

	if (len < RDPDR_HDR_SIZE)
		return RDPDR_TK_UNKNOWN;
	comp = buf[0] | buf[1] << 8;
	pkt = buf[2] | buf[3] << 8;
	if (comp == RDPDR_CTYP_PRN) {
		if (pkt == PAKID_PRN_USING_XPS)
			return RDPDR_TK_USING_XPS;
		if (pkt == PAKID_PRN_CACHE_DATA)
			return RDPDR_TK_CACHE_DATA;
		return RDPDR_TK_UNKNOWN;
	}
	if (comp != RDPDR_CTYP_CORE)
		return RDPDR_TK_UNKNOWN;
	switch (pkt) {
	case PAKID_CORE_SERVER_ANNOUNCE:
	case PAKID_CORE_CLIENTID_CONFIRM:
		return RDPDR_TK_ANNOUNCE;
	case PAKID_CORE_CLIENT_NAME:
		return RDPDR_TK_CLIENT_NAME;
	case PAKID_CORE_SERVER_CAPABILITY:
	case PAKID_CORE_CLIENT_CAPABILITY:
		return RDPDR_TK_CAPS;
	case PAKID_CORE_USER_LOGGEDON:
		return RDPDR_TK_HDR_ONLY;
	case PAKID_CORE_DEVICELIST_ANNOUNCE:
		return RDPDR_TK_DEVLIST;
	case PAKID_CORE_DEVICE_REPLY:
		return RDPDR_TK_DEVICE_REPLY;
	case PAKID_CORE_DEVICELIST_REMOVE:
		return RDPDR_TK_REMOVE;
	case PAKID_CORE_DEVICE_IOREQUEST:
		if (len < RDPDR_IOREQ_SIZE)
			return RDPDR_TK_IOREQ;
		switch (tget32(buf + 16)) {
		case IRP_MJ_CREATE:
			return RDPDR_TK_CREATE_REQ;
		case IRP_MJ_CLOSE:
			return RDPDR_TK_CLOSE_REQ;
		case IRP_MJ_WRITE:
			return RDPDR_TK_WRITE_REQ;
		default:
			return RDPDR_TK_IOREQ;
		}
	case PAKID_CORE_DEVICE_IOCOMPLETION:
		switch (rsp_major) {
		case IRP_MJ_CREATE:
			return RDPDR_TK_CREATE_RSP;
		case IRP_MJ_CLOSE:
			return RDPDR_TK_CLOSE_RSP;
		case IRP_MJ_WRITE:
			return RDPDR_TK_WRITE_RSP;
		default:
			return RDPDR_TK_IOCOMPLETION;
		}
	default:
		return RDPDR_TK_UNKNOWN;
	}
}

int rdpdr_tparse(enum rdpdr_tkind kind, const u8 *buf, size_t len,
		 union rdpdr_tparsed *p, struct rdpdr_err *err)
{
	memset(p, 0, sizeof(*p));
	memset(err, 0, sizeof(*err));
	switch (kind) {
	case RDPDR_TK_HDR_ONLY:
	case RDPDR_TK_HDR:
		return rdpdr_parse_hdr(buf, len, &p->hdr, err);
	case RDPDR_TK_ANNOUNCE:
		return rdpdr_parse_announce(buf, len, &p->announce, err);
	case RDPDR_TK_CLIENT_NAME:
		return rdpdr_parse_client_name(buf, len, &p->name, err);
	case RDPDR_TK_CAPS:
		return rdpdr_parse_caps(buf, len, &p->caps, err);
	case RDPDR_TK_DEVLIST:
		return rdpdr_parse_devlist(buf, len, &p->devlist, err);
	case RDPDR_TK_DEVICE_REPLY:
		return rdpdr_parse_device_reply(buf, len, &p->reply, err);
	case RDPDR_TK_REMOVE:
		return rdpdr_parse_devlist_remove(buf, len, &p->remove, err);
	case RDPDR_TK_CREATE_REQ:
		return rdpdr_parse_create_req(buf, len, &p->create_req, err);
	case RDPDR_TK_CLOSE_REQ:
		return rdpdr_parse_close_req(buf, len, &p->ioreq, err);
	case RDPDR_TK_WRITE_REQ:
		return rdpdr_parse_write_req(buf, len, &p->write_req, err);
	case RDPDR_TK_WRITE_REQ_HDR:
		return rdpdr_parse_write_req_hdr(buf, len, &p->write_req, err);
	case RDPDR_TK_CREATE_RSP:
		return rdpdr_parse_create_rsp(buf, len, &p->create_rsp, err);
	case RDPDR_TK_CLOSE_RSP:
		return rdpdr_parse_close_rsp(buf, len, &p->close_rsp, err);
	case RDPDR_TK_WRITE_RSP:
		return rdpdr_parse_write_rsp(buf, len, &p->write_rsp, err);
	case RDPDR_TK_USING_XPS:
		return rdpdr_parse_using_xps(buf, len, &p->xps, err);
	case RDPDR_TK_CACHE_DATA:
		return rdpdr_parse_cache_data(buf, len, &p->cache, err);
	case RDPDR_TK_IOREQ:
		return rdpdr_parse_ioreq(buf, len, &p->ioreq, err);
	case RDPDR_TK_IOCOMPLETION:
		return rdpdr_parse_iocompletion(buf, len, &p->completion,
						err);
	default:
		return -EINVAL;
	}
}

static int tbuild_devlist(const struct rdpdr_devlist *dl, u8 *buf,
			  size_t cap)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_device *devs;
	u32 n = 0;
	int rc;

	/* parse_devlist proved 20 bytes per entry, so this is bounded. */
	devs = rt_zalloc(sizeof(*devs) * (dl->device_count + 1));
	if (!devs)
		return -ENOMEM;
	rdpdr_devlist_iter_init(&it, dl);
	while (n <= dl->device_count && rdpdr_devlist_next(&it, &devs[n]))
		n++;
	rc = n == dl->device_count ?
		rdpdr_build_devlist(buf, cap, devs, n) : -EINVAL;
	rt_free(devs);
	return rc;
}

static int tbuild_remove(const struct rdpdr_devlist_remove *r, u8 *buf,
			 size_t cap)
{
	u32 *ids;
	u32 i;
	int rc;

	ids = rt_zalloc(sizeof(*ids) * (r->device_count + 1));
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < r->device_count; i++)
		ids[i] = rdpdr_remove_id(r, i);
	rc = rdpdr_build_devlist_remove(buf, cap, ids, r->device_count);
	rt_free(ids);
	return rc;
}

int rdpdr_tbuild(enum rdpdr_tkind kind, const union rdpdr_tparsed *p,
		 const u8 *src, size_t srclen, u8 *buf, size_t cap)
{
	switch (kind) {
	case RDPDR_TK_HDR_ONLY:
		return rdpdr_build_hdr(buf, cap, p->hdr.component,
				       p->hdr.packet_id);
	case RDPDR_TK_ANNOUNCE:
		return rdpdr_build_announce(buf, cap, &p->announce);
	case RDPDR_TK_CLIENT_NAME:
		return rdpdr_build_client_name(buf, cap, &p->name);
	case RDPDR_TK_CAPS:
		return rdpdr_build_caps(buf, cap, &p->caps);
	case RDPDR_TK_DEVLIST:
		return tbuild_devlist(&p->devlist, buf, cap);
	case RDPDR_TK_DEVICE_REPLY:
		return rdpdr_build_device_reply(buf, cap, &p->reply);
	case RDPDR_TK_REMOVE:
		return tbuild_remove(&p->remove, buf, cap);
	case RDPDR_TK_CREATE_REQ:
		return rdpdr_build_create_req(buf, cap, &p->create_req);
	case RDPDR_TK_CLOSE_REQ:
		return rdpdr_build_close_req(buf, cap, &p->ioreq);
	case RDPDR_TK_WRITE_REQ:
	case RDPDR_TK_WRITE_REQ_HDR:
		return rdpdr_build_write_req(buf, cap, &p->write_req);
	case RDPDR_TK_CREATE_RSP:
		return rdpdr_build_create_rsp(buf, cap, &p->create_rsp);
	case RDPDR_TK_CLOSE_RSP:
		return rdpdr_build_close_rsp(buf, cap, &p->close_rsp);
	case RDPDR_TK_WRITE_RSP:
		return rdpdr_build_write_rsp(buf, cap, &p->write_rsp);
	case RDPDR_TK_USING_XPS:
		return rdpdr_build_using_xps(buf, cap, &p->xps);
	case RDPDR_TK_CACHE_DATA:
		return rdpdr_build_cache_data(buf, cap, &p->cache);
	default:
		return -EINVAL;
	}
}

/* ---- PDU writer -------------------------------------------------------- */

void rdpdr_tw_init(struct rdpdr_twriter *w, u8 *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = cap;
	w->overflow = false;
}

void rdpdr_tw_bytes(struct rdpdr_twriter *w, const void *p, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void rdpdr_tw_u8(struct rdpdr_twriter *w, u8 v)
{
	rdpdr_tw_bytes(w, &v, 1);
}

void rdpdr_tw_u16(struct rdpdr_twriter *w, u16 v)
{
	u8 b[2] = { v & 0xff, v >> 8 };

	rdpdr_tw_bytes(w, b, 2);
}

void rdpdr_tw_u32(struct rdpdr_twriter *w, u32 v)
{
	u8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	rdpdr_tw_bytes(w, b, 4);
}

void rdpdr_tw_utf16(struct rdpdr_twriter *w, const char *s, bool nul)
{
	for (; *s; s++)
		rdpdr_tw_u16(w, (u8)*s);
	if (nul)
		rdpdr_tw_u16(w, 0);
}

void rdpdr_tw_put32(struct rdpdr_twriter *w, size_t off, u32 v)
{
	if (off > w->len || w->len - off < 4) {
		w->overflow = true;
		return;
	}
	w->buf[off] = v & 0xff;
	w->buf[off + 1] = (v >> 8) & 0xff;
	w->buf[off + 2] = (v >> 16) & 0xff;
	w->buf[off + 3] = v >> 24;
}
