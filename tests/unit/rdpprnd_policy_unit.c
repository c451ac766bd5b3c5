// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnd_policy_unit.c - the site policy decision (rdpprnd/policy.c):
 * every redirect mode, include/exclude patterns, the DEFAULT flag and
 * max_printers.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "policy.h"

#define DEF	RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER
#define XPS	RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT

static int setup(void **state)
{
	struct rdpprn_policy *p = calloc(1, sizeof(*p));

	rdpprn_policy_init(p);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	rdpprn_policy_free(*state);
	free(*state);
	return 0;
}

static struct rdpprn_verdict decide(struct rdpprn_policy *p,
				    const char *name, u32 flags,
				    unsigned int accepted, bool have_default)
{
	struct rdpprn_policy_state st = { accepted, have_default };
	struct rdpprn_verdict v;

	rdpprn_policy_decide(p, name, flags, &st, &v);
	return v;
}

static void defaults(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	assert_int_equal(p->redirect, RDPPRN_REDIRECT_ALL);
	assert_true(p->default_follows_client);
	assert_int_equal(p->max_printers, 0);
	v = decide(p, "HP LaserJet", DEF | XPS, 0, false);
	assert_true(v.accept);
	assert_int_equal(v.status, STATUS_SUCCESS);
	assert_int_equal(v.flags, DEF | XPS);
	/* no limit of its own: the kernel's max_printers applies */
	v = decide(p, "HP LaserJet", 0, 10000, false);
	assert_true(v.accept);
}

static void mode_none(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	p->redirect = RDPPRN_REDIRECT_NONE;
	v = decide(p, "HP", DEF, 0, false);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_NOT_SUPPORTED);
	assert_string_equal(v.reason, "printer redirection is disabled");
	/* an include pattern does not bring printing back */
	rdpprn_policy_add(p, false, "*");
	v = decide(p, "HP", DEF, 0, false);
	assert_int_equal(v.status, STATUS_NOT_SUPPORTED);
}

static void mode_default(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	p->redirect = RDPPRN_REDIRECT_DEFAULT;
	v = decide(p, "HP", 0, 0, false);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_ACCESS_DENIED);
	v = decide(p, "HP", DEF, 0, false);
	assert_true(v.accept);
	assert_int_equal(v.flags, DEF);
	/* a second printer marked DEFAULT: the session has one already */
	v = decide(p, "Canon", DEF, 1, true);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_ACCESS_DENIED);
	/* the default printer may still be excluded by name */
	rdpprn_policy_add(p, true, "HP*");
	v = decide(p, "HP", DEF, 0, false);
	assert_false(v.accept);
	assert_string_equal(v.pattern, "HP*");
}

static void mode_default_not_following(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	/* only the default printer, but it does not become the default */
	p->redirect = RDPPRN_REDIRECT_DEFAULT;
	p->default_follows_client = false;
	v = decide(p, "HP", DEF | XPS, 0, false);
	assert_true(v.accept);
	assert_int_equal(v.flags, XPS);
}

static void exclude_patterns(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	rdpprn_policy_add(p, true, "Microsoft Print to PDF");
	rdpprn_policy_add(p, true, "*Fax*");
	v = decide(p, "Microsoft Print to PDF", 0, 0, false);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_ACCESS_DENIED);
	assert_string_equal(v.pattern, "Microsoft Print to PDF");
	v = decide(p, "Fax", 0, 0, false);
	assert_false(v.accept);
	assert_string_equal(v.pattern, "*Fax*");
	/* case does not matter, as for Windows printer names */
	v = decide(p, "microsoft print to pdf", 0, 0, false);
	assert_false(v.accept);
	v = decide(p, "Brother HL-2270DW", 0, 0, false);
	assert_true(v.accept);
}

static void include_patterns(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	rdpprn_policy_add(p, false, "HP *");
	rdpprn_policy_add(p, false, "\\\\print01\\*");
	v = decide(p, "HP LaserJet", 0, 0, false);
	assert_true(v.accept);
	/* '\' is literal: network printers are \\server\queue */
	v = decide(p, "\\\\print01\\Floor 2", 0, 0, false);
	assert_true(v.accept);
	v = decide(p, "\\\\print02\\Floor 2", 0, 0, false);
	assert_false(v.accept);
	assert_string_equal(v.reason, "matches no include pattern");
	v = decide(p, "Canon", 0, 0, false);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_ACCESS_DENIED);
}

static void exclude_beats_include(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	rdpprn_policy_add(p, false, "*");
	rdpprn_policy_add(p, true, "*PDF*");
	v = decide(p, "Adobe PDF", 0, 0, false);
	assert_false(v.accept);
	assert_string_equal(v.reason, "excluded");
	v = decide(p, "Adobe Printer", 0, 0, false);
	assert_true(v.accept);
}

static void utf8_patterns(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	/* with a UTF-8 locale, '?' is one character, not one byte */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	rdpprn_policy_add(p, true, "Dr?cker");
	v = decide(p, "Drücker", 0, 0, false);
	assert_false(v.accept);
	setlocale(LC_CTYPE, "C");
}

static void default_flag(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	/* the client's default stays the default ... */
	v = decide(p, "HP", DEF, 0, false);
	assert_int_equal(v.flags, DEF);
	/* ... unless the session has one already: at most one */
	v = decide(p, "Canon", DEF | XPS, 1, true);
	assert_true(v.accept);
	assert_int_equal(v.flags, XPS);
	/* default_follows_client = no clears it always */
	p->default_follows_client = false;
	v = decide(p, "HP", DEF | XPS, 0, false);
	assert_true(v.accept);
	assert_int_equal(v.flags, XPS);
	/* other flags pass unchanged */
	v = decide(p, "HP", 0x1d, 0, false);
	assert_int_equal(v.flags, 0x1d);
}

static void limit(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict v;

	p->max_printers = 2;
	assert_true(decide(p, "A", 0, 0, false).accept);
	assert_true(decide(p, "B", 0, 1, false).accept);
	v = decide(p, "C", 0, 2, false);
	assert_false(v.accept);
	assert_int_equal(v.status, STATUS_INSUFFICIENT_RESOURCES);
	assert_string_equal(v.reason, "max_printers reached");
	/* a refusal by name wins over the limit's */
	rdpprn_policy_add(p, true, "C");
	v = decide(p, "C", 0, 2, false);
	assert_int_equal(v.status, STATUS_ACCESS_DENIED);
}

static void pure(void **state)
{
	struct rdpprn_policy *p = *state;
	struct rdpprn_verdict a, b;

	rdpprn_policy_add(p, true, "*Fax*");
	a = decide(p, "My Fax", DEF, 3, true);
	b = decide(p, "My Fax", DEF, 3, true);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void patterns_bounded(void **state)
{
	struct rdpprn_policy *p = *state;
	int i;

	for (i = 0; i < RDPPRN_POLICY_MAX_PATTERNS; i++)
		assert_int_equal(rdpprn_policy_add(p, true, "x"), 0);
	assert_int_equal(rdpprn_policy_add(p, true, "x"), -E2BIG);
	assert_int_equal(rdpprn_policy_add(p, false, "x"), 0);
}

static void names(void **state)
{
	enum rdpprn_redirect r;

	assert_int_equal(rdpprn_redirect_parse("default", &r), 0);
	assert_int_equal(r, RDPPRN_REDIRECT_DEFAULT);
	assert_int_equal(rdpprn_redirect_parse("none", &r), 0);
	assert_int_equal(r, RDPPRN_REDIRECT_NONE);
	assert_int_equal(rdpprn_redirect_parse("All", &r), -EINVAL);
	assert_string_equal(rdpprn_redirect_name(RDPPRN_REDIRECT_ALL), "all");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(mode_none, setup, teardown),
		cmocka_unit_test_setup_teardown(mode_default, setup, teardown),
		cmocka_unit_test_setup_teardown(mode_default_not_following,
						setup, teardown),
		cmocka_unit_test_setup_teardown(exclude_patterns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(include_patterns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(exclude_beats_include, setup,
						teardown),
		cmocka_unit_test_setup_teardown(utf8_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(default_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(limit, setup, teardown),
		cmocka_unit_test_setup_teardown(pure, setup, teardown),
		cmocka_unit_test_setup_teardown(patterns_bounded, setup,
						teardown),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests_name("rdpprnd_policy", tests, NULL,
					   NULL);
}
