/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn-test - integration test client for rdpprn.ko.
 *
 * One program plays both ends the kernel module talks to: the userspace
 * helper (generic netlink, libnl-genl-3) and the RDP client behind it
 * (RDPDR PDUs built and parsed with the rdpdr wire library). It also holds
 * the small job-side tools the guest suites need (write-file, poll-check,
 * as-user, gen).
 *
 * Files, one concern each:
 *   main.c         command line dispatch and --help
 *   util.c         NTSTATUS errnos, files, module parameters, TAP
 *
 * SHA-256, errno and NTSTATUS names, number parsing and the clock come
 * from librdpprn (userspace/lib), shared with rdpprnd and rdpprn-sim.
 *   nl.c           netlink transport: sockets, transactions, extack, dumps
 *   pdu.c          building client PDUs (printer specs, lists, responses)
 *   serve.c        the client simulator behind "serve" (fault injection)
 *   tools.c        write-file, poll-check, as-user, gen
 *   attack.c       signals during close, files released without one,
 *                  orphan storms, stale nodes, an unprivileged attacker
 *   check_common.c helpers of the checks (check.h)
 *   check_pdu.c    check-malformed, check-announce
 *   check_io.c     check-io, check-session
 *   check_admin.c  check-perm, check-dump
 *   check_faults.c check-faults (fail-nth fault injection)
 *   hostile.c      hostile (a hostile client's PDU storm)
 */
#ifndef RDPPRN_TEST_H
#define RDPPRN_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "rdpdr/rdpdr.h"
#include "linux/rdpprn.h"
#include "rdpprn_sha256.h"
#include "rdpprn_util.h"

struct nl_msg;
struct nl_sock;

/* The kernel's BIT(), for userspace (tools/include has the same) */
#ifndef BIT
#define BIT(n)			(1U << (n))
#endif

/* Defaults of the module parameters, used when sysfs cannot be read */
#define RPT_DEF_MAX_ANNOUNCE	256
#define RPT_DEF_MAX_PRINTERS	32
#define RPT_DEF_CHUNK_SIZE	61440
#define RPT_DEF_MAX_PDU		(1024 * 1024)
#define RPT_DEF_WINDOW		1

/* How long a check waits for the kernel before calling it a hang */
#define RPT_WAIT_MS		10000

/* ---- util.c ------------------------------------------------------------ */

extern const char *rpt_prog;

void __noreturn __printf(1, 2) rpt_die(const char *fmt, ...);
void __printf(1, 2) rpt_warn(const char *fmt, ...);

/* The errno rdpprn.ko maps a create/write/close status to (contract) */
int rpt_ntstatus_errno(u32 status);

/* Files a test reads whole (rdpprn_read_file()): none is near this */
#define RPT_FILE_MAX		((size_t)1 << 31)
/* Text of a sysfs file without the trailing newline; -errno on failure */
int rpt_read_text(const char *path, char *buf, size_t len);
/* /sys/module/rdpprn/parameters/@name as a number, @def if unreadable */
long long rpt_param(const char *name, long long def);
int rpt_set_param(const char *name, const char *value);
/* Only @uid/@gid from now on: no supplementary groups, no capabilities */
int rpt_drop_privileges(u32 uid, u32 gid);

void rpt_sleep_ms(unsigned int ms);

/*
 * Fault injection (CONFIG_FAULT_INJECTION): /proc/thread-self/fail-nth
 * of the calling thread. Writing N makes the N-th fault-injection point
 * this thread passes fail; reading gives how many are left (0 once it
 * fired). Open it before arming: open() has fault points of its own.
 */
int rpt_fail_nth_open(void);
int rpt_fail_nth_set(int fd, unsigned int n);
/* What is left, or -errno */
int rpt_fail_nth_get(int fd);

/* TAP-like reporting: "ok - name" / "not ok - name: why" */
void rpt_ok(const char *name);
void __printf(2, 3) rpt_not_ok(const char *name, const char *fmt, ...);
/* ok if @cond, else not ok with the message; returns @cond */
bool __printf(3, 4) rpt_check(bool cond, const char *name,
			      const char *fmt, ...);
/* Counts of another process (a child that dropped privileges) */
void rpt_add_counts(unsigned int passed, unsigned int failed);
void rpt_get_counts(unsigned int *passed, unsigned int *failed);
/* Prints "N passed, N failed"; returns the exit status (1 on failure) */
int rpt_summary(void);

/* ---- nl.c -------------------------------------------------------------- */

/**
 * struct rpt_pdu - a PDU the kernel unicast to the session owner
 * @next: queue link
 * @session_id: RDPPRN_A_SESSION_ID of the message (0 if absent)
 * @len: bytes in @data
 * @data: the RDPDR PDU
 */
struct rpt_pdu {
	struct rpt_pdu *next;
	u32 session_id;
	size_t len;
	u8 data[];
};

#define RPT_STR_ATTRS	8

/**
 * struct rpt_obj - one netlink message of the rdpprn family, flattened
 * @next: list link
 * @cmd: genl command
 * @has: attribute present
 * @bad: attribute present with an unexpected length
 * @u: value of an integer attribute
 * @s: value of a string attribute (NUL-terminated copy), else NULL
 */
struct rpt_obj {
	struct rpt_obj *next;
	u8 cmd;
	bool has[RDPPRN_A_MAX + 1];
	bool bad[RDPPRN_A_MAX + 1];
	u64 u[RDPPRN_A_MAX + 1];
	char *s[RDPPRN_A_MAX + 1];
};

/**
 * struct rpt_nl - one generic netlink socket of the "rdpprn" family
 * @sk: libnl socket
 * @family: resolved family id
 * @monitor_grp: id of the "monitor" multicast group, or -1
 * @portid: local port id
 * @timeout_ms: how long a transaction waits for its answer
 * @seq: sequence number of the transaction in progress
 * @done: the transaction got its ACK, error or NLMSG_DONE
 * @err: 0 or the negative errno of the last transaction
 * @extack: NLMSGERR_ATTR_MSG of the last error ("" if none)
 * @collect: collect the replies of the transaction in @replies
 * @replies: replies (SESSION_NEW reply, dump entries), in order
 * @rtail: last element of @replies
 * @head: queue of kernel-to-owner PDUs not consumed yet
 * @tail: last element of the queue
 * @queued: PDUs in the queue
 * @events: monitor-group notifications received
 * @overruns: ENOBUFS seen on the socket (kernel messages lost)
 * @hooks: fault injection and no-wait PDUs (NULL: neither)
 */
/*
 * The module's extack messages are string literals of at most 70
 * characters, ours shorter; 128 bytes keeps two sockets within a check's
 * 1 KiB stack frame (-Wframe-larger-than).
 */
#define RPT_EXTACK_LEN	128

/*
 * The checks are long sequences of steps, each with its own buffers and
 * sockets; inlined into one function they would exceed the 1 KiB frame
 * limit the tools are built with, so the bigger steps keep their frames.
 */
#ifndef noinline_for_stack
#define noinline_for_stack	__attribute__((noinline))
#endif

struct rpt_nl {
	struct nl_sock *sk;
	int family;
	int monitor_grp;
	u32 portid;
	int timeout_ms;
	u32 seq;
	bool done;
	int err;
	char extack[RPT_EXTACK_LEN];
	bool collect;
	struct rpt_obj *replies;
	struct rpt_obj *rtail;
	struct rpt_pdu *head;
	struct rpt_pdu *tail;
	unsigned int queued;
	struct rpt_obj *events;
	unsigned int overruns;
	struct rpt_nl_hooks *hooks;
};

/**
 * struct rpt_nl_hooks - what a few callers hang on their socket
 * @fail_fd: fault injection: fail-nth of the thread that sends
 * @fail_nth: arm @fail_fd with this for the next request only (0: do not)
 * @fail_left: what fail-nth held right after that request (0: it fired)
 * @ack_lost: the armed request's fault cost its answer (ENOBUFS)
 * @nowait_seq: sequence number of the last rpt_send_pdu_nowait()
 * @async_err: called with the sequence number, errno and extack message
 *	of each refusal of a request sent with rpt_send_pdu_nowait()
 * @priv: the owner's pointer, for @async_err
 *
 * Kept apart so that struct rpt_nl stays small: checks hold two sockets
 * in one 1 KiB stack frame.
 */
struct rpt_nl_hooks {
	int fail_fd;
	unsigned int fail_nth;
	int fail_left;
	bool ack_lost;
	u32 nowait_seq;
	void (*async_err)(struct rpt_nl *nl, u32 seq, int err,
			  const char *extack);
	void *priv;
};

/* Connects, resolves the family, enables extack; 0 or -errno */
int rpt_nl_open(struct rpt_nl *nl);
void rpt_nl_close(struct rpt_nl *nl);
int rpt_nl_fd(struct rpt_nl *nl);
int rpt_nl_join_monitor(struct rpt_nl *nl);

/*
 * A transaction sends one request and waits for its ACK, error or end of
 * dump. PDUs the kernel unicasts meanwhile are queued. Returns 0 or the
 * negative errno; the extack message is in @nl->extack.
 */
int rpt_session_new(struct rpt_nl *nl, u32 uid, u32 gid,
		    const char *client_name, u32 *session_id);
/* with RDPPRN_A_CLIENT_ADDR @client_addr, when not NULL */
int rpt_session_new_at(struct rpt_nl *nl, u32 uid, u32 gid,
		       const char *client_name, const char *client_addr,
		       u32 *session_id);
int rpt_session_del(struct rpt_nl *nl, u32 session_id);
/* RDPPRN_CMD_PDU with @len bytes cut into attributes of at most @piece */
int rpt_send_pdu_split(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
		       size_t len, size_t piece);
int rpt_send_pdu(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
		 size_t len);
/*
 * RDPPRN_CMD_PDU without asking for an ACK and without waiting: the
 * kernel handles it within the sendmsg(), a refusal comes back later
 * (rpt_nl_drain() hands it to @nl->hooks->async_err). Needs @nl->hooks.
 * Returns sendmsg()'s 0 or -errno.
 */
int rpt_send_pdu_nowait(struct rpt_nl *nl, u32 session_id, const u8 *pdu,
			size_t len);
/*
 * A raw request: @cmd with the attributes built by the caller-supplied
 * function (may be NULL); @dump sets NLM_F_DUMP; replies are collected
 * into *@out when @out is not NULL.
 */
int rpt_nl_request(struct rpt_nl *nl, u8 cmd, bool dump,
		   int (*fill)(struct nl_msg *msg, void *arg), void *arg,
		   struct rpt_obj **out);
/* Dumps; @session_id 0 means all. Free the list with rpt_objs_free(). */
int rpt_get_sessions(struct rpt_nl *nl, u32 session_id, bool dump,
		     struct rpt_obj **out);
int rpt_get_devices(struct rpt_nl *nl, u32 session_id, struct rpt_obj **out);
int rpt_get_jobs(struct rpt_nl *nl, struct rpt_obj **out);
void rpt_objs_free(struct rpt_obj *o);
unsigned int rpt_objs_count(const struct rpt_obj *o);

/* Reads what is on the socket without blocking; 0 or -errno */
int rpt_nl_drain(struct rpt_nl *nl);
/*
 * Next queued PDU, waiting up to @timeout_ms (-1: forever) for one.
 * Returns the PDU (free() it) or NULL on timeout/error (*@err set).
 */
struct rpt_pdu *rpt_nl_next_pdu(struct rpt_nl *nl, int timeout_ms, int *err);
void rpt_nl_flush_pdus(struct rpt_nl *nl);

/* ---- pdu.c ------------------------------------------------------------- */

/**
 * struct rpt_printer - a printer to announce (--printer SPEC)
 * @id: DeviceId
 * @dos: PreferredDosName (up to 8 bytes, NUL-padded)
 * @flags: announce Flags
 * @ascii: DriverName in 8-bit characters (adds flag 0x1)
 * @name: PrinterName (UTF-8)
 * @driver: DriverName (UTF-8)
 * @pnp: PnPName (UTF-8) or NULL
 * @config: CachedPrinterConfigData or NULL
 * @config_len: its length
 */
struct rpt_printer {
	u32 id;
	char dos[RDPDR_DOS_NAME_LEN + 1];
	u32 flags;
	bool ascii;
	char *name;
	char *driver;
	char *pnp;
	u8 *config;
	u32 config_len;
};

/**
 * struct rpt_entry - one raw DEVICE_ANNOUNCE entry
 * @type: DeviceType
 * @id: DeviceId
 * @dos: PreferredDosName, 8 bytes as on the wire
 * @data: DeviceData (owned by the caller)
 * @len: DeviceDataLength
 */
struct rpt_entry {
	u32 type;
	u32 id;
	char dos[RDPDR_DOS_NAME_LEN + 1];
	u8 *data;
	u32 len;
};

/* Parse 'name=..,driver=..,flags=..,id=..,dos=..,ascii,config=FILE,pnp=..' */
int rpt_printer_parse(const char *spec, u32 default_id, struct rpt_printer *p);
void rpt_printer_free(struct rpt_printer *p);
/* DR_PRN_DEVICE_ANNOUNCE DeviceData of @p (malloc'ed); NULL on error */
u8 *rpt_printer_data(const struct rpt_printer *p, u32 *len);
/* Entry of a printer; data malloc'ed (free with rpt_entry_free_data) */
int rpt_printer_entry(const struct rpt_printer *p, struct rpt_entry *e);
/* A printer entry with generated names "<prefix><id>" */
int rpt_simple_printer(u32 id, const char *name, struct rpt_entry *e);
void rpt_entries_free(struct rpt_entry *e, u32 n);
/* Client Device List Announce of @n entries (malloc'ed) */
u8 *rpt_devlist(const struct rpt_entry *e, u32 n, size_t *len);
u8 *rpt_remove(const u32 *ids, u32 n, size_t *len);
/* Device I/O Responses into @buf (at least 32 bytes); return the length */
size_t rpt_create_rsp(u8 *buf, u32 dev, u32 cid, u32 status, u32 file_id);
size_t rpt_write_rsp(u8 *buf, u32 dev, u32 cid, u32 status, u32 length);
size_t rpt_close_rsp(u8 *buf, u32 dev, u32 cid, u32 status);
size_t rpt_completion(u8 *buf, u32 dev, u32 cid, u32 status);

/* ---- tools.c ------------------------------------------------------------- */

/* write() all of @len, waiting for POLLOUT on EAGAIN; 0 or -errno */
int rpt_write_all(int fd, const u8 *p, size_t len, unsigned int *eagain);

/* ---- subcommands --------------------------------------------------------- */

int rpt_cmd_serve(int argc, char **argv);
int rpt_cmd_write_file(int argc, char **argv);
int rpt_cmd_poll_check(int argc, char **argv);
int rpt_cmd_as_user(int argc, char **argv);
int rpt_cmd_gen(int argc, char **argv);
int rpt_cmd_check_malformed(int argc, char **argv);
int rpt_cmd_check_announce(int argc, char **argv);
int rpt_cmd_check_io(int argc, char **argv);
int rpt_cmd_check_session(int argc, char **argv);
int rpt_cmd_check_perm(int argc, char **argv);
int rpt_cmd_check_dump(int argc, char **argv);
int rpt_cmd_check_faults(int argc, char **argv);
int rpt_cmd_hostile(int argc, char **argv);
int rpt_cmd_signal_writer(int argc, char **argv);
int rpt_cmd_fd_in_flight(int argc, char **argv);
int rpt_cmd_dup_close(int argc, char **argv);
int rpt_cmd_open_storm(int argc, char **argv);
int rpt_cmd_session_info(int argc, char **argv);
int rpt_cmd_path_reopen(int argc, char **argv);
int rpt_cmd_check_monitor_perm(int argc, char **argv);
int rpt_cmd_attack(int argc, char **argv);

#endif /* RDPPRN_TEST_H */
