/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - the site policy: which client printers a session gets.
 *
 * The Linux counterpart of the RDS group-policy printer settings ("Do not
 * allow client printer redirection", "Redirect only the default client
 * printer", default printer follows the client) plus name filters and a
 * per-session limit. Documentation/rdpprnd.rst lists the keys.
 */
#ifndef RDPPRND_POLICY_H
#define RDPPRND_POLICY_H

#include "rdpprn_util.h"

/* Patterns of one kind (include or exclude) a configuration may hold */
#define RDPPRN_POLICY_MAX_PATTERNS	256

/**
 * enum rdpprn_redirect - the "redirect" key
 * @RDPPRN_REDIRECT_ALL: every printer (subject to the filters)
 * @RDPPRN_REDIRECT_DEFAULT: only the client's default printer
 * @RDPPRN_REDIRECT_NONE: none: printer redirection is disabled
 */
enum rdpprn_redirect {
	RDPPRN_REDIRECT_ALL,
	RDPPRN_REDIRECT_DEFAULT,
	RDPPRN_REDIRECT_NONE,
};

/**
 * struct rdpprn_policy - the policy keys of the configuration
 * @redirect: &enum rdpprn_redirect
 * @include: fnmatch() patterns; when there is any, a printer must match one
 * @n_include: entries of @include
 * @exclude: fnmatch() patterns; a printer that matches one is refused
 * @n_exclude: entries of @exclude
 * @default_follows_client: keep the client's DEFAULT flag (else clear it)
 * @max_printers: printers per session, 0 for no limit of the policy's own
 */
struct rdpprn_policy {
	enum rdpprn_redirect redirect;
	char **include;
	unsigned int n_include;
	char **exclude;
	unsigned int n_exclude;
	bool default_follows_client;
	unsigned int max_printers;
};

/**
 * struct rdpprn_policy_state - what a session has so far
 * @accepted: printers accepted and not removed
 * @have_default: one of them carries the DEFAULT flag
 */
struct rdpprn_policy_state {
	unsigned int accepted;
	bool have_default;
};

/**
 * struct rdpprn_verdict - the decision for one printer
 * @accept: redirect the printer
 * @status: NTSTATUS for the client when refused, else STATUS_SUCCESS
 * @flags: the announce flags to forward (DEFAULT may be cleared)
 * @reason: why (static text, for the log)
 * @pattern: the include/exclude pattern that decided, or NULL
 */
struct rdpprn_verdict {
	bool accept;
	u32 status;
	u32 flags;
	const char *reason;
	const char *pattern;
};

void rdpprn_policy_init(struct rdpprn_policy *p);
void rdpprn_policy_free(struct rdpprn_policy *p);
/* Append a pattern; -E2BIG beyond RDPPRN_POLICY_MAX_PATTERNS. */
int rdpprn_policy_add(struct rdpprn_policy *p, bool exclude,
		      const char *pattern);
int rdpprn_redirect_parse(const char *s, enum rdpprn_redirect *r);
const char *rdpprn_redirect_name(enum rdpprn_redirect r);

/**
 * rdpprn_policy_decide() - apply the policy to one announced printer
 * @p: the policy
 * @name: PrinterName in UTF-8
 * @flags: the printer's announce flags
 * @st: what the session already has
 * @v: the decision
 *
 * A pure function: the same arguments always give the same decision.
 * Order: redirect = none, then redirect = default, then exclude, then
 * include, then max_printers. An accepted printer keeps DEFAULT only when
 * default_follows_client is set and the session has no default printer
 * yet, so that a session has at most one.
 */
void rdpprn_policy_decide(const struct rdpprn_policy *p, const char *name,
			  u32 flags, const struct rdpprn_policy_state *st,
			  struct rdpprn_verdict *v);

#endif /* RDPPRND_POLICY_H */
