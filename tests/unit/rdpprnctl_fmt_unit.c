// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnctl_fmt_unit.c - what rdpprnctl prints (userspace/rdpprnctl/
 * fmt.c): the stable JSON keys, null for missing attributes, and escaping
 * of the names RDP clients choose, in JSON and in tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ctl.h"

static char *out_buf;
static size_t out_len;

static FILE *out_open(void)
{
	FILE *f = open_memstream(&out_buf, &out_len);

	assert_non_null(f);
	return f;
}

static const char *out_close(FILE *f)
{
	fclose(f);
	return out_buf;
}

static void set_u(struct rdpprn_nl_obj *o, int attr, u64 v)
{
	o->u[attr] = v;
	o->has |= 1ULL << attr;
}

static void set_s(struct rdpprn_nl_obj *o, int attr, const char *s)
{
	o->s[attr] = s;
	o->has |= 1ULL << attr;
}

static void printer(struct rdpprn_nl_obj *o, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->cmd = RDPPRN_CMD_DEVICE_GET;
	set_u(o, RDPPRN_A_SESSION_ID, 3);
	set_u(o, RDPPRN_A_DEVICE_ID, 2);
	set_s(o, RDPPRN_A_DEV_NAME, "rdpprn0");
	set_u(o, RDPPRN_A_MINOR, 0);
	set_s(o, RDPPRN_A_PRINTER_NAME, name);
	set_s(o, RDPPRN_A_DRIVER_NAME, "HP Universal");
	set_s(o, RDPPRN_A_DOS_NAME, "PRN2");
	set_u(o, RDPPRN_A_FLAGS, RDPPRN_PRINTER_F_DEFAULT |
	      RDPPRN_PRINTER_F_XPS);
	set_u(o, RDPPRN_A_UID, 1000);
	set_u(o, RDPPRN_A_GID, 1000);
	set_u(o, RDPPRN_A_OPEN_JOBS, 1);
	set_u(o, RDPPRN_A_JOBS, 4);
	set_u(o, RDPPRN_A_BYTES, 1ULL << 40);
}

static void json_printer_keys(void **state)
{
	struct rdpprn_nl_obj o;
	FILE *f = out_open();

	printer(&o, "HP LaserJet");
	ctl_json_obj(f, CTL_PRINTER, NULL, &o);
	assert_string_equal(out_close(f),
			    "{\"session_id\":3,\"device_id\":2,\"dev\":\"rdpprn0\","
			    "\"minor\":0,\"printer_name\":\"HP LaserJet\","
			    "\"driver_name\":\"HP Universal\",\"dos_name\":\"PRN2\","
			    "\"flags\":18,\"default\":true,\"network\":false,"
			    "\"nested\":false,\"xps\":true,\"uid\":1000,"
			    "\"gid\":1000,\"open_jobs\":1,\"jobs\":4,"
			    "\"bytes\":1099511627776,\"errors\":null,"
			    "\"incomplete\":null}");
	free(out_buf);
}

static void json_session_and_event(void **state)
{
	struct rdpprn_nl_obj o = { .cmd = RDPPRN_CMD_SESSION_EVENT };
	FILE *f = out_open();

	set_u(&o, RDPPRN_A_SESSION_ID, 7);
	set_u(&o, RDPPRN_A_SESSION_STATE, 0);
	ctl_json_obj(f, CTL_SESSION, "session_event", &o);
	assert_string_equal(out_close(f),
			    "{\"event\":\"session_event\",\"session_id\":7,"
			    "\"uid\":null,\"gid\":null,\"client_name\":null,"
			    "\"client_address\":null,"
			    "\"owner_portid\":null,\"printers\":null,"
			    "\"errors\":null,\"orphans\":null,"
			    "\"state\":\"ended\"}");
	free(out_buf);
}

static void json_job_state(void **state)
{
	struct rdpprn_nl_obj o = { .cmd = RDPPRN_CMD_JOB_GET };
	FILE *f = out_open();

	set_u(&o, RDPPRN_A_JOB_STATE, RDPPRN_JOB_CLOSING);
	ctl_json_obj(f, CTL_JOB, NULL, &o);
	assert_non_null(strstr(out_close(f), "\"state\":\"closing\""));
	free(out_buf);
	assert_string_equal(ctl_job_state(99), "unknown");
}

/* A hostile name cannot break the JSON or reach the terminal raw. */
static void json_escaping(void **state)
{
	FILE *f = out_open();

	rdpprn_json_str(f, "a\"b\\c\n\x1b[31m\x7f\xc2\x9b\xc3\xa9");
	assert_string_equal(out_close(f),
			    "\"a\\\"b\\\\c\\u000a\\u001b[31m\\u007f\\u009b\xc3\xa9\"");
	free(out_buf);
}

static void table_escaping(void **state)
{
	struct rdpprn_nl_obj o;
	FILE *f = out_open();
	const char *t;

	printer(&o, "Evil\x1b]0;pwned\x07");
	ctl_table_row(f, CTL_PRINTER, &o);
	t = out_close(f);
	assert_null(strchr(t, '\x1b'));
	assert_non_null(strstr(t, "Evil\\x1b]0;pwned\\x07 (HP Universal)"));
	assert_non_null(strstr(t, "default,xps"));
	free(out_buf);
}

static void flag_words(void **state)
{
	char buf[64];

	assert_string_equal(ctl_flag_words(0, buf, sizeof(buf)), "-");
	assert_string_equal(ctl_flag_words(0x1f, buf, sizeof(buf)),
			    "default,network,nested,xps,ascii");
	/* a short buffer is cut, never overrun */
	assert_string_equal(ctl_flag_words(0x1f, buf, 10), "default,n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_printer_keys),
		cmocka_unit_test(json_session_and_event),
		cmocka_unit_test(json_job_state),
		cmocka_unit_test(json_escaping),
		cmocka_unit_test(table_escaping),
		cmocka_unit_test(flag_words),
	};

	return cmocka_run_group_tests_name("rdpprnctl_fmt", tests, NULL,
					   NULL);
}
