// SPDX-License-Identifier: GPL-2.0
/*
 * backend.c - the CUPS backend "rdpprn" (backend(7), Documentation/cups.rst)
 *
 *   rdpprn                                     discovery, for lpinfo -v
 *   rdpprn job-id user title copies options [file]
 *                                              one job, to the printer of
 *                                              DEVICE_URI (or argv[0])
 *
 * It runs as root (installed mode 0700), because only the owner may open
 * /dev/rdpprnN. Root passes the node's mode, so it checks the owner
 * itself and then becomes the owner before it opens the node: the kernel's
 * own check in open() applies again, against the device's current owner.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cups/backend.h>

#include <linux/rdpprn_dev.h>

#include "rdpprn_cups.h"

/* CUPS's own default MaxCopies. */
#define RDPPRN_MAX_COPIES	9999

/* lock-free, so a signal handler may set it */
static atomic_int rdpprn_cancelled;
static char rdpprn_buf[64 * 1024];

/*
 * CUPS cancels a job with SIGTERM. The flag stops the copy; the default
 * action comes back so that a second SIGTERM ends us even in close(),
 * which waits (killably only) for the client to take what was written.
 */
static void rdpprn_on_term(int sig)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	rdpprn_cancelled = 1;
	sigaction(sig, &sa, NULL);
}

#ifdef RDPPRN_CUPS_TEST
/*
 * The test build only: tests/unit/rdpprn-cups-e2e.sh points the backend
 * at a fake tree. A production build has no such variable, so a backend
 * running as root never reads a path someone else chose.
 */
static const char *rdpprn_root(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

/* Test stand-ins for the node may be regular files or FIFOs. */
static bool rdpprn_node_type_ok(const struct stat *st)
{
	return S_ISCHR(st->st_mode) || S_ISREG(st->st_mode) ||
	       S_ISFIFO(st->st_mode);
}
#else
static const char *rdpprn_root(const char *var, const char *def)
{
	return def;
}

static bool rdpprn_node_type_ok(const struct stat *st)
{
	return S_ISCHR(st->st_mode);
}
#endif

static int rdpprn_discovery(void)
{
	struct rdpprn_printer *list;
	size_t n;
	int ret;

	ret = rdpprn_scan(rdpprn_root("RDPPRN_CUPS_SYSFS", RDPPRN_CUPS_SYSFS),
			  &list, &n);
	if (ret) {
		fprintf(stderr, "ERROR: rdpprn: cannot read %s: %s\n",
			RDPPRN_CUPS_SYSFS, strerror(-ret));
		return CUPS_BACKEND_FAILED;
	}
	rdpprn_discover(stdout, list, n, getenv("RDPPRN_CUPS_USER"));
	rdpprn_printers_free(list, n);
	return CUPS_BACKEND_OK;
}

static int rdpprn_fail(enum rdpprn_stage stage, int err, const char *what)
{
	rdpprn_report(stderr, stage, err, what);
	return rdpprn_outcome(stage, err).exit_code;
}

/* Becomes the printer's owner, so that open() is checked as for them. */
static int rdpprn_become(const struct rdpprn_printer *p)
{
	if (geteuid() == p->uid && getegid() == p->gid)
		return 0;
	if (setgroups(0, NULL) || setgid(p->gid) || setuid(p->uid))
		return -errno;
	return 0;
}

/*
 * The node opened is the printer resolved: the same device number, and
 * sysfs still shows the same owner, session and DeviceId for it. A minor
 * freed and given to another printer of the same user between scan and
 * open would otherwise take the job.
 */
static int rdpprn_verify(int fd, const char *sysfs,
			 const struct rdpprn_printer *p)
{
	struct rdpprn_printer now;
	struct stat st;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	if (!rdpprn_node_type_ok(&st) ||
	    (S_ISCHR(st.st_mode) &&
	     st.st_rdev != makedev(p->major, p->minor)))
		return -ENODEV;
	ret = rdpprn_read_printer(sysfs, p->devname, &now);
	if (ret)
		return -ENODEV;
	if (now.uid != p->uid || now.session != p->session ||
	    now.device_id != p->device_id)
		ret = -ENODEV;
	rdpprn_printer_clear(&now);
	return ret;
}

static int rdpprn_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		/* a cancel after a partial write stops before the next one */
		if (rdpprn_cancelled)
			return -EINTR;
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR && !rdpprn_cancelled)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copies @in to @out @copies times. Return: 0, or a negative errno with
 * *@stage saying whose: the input's or the device's.
 */
static int rdpprn_copy(int in, int out, unsigned int copies,
		       unsigned long long *total, enum rdpprn_stage *stage)
{
	unsigned int c;
	ssize_t n;
	int ret;

	for (c = 0; c < copies; c++) {
		if (c && lseek(in, 0, SEEK_SET) < 0) {
			*stage = RDPPRN_STAGE_INPUT;
			return -errno;
		}
		for (;;) {
			if (rdpprn_cancelled)
				return -EINTR;
			n = read(in, rdpprn_buf, sizeof(rdpprn_buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				*stage = RDPPRN_STAGE_INPUT;
				return -errno;
			}
			if (!n)
				break;
			ret = rdpprn_write_all(out, rdpprn_buf, (size_t)n);
			if (ret) {
				*stage = RDPPRN_STAGE_DATA;
				return ret;
			}
			*total += (unsigned long long)n;
		}
	}
	return 0;
}

static bool rdpprn_is_chr(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISCHR(st.st_mode);
}

/* Writes the job to an open node and commits it: fsync(), close(). */
static int rdpprn_send(int in, int fd, unsigned int copies, const char *uri)
{
	enum rdpprn_stage stage = RDPPRN_STAGE_DATA;
	unsigned long long total = 0;
	int ret;

	ret = rdpprn_copy(in, fd, copies, &total, &stage);
	if (!ret) {
		do {
			ret = fsync(fd) ? -errno : 0;
		} while (ret == -EINTR && !rdpprn_cancelled);
		/*
		 * Only a FIFO standing in for the node in the tests says
		 * EINVAL for having no fsync: the node's EINVAL is the
		 * client's STATUS_INVALID_PARAMETER and counts.
		 */
		if (ret == -EINVAL && !rdpprn_is_chr(fd))
			ret = 0;
	}
	/*
	 * close() commits the job (IRP_MJ_CLOSE) and returns its outcome; it
	 * is the last word even after a failed write or a cancel.
	 */
	if (close(fd) && !ret)
		ret = -errno;
	if (rdpprn_cancelled)
		return rdpprn_fail(RDPPRN_STAGE_CANCEL, 0, uri);
	if (ret)
		return rdpprn_fail(stage, ret, uri);
	fprintf(stderr, "INFO: rdpprn: sent %llu bytes\n", total);
	return CUPS_BACKEND_OK;
}

static int rdpprn_open_node(const char *dev, const struct rdpprn_printer *p)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/%s", dev, p->devname) < 0)
		return -ENOMEM;
	/*
	 * A SIGTERM that comes just before open() starts to wait is not
	 * seen by it; the handler gave SIGTERM its default action back, so
	 * cupsd's next one ends us.
	 */
	fd = -EINTR;
	while (fd == -EINTR && !rdpprn_cancelled) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			fd = -errno;
	}
	free(path);
	return fd;
}

/*
 * Whether the data reaching the backend is XPS: FINAL_CONTENT_TYPE when a
 * filter chain ran, else (a raw queue) the document's own CONTENT_TYPE.
 */
static bool rdpprn_data_is_xps(void)
{
	static const char *const xps[] = {
		"application/oxps", "application/vnd.ms-xpsdocument",
	};
	const char *type = getenv("FINAL_CONTENT_TYPE");
	size_t i;

	if (!type || !strncmp(type, "printer/", 8) ||
	    !strcmp(type, "application/vnd.cups-raw"))
		type = getenv("CONTENT_TYPE");
	for (i = 0; type && i < ARRAY_SIZE(xps); i++)
		if (!strcasecmp(type, xps[i]))
			return true;
	return false;
}

/*
 * An XPS job goes to an XPS-capable printer as XPS: the kernel then sends
 * the client DR_PRN_USING_XPS before the first write. A printer without
 * XPSFORMAT gets the bytes as they are, which is what it would get from
 * any other backend; the log says so.
 */
static int rdpprn_set_format(int fd, const char *sysfs,
			     const struct rdpprn_printer *p)
{
	__u32 format = RDPPRN_FORMAT_XPS;
	char *dir, *flag = NULL;
	bool xps;

	if (!rdpprn_data_is_xps())
		return 0;
	if (asprintf(&dir, "%s/%s", sysfs, p->devname) < 0)
		return -ENOMEM;
	xps = !rdpprn_read_attr(dir, "xps", &flag) && !strcmp(flag, "1");
	free(flag);
	free(dir);
	if (!xps) {
		fprintf(stderr,
			"WARNING: rdpprn: XPS data, but the client's printer does not take XPS; sent as it is\n");
		return 0;
	}
	fprintf(stderr, "INFO: rdpprn: sending XPS\n");
	return ioctl(fd, RDPPRN_IOC_SET_FORMAT, &format) ? -errno : 0;
}

/* The printer @uri means now, or an exit code (> 0) why there is none. */
static int rdpprn_find(const char *sysfs, const struct rdpprn_uri *u,
		       uid_t uid, const char *uri, struct rdpprn_printer *out)
{
	struct rdpprn_printer *list;
	size_t n;
	int ret;

	ret = rdpprn_scan(sysfs, &list, &n);
	if (ret)
		return rdpprn_fail(RDPPRN_STAGE_RESOLVE, ret, uri);
	ret = rdpprn_resolve(list, n, u, uid);
	if (ret < 0) {
		rdpprn_printers_free(list, n);
		return rdpprn_fail(RDPPRN_STAGE_RESOLVE, 0, uri);
	}
	*out = list[ret];
	memset(&list[ret], 0, sizeof(list[ret]));
	rdpprn_printers_free(list, n);
	return 0;
}

static int rdpprn_job(int in, unsigned int copies, const char *uri,
		      const struct rdpprn_uri *u, uid_t uid)
{
	const char *sysfs = rdpprn_root("RDPPRN_CUPS_SYSFS", RDPPRN_CUPS_SYSFS);
	const char *dev = rdpprn_root("RDPPRN_CUPS_DEV", RDPPRN_CUPS_DEV);
	struct rdpprn_printer p;
	int fd, ret;

	ret = rdpprn_find(sysfs, u, uid, uri, &p);
	if (ret)
		return ret;
	fprintf(stderr, "STATE: -offline-report\n");
	fprintf(stderr, "INFO: rdpprn: printing to %s (session %u)\n",
		p.devname, p.session);
	ret = rdpprn_become(&p);
	if (ret) {
		ret = rdpprn_fail(RDPPRN_STAGE_SETUP, ret, uri);
		goto out;
	}
	fd = rdpprn_open_node(dev, &p);
	if (fd < 0) {
		if (rdpprn_cancelled)
			ret = rdpprn_fail(RDPPRN_STAGE_CANCEL, 0, uri);
		else
			ret = rdpprn_fail(RDPPRN_STAGE_OPEN, fd, uri);
		goto out;
	}
	ret = rdpprn_verify(fd, sysfs, &p);
	if (ret) {
		close(fd);
		ret = rdpprn_fail(RDPPRN_STAGE_RESOLVE, 0, uri);
		goto out;
	}
	ret = rdpprn_set_format(fd, sysfs, &p);
	if (ret) {
		close(fd);
		ret = rdpprn_fail(RDPPRN_STAGE_FORMAT, ret, uri);
		goto out;
	}
	ret = rdpprn_send(in, fd, copies, uri);
out:
	rdpprn_printer_clear(&p);
	return ret;
}

static unsigned int rdpprn_copies(const char *s)
{
	long v = strtol(s, NULL, 10);

	if (v < 1)
		return 1;
	return v > RDPPRN_MAX_COPIES ? RDPPRN_MAX_COPIES : (unsigned int)v;
}

static int rdpprn_print(int argc, char *argv[])
{
	const char *uri = cupsBackendDeviceURI(argv);
	struct rdpprn_uri *u;
	unsigned int copies = 1;
	struct passwd *pw;
	int in = 0, ret;

	if (!uri || rdpprn_uri_parse(uri, &u))
		return rdpprn_fail(RDPPRN_STAGE_URI, 0, NULL);
	/* Which uid the URI names, and is it the job's user's? */
	pw = getpwnam(u->user);
	if (!pw) {
		ret = rdpprn_fail(RDPPRN_STAGE_URI, 0, "unknown user");
		goto out;
	}
	ret = rdpprn_check_owner(argv[2], pw->pw_uid);
	if (ret) {
		ret = rdpprn_fail(RDPPRN_STAGE_OWNER, 0, uri);
		goto out;
	}
	/* The spool file is root's: open it before becoming the owner. */
	if (argc == 7) {
		in = open(argv[6], O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (in < 0) {
			ret = rdpprn_fail(RDPPRN_STAGE_INPUT, errno, NULL);
			goto out;
		}
		copies = rdpprn_copies(argv[4]);
	}
	ret = rdpprn_job(in, copies, uri, u, pw->pw_uid);
	if (in > 0)
		close(in);
out:
	rdpprn_uri_free(u);
	return ret;
}

int main(int argc, char *argv[])
{
	struct sigaction sa = { .sa_handler = rdpprn_on_term };

	/* No SA_RESTART: a cancel must interrupt a wait in open() or write(). */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setbuf(stderr, NULL);

	if (argc == 1)
		return rdpprn_discovery();
	if (argc < 6 || argc > 7) {
		fprintf(stderr,
			"Usage: %s job-id user title copies options [file]\n",
			argv[0]);
		return CUPS_BACKEND_FAILED;
	}
	return rdpprn_print(argc, argv);
}
