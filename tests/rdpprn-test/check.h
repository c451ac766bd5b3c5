/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn-test: helpers shared by the check-* scenarios (check_common.c).
 */
#ifndef RDPPRN_TEST_CHECK_H
#define RDPPRN_TEST_CHECK_H

#include <pthread.h>

#include "rdpprn_test.h"

/*
 * Check of a refused command: passes when @rc is one of the @nwant
 * positive errnos in @want (any error when @nwant is 0) and, if
 * @need_extack, the kernel sent an extack message.
 */
bool rpt_expect_err(struct rpt_nl *nl, const char *name, int rc,
		    const int *want, unsigned int nwant, bool need_extack);

/**
 * struct rpt_reply - one Server Device Announce Response
 * @id: DeviceId
 * @status: ResultCode
 */
struct rpt_reply {
	u32 id;
	u32 status;
};

/* Pops the queued Server Device Announce Responses (at most @max) */
unsigned int rpt_take_replies(struct rpt_nl *nl, struct rpt_reply *r,
			      unsigned int max);
const struct rpt_reply *rpt_reply_for(const struct rpt_reply *r,
				      unsigned int n, u32 id);
/* Opens @nl and creates a session; prints a not-ok line on failure */
int rpt_setup_session(struct rpt_nl *nl, u32 uid, u32 gid, const char *cname,
		      u32 *sid);
/* "/dev/rdpprnN" of DeviceId @id in session @sid, or -ENOENT */
int rpt_find_node(struct rpt_nl *nl, u32 sid, u32 id, char *name,
		  size_t len);
/* Devices of session @sid (DEVICE_GET dump) or -errno */
int rpt_count_devices(struct rpt_nl *nl, u32 sid);
/*
 * Announces simple printers with the DeviceIds @ids; *@nr is the room in
 * @r on entry and the number of replies taken on return.
 */
int rpt_announce_simple(struct rpt_nl *nl, u32 sid, const u32 *ids,
			unsigned int n, struct rpt_reply *r, unsigned int *nr);

/*
 * Runs @fn in a child process, which may give up privileges or enter
 * namespaces for good, and counts its checks as ours; a child that dies
 * before reporting is a failure of @name.
 */
void rpt_in_child(const char *name, void (*fn)(void *arg), void *arg);

enum rpt_op { RPT_OP_OPEN, RPT_OP_WRITE, RPT_OP_FSYNC, RPT_OP_CLOSE };

/**
 * struct rpt_async - one blocking system call run in a thread
 * @op: the call
 * @path: open() path
 * @flags: open() flags
 * @fd: descriptor of write(), fsync(), close()
 * @buf: write() data
 * @len: write() length
 * @ret: return value
 * @err: errno when @ret < 0
 * @ms: how long the call took
 * @fail_nth: fault injection: arm the thread's fail-nth with this right
 *	before the call (0: do not)
 * @fail_left: fail-nth right after the call (0: the fault fired; -errno
 *	if it could not be armed)
 * @done: the call returned
 * @started: the thread was started and not joined yet
 * @th: the thread
 * @lock: protects @ret, @err, @ms, @done
 * @cond: signalled when @done is set
 */
struct rpt_async {
	enum rpt_op op;
	const char *path;
	int flags;
	int fd;
	const void *buf;
	size_t len;
	ssize_t ret;
	int err;
	u64 ms;
	unsigned int fail_nth;
	int fail_left;
	bool done;
	bool started;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

void rpt_async_start(struct rpt_async *a, enum rpt_op op);
/* true if the call has returned within @ms (0: just look) */
bool rpt_async_wait(struct rpt_async *a, int ms);
/*
 * Next Device I/O Request of major @major on @nl (announce replies are
 * skipped); prints a not-ok line for @name and returns NULL otherwise.
 */
struct rpt_pdu *rpt_expect_ioreq(struct rpt_nl *nl, const char *name,
				 u32 major, struct rdpdr_ioreq *io, int ms);

#endif /* RDPPRN_TEST_CHECK_H */
