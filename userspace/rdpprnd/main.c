// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprnd: command line, configuration at start, daemonizing.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "daemon.h"

static const char rdpprnd_usage[] =
"usage: rdpprnd (--listen PATH | --stdio) [OPTIONS]\n"
"\n"
"The rdpprn helper: takes over the rdpdr channel of RDP sessions from an\n"
"RDP server process, runs its handshake, applies the site policy to the\n"
"client's printers and connects them to rdpprn.ko (/dev/rdpprnN).\n"
"\n"
"  -l, --listen PATH    accept RDP server connections on the Unix socket\n"
"                       PATH (mode 0600, root peers only; with\n"
"                       user_sessions = yes 0666, users for themselves);\n"
"                       one connection is one session\n"
"  -s, --stdio          one session on stdin/stdout, then exit (status 0\n"
"                       when it ended normally, 1 on an error)\n"
"  -c, --config FILE    site policy (default " RDPPRND_DEFAULT_CONFIG ";\n"
"                       a missing file means the defaults)\n"
"  -f, --foreground     do not detach (implied by --stdio)\n"
"  -L, --log TARGET     stderr or syslog (default: stderr in the\n"
"                       foreground, else syslog)\n"
"  -v, --verbose        log debug lines too\n"
"  -h, --help           this text\n"
"\n"
"Signals: SIGTERM/SIGINT end every session (SESSION_DEL) and exit 0;\n"
"SIGHUP reloads the configuration. See Documentation/rdpprnd.rst.\n";

static const struct option rdpprnd_opts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "stdio", no_argument, NULL, 's' },
	{ "config", required_argument, NULL, 'c' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "log", required_argument, NULL, 'L' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void __noreturn rdpprnd_bad_usage(const char *msg)
{
	fprintf(stderr, "rdpprnd: %s\n\n%s", msg, rdpprnd_usage);
	exit(2);
}

/* ClientIds must differ per connection; do not repeat across restarts. */
static u32 rdpprnd_seed(void)
{
	u32 v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v))
		return v;
	return (u32)time(NULL) ^ (u32)getpid() << 16;
}

static void rdpprnd_load(struct rdpprnd_daemon *d)
{
	struct rdpprn_config_err err;
	bool missing;

	d->cfg = rdpprn_xmalloc(sizeof(*d->cfg));
	rdpprnd_config_init(d->cfg);
	if (rdpprnd_config_load(d->cfg, d->config_path, &missing, &err))
		rdpprn_die(1, "%s:%u: %s", d->config_path, err.line, err.msg);
	if (missing)
		rdpprn_info("%s does not exist: default policy",
			    d->config_path);
	rdpprnd_config_log(d->cfg, d->config_path);
	d->ctx.cfg = d->cfg;
	d->ctx.next_client_id = rdpprnd_seed();
}

int main(int argc, char **argv)
{
	struct rdpprnd_daemon d = { .config_path = RDPPRND_DEFAULT_CONFIG };
	enum rdpprn_log_target target = RDPPRN_LOG_SYSLOG;
	const char *listen_path = NULL;
	bool foreground = false, log_set = false;
	int level = LOG_INFO, c, ret;

	while ((c = getopt_long(argc, argv, "l:sc:fL:vh", rdpprnd_opts,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_path = optarg;
			break;
		case 's':
			d.stdio = true;
			break;
		case 'c':
			d.config_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'L':
			if (rdpprn_log_parse_target(optarg, &target))
				rdpprnd_bad_usage("--log wants stderr or syslog");
			log_set = true;
			break;
		case 'v':
			level = LOG_DEBUG;
			break;
		case 'h':
			fputs(rdpprnd_usage, stdout);
			return 0;
		default:
			rdpprnd_bad_usage("unknown option");
		}
	}
	if (optind != argc)
		rdpprnd_bad_usage("unexpected argument");
	if (!!listen_path == d.stdio)
		rdpprnd_bad_usage("give exactly one of --listen PATH and --stdio");
	if (d.stdio)
		foreground = true;
	if (!log_set && foreground)
		target = RDPPRN_LOG_STDERR;
	rdpprn_log_init("rdpprnd", target, level);
	/* fnmatch() patterns match UTF-8 characters, not bytes */
	setlocale(LC_CTYPE, "C.UTF-8");
	rdpprnd_load(&d);
	ret = rdpprnd_setup(&d, listen_path);
	if (ret)
		rdpprn_die(1, "%s: %s", listen_path ? listen_path : "setup",
			   strerror(-ret));
	if (!foreground && daemon(0, 0))
		rdpprn_die(1, "daemon: %s", strerror(errno));
	if (listen_path)
		rdpprn_notice("listening on %s", listen_path);
	ret = rdpprnd_run(&d);
	if (listen_path)
		unlink(listen_path);
	rdpprnd_config_free(d.cfg);
	free(d.cfg);
	return ret;
}
