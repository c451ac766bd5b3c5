// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_unit.c - cmocka runner for the shared RDPDR wire library cases
 * (tests/common), one cmocka test per case, plus userspace-only tests.
 *
 *   rdpdr_unit [SUBSTRING]   run the cases whose "group/name" contains it
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rdpdr_test.h"

#define MSG_LEN	2048

static void run_case(void **state)
{
	const struct rdpdr_tcase *c = *state;
	char msg[MSG_LEN];

	if (rdpdr_tcase_run(c, msg, sizeof(msg)))
		fail_msg("%s/%s: %s", c->group, c->name, msg);
}

/* xorshift64: a fixed sequence, so a failure reproduces. */
static u64 rng(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void null_begin(void *ctx, const char *name, bool array)
{
}

static void null_end(void *ctx, bool array)
{
}

static void null_num(void *ctx, const char *name, u64 v, bool hex)
{
}

static void null_str(void *ctx, const char *name, const char *s)
{
	/* Read the whole string: ASan checks it is terminated in bounds. */
	assert_true(strlen(s) < 1u << 20);
}

static void null_flag(void *ctx, const char *name, bool v)
{
}

/* Written so that the reads of a blob are not optimised away. */
u8 unit_sink;

static void null_blob(void *ctx, const char *name, const u8 *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		unit_sink ^= d[i];
}

/*
 * Userspace only: 200,000 deterministic byte mutations of the vectors
 * through rdpdr_describe() and every parse function. The fuzzer does this
 * better; this runs in every "make unit" without clang.
 */
static void mutation_smoke(void **state)
{
	static const int majors[] = { -1, IRP_MJ_CREATE, IRP_MJ_CLOSE,
				      IRP_MJ_WRITE };
	struct rdpdr_visitor v = {
		null_begin, null_end, null_num, null_str, null_flag,
		null_blob, NULL,
	};
	union rdpdr_tparsed *p = malloc(sizeof(*p));
	unsigned int nvec = rdpdr_vector_count();
	u64 seed = 0x9e3779b97f4a7c15ULL;
	struct rdpdr_err err;
	int iter, k;

	assert_non_null(p);
	for (iter = 0; iter < 200000; iter++) {
		unsigned int vlen;
		const u8 *data = rdpdr_vector_bytes(rng(&seed) % nvec, &vlen);
		size_t len = vlen, i, nmut = 1 + rng(&seed) % 4;
		u8 *buf;

		if (rng(&seed) % 8 == 0)
			len = rng(&seed) % (len + 1);
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		memcpy(buf, data, len);
		for (i = 0; i < nmut && len; i++) {
			size_t at = rng(&seed) % len;

			switch (rng(&seed) % 4) {
			case 0:
				buf[at] = rng(&seed);
				break;
			case 1:
				buf[at] ^= 1u << (rng(&seed) % 8);
				break;
			case 2:
				buf[at] = rng(&seed) % 2 ? 0xff : 0;
				break;
			default:
				buf[at] += 1;
				break;
			}
		}
		for (k = 0; k < 4; k++)
			rdpdr_describe(buf, len, majors[k], &v, &err);
		for (k = RDPDR_TK_HDR_ONLY; k <= RDPDR_TK_HDR; k++)
			rdpdr_tparse(k, buf, len, p, &err);
		free(buf);
	}
	free(p);
}

int main(int argc, char **argv)
{
	unsigned int n = rdpdr_tcase_count(), i, m = 0;
	struct CMUnitTest *tests;
	int rc;

	tests = calloc(n + 1, sizeof(*tests));
	if (!tests)
		return 2;
	for (i = 0; i < n; i++) {
		const struct rdpdr_tcase *c = rdpdr_tcase_get(i);
		size_t len = strlen(c->group) + strlen(c->name) + 2;
		char *name = malloc(len);

		if (!name)
			return 2;
		snprintf(name, len, "%s/%s", c->group, c->name);
		if (argc > 1 && !strstr(name, argv[1])) {
			free(name);
			continue;
		}
		tests[m].name = name;
		tests[m].test_func = run_case;
		tests[m].initial_state = (void *)c;
		m++;
	}
	if (argc < 2 || strstr("userspace/mutation_smoke", argv[1])) {
		tests[m].name = "userspace/mutation_smoke";
		tests[m].test_func = mutation_smoke;
		m++;
	}
	rc = _cmocka_run_group_tests("rdpdr_wire", tests, m, NULL, NULL);
	for (i = 0; i < m; i++)
		if (tests[i].test_func == run_case)
			free((char *)tests[i].name);
	free(tests);
	return rc ? 1 : 0;
}
