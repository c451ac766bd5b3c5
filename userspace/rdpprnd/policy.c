// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the site policy decision for one announced printer.
 *
 * Refusal statuses: "printing disabled" is STATUS_NOT_SUPPORTED, what the
 * spec and xrdp send when a server does no printing; a printer the policy
 * filters out gets STATUS_ACCESS_DENIED (the client may have it, this
 * server does not allow it); past max_printers the answer is
 * STATUS_INSUFFICIENT_RESOURCES, as the kernel gives past its own limit.
 * Every non-zero status makes the client drop the device.
 */
#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include "policy.h"

void rdpprn_policy_init(struct rdpprn_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->redirect = RDPPRN_REDIRECT_ALL;
	p->default_follows_client = true;
}

static void rdpprn_patterns_free(char **pat, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(pat[i]);
	free(pat);
}

void rdpprn_policy_free(struct rdpprn_policy *p)
{
	rdpprn_patterns_free(p->include, p->n_include);
	rdpprn_patterns_free(p->exclude, p->n_exclude);
	rdpprn_policy_init(p);
}

int rdpprn_policy_add(struct rdpprn_policy *p, bool exclude,
		      const char *pattern)
{
	char ***pat = exclude ? &p->exclude : &p->include;
	unsigned int *n = exclude ? &p->n_exclude : &p->n_include;

	if (*n >= RDPPRN_POLICY_MAX_PATTERNS)
		return -E2BIG;
	*pat = rdpprn_xrealloc(*pat, (*n + 1) * sizeof(**pat));
	(*pat)[(*n)++] = rdpprn_xstrdup(pattern);
	return 0;
}

static const char *const rdpprn_redirect_names[] = {
	[RDPPRN_REDIRECT_ALL] = "all",
	[RDPPRN_REDIRECT_DEFAULT] = "default",
	[RDPPRN_REDIRECT_NONE] = "none",
};

int rdpprn_redirect_parse(const char *s, enum rdpprn_redirect *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rdpprn_redirect_names); i++) {
		if (!strcmp(s, rdpprn_redirect_names[i])) {
			*r = (enum rdpprn_redirect)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *rdpprn_redirect_name(enum rdpprn_redirect r)
{
	return (unsigned int)r < ARRAY_SIZE(rdpprn_redirect_names) ?
	       rdpprn_redirect_names[r] : "?";
}

/*
 * Printer names are case-insensitive on Windows, and '\' is literal
 * (network printers are "\\server\queue"), so it is no escape character.
 */
static const char *rdpprn_match(char *const *pat, unsigned int n,
				const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!fnmatch(pat[i], name, FNM_NOESCAPE | FNM_CASEFOLD))
			return pat[i];
	return NULL;
}

static void rdpprn_refuse(struct rdpprn_verdict *v, u32 status,
			  const char *reason, const char *pattern)
{
	v->accept = false;
	v->status = status;
	v->reason = reason;
	v->pattern = pattern;
}

void rdpprn_policy_decide(const struct rdpprn_policy *p, const char *name,
			  u32 flags, const struct rdpprn_policy_state *st,
			  struct rdpprn_verdict *v)
{
	bool is_default = flags & RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER;
	const char *excl = rdpprn_match(p->exclude, p->n_exclude, name);
	bool incl = !p->n_include ||
		    rdpprn_match(p->include, p->n_include, name);

	memset(v, 0, sizeof(*v));
	v->flags = flags;
	if (p->redirect == RDPPRN_REDIRECT_NONE)
		rdpprn_refuse(v, STATUS_NOT_SUPPORTED,
			      "printer redirection is disabled", NULL);
	else if (p->redirect == RDPPRN_REDIRECT_DEFAULT && !is_default)
		rdpprn_refuse(v, STATUS_ACCESS_DENIED,
			      "not the client's default printer", NULL);
	else if (p->redirect == RDPPRN_REDIRECT_DEFAULT && st->have_default)
		rdpprn_refuse(v, STATUS_ACCESS_DENIED,
			      "the session has its default printer already",
			      NULL);
	else if (excl)
		rdpprn_refuse(v, STATUS_ACCESS_DENIED, "excluded", excl);
	else if (!incl)
		rdpprn_refuse(v, STATUS_ACCESS_DENIED,
			      "matches no include pattern", NULL);
	else if (p->max_printers && st->accepted >= p->max_printers)
		rdpprn_refuse(v, STATUS_INSUFFICIENT_RESOURCES,
			      "max_printers reached", NULL);
	if (v->reason)
		return;
	v->accept = true;
	v->status = STATUS_SUCCESS;
	v->reason = "accepted";
	if (is_default && (!p->default_follows_client || st->have_default))
		v->flags &= ~RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER;
}
