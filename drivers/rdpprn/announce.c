// SPDX-License-Identifier: GPL-2.0
/*
 * announce.c - printers come and go: Client Device List Announce/Remove.
 *
 * Every printer entry of an announce gets exactly one Server Device
 * Announce Response. Other device types are left to the helper, which
 * answers them (or hands them to the host's other redirection code).
 */
#include <linux/slab.h>

#include "rdpprn.h"

static int rdpprn_send_device_reply(struct rdpprn_session *s, u32 device_id,
				    u32 status)
{
	struct rdpdr_device_reply r = {
		.device_id = device_id,
		.result_code = status,
	};
	u8 buf[RDPDR_DEVICE_REPLY_SIZE];
	struct kvec iov = { .iov_base = buf };
	int len;

	len = rdpdr_build_device_reply(buf, sizeof(buf), &r);
	if (WARN_ON_ONCE(len < 0))
		return -EINVAL;
	iov.iov_len = len;
	return rdpprn_session_send(s, &iov, 1);
}

/* Return: the NTSTATUS to answer this printer entry with. */
static u32 rdpprn_announce_printer(struct rdpprn_session *s,
				   const struct rdpdr_device *d,
				   struct list_head *gone)
{
	struct rdpprn_device *pdev, *old;
	struct rdpdr_printer p;
	struct rdpdr_err err;

	if (!rdpdr_dos_name_valid(d->dos_name))
		return STATUS_ACCESS_DENIED;
	if (rdpdr_parse_printer(d, &p, &err)) {
		pr_debug("rdpprn: session %u: printer %u refused: %s\n",
			 s->id, d->device_id, err.reason);
		return STATUS_INVALID_PARAMETER;
	}
	if (p.cached_fields_len > READ_ONCE(rdpprn_max_config))
		return STATUS_INSUFFICIENT_RESOURCES;

	/* The same DeviceId again: the client replaced that printer. */
	old = xa_load(&s->devices, d->device_id);
	if (old)
		rdpprn_detach_device(old, gone);

	pdev = rdpprn_device_alloc(s, d, &p);
	if (IS_ERR(pdev))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (rdpprn_account_charge(pdev))
		goto err_put;
	if (xa_insert(&s->devices, d->device_id, pdev, GFP_KERNEL_ACCOUNT))
		goto err_uncharge;
	if (rdpprn_device_register(pdev)) {
		xa_erase(&s->devices, d->device_id);
		goto err_uncharge;
	}
	s->nr_printers++;
	rdpprn_nl_notify_device(pdev, RDPPRN_CMD_DEVICE_NEW);
	return STATUS_SUCCESS;

err_uncharge:
	rdpprn_account_uncharge(pdev);
err_put:
	rdpprn_device_put(pdev);
	return STATUS_INSUFFICIENT_RESOURCES;
}

/* Is the DeviceId of entry @index also used by an earlier entry? */
static bool rdpprn_announce_dup(const struct rdpdr_devlist *dl, u32 index,
				u32 device_id)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_device d;
	u32 i;

	rdpdr_devlist_iter_init(&it, dl);
	for (i = 0; i < index && rdpdr_devlist_next(&it, &d); i++)
		if (d.device_id == device_id)
			return true;
	return false;
}

/**
 * rdpprn_announce() - handle a Client Device List Announce
 * @s: session, @s->lock held
 * @pdu: the PDU
 * @len: its length
 * @extack: why the PDU was refused
 * @gone: replaced printers are put here, for rdpprn_reap_devices()
 *
 * The whole PDU is checked before anything changes: its structure, the
 * DeviceCount limit, and DeviceIds unique within the PDU. Then each
 * printer entry is accepted or refused on its own. A DeviceId of a live
 * printer announced as another device type replaces (removes) it.
 *
 * Every printer entry is answered. When an answer cannot be sent (the
 * helper's socket is full or gone), a printer accepted for that entry is
 * removed again, so that no device exists the client was not told about,
 * and the PDU fails with that error: the helper may announce it again
 * (a DeviceId announced again replaces its printer, so that is safe).
 *
 * Return: 0 or a negative errno (the PDU was refused, or not every
 * answer could be sent).
 */
int rdpprn_announce(struct rdpprn_session *s, const u8 *pdu, size_t len,
		    struct netlink_ext_ack *extack, struct list_head *gone)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_devlist dl;
	struct rdpdr_device d;
	struct rdpdr_err err;
	u32 i = 0;
	int ret;

	ret = rdpdr_parse_devlist(pdu, len, &dl, &err);
	if (ret) {
		rdpprn_set_parse_err(extack, &err);
		return ret;
	}
	if (dl.device_count > READ_ONCE(rdpprn_max_announce)) {
		NL_SET_ERR_MSG(extack, "DeviceCount exceeds max_announce");
		return -E2BIG;
	}
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &d)) {
		if (rdpprn_announce_dup(&dl, i++, d.device_id)) {
			NL_SET_ERR_MSG(extack, "DeviceId appears twice in one announce");
			nl_set_extack_cookie_u64(extack, d.offset);
			return -EINVAL;
		}
	}

	ret = 0;
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &d)) {
		struct rdpprn_device *pdev;
		u32 status;
		int sret;

		if (d.device_type != RDPDR_DTYP_PRINT) {
			pdev = xa_load(&s->devices, d.device_id);
			if (pdev)
				rdpprn_detach_device(pdev, gone);
			continue;
		}
		status = rdpprn_announce_printer(s, &d, gone);
		sret = rdpprn_send_device_reply(s, d.device_id, status);
		if (!sret)
			continue;
		pdev = xa_load(&s->devices, d.device_id);
		if (pdev && status == STATUS_SUCCESS)
			rdpprn_detach_device(pdev, gone);
		if (!ret) {
			ret = sret;
			NL_SET_ERR_MSG(extack,
				       "a Device Announce Response could not be sent; its printer was not created");
			nl_set_extack_cookie_u64(extack, d.offset);
		}
	}
	return ret;
}

/**
 * rdpprn_remove() - handle a Client Device List Remove
 * @s: session, @s->lock held
 * @pdu: the PDU
 * @len: its length
 * @extack: why the PDU was refused
 * @gone: removed printers are put here, for rdpprn_reap_devices()
 *
 * Unknown DeviceIds are ignored, as the protocol asks.
 *
 * Return: 0 or a negative errno.
 */
int rdpprn_remove(struct rdpprn_session *s, const u8 *pdu, size_t len,
		  struct netlink_ext_ack *extack, struct list_head *gone)
{
	struct rdpdr_devlist_remove r;
	struct rdpprn_device *pdev;
	struct rdpdr_err err;
	u32 i;
	int ret;

	ret = rdpdr_parse_devlist_remove(pdu, len, &r, &err);
	if (ret) {
		rdpprn_set_parse_err(extack, &err);
		return ret;
	}
	for (i = 0; i < r.device_count; i++) {
		pdev = xa_load(&s->devices, rdpdr_remove_id(&r, i));
		if (pdev)
			rdpprn_detach_device(pdev, gone);
	}
	return 0;
}

/**
 * rdpprn_detach_device() - take a printer out of its session
 * @pdev: printer, its session->lock held
 * @gone: list to put it on; rdpprn_reap_devices() unregisters it later,
 *	outside the lock
 *
 * Open jobs fail with ENODEV and their pending requests are dropped: the
 * client no longer knows the device, so there is nothing to close.
 */
void rdpprn_detach_device(struct rdpprn_device *pdev, struct list_head *gone)
{
	struct rdpprn_session *s = pdev->session;
	struct rdpprn_job *job;

	lockdep_assert_held(&s->lock);
	xa_erase(&s->devices, pdev->device_id);
	s->nr_printers--;
	pdev->dead = true;
	list_for_each_entry(job, &pdev->job_list, node)
		rdpprn_job_fail_locked(job, RDPPRN_JOB_GONE, -ENODEV);
	/* With jobs open it stays counted until the last one ends. */
	if (list_empty(&pdev->job_list))
		rdpprn_account_uncharge(pdev);
	list_add_tail(&pdev->gone, gone);
}

/* Unregister detached printers; called without session->lock. */
void rdpprn_reap_devices(struct list_head *gone)
{
	struct rdpprn_device *pdev, *tmp;

	list_for_each_entry_safe(pdev, tmp, gone, gone) {
		list_del(&pdev->gone);
		rdpprn_nl_notify_device(pdev, RDPPRN_CMD_DEVICE_DEL);
		rdpprn_device_unregister(pdev);
		rdpprn_device_put(pdev);
	}
}
