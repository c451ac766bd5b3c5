// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnd_config_unit.c - the "key = value" parser (userspace/lib/
 * config.c) and rdpprnd's keys (rdpprnd/conf.c), including the example
 * configuration shipped as userspace/rdpprnd/rdpprnd.conf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rdpprn_log.h"
#include "rdpprnd.h"

#ifndef EXAMPLE_CONF
#define EXAMPLE_CONF	"userspace/rdpprnd/rdpprnd.conf"
#endif

static int setup(void **state)
{
	struct rdpprnd_config *c = calloc(1, sizeof(*c));

	rdpprnd_config_init(c);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	rdpprnd_config_free(*state);
	free(*state);
	return 0;
}

static int parse(struct rdpprnd_config *c, const char *text,
		 struct rdpprn_config_err *err)
{
	return rdpprnd_config_parse(c, text, strlen(text), err);
}

static void defaults(void **state)
{
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;

	assert_int_equal(parse(c, "", &err), 0);
	assert_int_equal(c->policy.redirect, RDPPRN_REDIRECT_ALL);
	assert_true(c->policy.default_follows_client);
	assert_int_equal(c->policy.max_printers, 0);
	assert_int_equal(c->policy.n_include + c->policy.n_exclude, 0);
	assert_int_equal(c->max_queue, 16 << 20);
	assert_int_equal(c->send_timeout, 60);
	assert_false(c->user_sessions);
	assert_int_equal(c->max_user_sessions, 4);
}

static void every_key(void **state)
{
	static const char text[] =
		"# site policy\n"
		"\n"
		"redirect = default\n"
		"  include=HP *\n"
		"include = \"  spaced  \"\n"
		"exclude = Microsoft Print to PDF\n"
		"exclude = *Fax*\n"
		"exclude = Printer #2\n"
		"default_follows_client = no\r\n"
		"max_printers = 4\n"
		"max_queue = 2M\n"
		"send_timeout = 0\n"
		"user_sessions = yes\n"
		"max_user_sessions = 2\n"
		"\t# indented comment";
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;

	assert_int_equal(parse(c, text, &err), 0);
	assert_int_equal(c->policy.redirect, RDPPRN_REDIRECT_DEFAULT);
	assert_int_equal(c->policy.n_include, 2);
	assert_string_equal(c->policy.include[0], "HP *");
	assert_string_equal(c->policy.include[1], "  spaced  ");
	assert_int_equal(c->policy.n_exclude, 3);
	assert_string_equal(c->policy.exclude[0], "Microsoft Print to PDF");
	assert_string_equal(c->policy.exclude[1], "*Fax*");
	/* '#' is a comment only at the start of a line */
	assert_string_equal(c->policy.exclude[2], "Printer #2");
	assert_false(c->policy.default_follows_client);
	assert_int_equal(c->policy.max_printers, 4);
	assert_int_equal(c->max_queue, 2 << 20);
	assert_int_equal(c->send_timeout, 0);
	assert_true(c->user_sessions);
	assert_int_equal(c->max_user_sessions, 2);
}

static void expect_error(const char *text, unsigned int line,
			 const char *msg_part)
{
	struct rdpprnd_config c;
	struct rdpprn_config_err err;

	rdpprnd_config_init(&c);
	assert_int_equal(rdpprnd_config_parse(&c, text, strlen(text), &err),
			 -EINVAL);
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg_part))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.msg,
			 msg_part);
	rdpprnd_config_free(&c);
}

static void errors(void **state)
{
	expect_error("redirect = some\n", 1, "redirect");
	expect_error("\n\nbogus = 1\n", 3, "unknown key");
	expect_error("redirect\n", 1, "key = value");
	expect_error("Redirect = all\n", 1, "invalid key");
	expect_error("= all\n", 1, "invalid key");
	expect_error("default_follows_client = maybe\n", 1, "yes or no");
	expect_error("max_printers = -1\n", 1, "max_printers");
	expect_error("max_printers = 99999999999\n", 1, "max_printers");
	expect_error("max_queue = 1K\n", 1, "from 262144 to");
	expect_error("send_timeout = soon\n", 1, "send_timeout");
	expect_error("user_sessions = maybe\n", 1, "user_sessions: want yes");
	expect_error("max_user_sessions = 0\n", 1, "from 1 to 1024");
	expect_error("max_user_sessions = 1025\n", 1, "max_user_sessions");
	expect_error("exclude =\n", 1, "empty pattern");
	expect_error("include = \"HP\n", 1, "unterminated quote");
}

static void binary_file(void **state)
{
	static const char text[] = "redirect = all\nx\0y = 1\n";
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;

	assert_int_equal(rdpprnd_config_parse(c, text, sizeof(text) - 1, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "not a text file");
}

static void long_line(void **state)
{
	char *text = malloc(RDPPRN_CONFIG_LINE_MAX + 32);

	memcpy(text, "exclude = ", 10);
	memset(text + 10, 'a', RDPPRN_CONFIG_LINE_MAX);
	strcpy(text + 10 + RDPPRN_CONFIG_LINE_MAX, "\n");
	expect_error(text, 1, "longer than");
	free(text);
}

static void missing_file(void **state)
{
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;
	bool missing;

	assert_int_equal(rdpprnd_config_load(c, "/nonexistent/rdpprnd.conf",
					     &missing, &err), 0);
	assert_true(missing);
	assert_int_equal(c->policy.redirect, RDPPRN_REDIRECT_ALL);
}

static void file_error_names_line(void **state)
{
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;
	char path[] = "/tmp/rdpprnd-conf-XXXXXX";
	bool missing;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "redirect = all\nmax_printers = x\n", 32),
			 32);
	close(fd);
	assert_int_equal(rdpprnd_config_load(c, path, &missing, &err),
			 -EINVAL);
	assert_false(missing);
	assert_int_equal(err.line, 2);
	unlink(path);
}

/* The example shipped with the daemon parses, and means the defaults. */
static void example_file(void **state)
{
	struct rdpprnd_config *c = *state;
	struct rdpprn_config_err err;
	bool missing;

	if (access(EXAMPLE_CONF, R_OK))
		skip();
	assert_int_equal(rdpprnd_config_load(c, EXAMPLE_CONF, &missing, &err),
			 0);
	assert_false(missing);
	assert_int_equal(c->policy.redirect, RDPPRN_REDIRECT_ALL);
	assert_true(c->policy.default_follows_client);
	assert_false(c->user_sessions);
	assert_int_equal(c->max_user_sessions, 4);
}

static void bools(void **state)
{
	bool b;

	assert_int_equal(rdpprn_config_bool("Yes", &b), 0);
	assert_true(b);
	assert_int_equal(rdpprn_config_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(rdpprn_config_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(rdpprn_config_bool("", &b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(every_key, setup, teardown),
		cmocka_unit_test(errors),
		cmocka_unit_test_setup_teardown(binary_file, setup, teardown),
		cmocka_unit_test(long_line),
		cmocka_unit_test_setup_teardown(missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(file_error_names_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(example_file, setup, teardown),
		cmocka_unit_test(bools),
	};

	return cmocka_run_group_tests_name("rdpprnd_config", tests, NULL,
					   NULL);
}
