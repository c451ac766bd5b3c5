// SPDX-License-Identifier: GPL-2.0
/*
 * peer.c - one FreeRDP peer per thread: TLS settings, activation, the
 * rdpdr static virtual channel, and the event loop that moves whole PDUs
 * between the channel and the relay to rdpprnd.
 *
 * Order of events on a connection:
 *   PostConnect   the client's channels are joined: open "rdpdr" now, so
 *                 that the channel manager keeps what the client sends on
 *                 it (chunks of a channel nobody opened are dropped)
 *   Activate      the client is active: connect to rdpprnd, which sends
 *                 the Server Announce right after SESSION_INFO
 *   disconnect    CLOSE to rdpprnd, close the stream
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>

/*
 * Before FreeRDP's headers: winpr/nt.h defines the same STATUS_ names as
 * rdpdr_proto.h, and a system header may redefine them quietly.
 */
#include "rdpprn_log.h"
#include "bridge.h"

#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <freerdp/settings.h>
#include <freerdp/channels/wtsvc.h>
#include <freerdp/crypto/certificate.h>
#include <freerdp/crypto/privatekey.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#define BRIDGE_RDPDR		"rdpdr"
#define BRIDGE_MAX_HANDLES	40

/**
 * struct bridge_peer - a connection's FreeRDP context
 * @ctx: FreeRDP's context; first, FreeRDP allocates ContextSize bytes
 * @vcm: the virtual channel manager of this peer
 * @rdpdr: the rdpdr channel, NULL if the client did not join one
 * @conn: connection number
 * @activated: Activate came
 * @relay: the rdpprnd side
 * @rd_ev: readable event of the stream to rdpprnd
 * @wr_ev: writable event of the same stream
 * @buf: channel read buffer
 * @cap: its size
 * @client_name: the client's ClientHostname, UTF-8
 */
struct bridge_peer {
	rdpContext ctx;
	HANDLE vcm;
	HANDLE rdpdr;
	unsigned int conn;
	bool activated;
	struct bridge_relay relay;
	HANDLE rd_ev;
	HANDLE wr_ev;
	u8 *buf;
	size_t cap;
	char client_name[RDPPRN_CLIENT_NAME_MAX];
};

/**
 * struct bridge_thread - what a peer thread starts with
 * @peer: the accepted freerdp_peer
 * @conn: its connection number
 */
struct bridge_thread {
	freerdp_peer *peer;
	unsigned int conn;
};

static pthread_mutex_t bridge_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bridge_cond = PTHREAD_COND_INITIALIZER;
static unsigned int bridge_active;
/* manual-reset: set once, at SIGTERM; every peer loop waits on it */
static HANDLE bridge_stop_ev;

int bridge_peers_init(void)
{
	bridge_stop_ev = CreateEventA(NULL, TRUE, FALSE, NULL);
	return bridge_stop_ev ? 0 : -ENOMEM;
}

void bridge_peers_stop(void)
{
	SetEvent(bridge_stop_ev);
}

unsigned int bridge_peers_active(void)
{
	unsigned int n;

	pthread_mutex_lock(&bridge_lock);
	n = bridge_active;
	pthread_mutex_unlock(&bridge_lock);
	return n;
}

bool bridge_peers_wait(unsigned int ms)
{
	struct timespec ts;
	bool done;

	rdpprn_deadline(&ts, ms);
	pthread_mutex_lock(&bridge_lock);
	while (bridge_active &&
	       !pthread_cond_timedwait(&bridge_cond, &bridge_lock, &ts))
		;
	done = !bridge_active;
	pthread_mutex_unlock(&bridge_lock);
	return done;
}

/* The relay hands a PDU of rdpprnd to the client. */
static bool bridge_deliver(void *ctx, const u8 *pdu, size_t len)
{
	struct bridge_peer *p = ctx;
	ULONG written = 0;

	if (!p->rdpdr || len > 0xffffffffu)
		return false;
	if (!WTSVirtualChannelWrite(p->rdpdr, (PCHAR)pdu, (ULONG)len,
				    &written))
		return false;
	return written == len;
}

static BOOL bridge_ctx_new(freerdp_peer *client, rdpContext *ctx)
{
	struct bridge_peer *p = (struct bridge_peer *)ctx;

	p->vcm = WTSOpenServerA((LPSTR)ctx);
	if (!p->vcm || p->vcm == INVALID_HANDLE_VALUE) {
		p->vcm = NULL;
		return FALSE;
	}
	return TRUE;
}

static void bridge_ctx_free(freerdp_peer *client, rdpContext *ctx)
{
	struct bridge_peer *p = (struct bridge_peer *)ctx;

	if (!p)
		return;
	if (p->rdpdr)
		WTSVirtualChannelClose(p->rdpdr);
	p->rdpdr = NULL;
	if (p->vcm)
		WTSCloseServer(p->vcm);
	p->vcm = NULL;
	free(p->buf);
	p->buf = NULL;
}

/* A string setting as escaped text for the logs ("" when unset). */
static void bridge_setting_text(rdpSettings *s, FreeRDP_Settings_Keys_String id,
				char *out, size_t outlen)
{
	const char *v = freerdp_settings_get_string(s, id);

	if (!v)
		v = "";
	rdpprn_escape(v, strlen(v), out, outlen);
}

/**
 * bridge_post_connect() - the connection sequence is done
 * @client: the peer
 *
 * Opens the rdpdr channel if the client joined one: from now on the
 * channel manager queues its PDUs for bridge_drain_rdpdr(). The bridge
 * does no logon: a real server would authenticate the user here (or by
 * NLA before) and pick the uid/gid of SESSION_OPEN from that user.
 */
static BOOL bridge_post_connect(freerdp_peer *client)
{
	struct bridge_peer *p = (struct bridge_peer *)client->context;
	rdpSettings *s = client->context->settings;
	const char *host = freerdp_settings_get_string(s,
						       FreeRDP_ClientHostname);
	char htext[4 * 64], utext[4 * 64];

	snprintf(p->client_name, sizeof(p->client_name), "%s", host ?: "");
	bridge_setting_text(s, FreeRDP_ClientHostname, htext, sizeof(htext));
	bridge_setting_text(s, FreeRDP_Username, utext, sizeof(utext));
	rdpprn_info("connection %u: client \"%s\" user \"%s\" from %s, %ux%u, build %u",
		    p->conn, htext, utext, client->hostname,
		    freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth),
		    freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight),
		    freerdp_settings_get_uint32(s, FreeRDP_ClientBuild));

	if (!WTSVirtualChannelManagerIsChannelJoined(p->vcm, BRIDGE_RDPDR)) {
		rdpprn_notice("connection %u: the client joined no rdpdr channel (no redirection asked for)",
			      p->conn);
		return TRUE;
	}
	p->rdpdr = WTSVirtualChannelOpen(p->vcm, WTS_CURRENT_SESSION,
					 (LPSTR)BRIDGE_RDPDR);
	if (!p->rdpdr) {
		rdpprn_err("connection %u: cannot open the rdpdr channel",
			   p->conn);
		return TRUE;
	}
	rdpprn_info("connection %u: rdpdr open", p->conn);
	return TRUE;
}

static BOOL bridge_activate(freerdp_peer *client)
{
	struct bridge_peer *p = (struct bridge_peer *)client->context;

	if (!p->activated)
		rdpprn_info("connection %u: activated", p->conn);
	p->activated = true;
	return TRUE;
}

/* TLS with the --cert/--key pair; no NLA, no standard RDP security. */
static bool bridge_settings(freerdp_peer *client)
{
	rdpSettings *s = client->context->settings;
	rdpPrivateKey *key = freerdp_key_new_from_file(bridge_opts.key);
	rdpCertificate *cert = freerdp_certificate_new_from_file(bridge_opts.cert);

	if (!key || !cert) {
		freerdp_key_free(key);
		freerdp_certificate_free(cert);
		return false;
	}
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerRsaKey,
					      key, 1)) {
		freerdp_key_free(key);
		freerdp_certificate_free(cert);
		return false;
	}
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerCertificate,
					      cert, 1)) {
		freerdp_certificate_free(cert);
		return false;
	}
	return freerdp_settings_set_bool(s, FreeRDP_RdpSecurity, FALSE) &&
	       freerdp_settings_set_bool(s, FreeRDP_TlsSecurity, TRUE) &&
	       freerdp_settings_set_bool(s, FreeRDP_NlaSecurity, FALSE) &&
	       freerdp_settings_set_uint32(s, FreeRDP_ColorDepth, 32);
}

/*
 * Hand every whole PDU the channel manager reassembled to the relay. A
 * read with no buffer tells the size of the next one.
 */
static void bridge_drain_rdpdr(struct bridge_peer *p)
{
	ULONG size, got;

	if (!p->rdpdr)
		return;
	for (;;) {
		size = 0;
		if (!WTSVirtualChannelRead(p->rdpdr, 0, NULL, 0, &size))
			return;
		if (size > RDPPRN_FRAME_MAX) {
			/* too large to relay: read it away in pieces */
			rdpprn_notice("connection %u: client PDU of %lu bytes dropped (over %u)",
				      p->conn, (unsigned long)size,
				      RDPPRN_FRAME_MAX);
			p->relay.dropped++;
			while (size) {
				got = 0;
				if (!p->cap) {
					p->cap = 65536;
					p->buf = rdpprn_xmalloc(p->cap);
				}
				if (!WTSVirtualChannelRead(p->rdpdr, 0,
							   (PCHAR)p->buf,
							   (ULONG)p->cap, &got) ||
				    !got)
					return;
				size -= got < size ? got : size;
			}
			continue;
		}
		if (p->cap < size || !p->cap) {
			p->cap = size > 65536 ? size : 65536;
			p->buf = rdpprn_xrealloc(p->buf, p->cap);
		}
		/* a buffer of at least 1 byte also takes an empty PDU away */
		got = 0;
		if (!WTSVirtualChannelRead(p->rdpdr, 0, (PCHAR)p->buf,
					   size ? size : 1, &got))
			return;
		bridge_relay_from_client(&p->relay, p->buf, got);
	}
}

static void bridge_relay_events_close(struct bridge_peer *p)
{
	if (p->rd_ev)
		CloseHandle(p->rd_ev);
	if (p->wr_ev)
		CloseHandle(p->wr_ev);
	p->rd_ev = NULL;
	p->wr_ev = NULL;
}

/*
 * Events for the stream to rdpprnd, made once the relay is open. False
 * when WinPR has none left: that connection ends, the others go on.
 */
static bool bridge_relay_events(struct bridge_peer *p)
{
	if (p->relay.fd >= 0 && !p->rd_ev) {
		p->rd_ev = CreateFileDescriptorEventA(NULL, FALSE, FALSE,
						      p->relay.fd,
						      WINPR_FD_READ);
		p->wr_ev = CreateFileDescriptorEventA(NULL, FALSE, FALSE,
						      p->relay.fd,
						      WINPR_FD_WRITE);
		if (!p->rd_ev || !p->wr_ev) {
			bridge_relay_events_close(p);
			return false;
		}
	} else if (p->relay.fd < 0 && p->rd_ev) {
		bridge_relay_events_close(p);
	}
	return true;
}

/**
 * bridge_peer_loop() - serve an initialized peer until it ends
 * @client: the peer
 * @p: its context
 *
 * Waits on the transport, the channel manager, the stop event and the
 * stream to rdpprnd; moves PDUs both ways. Channel writes are queued in
 * the channel manager and sent by its CheckFileDescriptor, which writes
 * them to the transport before returning: a PDU from rdpprnd is on its
 * way to the client before the next one is read.
 *
 * Return: why the connection ended.
 */
static const char *bridge_peer_loop(freerdp_peer *client,
				    struct bridge_peer *p)
{
	HANDLE h[BRIDGE_MAX_HANDLES];
	DWORD n, st;

	for (;;) {
		n = client->GetEventHandles(client, h, BRIDGE_MAX_HANDLES - 4);
		if (!n)
			return "FreeRDP gave no event handles";
		h[n++] = WTSVirtualChannelManagerGetEventHandle(p->vcm);
		h[n++] = bridge_stop_ev;
		if (p->rd_ev)
			h[n++] = p->rd_ev;
		if (p->wr_ev && bridge_relay_want_write(&p->relay))
			h[n++] = p->wr_ev;
		st = WaitForMultipleObjects(n, h, FALSE, INFINITE);
		if (st == WAIT_FAILED)
			return "wait failed";
		if (WaitForSingleObject(bridge_stop_ev, 0) == WAIT_OBJECT_0)
			return "the bridge is stopping";
		if (!client->CheckFileDescriptor(client))
			return "client disconnected";

		if (p->activated && p->rdpdr &&
		    p->relay.state == BRIDGE_RELAY_IDLE) {
			bridge_relay_start(&p->relay, p->client_name,
					   client->hostname);
			if (!bridge_relay_events(p))
				return "out of event handles";
		}
		bridge_drain_rdpdr(p);
		if (p->relay.state == BRIDGE_RELAY_OPEN)
			bridge_relay_event(&p->relay);
		if (!bridge_relay_events(p))
			return "out of event handles";
		/* FALSE: no drdynvc, the bridge has no dynamic channels */
		if (!WTSVirtualChannelManagerCheckFileDescriptorEx(p->vcm,
								   FALSE))
			return "channel write to the client failed";
	}
}

static void *bridge_peer_thread(void *arg)
{
	struct bridge_thread *t = arg;
	freerdp_peer *client = t->peer;
	unsigned int conn = t->conn;
	struct bridge_peer *p = NULL;
	const char *reason = "setup failed";
	bool ok = false;

	free(t);
	client->ContextSize = sizeof(struct bridge_peer);
	client->ContextNew = bridge_ctx_new;
	client->ContextFree = bridge_ctx_free;
	if (!freerdp_peer_context_new(client)) {
		rdpprn_err("connection %u: cannot create the peer context",
			   conn);
		goto out_free;
	}
	p = (struct bridge_peer *)client->context;
	p->conn = conn;
	bridge_relay_init(&p->relay, conn, bridge_deliver, p);
	if (!bridge_settings(client)) {
		rdpprn_err("connection %u: cannot load %s / %s", conn,
			   bridge_opts.cert, bridge_opts.key);
		goto out_ctx;
	}
	client->PostConnect = bridge_post_connect;
	client->Activate = bridge_activate;
	if (!client->Initialize(client)) {
		rdpprn_err("connection %u: peer initialization failed", conn);
		goto out_ctx;
	}
	rdpprn_info("connection %u: accepted from %s", conn, client->hostname);
	ok = true;
	reason = bridge_peer_loop(client, p);
	client->Disconnect(client);
out_ctx:
	if (p) {
		bridge_relay_stop(&p->relay, reason);
		bridge_relay_events_close(p);
		if (ok)
			rdpprn_info("connection %u: ended: %s (pdus in %llu out %llu)",
				    conn, reason,
				    (unsigned long long)p->relay.pdus_in,
				    (unsigned long long)p->relay.pdus_out);
	}
	freerdp_peer_context_free(client);
out_free:
	freerdp_peer_free(client);
	pthread_mutex_lock(&bridge_lock);
	bridge_active--;
	pthread_cond_broadcast(&bridge_cond);
	pthread_mutex_unlock(&bridge_lock);
	return NULL;
}

/**
 * bridge_peer_spawn() - serve an accepted peer on its own thread
 * @peer: the freerdp_peer the listener accepted
 * @conn: its connection number
 *
 * Return: false if no thread could be started (the caller frees @peer).
 */
bool bridge_peer_spawn(void *peer, unsigned int conn)
{
	struct bridge_thread *t = rdpprn_xmalloc(sizeof(*t));
	freerdp_peer *client = peer;
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	/* children of --exec must not keep other clients' sockets open */
	if (client->sockfd >= 0)
		fcntl(client->sockfd, F_SETFD, FD_CLOEXEC);
	t->peer = client;
	t->conn = conn;
	pthread_mutex_lock(&bridge_lock);
	bridge_active++;
	pthread_mutex_unlock(&bridge_lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&tid, &attr, bridge_peer_thread, t);
	pthread_attr_destroy(&attr);
	if (ret) {
		rdpprn_err("connection %u: no thread: %s", conn,
			   strerror(ret));
		free(t);
		pthread_mutex_lock(&bridge_lock);
		bridge_active--;
		pthread_mutex_unlock(&bridge_lock);
		return false;
	}
	return true;
}
