// SPDX-License-Identifier: GPL-2.0
/*
 * peer.c - who may connect to rdpprnd --listen.
 *
 * The SESSION_OPEN frame names the owner of the session's device nodes,
 * so whoever connects decides who gets a printer device. Root - the RDP
 * server - may name anyone. Other users only when the configuration says
 * user_sessions = yes (an RDP server that runs as the logged-on user,
 * such as xrdp's chansrv), and then only themselves: the session checks
 * SESSION_OPEN against the credentials kept here (rdpprnd_peer_may_open()).
 * Connections of one such uid are counted, open or not yet opened, so a
 * user cannot pile up sessions; the kernel limits the printers per uid.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_sock.h"
#include "daemon.h"

mode_t rdpprnd_peer_socket_mode(const struct rdpprnd_config *cfg)
{
	/* every user's RDP server must reach it; rdpprnd checks who it is */
	return cfg->user_sessions ? 0666 : 0600;
}

/* Connections of @uid's user peers that are still open */
static unsigned int rdpprnd_peer_count(struct rdpprnd_daemon *d, u32 uid)
{
	struct rdpprnd_conn *c;
	unsigned int n = 0;

	for (c = d->conns; c; c = c->next)
		if (!c->closed && c->s.peer.user && c->s.peer.uid == uid)
			n++;
	return n;
}

/* Best effort: the peer learns why before the connection closes. */
static void rdpprnd_peer_close_frame(int fd, const char *reason)
{
	u8 hdr[RDPPRN_FRAME_HDR_SIZE];
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)reason, .iov_len = strlen(reason) },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	rdpprn_frame_hdr(hdr, RDPPRN_FRAME_CLOSE, (u32)iov[1].iov_len);
	if (sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		rdpprn_dbg("CLOSE to a refused peer: %s", strerror(errno));
}

bool rdpprnd_peer_admit(struct rdpprnd_daemon *d, int fd,
			struct rdpprnd_peer *p)
{
	unsigned int max = d->cfg->max_user_sessions, n;
	char reason[128];
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	pid_t pid = 0;

	memset(p, 0, sizeof(*p));
	if (rdpprn_peer_cred(fd, &pid, &uid, &gid) ||
	    (uid && !d->cfg->user_sessions)) {
		rdpprn_warn("refused a connection from pid %d uid %d: only root may hand over sessions",
			    (int)pid, (int)uid);
		return false;
	}
	if (!uid) {
		rdpprn_dbg("connection from pid %d", (int)pid);
		return true;
	}
	n = rdpprnd_peer_count(d, (u32)uid);
	if (n >= max) {
		snprintf(reason, sizeof(reason),
			 "uid %u has %u connections already (max_user_sessions)",
			 (unsigned int)uid, n);
		rdpprn_warn("refused a connection from pid %d uid %d: %s",
			    (int)pid, (int)uid, reason);
		rdpprnd_peer_close_frame(fd, reason);
		return false;
	}
	p->user = true;
	p->uid = (u32)uid;
	p->gid = (u32)gid;
	rdpprn_info("connection from pid %d uid %u gid %u: sessions for itself only",
		    (int)pid, p->uid, p->gid);
	return true;
}
