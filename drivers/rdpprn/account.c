// SPDX-License-Identifier: GPL-2.0
/*
 * account.c - printer devices counted per session and per owner uid.
 *
 * A device costs a minor, its names, its cached configuration (up to
 * max_config) and, while a job is open, a ring. A removed printer whose
 * job still holds the file open keeps all of that, so it stays counted
 * until its last job ends: otherwise a client looping announce, open,
 * remove could pin every minor of the host. The per-uid count covers the
 * sessions of one user together, since a user may run many of them.
 */
#include <linux/mutex.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "rdpprn.h"

/* uid -> number of counted devices, as an xarray value entry */
static DEFINE_XARRAY(rdpprn_user_devices);
static DEFINE_MUTEX(rdpprn_account_lock);	/* read-modify-write of counts */

static unsigned long rdpprn_account_key(const struct rdpprn_session *s)
{
	return from_kuid(&init_user_ns, s->uid);
}

/**
 * rdpprn_account_charge() - count a new printer device against the limits
 * @pdev: the device, its session->lock held
 *
 * Return: 0, or -ENOSPC when its session has max_printers devices or its
 * owner max_user_printers, or -ENOMEM.
 */
int rdpprn_account_charge(struct rdpprn_device *pdev)
{
	struct rdpprn_session *s = pdev->session;
	unsigned long key = rdpprn_account_key(s);
	unsigned long n;
	int ret = 0;

	lockdep_assert_held(&s->lock);
	if (WARN_ON_ONCE(pdev->accounted))
		return 0;
	if (s->nr_devices >= READ_ONCE(rdpprn_max_printers))
		return -ENOSPC;

	mutex_lock(&rdpprn_account_lock);
	n = xa_to_value(xa_load(&rdpprn_user_devices, key) ?: xa_mk_value(0));
	if (n >= READ_ONCE(rdpprn_max_user_printers))
		ret = -ENOSPC;
	else
		ret = xa_err(xa_store(&rdpprn_user_devices, key,
				      xa_mk_value(n + 1), GFP_KERNEL_ACCOUNT));
	mutex_unlock(&rdpprn_account_lock);
	if (ret)
		return ret;
	s->nr_devices++;
	pdev->accounted = true;
	return 0;
}

/**
 * rdpprn_account_uncharge() - a device no longer counts
 * @pdev: the device, its session->lock held
 *
 * Called when a removed device has no open job left, or when it is
 * removed without one. Calling it for an uncounted device does nothing.
 */
void rdpprn_account_uncharge(struct rdpprn_device *pdev)
{
	struct rdpprn_session *s = pdev->session;
	unsigned long key = rdpprn_account_key(s);
	unsigned long n;

	lockdep_assert_held(&s->lock);
	if (!pdev->accounted)
		return;
	pdev->accounted = false;
	s->nr_devices--;

	mutex_lock(&rdpprn_account_lock);
	n = xa_to_value(xa_load(&rdpprn_user_devices, key) ?: xa_mk_value(0));
	if (WARN_ON_ONCE(!n) || n == 1)
		xa_erase(&rdpprn_user_devices, key);
	else
		/* Replacing a present entry allocates nothing. */
		xa_store(&rdpprn_user_devices, key, xa_mk_value(n - 1),
			 GFP_KERNEL);
	mutex_unlock(&rdpprn_account_lock);
}
