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
"  cache SESSION DEVICEID add|update FILE\n"
"  cache SESSION DEVICEID delete\n"
"  cache SESSION DEVICEID rename NEWNAME\n"
"                    ask the client to keep (add, update), forget or\n"
"                    rename a printer's cached configuration; it comes\n"
"                    back as cached_config in the next session\n"
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
		"cache",
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

/* cache SESSION DEVICEID EVENT [FILE|NEWNAME] */
static int ctl_cache(struct rdpprn_nl *nl, int argc, char **argv)
{
	static const char *const events[] = {
		[RDPPRN_CACHE_ADD] = "add",
		[RDPPRN_CACHE_UPDATE] = "update",
		[RDPPRN_CACHE_DELETE] = "delete",
		[RDPPRN_CACHE_RENAME] = "rename",
	};
	struct rdpprn_nl_cache c = {};
	struct rdpprn_nl_res res;
	u8 *config = NULL;
	size_t i;
	int ret;

	if (argc < 3 || rdpprn_parse_u32(argv[0], &c.session_id) ||
	    !c.session_id || rdpprn_parse_u32(argv[1], &c.device_id))
		ctl_bad("cache wants SESSION DEVICEID EVENT");
	for (i = RDPPRN_CACHE_ADD; i < ARRAY_SIZE(events); i++)
		if (!strcmp(argv[2], events[i]))
			c.event = i;
	if (!c.event)
		ctl_bad("cache events: add, update, delete, rename");
	if (argc != (c.event == RDPPRN_CACHE_DELETE ? 3 : 4))
		ctl_bad("wrong number of arguments for this cache event");
	if (c.event == RDPPRN_CACHE_RENAME) {
		c.new_name = argv[3];
	} else if (c.event != RDPPRN_CACHE_DELETE) {
		ret = rdpprn_read_file(argv[3], RDPPRN_PDU_ATTR_MAX, &config,
				       &c.config_len);
		if (ret) {
			fprintf(stderr, "rdpprnctl: %s: %s\n", argv[3],
				rdpprn_errname(ret));
			return 1;
		}
		c.config = config;
	}
	ret = rdpprn_nl_printer_cache(nl, &c, &res);
	free(config);
	if (!ret)
		return 0;
	fprintf(stderr, "rdpprnctl: cache %s: %s%s%s\n", argv[2],
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
	if (!strcmp(cmd, "cache") ? optind >= argc :
	    strcmp(cmd, "delete") ? optind != argc : optind + 1 != argc)
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
	else if (!strcmp(cmd, "cache"))
		ret = ctl_cache(&nl, argc - optind, argv + optind);
	else
		ret = ctl_delete(&nl, argv[optind]);
	rdpprn_nl_close(&nl);
	return ret;
}
