/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vport.h - a virtio-serial port of the test VM (/dev/vportNpM, found by
 * the name QEMU gave it), for "relay" and "agent": the host side is a
 * socket of QEMU's that a process on the host connects to.
 *
 * virtio_console's semantics, which both commands are built on:
 *  - one opener at a time (EBUSY);
 *  - while the host side is not connected, read() returns 0 once the
 *    data that came before is consumed, write() blocks (EAGAIN with
 *    O_NONBLOCK), and poll() reports POLLHUP, and POLLIN with it, at
 *    once: poll() cannot wait for the host to connect;
 *  - a change of the host's connection state (and any data that arrives)
 *    sends SIGIO to an O_ASYNC opener, which is what vport_wait_host()
 *    waits for (through a signalfd);
 *  - data the host sent before it disconnected is still read first.
 * A host that disconnects and reconnects before the guest looks is not
 * seen as a disconnection.
 */
#ifndef RDPPRN_TEST_VPORT_H
#define RDPPRN_TEST_VPORT_H

#include <stdbool.h>

struct vport {
	const char *name;	/* the port's name (virtserialport name=) */
	char dev[280];		/* /dev/vportNpM */
	int fd;			/* O_RDWR | O_NONBLOCK | O_ASYNC */
	int sigfd;		/* signalfd of SIGIO (blocked) */
};

/* Find the port called @name (waiting up to @wait_ms for it) and open it */
int vport_open(struct vport *vp, const char *name, int wait_ms);
/* Is a process connected to the host side of the port? */
bool vport_host_connected(struct vport *vp);
/* Consume the pending SIGIO notifications */
void vport_ack(struct vport *vp);
/* Sleep (no polling) until the host side is connected */
int vport_wait_host(struct vport *vp);

int rpt_cmd_relay(int argc, char **argv);
int rpt_cmd_agent(int argc, char **argv);

#endif /* RDPPRN_TEST_VPORT_H */
