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
 *   qpolicy.c    site policy: the rules' keys, which rule applies to a
 *                printer, a pure function (unit-tested)
 *   qtarget.c    what the rules target, read: groups, client address
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
 * @keep_jobs: seconds a queue whose printer is gone is kept for its jobs
 * @op_policy: the cupsd.conf <Policy> its queues get (printer-op-policy)
 * @rules: the site policy, in file order (first match wins)
 * @n_rules: how many
 */
/* keep_jobs: ten minutes by default, a day at most */
#define RDPPRN_KEEP_JOBS_DEFAULT	600
#define RDPPRN_KEEP_JOBS_MAX		86400
/* the policy of cupsd-policy.conf, used when cupsd.conf has it */
#define RDPPRN_Q_POLICY_DEFAULT		"rdpprn"

/*
 * Site policy (Documentation/rdpprn-queued.rst, "Site policy"): "rule =
 * NAME" starts a rule; the keys after it belong to it.
 */
#define RDPPRN_QRULES_MAX	256
#define RDPPRN_QRULE_CONDS_MAX	64

/* what a rule targets: the match_* keys */
enum rdpprn_qkey {
	RDPPRN_QK_USER,
	RDPPRN_QK_GROUP,
	RDPPRN_QK_CLIENT,
	RDPPRN_QK_ADDRESS,
	RDPPRN_QK_PRINTER,
	RDPPRN_QK_DRIVER,
	RDPPRN_QK_COUNT,
};

/* a rule's action, GPP's Create, Update, Replace, Delete */
enum rdpprn_qpaction {
	RDPPRN_QP_CREATE,
	RDPPRN_QP_UPDATE,
	RDPPRN_QP_REPLACE,
	RDPPRN_QP_DELETE,
};

/* a rule's default_printer: unset (the global one), no, yes, force */
enum rdpprn_qpdefault {
	RDPPRN_QP_DEF_GLOBAL,
	RDPPRN_QP_DEF_NO,
	RDPPRN_QP_DEF_YES,
	RDPPRN_QP_DEF_FORCE,
};

/**
 * struct rdpprn_qcond - one match_* line of a rule
 * @key: which
 * @neg: "!": the condition is that it does not match
 * @value: the pattern (the text of a match_address)
 * @family: for match_address, AF_INET or AF_INET6
 * @prefix: for match_address, the prefix length
 * @addr: for match_address, the network, 4 or 16 bytes
 */
struct rdpprn_qcond {
	enum rdpprn_qkey key;
	bool neg;
	char *value;
	int family;
	unsigned int prefix;
	unsigned char addr[16];
};

/**
 * struct rdpprn_qrule - one "rule = NAME" and its keys
 * @name: the rule's name, for the log
 * @conds: its conditions, all of which must hold
 * @n_conds: how many
 * @action: what it does to the queue of a printer it applies to
 * @queue_name: the name template, NULL for the global one
 * @drivers: its driver lines, tried before the global ones
 * @n_drivers: how many
 * @has_universal: @universal replaces the global one
 * @universal: as &rdpprn_qconf.universal
 * @default_printer: the default-printer rule
 */
struct rdpprn_qrule {
	char *name;
	struct rdpprn_qcond *conds;
	size_t n_conds;
	enum rdpprn_qpaction action;
	char *queue_name;
	struct rdpprn_qdriver *drivers;
	size_t n_drivers;
	bool has_universal;
	struct rdpprn_qdriver universal;
	enum rdpprn_qpdefault default_printer;
};

struct rdpprn_qconf {
	char *queue_name;
	struct rdpprn_qdriver *drivers;
	size_t n_drivers;
	struct rdpprn_qdriver universal;
	bool default_printer;
	unsigned int keep_jobs;
	char *op_policy;
	struct rdpprn_qrule *rules;
	size_t n_rules;
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
	RDPPRN_Q_REPLACE,	/* deleted and made anew (action = replace) */
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
 * @rule: the site policy's rule that applies, NULL for none
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
	const struct rdpprn_qrule *rule;
};

enum rdpprn_qskip {
	RDPPRN_Q_SKIP_NONE,
	RDPPRN_Q_SKIP_USER,	/* the owner has no passwd entry */
	RDPPRN_Q_SKIP_DRIVER,	/* unmapped, and universal = none */
	RDPPRN_Q_SKIP_URI,	/* the names are too long for a URI */
	RDPPRN_Q_SKIP_NAME,	/* no free name */
	RDPPRN_Q_SKIP_SAME,	/* same URI as an older printer's queue */
	RDPPRN_Q_SKIP_POLICY,	/* a rule's action is delete */
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

/**
 * struct rdpprn_qseen - a queue a pass wanted, and its printer then
 * @name: the queue
 * @session: the printer's kernel session
 * @minor: the printer's device minor
 */
struct rdpprn_qseen {
	char *name;
	unsigned int session;
	unsigned int minor;
};

/**
 * struct rdpprn_qpass - the site policy's part of one plan
 * @rule: per printer (the caller's order), the rule that applies
 *	(rdpprn_qrule_match()), NULL for none
 * @fresh: the first pass with this configuration (start, SIGHUP)
 * @seen: the queues the previous pass wanted
 * @n_seen: how many
 */
struct rdpprn_qpass {
	const struct rdpprn_qrule *const *rule;
	bool fresh;
	const struct rdpprn_qseen *seen;
	size_t n_seen;
};

int rdpprn_plan_policy(const struct rdpprn_qconf *c,
		       const struct rdpprn_printer *printers,
		       size_t n_printers, const char *const *users,
		       const struct rdpprn_queue *queues, size_t n_queues,
		       const char *const *was_default, size_t n_was_default,
		       const struct rdpprn_qpass *pass,
		       struct rdpprn_plan *plan);

/* qconf.c, for the rules' own driver and universal lines */
int rdpprn_qdriver_add(struct rdpprn_qdriver **drivers, size_t *n,
		       const char *value, char *msg, size_t msglen);
int rdpprn_quniversal_set(struct rdpprn_qdriver *u, const char *value,
			  char *msg, size_t msglen);
void rdpprn_qdriver_clear(struct rdpprn_qdriver *d);

/* qpolicy.c */
/**
 * struct rdpprn_qwho - what a rule may target, for one printer
 * @user: the session's user
 * @groups: the names of the user's groups, primary and supplementary
 * @n_groups: how many
 * @client: the client's computer name
 * @address: the client's address, an IPv4 or IPv6 literal; NULL or ""
 *	when unknown
 * @printer: the printer's name
 * @driver: its DriverName
 */
struct rdpprn_qwho {
	const char *user;
	const char *const *groups;
	size_t n_groups;
	const char *client;
	const char *address;
	const char *printer;
	const char *driver;
};

int rdpprn_qrule_start(struct rdpprn_qconf *c, const char *name, char *msg,
		       size_t msglen);
int rdpprn_qrule_key(struct rdpprn_qrule *r, const char *key,
		     const char *value, char *msg, size_t msglen);
bool rdpprn_qrule_is_key(const char *key);
void rdpprn_qrules_free(struct rdpprn_qconf *c);
int rdpprn_qcidr_parse(const char *s, struct rdpprn_qcond *cond);
bool rdpprn_qcidr_match(const struct rdpprn_qcond *cond, const char *addr);
bool rdpprn_qrule_applies(const struct rdpprn_qrule *r,
			  const struct rdpprn_qwho *who);
const struct rdpprn_qrule *rdpprn_qrule_match(const struct rdpprn_qconf *c,
					      const struct rdpprn_qwho *who);
const struct rdpprn_qdriver *rdpprn_qrule_driver(const struct rdpprn_qconf *c,
						 const struct rdpprn_qrule *r,
						 const char *driver_name);
const char *rdpprn_qpaction_name(enum rdpprn_qpaction a);

/* ipp.c */
struct _http_s;
struct _http_s *rdpprn_ipp_connect(void);
void rdpprn_ipp_close(struct _http_s *http);
int rdpprn_ipp_list(struct _http_s *http, struct rdpprn_queue **list,
		    size_t *count);
int rdpprn_ipp_put(struct _http_s *http, const struct rdpprn_want *w,
		   bool create);
int rdpprn_ipp_delete(struct _http_s *http, const char *name);
int rdpprn_ipp_policy(struct _http_s *http, const char *name,
		      const char *policy);
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
 * @forgot: printers the policy deletes whose clients were told so
 *	(qcache.c)
 * @n_forgot: how many
 * @watch_fd: inotify on the users' ~/.cups (watch.c), when @watching
 * @watching: @watch_fd is open
 * @seen: the queues the last pass wanted, with their printers (site
 *	policy: a queue whose printer is new is updated or replaced)
 * @n_seen: how many
 * @reloaded: the configuration is new since the last plan
 * @policy_state: whether cupsd took op_policy the last time: 1 yes,
 *	-ENOENT not in cupsd.conf, 0 not tried since the configuration
 *	was read (a change is logged)
 */
struct rdpprn_qfollow;

/**
 * struct rdpprn_qforgot - a printer the policy deletes, done this session
 * @session: kernel session id
 * @device_id: the client's DeviceId
 */
struct rdpprn_qforgot {
	unsigned int session;
	uint32_t device_id;
};

struct rdpprn_qstate {
	char **defaults;
	size_t n_defaults;
	bool planned;
	char **kept;
	long *kept_since;
	size_t n_kept;
	struct rdpprn_qfollow *follow;
	size_t n_follow;
	struct rdpprn_qforgot *forgot;
	size_t n_forgot;
	int watch_fd;
	bool watching;
	struct rdpprn_qseen *seen;
	size_t n_seen;
	bool reloaded;
	int policy_state;
};

int rdpprn_reconcile(struct rdpprn_qconf *c, struct rdpprn_qstate *st,
		     bool loud);
void rdpprn_qstate_free(struct rdpprn_qstate *st);

/* qtarget.c */
const struct rdpprn_qrule **rdpprn_qtarget(const struct rdpprn_qconf *c,
					   const struct rdpprn_printer *list,
					   size_t n, const char *const *users,
					   const char *sysfs);

/* qcache.c */
void rdpprn_qcache_pass(struct rdpprn_qstate *st,
			const struct rdpprn_plan *plan, const char *sysfs);
void rdpprn_qcache_forget(struct rdpprn_qstate *st,
			  const struct rdpprn_plan *plan,
			  const struct rdpprn_printer *list, size_t n,
			  const char *sysfs);
void rdpprn_qcache_free(struct rdpprn_qstate *st);

/* watch.c */
void rdpprn_watch_users(struct rdpprn_qstate *st, const char *const *users,
			size_t n);
bool rdpprn_watch_drain(struct rdpprn_qstate *st);
void rdpprn_watch_close(struct rdpprn_qstate *st);

#endif /* RDPPRN_QUEUED_H */
