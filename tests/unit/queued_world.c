// SPDX-License-Identifier: GPL-2.0
/*
 * queued_world.c - the test world of rdpprn-queued's plan
 * (queued_world.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "queued_world.h"

int qworld_parse(struct rdpprn_qconf *c, const char *text,
		 struct rdpprn_config_err *err)
{
	rdpprn_qconf_init(c);
	return rdpprn_qconf_parse(c, text, strlen(text), err);
}

struct qworld *qworld_new(const char *conf)
{
	struct qworld *w = calloc(1, sizeof(*w));
	struct rdpprn_config_err err;

	assert_non_null(w);
	assert_int_equal(qworld_parse(&w->c, conf, &err), 0);
	w->pass.rule = w->rule;
	return w;
}

int qworld_teardown(void **state)
{
	struct qworld *w = *state;
	size_t i;

	for (i = 0; i < w->np; i++)
		rdpprn_printer_clear(&w->p[i]);
	for (i = 0; i < w->nq; i++)
		rdpprn_queue_clear(&w->q[i]);
	rdpprn_qconf_free(&w->c);
	free(w);
	return 0;
}

/* The next queue, not yet classified (that allocates the URI's parts) */
static struct rdpprn_queue *qworld_slot(struct qworld *w, const char *name,
					const char *uri)
{
	struct rdpprn_queue *q = &w->q[w->nq++];

	memset(q, 0, sizeof(*q));
	q->name = strdup(name);
	q->uri = uri ? strdup(uri) : NULL;
	q->accepting = true;
	return q;
}

struct rdpprn_queue *qworld_add_queue(struct qworld *w, const char *name,
				      const char *uri)
{
	struct rdpprn_queue *q = qworld_slot(w, name, uri);

	rdpprn_queue_classify(q);
	return q;
}

struct rdpprn_queue *qworld_add_wanted(struct qworld *w,
				       const struct rdpprn_want *want)
{
	struct rdpprn_queue *q = qworld_slot(w, want->name, want->uri);

	q->info = strdup(want->info);
	q->location = strdup(want->location);
	q->allowed = strdup(want->user);
	q->model = strdup(!strcmp(want->drv->ppd, RDPPRN_Q_RAW) ?
			  RDPPRN_Q_RAW_MODEL : "Generic PostScript Printer");
	/* its URI makes it the agent's */
	assert_true(rdpprn_queue_classify(q));
	return q;
}

const struct rdpprn_want *qworld_want_of(const struct rdpprn_plan *pl,
					 const struct rdpprn_printer *p)
{
	size_t i;

	for (i = 0; i < pl->n_want; i++)
		if (pl->want[i].printer == p)
			return &pl->want[i];
	return NULL;
}
