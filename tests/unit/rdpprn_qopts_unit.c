// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn_qopts_unit.c - the options that follow the user
 * (userspace/cups/qopts.c): what the agent encodes decodes to the same,
 * and every hostile blob (tests/common/rdpprn_qopts_cases.h) is refused
 * whole with its line and reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rdpprn_queued.h"
#include "rdpprn_qopts_cases.h"

static void test_round_trip(void **state)
{
	struct rdpprn_qopts o = {}, back;
	struct rdpprn_qopts_err err;
	char buf[RDPPRN_QOPTS_SIZE_MAX];
	int n;

	/* added out of order: kept sorted, so equal options encode equal */
	assert_int_equal(rdpprn_qopts_add(&o, "sides", "two-sided-long-edge"),
			 0);
	assert_int_equal(rdpprn_qopts_add(&o, "media", "iso_a4_210x297mm"), 0);
	assert_int_equal(rdpprn_qopts_add(&o, "copies", "2"), 0);
	assert_int_equal(rdpprn_qopts_add(&o, "printer-resolution", "600dpi"),
			 0);
	n = rdpprn_qopts_encode(&o, NULL, 0);
	assert_int_equal(rdpprn_qopts_encode(&o, buf, (size_t)n - 1), -ENOSPC);
	assert_int_equal(rdpprn_qopts_encode(&o, buf, sizeof(buf)), n);
	assert_int_equal(n, strlen("RDPPRN-OPTIONS 1\ncopies=2\n"
				   "media=iso_a4_210x297mm\n"
				   "printer-resolution=600dpi\n"
				   "sides=two-sided-long-edge\n"));
	assert_memory_equal(buf, "RDPPRN-OPTIONS 1\ncopies=2\n"
			    "media=iso_a4_210x297mm\n"
			    "printer-resolution=600dpi\n"
			    "sides=two-sided-long-edge\n", (size_t)n);
	assert_int_equal(rdpprn_qopts_decode(buf, (size_t)n, &back, &err), 0);
	assert_memory_equal(&back, &o, sizeof(o));

	/* no options: just the header, which decodes to none */
	memset(&o, 0, sizeof(o));
	n = rdpprn_qopts_encode(&o, buf, sizeof(buf));
	assert_int_equal(n, 17);
	assert_int_equal(rdpprn_qopts_decode(buf, (size_t)n, &back, &err), 0);
	assert_int_equal(back.n, 0);

	/* a blob in another order decodes sorted */
	n = sprintf(buf, "RDPPRN-OPTIONS 1\nsides=one-sided\ncopies=3\n");
	assert_int_equal(rdpprn_qopts_decode(buf, (size_t)n, &back, &err), 0);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.opt[0].key, "copies");
	assert_string_equal(back.opt[1].value, "one-sided");
}

static void test_add(void **state)
{
	struct rdpprn_qopts o = {};
	unsigned int i;

	assert_int_equal(rdpprn_qopts_add(&o, "PageSize", "A4"), -ENOENT);
	assert_int_equal(rdpprn_qopts_add(&o, "media", ""), -EINVAL);
	assert_int_equal(rdpprn_qopts_add(&o, "media", "A4 B"), -EINVAL);
	assert_int_equal(rdpprn_qopts_add(&o, "media", "A4"), 0);
	assert_int_equal(rdpprn_qopts_add(&o, "media", "A5"), -EEXIST);
	assert_string_equal(o.opt[0].value, "A4");
	assert_true(rdpprn_qopt_known("print-color-mode"));
	assert_false(rdpprn_qopt_known("job-sheets"));
	assert_false(rdpprn_qopt_known(""));
	/* the allow-list is shorter than the limit: fill a set by hand */
	memset(&o, 0, sizeof(o));
	for (i = 0; i < RDPPRN_QOPTS_MAX; i++) {
		snprintf(o.opt[i].key, sizeof(o.opt[i].key), "k%02u", i);
		strcpy(o.opt[i].value, "1");
	}
	o.n = RDPPRN_QOPTS_MAX;
	assert_int_equal(rdpprn_qopts_add(&o, "sides", "one-sided"), -ENOSPC);
}

static void test_hostile(void **state)
{
	const struct rdpprn_qopts_case *c;
	struct rdpprn_qopts o;
	struct rdpprn_qopts_err err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdpprn_qopts_hostile); i++) {
		c = &rdpprn_qopts_hostile[i];
		memset(&o, 0x5a, sizeof(o));
		if (rdpprn_qopts_decode(c->blob, c->len, &o, &err) != -EINVAL ||
		    err.line != c->line || !strstr(err.msg, c->why))
			fail_msg("%s: line %u \"%s\", want line %u \"%s\"",
				 c->name, err.line, err.msg, c->line, c->why);
		/* refused whole: nothing of it is left to apply */
		assert_int_equal(o.n, 0);
	}
}

static void test_limits(void **state)
{
	char buf[RDPPRN_QOPTS_SIZE_MAX + 2];
	struct rdpprn_qopts o;
	struct rdpprn_qopts_err err;
	size_t at;

	/* over the size, whatever it holds */
	memset(buf, '\n', sizeof(buf));
	memcpy(buf, "RDPPRN-OPTIONS 1\n", 17);
	assert_int_equal(rdpprn_qopts_decode(buf, RDPPRN_QOPTS_SIZE_MAX + 1,
					     &o, &err), -EMSGSIZE);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "4097 bytes"));

	/* the allow-list's 16 keys and one more line: none is too many */
	at = (size_t)sprintf(buf, "RDPPRN-OPTIONS 1\n");
	at += (size_t)sprintf(buf + at, "copies=1\nfinishings=3\nmedia=A4\n"
			      "media-source=auto\nmedia-type=stationery\n"
			      "multiple-document-handling=x\nnumber-up=1\n"
			      "number-up-layout=lrtb\n"
			      "orientation-requested=3\noutput-bin=top\n"
			      "page-delivery=same-order\n"
			      "print-color-mode=color\nprint-quality=4\n"
			      "print-scaling=auto\nprinter-resolution=600dpi\n"
			      "sides=one-sided\n");
	assert_int_equal(rdpprn_qopts_decode(buf, at, &o, &err), 0);
	assert_int_equal(o.n, 16);
	at += (size_t)sprintf(buf + at, "copies=2\n");
	assert_int_equal(rdpprn_qopts_decode(buf, at, &o, &err), -EINVAL);
	assert_int_equal(err.line, 18);
	assert_string_equal(err.msg, "copies given twice");

	/* exactly the size is fine when well formed */
	at = (size_t)sprintf(buf, "RDPPRN-OPTIONS 1\n");
	assert_int_equal(rdpprn_qopts_decode(buf, at, &o, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
