/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprnd - the rdpprn helper: owns the rdpdr channel of RDP sessions,
 * runs the server side of its handshake, applies the site policy to the
 * printers a client announces, and forwards PDUs between the RDP server
 * process (framed stream) and rdpprn.ko (generic netlink). As a "device
 * provider" it leaves the channel and its handshake to the RDP server and
 * serves only the printers the server hands over.
 *
 * Files, one concern each:
 *   main.c       command line, daemonizing, signals
 *   daemon.c     the epoll event loop, listener, reloads, shutdown
 *   conn.c       one connection: framed I/O, output queue
 *   peer.c       who may connect: root, or users for themselves (limits)
 *   kernel.c     the kernel operations on a session's netlink socket
 *   session.c    session life cycle and PDU routing (no I/O of its own)
 *   handshake.c  the server side of the channel handshake (RDPDR.md 3),
 *                or none for a device provider
 *   announce.c   device list announce/remove: policy, rewrite, answers
 *   policy.c     the policy decision for one printer (pure)
 *   conf.c       the configuration file
 *
 * The session logic talks to the kernel and to the RDP server only
 * through struct rdpprnd_kops and struct rdpprnd_cops, so the unit tests
 * drive it in-process with a fake kernel.
 */
#ifndef RDPPRND_H
#define RDPPRND_H

#include "rdpprn_config.h"
#include "rdpprn_frame.h"
#include "rdpprn_nl.h"
#include "policy.h"

#define RDPPRND_DEFAULT_CONFIG		"/etc/rdpprn/rdpprnd.conf"
#define RDPPRND_DEFAULT_MAX_QUEUE	(16 * 1024 * 1024)
#define RDPPRND_MIN_MAX_QUEUE		(256 * 1024)
#define RDPPRND_DEFAULT_SEND_TIMEOUT	60
#define RDPPRND_DEFAULT_MAX_USER_SESSIONS	4
#define RDPPRND_MAX_MAX_USER_SESSIONS	1024
/* Complaints a session logs in full before it only counts them */
#define RDPPRND_LOG_BURST		20

/**
 * struct rdpprnd_config - everything the configuration file sets
 * @policy: the site policy
 * @max_queue: bytes queued for one RDP server connection at most
 * @send_timeout: seconds a connection may leave queued output unread
 *	before its session ends (0: no limit)
 * @user_sessions: peers that are not root may connect, to open sessions
 *	for their own uid and gid only
 * @max_user_sessions: connections one such uid may have at once
 */
struct rdpprnd_config {
	struct rdpprn_policy policy;
	size_t max_queue;
	unsigned int send_timeout;
	bool user_sessions;
	unsigned int max_user_sessions;
};

void rdpprnd_config_init(struct rdpprnd_config *c);
void rdpprnd_config_free(struct rdpprnd_config *c);
/* Parse text into @c (initialised by the caller); -EINVAL with @err. */
int rdpprnd_config_parse(struct rdpprnd_config *c, const char *text,
			 size_t len, struct rdpprn_config_err *err);
/*
 * Load @path into @c (initialised by the caller). A missing file leaves
 * the defaults and sets *@missing.
 */
int rdpprnd_config_load(struct rdpprnd_config *c, const char *path,
			bool *missing, struct rdpprn_config_err *err);
/* One log line with the settings in force. */
void rdpprnd_config_log(const struct rdpprnd_config *c, const char *path);

/**
 * struct rdpprnd_ctx - what all sessions of a daemon share
 * @cfg: the configuration in force (replaced by a reload)
 * @next_client_id: ClientId of the next Server Announce Request
 * @next_conn: number of the next connection (log lines)
 */
struct rdpprnd_ctx {
	struct rdpprnd_config *cfg;
	u32 next_client_id;
	unsigned int next_conn;
};

/**
 * struct rdpprnd_kops - what a session asks of the kernel
 * @session_new: RDPPRN_CMD_SESSION_NEW for the owner, client name and
 *	address of a SESSION_OPEN; the caller's socket becomes the session
 *	owner
 * @session_del: RDPPRN_CMD_SESSION_DEL
 * @pdu: RDPPRN_CMD_PDU with a client-to-server PDU. The kernel's answers
 *	(Server Device Announce Responses) reach rdpprnd_session_kernel_pdu()
 *	before this returns.
 *
 * Each returns 0 or a negative errno and fills @res; @res->transport set
 * means the netlink socket failed and the session cannot go on.
 */
struct rdpprnd_kops {
	int (*session_new)(void *k, const struct rdpprn_open *o, u32 *sid,
			   struct rdpprn_nl_res *res);
	int (*session_del)(void *k, u32 sid, struct rdpprn_nl_res *res);
	int (*pdu)(void *k, u32 sid, const u8 *pdu, size_t len,
		   struct rdpprn_nl_res *res);
};

/**
 * struct rdpprnd_cops - what a session sends to the RDP server side
 * @frame: queue a frame (payload = @hlen bytes of @head, then @len of
 *	@data); -ENOBUFS when the connection's output queue is full
 */
struct rdpprnd_cops {
	int (*frame)(void *c, u8 type, const void *head, size_t hlen,
		     const void *data, size_t len);
};

enum rdpprnd_state {
	RDPPRND_WAIT_OPEN,	/* nothing received yet */
	RDPPRND_WAIT_REPLY,	/* Server Announce Request sent */
	RDPPRND_WAIT_NAME,	/* Client Announce Reply received */
	RDPPRND_WAIT_CAPS,	/* Client ID Confirm sent */
	RDPPRND_READY,		/* handshake done (or the server's own) */
	RDPPRND_ENDED,
};

/**
 * struct rdpprnd_peer - the process on the RDP server side
 * @user: it is not root: it may open sessions for its own uid and gid
 *	only (all zero: root, or the parent of rdpprnd --stdio)
 * @uid: its uid (SO_PEERCRED)
 * @gid: its gid
 */
struct rdpprnd_peer {
	bool user;
	u32 uid;
	u32 gid;
};

/* A peer may open a session for this owner */
static inline bool rdpprnd_peer_may_open(const struct rdpprnd_peer *p,
					 u32 uid, u32 gid)
{
	return !p->user || (p->uid == uid && p->gid == gid);
}

/**
 * struct rdpprnd_printer - a printer the session forwarded to the kernel
 * @id: DeviceId
 * @flags: announce flags as forwarded
 * @answered: the kernel's announce response was seen
 */
struct rdpprnd_printer {
	u32 id;
	u32 flags;
	bool answered;
};

/**
 * struct rdpprnd_stats - counters of a session (the end-of-session line)
 * @pdus_in: PDUs from the client
 * @pdus_out: PDUs to the client
 * @to_kernel: PDUs forwarded to the kernel
 * @dropped: client PDUs dropped (unexpected, malformed, out of order)
 * @kernel_errors: client PDUs the kernel refused
 * @accepted: printers accepted by the policy
 * @refused: printer entries refused by the policy or as malformed
 * @other: non-printer entries: answered STATUS_NOT_SUPPORTED, or left
 *	to the RDP server by a device provider
 */
struct rdpprnd_stats {
	u64 pdus_in;
	u64 pdus_out;
	u64 to_kernel;
	u64 dropped;
	u64 kernel_errors;
	u64 accepted;
	u64 refused;
	u64 other;
};

/**
 * struct rdpprnd_session - one rdpdr channel
 * @ctx: shared daemon state
 * @kops: kernel operations
 * @k: their argument
 * @cops: RDP server side operations
 * @c: their argument
 * @conn: connection number (log lines)
 * @peer: who is on the RDP server side (set before the first frame)
 * @provider: device provider: the RDP server runs the handshake and keeps
 *	the non-printer devices (SESSION_OPEN's RDPPRN_OPEN_PROVIDER)
 * @state: &enum rdpprnd_state
 * @sid: kernel session id, 0 before SESSION_NEW succeeded
 * @uid: owner of the device nodes
 * @gid: their group
 * @client_name: client name from SESSION_OPEN (escaped for logs)
 * @server_client_id: ClientId of the Server Announce Request
 * @client_id: ClientId of the Client Announce Reply
 * @client_minor: VersionMinor of the Client Announce Reply
 * @client_ext_pdu: extendedPDU of the client's GENERAL set
 * @client_io_code1: ioCode1 of the client's GENERAL set
 * @client_extra_flags1: extraFlags1 of the client's GENERAL set
 * @printers: printers forwarded to the kernel and not removed
 * @n_printers: entries of @printers
 * @complaints: dropped PDUs and kernel refusals so far (log rate limit)
 * @stats: counters
 * @error: the session ended on an error (not a normal close)
 * @end_reason: why it ended
 */
struct rdpprnd_session {
	struct rdpprnd_ctx *ctx;
	const struct rdpprnd_kops *kops;
	void *k;
	const struct rdpprnd_cops *cops;
	void *c;
	unsigned int conn;
	struct rdpprnd_peer peer;
	bool provider;
	enum rdpprnd_state state;
	u32 sid;
	u32 uid;
	u32 gid;
	char client_name[4 * RDPPRN_CLIENT_NAME_MAX];
	u32 server_client_id;
	u32 client_id;
	u16 client_minor;
	u32 client_ext_pdu;
	u32 client_io_code1;
	u32 client_extra_flags1;
	struct rdpprnd_printer *printers;
	unsigned int n_printers;
	u64 complaints;
	struct rdpprnd_stats stats;
	bool error;
	char end_reason[256];
};

/* session.c */
void rdpprnd_session_init(struct rdpprnd_session *s, struct rdpprnd_ctx *ctx,
			  const struct rdpprnd_kops *kops, void *k,
			  const struct rdpprnd_cops *cops, void *c);
/* Release what the session holds (after it ended). */
void rdpprnd_session_free(struct rdpprnd_session *s);
/*
 * A frame from the RDP server side. Return: 0, or -ECONNRESET once the
 * session has ended (the caller flushes the CLOSE frame and closes).
 */
int rdpprnd_session_frame(struct rdpprnd_session *s,
			  const struct rdpprn_frame *f);
/* A PDU the kernel unicast to the session owner. */
void rdpprnd_session_kernel_pdu(struct rdpprnd_session *s, const u8 *pdu,
				size_t len);
/*
 * End the session: SESSION_DEL, a CLOSE frame with @fmt as the reason,
 * one log line with the counters. @error: an error ended it.
 */
void __printf(3, 4) rdpprnd_session_end(struct rdpprnd_session *s,
					bool error, const char *fmt, ...);

static inline bool rdpprnd_session_ended(const struct rdpprnd_session *s)
{
	return s->state == RDPPRND_ENDED;
}

/* Send a PDU to the client; false (and the session ended) on overflow. */
bool rdpprnd_session_send(struct rdpprnd_session *s, const u8 *pdu,
			  size_t len);
/* A dropped client PDU: counted, logged (rate-limited). */
void __printf(2, 3) rdpprnd_session_drop(struct rdpprnd_session *s,
					 const char *fmt, ...);
/* A client PDU the kernel refused: counted, logged with @res. */
void rdpprnd_session_refused(struct rdpprnd_session *s, const char *what,
			     const struct rdpprn_nl_res *res);
/* Forward a client PDU to the kernel; false if the session ended. */
bool rdpprnd_session_forward(struct rdpprnd_session *s, const char *what,
			     const u8 *pdu, size_t len,
			     struct rdpprn_nl_res *res);
struct rdpprnd_printer *rdpprnd_session_printer(struct rdpprnd_session *s,
						u32 id);
void rdpprnd_session_untrack(struct rdpprnd_session *s, u32 id);

/* handshake.c */
/* After SESSION_OPEN: the Server Announce Request, or READY (provider) */
void rdpprnd_handshake_start(struct rdpprnd_session *s);
/* Client Announce Reply, Client Name Request, Client Core Capability */
void rdpprnd_handshake_pdu(struct rdpprnd_session *s, u16 packet_id,
			   const u8 *pdu, size_t len);

/* announce.c */
void rdpprnd_announce(struct rdpprnd_session *s, const u8 *pdu, size_t len);
void rdpprnd_remove(struct rdpprnd_session *s, const u8 *pdu, size_t len);
/* The kernel answered an announced printer. */
void rdpprnd_announce_reply(struct rdpprnd_session *s, const u8 *pdu,
			    size_t len);

#endif /* RDPPRND_H */
