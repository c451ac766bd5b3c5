// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn_qpolicy_unit.c - the queue agent's site policy (userspace/cups/
 * qpolicy.c) and the plan under it (queues.c, rdpprn_plan_policy()):
 * the rules' keys and their errors, targeting by every key with and
 * without "!", addresses in CIDR notation, first match, and every
 * action.
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

#include "queued_world.h"

/* @text is refused at @line with a message containing @what. */
static void expect_refused(const char *text, unsigned int line,
			   const char *what)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c, text, &err), -EINVAL);
	if (err.line != line || !strstr(err.msg, what))
		fail_msg("\"%s\": line %u \"%s\", want line %u \"%s\"", text,
			 err.line, err.msg, line, what);
	rdpprn_qconf_free(&c);
}

/* ---- the file ------------------------------------------------------- */

static void test_parse(void **state)
{
	struct rdpprn_config_err err;
	const struct rdpprn_qrule *r;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c,
				      "queue_name = %p@%c\n"
				      "driver = g.ppd HP*\n"
				      "keep_jobs = 5\n"
				      "\n"
				      "rule = kiosk\n"
				      "  match_client = KIOSK-*\n"
				      "  match_user = !admin\n"
				      "  match_address = 10.0.0.0/8\n"
				      "  action = replace\n"
				      "  queue_name = %u-%p\n"
				      "  driver = k.ppd *\n"
				      "  universal = none\n"
				      "  default_printer = force\n"
				      "rule = rest\n", &err), 0);
	/* the global keys before the first rule stay global */
	assert_string_equal(c.queue_name, "%p@%c");
	assert_int_equal(c.n_drivers, 1);
	assert_int_equal(c.keep_jobs, 5);
	assert_int_equal(c.n_rules, 2);
	r = &c.rules[0];
	assert_string_equal(r->name, "kiosk");
	assert_int_equal(r->n_conds, 3);
	assert_int_equal(r->conds[0].key, RDPPRN_QK_CLIENT);
	assert_false(r->conds[0].neg);
	assert_int_equal(r->conds[1].key, RDPPRN_QK_USER);
	assert_true(r->conds[1].neg);
	assert_string_equal(r->conds[1].value, "admin");
	assert_int_equal(r->conds[2].key, RDPPRN_QK_ADDRESS);
	assert_int_equal(r->action, RDPPRN_QP_REPLACE);
	assert_string_equal(r->queue_name, "%u-%p");
	assert_int_equal(r->n_drivers, 1);
	assert_true(r->has_universal);
	assert_null(r->universal.ppd);
	assert_int_equal(r->default_printer, RDPPRN_QP_DEF_FORCE);
	/* an empty rule: every printer, every setting the global one */
	r = &c.rules[1];
	assert_int_equal(r->n_conds, 0);
	assert_int_equal(r->action, RDPPRN_QP_CREATE);
	assert_null(r->queue_name);
	assert_false(r->has_universal);
	assert_int_equal(r->default_printer, RDPPRN_QP_DEF_GLOBAL);
	rdpprn_qconf_free(&c);

	assert_int_equal(qworld_parse(&c,
				      "rule = a\naction = create\n"
				      "rule = b\naction = update\n"
				      "rule = c\naction = delete\n"
				      "rule = d\ndefault_printer = no\n"
				      "rule = e\ndefault_printer = yes\n"
				      "rule = f\nmatch_group = ! staff\n", &err), 0);
	assert_int_equal(c.rules[0].action, RDPPRN_QP_CREATE);
	assert_int_equal(c.rules[1].action, RDPPRN_QP_UPDATE);
	assert_int_equal(c.rules[2].action, RDPPRN_QP_DELETE);
	assert_int_equal(c.rules[3].default_printer, RDPPRN_QP_DEF_NO);
	assert_int_equal(c.rules[4].default_printer, RDPPRN_QP_DEF_YES);
	assert_true(c.rules[5].conds[0].neg);
	assert_string_equal(c.rules[5].conds[0].value, "staff");
	assert_string_equal(rdpprn_qpaction_name(RDPPRN_QP_REPLACE),
			    "replace");
	rdpprn_qconf_free(&c);
}

static void test_parse_errors(void **state)
{
	expect_refused("match_user = alice\n", 1, "only in a rule");
	expect_refused("universal = raw\naction = delete\n", 2,
		       "only in a rule");
	expect_refused("rule = a\nkeep_jobs = 5\n", 2, "global key");
	expect_refused("rule = a\nop_policy = x\n", 2, "global key");
	expect_refused("rule = a\n\nrule = a\n", 3, "twice");
	expect_refused("rule = two words\n", 1, "rule: want a name");
	expect_refused("rule =\n", 1, "rule: want a name");
	expect_refused("rule = a\naction = remove\n", 2, "action: want");
	expect_refused("rule = a\ndefault_printer = always\n", 2,
		       "yes, no or force");
	expect_refused("default_printer = force\n", 1, "want yes or no");
	expect_refused("rule = a\nmatch_user =\n", 2, "match_user: empty");
	expect_refused("rule = a\nmatch_client = !\n", 2, "empty");
	expect_refused("rule = a\nmatch_colour = red\n", 2, "unknown key");
	expect_refused("rule = a\nqueue_name = %q\n", 2, "unknown token");
	expect_refused("rule = a\ndriver = only-a-ppd\n", 2, "driver: want");
	expect_refused("rule = a\nuniversal = \"a b\"\n", 2, "universal");
	expect_refused("rule = a\n# c\nmatch_address = 10.0.0.0/33\n", 3,
		       "no address/prefix");
	expect_refused("rule = a\nmatch_address = 2001:db8::/129\n", 2,
		       "match_address");
	expect_refused("rule = a\nmatch_address = 10.0.0/8\n", 2,
		       "match_address");
	expect_refused("rule = a\nmatch_address = ! example.org\n", 2,
		       "match_address");
}

/*
 * The example file with its commented-out settings ("#key = value", no
 * blank after the '#') taken in: every one of them is valid, the rules
 * included.
 */
static void test_example(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;
	char *text, *out, *p;
	size_t len;
	FILE *f;

	f = fopen(EXAMPLE_CONF, "r");
	assert_non_null(f);
	text = calloc(1, 65536);
	out = calloc(1, 65536);
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0 && len < 65535);
	for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 :
		       p + strlen(p)) {
		size_t n = strcspn(p, "\n");

		if (p[0] == '#' && p[1] >= 'a' && p[1] <= 'z')
			strncat(out, p + 1, n - 1);
		strcat(out, "\n");
	}
	if (qworld_parse(&c, out, &err))
		fail_msg("the example's line %u: %s", err.line, err.msg);
	assert_int_equal(c.n_rules, 3);
	assert_int_equal(c.rules[0].action, RDPPRN_QP_DELETE);
	assert_int_equal(c.rules[1].action, RDPPRN_QP_REPLACE);
	assert_int_equal(c.rules[1].n_conds, 3);
	assert_int_equal(c.rules[2].default_printer, RDPPRN_QP_DEF_FORCE);
	rdpprn_qconf_free(&c);
	free(text);
	free(out);
}

/* ---- addresses -------------------------------------------------------- */

static bool in(const char *cidr, const char *addr)
{
	struct rdpprn_qcond cond;

	memset(&cond, 0, sizeof(cond));
	assert_int_equal(rdpprn_qcidr_parse(cidr, &cond), 0);
	return rdpprn_qcidr_match(&cond, addr);
}

static void test_cidr(void **state)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
		"10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/08", "10.0.0.0/8/8",
		"10.0.0/8", "256.0.0.0/8", "10.0.0.0.0", "::/129", ":::/64",
		"2001:db8::g/32", "example.org", "10.0.0.0/8x", " 10.0.0.1",
	};
	struct rdpprn_qcond cond;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (!rdpprn_qcidr_parse(bad[i], &cond))
			fail_msg("\"%s\" taken", bad[i]);
	/* IPv4 */
	assert_true(in("192.0.2.0/24", "192.0.2.77"));
	assert_false(in("192.0.2.0/24", "192.0.3.1"));
	assert_true(in("10.1.2.3/8", "10.200.0.1")); /* host bits go */
	assert_true(in("172.16.0.0/12", "172.31.255.255"));
	assert_false(in("172.16.0.0/12", "172.32.0.0"));
	assert_true(in("0.0.0.0/0", "203.0.113.9"));
	assert_false(in("0.0.0.0/0", "2001:db8::1"));
	assert_true(in("198.51.100.7", "198.51.100.7")); /* /32 */
	assert_false(in("198.51.100.7/32", "198.51.100.6"));
	/* IPv6 */
	assert_true(in("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(in("2001:db8::/32", "2001:db9::1"));
	assert_true(in("::/0", "fe80::1"));
	assert_false(in("::/0", "10.0.0.1"));
	assert_true(in("2001:db8::5/128", "2001:DB8:0:0::5"));
	assert_false(in("2001:db8::5/128", "2001:db8::4"));
	assert_true(in("2001:db8::/127", "2001:db8::1"));
	assert_false(in("2001:db8::/127", "2001:db8::2"));
	/* an IPv4 client on an IPv6 socket is an IPv4 client */
	assert_true(in("192.0.2.0/24", "::ffff:192.0.2.1"));
	assert_false(in("::ffff:0:0/96", "192.0.2.1"));
	/* unknown or not an address: no match */
	assert_false(in("0.0.0.0/0", ""));
	assert_false(in("0.0.0.0/0", NULL));
	assert_false(in("0.0.0.0/0", "unknown"));
	assert_false(in("::/0", "192.0.2.1/24"));
}

/* ---- targeting ---------------------------------------------------------- */

static const char *const alice_groups[] = { "alice", "staff", "lp" };

static const struct rdpprn_qwho alice = {
	.user = "alice", .groups = alice_groups, .n_groups = 3,
	.client = "PC-Alice", .address = "192.0.2.10",
	.printer = "Office Laser", .driver = "HP LaserJet 4",
};

/* Whether the only rule of @text applies to @who. */
static bool applies(const char *text, const struct rdpprn_qwho *who)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;
	bool ret;

	if (qworld_parse(&c, text, &err))
		fail_msg("\"%s\": line %u: %s", text, err.line, err.msg);
	assert_int_equal(c.n_rules, 1);
	ret = rdpprn_qrule_applies(&c.rules[0], who);
	rdpprn_qconf_free(&c);
	return ret;
}

static void test_target_keys(void **state)
{
	struct rdpprn_qwho who = alice;

	assert_true(applies("rule = r\n", &who));
	/* user: a pattern, with case */
	assert_true(applies("rule = r\nmatch_user = al*\n", &who));
	assert_false(applies("rule = r\nmatch_user = Alice\n", &who));
	assert_false(applies("rule = r\nmatch_user = !alice\n", &who));
	assert_true(applies("rule = r\nmatch_user = !bob\n", &who));
	/* group: primary or supplementary, any of them */
	assert_true(applies("rule = r\nmatch_group = staff\n", &who));
	assert_true(applies("rule = r\nmatch_group = alice\n", &who));
	assert_false(applies("rule = r\nmatch_group = wheel\n", &who));
	assert_false(applies("rule = r\nmatch_group = !lp\n", &who));
	assert_true(applies("rule = r\nmatch_group = !wheel\n", &who));
	/* client: without case */
	assert_true(applies("rule = r\nmatch_client = pc-*\n", &who));
	assert_false(applies("rule = r\nmatch_client = KIOSK*\n", &who));
	assert_false(applies("rule = r\nmatch_client = !PC-ALICE\n", &who));
	/* printer and driver: without case */
	assert_true(applies("rule = r\nmatch_printer = office*\n", &who));
	assert_false(applies("rule = r\nmatch_printer = !*laser\n", &who));
	assert_true(applies("rule = r\nmatch_driver = *laserjet*\n", &who));
	assert_false(applies("rule = r\nmatch_driver = Canon*\n", &who));
	assert_true(applies("rule = r\nmatch_driver = !Canon*\n", &who));
	/* address */
	assert_true(applies("rule = r\nmatch_address = 192.0.2.0/24\n", &who));
	assert_false(applies("rule = r\nmatch_address = 10.0.0.0/8\n", &who));
	assert_true(applies("rule = r\nmatch_address = !10.0.0.0/8\n", &who));
	assert_false(applies("rule = r\nmatch_address = !192.0.2.10\n",
			     &who));
	/* an unknown address matches no address condition, "!" or not */
	who.address = "";
	assert_false(applies("rule = r\nmatch_address = 0.0.0.0/0\n", &who));
	assert_false(applies("rule = r\nmatch_address = !10.0.0.0/8\n", &who));
	assert_true(applies("rule = r\nmatch_user = alice\n", &who));
	who.address = NULL;
	assert_false(applies("rule = r\nmatch_address = ::/0\n", &who));
	/* no groups known: a group condition does not match */
	who = alice;
	who.n_groups = 0;
	assert_false(applies("rule = r\nmatch_group = staff\n", &who));
	assert_true(applies("rule = r\nmatch_group = !staff\n", &who));
}

static void test_target_combined(void **state)
{
	/* lines of one key are alternatives, "!" lines exclusions */
	static const char *const any_of =
		"rule = r\nmatch_user = bob\nmatch_user = al*\n";
	static const char *const except =
		"rule = r\nmatch_user = *\nmatch_user = !alice\n";
	/* keys: all must hold */
	static const char *const both =
		"rule = r\nmatch_user = alice\nmatch_client = KIOSK-*\n";
	static const char *const v4_or_v6 =
		"rule = r\nmatch_address = 192.0.2.0/24\n"
		"match_address = 2001:db8::/32\n";
	struct rdpprn_qwho who = alice;

	assert_true(applies(any_of, &who));
	assert_false(applies(except, &who));
	assert_false(applies(both, &who));
	who.client = "kiosk-7";
	assert_true(applies(both, &who));
	assert_true(applies(v4_or_v6, &who));
	who.address = "2001:db8::77";
	assert_true(applies(v4_or_v6, &who));
	who.address = "2001:db9::77";
	assert_false(applies(v4_or_v6, &who));
	who.user = "bob";
	assert_true(applies(except, &who));
	assert_false(applies(both, &who));
}

static void test_first_match(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qwho who = alice;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c,
				      "rule = kiosks\nmatch_client = KIOSK-*\n"
				      "action = delete\n"
				      "rule = staff\nmatch_group = staff\n"
				      "action = update\n"
				      "rule = alice\nmatch_user = alice\n"
				      "action = replace\n", &err), 0);
	/* staff and alice both apply: the first in the file wins */
	assert_string_equal(rdpprn_qrule_match(&c, &who)->name, "staff");
	who.client = "KIOSK-1";
	assert_string_equal(rdpprn_qrule_match(&c, &who)->name, "kiosks");
	who.client = "PC";
	who.n_groups = 1;
	assert_string_equal(rdpprn_qrule_match(&c, &who)->name, "alice");
	who.user = "bob";
	assert_null(rdpprn_qrule_match(&c, &who));
	rdpprn_qconf_free(&c);
	/* no rules: nothing applies */
	assert_int_equal(qworld_parse(&c, "", &err), 0);
	assert_null(rdpprn_qrule_match(&c, &alice));
	rdpprn_qconf_free(&c);
}

static void test_rule_driver(void **state)
{
	struct rdpprn_config_err err;
	struct rdpprn_qconf c;

	assert_int_equal(qworld_parse(&c,
				      "driver = global.ppd HP*\n"
				      "universal = uni.ppd\n"
				      "rule = own\ndriver = own.ppd *LaserJet 4*\n"
				      "rule = none\nuniversal = none\n"
				      "rule = raw\nuniversal = raw\n"
				      "rule = plain\n", &err), 0);
	/* the rule's lines first, then the global ones, then universal */
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[0],
						"HP LaserJet 4")->ppd,
			    "own.ppd");
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[0],
						"HP DeskJet")->ppd,
			    "global.ppd");
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[0],
						"Canon")->ppd, "uni.ppd");
	/* the rule's universal replaces the global one */
	assert_null(rdpprn_qrule_driver(&c, &c.rules[1], "Canon"));
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[1],
						"HP DeskJet")->ppd,
			    "global.ppd");
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[2],
						"Canon")->ppd, "raw");
	assert_string_equal(rdpprn_qrule_driver(&c, &c.rules[3],
						"Canon")->ppd, "uni.ppd");
	assert_string_equal(rdpprn_qrule_driver(&c, NULL, "Canon")->ppd,
			    "uni.ppd");
	rdpprn_qconf_free(&c);
}

/* ---- the plan under the policy ------------------------------------------- */

static const char policy[] =
	"rule = gone\nmatch_user = carol\naction = delete\n"
	"rule = upd\nmatch_user = bob\naction = update\n"
	"rule = rep\nmatch_client = KIOSK*\naction = replace\n"
	"queue_name = kiosk-%u-%p\ndefault_printer = no\n"
	"rule = force\nmatch_printer = Forced*\ndefault_printer = force\n"
	"rule = create\naction = create\n";

static int world_setup(void **state)
{
	*state = qworld_new(policy);
	return 0;
}

/* A printer, its rule picked as qtarget.c would (no groups, no address). */
static struct rdpprn_printer *add_printer(struct qworld *w, const char *user,
					  unsigned int session, uint32_t id,
					  const char *name, const char *client)
{
	struct rdpprn_printer *p = &w->p[w->np];
	struct rdpprn_qwho who = { 0 };

	memset(p, 0, sizeof(*p));
	p->uid = 1000 + (uid_t)w->np;
	p->session = session;
	p->minor = (unsigned int)w->np;
	p->device_id = id;
	p->printer_name = strdup(name);
	p->client_name = strdup(client);
	p->driver_name = strdup("Generic");
	who.user = user;
	who.client = client;
	who.printer = name;
	who.driver = p->driver_name;
	w->rule[w->np] = rdpprn_qrule_match(&w->c, &who);
	w->users[w->np++] = user;
	return p;
}

static void plan(struct qworld *w, struct rdpprn_plan *pl)
{
	assert_int_equal(rdpprn_plan_policy(&w->c, w->p, w->np, w->users,
					    w->q, w->nq, NULL, 0, &w->pass,
					    pl), 0);
}

/*
 * Every printer's queue made as the plan wants it, as the previous pass
 * saw it: the world after a pass that did all it planned.
 */
static void settle(struct qworld *w, struct rdpprn_qseen *seen)
{
	struct rdpprn_plan pl;
	size_t i;

	plan(w, &pl);
	for (i = 0; i < pl.n_want; i++) {
		qworld_add_wanted(w, &pl.want[i]);
		seen[i].name = w->q[w->nq - 1].name;
		seen[i].session = pl.want[i].printer->session;
		seen[i].minor = pl.want[i].printer->minor;
	}
	w->pass.seen = seen;
	w->pass.n_seen = pl.n_want;
	rdpprn_plan_free(&pl);
}

static void test_plan_actions(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_printer *a, *b, *c, *k;
	const struct rdpprn_want *wa, *wb, *wk;
	struct rdpprn_qseen seen[QW_NP];
	struct rdpprn_plan pl;

	a = add_printer(w, "alice", 1, 1, "Office", "PC-A");
	b = add_printer(w, "bob", 2, 1, "Office", "PC-B");
	c = add_printer(w, "carol", 3, 1, "Office", "PC-C");
	k = add_printer(w, "dave", 4, 1, "Lobby", "KIOSK-1");
	k->is_default = true;
	assert_string_equal(w->rule[0]->name, "create");
	assert_string_equal(w->rule[1]->name, "upd");
	assert_string_equal(w->rule[2]->name, "gone");
	assert_string_equal(w->rule[3]->name, "rep");

	/* no queues yet: delete makes none, the others create */
	plan(w, &pl);
	assert_int_equal(pl.n_want, 3);
	assert_null(qworld_want_of(&pl, c));
	assert_int_equal(pl.skip[2], RDPPRN_Q_SKIP_POLICY);
	wk = qworld_want_of(&pl, k);
	assert_string_equal(wk->name, "kiosk-dave-Lobby");
	assert_int_equal(wk->action, RDPPRN_Q_CREATE);
	/* default_printer = no: the client's default is not the user's */
	assert_true(wk->is_default);
	assert_false(wk->set_default);
	assert_ptr_equal(wk->rule, w->rule[3]);
	rdpprn_plan_free(&pl);

	/* the queues exist, carol's too (made before the policy) */
	w->pass.rule = NULL;
	settle(w, seen);
	w->pass.rule = w->rule;
	assert_int_equal(w->nq, 4);

	/* the policy comes: create and update leave the queues alone */
	plan(w, &pl);
	assert_int_equal(qworld_want_of(&pl, a)->action, RDPPRN_Q_KEEP);
	assert_int_equal(qworld_want_of(&pl, b)->action, RDPPRN_Q_KEEP);
	/*
	 * carol's queue (made before the rule) is deleted, and so is the
	 * kiosk's old one: the kiosk rule gives its printer another name
	 */
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_CREATE);
	assert_int_equal(pl.n_del, 2);
	assert_string_equal(w->q[pl.del[0]].user, "carol");
	assert_string_equal(w->q[pl.del[1]].name, "Lobby@KIOSK-1");
	rdpprn_plan_free(&pl);

	/*
	 * A reload (or start): update sends the driver again, replace
	 * makes the queue anew, create leaves it alone
	 */
	w->pass.fresh = true;
	plan(w, &pl);
	wa = qworld_want_of(&pl, a);
	wb = qworld_want_of(&pl, b);
	assert_int_equal(wa->action, RDPPRN_Q_KEEP);
	assert_int_equal(wb->action, RDPPRN_Q_MODIFY);
	assert_true(wb->set_driver);
	/* the kiosk rule renames the queue: the old goes, the new comes */
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_CREATE);
	assert_int_equal(pl.n_del, 2);
	rdpprn_plan_free(&pl);
	w->pass.fresh = false;
}

static void test_plan_reconnect(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_printer *a, *b, *k;
	struct rdpprn_qseen seen[QW_NP];
	struct rdpprn_plan pl;

	a = add_printer(w, "alice", 1, 1, "Office", "PC-A");
	b = add_printer(w, "bob", 2, 1, "Office", "PC-B");
	k = add_printer(w, "dave", 4, 1, "Lobby", "KIOSK-1");
	settle(w, seen);

	plan(w, &pl);
	assert_int_equal(qworld_want_of(&pl, b)->action, RDPPRN_Q_KEEP);
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_KEEP);
	rdpprn_plan_free(&pl);

	/* every client reconnects: new sessions, new devices, same URIs */
	a->session = 11;
	b->session = 12;
	k->session = 14;
	plan(w, &pl);
	assert_int_equal(qworld_want_of(&pl, a)->action, RDPPRN_Q_KEEP);
	assert_int_equal(qworld_want_of(&pl, b)->action, RDPPRN_Q_MODIFY);
	assert_true(qworld_want_of(&pl, b)->set_driver);
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_REPLACE);
	assert_true(qworld_want_of(&pl, k)->set_driver);
	/* the replaced queue keeps its name */
	assert_string_equal(qworld_want_of(&pl, k)->name, "kiosk-dave-Lobby");
	assert_int_equal(pl.n_del, 0);
	rdpprn_plan_free(&pl);

	/* same session, another device (removed and added again) */
	k->session = 4;
	k->minor = 7;
	plan(w, &pl);
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_REPLACE);
	rdpprn_plan_free(&pl);

	/* a queue the previous pass did not want (kept for its jobs) */
	k->minor = 2;
	w->pass.n_seen = 0;
	plan(w, &pl);
	assert_int_equal(qworld_want_of(&pl, k)->action, RDPPRN_Q_REPLACE);
	assert_int_equal(qworld_want_of(&pl, b)->action, RDPPRN_Q_MODIFY);
	assert_int_equal(qworld_want_of(&pl, a)->action, RDPPRN_Q_KEEP);
	rdpprn_plan_free(&pl);

	/* without a policy (rdpprn_plan()): no rule, no renewal */
	assert_int_equal(rdpprn_plan(&w->c, w->p, w->np, w->users, w->q,
				     w->nq, NULL, 0, &pl), 0);
	assert_int_equal(qworld_want_of(&pl, b)->action, RDPPRN_Q_KEEP);
	assert_null(qworld_want_of(&pl, b)->rule);
	rdpprn_plan_free(&pl);
}

static void test_plan_default(void **state)
{
	struct qworld *w = *state;
	struct rdpprn_printer *a1, *a2, *e1;
	const struct rdpprn_want *wa1, *wa2;
	struct rdpprn_plan pl;

	/* alice's client says Office; the policy forces Forced Laser */
	a1 = add_printer(w, "alice", 1, 1, "Office", "PC-A");
	a2 = add_printer(w, "alice", 1, 2, "Forced Laser", "PC-A");
	a1->is_default = true;
	/* erin's client default, no forced printer: it is hers */
	e1 = add_printer(w, "erin", 5, 1, "Home", "PC-E");
	e1->is_default = true;
	plan(w, &pl);
	wa1 = qworld_want_of(&pl, a1);
	wa2 = qworld_want_of(&pl, a2);
	assert_true(wa2->is_default);
	assert_true(wa2->set_default);
	assert_false(wa1->set_default);
	assert_true(qworld_want_of(&pl, e1)->set_default);
	rdpprn_plan_free(&pl);

	/* the global default_printer = no does not stop a forced one */
	w->c.default_printer = false;
	plan(w, &pl);
	assert_true(qworld_want_of(&pl, a2)->set_default);
	assert_false(qworld_want_of(&pl, e1)->set_default);
	rdpprn_plan_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_target_keys),
		cmocka_unit_test(test_target_combined),
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_rule_driver),
		cmocka_unit_test_setup_teardown(test_plan_actions, world_setup,
						qworld_teardown),
		cmocka_unit_test_setup_teardown(test_plan_reconnect,
						world_setup, qworld_teardown),
		cmocka_unit_test_setup_teardown(test_plan_default, world_setup,
						qworld_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
