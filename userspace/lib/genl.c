// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - a libnl-genl socket of the "rdpprn" family (rdpprn_genl.h):
 * setup, family resolution, extended acknowledgments, the attribute
 * kinds of Documentation/netlink.rst and the PDU attributes of a request.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "rdpprn_genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

static const u8 rdpprn_genl_kinds[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_SESSION_ID] = RDPPRN_GENL_U32,
	[RDPPRN_A_UID] = RDPPRN_GENL_U32,
	[RDPPRN_A_GID] = RDPPRN_GENL_U32,
	[RDPPRN_A_CLIENT_NAME] = RDPPRN_GENL_STR,
	[RDPPRN_A_OWNER_PORTID] = RDPPRN_GENL_U32,
	[RDPPRN_A_DEVICE_ID] = RDPPRN_GENL_U32,
	[RDPPRN_A_MINOR] = RDPPRN_GENL_U32,
	[RDPPRN_A_DEV_NAME] = RDPPRN_GENL_STR,
	[RDPPRN_A_PRINTER_NAME] = RDPPRN_GENL_STR,
	[RDPPRN_A_DRIVER_NAME] = RDPPRN_GENL_STR,
	[RDPPRN_A_DOS_NAME] = RDPPRN_GENL_STR,
	[RDPPRN_A_FLAGS] = RDPPRN_GENL_U32,
	[RDPPRN_A_JOBS] = RDPPRN_GENL_U64,
	[RDPPRN_A_BYTES] = RDPPRN_GENL_U64,
	[RDPPRN_A_ERRORS] = RDPPRN_GENL_U64,
	[RDPPRN_A_OPEN_JOBS] = RDPPRN_GENL_U32,
	[RDPPRN_A_DEVICES] = RDPPRN_GENL_U32,
	[RDPPRN_A_FILE_ID] = RDPPRN_GENL_U32,
	[RDPPRN_A_JOB_STATE] = RDPPRN_GENL_U32,
	[RDPPRN_A_QUEUED] = RDPPRN_GENL_U64,
	[RDPPRN_A_PID] = RDPPRN_GENL_U32,
	[RDPPRN_A_SESSION_STATE] = RDPPRN_GENL_U32,
	[RDPPRN_A_ORPHANS] = RDPPRN_GENL_U32,
	[RDPPRN_A_INCOMPLETE] = RDPPRN_GENL_U64,
	[RDPPRN_A_CLIENT_ADDR] = RDPPRN_GENL_STR,
};

enum rdpprn_genl_kind rdpprn_genl_attr_kind(int attr)
{
	if (attr < 0 || attr > RDPPRN_A_MAX)
		return RDPPRN_GENL_NONE;
	return rdpprn_genl_kinds[attr];
}

int rdpprn_genl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_NOMEM:
		return -ENOBUFS;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
	case NLE_MSG_TRUNC:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

/* Sequence numbers are matched by the caller's callbacks. */
static int rdpprn_genl_seq_ok(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

static void rdpprn_genl_bufs(struct nl_sock *sk,
			     const struct rdpprn_genl_opts *opts)
{
	int fd = nl_socket_get_fd(sk), buf = opts->bufsize;

	/* the FORCE variants need CAP_NET_ADMIN; else the capped ones */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	nl_socket_set_msg_buf_size(sk, opts->msgbuf);
}

/**
 * rdpprn_genl_connect() - a non-blocking socket of the family
 * @skp: the socket, on success
 * @family: the family id
 * @monitor_grp: the id of the "monitor" multicast group, or -1
 * @opts: buffer sizes
 * @cbs: the socket's callbacks
 * @what: on failure, what failed (a static string)
 *
 * Resolving the family loads rdpprn.ko when it is installed (the module
 * has a generic netlink family alias). Extended acknowledgments are on,
 * with the request left out of them (NETLINK_CAP_ACK).
 *
 * Return: 0, -ENOENT when the family is not registered, or another
 * negative errno.
 */
int rdpprn_genl_connect(struct nl_sock **skp, int *family, int *monitor_grp,
			const struct rdpprn_genl_opts *opts,
			const struct rdpprn_genl_cbs *cbs, const char **what)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, fd, ret;

	*monitor_grp = -1;
	if (!sk) {
		*what = "nl_socket_alloc failed";
		return -ENOMEM;
	}
	ret = genl_connect(sk);
	if (ret < 0) {
		*what = "generic netlink socket";
		ret = rdpprn_genl_errno(ret);
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, RDPPRN_GENL_NAME);
	if (*family < 0) {
		*what = "no generic netlink family \"rdpprn\" (is rdpprn.ko loaded?)";
		ret = -ENOENT;
		goto fail;
	}
	*monitor_grp = genl_ctrl_resolve_grp(sk, RDPPRN_GENL_NAME,
					     RDPPRN_MCGRP_MONITOR);
	fd = nl_socket_get_fd(sk);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		*what = "NETLINK_EXT_ACK/NETLINK_CAP_ACK";
		ret = -errno;
		goto fail;
	}
	rdpprn_genl_bufs(sk, opts);
	nl_socket_disable_seq_check(sk);
	nl_socket_disable_msg_peek(sk);
	nl_socket_modify_cb(sk, NL_CB_SEQ_CHECK, NL_CB_CUSTOM,
			    rdpprn_genl_seq_ok, NULL);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cbs->valid,
			    cbs->arg);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, cbs->ack, cbs->arg);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, cbs->finish,
			    cbs->arg);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, cbs->err, cbs->arg);
	ret = nl_socket_set_nonblocking(sk);
	if (ret < 0) {
		*what = "O_NONBLOCK";
		ret = rdpprn_genl_errno(ret);
		goto fail;
	}
	*skp = sk;
	return 0;
fail:
	nl_socket_free(sk);
	*monitor_grp = -1;
	return ret;
}

struct nl_msg *rdpprn_genl_msg(int family, u8 cmd, int flags, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 RDPPRN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int rdpprn_genl_put_pdu(struct nl_msg *msg, const u8 *pdu, size_t len,
			size_t piece)
{
	size_t off = 0;

	do {
		size_t n = len - off < piece ? len - off : piece;

		if (nla_put(msg, RDPPRN_A_PDU, (int)n, pdu + off))
			return -EMSGSIZE;
		off += n;
	} while (off < len);
	return 0;
}

/**
 * rdpprn_genl_extack() - the message of an extended acknowledgment
 * @e: the error message's payload
 * @out: NLMSGERR_ATTR_MSG, "" when there is none
 * @outlen: size of @out (at least 1)
 * @cookie: NLMSGERR_ATTR_COOKIE when it is a u64 (rdpprn.ko puts the
 *	offset of a refused field there)
 *
 * Return: true when @cookie was set.
 */
bool rdpprn_genl_extack(const struct nlmsgerr *e, char *out, size_t outlen,
			u64 *cookie)
{
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((const u8 *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e), total;
	struct nlattr *c;

	out[0] = '\0';
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	/* without NETLINK_CAP_ACK the request is echoed before the TLVs */
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	total = hdr->nlmsg_len - NLMSG_HDRLEN;
	if (off >= total ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((const u8 *)e + off),
		      (int)(total - off), NULL) < 0)
		return false;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(out, tb[NLMSGERR_ATTR_MSG], outlen);
	c = tb[NLMSGERR_ATTR_COOKIE];
	if (!c || nla_len(c) != 8)
		return false;
	*cookie = nla_get_u64(c);
	return true;
}
