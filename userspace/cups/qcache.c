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
 * nothing sends nothing. Only update: FreeRDP clients end the connection
 * on add and rename (interop.rst).
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
	size_t len = 0;
	u8 *blob = NULL;
	char *path;
	int ret = 0;

	if (asprintf(&path, "%s/%s/cached_config", sysfs, p->devname) < 0)
		goto out;
	ret = rdpprn_read_file(path, RDPPRN_QCACHE_READ_MAX, &blob, &len);
	if (ret)
		rdpprn_warn("options for %s: reading %s: %s", w->name, path,
			    strerror(-ret));
	free(path);
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

/* RDPPRN_CACHE_UPDATE with @o for @w's printer; 0 or -errno. */
static int rdpprn_qcache_send(const struct rdpprn_want *w,
			      const struct rdpprn_qopts *o)
{
	struct rdpprn_nl_res res = { .msg = "out of memory" };
	struct rdpprn_nl_cache c = {
		.session_id = w->printer->session,
		.device_id = w->printer->device_id,
		.event = RDPPRN_CACHE_UPDATE,
	};
	struct rdpprn_nl nl = {};
	char *blob;
	int n, ret;

	n = rdpprn_qopts_encode(o, NULL, 0);
	blob = rdpprn_xmalloc((size_t)n);
	rdpprn_qopts_encode(o, blob, (size_t)n);
	c.config = (const u8 *)blob;
	c.config_len = (size_t)n;
	ret = rdpprn_nl_open(&nl, NULL, NULL, &res);
	if (!ret)
		ret = rdpprn_nl_printer_cache(&nl, &c, &res);
	if (nl.sk)
		rdpprn_nl_close(&nl);
	free(blob);
	if (ret) {
		rdpprn_warn("options for %s of %s: cannot send them to the client: %s",
			    w->name, w->user, res.msg);
		return ret;
	}
	rdpprn_info("options for %s of %s: %u sent to the client (session %u, printer %u, %d bytes)",
		    w->name, w->user, o->n, c.session_id, c.device_id, n);
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
	rdpprn_qcache_free(st);
	st->follow = next;
	st->n_follow = n;
}

void rdpprn_qcache_free(struct rdpprn_qstate *st)
{
	size_t i;

	for (i = 0; i < st->n_follow; i++)
		free(st->follow[i].queue);
	free(st->follow);
	st->follow = NULL;
	st->n_follow = 0;
}
