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

static void rdpprn_send_device_reply(struct rdpprn_session *s, u32 device_id,
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
		return;
	iov.iov_len = len;
	if (rdpprn_session_send(s, &iov, 1))
		atomic64_inc(&s->errors);
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

	if (s->nr_printers >= READ_ONCE(rdpprn_max_printers))
		return STATUS_INSUFFICIENT_RESOURCES;

	pdev = rdpprn_device_alloc(s, d, &p);
	if (IS_ERR(pdev))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (xa_insert(&s->devices, d->device_id, pdev, GFP_KERNEL)) {
		rdpprn_device_put(pdev);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (rdpprn_device_register(pdev)) {
		xa_erase(&s->devices, d->device_id);
		rdpprn_device_put(pdev);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	s->nr_printers++;
	rdpprn_nl_notify_device(pdev, RDPPRN_CMD_DEVICE_NEW);
	return STATUS_SUCCESS;
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
 * printer entry is accepted or refused on its own.
 *
 * Return: 0 or a negative errno (the PDU was refused as a whole).
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

	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &d)) {
		if (d.device_type != RDPDR_DTYP_PRINT)
			continue;
		rdpprn_send_device_reply(s, d.device_id,
					 rdpprn_announce_printer(s, &d, gone));
	}
	return 0;
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
