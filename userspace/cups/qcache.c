// SPDX-License-Identifier: GPL-2.0
/*
 * qcache.c - options that follow the user, the Point and Print analog
 * (Documentation/cups.rst, "Options that follow the user").
 *
 * The client keeps a blob per printer name for us: what we last sent it
 * with printer cache data (DR_PRN_CACHE_DATA, update) comes back as the
 * printer's CachedPrinterConfigData in the next session. The agent puts
 * the user's options for the queue there (qopts.c's format) and, when a
 * new queue is made for the printer, gives the user those options back.
 *
 * Per printer the agent remembers the options as they were when it first
 * saw the queue, and sends an update only when the user's lpoptions say
 * otherwise: nothing is sent twice, and a session where the user changes
 * nothing sends nothing. Only update and delete: FreeRDP clients end the
 * connection on add and rename (interop.rst).
 *
 * A printer the site's policy deletes (action = delete) has no queue
 * here: its client is told once a session to forget what it keeps for
 * it, as a Windows host does for a printer deleted in the session.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprn_nl.h"
#include "rdpprn_queued.h"

/* What sysfs shows is at most max_config, itself under 64 KiB. */
#define RDPPRN_QCACHE_READ_MAX	(64 * 1024)

/**
 * struct rdpprn_qfollow - a printer whose options the agent follows
 * @queue: its queue
 * @session: kernel session id
 * @device_id: the client's DeviceId
 * @last: the options the client has (sent, or found at first sight)
 */
struct rdpprn_qfollow {
	char *queue;
	unsigned int session;
	uint32_t device_id;
	struct rdpprn_qopts last;
};

/* What the client kept for @p (sysfs cached_config); 0 or -errno. */
static int rdpprn_qcache_read(const struct rdpprn_printer *p,
			      const char *sysfs, u8 **blob, size_t *len)
{
	char *path;
	int ret;

	*blob = NULL;
	*len = 0;
	if (asprintf(&path, "%s/%s/cached_config", sysfs, p->devname) < 0)
		return -ENOMEM;
	ret = rdpprn_read_file(path, RDPPRN_QCACHE_READ_MAX, blob, len);
	free(path);
	return ret;
}

/*
 * Gives a new queue the options its client kept, if they are ours.
 * Returns false when cupsd could not take them (the queue is not there
 * yet, or cupsd failed): the next pass tries again.
 */
static bool rdpprn_qcache_apply(const struct rdpprn_want *w,
				const char *sysfs)
{
	const struct rdpprn_printer *p = w->printer;
	struct rdpprn_qopts *o = rdpprn_xzalloc(sizeof(*o));
	struct rdpprn_qopts_err err;
	unsigned int n;
	size_t len;
	u8 *blob;
	int ret;

	ret = rdpprn_qcache_read(p, sysfs, &blob, &len);
	if (ret)
		rdpprn_warn("options for %s: reading %s's cached_config: %s",
			    w->name, p->devname, strerror(-ret));
	/* nothing to apply: only cupsd's failures are tried again */
	if (ret) {
		ret = 0;
		goto out;
	}
	if (!len) {
		rdpprn_dbg("options for %s: the client kept none", w->name);
		goto out;
	}
	/* not ours (a Windows DEVMODE), or broken: the queue gets none */
	if (rdpprn_qopts_decode(blob, len, o, &err)) {
		rdpprn_notice("options for %s of %s: the client's cached configuration (%zu bytes) refused at line %u: %s",
			      w->name, w->user, len, err.line, err.msg);
		goto out;
	}
	n = o->n;
	if (!n)
		goto out;
	ret = rdpprn_lpoptions_apply(w->user, w->name, o);
	if (ret)
		rdpprn_warn("options for %s of %s: cannot apply: %s", w->name,
			    w->user, strerror(-ret));
	else
		rdpprn_info("options for %s of %s: %u of %u from the client applied",
			    w->name, w->user, o->n, n);
out:
	free(o);
	free(blob);
	return ret != -ENOENT && ret != -EIO;
}

/* One printer cache data event for @p; 0 or -errno, @res says why. */
static int rdpprn_qcache_event(const struct rdpprn_printer *p,
			       enum rdpprn_cache_event event,
			       const char *config, size_t len,
			       struct rdpprn_nl_res *res)
{
	struct rdpprn_nl_cache c = {
		.session_id = p->session,
		.device_id = p->device_id,
		.event = event,
		.config = (const u8 *)config,
		.config_len = len,
	};
	struct rdpprn_nl nl = {};
	int ret;

	ret = rdpprn_nl_open(&nl, NULL, NULL, res);
	if (!ret)
		ret = rdpprn_nl_printer_cache(&nl, &c, res);
	if (nl.sk)
		rdpprn_nl_close(&nl);
	return ret;
}

/* RDPPRN_CACHE_UPDATE with @o for @w's printer; 0 or -errno. */
static int rdpprn_qcache_send(const struct rdpprn_want *w,
			      const struct rdpprn_qopts *o)
{
	struct rdpprn_nl_res res = { .msg = "out of memory" };
	char *blob;
	int n, ret;

	n = rdpprn_qopts_encode(o, NULL, 0);
	blob = rdpprn_xmalloc((size_t)n);
	rdpprn_qopts_encode(o, blob, (size_t)n);
	ret = rdpprn_qcache_event(w->printer, RDPPRN_CACHE_UPDATE, blob,
				  (size_t)n, &res);
	free(blob);
	if (ret) {
		rdpprn_warn("options for %s of %s: cannot send them to the client: %s",
			    w->name, w->user, res.msg);
		return ret;
	}
	rdpprn_info("options for %s of %s: %u sent to the client (session %u, printer %u, %d bytes)",
		    w->name, w->user, o->n, w->printer->session,
		    w->printer->device_id, n);
	return 0;
}

static struct rdpprn_qfollow *rdpprn_qcache_find(struct rdpprn_qstate *st,
						 const struct rdpprn_want *w)
{
	struct rdpprn_qfollow *f;
	size_t i;

	for (i = 0; i < st->n_follow; i++) {
		f = &st->follow[i];
		if (f->queue && f->session == w->printer->session &&
		    f->device_id == w->printer->device_id &&
		    !strcmp(f->queue, w->name))
			return f;
	}
	return NULL;
}

static void rdpprn_qfollow_free(struct rdpprn_qstate *st)
{
	size_t i;

	for (i = 0; i < st->n_follow; i++)
		free(st->follow[i].queue);
	free(st->follow);
	st->follow = NULL;
	st->n_follow = 0;
}

/**
 * rdpprn_qcache_pass() - options that follow the user, after a pass
 * @st: the agent's state (the printers followed)
 * @plan: the pass's plan, carried out
 * @sysfs: the sysfs class directory (cached_config)
 *
 * A printer seen for the first time whose queue the pass created or
 * modified gets its client's options (rdpprn_qcache_apply()); for every
 * printer the user's options are read, and sent to the client when they
 * changed since they were last seen.
 */
void rdpprn_qcache_pass(struct rdpprn_qstate *st,
			const struct rdpprn_plan *plan, const char *sysfs)
{
	struct rdpprn_qfollow *next, *f;
	const struct rdpprn_want *w;
	struct rdpprn_qopts *cur;
	size_t i, n = 0;
	int ret;

	next = calloc(plan->n_want + 1, sizeof(*next));
	cur = malloc(sizeof(*cur));
	if (!next || !cur) {
		free(next);
		free(cur);
		return;
	}
	for (i = 0; i < plan->n_want; i++) {
		w = &plan->want[i];
		f = rdpprn_qcache_find(st, w);
		/* not followed until applied: a failed create comes again */
		if (!f && w->action != RDPPRN_Q_KEEP &&
		    !rdpprn_qcache_apply(w, sysfs))
			continue;
		ret = rdpprn_lpoptions_read(w->user, w->name, cur);
		if (ret) {
			rdpprn_dbg("options for %s of %s: cannot read them: %s",
				   w->name, w->user, strerror(-ret));
		} else if (!f) {
			/* first sight: what the client has is what is there */
			next[n].queue = rdpprn_xstrdup(w->name);
			next[n].session = w->printer->session;
			next[n].device_id = w->printer->device_id;
			next[n++].last = *cur;
			continue;
		} else if (memcmp(cur, &f->last, sizeof(*cur)) &&
			   !rdpprn_qcache_send(w, cur)) {
			f->last = *cur;
		}
		if (f) {
			next[n++] = *f;
			f->queue = NULL;
		}
	}
	free(cur);
	rdpprn_qfollow_free(st);
	st->follow = next;
	st->n_follow = n;
}

static bool rdpprn_qcache_forgot(const struct rdpprn_qstate *st,
				 const struct rdpprn_printer *p)
{
	size_t i;

	for (i = 0; i < st->n_forgot; i++)
		if (st->forgot[i].session == p->session &&
		    st->forgot[i].device_id == p->device_id)
			return true;
	return false;
}

/**
 * rdpprn_qcache_forget() - clients forget the printers the policy deletes
 * @st: the agent's state (the printers done already)
 * @plan: the pass's plan
 * @list: the printers it was made for
 * @n: how many
 * @sysfs: the sysfs class directory (cached_config)
 *
 * A printer a rule deletes (RDPPRN_Q_SKIP_POLICY) whose client kept
 * data for it gets one printer cache data delete per session; a client
 * that kept nothing is sent nothing. A failure is tried again next pass.
 */
void rdpprn_qcache_forget(struct rdpprn_qstate *st,
			  const struct rdpprn_plan *plan,
			  const struct rdpprn_printer *list, size_t n,
			  const char *sysfs)
{
	struct rdpprn_nl_res res = { .msg = "out of memory" };
	struct rdpprn_qforgot *next;
	const struct rdpprn_printer *p;
	size_t i, k = 0, len;
	u8 *blob;
	int ret;

	next = calloc(n + 1, sizeof(*next));
	if (!next)
		return;
	for (i = 0; i < n; i++) {
		p = &list[i];
		if (plan->skip[i] != RDPPRN_Q_SKIP_POLICY)
			continue;
		if (!rdpprn_qcache_forgot(st, p)) {
			ret = rdpprn_qcache_read(p, sysfs, &blob, &len);
			free(blob);
			if (ret)
				continue;
			if (len && rdpprn_qcache_event(p, RDPPRN_CACHE_DELETE,
						       NULL, 0, &res)) {
				rdpprn_warn("%s (session %u, printer %u): cannot tell its client to forget it: %s",
					    p->devname, p->session,
					    p->device_id, res.msg);
				continue;
			}
			if (len)
				rdpprn_info("%s (session %u, printer %u): the policy deletes it; its client was told to forget the %zu bytes it kept for it",
					    p->devname, p->session,
					    p->device_id, len);
		}
		next[k].session = p->session;
		next[k++].device_id = p->device_id;
	}
	free(st->forgot);
	st->forgot = next;
	st->n_forgot = k;
}

void rdpprn_qcache_free(struct rdpprn_qstate *st)
{
	rdpprn_qfollow_free(st);
	free(st->forgot);
	st->forgot = NULL;
	st->n_forgot = 0;
}
