// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - a pass soon after a user changes their lpoptions: inotify on
 * the ~/.cups of every user who has a queue (or on the home directory,
 * until ~/.cups is made), so that options that follow the user are sent
 * to the client within a second rather than at the next periodic pass.
 *
 * Only watched, never read: an event is one more reason for a pass,
 * whose reading is done as the user (lpdefault.c). IN_DONT_FOLLOW and
 * IN_ONLYDIR keep a link the user made from pointing the watch anywhere
 * but a directory of the user's choosing, which tells nothing.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

#define RDPPRN_WATCH_CUPS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | \
				 IN_DELETE | IN_DONT_FOLLOW | IN_ONLYDIR)
#define RDPPRN_WATCH_HOME	(IN_CREATE | IN_MOVED_TO | IN_DONT_FOLLOW | \
				 IN_ONLYDIR)

/**
 * rdpprn_watch_users() - watch these users' ~/.cups, and no others'
 * @st: the agent's state; @st->watch_fd is replaced
 * @users: login names (repeats and NULLs are fine)
 * @n: how many
 *
 * A new inotify instance each time: the set follows the queues, and the
 * old instance's events are of no use once a pass has read everything.
 */
void rdpprn_watch_users(struct rdpprn_qstate *st, const char *const *users,
			size_t n)
{
	struct passwd *pw;
	char *path;
	size_t i;
	int fd;

	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		rdpprn_dbg("inotify: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		pw = users[i] ? getpwnam(users[i]) : NULL;
		if (!pw || !pw->pw_uid ||
		    asprintf(&path, "%s/.cups", pw->pw_dir) < 0)
			continue;
		if (inotify_add_watch(fd, path, RDPPRN_WATCH_CUPS) < 0 &&
		    inotify_add_watch(fd, pw->pw_dir, RDPPRN_WATCH_HOME) < 0)
			rdpprn_dbg("inotify on %s: %s", path, strerror(errno));
		free(path);
	}
	rdpprn_watch_close(st);
	st->watch_fd = fd;
	st->watching = true;
}

/* Reads what inotify said; true if there was anything. */
bool rdpprn_watch_drain(struct rdpprn_qstate *st)
{
	/* only that something happened counts, not what */
	static char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;

	while (st->watching && read(st->watch_fd, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

void rdpprn_watch_close(struct rdpprn_qstate *st)
{
	if (st->watching)
		close(st->watch_fd);
	st->watching = false;
}
