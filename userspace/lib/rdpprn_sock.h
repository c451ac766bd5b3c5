/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_sock.h - the transports of the framing protocol: a listening
 * Unix socket (rdpprnd --listen), a connection to one (rdpprn-sim
 * --connect) and a helper run as a child over a socketpair (rdpprn-sim
 * --exec).
 */
#ifndef RDPPRN_SOCK_H
#define RDPPRN_SOCK_H

#include <sys/types.h>

#include "rdpprn_util.h"

/*
 * Listen on @path with mode @mode. A socket file left by a dead process
 * (connect() refused) is replaced; one that answers is -EADDRINUSE.
 */
int rdpprn_unix_listen(const char *path, mode_t mode);
int rdpprn_unix_connect(const char *path);
/* SO_PEERCRED of a connected Unix socket. */
int rdpprn_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);
int rdpprn_set_nonblock(int fd);
/*
 * Run "/bin/sh -c @cmd" with one end of a socketpair as its stdin and
 * stdout; return the other end (or -errno) and the child's pid.
 */
int rdpprn_spawn(const char *cmd, pid_t *pid);

#endif /* RDPPRN_SOCK_H */
