// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_test_cases.c - the list of shared test cases, in a fixed order:
 * vector checks, vector round trips, truncation, synthetic round trips,
 * malformed families.
 */
#include "rdpdr_test.h"

#define RDPDR_TCASE_MAX	512

static struct rdpdr_tcase rdpdr_tcases[RDPDR_TCASE_MAX];
static unsigned int rdpdr_ntcases;

static void tadd(const char *group, const char *name,
		 const char *(*run)(struct rdpdr_tctx *, const void *),
		 const void *arg)
{
	struct rdpdr_tcase *c;

	if (rdpdr_ntcases >= RDPDR_TCASE_MAX)
		return;
	c = &rdpdr_tcases[rdpdr_ntcases++];
	c->group = group;
	c->name = name;
	c->run = run;
	c->arg = arg;
}

/* Fills the table once; the harnesses call it from one thread. */
static void tinit(void)
{
	unsigned int i, n;

	if (rdpdr_ntcases)
		return;
	n = rdpdr_vector_count();
	for (i = 0; i < n; i++)
		tadd("vector", rdpdr_vector_name(i), rdpdr_vector_check,
		     rdpdr_vector_arg(i));
	for (i = 0; i < n; i++)
		if (rdpdr_vector_has_roundtrip(i))
			tadd("roundtrip", rdpdr_vector_name(i),
			     rdpdr_vector_roundtrip, rdpdr_vector_arg(i));
	for (i = 0; i < n; i++)
		tadd("truncate", rdpdr_vector_name(i), rdpdr_vector_truncate,
		     rdpdr_vector_arg(i));
	for (i = 0; i < rdpdr_synth_case_count; i++)
		rdpdr_tcases[rdpdr_ntcases < RDPDR_TCASE_MAX ?
			     rdpdr_ntcases++ : 0] = rdpdr_synth_cases[i];
	n = rdpdr_malformed_count();
	for (i = 0; i < n && rdpdr_ntcases < RDPDR_TCASE_MAX; i++)
		rdpdr_malformed_fill(i, &rdpdr_tcases[rdpdr_ntcases++]);
}

unsigned int rdpdr_tcase_count(void)
{
	tinit();
	return rdpdr_ntcases;
}

const struct rdpdr_tcase *rdpdr_tcase_get(unsigned int i)
{
	tinit();
	return i < rdpdr_ntcases ? &rdpdr_tcases[i] : NULL;
}

const struct rdpdr_tcase *rdpdr_tcase_next(const struct rdpdr_tcase *prev,
					   const char *group)
{
	unsigned int i;

	tinit();
	i = prev ? (unsigned int)(prev - rdpdr_tcases) + 1 : 0;
	for (; i < rdpdr_ntcases; i++)
		if (!group || !strcmp(rdpdr_tcases[i].group, group))
			return &rdpdr_tcases[i];
	return NULL;
}

struct rdpdr_tctx *rdpdr_tctx_alloc(void)
{
	return rt_zalloc(sizeof(struct rdpdr_tctx));
}

void rdpdr_tctx_free(struct rdpdr_tctx *t)
{
	rt_free(t);
}

int rdpdr_tcase_run(const struct rdpdr_tcase *c, char *msg, size_t msglen)
{
	struct rdpdr_tctx *t = rdpdr_tctx_alloc();
	const char *fail;
	size_t n;

	if (!t) {
		fail = "out of memory";
	} else {
		fail = c->run(t, c->arg);
		if (fail && !fail[0])
			fail = "failed without a message";
	}
	if (msg && msglen) {
		n = fail ? strlen(fail) : 0;
		if (n >= msglen)
			n = msglen - 1;
		if (n)
			memcpy(msg, fail, n);
		msg[n] = '\0';
	}
	rdpdr_tctx_free(t);
	return fail ? -1 : 0;
}
