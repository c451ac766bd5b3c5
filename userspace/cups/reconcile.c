// SPDX-License-Identifier: GPL-2.0
/*
 * reconcile.c - one pass of the agent: read the printers (sysfs) and the
 * queues (cupsd), plan (queues.c), carry the plan out and say what was
 * done. A pass is idempotent: with nothing changed it sends nothing but
 * CUPS-Get-Printers, so it may run as often as events come.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cups/cups.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

/*
 * The sysfs class directory; only the test build (-DRDPPRN_CUPS_TEST,
 * tests/Makefile, never installed) takes another from the environment,
 * as the backend's does.
 */
static const char *rdpprn_qd_sysfs(void)
{
#ifdef RDPPRN_CUPS_TEST
	const char *e = getenv("RDPPRN_CUPS_SYSFS");

	if (e)
		return e;
#endif
	return RDPPRN_CUPS_SYSFS;
}

/* The owners' login names, per printer; NULL where a uid has none. */
static char **rdpprn_users(const struct rdpprn_printer *list, size_t n)
{
	char **users = calloc(n + 1, sizeof(*users));
	struct passwd *pw;
	size_t i;

	if (!users)
		return NULL;
	for (i = 0; i < n; i++) {
		pw = getpwuid(list[i].uid);
		if (pw)
			users[i] = strdup(pw->pw_name);
	}
	return users;
}

static void rdpprn_users_free(char **users, size_t n)
{
	size_t i;

	for (i = 0; users && i < n; i++)
		free(users[i]);
	free(users);
}

static const char *const rdpprn_skip_why[] = {
	[RDPPRN_Q_SKIP_USER] = "its uid has no passwd entry",
	[RDPPRN_Q_SKIP_DRIVER] = "no driver line matches its driver and universal = none",
	[RDPPRN_Q_SKIP_URI] = "its names are too long for a device URI",
	[RDPPRN_Q_SKIP_NAME] = "no free queue name",
	[RDPPRN_Q_SKIP_POLICY] = "a rule's action is delete",
};

static void rdpprn_log_skips(const struct rdpprn_plan *plan,
			     const struct rdpprn_printer *list, size_t n,
			     bool loud)
{
	size_t i;

	for (i = 0; i < n; i++) {
		enum rdpprn_qskip s = plan->skip[i];

		if (s == RDPPRN_Q_SKIP_NONE || s == RDPPRN_Q_SKIP_SAME)
			continue;
		rdpprn_log(loud ? LOG_INFO : LOG_DEBUG,
			   "no queue for %s (uid %u, driver \"%.64s\"): %s",
			   list[i].devname, (unsigned int)list[i].uid,
			   list[i].driver_name, rdpprn_skip_why[s]);
	}
}

static void rdpprn_default(const struct rdpprn_want *w)
{
	int ret = rdpprn_lpdefault(w->user, w->name, true);

	if (ret)
		rdpprn_warn("default of %s: cannot set %s: %s", w->user,
			    w->name, strerror(-ret));
	else
		rdpprn_info("default of %s is %s", w->user, w->name);
}

/*
 * action = replace: the queue goes before it is made anew, its options
 * with it; but not its jobs: a queue with jobs that are not done (kept
 * for its client, keep_jobs) is only modified, so that they print.
 */
static void rdpprn_replace(http_t *http, struct rdpprn_want *w)
{
	if (rdpprn_ipp_pending(http, w->name)) {
		rdpprn_info("queue %s of %s: rule %s says replace, but it has jobs (or cupsd did not say): updated instead",
			    w->name, w->user, w->rule->name);
		w->action = RDPPRN_Q_MODIFY;
		return;
	}
	if (rdpprn_ipp_delete(http, w->name)) {
		rdpprn_err("replacing queue %s of %s: deleting it: %s",
			   w->name, w->user, rdpprn_ipp_error());
		w->action = RDPPRN_Q_MODIFY;
		return;
	}
	rdpprn_info("replacing queue %s of %s (rule %s)", w->name, w->user,
		    w->rule->name);
}

/*
 * The queue's operation policy, op_policy. Without it in cupsd.conf
 * the queue keeps cupsd's default policy, under which every local user
 * may list its jobs: said once, and again when it changes.
 */
static void rdpprn_policy(http_t *http, const struct rdpprn_want *w,
			  const struct rdpprn_qconf *c,
			  struct rdpprn_qstate *st)
{
	int ret = rdpprn_ipp_policy(http, w->name, c->op_policy);

	if (ret == -EIO) {
		rdpprn_err("queue %s of %s: setting policy %s: %s", w->name,
			   w->user, c->op_policy, rdpprn_ipp_error());
		return;
	}
	if (!ret)
		ret = 1;
	if (ret == st->policy_state)
		return;
	st->policy_state = ret;
	if (ret < 0)
		rdpprn_warn("cupsd.conf has no <Policy %s>: queues keep cupsd's default policy, under which any user may list their jobs (cups.rst, \"Job privacy\")",
			    c->op_policy);
	else
		rdpprn_info("queues get cupsd's policy %s", c->op_policy);
}

/* Creates and modifies; 0 or the first failure. */
static int rdpprn_apply_wants(http_t *http, const struct rdpprn_plan *plan,
			      const struct rdpprn_qconf *c,
			      struct rdpprn_qstate *st)
{
	struct rdpprn_want *w;
	size_t i;
	int ret, first = 0;

	for (i = 0; i < plan->n_want; i++) {
		w = &plan->want[i];
		if (w->action == RDPPRN_Q_REPLACE)
			rdpprn_replace(http, w);
		if (w->action != RDPPRN_Q_KEEP) {
			ret = rdpprn_ipp_put(http, w,
					     w->action != RDPPRN_Q_MODIFY);
			if (ret) {
				rdpprn_err("%s queue %s for %s: %s",
					   w->action != RDPPRN_Q_MODIFY ?
					   "creating" : "modifying", w->name,
					   w->user, rdpprn_ipp_error());
				first = first ?: ret;
				continue;
			}
			rdpprn_info("%s queue %s for %s (%s, %s)%s%s",
				    w->action != RDPPRN_Q_MODIFY ? "created" :
				    "modified", w->name, w->user, w->uri,
				    w->action != RDPPRN_Q_MODIFY ||
				    w->set_driver ? w->drv->ppd : "same driver",
				    w->rule ? ", rule " : "",
				    w->rule ? w->rule->name : "");
			rdpprn_policy(http, w, c, st);
		}
		if (w->set_default)
			rdpprn_default(w);
	}
	return first;
}

static long rdpprn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Empties @st's list of kept queues. */
static void rdpprn_kept_free(struct rdpprn_qstate *st)
{
	size_t i;

	for (i = 0; i < st->n_kept; i++)
		free(st->kept[i]);
	free(st->kept);
	free(st->kept_since);
	st->kept = NULL;
	st->kept_since = NULL;
	st->n_kept = 0;
}

/*
 * rdpprn_keep() - whether a queue the plan deletes stays for its jobs
 *
 * A printer that went away mid-job leaves the job pending: the backend
 * exits RETRY. Deleting the queue would cancel it; keeping it for
 * keep_jobs seconds lets a client that reconnects in time print it (the
 * plan gives the printer the same queue back). The time counts from the
 * first pass that found the queue without its printer; @kept, @since and
 * @n collect the queues kept by this pass, which replace @st's.
 */
static bool rdpprn_keep(http_t *http, const struct rdpprn_qconf *c,
			const struct rdpprn_qstate *st,
			const struct rdpprn_queue *q, char **kept, long *since,
			size_t *n)
{
	long now = rdpprn_now(), t0 = now;
	size_t i;
	int ret;

	if (!c->keep_jobs || !kept || !since)
		return false;
	ret = rdpprn_ipp_pending(http, q->name);
	if (ret <= 0)
		return false;
	for (i = 0; i < st->n_kept; i++)
		if (!strcmp(st->kept[i], q->name))
			t0 = st->kept_since[i];
	if (now - t0 >= c->keep_jobs) {
		rdpprn_info("queue %s of %s: its printer has been gone for %ld s, its jobs go with it",
			    q->name, q->user, now - t0);
		return false;
	}
	if (t0 == now)
		rdpprn_info("keeping queue %s of %s for its jobs, up to %u s, until the client comes back",
			    q->name, q->user, c->keep_jobs);
	kept[*n] = rdpprn_xstrdup(q->name);
	since[(*n)++] = t0;
	return true;
}

static int rdpprn_apply_deletes(http_t *http, const struct rdpprn_qconf *c,
				struct rdpprn_qstate *st,
				const struct rdpprn_plan *plan,
				const struct rdpprn_queue *queues)
{
	char **kept = calloc(plan->n_del + 1, sizeof(*kept));
	long *since = calloc(plan->n_del + 1, sizeof(*since));
	const struct rdpprn_queue *q;
	size_t i, n = 0;
	int ret, first = 0;

	for (i = 0; i < plan->n_del; i++) {
		q = &queues[plan->del[i]];
		if (rdpprn_keep(http, c, st, q, kept, since, &n))
			continue;
		/* before the delete: libcups drops unknown queues' lines */
		ret = rdpprn_lpdefault(q->user, q->name, false);
		if (ret && ret != -ESRCH && ret != -EPERM)
			rdpprn_warn("default of %s: cannot clear %s: %s",
				    q->user, q->name, strerror(-ret));
		ret = rdpprn_ipp_delete(http, q->name);
		if (ret) {
			rdpprn_err("deleting queue %s: %s", q->name,
				   rdpprn_ipp_error());
			first = first ?: ret;
			continue;
		}
		rdpprn_info("deleted queue %s of %s (%s)", q->name, q->user,
			    q->uri);
	}
	rdpprn_kept_free(st);
	st->kept = kept;
	st->kept_since = since;
	st->n_kept = n;
	return first;
}

static void rdpprn_seen_free(struct rdpprn_qstate *st)
{
	size_t i;

	for (i = 0; i < st->n_seen; i++)
		free(st->seen[i].name);
	free(st->seen);
	st->seen = NULL;
	st->n_seen = 0;
}

/*
 * Remembers which queues are their client's default now, and which
 * printer each queue had (site policy: update and replace act when it
 * is another).
 */
static void rdpprn_remember(struct rdpprn_qstate *st,
			    const struct rdpprn_plan *plan)
{
	size_t i;

	rdpprn_seen_free(st);
	st->seen = calloc(plan->n_want + 1, sizeof(*st->seen));
	for (i = 0; st->seen && i < plan->n_want; i++) {
		st->seen[i].name = rdpprn_xstrdup(plan->want[i].name);
		st->seen[i].session = plan->want[i].printer->session;
		st->seen[i].minor = plan->want[i].printer->minor;
		st->n_seen++;
	}
	st->reloaded = false;

	for (i = 0; i < st->n_defaults; i++)
		free(st->defaults[i]);
	free(st->defaults);
	st->defaults = calloc(plan->n_want + 1, sizeof(*st->defaults));
	st->n_defaults = 0;
	for (i = 0; st->defaults && i < plan->n_want; i++)
		if (plan->want[i].is_default)
			st->defaults[st->n_defaults++] =
				rdpprn_xstrdup(plan->want[i].name);
	st->planned = true;
}

void rdpprn_qstate_free(struct rdpprn_qstate *st)
{
	size_t i;

	for (i = 0; i < st->n_defaults; i++)
		free(st->defaults[i]);
	free(st->defaults);
	rdpprn_kept_free(st);
	rdpprn_seen_free(st);
	rdpprn_qcache_free(st);
	rdpprn_watch_close(st);
	memset(st, 0, sizeof(*st));
}

/**
 * rdpprn_reconcile() - make CUPS's queues what the printers need
 * @c: the configuration
 * @st: what the previous pass left
 * @loud: log printers without a queue at LOG_INFO (a pass after an event
 *	or at start), else at LOG_DEBUG (the periodic pass)
 *
 * Return: 0; -EIO when cupsd could not be reached or refused a change
 * (the caller tries again soon), or another -errno.
 */
int rdpprn_reconcile(struct rdpprn_qconf *c, struct rdpprn_qstate *st,
		     bool loud)
{
	const struct rdpprn_qrule **rules = NULL;
	struct rdpprn_printer *printers = NULL;
	struct rdpprn_queue *queues = NULL;
	struct rdpprn_qpass pass;
	struct rdpprn_plan plan;
	size_t np = 0, nq = 0;
	char **users = NULL;
	http_t *http;
	int ret, ret2;

	http = rdpprn_ipp_connect();
	if (!http) {
		rdpprn_err("cannot reach cupsd at %s: %s", cupsServer(),
			   rdpprn_ipp_error());
		return -EIO;
	}
	ret = rdpprn_ipp_list(http, &queues, &nq);
	if (ret) {
		rdpprn_err("listing CUPS's queues: %s", rdpprn_ipp_error());
		goto out;
	}
	ret = rdpprn_scan(rdpprn_qd_sysfs(), &printers, &np);
	if (ret) {
		rdpprn_err("reading %s: %s", rdpprn_qd_sysfs(), strerror(-ret));
		goto out;
	}
	users = rdpprn_users(printers, np);
	if (!users) {
		ret = -ENOMEM;
		goto out;
	}
	rules = rdpprn_qtarget(c, printers, np, (const char *const *)users,
			       rdpprn_qd_sysfs());
	if (!rules) {
		ret = -ENOMEM;
		goto out;
	}
	pass.rule = rules;
	pass.fresh = !st->planned || st->reloaded;
	pass.seen = st->seen;
	pass.n_seen = st->n_seen;
	ret = rdpprn_plan_policy(c, printers, np, (const char *const *)users,
				 queues, nq, st->planned ?
				 (const char *const *)st->defaults : NULL,
				 st->n_defaults, &pass, &plan);
	if (ret)
		goto out;
	rdpprn_log_skips(&plan, printers, np, loud);
	ret = rdpprn_apply_wants(http, &plan, c, st);
	/* watched before the options are read: no change falls between */
	rdpprn_watch_users(st, (const char *const *)users, np);
	rdpprn_qcache_pass(st, &plan, rdpprn_qd_sysfs());
	rdpprn_qcache_forget(st, &plan, printers, np, rdpprn_qd_sysfs());
	ret2 = rdpprn_apply_deletes(http, c, st, &plan, queues);
	ret = ret ?: ret2;
	rdpprn_dbg("pass done: %zu printers, %zu queues wanted, %zu deleted",
		   np, plan.n_want, plan.n_del);
	rdpprn_remember(st, &plan);
	rdpprn_plan_free(&plan);
out:
	free(rules);
	rdpprn_users_free(users, np);
	rdpprn_printers_free(printers, np);
	rdpprn_queues_free(queues, nq);
	rdpprn_ipp_close(http);
	return ret;
}
