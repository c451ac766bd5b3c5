// SPDX-License-Identifier: GPL-2.0
/*
 * handshake.c - the server side of the rdpdr channel handshake, as
 * RDPDR.md section 3 gives it:
 *
 *   S->C Server Announce Request      VersionMinor 0x000C, unique ClientId
 *   C->S Client Announce Reply        keep VersionMinor and ClientId
 *   C->S Client Name Request          answered, once, with:
 *   S->C Server Core Capability       (client minor >= 5 only)
 *   S->C Server Client ID Confirm
 *   C->S Client Core Capability       keep extendedPDU, ioCode1, extraFlags1
 *   S->C Server User Logged On        if the client's extendedPDU has 0x4,
 *        else the Client ID Confirm again (3.6)
 *
 * The helper runs once the user is logged on (the RDP server starts it
 * for a logged-on session), so User Logged On goes out at once.
 *
 * A PDU that arrives out of order or a second time is dropped: in
 * particular a repeated Client Name Request never makes the daemon send
 * its capabilities again (a client could make it amplify). A malformed
 * PDU the handshake waits for ends the session, since nothing can follow.
 *
 * A device provider (SESSION_OPEN's RDPPRN_OPEN_PROVIDER) ran the
 * handshake with the client itself: its session is READY at once, and a
 * handshake PDU it forwards anyway is dropped, never answered (the
 * client must not see a second Server Announce or capabilities).
 */
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprnd.h"

static void rdpprnd_send_announce(struct rdpprnd_session *s, u16 packet_id,
				  u32 client_id)
{
	struct rdpdr_announce a = {
		.packet_id = packet_id,
		.version_major = RDPDR_VERSION_MAJOR,
		.version_minor = RDPDR_VERSION_MINOR_RDP6X,
		.client_id = client_id,
	};
	u8 pdu[RDPDR_ANNOUNCE_SIZE];

	rdpdr_build_announce(pdu, sizeof(pdu), &a);
	rdpprnd_session_send(s, pdu, sizeof(pdu));
}

void rdpprnd_handshake_start(struct rdpprnd_session *s)
{
	if (s->provider) {
		s->state = RDPPRND_READY;
		return;
	}
	s->server_client_id = s->ctx->next_client_id++;
	s->state = RDPPRND_WAIT_REPLY;
	rdpprnd_send_announce(s, PAKID_CORE_SERVER_ANNOUNCE,
			      s->server_client_id);
}

static void rdpprnd_malformed(struct rdpprnd_session *s, const char *name,
			      const struct rdpdr_err *err)
{
	char msg[256];

	rdpdr_err_format(err, msg, sizeof(msg));
	rdpprnd_session_end(s, true, "malformed %s: %s", name, msg);
}

static void rdpprnd_announce_reply_in(struct rdpprnd_session *s,
				      const u8 *pdu, size_t len)
{
	struct rdpdr_announce a;
	struct rdpdr_err err;

	if (s->state != RDPPRND_WAIT_REPLY) {
		rdpprnd_session_drop(s, "Client Announce Reply out of order");
		return;
	}
	if (rdpdr_parse_announce(pdu, len, &a, &err)) {
		rdpprnd_malformed(s, "Client Announce Reply", &err);
		return;
	}
	s->client_minor = a.version_minor;
	s->client_id = a.client_id;
	s->state = RDPPRND_WAIT_NAME;
}

static void rdpprnd_client_name_in(struct rdpprnd_session *s, const u8 *pdu,
				   size_t len)
{
	char *name = rdpprn_xmalloc(RDPDR_MAX_UTF8_BYTES);
	char *text = rdpprn_xmalloc(4 * RDPDR_MAX_UTF8_BYTES);
	struct rdpdr_client_name cn;
	struct rdpdr_caps *caps;
	struct rdpdr_err err;
	u8 buf[128];
	int n;

	if (s->state != RDPPRND_WAIT_NAME) {
		/* a second one gets nothing: no caps amplification */
		rdpprnd_session_drop(s, "Client Name Request %s",
				     s->state > RDPPRND_WAIT_NAME ?
				     "repeated" : "out of order");
		goto out;
	}
	if (rdpdr_parse_client_name(pdu, len, &cn, &err)) {
		rdpprnd_malformed(s, "Client Name Request", &err);
		goto out;
	}
	rdpdr_str_to_utf8(&cn.computer_name, name, RDPDR_MAX_UTF8_BYTES);
	rdpprn_escape(name, strlen(name), text, 4 * RDPDR_MAX_UTF8_BYTES);
	rdpprn_info("session %u: client \"%s\", rdpdr %u.%u, ClientId %u",
		    s->conn, text, RDPDR_VERSION_MAJOR, s->client_minor,
		    s->client_id);
	if (s->client_minor >= RDPDR_VERSION_MINOR_RDP51) {
		caps = rdpprn_xmalloc(sizeof(*caps));
		rdpdr_server_caps_init(caps);
		n = rdpdr_build_caps(buf, sizeof(buf), caps);
		free(caps);
		if (n > 0 && !rdpprnd_session_send(s, buf, (size_t)n))
			goto out;
		s->state = RDPPRND_WAIT_CAPS;
	} else {
		/* no capability exchange, so no User Logged On either */
		s->state = RDPPRND_READY;
	}
	rdpprnd_send_announce(s, PAKID_CORE_CLIENTID_CONFIRM, s->client_id);
out:
	free(text);
	free(name);
}

static void rdpprnd_client_caps_in(struct rdpprnd_session *s, const u8 *pdu,
				   size_t len)
{
	struct rdpdr_caps *caps = rdpprn_xmalloc(sizeof(*caps));
	const struct rdpdr_cap_set *general;
	struct rdpdr_err err;
	u8 logged_on[RDPDR_USER_LOGGEDON_SIZE];

	if (s->state != RDPPRND_WAIT_CAPS) {
		rdpprnd_session_drop(s, "Client Core Capability Response %s",
				     s->state > RDPPRND_WAIT_CAPS ?
				     "repeated" : "out of order");
		goto out;
	}
	if (rdpdr_parse_caps(pdu, len, caps, &err)) {
		rdpprnd_malformed(s, "Client Core Capability Response", &err);
		goto out;
	}
	general = rdpdr_caps_find(caps, CAP_GENERAL_TYPE);
	if (general) {
		s->client_ext_pdu = general->general.extended_pdu;
		s->client_io_code1 = general->general.io_code1;
		s->client_extra_flags1 = general->general.extra_flags1;
	} else {
		rdpprn_notice("session %u: client capabilities without a GENERAL set",
			      s->conn);
	}
	s->state = RDPPRND_READY;
	rdpprn_dbg("session %u: client extendedPDU 0x%x ioCode1 0x%x extraFlags1 0x%x",
		   s->conn, s->client_ext_pdu, s->client_io_code1,
		   s->client_extra_flags1);
	if (s->client_ext_pdu & RDPDR_USER_LOGGEDON_PDU) {
		rdpdr_build_hdr(logged_on, sizeof(logged_on), RDPDR_CTYP_CORE,
				PAKID_CORE_USER_LOGGEDON);
		rdpprnd_session_send(s, logged_on, sizeof(logged_on));
	} else {
		/* RDPDR.md 3.6: such a client learns of the logon this way */
		rdpprnd_send_announce(s, PAKID_CORE_CLIENTID_CONFIRM,
				      s->client_id);
	}
out:
	free(caps);
}

void rdpprnd_handshake_pdu(struct rdpprnd_session *s, u16 packet_id,
			   const u8 *pdu, size_t len)
{
	if (s->provider) {
		rdpprnd_session_drop(s, "%s: the RDP server runs the handshake (device provider)",
				     rdpdr_pdu_name(RDPDR_CTYP_CORE, packet_id));
		return;
	}
	switch (packet_id) {
	case PAKID_CORE_CLIENTID_CONFIRM:
		rdpprnd_announce_reply_in(s, pdu, len);
		break;
	case PAKID_CORE_CLIENT_NAME:
		rdpprnd_client_name_in(s, pdu, len);
		break;
	case PAKID_CORE_CLIENT_CAPABILITY:
		rdpprnd_client_caps_in(s, pdu, len);
		break;
	}
}
