// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: virtio-serial ports of the test VM (see vport.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "rdpprn_test.h"
#include "vport.h"

#define VPORT_SYSFS	"/sys/class/virtio-ports"

/* /dev/<entry> of the port whose sysfs name is @name; -ENOENT if none */
static int vport_find(const char *name, char *dev, size_t len)
{
	struct dirent *de;
	char path[300], text[128];
	int ret = -ENOENT;
	DIR *d;

	d = opendir(VPORT_SYSFS);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), VPORT_SYSFS "/%s/name", de->d_name);
		if (rpt_read_text(path, text, sizeof(text)) < 0 ||
		    strcmp(text, name))
			continue;
		snprintf(dev, len, "/dev/%s", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int vport_open(struct vport *vp, const char *name, int wait_ms)
{
	sigset_t set;
	int flags, ret, waited = 0;

	vp->name = name;
	vp->fd = -1;
	vp->sigfd = -1;
	/* The name comes in a control message after the port appeared */
	while ((ret = vport_find(name, vp->dev, sizeof(vp->dev))) < 0) {
		if (waited >= wait_ms)
			return ret;
		rpt_sleep_ms(100);
		waited += 100;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	vp->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (vp->sigfd < 0)
		return -errno;
	vp->fd = open(vp->dev, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (vp->fd < 0)
		goto err;
	flags = fcntl(vp->fd, F_GETFL);
	if (flags < 0 || fcntl(vp->fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(vp->fd, F_SETFL, flags | O_ASYNC) < 0)
		goto err;
	return 0;
err:
	ret = -errno;
	if (vp->fd >= 0)
		close(vp->fd);
	close(vp->sigfd);
	vp->fd = -1;
	vp->sigfd = -1;
	return ret;
}

bool vport_host_connected(struct vport *vp)
{
	struct pollfd pfd = { .fd = vp->fd, .events = 0 };

	/* POLLHUP is reported whatever was asked for */
	if (poll(&pfd, 1, 0) < 0)
		return false;
	return !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

void vport_ack(struct vport *vp)
{
	struct signalfd_siginfo si;

	while (read(vp->sigfd, &si, sizeof(si)) == sizeof(si))
		;
}

int vport_wait_host(struct vport *vp)
{
	struct pollfd pfd = { .fd = vp->sigfd, .events = POLLIN };

	for (;;) {
		/*
		 * Acknowledge first, then look: a change after the look
		 * leaves a SIGIO pending, so the poll() cannot miss it.
		 */
		vport_ack(vp);
		if (vport_host_connected(vp))
			return 0;
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -errno;
	}
}
