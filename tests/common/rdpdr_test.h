/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rdpdr_test.h - RDPDR wire library test cases shared by the cmocka suite
 * (tests/unit) and the KUnit suite (tests/kunit).
 *
 * A harness walks the case list with rdpdr_tcase_count()/rdpdr_tcase_get()
 * and registers every case as a test of its own. A case runs with a
 * zeroed struct rdpdr_tctx the harness allocates (rdpdr_tctx_alloc()) and
 * returns NULL on success or a failure message (kept in the context).
 */
#ifndef RDPDR_TEST_H
#define RDPDR_TEST_H

#include "rdpdr/rdpdr.h"
#include "rdpdr_test_env.h"

#define RDPDR_TMSG_LEN		768

/* Fields one rdpdr_describe() call may report before the test gives up. */
#define RDPDR_TF_MAX_FIELDS	192
#define RDPDR_TF_KEY_LEN	80
#define RDPDR_TF_STR_LEN	160
#define RDPDR_TF_DEPTH		8

enum rdpdr_tf_kind {
	RDPDR_TF_NUM,
	RDPDR_TF_STR,
	RDPDR_TF_FLAG,
	RDPDR_TF_BLOB,
};

/**
 * struct rdpdr_tfield - one field rdpdr_describe() reported, flattened
 * @key: "DeviceCount", "dev[0].DeviceType", "DeviceIds[0]", ...
 * @kind: which of @num, @str, @flag, @blob_len holds the value
 * @cut: @key or @str did not fit and was cut (never matches an expectation)
 * @flag: value of a boolean
 * @num: value of an integer
 * @blob_len: length of a blob
 * @str: value of a string
 */
struct rdpdr_tfield {
	char key[RDPDR_TF_KEY_LEN];
	u8 kind;
	bool cut;
	bool flag;
	u64 num;
	u64 blob_len;
	char str[RDPDR_TF_STR_LEN];
};

/**
 * struct rdpdr_tflat - a flattening visitor's state
 * @f: the fields in report order
 * @n: fields in @f
 * @error: first protocol error of the visitor calls (unbalanced end,
 *	unnamed field, duplicate key, too many fields); NULL if none
 * @depth: open objects and arrays
 * @stack: per open object/array: is it an array, next index, path length
 * @path: current key prefix
 */
struct rdpdr_tflat {
	struct rdpdr_tfield f[RDPDR_TF_MAX_FIELDS];
	unsigned int n;
	const char *error;
	unsigned int depth;
	struct {
		bool array;
		u32 next;
		unsigned int pathlen;
	} stack[RDPDR_TF_DEPTH];
	char path[RDPDR_TF_KEY_LEN];
};

/**
 * struct rdpdr_tctx - per-case state
 * @msg: failure message
 * @flat: scratch flattening visitor
 */
struct rdpdr_tctx {
	char msg[RDPDR_TMSG_LEN];
	struct rdpdr_tflat flat;
};

/**
 * struct rdpdr_tcase - one named test case
 * @group: "vector", "roundtrip", "truncate", "synth" or "malformed"
 * @name: case name, unique within its group
 * @run: returns NULL on success, else the failure message
 * @arg: passed to @run
 */
struct rdpdr_tcase {
	const char *group;
	const char *name;
	const char *(*run)(struct rdpdr_tctx *t, const void *arg);
	const void *arg;
};

unsigned int rdpdr_tcase_count(void);
const struct rdpdr_tcase *rdpdr_tcase_get(unsigned int i);
/* Next case of @group after @prev (NULL: the first); NULL at the end. */
const struct rdpdr_tcase *rdpdr_tcase_next(const struct rdpdr_tcase *prev,
					   const char *group);
struct rdpdr_tctx *rdpdr_tctx_alloc(void);
void rdpdr_tctx_free(struct rdpdr_tctx *t);
/* Runs @c in a fresh context; the message is copied to @msg (may be NULL). */
int rdpdr_tcase_run(const struct rdpdr_tcase *c, char *msg, size_t msglen);

/* ---- helpers shared by the case files ---------------------------------- */

__printf(2, 3)
const char *rdpdr_tfail(struct rdpdr_tctx *t, const char *fmt, ...);

/* Describe @buf into @t->flat; returns rdpdr_describe()'s value. */
int rdpdr_tdescribe(struct rdpdr_tctx *t, const u8 *buf, size_t len,
		    int rsp_major, struct rdpdr_err *err);
const struct rdpdr_tfield *rdpdr_tflat_find(const struct rdpdr_tflat *fl,
					    const char *key);
/* Parses "0x1f", "31"; false if @s is not an integer. */
bool rdpdr_tparse_u64(const char *s, u64 *v);

/* Copy of @len bytes of @src in a buffer of exactly @len bytes. */
u8 *rdpdr_tdup(const u8 *src, size_t len);

/**
 * enum rdpdr_tkind - which parse/build pair a PDU belongs to
 */
enum rdpdr_tkind {
	RDPDR_TK_UNKNOWN,
	RDPDR_TK_HDR_ONLY,
	RDPDR_TK_ANNOUNCE,
	RDPDR_TK_CLIENT_NAME,
	RDPDR_TK_CAPS,
	RDPDR_TK_DEVLIST,
	RDPDR_TK_DEVICE_REPLY,
	RDPDR_TK_REMOVE,
	RDPDR_TK_CREATE_REQ,
	RDPDR_TK_CLOSE_REQ,
	RDPDR_TK_WRITE_REQ,
	RDPDR_TK_WRITE_REQ_HDR,
	RDPDR_TK_CREATE_RSP,
	RDPDR_TK_CLOSE_RSP,
	RDPDR_TK_WRITE_RSP,
	RDPDR_TK_USING_XPS,
	RDPDR_TK_CACHE_DATA,
	RDPDR_TK_IOREQ,
	RDPDR_TK_IOCOMPLETION,
	RDPDR_TK_HDR,
};

const char *rdpdr_tkind_name(enum rdpdr_tkind k);

/**
 * union rdpdr_tparsed - the result of any parse function
 */
union rdpdr_tparsed {
	struct rdpdr_hdr hdr;
	struct rdpdr_announce announce;
	struct rdpdr_client_name name;
	struct rdpdr_caps caps;
	struct rdpdr_devlist devlist;
	struct rdpdr_device_reply reply;
	struct rdpdr_devlist_remove remove;
	struct rdpdr_ioreq ioreq;
	struct rdpdr_create_req create_req;
	struct rdpdr_write_req write_req;
	struct rdpdr_iocompletion completion;
	struct rdpdr_create_rsp create_rsp;
	struct rdpdr_close_rsp close_rsp;
	struct rdpdr_write_rsp write_rsp;
	struct rdpdr_using_xps xps;
	struct rdpdr_cache_data cache;
};

/* The kind of a whole PDU, from its header (and MajorFunction/@rsp_major). */
enum rdpdr_tkind rdpdr_tkind_of(const u8 *buf, size_t len, int rsp_major);
/* Calls the parse function of @kind. */
int rdpdr_tparse(enum rdpdr_tkind kind, const u8 *buf, size_t len,
		 union rdpdr_tparsed *p, struct rdpdr_err *err);
/* Builds what @kind's parse produced (@p, parsed from @src) into @buf. */
int rdpdr_tbuild(enum rdpdr_tkind kind, const union rdpdr_tparsed *p,
		 const u8 *src, size_t srclen, u8 *buf, size_t cap);

/* ---- a little PDU writer for the synthetic and malformed cases --------- */

struct rdpdr_twriter {
	u8 *buf;
	size_t len;
	size_t cap;
	bool overflow;
};

void rdpdr_tw_init(struct rdpdr_twriter *w, u8 *buf, size_t cap);
void rdpdr_tw_u8(struct rdpdr_twriter *w, u8 v);
void rdpdr_tw_u16(struct rdpdr_twriter *w, u16 v);
void rdpdr_tw_u32(struct rdpdr_twriter *w, u32 v);
void rdpdr_tw_bytes(struct rdpdr_twriter *w, const void *p, size_t n);
/* ASCII @s as UTF-16LE, with the 2-byte terminator when @nul. */
void rdpdr_tw_utf16(struct rdpdr_twriter *w, const char *s, bool nul);
void rdpdr_tw_put32(struct rdpdr_twriter *w, size_t off, u32 v);

/* ---- case tables (one per file) --------------------------------------- */

extern const struct rdpdr_tcase rdpdr_synth_cases[];
extern const unsigned int rdpdr_synth_case_count;
unsigned int rdpdr_malformed_count(void);
void rdpdr_malformed_fill(unsigned int i, struct rdpdr_tcase *c);

/* Vector cases: one per vector and group; @i < rdpdr_vector_count(). */
unsigned int rdpdr_vector_count(void);
const char *rdpdr_vector_name(unsigned int i);
const char *rdpdr_vector_check(struct rdpdr_tctx *t, const void *arg);
const char *rdpdr_vector_roundtrip(struct rdpdr_tctx *t, const void *arg);
const char *rdpdr_vector_truncate(struct rdpdr_tctx *t, const void *arg);
const void *rdpdr_vector_arg(unsigned int i);
const u8 *rdpdr_vector_bytes(unsigned int i, unsigned int *len);
bool rdpdr_vector_has_roundtrip(unsigned int i);

#endif /* RDPDR_TEST_H */
