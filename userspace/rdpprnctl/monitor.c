// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - "rdpprnctl monitor": the notifications of the "monitor"
 * group, one line each, until SIGINT or SIGTERM.
 *
 *   DEVICE_NEW session=1 dev=rdpprn0 id=4 uid=1000 flags=default name="HP"
 *   DEVICE_DEL session=1 dev=rdpprn0 id=4 uid=1000 flags=default name="HP"
 *   SESSION_EVENT session=1 state=started uid=1000 gid=1000 client="PC"
 *
 * With -j each line is a JSON object with "event" ("device_new",
 * "device_del", "session_event") and the keys of "printers" or
 * "sessions".
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ctl.h"

void ctl_event_line(struct ctl *c, const struct rdpprn_nl_obj *o)
{
	bool session = o->cmd == RDPPRN_CMD_SESSION_EVENT;
	const char *name = session ? "SESSION_EVENT" :
			   o->cmd == RDPPRN_CMD_DEVICE_NEW ? "DEVICE_NEW" :
			   "DEVICE_DEL";
	char a[384], words[64];

	if (c->json) {
		ctl_json_obj(c->out, session ? CTL_SESSION : CTL_PRINTER,
			     session ? "session_event" :
			     o->cmd == RDPPRN_CMD_DEVICE_NEW ? "device_new" :
			     "device_del", o);
		fputc('\n', c->out);
	} else if (session) {
		fprintf(c->out, "%s session=%llu state=%s uid=%llu gid=%llu client=\"%s\"\n",
			name, (unsigned long long)o->u[RDPPRN_A_SESSION_ID],
			o->u[RDPPRN_A_SESSION_STATE] ? "started" : "ended",
			(unsigned long long)o->u[RDPPRN_A_UID],
			(unsigned long long)o->u[RDPPRN_A_GID],
			ctl_text(o, RDPPRN_A_CLIENT_NAME, a, sizeof(a)));
	} else {
		fprintf(c->out, "%s session=%llu dev=%s id=%llu uid=%llu flags=%s name=\"%s\"\n",
			name, (unsigned long long)o->u[RDPPRN_A_SESSION_ID],
			o->s[RDPPRN_A_DEV_NAME] ? o->s[RDPPRN_A_DEV_NAME] : "-",
			(unsigned long long)o->u[RDPPRN_A_DEVICE_ID],
			(unsigned long long)o->u[RDPPRN_A_UID],
			ctl_flag_words((u32)o->u[RDPPRN_A_FLAGS], words,
				       sizeof(words)),
			ctl_text(o, RDPPRN_A_PRINTER_NAME, a, sizeof(a)));
	}
	fflush(c->out);
}

static void ctl_monitor_cb(void *ctx, const struct rdpprn_nl_obj *o)
{
	if (o->cmd == RDPPRN_CMD_DEVICE_NEW || o->cmd == RDPPRN_CMD_DEVICE_DEL ||
	    o->cmd == RDPPRN_CMD_SESSION_EVENT)
		ctl_event_line(ctx, o);
}

int ctl_monitor(struct ctl *c, struct rdpprn_nl *nl)
{
	struct rdpprn_nl_res res;
	sigset_t mask;
	int sfd;

	nl->event_cb = ctl_monitor_cb;
	nl->event_ctx = c;
	if (rdpprn_nl_monitor(nl, &res)) {
		fprintf(stderr, "rdpprnctl: monitor: %s\n", res.msg);
		return 1;
	}
	/* From here on no event is missed: say so, scripts wait for it. */
	fprintf(stderr, "rdpprnctl: monitoring\n");
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("rdpprnctl: signalfd");
		return 1;
	}
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = rdpprn_nl_fd(nl), .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		u64 overruns = nl->overruns;
		int ret;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		ret = rdpprn_nl_recv(nl);
		if (ret) {
			fprintf(stderr, "rdpprnctl: monitor: %s\n",
				rdpprn_errname(ret));
			return 1;
		}
		if (nl->overruns != overruns)
			fprintf(stderr, "rdpprnctl: notifications were lost\n");
	}
	close(sfd);
	return 0;
}
