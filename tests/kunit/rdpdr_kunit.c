// SPDX-License-Identifier: GPL-2.0
/*
 * rdpdr_kunit.c - KUnit suite "rdpdr_wire": the shared RDPDR wire library
 * cases of tests/common run inside the kernel, where KASAN checks every
 * read (test buffers are kmalloc()ed at their exact size).
 *
 * Each group of cases is one parameterized KUnit test; every case is one
 * parameter, reported as its own KTAP result:
 *   vector     decoded fields of each shared test vector
 *   roundtrip  parse + build reproduces each complete vector
 *   truncate   each vector cut at every length is rejected
 *   synth      build -> parse of made-up PDUs and the string helpers
 *   malformed  hostile PDUs and their exact error code and field
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "rdpdr_test.h"

static const void *rdpdr_kunit_gen(const void *prev, char *desc,
				   const char *group)
{
	const struct rdpdr_tcase *c = rdpdr_tcase_next(prev, group);

	if (c)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
	return c;
}

static void rdpdr_kunit_run(struct kunit *test)
{
	const struct rdpdr_tcase *c = test->param_value;
	struct rdpdr_tctx *t;
	const char *msg;

	t = rdpdr_tctx_alloc();
	KUNIT_ASSERT_NOT_NULL(test, t);
	msg = c->run(t, c->arg);
	if (msg)
		KUNIT_FAIL(test, "%s/%s: %s", c->group, c->name, msg);
	rdpdr_tctx_free(t);
}

#define RDPDR_KUNIT_GROUP(group)					\
static const void *rdpdr_gen_##group(const void *prev, char *desc)	\
{									\
	return rdpdr_kunit_gen(prev, desc, #group);			\
}									\
static void group(struct kunit *test)					\
{									\
	rdpdr_kunit_run(test);						\
}

RDPDR_KUNIT_GROUP(vector)
RDPDR_KUNIT_GROUP(roundtrip)
RDPDR_KUNIT_GROUP(truncate)
RDPDR_KUNIT_GROUP(synth)
RDPDR_KUNIT_GROUP(malformed)

static struct kunit_case rdpdr_wire_cases[] = {
	KUNIT_CASE_PARAM(vector, rdpdr_gen_vector),
	KUNIT_CASE_PARAM(roundtrip, rdpdr_gen_roundtrip),
	KUNIT_CASE_PARAM(truncate, rdpdr_gen_truncate),
	KUNIT_CASE_PARAM(synth, rdpdr_gen_synth),
	KUNIT_CASE_PARAM(malformed, rdpdr_gen_malformed),
	{}
};

static struct kunit_suite rdpdr_wire_suite = {
	.name = "rdpdr_wire",
	.test_cases = rdpdr_wire_cases,
};

/* MODULE_LICENSE and MODULE_IMPORT_NS are in rdpprn_core_kunit.c. */
kunit_test_suite(rdpdr_wire_suite);
