/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_nl.h - a client of the "rdpprn" generic netlink family on
 * libnl-genl-3 (Documentation/netlink.rst).
 *
 * One struct rdpprn_nl is one netlink socket. Requests are transactions:
 * the request goes out with NLM_F_ACK and the call returns when its
 * acknowledgment, error (with the extended-ack message) or end of dump
 * arrives. The kernel handles generic netlink requests in the sender's
 * context, so the answer is already queued when the send returns and a
 * transaction does not block in practice; a bounded wait covers the rest.
 *
 * Messages nobody asked for - the PDUs the kernel unicasts to a session
 * owner, monitor-group notifications - go to the socket's event callback,
 * also while a transaction waits (the Server Device Announce Responses
 * arrive before the acknowledgment of the announce). The callback must
 * not start a transaction on the same socket.
 */
#ifndef RDPPRN_NL_H
#define RDPPRN_NL_H

#include "rdpprn_util.h"
#include "linux/rdpprn.h"

struct nl_sock;

/**
 * struct rdpprn_nl_res - outcome of a request
 * @err: 0 or a negative errno
 * @transport: true when the socket itself failed (send or receive error,
 *	no answer): the session behind it cannot be trusted any more
 * @msg: the kernel's extended-ack message, or a description of a local
 *	failure; "" when there is none
 */
struct rdpprn_nl_res {
	int err;
	bool transport;
	char msg[256];
};

/**
 * struct rdpprn_nl_obj - one message of the family, attributes flattened
 * @cmd: generic netlink command
 * @has: bit n set when attribute n is present and well-formed
 * @u: value of an integer attribute (u32 or u64)
 * @s: a string attribute (points into the message), NULL if absent
 * @pdu: RDPPRN_A_PDU payload (points into the message), NULL if absent
 * @pdu_len: its length
 *
 * Valid only during the callback that receives it.
 */
struct rdpprn_nl_obj {
	u8 cmd;
	u64 has;
	u64 u[RDPPRN_A_MAX + 1];
	const char *s[RDPPRN_A_MAX + 1];
	const u8 *pdu;
	size_t pdu_len;
};

static inline bool rdpprn_nl_has(const struct rdpprn_nl_obj *o, int attr)
{
	return o->has & (1ULL << attr);
}

typedef void (*rdpprn_nl_cb)(void *ctx, const struct rdpprn_nl_obj *o);

/**
 * struct rdpprn_nl - one generic netlink socket of the family
 * @sk: libnl socket
 * @family: family id
 * @monitor_grp: id of the "monitor" multicast group, or -1
 * @portid: local port id
 * @timeout_ms: longest wait for the answer of a transaction
 * @event_cb: receives unsolicited messages
 * @event_ctx: its argument
 * @overruns: times the kernel could not queue a message for the socket
 * @seq: sequence number of the transaction in progress (0: none)
 * @done: the transaction got its answer
 * @reply_cb: receives the replies of the transaction (dump entries)
 * @reply_ctx: its argument
 * @res: outcome of the transaction
 */
struct rdpprn_nl {
	struct nl_sock *sk;
	int family;
	int monitor_grp;
	u32 portid;
	int timeout_ms;
	rdpprn_nl_cb event_cb;
	void *event_ctx;
	u64 overruns;
	u32 seq;
	bool done;
	rdpprn_nl_cb reply_cb;
	void *reply_ctx;
	struct rdpprn_nl_res *res;
};

/**
 * rdpprn_nl_open() - connect a socket and resolve the family
 * @nl: the socket to set up
 * @event_cb: unsolicited messages, or NULL to drop them
 * @ctx: argument of @event_cb
 * @res: outcome; -ENOENT when the family is not registered (no module)
 *
 * Resolving the family loads rdpprn.ko when it is installed (the module
 * has a generic netlink family alias).
 */
int rdpprn_nl_open(struct rdpprn_nl *nl, rdpprn_nl_cb event_cb, void *ctx,
		   struct rdpprn_nl_res *res);
void rdpprn_nl_close(struct rdpprn_nl *nl);
int rdpprn_nl_fd(const struct rdpprn_nl *nl);
/* Join the "monitor" multicast group. */
int rdpprn_nl_monitor(struct rdpprn_nl *nl, struct rdpprn_nl_res *res);

/*
 * Process what the socket holds without blocking (at most 64 datagrams a
 * call: an event loop calls again while the socket is readable).
 * Return: 0 or -errno.
 */
int rdpprn_nl_recv(struct rdpprn_nl *nl);

/* RDPPRN_CMD_SESSION_NEW: this socket becomes the session owner. */
int rdpprn_nl_session_new(struct rdpprn_nl *nl, u32 uid, u32 gid,
			  const char *client_name, const char *client_addr,
			  u32 *session_id, struct rdpprn_nl_res *res);
int rdpprn_nl_session_del(struct rdpprn_nl *nl, u32 session_id,
			  struct rdpprn_nl_res *res);
/*
 * RDPPRN_CMD_PDU: a client-to-server PDU of @session_id, cut into
 * RDPPRN_A_PDU attributes of at most RDPPRN_PDU_ATTR_MAX bytes.
 */
int rdpprn_nl_send_pdu(struct rdpprn_nl *nl, u32 session_id, const u8 *pdu,
		       size_t len, struct rdpprn_nl_res *res);
/**
 * struct rdpprn_nl_cache - one RDPPRN_CMD_PRINTER_CACHE request
 * @session_id: the session
 * @device_id: the client's DeviceId of the printer
 * @event: &enum rdpprn_cache_event
 * @config: configuration for add and update, else NULL
 * @config_len: its length (less than 64 KiB)
 * @new_name: the new printer name for rename, else NULL
 */
struct rdpprn_nl_cache {
	u32 session_id;
	u32 device_id;
	u32 event;
	const u8 *config;
	size_t config_len;
	const char *new_name;
};

/* RDPPRN_CMD_PRINTER_CACHE: the client is to persist printer cache data. */
int rdpprn_nl_printer_cache(struct rdpprn_nl *nl,
			    const struct rdpprn_nl_cache *c,
			    struct rdpprn_nl_res *res);
/*
 * A dump of @cmd (SESSION_GET, DEVICE_GET, JOB_GET), optionally of one
 * session (@session_id 0: all); every entry goes to @cb.
 */
int rdpprn_nl_dump(struct rdpprn_nl *nl, u8 cmd, u32 session_id,
		   rdpprn_nl_cb cb, void *ctx, struct rdpprn_nl_res *res);

#endif /* RDPPRN_NL_H */
