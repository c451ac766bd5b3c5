// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - printer cache data: the server asks the client to keep a
 * printer's configuration ([MS-RDPEPC] 2.2.2.3, DR_PRN_CACHE_DATA).
 *
 * The client persists what it is sent under the printer's name and
 * returns it in the next session's announce as CachedPrinterConfigData,
 * which the device then shows in sysfs (cached_config). What the data
 * means is up to the host's print system; the module only carries it.
 */
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

/* The uapi's event numbers are the wire's. */
static_assert(RDPPRN_CACHE_ADD == RDPDR_ADD_PRINTER_EVENT);
static_assert(RDPPRN_CACHE_UPDATE == RDPDR_UPDATE_PRINTER_EVENT);
static_assert(RDPPRN_CACHE_DELETE == RDPDR_DELETE_PRINTER_EVENT);
static_assert(RDPPRN_CACHE_RENAME == RDPDR_RENAME_PRINTER_EVENT);

/* A name of the printer in UTF-16LE, terminated, for the wire. */
static int rdpprn_cache_name(const char *utf8, struct rdpdr_str *out)
{
	size_t len = strlen(utf8);
	int need;
	u8 *buf;

	need = rdpdr_utf8_to_utf16(utf8, len, NULL, 0);
	if (need < 0)
		return need;
	if (need > RDPDR_MAX_STRING_BYTES)
		return -ENAMETOOLONG;
	buf = kmalloc(need, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	need = rdpdr_utf8_to_utf16(utf8, len, buf, need);
	if (need < 0) {
		kfree(buf);
		return need;
	}
	out->data = buf;
	out->len = need;
	out->unicode = true;
	return 0;
}

/**
 * rdpprn_cache_send() - send the client printer cache data of a printer
 * @s: the session
 * @device_id: the printer's DeviceId
 * @event: &enum rdpprn_cache_event
 * @config: configuration to persist (add, update), or NULL
 * @config_len: its length
 * @new_name: the printer's new name, UTF-8 (rename), or NULL
 * @extack: why it was refused
 *
 * The names of the PDU are the printer's as the client announced them:
 * the client files the data under them.
 *
 * Return: 0, -ENODEV when the session has no such printer, -EINVAL for
 * an event without what it needs, -EMSGSIZE when @config is over
 * max_config or the PDU over one netlink attribute (RDPPRN_PDU_ATTR_MAX),
 * -ENAMETOOLONG or -EILSEQ for a name that cannot go on the wire, a send
 * error of the transport, -ENOMEM.
 */
int rdpprn_cache_send(struct rdpprn_session *s, u32 device_id, u32 event,
		      const u8 *config, size_t config_len,
		      const char *new_name, struct netlink_ext_ack *extack)
{
	struct rdpdr_str names[3] = {}, empty = {};
	struct rdpdr_cache_data cd = { .event_id = event };
	struct rdpprn_device *pdev;
	struct kvec iov;
	u8 *buf = NULL;
	int ret, len, i;
	bool rename = event == RDPPRN_CACHE_RENAME;
	bool has_config = event == RDPPRN_CACHE_ADD ||
			  event == RDPPRN_CACHE_UPDATE;

	if (rename != !!new_name || (has_config && !config)) {
		NL_SET_ERR_MSG(extack,
			       "add and update need a configuration, rename (only) a new name");
		return -EINVAL;
	}
	if (config_len > READ_ONCE(rdpprn_max_config)) {
		NL_SET_ERR_MSG(extack, "configuration over max_config");
		return -EMSGSIZE;
	}
	/* An empty terminated UTF-16 string: PnPName, which is not kept. */
	empty.data = (const u8 *)"\0";
	empty.len = 2;
	empty.unicode = true;

	mutex_lock(&s->lock);
	pdev = xa_load(&s->devices, device_id);
	if (s->dead || !pdev) {
		NL_SET_ERR_MSG(extack, "no such printer in the session");
		ret = -ENODEV;
		goto out;
	}
	ret = rdpprn_cache_name(pdev->printer_name, &names[0]);
	if (!ret)
		ret = rdpprn_cache_name(pdev->driver_name, &names[1]);
	if (!ret && new_name)
		ret = rdpprn_cache_name(new_name, &names[2]);
	if (ret) {
		NL_SET_ERR_MSG(extack, "a printer name cannot be encoded");
		goto out;
	}

	switch (event) {
	case RDPPRN_CACHE_ADD:
		memcpy(cd.add.port_dos_name_raw, pdev->dos_name,
		       strnlen(pdev->dos_name, RDPDR_DOS_NAME_LEN));
		cd.add.pnp_name = empty;
		cd.add.driver_name = names[1];
		cd.add.printer_name = names[0];
		cd.add.cached_data = config;
		cd.add.cached_fields_len = config_len;
		break;
	case RDPPRN_CACHE_UPDATE:
		cd.update.printer_name = names[0];
		cd.update.config_data = config;
		cd.update.config_data_len = config_len;
		break;
	case RDPPRN_CACHE_DELETE:
		cd.del.printer_name = names[0];
		break;
	case RDPPRN_CACHE_RENAME:
		cd.rename.old_printer_name = names[0];
		cd.rename.new_printer_name = names[2];
		break;
	default:
		NL_SET_ERR_MSG(extack, "unknown cache event");
		ret = -EINVAL;
		goto out;
	}

	/* The PDU travels to the helper in one netlink attribute. */
	len = rdpdr_build_cache_data(NULL, 0, &cd);
	if (len < 0 || len > RDPPRN_PDU_ATTR_MAX) {
		NL_SET_ERR_MSG(extack,
			       "the cache data PDU would not fit one attribute");
		ret = -EMSGSIZE;
		goto out;
	}
	buf = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (WARN_ON_ONCE(rdpdr_build_cache_data(buf, len, &cd) != len)) {
		ret = -EINVAL;
		goto out;
	}
	iov.iov_base = buf;
	iov.iov_len = len;
	ret = rdpprn_session_send(s, &iov, 1);
	if (ret)
		NL_SET_ERR_MSG(extack, "the session's helper took no PDU");
out:
	mutex_unlock(&s->lock);
	kvfree(buf);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		kfree(names[i].data);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_cache_send);
