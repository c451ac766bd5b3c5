// SPDX-License-Identifier: GPL-2.0
/*
 * qconf.c - the keys of /etc/rdpprn/cups.conf: queue_name, driver,
 * universal, default_printer, keep_jobs, op_policy
 * (Documentation/rdpprn-queued.rst);
 * after the first "rule = NAME" every key belongs to a rule (qpolicy.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rdpprn_queued.h"

void rdpprn_qconf_init(struct rdpprn_qconf *c)
{
	memset(c, 0, sizeof(*c));
	c->queue_name = rdpprn_xstrdup("%p@%c");
	c->universal.ppd = rdpprn_xstrdup(RDPPRN_Q_RAW);
	c->default_printer = true;
	c->keep_jobs = RDPPRN_KEEP_JOBS_DEFAULT;
	c->op_policy = rdpprn_xstrdup(RDPPRN_Q_POLICY_DEFAULT);
}

void rdpprn_qdriver_clear(struct rdpprn_qdriver *d)
{
	free(d->ppd);
	free(d->pattern);
	memset(d, 0, sizeof(*d));
}

void rdpprn_qconf_free(struct rdpprn_qconf *c)
{
	size_t i;

	free(c->queue_name);
	free(c->op_policy);
	for (i = 0; i < c->n_drivers; i++)
		rdpprn_qdriver_clear(&c->drivers[i]);
	free(c->drivers);
	rdpprn_qdriver_clear(&c->universal);
	rdpprn_qrules_free(c);
	memset(c, 0, sizeof(*c));
}

/*
 * A ppd-name goes into an IPP name attribute and, for drv:// and
 * lsb/ names, to cups-driverd: printable ASCII without blanks is all
 * any real one needs, and keeps a typo from reaching cupsd as garbage.
 */
static bool rdpprn_ppd_ok(const char *s)
{
	if (!*s || strlen(s) > 255)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return false;
	return true;
}

#define RDPPRN_POLICY_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

/*
 * A <Policy> name of cupsd.conf: cupsd takes any word, but a name that
 * needs quoting there is surely a typo.
 */
static bool rdpprn_policy_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n <= RDPPRN_Q_NAME_MAX &&
	       strspn(s, RDPPRN_POLICY_CHARS) == n;
}

/**
 * rdpprn_qdriver_add() - a "driver = <ppd-name> <pattern>" line
 * @drivers: the list it is added to (global or a rule's)
 * @n_drivers: its length
 * @value: the line's value
 * @msg: the reason of a refusal
 * @msglen: size of @msg
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int rdpprn_qdriver_add(struct rdpprn_qdriver **drivers, size_t *n_drivers,
		       const char *value, char *msg, size_t msglen)
{
	size_t n = strcspn(value, " \t");
	const char *pat = value + n + strspn(value + n, " \t");
	struct rdpprn_qdriver *d;
	char *ppd;

	if (!n || !*pat) {
		snprintf(msg, msglen, "driver: want \"<ppd-name> <pattern>\"");
		return -EINVAL;
	}
	ppd = strndup(value, n);
	if (!ppd)
		return -ENOMEM;
	if (!rdpprn_ppd_ok(ppd)) {
		snprintf(msg, msglen, "driver: \"%.64s\" is no ppd-name", ppd);
		free(ppd);
		return -EINVAL;
	}
	if (*n_drivers == RDPPRN_Q_DRIVERS_MAX) {
		snprintf(msg, msglen, "driver: more than %d lines",
			 RDPPRN_Q_DRIVERS_MAX);
		free(ppd);
		return -EINVAL;
	}
	d = realloc(*drivers, (*n_drivers + 1) * sizeof(*d));
	if (!d) {
		free(ppd);
		return -ENOMEM;
	}
	*drivers = d;
	d += (*n_drivers)++;
	memset(d, 0, sizeof(*d));
	d->ppd = ppd;
	d->pattern = rdpprn_xstrdup(pat);
	return 0;
}

/**
 * rdpprn_quniversal_set() - a "universal = raw|none|<ppd-name>" line
 * @u: the global universal driver or a rule's
 * @value: the line's value
 * @msg: the reason of a refusal
 * @msglen: size of @msg
 *
 * Return: 0 or -EINVAL; "none" leaves @u->ppd NULL.
 */
int rdpprn_quniversal_set(struct rdpprn_qdriver *u, const char *value,
			  char *msg, size_t msglen)
{
	if (strcmp(value, "none") && !rdpprn_ppd_ok(value)) {
		snprintf(msg, msglen, "universal: want raw, none or a ppd-name");
		return -EINVAL;
	}
	rdpprn_qdriver_clear(u);
	if (!strcmp(value, "none"))
		return 0;
	u->ppd = rdpprn_xstrdup(value);
	return 0;
}

static int rdpprn_qconf_key(void *ctx, const char *key, const char *value,
			    char *msg, size_t msglen)
{
	struct rdpprn_qconf *c = ctx;

	if (!strcmp(key, "rule"))
		return rdpprn_qrule_start(c, value, msg, msglen);
	if (c->n_rules)
		return rdpprn_qrule_key(&c->rules[c->n_rules - 1], key, value,
					msg, msglen);
	if (rdpprn_qrule_is_key(key)) {
		snprintf(msg, msglen, "%s: only in a rule (after \"rule = NAME\")",
			 key);
		return -EINVAL;
	}
	if (!strcmp(key, "queue_name")) {
		if (rdpprn_qname_check(value, msg, msglen))
			return -EINVAL;
		free(c->queue_name);
		c->queue_name = rdpprn_xstrdup(value);
		return 0;
	}
	if (!strcmp(key, "driver"))
		return rdpprn_qdriver_add(&c->drivers, &c->n_drivers, value, msg,
					  msglen);
	if (!strcmp(key, "universal"))
		return rdpprn_quniversal_set(&c->universal, value, msg, msglen);
	if (!strcmp(key, "default_printer")) {
		if (!rdpprn_config_bool(value, &c->default_printer))
			return 0;
		snprintf(msg, msglen, "default_printer: want yes or no");
		return -EINVAL;
	}
	if (!strcmp(key, "keep_jobs")) {
		if (!rdpprn_parse_uint(value, &c->keep_jobs) &&
		    c->keep_jobs <= RDPPRN_KEEP_JOBS_MAX)
			return 0;
		snprintf(msg, msglen, "keep_jobs: want seconds, 0 to %u",
			 RDPPRN_KEEP_JOBS_MAX);
		return -EINVAL;
	}
	if (!strcmp(key, "op_policy")) {
		if (rdpprn_policy_ok(value)) {
			free(c->op_policy);
			c->op_policy = rdpprn_xstrdup(value);
			return 0;
		}
		snprintf(msg, msglen,
			 "op_policy: want the name of a <Policy> of cupsd.conf (A-Z a-z 0-9 _ . -, at most %d bytes)",
			 RDPPRN_Q_NAME_MAX);
		return -EINVAL;
	}
	snprintf(msg, msglen, "unknown key \"%.64s\"", key);
	return -EINVAL;
}

/**
 * rdpprn_qconf_parse() - read a configuration from text
 * @c: set up with rdpprn_qconf_init(); the settings are applied to it
 * @text: the file's content
 * @len: its length
 * @err: the line and reason of a refusal
 *
 * Return: 0 or -EINVAL; after an error @c holds a part of the file only,
 * so the caller parses into a fresh one and keeps its old configuration.
 */
int rdpprn_qconf_parse(struct rdpprn_qconf *c, const char *text, size_t len,
		       struct rdpprn_config_err *err)
{
	return rdpprn_config_parse(text, len, rdpprn_qconf_key, c, err);
}

/**
 * rdpprn_qconf_load() - read the configuration file
 * @c: as for rdpprn_qconf_parse()
 * @path: the file
 * @missing: set when there is no file: @c keeps the defaults
 * @err: the line and reason of a refusal
 *
 * Return: 0, or -errno with @err filled in.
 */
int rdpprn_qconf_load(struct rdpprn_qconf *c, const char *path,
		      bool *missing, struct rdpprn_config_err *err)
{
	return rdpprn_config_load(path, rdpprn_qconf_key, c, missing, err);
}
