// SPDX-License-Identifier: GPL-2.0
/*
 * lpdefault.c - a user's ~/.cups/lpoptions, read and written as that
 * very user: the default printer (the "Default" line), set or cleared,
 * and a queue's options (Documentation/cups.rst, "Options that follow
 * the user"), applied or read.
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
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cups/cups.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

/* The child's whole run (cupsd answers in well under a second). */
#define RDPPRN_LPDEFAULT_TIMEOUT_S	30
/* More lpoptions than this is not a user's (CUPS writes a line a queue) */
#define RDPPRN_LPOPTIONS_MAX		(256 * 1024)

/* Exit codes of the child */
enum {
	RDPPRN_LPD_OK,
	RDPPRN_LPD_FAIL,	/* libcups could not read or write */
	RDPPRN_LPD_NOQUEUE,	/* cupsd does not know the queue */
	RDPPRN_LPD_SETUP,	/* cannot become the user */
};

enum rdpprn_lpd_op {
	RDPPRN_LPD_DEFAULT,	/* set or clear the default */
	RDPPRN_LPD_APPLY,	/* add options to the queue's */
	RDPPRN_LPD_READ,	/* the queue's options, into a pipe */
};

/**
 * struct rdpprn_lpd_job - what the child does
 * @op: &enum rdpprn_lpd_op
 * @user: the login name (for the log)
 * @queue: the queue
 * @set: DEFAULT: set, else clear
 * @opts: APPLY: the options; READ: the options read
 * @status: the child's exit code
 */
struct rdpprn_lpd_job {
	enum rdpprn_lpd_op op;
	const char *user;
	const char *queue;
	bool set;
	struct rdpprn_qopts *opts;
	int status;
};

/*
 * Adds @job's options that the queue's driver supports to @dest's
 * (cupsCheckDestSupported() against its Get-Printer-Attributes); logs
 * each one left out, and leaves in @job's only those added.
 */
static void rdpprn_lpd_apply(struct rdpprn_lpd_job *job, cups_dest_t *dest)
{
	cups_dinfo_t *info = cupsCopyDestInfo(CUPS_HTTP_DEFAULT, dest);
	const struct rdpprn_qopt *o;
	unsigned int i, n = 0;

	for (i = 0; i < job->opts->n; i++) {
		o = &job->opts->opt[i];
		if (!info || !cupsCheckDestSupported(CUPS_HTTP_DEFAULT, dest,
						     info, o->key, o->value)) {
			rdpprn_notice("options of %s for %s: %s=%s left out: the queue does not support it",
				      job->user, job->queue, o->key, o->value);
			continue;
		}
		dest->num_options = cupsAddOption(o->key, o->value,
						  dest->num_options,
						  &dest->options);
		/* still sorted: the order is kept */
		job->opts->opt[n++] = *o;
	}
	memset(&job->opts->opt[n], 0, (job->opts->n - n) * sizeof(*o));
	job->opts->n = n;
	cupsFreeDestInfo(info);
}

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
	if (job->op == RDPPRN_LPD_APPLY) {
		rdpprn_lpd_apply(job, dest);
		goto write;
	}
	/* Clearing: only when the queue is the user's default now. */
	if (!job->set && !dest->is_default) {
		job->status = RDPPRN_LPD_OK;
		goto out;
	}
	for (i = 0; i < n; i++)
		dests[i].is_default = 0;
	dest->is_default = job->set;
write:
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

/*
 * One "Dest" or "Default" line of lpoptions for @queue (no instance):
 * its options that may follow the user go into @o, others are skipped.
 */
static void rdpprn_lpd_line(char *line, const char *queue,
			    struct rdpprn_qopts *o)
{
	cups_option_t *opts = NULL;
	char *name, *rest;
	int n, i;

	if (strncasecmp(line, "Dest ", 5) && strncasecmp(line, "Default ", 8))
		return;
	name = line + strcspn(line, " \t");
	name += strspn(name, " \t");
	rest = name + strcspn(name, " \t");
	if (*rest)
		*rest++ = '\0';
	/* CUPS matches queue names without case */
	if (strcasecmp(name, queue))
		return;
	n = cupsParseOptions(rest, 0, &opts);
	for (i = 0; i < n; i++)
		if (rdpprn_qopt_known(opts[i].name))
			rdpprn_qopts_add(o, opts[i].name, opts[i].value);
	cupsFreeOptions(n, opts);
}

/*
 * The queue's options from the user's own lpoptions, not the server's
 * defaults that cupsGetDests2() would mix in: what the user chose.
 * Read as the user, so a link to a file the user may not read is not
 * followed for them.
 */
static int rdpprn_lpd_read(struct rdpprn_lpd_job *job)
{
	const char *home = getenv("HOME");
	char *path, *text, *line, *save;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd;

	memset(job->opts, 0, sizeof(*job->opts));
	if (!home || asprintf(&path, "%s/.cups/lpoptions", home) < 0)
		return RDPPRN_LPD_FAIL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return errno == ENOENT ? RDPPRN_LPD_OK : RDPPRN_LPD_FAIL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return RDPPRN_LPD_FAIL;
	}
	text = malloc(RDPPRN_LPOPTIONS_MAX + 1);
	while (text && len < RDPPRN_LPOPTIONS_MAX &&
	       (n = read(fd, text + len, RDPPRN_LPOPTIONS_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (!text)
		return RDPPRN_LPD_FAIL;
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		rdpprn_lpd_line(line, job->queue, job->opts);
	free(text);
	return RDPPRN_LPD_OK;
}

static void __noreturn rdpprn_lpd_child(const struct passwd *pw,
					struct rdpprn_lpd_job *job, int out)
{
	pthread_t t;

	alarm(RDPPRN_LPDEFAULT_TIMEOUT_S);
	if (!rdpprn_lpd_become(pw))
		_exit(RDPPRN_LPD_SETUP);
	job->status = RDPPRN_LPD_FAIL;
	if (job->op == RDPPRN_LPD_READ)
		job->status = rdpprn_lpd_read(job);
	else if (pthread_create(&t, NULL, rdpprn_lpd_thread, job) ||
		 pthread_join(t, NULL))
		_exit(RDPPRN_LPD_FAIL);
	/* READ: the options read; APPLY: those applied */
	if (job->opts && job->status == RDPPRN_LPD_OK &&
	    write(out, job->opts, sizeof(*job->opts)) !=
	    (ssize_t)sizeof(*job->opts))
		job->status = RDPPRN_LPD_FAIL;
	_exit(job->status);
}

/*
 * Runs @job in a child that has become @user; the options read or
 * applied come back through a pipe (the child's memory is its own). Return: as
 * rdpprn_lpdefault().
 */
static int rdpprn_lpd_run(const char *user, struct rdpprn_lpd_job *job)
{
	struct passwd *pw = getpwnam(user);
	int status, p[2] = { -1, -1 };
	ssize_t n = 0;
	pid_t pid;

	if (!pw)
		return -ESRCH;
	if (!pw->pw_uid)
		return -EPERM;
	/* a struct rdpprn_qopts (a few KiB) fits in a pipe's buffer */
	if (job->opts && pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		status = -errno;
		goto out;
	}
	if (!pid)
		rdpprn_lpd_child(pw, job, p[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -errno;
			goto out;
		}
	if (!WIFEXITED(status)) {
		status = -EIO;
		goto out;
	}
	status = WEXITSTATUS(status);
	if (job->opts && status == RDPPRN_LPD_OK) {
		close(p[1]);
		p[1] = -1;
		n = read(p[0], job->opts, sizeof(*job->opts));
		if (n != (ssize_t)sizeof(*job->opts))
			status = RDPPRN_LPD_FAIL;
	}
	switch (status) {
	case RDPPRN_LPD_OK:
		status = 0;
		break;
	case RDPPRN_LPD_NOQUEUE:
		status = -ENOENT;
		break;
	case RDPPRN_LPD_SETUP:
		status = -EPERM;
		break;
	default:
		status = -EIO;
	}
out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return status;
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
	struct rdpprn_lpd_job job = { .op = RDPPRN_LPD_DEFAULT, .user = user,
				      .queue = queue, .set = set };

	return rdpprn_lpd_run(user, &job);
}

/**
 * rdpprn_lpoptions_apply() - add options to a user's for a queue
 * @user: the login name
 * @queue: the queue
 * @o: the options (rdpprn_qopts_decode()); on success, those applied
 *
 * Each value is checked against what the queue supports (its driver's
 * ``<key>-supported``); those it does not are left out, with a log line.
 * The others are written to @user's lpoptions for @queue, as @user.
 *
 * Return: as rdpprn_lpdefault().
 */
int rdpprn_lpoptions_apply(const char *user, const char *queue,
			   struct rdpprn_qopts *o)
{
	struct rdpprn_lpd_job job = { .op = RDPPRN_LPD_APPLY, .user = user,
				      .queue = queue, .opts = o };

	return rdpprn_lpd_run(user, &job);
}

/**
 * rdpprn_lpoptions_read() - a user's options for a queue
 * @user: the login name
 * @queue: the queue
 * @o: the options of @user's lpoptions for @queue that may follow the
 *	user (rdpprn_qopt_known(), rdpprn_qopt_value_ok()); others are
 *	skipped; none when the file is not there
 *
 * Return: as rdpprn_lpdefault(); -EIO also when the file cannot be
 * opened (a link: never followed) or read.
 */
int rdpprn_lpoptions_read(const char *user, const char *queue,
			  struct rdpprn_qopts *o)
{
	struct rdpprn_lpd_job job = { .op = RDPPRN_LPD_READ, .user = user,
				      .queue = queue, .opts = o };

	return rdpprn_lpd_run(user, &job);
}
