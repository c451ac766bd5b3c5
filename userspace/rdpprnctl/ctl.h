/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprnctl - look at and manage rdpprn sessions, printers and jobs
 * through the netlink family (see Documentation/rdpprnctl.rst).
 *
 * Files, one concern each:
 *   main.c     command line and dispatch; delete
 *   show.c     sessions, printers, jobs: dumps as tables or JSON
 *   monitor.c  the "monitor" group's notifications as they come
 *   fmt.c      the objects' fields, JSON and table output
 */
#ifndef RDPPRNCTL_H
#define RDPPRNCTL_H

#include <stdio.h>

#include "rdpprn_nl.h"

enum ctl_kind {
	CTL_SESSION,
	CTL_PRINTER,
	CTL_JOB,
};

/**
 * struct ctl - output settings
 * @out: where to write
 * @json: JSON instead of a table
 * @count: objects written so far (JSON array commas)
 */
struct ctl {
	FILE *out;
	bool json;
	unsigned int count;
};

/* fmt.c */
/* One object as JSON: {"key": value, ...}; @event adds "event" first. */
void ctl_json_obj(FILE *f, enum ctl_kind kind, const char *event,
		  const struct rdpprn_nl_obj *o);
/* "default,xps" for the announce flags, "-" for none. */
const char *ctl_flag_words(u32 flags, char *buf, size_t len);
/* "open", "closing", ... */
const char *ctl_job_state(u64 state);
/* Text safe for a terminal (control characters escaped), "-" if absent. */
const char *ctl_text(const struct rdpprn_nl_obj *o, int attr, char *buf,
		     size_t len);
void ctl_table_header(FILE *f, enum ctl_kind kind);
void ctl_table_row(FILE *f, enum ctl_kind kind,
		   const struct rdpprn_nl_obj *o);

/* show.c */
int ctl_show(struct ctl *c, struct rdpprn_nl *nl, enum ctl_kind kind,
	     u32 session_id);

/* monitor.c */
int ctl_monitor(struct ctl *c, struct rdpprn_nl *nl);
/* One notification as a line (text or JSON) */
void ctl_event_line(struct ctl *c, const struct rdpprn_nl_obj *o);

#endif /* RDPPRNCTL_H */
