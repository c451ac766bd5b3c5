/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_queued.h - rdpprn-queued, the agent that keeps one CUPS queue per
 * redirected printer (Documentation/cups.rst, "Queues").
 *
 * Files, one concern each:
 *   queued.c     main(): options, the event loop (netlink monitor group,
 *                signals, the timers)
 *   reconcile.c  one pass: sysfs and CUPS read, the plan applied, logged
 *   queues.c     the plan, a pure function: names from the template,
 *                sanitized and made unique, the driver of each printer,
 *                what to create, modify and delete (no I/O, unit-tested)
 *   ipp.c        libcups: the queues listed, added or modified, deleted
 *   lpdefault.c  a user's lpoptions, read and written as that user: the
 *                default printer, a queue's options
 *   qopts.c      the format of the options the client keeps for us
 *                (CachedPrinterConfigData), a pure function (unit-tested)
 *   qcache.c     options that follow the user: applied to a new queue,
 *                sent to the client when the user changes them
 *   watch.c      inotify on the users' ~/.cups: a pass when they change
 *   qconf.c      the configuration file's keys
 *
 * The agent uses the backend's sysfs scan and URIs (rdpprn_cups.h).
 */
#ifndef RDPPRN_QUEUED_H
#define RDPPRN_QUEUED_H

#include "rdpprn_config.h"
#include "rdpprn_cups.h"

#define RDPPRN_Q_CONF		"/etc/rdpprn/cups.conf"
/* CUPS's limit on a queue name (validate_name() in cupsd) */
#define RDPPRN_Q_NAME_MAX	127
/* What a name becomes when nothing of it is left */
#define RDPPRN_Q_NAME_EMPTY	"rdpprn"
/* IPP's limit on a text attribute (printer-info, printer-location) */
#define RDPPRN_Q_TEXT_MAX	1023
#define RDPPRN_Q_DRIVERS_MAX	256
/* The ppd-name of a raw queue, and the make and model cupsd gives it */
#define RDPPRN_Q_RAW		"raw"
#define RDPPRN_Q_RAW_MODEL	"Local Raw Printer"

/**
 * struct rdpprn_qdriver - one "driver = <ppd-name> <pattern>" line
 * @ppd: the ppd-name given to CUPS
 * @pattern: fnmatch(3) pattern on the client's DriverName, case-insensitive
 */
struct rdpprn_qdriver {
	char *ppd;
	char *pattern;
};

/**
 * struct rdpprn_qconf - the agent's configuration
 * @queue_name: the name template (%p %c %u %i %s %%)
 * @drivers: the mapping, first match wins
 * @n_drivers: how many
 * @universal: the driver of unmapped printers; @universal.ppd is NULL for
 *	"universal = none" (no queue), "raw" by default
 * @default_printer: the client's default printer becomes its user's default
 */
/* keep_jobs: ten minutes by default, a day at most */
#define RDPPRN_KEEP_JOBS_DEFAULT	600
#define RDPPRN_KEEP_JOBS_MAX		86400

struct rdpprn_qconf {
	char *queue_name;
	struct rdpprn_qdriver *drivers;
	size_t n_drivers;
	struct rdpprn_qdriver universal;
	bool default_printer;
	unsigned int keep_jobs;
};

/* qconf.c */
void rdpprn_qconf_init(struct rdpprn_qconf *c);
void rdpprn_qconf_free(struct rdpprn_qconf *c);
int rdpprn_qconf_parse(struct rdpprn_qconf *c, const char *text, size_t len,
		       struct rdpprn_config_err *err);
int rdpprn_qconf_load(struct rdpprn_qconf *c, const char *path,
		      bool *missing, struct rdpprn_config_err *err);

/**
 * struct rdpprn_qvars - what the name template's tokens stand for
 * @printer: %p, the client's printer name
 * @client: %c, the client computer name
 * @user: %u, the owner's login name
 * @device_id: %i, the client's DeviceId
 * @session: %s, the kernel session id
 */
struct rdpprn_qvars {
	const char *printer;
	const char *client;
	const char *user;
	uint32_t device_id;
	unsigned int session;
};

/**
 * struct rdpprn_queue - a CUPS queue as CUPS-Get-Printers lists it
 * @name: printer-name
 * @uri: device-uri, or NULL (a class)
 * @info: printer-info, or NULL
 * @location: printer-location, or NULL
 * @model: printer-make-and-model, or NULL
 * @allowed: requesting-user-name-allowed when it has exactly one value,
 *	else NULL
 * @shared: printer-is-shared
 * @accepting: printer-is-accepting-jobs
 * @ours: the agent's own queue: its device URI is rdpprn:// with ?id=
 * @user: for ours, the URI's user; @client and @printer likewise
 * @client: the URI's client
 * @printer: the URI's printer
 */
struct rdpprn_queue {
	char *name;
	char *uri;
	char *info;
	char *location;
	char *model;
	char *allowed;
	bool shared;
	bool accepting;
	bool ours;
	char *user;
	char *client;
	char *printer;
};

enum rdpprn_qaction {
	RDPPRN_Q_KEEP,		/* the queue is as it should be */
	RDPPRN_Q_CREATE,	/* no such queue yet */
	RDPPRN_Q_MODIFY,	/* an agent's queue with other attributes */
};

/**
 * struct rdpprn_want - one queue the agent wants
 * @name: the queue's name
 * @uri: device-uri, rdpprn://user/client/printer?id=N
 * @info: printer-info: the printer's name as the client shows it
 * @location: printer-location: "<client> (RDP, <user>)"
 * @user: the owner's login name, requesting-user-name-allowed
 * @drv: the driver (into the configuration)
 * @printer: the printer (into the caller's list)
 * @is_default: the client's default printer
 * @set_default: make it the user's default now (see rdpprn_plan())
 * @set_driver: send the driver with a modify (a create always does)
 * @action: what to do
 * @queue: the index of the existing queue, -1 for a create
 */
struct rdpprn_want {
	char name[RDPPRN_Q_NAME_MAX + 1];
	char uri[RDPPRN_CUPS_URI_MAX];
	char info[RDPPRN_Q_TEXT_MAX + 1];
	char location[RDPPRN_Q_TEXT_MAX + 1];
	const char *user;
	const struct rdpprn_qdriver *drv;
	const struct rdpprn_printer *printer;
	bool is_default;
	bool set_default;
	bool set_driver;
	enum rdpprn_qaction action;
	int queue;
};

enum rdpprn_qskip {
	RDPPRN_Q_SKIP_NONE,
	RDPPRN_Q_SKIP_USER,	/* the owner has no passwd entry */
	RDPPRN_Q_SKIP_DRIVER,	/* unmapped, and universal = none */
	RDPPRN_Q_SKIP_URI,	/* the names are too long for a URI */
	RDPPRN_Q_SKIP_NAME,	/* no free name */
	RDPPRN_Q_SKIP_SAME,	/* same URI as an older printer's queue */
};

/**
 * struct rdpprn_plan - what one reconcile does
 * @want: the queues wanted, one per printer that gets one
 * @n_want: how many
 * @del: indexes of the agent's queues nobody wants any more
 * @n_del: how many
 * @skip: per printer (the caller's order), why it has no queue of its own
 */
struct rdpprn_plan {
	struct rdpprn_want *want;
	size_t n_want;
	size_t *del;
	size_t n_del;
	enum rdpprn_qskip *skip;
};

/* queues.c */
int rdpprn_qname_expand(const char *tmpl, const struct rdpprn_qvars *v,
			char **out);
int rdpprn_qname_check(const char *tmpl, char *msg, size_t msglen);
void rdpprn_qname_sanitize(const char *in, char *out);
void rdpprn_qname_suffix(const char *base, unsigned int n, char *out);
void rdpprn_qtext(const char *in, char *out, size_t size);
const struct rdpprn_qdriver *rdpprn_qdriver_pick(const struct rdpprn_qconf *c,
						 const char *driver_name);
bool rdpprn_queue_classify(struct rdpprn_queue *q);
void rdpprn_queue_clear(struct rdpprn_queue *q);
void rdpprn_queues_free(struct rdpprn_queue *list, size_t count);
int rdpprn_plan(const struct rdpprn_qconf *c,
		const struct rdpprn_printer *printers, size_t n_printers,
		const char *const *users, const struct rdpprn_queue *queues,
		size_t n_queues, const char *const *was_default,
		size_t n_was_default, struct rdpprn_plan *plan);
void rdpprn_plan_free(struct rdpprn_plan *plan);

/* ipp.c */
struct _http_s;
struct _http_s *rdpprn_ipp_connect(void);
void rdpprn_ipp_close(struct _http_s *http);
int rdpprn_ipp_list(struct _http_s *http, struct rdpprn_queue **list,
		    size_t *count);
int rdpprn_ipp_put(struct _http_s *http, const struct rdpprn_want *w,
		   bool create);
int rdpprn_ipp_delete(struct _http_s *http, const char *name);
int rdpprn_ipp_pending(struct _http_s *http, const char *name);
const char *rdpprn_ipp_error(void);

/*
 * qopts.c: "RDPPRN-OPTIONS 1\n" then "key=value\n" lines
 * (Documentation/cups.rst, "Options that follow the user").
 */
#define RDPPRN_QOPTS_MAGIC	"RDPPRN-OPTIONS"
#define RDPPRN_QOPTS_HEADER	RDPPRN_QOPTS_MAGIC " 1"
#define RDPPRN_QOPTS_SIZE_MAX	4096
#define RDPPRN_QOPTS_MAX	32
#define RDPPRN_QOPT_KEY_MAX	31
#define RDPPRN_QOPT_VALUE_MAX	63

struct rdpprn_qopt {
	char key[RDPPRN_QOPT_KEY_MAX + 1];
	char value[RDPPRN_QOPT_VALUE_MAX + 1];
};

/**
 * struct rdpprn_qopts - a queue's options, sorted by key, each key once
 * @opt: the options
 * @n: how many
 */
struct rdpprn_qopts {
	struct rdpprn_qopt opt[RDPPRN_QOPTS_MAX];
	unsigned int n;
};

/**
 * struct rdpprn_qopts_err - why a blob was refused
 * @line: the line, from 1; 0 for the blob as a whole
 * @msg: what
 */
struct rdpprn_qopts_err {
	unsigned int line;
	char msg[128];
};

bool rdpprn_qopt_known(const char *key);
bool rdpprn_qopt_value_ok(const char *value);
int rdpprn_qopts_add(struct rdpprn_qopts *o, const char *key,
		     const char *value);
int rdpprn_qopts_encode(const struct rdpprn_qopts *o, char *buf, size_t size);
int rdpprn_qopts_decode(const void *buf, size_t len, struct rdpprn_qopts *o,
			struct rdpprn_qopts_err *err);

/* lpdefault.c */
int rdpprn_lpdefault(const char *user, const char *queue, bool set);
int rdpprn_lpoptions_apply(const char *user, const char *queue,
			   struct rdpprn_qopts *o);
int rdpprn_lpoptions_read(const char *user, const char *queue,
			  struct rdpprn_qopts *o);

/* reconcile.c */
/**
 * struct rdpprn_qstate - what the agent remembers between reconciles
 * @defaults: names of the queues that were their client's default
 * @n_defaults: how many
 * @planned: a reconcile has computed a plan (@defaults means something)
 * @kept: queues whose printer is gone, kept for their jobs (keep_jobs)
 * @kept_since: when each was first kept (CLOCK_MONOTONIC seconds)
 * @n_kept: how many
 * @follow: printers whose options follow their user (qcache.c)
 * @n_follow: how many
 * @watch_fd: inotify on the users' ~/.cups (watch.c), when @watching
 * @watching: @watch_fd is open
 */
struct rdpprn_qfollow;

struct rdpprn_qstate {
	char **defaults;
	size_t n_defaults;
	bool planned;
	char **kept;
	long *kept_since;
	size_t n_kept;
	struct rdpprn_qfollow *follow;
	size_t n_follow;
	int watch_fd;
	bool watching;
};

int rdpprn_reconcile(struct rdpprn_qconf *c, struct rdpprn_qstate *st,
		     bool loud);
void rdpprn_qstate_free(struct rdpprn_qstate *st);

/* qcache.c */
void rdpprn_qcache_pass(struct rdpprn_qstate *st,
			const struct rdpprn_plan *plan, const char *sysfs);
void rdpprn_qcache_free(struct rdpprn_qstate *st);

/* watch.c */
void rdpprn_watch_users(struct rdpprn_qstate *st, const char *const *users,
			size_t n);
bool rdpprn_watch_drain(struct rdpprn_qstate *st);
void rdpprn_watch_close(struct rdpprn_qstate *st);

#endif /* RDPPRN_QUEUED_H */
