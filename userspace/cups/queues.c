// SPDX-License-Identifier: GPL-2.0
/*
 * queues.c - which CUPS queues the redirected printers should have: the
 * plan of one reconcile, computed from the printers, the queues CUPS has
 * and the configuration, with no I/O, so that every rule here is
 * unit-tested (tests/unit/rdpprn_queued_unit.c).
 *
 * The agent's queues are those whose device URI is rdpprn:// with ?id=:
 * the agent always writes that form, and an administrator's hand-made
 * rdpprn queue, without ?id=, is never modified or deleted.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdpprn_queued.h"

/* Highest -N suffix tried before a printer is left without a queue. */
#define RDPPRN_Q_SUFFIX_MAX	9999

/* Appends @s to the growing string *@buf (*@len bytes so far). */
static int rdpprn_qappend(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		return -ENOMEM;
	memcpy(nb + *len, s, n + 1);
	*buf = nb;
	*len += n;
	return 0;
}

/*
 * The value of token %@t, in @num if it is a number; NULL for a token
 * the template language does not have.
 */
static const char *rdpprn_qtoken(char t, const struct rdpprn_qvars *v,
				 char *num, size_t numlen)
{
	switch (t) {
	case 'p':
		return v->printer;
	case 'c':
		return v->client;
	case 'u':
		return v->user;
	case 'i':
		snprintf(num, numlen, "%u", (unsigned int)v->device_id);
		return num;
	case 's':
		snprintf(num, numlen, "%u", v->session);
		return num;
	case '%':
		return "%";
	}
	return NULL;
}

/**
 * rdpprn_qname_expand() - a queue name template with its tokens replaced
 * @tmpl: the template: %p printer, %c client, %u user, %i DeviceId,
 *	%s session, %% a '%'
 * @v: the values
 * @out: the result, not yet sanitized, to free()
 *
 * Return: 0, -EINVAL for an unknown token or a '%' at the end, -ENOMEM.
 */
int rdpprn_qname_expand(const char *tmpl, const struct rdpprn_qvars *v,
			char **out)
{
	char num[16], lit[2] = { 0 };
	const char *val;
	size_t len = 0;
	char *buf = NULL;
	int ret;

	*out = NULL;
	ret = rdpprn_qappend(&buf, &len, "");
	for (; !ret && *tmpl; tmpl++) {
		if (*tmpl != '%') {
			lit[0] = *tmpl;
			ret = rdpprn_qappend(&buf, &len, lit);
			continue;
		}
		tmpl++;
		val = *tmpl ? rdpprn_qtoken(*tmpl, v, num, sizeof(num)) : NULL;
		if (!val) {
			ret = -EINVAL;
			break;
		}
		ret = rdpprn_qappend(&buf, &len, val);
	}
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	return 0;
}

/**
 * rdpprn_qname_check() - is a template usable?
 * @tmpl: the template
 * @msg: the reason, when it is not
 * @msglen: size of @msg
 *
 * Return: 0 or -EINVAL.
 */
int rdpprn_qname_check(const char *tmpl, char *msg, size_t msglen)
{
	const char *p;

	if (!*tmpl) {
		snprintf(msg, msglen, "queue_name: empty template");
		return -EINVAL;
	}
	for (p = tmpl; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (!*p) {
			snprintf(msg, msglen,
				 "queue_name: '%%' at the end (%%%% is a '%%')");
			return -EINVAL;
		}
		if (!strchr("pcuis%", *p)) {
			snprintf(msg, msglen,
				 "queue_name: unknown token %%%c (not one of %%p%%c%%u%%i%%s%%%%)",
				 *p > ' ' && *p < 0x7f ? *p : '?');
			return -EINVAL;
		}
	}
	return 0;
}

static bool rdpprn_qname_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '@' ||
	       c == '-';
}

/**
 * rdpprn_qname_sanitize() - a name CUPS accepts, from any bytes
 * @in: the expanded template
 * @out: RDPPRN_Q_NAME_MAX + 1 bytes
 *
 * [A-Za-z0-9_.@-] are kept and every other byte becomes '_' (each byte
 * of a UTF-8 character: names stay ASCII, so that users can type them
 * and a cut can never split a character); runs of '_' become one, '_' at
 * either end go, at most RDPPRN_Q_NAME_MAX bytes are kept, and nothing
 * left is RDPPRN_Q_NAME_EMPTY. cupsd refuses blanks, '/', '\\', '?',
 * quotes and '#' in names; the rest are dropped so that a name needs no
 * quoting in a shell either.
 */
void rdpprn_qname_sanitize(const char *in, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0;
	char c;

	for (; *p && n < RDPPRN_Q_NAME_MAX; p++) {
		c = rdpprn_qname_char(*p) ? (char)*p : '_';
		if (c == '_' && (!n || out[n - 1] == '_'))
			continue;
		out[n++] = c;
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
	if (!n)
		strcpy(out, RDPPRN_Q_NAME_EMPTY);
}

/**
 * rdpprn_qname_suffix() - the @n-th name from a base name
 * @base: a sanitized name
 * @n: 1 for @base itself, else "<base>-<n>", @base cut so that the
 *	whole stays within RDPPRN_Q_NAME_MAX
 * @out: RDPPRN_Q_NAME_MAX + 1 bytes
 */
void rdpprn_qname_suffix(const char *base, unsigned int n, char *out)
{
	char sfx[16];
	size_t keep = strlen(base), slen;

	if (n <= 1) {
		snprintf(out, RDPPRN_Q_NAME_MAX + 1, "%s", base);
		return;
	}
	slen = (size_t)snprintf(sfx, sizeof(sfx), "-%u", n);
	if (keep > RDPPRN_Q_NAME_MAX - slen)
		keep = RDPPRN_Q_NAME_MAX - slen;
	memcpy(out, base, keep);
	memcpy(out + keep, sfx, slen + 1);
}

/* Is @name the base name or one of its -N names? */
static bool rdpprn_qname_is(const char *base, const char *name)
{
	char cand[RDPPRN_Q_NAME_MAX + 1];
	const char *dash = strrchr(name, '-');
	unsigned int n;

	if (!strcasecmp(name, base))
		return true;
	if (!dash || dash[1] == '0' || rdpprn_parse_uint(dash + 1, &n) ||
	    n < 2 || n > RDPPRN_Q_SUFFIX_MAX)
		return false;
	rdpprn_qname_suffix(base, n, cand);
	return !strcasecmp(name, cand);
}

/* The length of the valid UTF-8 character at @s, 0 if it is not one. */
static size_t rdpprn_utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/**
 * rdpprn_qtext() - a client's name as an IPP text attribute
 * @in: the name
 * @out: the result
 * @size: size of @out, at most RDPPRN_Q_TEXT_MAX + 1 is used
 *
 * cupsd refuses text that is not UTF-8 or holds control characters: a
 * control character becomes a blank, a byte that starts no valid UTF-8
 * character a '?', and the text is cut on a character boundary.
 */
void rdpprn_qtext(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0, len;

	if (size > RDPPRN_Q_TEXT_MAX + 1)
		size = RDPPRN_Q_TEXT_MAX + 1;
	while (*p) {
		len = rdpprn_utf8_len(p);
		if (len == 1 || !len) {
			if (n + 1 >= size)
				break;
			out[n++] = !len ? '?' : (*p < 0x20 || *p == 0x7f) ?
				   ' ' : (char)*p;
			p++;
			continue;
		}
		if (n + len >= size)
			break;
		/* memmove: the callers may pass @in as @out */
		memmove(out + n, p, len);
		n += len;
		p += len;
	}
	out[n] = '\0';
}

/**
 * rdpprn_qdriver_pick() - the driver of a printer
 * @c: the configuration
 * @driver_name: the client's DriverName
 *
 * The first driver line whose pattern matches (fnmatch(3),
 * case-insensitive, '\' is no escape as in rdpprnd.conf), else the
 * universal driver.
 *
 * Return: the driver, NULL for "no queue" (universal = none).
 */
const struct rdpprn_qdriver *rdpprn_qdriver_pick(const struct rdpprn_qconf *c,
						 const char *driver_name)
{
	size_t i;

	for (i = 0; i < c->n_drivers; i++)
		if (!fnmatch(c->drivers[i].pattern, driver_name,
			     FNM_NOESCAPE | FNM_CASEFOLD))
			return &c->drivers[i];
	return c->universal.ppd ? &c->universal : NULL;
}

/**
 * rdpprn_queue_classify() - set @q->ours and the URI's names
 * @q: a queue as listed, its other fields set
 *
 * Return: @q->ours.
 */
bool rdpprn_queue_classify(struct rdpprn_queue *q)
{
	struct rdpprn_uri *u;

	q->ours = false;
	if (!q->uri || rdpprn_uri_parse(q->uri, &u))
		return false;
	if (u->has_id) {
		q->user = strdup(u->user);
		q->client = strdup(u->client);
		q->printer = strdup(u->printer);
		q->ours = q->user && q->client && q->printer;
	}
	rdpprn_uri_free(u);
	return q->ours;
}

void rdpprn_queue_clear(struct rdpprn_queue *q)
{
	free(q->name);
	free(q->uri);
	free(q->info);
	free(q->location);
	free(q->model);
	free(q->allowed);
	free(q->user);
	free(q->client);
	free(q->printer);
	memset(q, 0, sizeof(*q));
}

void rdpprn_queues_free(struct rdpprn_queue *list, size_t count)
{
	size_t i;

	for (i = 0; list && i < count; i++)
		rdpprn_queue_clear(&list[i]);
	free(list);
}

/* The order in which printers claim names: the older keeps its name. */
static const struct rdpprn_printer *rdpprn_sort_base;

static int rdpprn_printer_cmp(const void *a, const void *b)
{
	const struct rdpprn_printer *p = &rdpprn_sort_base[*(const size_t *)a];
	const struct rdpprn_printer *q = &rdpprn_sort_base[*(const size_t *)b];

	if (p->uid != q->uid)
		return p->uid < q->uid ? -1 : 1;
	if (p->session != q->session)
		return p->session < q->session ? -1 : 1;
	if (p->device_id != q->device_id)
		return p->device_id < q->device_id ? -1 : 1;
	return 0;
}

static bool rdpprn_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static bool rdpprn_name_wanted(const struct rdpprn_plan *plan,
			       const char *name)
{
	size_t i;

	for (i = 0; i < plan->n_want; i++)
		if (!strcasecmp(plan->want[i].name, name))
			return true;
	return false;
}

static int rdpprn_queue_find(const struct rdpprn_queue *queues, size_t n,
			     const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(queues[i].name, name))
			return (int)i;
	return -1;
}

/*
 * Step 1: a want per printer that gets a queue, in claiming order, with
 * its base name in @bases; the name itself comes later.
 */
static int rdpprn_plan_wants(const struct rdpprn_qconf *c,
			     const struct rdpprn_printer *printers,
			     const size_t *order, size_t n,
			     const char *const *users,
			     const struct rdpprn_qpass *pass,
			     struct rdpprn_plan *plan,
			     char (*bases)[RDPPRN_Q_NAME_MAX + 1])
{
	const struct rdpprn_qrule *rule;
	struct rdpprn_qvars v;
	bool forced;
	struct rdpprn_want *w;
	char *expanded;
	size_t k, j, i;
	int ret;

	for (k = 0; k < n; k++) {
		const struct rdpprn_printer *p = &printers[order[k]];

		i = order[k];
		if (!users[i]) {
			plan->skip[i] = RDPPRN_Q_SKIP_USER;
			continue;
		}
		rule = pass && pass->rule ? pass->rule[i] : NULL;
		/* delete: no queue, and the one it had is nobody's: deleted */
		if (rule && rule->action == RDPPRN_QP_DELETE) {
			plan->skip[i] = RDPPRN_Q_SKIP_POLICY;
			continue;
		}
		forced = rule && rule->default_printer == RDPPRN_QP_DEF_FORCE;
		w = &plan->want[plan->n_want];
		memset(w, 0, sizeof(*w));
		w->drv = rdpprn_qrule_driver(c, rule, p->driver_name);
		if (!w->drv) {
			plan->skip[i] = RDPPRN_Q_SKIP_DRIVER;
			continue;
		}
		if (rdpprn_uri_build(w->uri, sizeof(w->uri), users[i],
				     p->client_name, p->printer_name,
				     &p->device_id) < 0) {
			plan->skip[i] = RDPPRN_Q_SKIP_URI;
			continue;
		}
		/*
		 * A reconnect may show the old session's printer and the new
		 * one's side by side with one URI; the backend prints to the
		 * newest, so one queue serves both, with the newest's flag.
		 */
		for (j = 0; j < plan->n_want; j++)
			if (!strcmp(plan->want[j].uri, w->uri))
				break;
		if (j < plan->n_want) {
			plan->want[j].is_default = p->is_default || forced;
			plan->skip[i] = RDPPRN_Q_SKIP_SAME;
			continue;
		}
		v.printer = p->printer_name;
		v.client = p->client_name;
		v.user = users[i];
		v.device_id = p->device_id;
		v.session = p->session;
		ret = rdpprn_qname_expand(rule && rule->queue_name ?
					  rule->queue_name : c->queue_name,
					  &v, &expanded);
		if (ret)
			return ret;
		rdpprn_qname_sanitize(expanded, bases[plan->n_want]);
		free(expanded);
		w->user = users[i];
		w->printer = p;
		w->is_default = p->is_default || forced;
		w->queue = -1;
		w->rule = rule;
		rdpprn_qtext(p->printer_name, w->info, sizeof(w->info));
		if (*p->client_name)
			snprintf(w->location, sizeof(w->location),
				 "%s (RDP, %s)", p->client_name, users[i]);
		else
			snprintf(w->location, sizeof(w->location),
				 "RDP, %s", users[i]);
		rdpprn_qtext(w->location, w->location, sizeof(w->location));
		plan->n_want++;
	}
	return 0;
}

/*
 * Step 2: every printer takes back the agent's queue that has its
 * identity (user, client, printer name) under one of its names, the one
 * with its very URI first. This runs for all printers before any new
 * name is given, so that a newcomer never takes a queue that a printer
 * still has: names stay put.
 */
static void rdpprn_plan_claim(struct rdpprn_plan *plan,
			      const struct rdpprn_queue *queues, size_t nq,
			      char (*bases)[RDPPRN_Q_NAME_MAX + 1],
			      bool *claimed)
{
	size_t k, j;
	int best;

	for (k = 0; k < plan->n_want; k++) {
		struct rdpprn_want *w = &plan->want[k];

		best = -1;
		for (j = 0; j < nq; j++) {
			const struct rdpprn_queue *q = &queues[j];

			if (!q->ours || claimed[j] || strcmp(q->user, w->user) ||
			    strcmp(q->client, w->printer->client_name) ||
			    strcmp(q->printer, w->printer->printer_name) ||
			    !rdpprn_qname_is(bases[k], q->name))
				continue;
			if (best < 0 || (!strcmp(q->uri, w->uri) &&
					 strcmp(queues[best].uri, w->uri)))
				best = (int)j;
		}
		if (best < 0)
			continue;
		claimed[best] = true;
		w->queue = best;
		snprintf(w->name, sizeof(w->name), "%s", queues[best].name);
	}
}

/*
 * Step 3: a name for the rest: the base name, else -2, -3, ... The name
 * is taken when an earlier printer wants it or a queue that is not the
 * agent's has it; an agent's queue no printer claimed is reused, but
 * only for its own user: a queue never passes from one user to another.
 */
static void rdpprn_plan_name(struct rdpprn_plan *plan,
			     const struct rdpprn_queue *queues, size_t nq,
			     char (*bases)[RDPPRN_Q_NAME_MAX + 1],
			     bool *claimed)
{
	char cand[RDPPRN_Q_NAME_MAX + 1];
	unsigned int n;
	size_t k;
	int j;

	for (k = 0; k < plan->n_want; k++) {
		struct rdpprn_want *w = &plan->want[k];

		if (*w->name)
			continue;
		for (n = 1; n <= RDPPRN_Q_SUFFIX_MAX; n++) {
			rdpprn_qname_suffix(bases[k], n, cand);
			if (rdpprn_name_wanted(plan, cand))
				continue;
			j = rdpprn_queue_find(queues, nq, cand);
			if (j >= 0 && (!queues[j].ours || claimed[j] ||
				       strcmp(queues[j].user, w->user)))
				continue;
			if (j >= 0) {
				claimed[j] = true;
				w->queue = j;
			}
			strcpy(w->name, cand);
			break;
		}
	}
}

static bool rdpprn_in(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(names[i], name))
			return true;
	return false;
}

/*
 * Whether an existing queue's printer is new to the agent: a printer
 * (session, device) other than the one the previous pass saw under the
 * queue's name, or the first pass of a configuration. That is when
 * update and replace act ("on reconnect", and after a reload).
 */
static bool rdpprn_plan_renewed(const struct rdpprn_qpass *pass,
				const struct rdpprn_want *w)
{
	size_t i;

	if (pass->fresh)
		return true;
	for (i = 0; i < pass->n_seen; i++)
		if (!strcasecmp(pass->seen[i].name, w->name))
			return pass->seen[i].session != w->printer->session ||
			       pass->seen[i].minor != w->printer->minor;
	return true;
}

/* Whether the user's default follows the client, per the rule. */
static bool rdpprn_plan_follows(const struct rdpprn_qconf *c,
				const struct rdpprn_want *w)
{
	if (!w->rule || w->rule->default_printer == RDPPRN_QP_DEF_GLOBAL)
		return c->default_printer;
	return w->rule->default_printer != RDPPRN_QP_DEF_NO;
}

static bool rdpprn_want_forced(const struct rdpprn_want *w)
{
	return w->rule && w->rule->default_printer == RDPPRN_QP_DEF_FORCE;
}

/*
 * A printer a rule forces as its user's default wins over the client's
 * default, as GPP's "Set this printer as the default printer" does.
 */
static void rdpprn_plan_forced(struct rdpprn_plan *plan)
{
	size_t k, j;

	for (k = 0; k < plan->n_want; k++) {
		if (!plan->want[k].set_default ||
		    rdpprn_want_forced(&plan->want[k]))
			continue;
		for (j = 0; j < plan->n_want; j++)
			if (rdpprn_want_forced(&plan->want[j]) &&
			    !strcmp(plan->want[j].user, plan->want[k].user))
				plan->want[k].set_default = false;
	}
}

/* Step 4: what to do with each want. */
static void rdpprn_plan_actions(const struct rdpprn_qconf *c,
				struct rdpprn_plan *plan,
				const struct rdpprn_queue *queues,
				const char *const *was_default, size_t n_was,
				const struct rdpprn_qpass *pass)
{
	const struct rdpprn_queue *q;
	struct rdpprn_want *w;
	bool renewed;
	size_t k;

	for (k = 0; k < plan->n_want; k++) {
		w = &plan->want[k];
		/* cupsd shows the name for an empty printer-info */
		if (!*w->info)
			snprintf(w->info, sizeof(w->info), "%s", w->name);
		if (w->queue < 0) {
			w->action = RDPPRN_Q_CREATE;
			w->set_driver = true;
		} else {
			q = &queues[w->queue];
			/*
			 * cupsd reports no ppd-name, only the make and model
			 * of the PPD, and CUPS-Get-PPDs cannot look a
			 * ppd-name up: what can be seen is whether a queue
			 * is raw. A change from one PPD to another reaches
			 * new queues only.
			 */
			w->set_driver = !strcmp(w->drv->ppd, RDPPRN_Q_RAW) !=
					rdpprn_eq(q->model, RDPPRN_Q_RAW_MODEL);
			w->action = w->set_driver ||
				    !rdpprn_eq(q->uri, w->uri) ||
				    !rdpprn_eq(q->info, w->info) ||
				    !rdpprn_eq(q->location, w->location) ||
				    !rdpprn_eq(q->allowed, w->user) ||
				    q->shared || !q->accepting ?
				    RDPPRN_Q_MODIFY : RDPPRN_Q_KEEP;
			renewed = pass && w->rule &&
				  rdpprn_plan_renewed(pass, w);
			/*
			 * update: the driver is sent again, for the change
			 * from one PPD to another that cannot be seen;
			 * replace: the queue is made anew, without the
			 * options it had.
			 */
			if (renewed && w->rule->action == RDPPRN_QP_UPDATE) {
				w->set_driver = true;
				w->action = RDPPRN_Q_MODIFY;
			} else if (renewed &&
				   w->rule->action == RDPPRN_QP_REPLACE) {
				w->set_driver = true;
				w->action = RDPPRN_Q_REPLACE;
			}
		}
		/*
		 * The user's lpoptions are written when the queue is new or
		 * has just become the client's default, not on every pass:
		 * a user who picks another default keeps it. Without a
		 * previous pass (@was_default NULL) only new queues count.
		 */
		w->set_default = rdpprn_plan_follows(c, w) && w->is_default &&
				 (w->action == RDPPRN_Q_CREATE ||
				  w->action == RDPPRN_Q_REPLACE ||
				  (was_default &&
				   !rdpprn_in(was_default, n_was, w->name)));
	}
	rdpprn_plan_forced(plan);
}

/**
 * rdpprn_plan() - the queues the printers should have, and the changes
 * @c: the configuration
 * @printers: rdpprn_scan()'s printers
 * @n_printers: how many
 * @users: per printer, its owner's login name, NULL if the uid has none
 * @queues: CUPS's queues, classified (rdpprn_queue_classify())
 * @n_queues: how many
 * @was_default: names of the queues that were a client's default in the
 *	previous plan, NULL when there was none (the agent just started)
 * @n_was_default: how many
 * @plan: the result, to free with rdpprn_plan_free()
 *
 * Printers claim names in the order (uid, session, DeviceId), so that the
 * older printer keeps the name both want; CUPS compares names without
 * case, and so does this. Every agent's queue that no printer claims is
 * to be deleted; the others' queues are only ever names to avoid.
 *
 * Return: 0 or -ENOMEM.
 */
int rdpprn_plan(const struct rdpprn_qconf *c,
		const struct rdpprn_printer *printers, size_t n_printers,
		const char *const *users, const struct rdpprn_queue *queues,
		size_t n_queues, const char *const *was_default,
		size_t n_was_default, struct rdpprn_plan *plan)
{
	return rdpprn_plan_policy(c, printers, n_printers, users, queues,
				  n_queues, was_default, n_was_default, NULL,
				  plan);
}

/**
 * rdpprn_plan_policy() - rdpprn_plan() under the site policy
 * @c: the configuration
 * @printers: rdpprn_scan()'s printers
 * @n_printers: how many
 * @users: per printer, its owner's login name, NULL if the uid has none
 * @queues: CUPS's queues, classified (rdpprn_queue_classify())
 * @n_queues: how many
 * @was_default: as for rdpprn_plan()
 * @n_was_default: how many
 * @pass: the rule of each printer and what the previous pass saw; NULL
 *	is rdpprn_plan(): no rule applies
 * @plan: the result, to free with rdpprn_plan_free()
 *
 * A rule sets the printer's name template, driver and default-printer
 * rule. Its action: delete, the printer has no queue (the one it had is
 * deleted as nobody's); create, as without a rule; update and replace,
 * an existing queue whose printer is new (rdpprn_plan_renewed()) gets
 * its driver sent again (RDPPRN_Q_MODIFY) or is made anew
 * (RDPPRN_Q_REPLACE). "default_printer = force" makes the printer its
 * user's default as the client's default would.
 *
 * Return: 0 or -ENOMEM.
 */
int rdpprn_plan_policy(const struct rdpprn_qconf *c,
		       const struct rdpprn_printer *printers,
		       size_t n_printers, const char *const *users,
		       const struct rdpprn_queue *queues, size_t n_queues,
		       const char *const *was_default, size_t n_was_default,
		       const struct rdpprn_qpass *pass,
		       struct rdpprn_plan *plan)
{
	char (*bases)[RDPPRN_Q_NAME_MAX + 1] = NULL;
	bool *claimed = NULL;
	size_t *order = NULL, i, k;
	int ret = -ENOMEM;

	memset(plan, 0, sizeof(*plan));
	plan->want = calloc(n_printers + 1, sizeof(*plan->want));
	plan->skip = calloc(n_printers + 1, sizeof(*plan->skip));
	plan->del = calloc(n_queues + 1, sizeof(*plan->del));
	bases = calloc(n_printers + 1, sizeof(*bases));
	claimed = calloc(n_queues + 1, sizeof(*claimed));
	order = calloc(n_printers + 1, sizeof(*order));
	if (!plan->want || !plan->skip || !plan->del || !bases || !claimed ||
	    !order)
		goto out;
	for (i = 0; i < n_printers; i++)
		order[i] = i;
	rdpprn_sort_base = printers;
	qsort(order, n_printers, sizeof(*order), rdpprn_printer_cmp);
	ret = rdpprn_plan_wants(c, printers, order, n_printers, users, pass,
				plan, bases);
	if (ret)
		goto out;
	rdpprn_plan_claim(plan, queues, n_queues, bases, claimed);
	rdpprn_plan_name(plan, queues, n_queues, bases, claimed);
	/* printers without a free name drop out */
	for (i = 0, k = 0; i < plan->n_want; i++) {
		if (!*plan->want[i].name) {
			plan->skip[plan->want[i].printer - printers] =
				RDPPRN_Q_SKIP_NAME;
			continue;
		}
		plan->want[k++] = plan->want[i];
	}
	plan->n_want = k;
	rdpprn_plan_actions(c, plan, queues, was_default, n_was_default,
			    pass);
	for (i = 0; i < n_queues; i++)
		if (queues[i].ours && !claimed[i])
			plan->del[plan->n_del++] = i;
out:
	free(bases);
	free(claimed);
	free(order);
	if (ret)
		rdpprn_plan_free(plan);
	return ret;
}

void rdpprn_plan_free(struct rdpprn_plan *plan)
{
	free(plan->want);
	free(plan->del);
	free(plan->skip);
	memset(plan, 0, sizeof(*plan));
}
