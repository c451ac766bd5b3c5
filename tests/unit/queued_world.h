/* SPDX-License-Identifier: GPL-2.0 */
/*
 * queued_world.h - printers, CUPS's queues and a configuration for the
 * unit tests of rdpprn-queued's plan (rdpprn_queued_unit.c, the plan
 * without rules; rdpprn_qpolicy_unit.c, the plan under site policy).
 */
#ifndef QUEUED_WORLD_H
#define QUEUED_WORLD_H

#include "rdpprn_queued.h"

#define QW_NP	8
#define QW_NQ	8

/**
 * struct qworld - what one plan is made from
 * @p: the printers
 * @users: their owners' names
 * @rule: the rule of each printer (site policy), NULL for none
 * @np: how many printers
 * @q: CUPS's queues
 * @nq: how many queues
 * @c: the configuration
 * @pass: the policy's part of the plan; @pass.rule is @rule
 */
struct qworld {
	struct rdpprn_printer p[QW_NP];
	const char *users[QW_NP];
	const struct rdpprn_qrule *rule[QW_NP];
	size_t np;
	struct rdpprn_queue q[QW_NQ];
	size_t nq;
	struct rdpprn_qconf c;
	struct rdpprn_qpass pass;
};

/* rdpprn_qconf_parse() of @text into a fresh @c */
int qworld_parse(struct rdpprn_qconf *c, const char *text,
		 struct rdpprn_config_err *err);
/* A world with the configuration @conf (which must parse) */
struct qworld *qworld_new(const char *conf);
/* cmocka teardown: frees the world in *@state */
int qworld_teardown(void **state);
/* A queue named @name with device URI @uri (NULL for none) */
struct rdpprn_queue *qworld_add_queue(struct qworld *w, const char *name,
				      const char *uri);
/* An existing agent's queue exactly as @want wants it */
struct rdpprn_queue *qworld_add_wanted(struct qworld *w,
				       const struct rdpprn_want *want);
/* The want of printer @p in @pl, or NULL */
const struct rdpprn_want *qworld_want_of(const struct rdpprn_plan *pl,
					 const struct rdpprn_printer *p);

#endif /* QUEUED_WORLD_H */
