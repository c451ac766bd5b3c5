// SPDX-License-Identifier: GPL-2.0
/*
 * lpdefault.c - a user's default printer (the "Default" line of
 * ~/.cups/lpoptions), set or cleared as that very user.
 *
 * The agent runs as root, and a user's home is the user's: a link
 * ~/.cups/lpoptions -> /etc/shadow written by root would be the user's
 * win. So a child drops to the user (groups, gid, uid) before libcups
 * touches the file, with a clean environment, and the kernel's checks
 * apply as for anything the user runs.
 *
 * libcups keeps its state per thread (server, user name, home directory,
 * connection), made on first use: the child's copy of the agent's thread
 * has root's. The work runs in a new thread of the child, whose state
 * libcups makes afresh from the user's uid and environment.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cups/cups.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

/* The child's whole run (cupsd answers in well under a second). */
#define RDPPRN_LPDEFAULT_TIMEOUT_S	30

/* Exit codes of the child */
enum {
	RDPPRN_LPD_OK,
	RDPPRN_LPD_FAIL,	/* libcups could not read or write */
	RDPPRN_LPD_NOQUEUE,	/* cupsd does not know the queue */
	RDPPRN_LPD_SETUP,	/* cannot become the user */
};

struct rdpprn_lpd_job {
	const char *queue;
	bool set;
	int status;
};

static void *rdpprn_lpd_thread(void *arg)
{
	struct rdpprn_lpd_job *job = arg;
	cups_dest_t *dests = NULL, *dest;
	int n, i;

	n = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
	dest = cupsGetDest(job->queue, NULL, n, dests);
	if (!dest) {
		job->status = RDPPRN_LPD_NOQUEUE;
		goto out;
	}
	/* Clearing: only when the queue is the user's default now. */
	if (!job->set && !dest->is_default) {
		job->status = RDPPRN_LPD_OK;
		goto out;
	}
	for (i = 0; i < n; i++)
		dests[i].is_default = 0;
	dest->is_default = job->set;
	job->status = cupsSetDests2(CUPS_HTTP_DEFAULT, n, dests) ?
		      RDPPRN_LPD_FAIL : RDPPRN_LPD_OK;
out:
	cupsFreeDests(n, dests);
	return NULL;
}

/* Becomes @pw with an environment of its own; false if it cannot. */
static bool rdpprn_lpd_become(const struct passwd *pw)
{
	const char *server = getenv("CUPS_SERVER");
	char *keep = server ? strdup(server) : NULL;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid) || !getuid() || !setuid(0))
		return false;
	if (clearenv() || setenv("HOME", pw->pw_dir, 1) ||
	    setenv("USER", pw->pw_name, 1) ||
	    setenv("LOGNAME", pw->pw_name, 1) ||
	    setenv("PATH", "/usr/bin:/bin", 1))
		return false;
	/* the server the agent uses (a test's private cupsd) */
	if (keep && setenv("CUPS_SERVER", keep, 1))
		return false;
	free(keep);
	return !chdir("/");
}

static void __noreturn rdpprn_lpd_child(const struct passwd *pw,
					const char *queue, bool set)
{
	struct rdpprn_lpd_job job = { .queue = queue, .set = set,
				      .status = RDPPRN_LPD_FAIL };
	pthread_t t;

	alarm(RDPPRN_LPDEFAULT_TIMEOUT_S);
	if (!rdpprn_lpd_become(pw))
		_exit(RDPPRN_LPD_SETUP);
	if (pthread_create(&t, NULL, rdpprn_lpd_thread, &job) ||
	    pthread_join(t, NULL))
		_exit(RDPPRN_LPD_FAIL);
	_exit(job.status);
}

/**
 * rdpprn_lpdefault() - set or clear a user's default printer
 * @user: the login name
 * @queue: the queue
 * @set: make @queue the default; false: clear the default if it is @queue
 *
 * Never for root, whose lpoptions is the system's /etc/cups/lpoptions:
 * the system default is the administrator's.
 *
 * Return: 0; -EPERM for root, -ESRCH for an unknown user, -ENOENT when
 * cupsd does not know @queue (for @user), -EIO for other failures.
 */
int rdpprn_lpdefault(const char *user, const char *queue, bool set)
{
	struct passwd *pw = getpwnam(user);
	int status;
	pid_t pid;

	if (!pw)
		return -ESRCH;
	if (!pw->pw_uid)
		return -EPERM;
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		rdpprn_lpd_child(pw, queue, set);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status))
		return -EIO;
	switch (WEXITSTATUS(status)) {
	case RDPPRN_LPD_OK:
		return 0;
	case RDPPRN_LPD_NOQUEUE:
		return -ENOENT;
	case RDPPRN_LPD_SETUP:
		return -EPERM;
	}
	return -EIO;
}
