// SPDX-License-Identifier: GPL-2.0
/*
 * show.c - "rdpprnctl sessions|printers|jobs": one dump each, written as
 * it arrives (a table, or a JSON array of objects).
 */
#include "ctl.h"

struct ctl_dump {
	struct ctl *c;
	enum ctl_kind kind;
	u8 cmd;
	u32 sid;
};

static void ctl_dump_cb(void *ctx, const struct rdpprn_nl_obj *o)
{
	struct ctl_dump *d = ctx;
	struct ctl *c = d->c;

	/* the filter is applied here too: a session dump lists them all */
	if (o->cmd != d->cmd ||
	    (d->sid && o->u[RDPPRN_A_SESSION_ID] != d->sid))
		return;
	if (c->json) {
		fputs(c->count ? ",\n" : "\n", c->out);
		ctl_json_obj(c->out, d->kind, NULL, o);
	} else {
		ctl_table_row(c->out, d->kind, o);
	}
	c->count++;
}

int ctl_show(struct ctl *c, struct rdpprn_nl *nl, enum ctl_kind kind,
	     u32 session_id)
{
	static const u8 cmds[] = {
		[CTL_SESSION] = RDPPRN_CMD_SESSION_GET,
		[CTL_PRINTER] = RDPPRN_CMD_DEVICE_GET,
		[CTL_JOB] = RDPPRN_CMD_JOB_GET,
	};
	struct ctl_dump d = {
		.c = c, .kind = kind, .cmd = cmds[kind], .sid = session_id,
	};
	struct rdpprn_nl_res res;
	int ret;

	if (c->json)
		fputc('[', c->out);
	else
		ctl_table_header(c->out, kind);
	ret = rdpprn_nl_dump(nl, d.cmd, session_id, ctl_dump_cb, &d, &res);
	if (c->json)
		fputs(c->count ? "\n]\n" : "]\n", c->out);
	if (ret)
		fprintf(stderr, "rdpprnctl: dump: %s%s%s\n",
			rdpprn_errname(ret), res.msg[0] ? ": " : "", res.msg);
	return ret ? 1 : 0;
}
