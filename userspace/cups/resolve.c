// SPDX-License-Identifier: GPL-2.0
/*
 * resolve.c - from a device URI to a /dev/rdpprnN, through sysfs.
 *
 * Minor numbers say nothing about whose printer a node is, so the URI
 * names the owner, the client and the printer, and this file finds the
 * live device that matches by reading every /sys/class/rdpprn/rdpprnN.
 * The owner and the session come from the kernel's own uevent file
 * (RDPPRN_UID, RDPPRN_SESSION: reading it runs the module's uevent
 * callback), never from a name a client chose. Devices that vanish while
 * they are read are skipped: a printer can go at any time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdpprn_cups.h"

/**
 * rdpprn_read_attr() - read a sysfs attribute of a device
 * @dir: the device's directory
 * @name: the attribute
 * @out: a new string without its last newline (sysfs adds one)
 *
 * Return: 0, -EFBIG when longer than RDPPRN_CUPS_NAME_MAX, -EINVAL for a
 * NUL inside, or -errno.
 */
int rdpprn_read_attr(const char *dir, const char *name, char **out)
{
	char *path, *buf;
	ssize_t n;
	size_t len = 0;
	int fd, ret = 0;

	*out = NULL;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	free(path);
	if (fd < 0)
		return -errno;
	buf = malloc(RDPPRN_CUPS_NAME_MAX + 2);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		n = read(fd, buf + len, RDPPRN_CUPS_NAME_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > RDPPRN_CUPS_NAME_MAX)
			break;
	}
	if (n < 0)
		ret = -errno;
	else if (len > RDPPRN_CUPS_NAME_MAX)
		ret = -EFBIG;
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	/* A NUL inside would make the name compare as something shorter. */
	if (strlen(buf) != len) {
		free(buf);
		return -EINVAL;
	}
	/* most names are short: give the page back */
	*out = realloc(buf, len + 1) ?: buf;
	return 0;
}

/* The uevent file's variables this backend needs, in this order. */
static const char *const rdpprn_uevent_keys[] = {
	"MAJOR", "MINOR", "RDPPRN_UID", "RDPPRN_GID", "RDPPRN_SESSION",
	"RDPPRN_DEVICE_ID", "RDPPRN_DEFAULT",
};

#define RDPPRN_NKEYS	ARRAY_SIZE(rdpprn_uevent_keys)

/*
 * The KEY=value lines of the uevent file that say whose printer it is;
 * all must be there, and DEVNAME must be the directory's own name.
 */
static int rdpprn_parse_uevent(char *text, const char *devname,
			       struct rdpprn_printer *p)
{
	unsigned int v[RDPPRN_NKEYS], seen = 0;
	char *line, *save = NULL, *val;
	bool name_ok = false;
	size_t k;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, '=');
		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(line, "DEVNAME")) {
			name_ok = !strcmp(val, devname);
			continue;
		}
		for (k = 0; k < RDPPRN_NKEYS; k++) {
			if (strcmp(line, rdpprn_uevent_keys[k]))
				continue;
			if (rdpprn_parse_uint(val, &v[k]))
				return -EINVAL;
			seen |= 1U << k;
		}
	}
	if (!name_ok || seen != (1U << RDPPRN_NKEYS) - 1)
		return -EINVAL;
	p->major = v[0];
	p->minor = v[1];
	p->uid = v[2];
	p->gid = v[3];
	p->session = v[4];
	p->device_id = v[5];
	p->is_default = v[6] == 1;
	return 0;
}

static bool rdpprn_devname_ok(const char *name)
{
	size_t i;

	if (strncmp(name, "rdpprn", 6) || !name[6] || strlen(name) > 16)
		return false;
	for (i = 6; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

void rdpprn_printer_clear(struct rdpprn_printer *p)
{
	free(p->printer_name);
	free(p->client_name);
	free(p->driver_name);
	memset(p, 0, sizeof(*p));
}

/**
 * rdpprn_read_printer() - read one device's attributes
 * @sysfs: the class directory (RDPPRN_CUPS_SYSFS)
 * @devname: "rdpprnN"
 * @p: filled in; its strings are freed with rdpprn_printer_clear()
 *
 * Return: 0; -ENOENT or -ENODEV when the device is gone (or going), -EINVAL
 * for a name that is no rdpprn node or attributes that make no sense.
 */
int rdpprn_read_printer(const char *sysfs, const char *devname,
			struct rdpprn_printer *p)
{
	char *dir, *uevent;
	int ret;

	memset(p, 0, sizeof(*p));
	if (!rdpprn_devname_ok(devname))
		return -EINVAL;
	if (asprintf(&dir, "%s/%s", sysfs, devname) < 0)
		return -ENOMEM;
	ret = rdpprn_read_attr(dir, "uevent", &uevent);
	if (!ret) {
		ret = rdpprn_parse_uevent(uevent, devname, p);
		free(uevent);
	}
	if (!ret)
		ret = rdpprn_read_attr(dir, "printer_name", &p->printer_name);
	if (!ret)
		ret = rdpprn_read_attr(dir, "client_name", &p->client_name);
	if (!ret)
		ret = rdpprn_read_attr(dir, "driver_name", &p->driver_name);
	free(dir);
	if (ret) {
		rdpprn_printer_clear(p);
		return ret;
	}
	strcpy(p->devname, devname);	/* length checked above */
	return 0;
}

/**
 * rdpprn_scan() - every rdpprn printer there is now
 * @sysfs: the class directory
 * @list: a new array, to free with rdpprn_printers_free()
 * @count: its length
 *
 * No class directory (module not loaded) is an empty list. Devices that
 * cannot be read are left out: they are going away, or are not ours.
 *
 * Return: 0 or -errno.
 */
int rdpprn_scan(const char *sysfs, struct rdpprn_printer **list,
		size_t *count)
{
	struct rdpprn_printer *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*list = NULL;
	*count = 0;
	d = opendir(sysfs);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!rdpprn_devname_ok(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				closedir(d);
				rdpprn_printers_free(v, n);
				return -ENOMEM;
			}
			v = nv;
		}
		if (!rdpprn_read_printer(sysfs, de->d_name, &v[n]))
			n++;
	}
	closedir(d);
	*list = v;
	*count = n;
	return 0;
}

void rdpprn_printers_free(struct rdpprn_printer *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		rdpprn_printer_clear(&list[i]);
	free(list);
}

/*
 * Is @a a better match than @b? The newest session first (session ids
 * only grow, wrapping after 2^31 sessions); in one session, whose client
 * announced two printers of one name, the lower DeviceId, so that the
 * choice does not depend on the order of readdir().
 */
static bool rdpprn_better(const struct rdpprn_printer *a,
			  const struct rdpprn_printer *b)
{
	if (a->session != b->session)
		return a->session > b->session;
	return a->device_id < b->device_id;
}

/**
 * rdpprn_resolve() - the printer a URI means now
 * @list: rdpprn_scan()'s printers
 * @count: how many
 * @uri: the parsed URI
 * @uid: the uid of @uri->user (the caller looked it up)
 *
 * A printer matches when its owner is @uid and its client name and
 * printer name equal the URI's byte for byte (and its DeviceId the URI's
 * id, if given). Of several, the newest session wins: a user who
 * reconnects, or opens a second session from the same client, prints in
 * the session that came last, as ThinLinc's queues do.
 *
 * Return: the index in @list, or -ENOENT.
 */
int rdpprn_resolve(const struct rdpprn_printer *list, size_t count,
		   const struct rdpprn_uri *uri, uid_t uid)
{
	int best = -ENOENT;
	size_t i;

	for (i = 0; i < count; i++) {
		const struct rdpprn_printer *p = &list[i];

		if (p->uid != uid || strcmp(p->client_name, uri->client) ||
		    strcmp(p->printer_name, uri->printer) ||
		    (uri->has_id && p->device_id != uri->device_id))
			continue;
		if (best < 0 || rdpprn_better(p, &list[best]))
			best = (int)i;
	}
	return best;
}

/**
 * rdpprn_check_owner() - may this job's user print to the printer?
 * @job_user: argv[2], the job's requesting-user-name as CUPS saw it
 * @owner: the printer's owner uid
 *
 * The backend runs as root, for which the node's mode means nothing, so
 * this check is what keeps user B off user A's printer. Users are
 * compared by uid, so that two login names of one uid are one user. root
 * gets no exception: root can write to the node itself.
 *
 * Return: 0, -ESRCH for a name this host does not know (a remote job's),
 * -EPERM for another user.
 */
int rdpprn_check_owner(const char *job_user, uid_t owner)
{
	struct passwd *pw;

	if (!job_user || !*job_user)
		return -ESRCH;
	pw = getpwnam(job_user);
	if (!pw)
		return -ESRCH;
	return pw->pw_uid == owner ? 0 : -EPERM;
}

/*
 * Names inside the quoted fields of a discovery line: cups-deviced reads
 * up to the next '"' and takes '\' as an escape, and a newline would end
 * the line. A client names its printer: replace what could break out.
 */
static void rdpprn_put_quoted(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"')
			fputc('\'', out);
		else if (*p == '\\')
			fputc('/', out);
		else if (*p < 0x20 || *p == 0x7f)
			fputc(' ', out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* The info field: "<printer> on <client> (<user>, session <n>)". */
static void rdpprn_put_info(FILE *out, const struct rdpprn_printer *p,
			    const char *user)
{
	char *info;

	if (asprintf(&info, "%s on %s (%s, session %u)", p->printer_name,
		     p->client_name, user, p->session) < 0) {
		rdpprn_put_quoted(out, p->printer_name);
		return;
	}
	rdpprn_put_quoted(out, info);
	free(info);
}

/**
 * rdpprn_discover() - the lines "lpinfo -v" shows
 * @out: stdout
 * @list: rdpprn_scan()'s printers
 * @count: how many
 * @only_user: list only this user's printers, or NULL for all
 *
 * One line per printer: direct URI "make-and-model" "info" "device-id"
 * "location". The plain URI is given where it resolves to this very
 * printer; where another printer wins it (an older session, or a second
 * printer of the same name in one session), the ?id= form; a printer not
 * even that reaches is left out, with a DEBUG line on stderr, so that
 * every URI listed prints where it says.
 */
void rdpprn_discover(FILE *out, const struct rdpprn_printer *list,
		     size_t count, const char *only_user)
{
	struct rdpprn_uri u = { 0 };
	char *uri = NULL;
	struct passwd *pw;
	size_t i;
	int n;

	uri = malloc(RDPPRN_CUPS_URI_MAX);
	if (!uri)
		return;
	for (i = 0; i < count; i++) {
		const struct rdpprn_printer *p = &list[i];

		pw = getpwuid(p->uid);
		if (!pw || (only_user && strcmp(only_user, pw->pw_name)))
			continue;
		u.user = pw->pw_name;
		u.client = p->client_name;
		u.printer = p->printer_name;
		u.has_id = false;
		if (rdpprn_resolve(list, count, &u, p->uid) != (int)i) {
			u.has_id = true;
			u.device_id = p->device_id;
			if (rdpprn_resolve(list, count, &u, p->uid) != (int)i) {
				fprintf(stderr, "DEBUG: rdpprn: %s has no URI of its own\n",
					p->devname);
				continue;
			}
		}
		n = rdpprn_uri_build(uri, RDPPRN_CUPS_URI_MAX, u.user,
				     u.client, u.printer,
				     u.has_id ? &u.device_id : NULL);
		if (n < 0) {
			fprintf(stderr, "DEBUG: rdpprn: %s: URI too long\n",
				p->devname);
			continue;
		}
		fprintf(out, "direct %s ", uri);
		rdpprn_put_quoted(out, *p->driver_name ? p->driver_name :
				  "Unknown");
		fputc(' ', out);
		rdpprn_put_info(out, p, u.user);
		fputs(" \"\" ", out);
		rdpprn_put_quoted(out, p->client_name);
		fputc('\n', out);
	}
	free(uri);
}
