// SPDX-License-Identifier: GPL-2.0
/*
 * fmt.c - what rdpprnctl shows of an object, and how: the JSON keys are
 * stable (scripts rely on them, as on ip -j), the tables are for people.
 * Printer and client names come from RDP clients: both outputs escape
 * them, so that no name can inject into a terminal or a JSON parser.
 */
#include <string.h>

#include "ctl.h"

enum ctl_type {
	CTL_U,		/* unsigned number */
	CTL_S,		/* string */
	CTL_LIVE,	/* SESSION_STATE: "live" / "ended" */
	CTL_JSTATE,	/* JOB_STATE: its name */
	CTL_FLAG,	/* a bit of FLAGS as a boolean */
};

/**
 * struct ctl_field - one JSON key of an object
 * @attr: the netlink attribute it comes from
 * @key: the JSON key
 * @type: &enum ctl_type
 * @mask: for CTL_FLAG, the bit of RDPPRN_A_FLAGS
 */
struct ctl_field {
	int attr;
	const char *key;
	enum ctl_type type;
	u32 mask;
};

static const struct ctl_field ctl_session_fields[] = {
	{ RDPPRN_A_SESSION_ID, "session_id", CTL_U },
	{ RDPPRN_A_UID, "uid", CTL_U },
	{ RDPPRN_A_GID, "gid", CTL_U },
	{ RDPPRN_A_CLIENT_NAME, "client_name", CTL_S },
	{ RDPPRN_A_CLIENT_ADDR, "client_address", CTL_S },
	{ RDPPRN_A_OWNER_PORTID, "owner_portid", CTL_U },
	{ RDPPRN_A_DEVICES, "printers", CTL_U },
	{ RDPPRN_A_ERRORS, "errors", CTL_U },
	{ RDPPRN_A_ORPHANS, "orphans", CTL_U },
	{ RDPPRN_A_SESSION_STATE, "state", CTL_LIVE },
};

static const struct ctl_field ctl_printer_fields[] = {
	{ RDPPRN_A_SESSION_ID, "session_id", CTL_U },
	{ RDPPRN_A_DEVICE_ID, "device_id", CTL_U },
	{ RDPPRN_A_DEV_NAME, "dev", CTL_S },
	{ RDPPRN_A_MINOR, "minor", CTL_U },
	{ RDPPRN_A_PRINTER_NAME, "printer_name", CTL_S },
	{ RDPPRN_A_DRIVER_NAME, "driver_name", CTL_S },
	{ RDPPRN_A_DOS_NAME, "dos_name", CTL_S },
	{ RDPPRN_A_FLAGS, "flags", CTL_U },
	{ RDPPRN_A_FLAGS, "default", CTL_FLAG, RDPPRN_PRINTER_F_DEFAULT },
	{ RDPPRN_A_FLAGS, "network", CTL_FLAG, RDPPRN_PRINTER_F_NETWORK },
	{ RDPPRN_A_FLAGS, "nested", CTL_FLAG, RDPPRN_PRINTER_F_TSPRINTER },
	{ RDPPRN_A_FLAGS, "xps", CTL_FLAG, RDPPRN_PRINTER_F_XPS },
	{ RDPPRN_A_UID, "uid", CTL_U },
	{ RDPPRN_A_GID, "gid", CTL_U },
	{ RDPPRN_A_OPEN_JOBS, "open_jobs", CTL_U },
	{ RDPPRN_A_JOBS, "jobs", CTL_U },
	{ RDPPRN_A_BYTES, "bytes", CTL_U },
	{ RDPPRN_A_ERRORS, "errors", CTL_U },
	{ RDPPRN_A_INCOMPLETE, "incomplete", CTL_U },
};

static const struct ctl_field ctl_job_fields[] = {
	{ RDPPRN_A_SESSION_ID, "session_id", CTL_U },
	{ RDPPRN_A_DEVICE_ID, "device_id", CTL_U },
	{ RDPPRN_A_DEV_NAME, "dev", CTL_S },
	{ RDPPRN_A_MINOR, "minor", CTL_U },
	{ RDPPRN_A_FILE_ID, "file_id", CTL_U },
	{ RDPPRN_A_JOB_STATE, "state", CTL_JSTATE },
	{ RDPPRN_A_PID, "pid", CTL_U },
	{ RDPPRN_A_QUEUED, "queued", CTL_U },
	{ RDPPRN_A_BYTES, "bytes", CTL_U },
};

static const struct {
	const struct ctl_field *f;
	size_t n;
} ctl_fields[] = {
	[CTL_SESSION] = { ctl_session_fields, ARRAY_SIZE(ctl_session_fields) },
	[CTL_PRINTER] = { ctl_printer_fields, ARRAY_SIZE(ctl_printer_fields) },
	[CTL_JOB] = { ctl_job_fields, ARRAY_SIZE(ctl_job_fields) },
};

static const char *const ctl_job_states[] = {
	[RDPPRN_JOB_CREATING] = "creating",
	[RDPPRN_JOB_OPEN] = "open",
	[RDPPRN_JOB_CLOSING] = "closing",
	[RDPPRN_JOB_CLOSED] = "closed",
	[RDPPRN_JOB_FAILED] = "failed",
	[RDPPRN_JOB_GONE] = "gone",
	[RDPPRN_JOB_QUEUED] = "queued",
};

const char *ctl_job_state(u64 state)
{
	if (state < ARRAY_SIZE(ctl_job_states) && ctl_job_states[state])
		return ctl_job_states[state];
	return "unknown";
}

static void ctl_json_value(FILE *f, const struct ctl_field *fl,
			   const struct rdpprn_nl_obj *o)
{
	u64 v = o->u[fl->attr];

	if (!rdpprn_nl_has(o, fl->attr)) {
		fputs("null", f);
		return;
	}
	switch (fl->type) {
	case CTL_U:
		fprintf(f, "%llu", (unsigned long long)v);
		break;
	case CTL_S:
		rdpprn_json_str(f, o->s[fl->attr]);
		break;
	case CTL_LIVE:
		fputs(v ? "\"live\"" : "\"ended\"", f);
		break;
	case CTL_JSTATE:
		rdpprn_json_str(f, ctl_job_state(v));
		break;
	case CTL_FLAG:
		fputs(v & fl->mask ? "true" : "false", f);
		break;
	}
}

void ctl_json_obj(FILE *f, enum ctl_kind kind, const char *event,
		  const struct rdpprn_nl_obj *o)
{
	const struct ctl_field *fl = ctl_fields[kind].f;
	size_t i;

	fputc('{', f);
	if (event)
		fprintf(f, "\"event\":\"%s\",", event);
	for (i = 0; i < ctl_fields[kind].n; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", fl[i].key);
		ctl_json_value(f, &fl[i], o);
	}
	fputc('}', f);
}

const char *ctl_flag_words(u32 flags, char *buf, size_t len)
{
	static const struct {
		u32 flag;
		const char *word;
	} words[] = {
		{ RDPPRN_PRINTER_F_DEFAULT, "default" },
		{ RDPPRN_PRINTER_F_NETWORK, "network" },
		{ RDPPRN_PRINTER_F_TSPRINTER, "nested" },
		{ RDPPRN_PRINTER_F_XPS, "xps" },
		{ RDPPRN_PRINTER_F_ASCII, "ascii" },
	};
	size_t i, n = 0;
	int r;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(words) && n + 1 < len; i++) {
		if (!(flags & words[i].flag))
			continue;
		r = snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			     words[i].word);
		/* cut: the buffer is full and terminated */
		n = r < 0 || (size_t)r >= len - n ? len - 1 : n + (size_t)r;
	}
	if (!n)
		snprintf(buf, len, "-");
	return buf;
}

const char *ctl_text(const struct rdpprn_nl_obj *o, int attr, char *buf,
		     size_t len)
{
	if (!o->s[attr])
		return "-";
	rdpprn_escape(o->s[attr], strlen(o->s[attr]), buf, len);
	return buf;
}

void ctl_table_header(FILE *f, enum ctl_kind kind)
{
	switch (kind) {
	case CTL_SESSION:
		fprintf(f, "%-7s %-6s %-6s %-6s %-8s %-6s %-9s %s\n",
			"SESSION", "STATE", "UID", "GID", "PRINTERS", "ERRORS",
			"OWNER", "CLIENT");
		break;
	case CTL_PRINTER:
		fprintf(f, "%-10s %-7s %-6s %-6s %-20s %-4s %-6s %-12s %-6s %s\n",
			"DEV", "SESSION", "ID", "UID", "FLAGS", "OPEN", "JOBS",
			"BYTES", "ERRORS", "NAME (DRIVER)");
		break;
	case CTL_JOB:
		fprintf(f, "%-10s %-7s %-6s %-8s %-9s %-7s %-12s %s\n", "DEV",
			"SESSION", "ID", "FILE", "STATE", "PID", "QUEUED",
			"BYTES");
		break;
	}
}

#define CTL_U64(o, a)	((unsigned long long)(o)->u[a])

void ctl_table_row(FILE *f, enum ctl_kind kind,
		   const struct rdpprn_nl_obj *o)
{
	/* long names are cut in a table; -j shows them whole */
	char a[384], b[256], words[64];

	switch (kind) {
	case CTL_SESSION:
		fprintf(f, "%-7llu %-6s %-6llu %-6llu %-8llu %-6llu %-9llu %s\n",
			CTL_U64(o, RDPPRN_A_SESSION_ID),
			o->u[RDPPRN_A_SESSION_STATE] ? "live" : "ended",
			CTL_U64(o, RDPPRN_A_UID), CTL_U64(o, RDPPRN_A_GID),
			CTL_U64(o, RDPPRN_A_DEVICES),
			CTL_U64(o, RDPPRN_A_ERRORS),
			CTL_U64(o, RDPPRN_A_OWNER_PORTID),
			ctl_text(o, RDPPRN_A_CLIENT_NAME, a, sizeof(a)));
		break;
	case CTL_PRINTER:
		fprintf(f, "%-10s %-7llu %-6llu %-6llu %-20s %-4llu %-6llu "
			"%-12llu %-6llu %s (%s)\n",
			o->s[RDPPRN_A_DEV_NAME] ? o->s[RDPPRN_A_DEV_NAME] : "-",
			CTL_U64(o, RDPPRN_A_SESSION_ID),
			CTL_U64(o, RDPPRN_A_DEVICE_ID),
			CTL_U64(o, RDPPRN_A_UID),
			ctl_flag_words((u32)o->u[RDPPRN_A_FLAGS], words,
				       sizeof(words)),
			CTL_U64(o, RDPPRN_A_OPEN_JOBS),
			CTL_U64(o, RDPPRN_A_JOBS), CTL_U64(o, RDPPRN_A_BYTES),
			CTL_U64(o, RDPPRN_A_ERRORS),
			ctl_text(o, RDPPRN_A_PRINTER_NAME, a, sizeof(a)),
			ctl_text(o, RDPPRN_A_DRIVER_NAME, b, sizeof(b)));
		break;
	case CTL_JOB:
		fprintf(f, "%-10s %-7llu %-6llu %-8llu %-9s %-7llu %-12llu %llu\n",
			o->s[RDPPRN_A_DEV_NAME] ? o->s[RDPPRN_A_DEV_NAME] : "-",
			CTL_U64(o, RDPPRN_A_SESSION_ID),
			CTL_U64(o, RDPPRN_A_DEVICE_ID),
			CTL_U64(o, RDPPRN_A_FILE_ID),
			ctl_job_state(o->u[RDPPRN_A_JOB_STATE]),
			CTL_U64(o, RDPPRN_A_PID), CTL_U64(o, RDPPRN_A_QUEUED),
			CTL_U64(o, RDPPRN_A_BYTES));
		break;
	}
}
