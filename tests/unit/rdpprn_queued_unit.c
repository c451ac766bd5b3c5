// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn_queued_unit.c - the queue agent's pure part (userspace/cups/
 * queues.c, qconf.c): name templates, sanitized names, unique names,
 * the driver mapping, the plan against CUPS's queues, the configuration.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "queued_world.h"

/* ---- templates ----------------------------------------------------- */

static const struct rdpprn_qvars vars = {
	.printer = "HP LaserJet", .client = "PC1", .user = "alice",
	.device_id = 4, .session = 17,
};

static void expect_expand(const char *tmpl, const char *want)
{
	char *out;

	assert_int_equal(rdpprn_qname_expand(tmpl, &vars, &out), 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_expand(void **state)
{
	char msg[256];
	char *out;

	expect_expand("%p@%c", "HP LaserJet@PC1");
	expect_expand("%u-%p", "alice-HP LaserJet");
	expect_expand("%i/%s", "4/17");
	expect_expand("100%%", "100%");
	expect_expand("plain", "plain");
	expect_expand("%%p", "%p");
	/* unknown tokens and a lone '%' are refused, by both functions */
	assert_int_equal(rdpprn_qname_expand("%x", &vars, &out), -EINVAL);
	assert_null(out);
	assert_int_equal(rdpprn_qname_expand("a%", &vars, &out), -EINVAL);
	assert_int_equal(rdpprn_qname_check("%p@%c%u%i%s%%", msg, sizeof(msg)),
			 0);
	assert_int_equal(rdpprn_qname_check("%P", msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "%P"));
	assert_int_equal(rdpprn_qname_check("%p%", msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "end"));
	assert_int_equal(rdpprn_qname_check("", msg, sizeof(msg)), -EINVAL);
}

/* ---- sanitized names ------------------------------------------------ */

static void expect_sanitized(const char *in, const char *want)
{
	char out[RDPPRN_Q_NAME_MAX + 1];

	rdpprn_qname_sanitize(in, out);
	assert_string_equal(out, want);
}

static void test_sanitize(void **state)
{
	char big[300], out[RDPPRN_Q_NAME_MAX + 1];

	expect_sanitized("HP LaserJet@PC1", "HP_LaserJet@PC1");
	expect_sanitized("\\\\srv\\HP 4/Floor 2", "srv_HP_4_Floor_2");
	expect_sanitized("Drucker B\xc3\xbcro", "Drucker_B_ro");
	expect_sanitized("a\"b'c#d?e\tf\ng", "a_b_c_d_e_f_g");
	expect_sanitized("__x___y__", "x_y");
	expect_sanitized("ok.-_@", "ok.-_@");
	expect_sanitized("", "rdpprn");
	expect_sanitized(" /\\#\"'", "rdpprn");
	expect_sanitized("\xe6\x89\x93\xe5\x8d\xb0", "rdpprn");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rdpprn_qname_sanitize(big, out);
	assert_int_equal(strlen(out), RDPPRN_Q_NAME_MAX);
	/* a cut never leaves a '_' at the end */
	memset(big, 'b', sizeof(big) - 1);
	big[RDPPRN_Q_NAME_MAX - 1] = ' ';
	rdpprn_qname_sanitize(big, out);
	assert_int_equal(strlen(out), RDPPRN_Q_NAME_MAX - 1);
}

static void test_suffix(void **state)
{
	char base[RDPPRN_Q_NAME_MAX + 1], out[RDPPRN_Q_NAME_MAX + 1];

	rdpprn_qname_suffix("HP@PC", 1, out);
	assert_string_equal(out, "HP@PC");
	rdpprn_qname_suffix("HP@PC", 2, out);
	assert_string_equal(out, "HP@PC-2");
	memset(base, 'a', RDPPRN_Q_NAME_MAX);
	base[RDPPRN_Q_NAME_MAX] = '\0';
	rdpprn_qname_suffix(base, 12, out);
	assert_int_equal(strlen(out), RDPPRN_Q_NAME_MAX);
	assert_string_equal(out + RDPPRN_Q_NAME_MAX - 3, "-12");
}

static void test_text(void **state)
{
	char out[RDPPRN_Q_TEXT_MAX + 1], big[2000];

	rdpprn_qtext("Drucker B\xc3\xbcro", out, sizeof(out));
	assert_string_equal(out, "Drucker B\xc3\xbcro");
	rdpprn_qtext("a\tb\x7f\x63", out, sizeof(out));
	assert_string_equal(out, "a b c");
	rdpprn_qtext("bad\xff\xc3\x78", out, sizeof(out));
	assert_string_equal(out, "bad?\x3fx");
	/* overlong and surrogate forms are not UTF-8 */
	rdpprn_qtext("\xc0\xaf\xed\xa0\x80", out, sizeof(out));
	assert_string_equal(out, "?????");
	/* cut on a character boundary */
	rdpprn_qtext("ab\xc3\xbc", out, 4);
	assert_string_equal(out, "ab");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rdpprn_qtext(big, out, sizeof(out));
	assert_int_equal(strlen(out), RDPPRN_Q_TEXT_MAX);
}

/* ---- configuration -------------------------------------------------- */

static void test_config(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c, "", &err), 0);
	assert_string_equal(c.queue_name, "%p@%c");
	assert_string_equal(c.universal.ppd, "raw");
	assert_true(c.default_printer);
	assert_int_equal(c.keep_jobs, 600);
	assert_string_equal(c.op_policy, "rdpprn");
	assert_int_equal(c.n_drivers, 0);
	rdpprn_qconf_free(&c);

	assert_int_equal(qworld_parse(&c,
				      "# comment\n"
				      "queue_name = %u_%p\n"
				      "driver = drv:///sample.drv/generic.ppd HP Color *\n"
				      "driver = raw *PCL*\n"
				      "universal = none\n"
				      "default_printer = no\n"
				      "keep_jobs = 0\n"
				      "op_policy = site-1.private_jobs\n", &err), 0);
	assert_string_equal(c.queue_name, "%u_%p");
	assert_int_equal(c.n_drivers, 2);
	assert_string_equal(c.drivers[0].ppd, "drv:///sample.drv/generic.ppd");
	assert_string_equal(c.drivers[0].pattern, "HP Color *");
	assert_string_equal(c.drivers[1].ppd, "raw");
	assert_null(c.universal.ppd);
	assert_false(c.default_printer);
	assert_int_equal(c.keep_jobs, 0);
	assert_string_equal(c.op_policy, "site-1.private_jobs");
	rdpprn_qconf_free(&c);

	assert_int_equal(qworld_parse(&c, "universal = lsb/usr/x.ppd\n", &err), 0);
	assert_string_equal(c.universal.ppd, "lsb/usr/x.ppd");
	rdpprn_qconf_free(&c);

	/* every refusal names its line */
	assert_int_equal(qworld_parse(&c, "\nqueue_name = %p-%q\n", &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "%q"));
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "driver = raw\n", &err), -EINVAL);
	assert_int_equal(err.line, 1);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "driver = \"bad\x01ppd *\"\n", &err),
			 -EINVAL);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "universal = \"a b\"\n", &err), -EINVAL);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "default_printer = maybe\n", &err),
			 -EINVAL);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "keep_jobs = 86401\n", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "keep_jobs"));
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "keep_jobs = -1\n", &err), -EINVAL);
	rdpprn_qconf_free(&c);
	/* a policy name cupsd.conf could only hold quoted, or none */
	assert_int_equal(qworld_parse(&c, "op_policy = \"a b\"\n", &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "op_policy"));
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "op_policy = <rdpprn>\n", &err),
			 -EINVAL);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "op_policy =\n", &err), -EINVAL);
	rdpprn_qconf_free(&c);
	{
		char line[200];

		snprintf(line, sizeof(line), "op_policy = %0128d\n", 0);
		assert_int_equal(qworld_parse(&c, line, &err), -EINVAL);
		rdpprn_qconf_free(&c);
		snprintf(line, sizeof(line), "op_policy = %0127d\n", 0);
		assert_int_equal(qworld_parse(&c, line, &err), 0);
		assert_int_equal(strlen(c.op_policy), 127);
		rdpprn_qconf_free(&c);
	}
	assert_int_equal(qworld_parse(&c, "queue_name =\n", &err), -EINVAL);
	rdpprn_qconf_free(&c);
	assert_int_equal(qworld_parse(&c, "printer = x\n", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown key"));
	rdpprn_qconf_free(&c);
}

/* The example file, with every key commented out, is the defaults. */
static void test_config_example(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;
	bool missing;

	rdpprn_qconf_init(&c);
	assert_int_equal(rdpprn_qconf_load(&c, EXAMPLE_CONF, &missing, &err),
			 0);
	assert_false(missing);
	assert_string_equal(c.queue_name, "%p@%c");
	assert_int_equal(c.n_drivers, 0);
	rdpprn_qconf_free(&c);
	rdpprn_qconf_init(&c);
	assert_int_equal(rdpprn_qconf_load(&c, "/nonexistent/cups.conf",
					   &missing, &err), 0);
	assert_true(missing);
	rdpprn_qconf_free(&c);
}

/* ---- drivers -------------------------------------------------------- */

static void test_driver_pick(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c,
				      "driver = first HP*\n"
				      "driver = second *LaserJet*\n"
				      "driver = ps *postscript*\n", &err), 0);
	assert_string_equal(rdpprn_qdriver_pick(&c, "HP LaserJet 4")->ppd,
			    "first");
	assert_string_equal(rdpprn_qdriver_pick(&c, "Kyocera LaserJet")->ppd,
			    "second");
	assert_string_equal(rdpprn_qdriver_pick(&c, "Generic POSTSCRIPT")->ppd,
			    "ps");
	assert_string_equal(rdpprn_qdriver_pick(&c, "hp deskjet")->ppd,
			    "first");
	/* unmapped: the universal driver, raw by default */
	assert_ptr_equal(rdpprn_qdriver_pick(&c, "Canon"), &c.universal);
	assert_string_equal(rdpprn_qdriver_pick(&c, "")->ppd, "raw");
	rdpprn_qconf_free(&c);

	assert_int_equal(qworld_parse(&c, "universal = none\ndriver = x Canon\n",
				      &err), 0);
	assert_null(rdpprn_qdriver_pick(&c, "HP"));
	assert_string_equal(rdpprn_qdriver_pick(&c, "canon")->ppd, "x");
	rdpprn_qconf_free(&c);

	assert_int_equal(qworld_parse(&c, "universal = drv:///sample.drv/generic.ppd\n",
				      &err), 0);
	assert_string_equal(rdpprn_qdriver_pick(&c, "HP")->ppd,
			    "drv:///sample.drv/generic.ppd");
	rdpprn_qconf_free(&c);
}

/* ---- the plan ------------------------------------------------------- */

static struct rdpprn_printer *add_printer(struct qworld *w, const char *user,
					  uid_t uid, unsigned int session,
					  uint32_t id, const char *name,
					  const char *client)
{
	struct rdpprn_printer *p = &w->p[w->np];

	memset(p, 0, sizeof(*p));
	p->uid = uid;
	p->session = session;
	p->device_id = id;
	p->printer_name = strdup(name);
	p->client_name = strdup(client);
	p->driver_name = strdup("HP Universal Printing PCL 6");
	w->users[w->np++] = user;
	return p;
}

static int world_setup(void **state)
{
	*state = qworld_new("");
	return 0;
}

static void plan(struct qworld *w, struct rdpprn_plan *pl)
{
	assert_int_equal(rdpprn_plan(&w->c, w->p, w->np, w->users, w->q, w->nq,
				     NULL, 0, pl), 0);
}

static void test_plan_create(void **state)
{
	struct qworld *w = *state;
	const struct rdpprn_want *a;
	struct rdpprn_plan pl;
	struct rdpprn_printer *p;

	p = add_printer(w, "alice", 1000, 1, 4, "HP LaserJet", "PC");
	p->is_default = true;
	plan(w, &pl);
	assert_int_equal(pl.n_want, 1);
	assert_int_equal(pl.n_del, 0);
	a = qworld_want_of(&pl, p);
	assert_string_equal(a->name, "HP_LaserJet@PC");
	assert_string_equal(a->uri, "rdpprn://alice/PC/HP%20LaserJet?id=4");
	assert_string_equal(a->info, "HP LaserJet");
	assert_string_equal(a->location, "PC (RDP, alice)");
	assert_string_equal(a->user, "alice");
	assert_string_equal(a->drv->ppd, "raw");
	assert_int_equal(a->action, RDPPRN_Q_CREATE);
	assert_true(a->set_default);
	assert_int_equal(a->queue, -1);
	rdpprn_plan_free(&pl);
}

/* The same plan again, against the queues it made: nothing to do. */
static void test_plan_idempotent(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_plan pl, pl2;
	static const char *const was[] = { "HP_LaserJet@PC" };
	size_t i;

	add_printer(w, "alice", 1000, 1, 4, "HP LaserJet", "PC")->is_default =
		true;
	add_printer(w, "alice", 1000, 1, 5, "HP LaserJet", "PC");
	add_printer(w, "bob", 1001, 2, 4, "Büro/2", "");
	plan(w, &pl);
	assert_int_equal(pl.n_want, 3);
	for (i = 0; i < pl.n_want; i++)
		qworld_add_wanted(w, &pl.want[i]);
	assert_int_equal(rdpprn_plan(&w->c, w->p, w->np, w->users, w->q, w->nq,
				     was, 1, &pl2), 0);
	assert_int_equal(pl2.n_want, 3);
	assert_int_equal(pl2.n_del, 0);
	for (i = 0; i < pl2.n_want; i++) {
		assert_string_equal(pl2.want[i].name, pl.want[i].name);
		assert_int_equal(pl2.want[i].action, RDPPRN_Q_KEEP);
		assert_false(pl2.want[i].set_default);
	}
	/* empty client: location without it, name from the printer */
	assert_string_equal(pl.want[2].location, "RDP, bob");
	assert_string_equal(pl.want[2].name, "B_ro_2@");
	rdpprn_plan_free(&pl);
	rdpprn_plan_free(&pl2);
}

static void test_plan_collisions(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_printer *b, *a, *a2, *f;
	struct rdpprn_plan pl;

	/* given out of order: the lower uid, then session, then id wins */
	b = add_printer(w, "bob", 1001, 1, 4, "HP", "PC");
	a2 = add_printer(w, "alice", 1000, 3, 4, "hp", "pc");
	a = add_printer(w, "alice", 1000, 2, 9, "HP", "PC");
	f = add_printer(w, "alice", 1000, 2, 10, "Fax", "PC");
	/* names held by queues that are not the agent's */
	qworld_add_queue(w, "FAX@pc", "ipp://elsewhere/fax");
	qworld_add_queue(w, "Fax@PC-2", "rdpprn://alice/PC/Fax");
	qworld_add_queue(w, "Fax@PC-3", NULL);
	plan(w, &pl);
	assert_string_equal(qworld_want_of(&pl, a)->name, "HP@PC");
	/* case-insensitive: "hp@pc" is taken */
	assert_string_equal(qworld_want_of(&pl, a2)->name, "hp@pc-2");
	assert_string_equal(qworld_want_of(&pl, b)->name, "HP@PC-3");
	assert_string_equal(qworld_want_of(&pl, f)->name, "Fax@PC-4");
	/* foreign queues are never deleted */
	assert_int_equal(pl.n_del, 0);
	rdpprn_plan_free(&pl);
}

/* A reconnect: new session, new DeviceId, the queue keeps its name. */
static void test_plan_reconnect(void **state)
{
	struct qworld *w = *state;
	const struct rdpprn_want *a;
	struct rdpprn_queue *q;
	struct rdpprn_plan pl;

	add_printer(w, "alice", 1000, 7, 12, "HP", "PC");
	q = qworld_add_queue(w, "HP@PC", "rdpprn://alice/PC/HP?id=3");
	q->info = strdup("HP");
	q->location = strdup("PC (RDP, alice)");
	q->allowed = strdup("alice");
	q->model = strdup(RDPPRN_Q_RAW_MODEL);
	plan(w, &pl);
	a = &pl.want[0];
	assert_string_equal(a->name, "HP@PC");
	assert_int_equal(a->action, RDPPRN_Q_MODIFY);
	assert_int_equal(a->queue, 0);
	assert_false(a->set_driver);
	assert_string_equal(a->uri, "rdpprn://alice/PC/HP?id=12");
	assert_int_equal(pl.n_del, 0);
	rdpprn_plan_free(&pl);
}

/* Printers keep their queues, whoever else comes first in the order. */
static void test_plan_names_stay(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_printer *a, *b;
	struct rdpprn_plan pl;

	b = add_printer(w, "bob", 1001, 1, 4, "HP", "PC");
	qworld_add_queue(w, "HP@PC", "rdpprn://bob/PC/HP?id=4");
	/* alice sorts first, but bob's queue is bob's */
	a = add_printer(w, "alice", 1000, 2, 4, "HP", "PC");
	plan(w, &pl);
	assert_string_equal(qworld_want_of(&pl, b)->name, "HP@PC");
	assert_int_equal(qworld_want_of(&pl, b)->queue, 0);
	assert_string_equal(qworld_want_of(&pl, a)->name, "HP@PC-2");
	assert_int_equal(qworld_want_of(&pl, a)->action, RDPPRN_Q_CREATE);
	rdpprn_plan_free(&pl);
}

static void test_plan_delete(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_plan pl;

	add_printer(w, "alice", 1000, 1, 4, "HP", "PC");
	qworld_add_queue(w, "Gone@PC", "rdpprn://alice/PC/Gone?id=2");
	qworld_add_queue(w, "Handmade", "rdpprn://alice/PC/Gone");
	qworld_add_queue(w, "Office", "socket://10.0.0.1");
	/* another user's unclaimed queue holds the name: not handed over */
	qworld_add_queue(w, "HP@PC", "rdpprn://bob/PC/HP?id=4");
	plan(w, &pl);
	assert_string_equal(pl.want[0].name, "HP@PC-2");
	assert_int_equal(pl.n_del, 2);
	assert_string_equal(w->q[pl.del[0]].name, "Gone@PC");
	assert_string_equal(w->q[pl.del[1]].name, "HP@PC");
	rdpprn_plan_free(&pl);
}

/* The same user's unclaimed queue of that name is reused, not deleted. */
static void test_plan_reuse(void **state)
{
	static const char conf[] = "queue_name = %p\n";
	struct qworld *w = *state;
	struct rdpprn_config_err err;
	struct rdpprn_plan pl;

	assert_int_equal(rdpprn_qconf_parse(&w->c, conf, strlen(conf), &err),
			 0);
	add_printer(w, "alice", 1000, 2, 4, "HP", "Laptop");
	qworld_add_queue(w, "HP", "rdpprn://alice/Desktop/HP?id=4");
	plan(w, &pl);
	assert_string_equal(pl.want[0].name, "HP");
	assert_int_equal(pl.want[0].action, RDPPRN_Q_MODIFY);
	assert_int_equal(pl.n_del, 0);
	rdpprn_plan_free(&pl);
}

static void test_plan_skips(void **state)
{
	static const char conf[] = "universal = none\ndriver = ps Generic*\n";
	struct qworld *w = *state;
	struct rdpprn_config_err err;
	struct rdpprn_printer *p;
	struct rdpprn_plan pl;
	char big[1100];

	assert_int_equal(rdpprn_qconf_parse(&w->c, conf, strlen(conf), &err),
			 0);
	add_printer(w, NULL, 4242, 1, 1, "HP", "PC");
	add_printer(w, "alice", 1000, 1, 2, "HP", "PC");
	p = add_printer(w, "alice", 1000, 1, 3, "PS", "PC");
	free(p->driver_name);
	p->driver_name = strdup("generic postscript");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	p = add_printer(w, "alice", 1000, 1, 4, big, "PC");
	free(p->driver_name);
	p->driver_name = strdup("Generic");
	/* an old session's printer with the new one's URI: one queue */
	p = add_printer(w, "alice", 1000, 0, 3, "PS", "PC");
	p->is_default = true;
	free(p->driver_name);
	p->driver_name = strdup("Generic PS");
	plan(w, &pl);
	assert_int_equal(pl.skip[0], RDPPRN_Q_SKIP_USER);
	assert_int_equal(pl.skip[1], RDPPRN_Q_SKIP_DRIVER);
	/* session 0's printer came first and has the queue */
	assert_int_equal(pl.skip[2], RDPPRN_Q_SKIP_SAME);
	assert_int_equal(pl.skip[3], RDPPRN_Q_SKIP_URI);
	assert_int_equal(pl.skip[4], RDPPRN_Q_SKIP_NONE);
	assert_int_equal(pl.n_want, 1);
	assert_string_equal(pl.want[0].drv->ppd, "ps");
	/* the newer session's flag counts: session 1's, not 0's */
	assert_false(pl.want[0].is_default);
	rdpprn_plan_free(&pl);
}

/* Raw to a driver and back is seen (make and model); defaults follow. */
static void test_plan_driver_default(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_queue *q;
	struct rdpprn_plan pl;
	static const char *const none[] = { "other" };

	add_printer(w, "alice", 1000, 1, 4, "HP", "PC")->is_default = true;
	q = qworld_add_queue(w, "HP@PC", "rdpprn://alice/PC/HP?id=4");
	q->info = strdup("HP");
	q->location = strdup("PC (RDP, alice)");
	q->allowed = strdup("alice");
	q->model = strdup("Generic PostScript Printer");
	/* just started: an existing queue's default is left alone */
	plan(w, &pl);
	assert_int_equal(pl.want[0].action, RDPPRN_Q_MODIFY);
	assert_true(pl.want[0].set_driver);
	assert_false(pl.want[0].set_default);
	rdpprn_plan_free(&pl);
	/* it has just become the client's default */
	assert_int_equal(rdpprn_plan(&w->c, w->p, w->np, w->users, w->q, w->nq,
				     none, 1, &pl), 0);
	assert_true(pl.want[0].set_default);
	rdpprn_plan_free(&pl);
	/* default_printer = no */
	w->c.default_printer = false;
	assert_int_equal(rdpprn_plan(&w->c, w->p, w->np, w->users, w->q, w->nq,
				     none, 1, &pl), 0);
	assert_false(pl.want[0].set_default);
	rdpprn_plan_free(&pl);
}

/* Shared or rejecting queues of the agent's are put right. */
static void test_plan_attrs(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_plan pl;
	struct rdpprn_queue *q;
	size_t i;

	add_printer(w, "alice", 1000, 1, 4, "HP", "PC");
	plan(w, &pl);
	q = qworld_add_wanted(w, &pl.want[0]);
	rdpprn_plan_free(&pl);
	for (i = 0; i < 4; i++) {
		q->shared = i == 0;
		q->accepting = i != 1;
		free(q->allowed);
		q->allowed = i == 2 ? NULL : strdup("alice");
		free(q->location);
		q->location = strdup(i == 3 ? "elsewhere" : "PC (RDP, alice)");
		plan(w, &pl);
		assert_int_equal(pl.want[0].action, RDPPRN_Q_MODIFY);
		assert_false(pl.want[0].set_driver);
		rdpprn_plan_free(&pl);
	}
}

static void test_classify(void **state)
{
	struct rdpprn_queue q = { 0 };

	q.uri = strdup("rdpprn://alice/PC%201/HP?id=3");
	assert_true(rdpprn_queue_classify(&q));
	assert_string_equal(q.client, "PC 1");
	rdpprn_queue_clear(&q);
	q.uri = strdup("rdpprn://alice/PC/HP");
	assert_false(rdpprn_queue_classify(&q));
	rdpprn_queue_clear(&q);
	q.uri = strdup("rdpprn://alice/PC/HP?id=03");
	assert_false(rdpprn_queue_classify(&q));
	rdpprn_queue_clear(&q);
	q.uri = strdup("ipp://x/?id=3");
	assert_false(rdpprn_queue_classify(&q));
	rdpprn_queue_clear(&q);
	assert_false(rdpprn_queue_classify(&q));
}

#define W(t)	cmocka_unit_test_setup_teardown(t, world_setup, qworld_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_suffix),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_example),
		cmocka_unit_test(test_driver_pick),
		cmocka_unit_test(test_classify),
		W(test_plan_create),
		W(test_plan_idempotent),
		W(test_plan_collisions),
		W(test_plan_reconnect),
		W(test_plan_names_stay),
		W(test_plan_delete),
		W(test_plan_reuse),
		W(test_plan_skips),
		W(test_plan_driver_default),
		W(test_plan_attrs),
	};

	return cmocka_run_group_tests_name("rdpprn_queued", tests, NULL, NULL);
}
