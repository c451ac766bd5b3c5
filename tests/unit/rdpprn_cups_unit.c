// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn_cups_unit.c - the CUPS backend's core (userspace/cups/): device
 * URIs with the names hostile clients choose, resolution against a fake
 * /sys/class/rdpprn in a temporary directory, the failure table, the
 * discovery lines and the owner check.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <cups/backend.h>

#include "rdpprn_cups.h"

/* ---- URIs ---------------------------------------------------------- */

static const char *const hostile[] = {
	"HP LaserJet 4000 Series PCL6",
	"a/b/c",
	"/",
	"100%",
	"%41",
	"x?id=3",
	"frag#part",
	"Drucker \xc3\xbc \xe2\x82\xac \xe6\x89\x93\xe5\x8d\xb0\xe6\x9c\xba",
	"",
	"quote\" back\\slash",
	"tab\tnew\nline",
	"~-._",
	"\x7f\x01",
};

static void roundtrip(const char *user, const char *client,
		      const char *printer, const uint32_t *id)
{
	char buf[RDPPRN_CUPS_URI_MAX];
	struct rdpprn_uri *u;
	const char *p;
	int n;

	n = rdpprn_uri_build(buf, sizeof(buf), user, client, printer, id);
	assert_int_equal(n, (int)strlen(buf));
	/* nothing a shell, CUPS or a path split would trip over */
	for (p = buf + strlen("rdpprn://"); *p && *p != '?'; p++)
		assert_true(*p > 0x20 && *p < 0x7f && *p != '?' && *p != '#');
	assert_int_equal(rdpprn_uri_parse(buf, &u), 0);
	assert_string_equal(u->user, user);
	assert_string_equal(u->client, client);
	assert_string_equal(u->printer, printer);
	assert_int_equal(u->has_id, !!id);
	if (id)
		assert_int_equal(u->device_id, *id);
	rdpprn_uri_free(u);
}

static void test_uri_roundtrip(void **state)
{
	uint32_t ids[] = { 0, 2, UINT32_MAX };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		for (j = 0; j < ARRAY_SIZE(hostile); j++)
			roundtrip("alice", hostile[i], hostile[j], NULL);
		roundtrip(hostile[i][0] ? hostile[i] : "x", "PC", hostile[i],
			  &ids[i % ARRAY_SIZE(ids)]);
	}
}

static void test_uri_build(void **state)
{
	char buf[RDPPRN_CUPS_URI_MAX], big[2048];
	uint32_t id = 2;

	assert_int_equal(rdpprn_uri_build(buf, sizeof(buf), "alice", "PC 1",
					  "HP/Laser", &id), 37);
	assert_string_equal(buf, "rdpprn://alice/PC%201/HP%2FLaser?id=2");
	assert_int_equal(rdpprn_uri_build(buf, sizeof(buf), "", "c", "p",
					  NULL), -EINVAL);
	/* 340 '/' are 1020 encoded bytes: over CUPS's limit with the rest */
	memset(big, '/', 340);
	big[340] = '\0';
	assert_int_equal(rdpprn_uri_build(big + 400, 1600, "u", "c", big,
					  NULL), -ENAMETOOLONG);
	memset(big, 'a', 1000);
	big[1000] = '\0';
	assert_int_equal(rdpprn_uri_build(buf, sizeof(buf), "u", "c", big,
					  NULL), 1013);
	assert_int_equal(rdpprn_uri_build(buf, 20, "u", "c", big, NULL),
			 -ENAMETOOLONG);
	assert_string_equal(buf, "");
}

static void test_uri_parse(void **state)
{
	static const char *const bad[] = {
		"", "rdpprn:", "rdpprn://", "rdpprn:///c/p", "rdpprn://u",
		"rdpprn://u/c", "rdpprn://u/c/p/q", "rdpprn://u/c/p%2",
		"rdpprn://u/c/p%zz", "rdpprn://u/c/p%00", "rdpprn://u/c/a b",
		"rdpprn://u/c/p?", "rdpprn://u/c/p?id=", "rdpprn://u/c/p?id=01",
		"rdpprn://u/c/p?id=-1", "rdpprn://u/c/p?id=+1",
		"rdpprn://u/c/p?id=4294967296", "rdpprn://u/c/p?x=1",
		"rdpprn://u/c/p?id=1&x=2", "rdpprn://u/c/p?id=1?id=2",
		"rdpprn://u/c/p#x", "RDPPRN://u/c/p", "ipp://u/c/p",
		"rdpprn://u/c/\xc3\xbc", "rdpprn://u/c/p\n",
	};
	struct rdpprn_uri *u;
	char *big;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u = (void *)1;
		assert_int_equal(rdpprn_uri_parse(bad[i], &u), -EINVAL);
		assert_null(u);
	}
	big = malloc(RDPPRN_CUPS_URI_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', RDPPRN_CUPS_URI_MAX);
	memcpy(big, "rdpprn://u/c/", 13);
	big[RDPPRN_CUPS_URI_MAX] = '\0';
	assert_int_equal(rdpprn_uri_parse(big, &u), -ENAMETOOLONG);
	big[RDPPRN_CUPS_URI_MAX - 1] = '\0';
	assert_int_equal(rdpprn_uri_parse(big, &u), 0);
	rdpprn_uri_free(u);
	free(big);

	assert_int_equal(rdpprn_uri_parse("rdpprn://u//", &u), 0);
	assert_string_equal(u->client, "");
	assert_string_equal(u->printer, "");
	rdpprn_uri_free(u);
	assert_int_equal(rdpprn_uri_parse("rdpprn://bob/PC/%e2%82%ac%2f!?id=4294967295",
					  &u), 0);
	assert_string_equal(u->user, "bob");
	assert_string_equal(u->printer, "\xe2\x82\xac/!");
	assert_true(u->has_id);
	assert_int_equal(u->device_id, UINT32_MAX);
	rdpprn_uri_free(u);
}

/* ---- a fake /sys/class/rdpprn -------------------------------------- */

static char tree[64];

static void put(const char *dev, const char *attr, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tree, dev);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", tree, dev, attr);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A printer as the module shows it (attributes end in a newline). */
static void fake(const char *dev, unsigned int minor, unsigned int uid,
		 unsigned int session, unsigned int id, const char *client,
		 const char *name)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "MAJOR=240\nMINOR=%u\nDEVNAME=%s\nRDPPRN_NAME=x\n"
		 "RDPPRN_CLIENT=y\nRDPPRN_SESSION=%u\nRDPPRN_UID=%u\n"
		 "RDPPRN_GID=%u\nRDPPRN_DEFAULT=%d\nRDPPRN_DEVICE_ID=%u\n",
		 minor, dev, session, uid, uid, id == 2, id);
	put(dev, "uevent", text);
	snprintf(text, sizeof(text), "%s\n", name);
	put(dev, "printer_name", text);
	snprintf(text, sizeof(text), "%s\n", client);
	put(dev, "client_name", text);
	put(dev, "driver_name", "HP Universal Printing PCL 6\n");
}

static int tree_setup(void **state)
{
	strcpy(tree, "/tmp/rdpprn-cups-unit.XXXXXX");
	assert_non_null(mkdtemp(tree));
	return 0;
}

static int tree_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void gone(const char *dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -r '%s/%s'", tree, dev);
	assert_int_equal(system(cmd), 0);
}

static int resolve(const char *uri, uid_t uid, const char **dev)
{
	struct rdpprn_printer *list;
	struct rdpprn_uri *u;
	size_t n;
	int i;

	assert_int_equal(rdpprn_scan(tree, &list, &n), 0);
	assert_int_equal(rdpprn_uri_parse(uri, &u), 0);
	i = rdpprn_resolve(list, n, u, uid);
	*dev = i >= 0 ? strdup(list[i].devname) : NULL;
	rdpprn_uri_free(u);
	rdpprn_printers_free(list, n);
	return i;
}

static void expect(const char *uri, uid_t uid, const char *want)
{
	const char *dev;

	if (!want) {
		assert_int_equal(resolve(uri, uid, &dev), -ENOENT);
		return;
	}
	assert_true(resolve(uri, uid, &dev) >= 0);
	assert_string_equal(dev, want);
	free((void *)dev);
}

static void test_resolve(void **state)
{
	struct rdpprn_printer *list;
	size_t n;

	fake("rdpprn0", 0, 1000, 3, 2, "PC1", "HP");
	fake("rdpprn1", 1, 1000, 5, 2, "PC1", "HP");	/* newer session */
	fake("rdpprn2", 2, 1001, 7, 2, "PC1", "HP");	/* bob's */
	fake("rdpprn3", 3, 1000, 5, 7, "PC1", "HP");	/* same name again */
	fake("rdpprn4", 4, 1000, 5, 3, "PC1", "a/b");
	fake("rdpprn5", 5, 1000, 6, 1, "PC2", "HP");
	/* half gone: no uevent, so not whose it is */
	put("rdpprn6", "printer_name", "HP\n");
	/* DEVNAME that is not the directory's */
	fake("rdpprn7", 7, 1000, 9, 2, "PC1", "HP");
	put("rdpprn7", "uevent", "MAJOR=240\nMINOR=7\nDEVNAME=rdpprn1\n"
	    "RDPPRN_SESSION=9\nRDPPRN_UID=1000\nRDPPRN_GID=1000\n"
	    "RDPPRN_DEFAULT=0\nRDPPRN_DEVICE_ID=2\n");
	/* not an rdpprn device name */
	fake("rdpprnX", 8, 1000, 9, 2, "PC1", "HP");
	put("other", "uevent", "x");

	assert_int_equal(rdpprn_scan(tree, &list, &n), 0);
	assert_int_equal(n, 6);
	rdpprn_printers_free(list, n);

	expect("rdpprn://alice/PC1/HP", 1000, "rdpprn1");
	expect("rdpprn://alice/PC1/HP?id=7", 1000, "rdpprn3");
	expect("rdpprn://alice/PC1/HP?id=2", 1000, "rdpprn1");
	expect("rdpprn://alice/PC1/HP?id=9", 1000, NULL);
	expect("rdpprn://alice/PC1/a%2Fb", 1000, "rdpprn4");
	expect("rdpprn://alice/PC2/HP", 1000, "rdpprn5");
	expect("rdpprn://alice/pc1/HP", 1000, NULL);
	expect("rdpprn://alice/PC1/hp", 1000, NULL);
	expect("rdpprn://bob/PC1/HP", 1001, "rdpprn2");
	/* the URI's user is looked up by the caller: the uid decides */
	expect("rdpprn://bob/PC1/HP", 1002, NULL);

	/* the newest session's printer goes: the next one takes over */
	gone("rdpprn1");
	expect("rdpprn://alice/PC1/HP", 1000, "rdpprn3");
	gone("rdpprn3");
	expect("rdpprn://alice/PC1/HP", 1000, "rdpprn0");
	expect("rdpprn://alice/PC1/HP?id=7", 1000, NULL);
}

static void test_scan_missing(void **state)
{
	struct rdpprn_printer *list = (void *)1;
	struct rdpprn_printer p;
	char path[256];
	size_t n = 1;
	FILE *f;

	/* no module loaded: no printers, no error */
	assert_int_equal(rdpprn_scan("/nonexistent/rdpprn", &list, &n), 0);
	assert_int_equal(n, 0);
	assert_null(list);
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn9", &p), -ENOENT);
	assert_int_equal(rdpprn_read_printer(tree, "../etc", &p), -EINVAL);
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn", &p), -EINVAL);
	/* a NUL inside a name */
	fake("rdpprn1", 1, 1000, 5, 2, "PC1", "HP");
	snprintf(path, sizeof(path), "%s/rdpprn1/printer_name", tree);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("H\0P\n", 1, 4, f);
	fclose(f);
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn1", &p), -EINVAL);

	/* the uevent file must say whose it is, in numbers */
	fake("rdpprn2", 2, 1000, 5, 2, "PC1", "HP");
	put("rdpprn2", "uevent", "MAJOR=240\nMINOR=2\nDEVNAME=rdpprn2\n"
	    "DEVMODE=0600\nRDPPRN_SESSION=5\nRDPPRN_UID=1000\n"
	    "RDPPRN_GID=1000\nRDPPRN_DEVICE_ID=2\n");
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn2", &p), -EINVAL);
	put("rdpprn2", "uevent", "MAJOR=240\nMINOR=2\nDEVNAME=rdpprn2\n"
	    "RDPPRN_SESSION=5\nRDPPRN_UID=-1\nRDPPRN_GID=1000\n"
	    "RDPPRN_DEFAULT=0\nRDPPRN_DEVICE_ID=2\n");
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn2", &p), -EINVAL);
	put("rdpprn2", "uevent", "MAJOR=240\nMINOR=2\nDEVNAME=rdpprn2\n"
	    "DEVMODE=0600\nRDPPRN_SESSION=5\nRDPPRN_UID=1000\n"
	    "RDPPRN_GID=1000\nRDPPRN_DEFAULT=1\nRDPPRN_DEVICE_ID=4294967295\n");
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn2", &p), 0);
	assert_true(p.is_default);
	assert_int_equal(p.device_id, UINT32_MAX);
	assert_string_equal(p.printer_name, "HP");
	rdpprn_printer_clear(&p);

	/* a name longer than a sysfs page cannot come from the module */
	snprintf(path, sizeof(path), "%s/rdpprn2/printer_name", tree);
	f = fopen(path, "w");
	assert_non_null(f);
	for (n = 0; n < RDPPRN_CUPS_NAME_MAX + 1; n++)
		fputc('x', f);
	fclose(f);
	assert_int_equal(rdpprn_read_printer(tree, "rdpprn2", &p), -EFBIG);
}

/* ---- the failure table --------------------------------------------- */

static void row(enum rdpprn_stage st, int err, int code, const char *state)
{
	struct rdpprn_outcome o = rdpprn_outcome(st, err);

	assert_int_equal(o.exit_code, code);
	if (state)
		assert_string_equal(o.state, state);
	else
		assert_null(o.state);
	assert_non_null(o.reason);
	o = rdpprn_outcome(st, -err);
	assert_int_equal(o.exit_code, code);
}

static void test_errors(void **state)
{
	char *buf = NULL;
	size_t len;
	FILE *f;

	row(RDPPRN_STAGE_URI, 0, CUPS_BACKEND_STOP, NULL);
	row(RDPPRN_STAGE_RESOLVE, 0, CUPS_BACKEND_RETRY, "offline-report");
	row(RDPPRN_STAGE_OWNER, 0, CUPS_BACKEND_CANCEL, NULL);
	row(RDPPRN_STAGE_OWNER, EPERM, CUPS_BACKEND_CANCEL, NULL);
	row(RDPPRN_STAGE_INPUT, EIO, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_SETUP, EPERM, CUPS_BACKEND_STOP, NULL);
	row(RDPPRN_STAGE_OPEN, ENODEV, CUPS_BACKEND_RETRY, "offline-report");
	row(RDPPRN_STAGE_OPEN, ENOENT, CUPS_BACKEND_RETRY, "offline-report");
	row(RDPPRN_STAGE_OPEN, EBUSY, CUPS_BACKEND_RETRY, NULL);
	row(RDPPRN_STAGE_OPEN, EAGAIN, CUPS_BACKEND_RETRY, NULL);
	row(RDPPRN_STAGE_OPEN, ETIMEDOUT, CUPS_BACKEND_RETRY, "timed-out");
	row(RDPPRN_STAGE_OPEN, ENOSPC, CUPS_BACKEND_RETRY, NULL);
	row(RDPPRN_STAGE_OPEN, ENOMEM, CUPS_BACKEND_RETRY, NULL);
	row(RDPPRN_STAGE_OPEN, EACCES, CUPS_BACKEND_STOP, NULL);
	row(RDPPRN_STAGE_OPEN, EPERM, CUPS_BACKEND_STOP, NULL);
	row(RDPPRN_STAGE_OPEN, ECANCELED, CUPS_BACKEND_CANCEL, NULL);
	row(RDPPRN_STAGE_OPEN, EIO, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_OPEN, EINVAL, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_OPEN, EOPNOTSUPP, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_FORMAT, ENODEV, CUPS_BACKEND_RETRY, "offline-report");
	row(RDPPRN_STAGE_FORMAT, ENOTTY, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_DATA, ENODEV, CUPS_BACKEND_RETRY, "offline-report");
	row(RDPPRN_STAGE_DATA, ECANCELED, CUPS_BACKEND_CANCEL, NULL);
	row(RDPPRN_STAGE_DATA, ETIMEDOUT, CUPS_BACKEND_FAILED, "timed-out");
	row(RDPPRN_STAGE_DATA, EIO, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_DATA, ENOSPC, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_DATA, EINVAL, CUPS_BACKEND_FAILED, NULL);
	row(RDPPRN_STAGE_CANCEL, 0, CUPS_BACKEND_FAILED, NULL);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	rdpprn_report(f, RDPPRN_STAGE_DATA, -ENODEV, "rdpprn://a/b/c");
	rdpprn_report(f, RDPPRN_STAGE_OWNER, 0, NULL);
	fclose(f);
	assert_string_equal(buf,
			    "STATE: +offline-report\n"
			    "ERROR: rdpprn: printer disconnected during the job: "
			    "rdpprn://a/b/c: No such device\n"
			    "ERROR: rdpprn: the job's user is not the printer's owner\n");
	free(buf);
}

/* ---- discovery ----------------------------------------------------- */

static char *discover(const char *only)
{
	struct rdpprn_printer *list;
	char *buf = NULL;
	size_t n, len;
	FILE *f;

	assert_int_equal(rdpprn_scan(tree, &list, &n), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	rdpprn_discover(f, list, n, only);
	fclose(f);
	rdpprn_printers_free(list, n);
	return buf;
}

static void test_discover(void **state)
{
	char *out;

	/* uid 0 is root on every system the tests run on */
	fake("rdpprn0", 0, 0, 3, 2, "PC1", "HP \"Laser\\Jet\"\n4");
	out = discover(NULL);
	assert_string_equal(out, "direct rdpprn://root/PC1/HP%20%22Laser%5CJet%22%0A4 "
			    "\"HP Universal Printing PCL 6\" "
			    "\"HP 'Laser/Jet' 4 on PC1 (root, session 3)\" \"\" \"PC1\"\n");
	free(out);
	out = discover("nobody-such");
	assert_string_equal(out, "");
	free(out);

	/* a second printer of the name in a newer session takes the plain
	 * URI; the older one keeps the ?id= form while their ids differ
	 */
	fake("rdpprn1", 1, 0, 4, 5, "PC1", "HP \"Laser\\Jet\"\n4");
	out = discover("root");
	assert_non_null(strstr(out, "direct rdpprn://root/PC1/HP%20%22Laser%5CJet%22%0A4?id=2 "));
	assert_non_null(strstr(out, "direct rdpprn://root/PC1/HP%20%22Laser%5CJet%22%0A4 "));
	free(out);
	/* with equal ids the older one has no URI of its own: not listed */
	fake("rdpprn1", 1, 0, 4, 2, "PC1", "HP \"Laser\\Jet\"\n4");
	out = discover(NULL);
	assert_non_null(strstr(out, "session 4"));
	assert_null(strstr(out, "session 3"));
	assert_null(strstr(out, "?id="));
	free(out);
}

/* ---- the owner check ----------------------------------------------- */

static void test_owner(void **state)
{
	assert_int_equal(rdpprn_check_owner("root", 0), 0);
	assert_int_equal(rdpprn_check_owner("root", 1000), -EPERM);
	assert_int_equal(rdpprn_check_owner("no-such-user-rdpprn", 0), -ESRCH);
	assert_int_equal(rdpprn_check_owner("", 0), -ESRCH);
	assert_int_equal(rdpprn_check_owner(NULL, 0), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_roundtrip),
		cmocka_unit_test(test_uri_build),
		cmocka_unit_test(test_uri_parse),
		cmocka_unit_test_setup_teardown(test_resolve, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(test_scan_missing, tree_setup,
						tree_teardown),
		cmocka_unit_test(test_errors),
		cmocka_unit_test_setup_teardown(test_discover, tree_setup,
						tree_teardown),
		cmocka_unit_test(test_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
