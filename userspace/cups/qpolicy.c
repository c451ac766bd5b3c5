// SPDX-License-Identifier: GPL-2.0
/*
 * qpolicy.c - the site policy of /etc/rdpprn/cups.conf, the analog of
 * Group Policy Preferences' Printers: rules with item-level targeting
 * (user, group, client name, client address, printer, driver) that set a
 * printer's queue name, driver, universal path, default-printer rule and
 * action (create, update, replace, delete).
 *
 * Pure code: the facts a rule targets are read by qtarget.c, and every
 * rule here is unit-tested (tests/unit/rdpprn_qpolicy_unit.c).
 *
 * The first rule whose conditions all hold is the one that applies, as
 * in a firewall: one rule per printer, so that what a printer gets can be
 * read off one place in the file. (GPP applies every matching item in
 * order, later ones overriding earlier ones, which makes "why does this
 * printer have that" a question about the whole list.)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rdpprn_queued.h"

static const char *const rdpprn_qkey_names[RDPPRN_QK_COUNT] = {
	[RDPPRN_QK_USER] = "match_user",
	[RDPPRN_QK_GROUP] = "match_group",
	[RDPPRN_QK_CLIENT] = "match_client",
	[RDPPRN_QK_ADDRESS] = "match_address",
	[RDPPRN_QK_PRINTER] = "match_printer",
	[RDPPRN_QK_DRIVER] = "match_driver",
};

static const char *const rdpprn_qpaction_names[] = {
	[RDPPRN_QP_CREATE] = "create",
	[RDPPRN_QP_UPDATE] = "update",
	[RDPPRN_QP_REPLACE] = "replace",
	[RDPPRN_QP_DELETE] = "delete",
};

const char *rdpprn_qpaction_name(enum rdpprn_qpaction a)
{
	return rdpprn_qpaction_names[a];
}

/* A rule's name goes into log lines: a word, so that they stay readable. */
static bool rdpprn_qrule_name_ok(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return n && n <= 64;
}

/**
 * rdpprn_qrule_start() - a "rule = NAME" line: a new rule
 * @c: the configuration being read
 * @name: the rule's name, unique in the file
 * @msg: the reason of a refusal
 * @msglen: size of @msg
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int rdpprn_qrule_start(struct rdpprn_qconf *c, const char *name, char *msg,
		       size_t msglen)
{
	struct rdpprn_qrule *r;
	size_t i;

	if (!rdpprn_qrule_name_ok(name)) {
		snprintf(msg, msglen,
			 "rule: want a name of up to 64 of A-Z a-z 0-9 _ - .");
		return -EINVAL;
	}
	for (i = 0; i < c->n_rules; i++) {
		if (!strcmp(c->rules[i].name, name)) {
			snprintf(msg, msglen, "rule: \"%s\" twice", name);
			return -EINVAL;
		}
	}
	if (c->n_rules == RDPPRN_QRULES_MAX) {
		snprintf(msg, msglen, "rule: more than %d rules",
			 RDPPRN_QRULES_MAX);
		return -EINVAL;
	}
	r = realloc(c->rules, (c->n_rules + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	c->rules = r;
	r += c->n_rules++;
	memset(r, 0, sizeof(*r));
	r->name = rdpprn_xstrdup(name);
	return 0;
}

/**
 * rdpprn_qcidr_parse() - a match_address value: an address in CIDR notation
 * @s: "a.b.c.d/n" (n 0 to 32) or an IPv6 address "/n" (0 to 128); without
 *	"/n" the address alone (/32, /128)
 * @cond: its @family, @prefix and @addr are set, the host bits cleared
 *
 * Return: 0 or -EINVAL.
 */
int rdpprn_qcidr_parse(const char *s, struct rdpprn_qcond *cond)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	unsigned int prefix, max, i;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (!n || n >= INET6_ADDRSTRLEN)
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(cond->addr, 0, sizeof(cond->addr));
	if (inet_pton(AF_INET, buf, cond->addr) == 1)
		cond->family = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, buf, cond->addr) == 1)
		cond->family = AF_INET6, max = 128;
	else
		return -EINVAL;
	prefix = max;
	/* rdpprn_parse_uint: digits only, no sign, no blanks */
	if (slash && (rdpprn_parse_uint(slash + 1, &prefix) || prefix > max ||
		      (slash[1] == '0' && slash[2])))
		return -EINVAL;
	cond->prefix = prefix;
	for (i = prefix; i < max; i++)
		cond->addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	return 0;
}

/* The first @bits bits of @a and @b are equal. */
static bool rdpprn_qbits_eq(const unsigned char *a, const unsigned char *b,
			    unsigned int bits)
{
	unsigned char mask;

	if (bits / 8 && memcmp(a, b, bits / 8))
		return false;
	if (!(bits % 8))
		return true;
	mask = (unsigned char)(0xff00u >> (bits % 8));
	return !((a[bits / 8] ^ b[bits / 8]) & mask);
}

/**
 * rdpprn_qcidr_match() - is a client's address in a match_address range?
 * @cond: a parsed match_address
 * @addr: the address, a literal as sysfs gives it; NULL or "" (unknown)
 *	and anything that is no address match nothing
 *
 * An IPv4 address the client reached an IPv6 socket with (::ffff:a.b.c.d)
 * is that IPv4 address.
 */
bool rdpprn_qcidr_match(const struct rdpprn_qcond *cond, const char *addr)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char a[16];
	int family;

	if (!addr || !*addr)
		return false;
	if (inet_pton(AF_INET, addr, a) == 1) {
		family = AF_INET;
	} else if (inet_pton(AF_INET6, addr, a) == 1) {
		family = AF_INET6;
		if (cond->family == AF_INET && !memcmp(a, mapped, 12)) {
			memmove(a, a + 12, 4);
			family = AF_INET;
		}
	} else {
		return false;
	}
	return family == cond->family &&
	       rdpprn_qbits_eq(a, cond->addr, cond->prefix);
}

static int rdpprn_qrule_cond(struct rdpprn_qrule *r, enum rdpprn_qkey key,
			     const char *value, char *msg, size_t msglen)
{
	struct rdpprn_qcond *cond;
	bool neg = *value == '!';

	if (neg)
		value += 1 + strspn(value + 1, " \t");
	if (!*value) {
		snprintf(msg, msglen, "%s: empty", rdpprn_qkey_names[key]);
		return -EINVAL;
	}
	if (r->n_conds == RDPPRN_QRULE_CONDS_MAX) {
		snprintf(msg, msglen, "rule %s: more than %d match_ lines",
			 r->name, RDPPRN_QRULE_CONDS_MAX);
		return -EINVAL;
	}
	cond = realloc(r->conds, (r->n_conds + 1) * sizeof(*cond));
	if (!cond)
		return -ENOMEM;
	r->conds = cond;
	cond += r->n_conds;
	memset(cond, 0, sizeof(*cond));
	cond->key = key;
	cond->neg = neg;
	if (key == RDPPRN_QK_ADDRESS && rdpprn_qcidr_parse(value, cond)) {
		snprintf(msg, msglen,
			 "match_address: \"%.64s\" is no address/prefix (192.0.2.0/24, 2001:db8::/32)",
			 value);
		return -EINVAL;
	}
	cond->value = rdpprn_xstrdup(value);
	r->n_conds++;
	return 0;
}

static int rdpprn_qrule_action(struct rdpprn_qrule *r, const char *value,
			       char *msg, size_t msglen)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdpprn_qpaction_names); i++) {
		if (!strcmp(value, rdpprn_qpaction_names[i])) {
			r->action = (enum rdpprn_qpaction)i;
			return 0;
		}
	}
	snprintf(msg, msglen, "action: want create, update, replace or delete");
	return -EINVAL;
}

static int rdpprn_qrule_default(struct rdpprn_qrule *r, const char *value,
				char *msg, size_t msglen)
{
	bool b;

	if (!strcmp(value, "force")) {
		r->default_printer = RDPPRN_QP_DEF_FORCE;
		return 0;
	}
	if (!rdpprn_config_bool(value, &b)) {
		r->default_printer = b ? RDPPRN_QP_DEF_YES : RDPPRN_QP_DEF_NO;
		return 0;
	}
	snprintf(msg, msglen, "default_printer: want yes, no or force");
	return -EINVAL;
}

/**
 * rdpprn_qrule_is_key() - is @key one that only a rule has?
 * @key: a key of the file
 *
 * Return: true for the match_* keys and action.
 */
bool rdpprn_qrule_is_key(const char *key)
{
	size_t i;

	for (i = 0; i < RDPPRN_QK_COUNT; i++)
		if (!strcmp(key, rdpprn_qkey_names[i]))
			return true;
	return !strcmp(key, "action");
}

/**
 * rdpprn_qrule_key() - a key after "rule = NAME": it belongs to that rule
 * @r: the rule
 * @key: the key
 * @value: its value
 * @msg: the reason of a refusal
 * @msglen: size of @msg
 *
 * The match_* keys and action, and queue_name, driver, universal and
 * default_printer, which override the global ones for the printers the
 * rule applies to (default_printer also takes "force").
 *
 * Return: 0, -EINVAL (keep_jobs and unknown keys too) or -ENOMEM.
 */
int rdpprn_qrule_key(struct rdpprn_qrule *r, const char *key,
		     const char *value, char *msg, size_t msglen)
{
	size_t i;

	for (i = 0; i < RDPPRN_QK_COUNT; i++)
		if (!strcmp(key, rdpprn_qkey_names[i]))
			return rdpprn_qrule_cond(r, (enum rdpprn_qkey)i, value,
						 msg, msglen);
	if (!strcmp(key, "action"))
		return rdpprn_qrule_action(r, value, msg, msglen);
	if (!strcmp(key, "queue_name")) {
		if (rdpprn_qname_check(value, msg, msglen))
			return -EINVAL;
		free(r->queue_name);
		r->queue_name = rdpprn_xstrdup(value);
		return 0;
	}
	if (!strcmp(key, "driver"))
		return rdpprn_qdriver_add(&r->drivers, &r->n_drivers, value,
					  msg, msglen);
	if (!strcmp(key, "universal")) {
		r->has_universal = true;
		return rdpprn_quniversal_set(&r->universal, value, msg,
					     msglen);
	}
	if (!strcmp(key, "default_printer"))
		return rdpprn_qrule_default(r, value, msg, msglen);
	if (!strcmp(key, "keep_jobs") || !strcmp(key, "op_policy")) {
		snprintf(msg, msglen,
			 "%s: a global key, not one of rule %s's (put it before the first rule)",
			 key, r->name);
		return -EINVAL;
	}
	snprintf(msg, msglen, "rule %s: unknown key \"%.64s\"", r->name, key);
	return -EINVAL;
}

void rdpprn_qrules_free(struct rdpprn_qconf *c)
{
	struct rdpprn_qrule *r;
	size_t i, j;

	for (i = 0; i < c->n_rules; i++) {
		r = &c->rules[i];
		free(r->name);
		for (j = 0; j < r->n_conds; j++)
			free(r->conds[j].value);
		free(r->conds);
		free(r->queue_name);
		for (j = 0; j < r->n_drivers; j++)
			rdpprn_qdriver_clear(&r->drivers[j]);
		free(r->drivers);
		rdpprn_qdriver_clear(&r->universal);
	}
	free(c->rules);
	c->rules = NULL;
	c->n_rules = 0;
}

/*
 * One condition against @who, negation aside. Users and groups are
 * compared as the system does, with case; computer, printer and driver
 * names without, as Windows does. '\' is no escape, as in driver lines.
 */
static bool rdpprn_qcond_hit(const struct rdpprn_qcond *cond,
			     const struct rdpprn_qwho *who)
{
	const char *s = NULL;
	int flags = FNM_NOESCAPE;
	size_t i;

	switch (cond->key) {
	case RDPPRN_QK_USER:
		s = who->user;
		break;
	case RDPPRN_QK_GROUP:
		for (i = 0; i < who->n_groups; i++)
			if (!fnmatch(cond->value, who->groups[i], flags))
				return true;
		return false;
	case RDPPRN_QK_ADDRESS:
		return rdpprn_qcidr_match(cond, who->address);
	case RDPPRN_QK_CLIENT:
		s = who->client;
		flags |= FNM_CASEFOLD;
		break;
	case RDPPRN_QK_PRINTER:
		s = who->printer;
		flags |= FNM_CASEFOLD;
		break;
	case RDPPRN_QK_DRIVER:
		s = who->driver;
		flags |= FNM_CASEFOLD;
		break;
	case RDPPRN_QK_COUNT:
		break;
	}
	return s && !fnmatch(cond->value, s, flags);
}

/**
 * rdpprn_qrule_applies() - do all of a rule's conditions hold?
 * @r: the rule
 * @who: the printer's user, client and names
 *
 * Per key, the lines without "!" are alternatives (one must match, if
 * there are any) and the lines with "!" are exclusions (none may match);
 * the keys must all hold. A rule without conditions applies to every
 * printer. An address condition, with "!" or without, does not hold
 * when the client's address is unknown: a rule for a network never
 * catches a client whose network nobody knows.
 */
bool rdpprn_qrule_applies(const struct rdpprn_qrule *r,
			  const struct rdpprn_qwho *who)
{
	bool has_pos[RDPPRN_QK_COUNT] = { false };
	bool pos_hit[RDPPRN_QK_COUNT] = { false };
	const struct rdpprn_qcond *cond;
	bool hit;
	size_t i;

	for (i = 0; i < r->n_conds; i++) {
		cond = &r->conds[i];
		if (cond->key == RDPPRN_QK_ADDRESS &&
		    (!who->address || !*who->address))
			return false;
		hit = rdpprn_qcond_hit(cond, who);
		if (cond->neg) {
			if (hit)
				return false;
			continue;
		}
		has_pos[cond->key] = true;
		pos_hit[cond->key] |= hit;
	}
	for (i = 0; i < RDPPRN_QK_COUNT; i++)
		if (has_pos[i] && !pos_hit[i])
			return false;
	return true;
}

/**
 * rdpprn_qrule_match() - the rule that applies to a printer
 * @c: the configuration
 * @who: the printer's user, client and names
 *
 * Return: the first rule, in file order, whose conditions hold; NULL
 * when none does (the global settings apply, action create).
 */
const struct rdpprn_qrule *rdpprn_qrule_match(const struct rdpprn_qconf *c,
					      const struct rdpprn_qwho *who)
{
	size_t i;

	for (i = 0; i < c->n_rules; i++)
		if (rdpprn_qrule_applies(&c->rules[i], who))
			return &c->rules[i];
	return NULL;
}

/**
 * rdpprn_qrule_driver() - the driver of a printer under a rule
 * @c: the configuration
 * @r: the rule that applies, or NULL
 * @driver_name: the client's DriverName
 *
 * The rule's driver lines first, then the global ones (first match
 * wins), then the rule's universal if it sets one, else the global one.
 *
 * Return: the driver, NULL for "no queue" (universal = none).
 */
const struct rdpprn_qdriver *rdpprn_qrule_driver(const struct rdpprn_qconf *c,
						 const struct rdpprn_qrule *r,
						 const char *driver_name)
{
	const struct rdpprn_qdriver *d = NULL;
	size_t i;

	if (!r)
		return rdpprn_qdriver_pick(c, driver_name);
	for (i = 0; i < r->n_drivers; i++)
		if (!fnmatch(r->drivers[i].pattern, driver_name,
			     FNM_NOESCAPE | FNM_CASEFOLD))
			return &r->drivers[i];
	d = rdpprn_qdriver_pick(c, driver_name);
	/* a global driver line matched: it is not the universal one */
	if (d && d != &c->universal)
		return d;
	if (r->has_universal)
		return r->universal.ppd ? &r->universal : NULL;
	return d;
}
