// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnctl: command line, dispatch, delete.
 */
#include <getopt.h>
#include <string.h>

#include "rdpprn_log.h"
#include "ctl.h"

static const char ctl_usage[] =
"usage: rdpprnctl [-j] [-s SESSION] COMMAND\n"
"\n"
"  sessions          the rdpdr sessions the helper registered\n"
"  printers          the redirected printers (/dev/rdpprnN)\n"
"  jobs              the print jobs open now\n"
"  monitor           printers and sessions as they come and go\n"
"  delete SESSION    end a session: its printers go away, open jobs\n"
"                    fail with ENODEV\n"
"\n"
"  -j, --json        JSON: an array of objects (monitor: one object a\n"
"                    line), with the keys of Documentation/rdpprnctl.rst\n"
"  -s, --session ID  printers and jobs of one session only\n"
"  -h, --help        this text\n"
"\n"
"Needs CAP_NET_ADMIN (the family is for administrators).\n";

static const struct option ctl_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "session", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void __noreturn ctl_bad(const char *msg)
{
	fprintf(stderr, "rdpprnctl: %s\n\n%s", msg, ctl_usage);
	exit(2);
}

static bool ctl_known(const char *cmd)
{
	static const char *const cmds[] = {
		"sessions", "printers", "devices", "jobs", "monitor", "delete",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmd, cmds[i]))
			return true;
	return false;
}

static int ctl_delete(struct rdpprn_nl *nl, const char *arg)
{
	struct rdpprn_nl_res res;
	u32 sid;

	if (rdpprn_parse_u32(arg, &sid) || !sid)
		ctl_bad("delete wants a session id");
	if (!rdpprn_nl_session_del(nl, sid, &res))
		return 0;
	fprintf(stderr, "rdpprnctl: delete %u: %s%s%s\n", sid,
		rdpprn_errname(res.err), res.msg[0] ? ": " : "", res.msg);
	return 1;
}

int main(int argc, char **argv)
{
	struct ctl c = { .out = stdout };
	struct rdpprn_nl_res res;
	struct rdpprn_nl nl;
	const char *cmd;
	u32 sid = 0;
	int opt, ret;

	rdpprn_log_init("rdpprnctl", RDPPRN_LOG_STDERR, LOG_WARNING);
	while ((opt = getopt_long(argc, argv, "+js:h", ctl_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 's':
			if (rdpprn_parse_u32(optarg, &sid))
				ctl_bad("-s wants a session id");
			break;
		case 'h':
			fputs(ctl_usage, stdout);
			return 0;
		default:
			ctl_bad("unknown option");
		}
	}
	if (optind >= argc)
		ctl_bad("no command");
	cmd = argv[optind++];
	if (!ctl_known(cmd))
		ctl_bad("unknown command");
	if (strcmp(cmd, "delete") ? optind != argc : optind + 1 != argc)
		ctl_bad("wrong number of arguments");
	if (rdpprn_nl_open(&nl, NULL, NULL, &res)) {
		fprintf(stderr, "rdpprnctl: %s\n", res.msg);
		return 1;
	}
	if (!strcmp(cmd, "sessions"))
		ret = ctl_show(&c, &nl, CTL_SESSION, sid);
	else if (!strcmp(cmd, "printers") || !strcmp(cmd, "devices"))
		ret = ctl_show(&c, &nl, CTL_PRINTER, sid);
	else if (!strcmp(cmd, "jobs"))
		ret = ctl_show(&c, &nl, CTL_JOB, sid);
	else if (!strcmp(cmd, "monitor"))
		ret = ctl_monitor(&c, &nl);
	else
		ret = ctl_delete(&nl, argv[optind]);
	rdpprn_nl_close(&nl);
	return ret;
}
