/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_cups.h - the CUPS backend "rdpprn" (Documentation/cups.rst).
 *
 * Files, one concern each:
 *   backend.c  main(): discovery, or one print job
 *   uri.c      rdpprn:// device URIs, built and parsed
 *   resolve.c  /sys/class/rdpprn scanned, a URI resolved, the owner check,
 *              discovery lines
 *   errors.c   every failure mapped to an exit code and STATE: keyword
 *
 * The functions take the sysfs and /dev roots as arguments so that the
 * unit tests can point them at a fake tree; only backend.c picks the
 * roots, and a production build has no way to change them.
 */
#ifndef RDPPRN_CUPS_H
#define RDPPRN_CUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define RDPPRN_CUPS_SYSFS	"/sys/class/rdpprn"
#define RDPPRN_CUPS_DEV		"/dev"
#define RDPPRN_CUPS_SCHEME	"rdpprn"
/* CUPS's own limit on a device URI (HTTP_MAX_URI, with its NUL). */
#define RDPPRN_CUPS_URI_MAX	1024
/* Longest name kept from sysfs (a sysfs attribute is at most a page). */
#define RDPPRN_CUPS_NAME_MAX	4096

/**
 * struct rdpprn_uri - a parsed device URI
 * @user: owner's login name, never empty
 * @client: client computer name, may be empty
 * @printer: client printer name, may be empty
 * @has_id: the URI had ?id=
 * @device_id: the DeviceId of ?id=
 *
 * The strings are decoded (no percent escapes) and point into one
 * allocation: free the struct with rdpprn_uri_free().
 */
struct rdpprn_uri {
	char *user;
	char *client;
	char *printer;
	bool has_id;
	uint32_t device_id;
};

/**
 * struct rdpprn_printer - one /sys/class/rdpprn/rdpprnN as read
 * @devname: "rdpprnN", the node under the /dev root
 * @major: device number, from the uevent file
 * @minor: device number, from the uevent file
 * @uid: the session's user, owner of the node (RDPPRN_UID)
 * @gid: the session's group (RDPPRN_GID)
 * @session: kernel session id (RDPPRN_SESSION); given in increasing
 *	order, so the highest is the newest session
 * @device_id: the client's DeviceId
 * @is_default: the client's default printer
 * @printer_name: PrinterName, UTF-8, as the client sent it
 * @client_name: the client's computer name
 * @driver_name: DriverName
 */
struct rdpprn_printer {
	char devname[32];
	unsigned int major;
	unsigned int minor;
	uid_t uid;
	gid_t gid;
	unsigned int session;
	uint32_t device_id;
	bool is_default;
	char *printer_name;
	char *client_name;
	char *driver_name;
};

/* uri.c */
int rdpprn_uri_build(char *buf, size_t size, const char *user,
		     const char *client, const char *printer,
		     const uint32_t *device_id);
int rdpprn_uri_parse(const char *uri, struct rdpprn_uri **out);
void rdpprn_uri_free(struct rdpprn_uri *uri);
int rdpprn_parse_uint(const char *s, unsigned int *v);

/* resolve.c */
int rdpprn_read_attr(const char *dir, const char *name, char **out);
int rdpprn_read_printer(const char *sysfs, const char *devname,
			struct rdpprn_printer *p);
int rdpprn_scan(const char *sysfs, struct rdpprn_printer **list,
		size_t *count);
void rdpprn_printer_clear(struct rdpprn_printer *p);
void rdpprn_printers_free(struct rdpprn_printer *list, size_t count);
int rdpprn_resolve(const struct rdpprn_printer *list, size_t count,
		   const struct rdpprn_uri *uri, uid_t uid);
int rdpprn_check_owner(const char *job_user, uid_t owner);
void rdpprn_discover(FILE *out, const struct rdpprn_printer *list,
		     size_t count, const char *only_user);

/* errors.c */
enum rdpprn_stage {
	RDPPRN_STAGE_URI,	/* the device URI does not parse */
	RDPPRN_STAGE_RESOLVE,	/* no printer matches the URI (now) */
	RDPPRN_STAGE_OWNER,	/* the job's user is not the owner */
	RDPPRN_STAGE_INPUT,	/* the job's file cannot be read */
	RDPPRN_STAGE_SETUP,	/* privileges cannot be dropped */
	RDPPRN_STAGE_OPEN,	/* open() of the node: the create */
	RDPPRN_STAGE_FORMAT,	/* the XPS ioctl, before any data */
	RDPPRN_STAGE_DATA,	/* write(), fsync(), close() */
	RDPPRN_STAGE_CANCEL,	/* SIGTERM: CUPS cancelled the job */
};

/**
 * struct rdpprn_outcome - what the backend tells CUPS about a failure
 * @exit_code: a CUPS_BACKEND_* value
 * @state: keyword for a "STATE: +keyword" line, or NULL
 * @reason: the human part of the "ERROR:" line
 */
struct rdpprn_outcome {
	int exit_code;
	const char *state;
	const char *reason;
};

struct rdpprn_outcome rdpprn_outcome(enum rdpprn_stage stage, int err);
void rdpprn_report(FILE *log, enum rdpprn_stage stage, int err,
		   const char *what);

#endif /* RDPPRN_CUPS_H */
