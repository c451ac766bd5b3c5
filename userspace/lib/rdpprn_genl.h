/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_genl.h - the "rdpprn" generic netlink family on a bare libnl-genl
 * socket: what every client of the family does the same way, whatever it
 * does with the messages. rdpprn_nl.h's transactions are built on it, and
 * so is rdpprn-test's own client, which must also send what no well-behaved
 * client would.
 */
#ifndef RDPPRN_GENL_H
#define RDPPRN_GENL_H

#include "rdpprn_util.h"
#include "linux/rdpprn.h"

struct nl_msg;
struct nl_sock;
struct nlmsgerr;
struct sockaddr_nl;

/**
 * struct rdpprn_genl_opts - how rdpprn_genl_connect() sets a socket up
 * @bufsize: SO_RCVBUF and SO_SNDBUF (the FORCE variants when allowed)
 * @msgbuf: receive buffer of one datagram
 */
struct rdpprn_genl_opts {
	int bufsize;
	size_t msgbuf;
};

/**
 * struct rdpprn_genl_cbs - the callbacks of a socket, all with one argument
 * @valid: a message of any family (check nlmsg_type)
 * @ack: an acknowledgment
 * @finish: the end of a dump (NLMSG_DONE)
 * @err: an error message, with its extended acknowledgment
 * @arg: their argument
 *
 * The sequence check of libnl is off: the callbacks match the sequence
 * numbers themselves, since messages the kernel sends on its own (PDUs,
 * notifications) arrive between a request and its answer.
 */
struct rdpprn_genl_cbs {
	int (*valid)(struct nl_msg *msg, void *arg);
	int (*ack)(struct nl_msg *msg, void *arg);
	int (*finish)(struct nl_msg *msg, void *arg);
	int (*err)(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg);
	void *arg;
};

int rdpprn_genl_connect(struct nl_sock **skp, int *family, int *monitor_grp,
			const struct rdpprn_genl_opts *opts,
			const struct rdpprn_genl_cbs *cbs, const char **what);

/* libnl's error codes as a negative errno (-EIO for the unknown). */
int rdpprn_genl_errno(int nlerr);

/* A request of the family, without attributes yet; NULL without memory. */
struct nl_msg *rdpprn_genl_msg(int family, u8 cmd, int flags, size_t size);

/*
 * @pdu cut into RDPPRN_A_PDU attributes of at most @piece bytes (one empty
 * attribute for an empty PDU); -EMSGSIZE when @msg cannot hold them.
 */
int rdpprn_genl_put_pdu(struct nl_msg *msg, const u8 *pdu, size_t len,
			size_t piece);

bool rdpprn_genl_extack(const struct nlmsgerr *e, char *out, size_t outlen,
			u64 *cookie);

/**
 * enum rdpprn_genl_kind - how an attribute of the family is read
 * @RDPPRN_GENL_NONE: not by the generic code (a PDU, a blob, unknown)
 * @RDPPRN_GENL_U32: a u32
 * @RDPPRN_GENL_U64: a u64
 * @RDPPRN_GENL_STR: a NUL-terminated string
 */
enum rdpprn_genl_kind {
	RDPPRN_GENL_NONE,
	RDPPRN_GENL_U32,
	RDPPRN_GENL_U64,
	RDPPRN_GENL_STR,
};

enum rdpprn_genl_kind rdpprn_genl_attr_kind(int attr);

#endif /* RDPPRN_GENL_H */
