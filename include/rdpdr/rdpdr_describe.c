// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_describe.c - decode any rdpdr PDU, in either direction, and hand
 * its fields to a visitor in wire order (rdpdr-dump, tests, debugging).
 *
 * Decoding runs the very body readers the parsers use, with a visitor set
 * on the reader: every field is reported as it is read, so a PDU that is
 * cut short shows everything up to the cut, and the checks are those of
 * the parsers. The decoded structures share one small union on the stack.
 */
#include "rdpdr_wire.h"

#define RDPDR_PDU(component, packet_id)	((u32)(component) << 16 | (packet_id))

/* A request says what it is: its MajorFunction selects the rest. */
static int rdpdr_describe_ioreq(struct rdpdr_rd *r)
{
	union {
		struct rdpdr_create_req create;
		struct rdpdr_write_req write;
	} u;
	struct rdpdr_ioreq io = { 0 };
	int ret;

	memset(&u, 0, sizeof(u));
	ret = rdpdr_read_ioreq(r, &io);
	if (ret)
		return ret;
	switch (io.major_function) {
	case IRP_MJ_CREATE:
		return rdpdr_read_create_req(r, &u.create);
	case IRP_MJ_WRITE:
		return rdpdr_read_write_req(r, &u.write, true);
	case IRP_MJ_CLOSE:
		return rdpdr_read_close_req(r);
	default:
		/* Printers get no other request; the prefix is all we know. */
		return 0;
	}
}

/* A response does not say what it answers: @rsp_major does. */
static int rdpdr_describe_iocompletion(struct rdpdr_rd *r, int rsp_major)
{
	union {
		struct rdpdr_create_rsp create;
		struct rdpdr_write_rsp write;
		struct rdpdr_close_rsp close;
	} u;
	struct rdpdr_iocompletion c = { 0 };
	int ret;

	memset(&u, 0, sizeof(u));
	ret = rdpdr_read_iocompletion(r, &c);
	if (ret)
		return ret;
	switch (rsp_major) {
	case IRP_MJ_CREATE:
		return rdpdr_read_create_rsp(r, &u.create);
	case IRP_MJ_WRITE:
		return rdpdr_read_write_rsp(r, &u.write);
	case IRP_MJ_CLOSE:
		return rdpdr_read_close_rsp(r, &u.close);
	default:
		return 0;
	}
}

static int rdpdr_describe_body(struct rdpdr_rd *r, const struct rdpdr_hdr *hdr,
			       int rsp_major)
{
	union {
		struct rdpdr_announce announce;
		struct rdpdr_client_name client_name;
		struct {
			u16 num;
			u16 padding;
			u16 count;
		} caps;
		struct rdpdr_devlist devlist;
		struct rdpdr_device_reply device_reply;
		struct rdpdr_devlist_remove remove;
		struct rdpdr_using_xps using_xps;
		struct rdpdr_cache_data cache_data;
	} u;

	memset(&u, 0, sizeof(u));
	switch (RDPDR_PDU(hdr->component, hdr->packet_id)) {
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_SERVER_ANNOUNCE):
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_CLIENTID_CONFIRM):
		return rdpdr_read_announce(r, &u.announce);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME):
		return rdpdr_read_client_name(r, &u.client_name);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_SERVER_CAPABILITY):
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_CAPABILITY):
		/* The sets are shown one at a time, not kept. */
		return rdpdr_read_caps(r, &u.caps.num, &u.caps.padding, NULL,
				       &u.caps.count);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_USER_LOGGEDON):
		r->declared = RDPDR_USER_LOGGEDON_SIZE;
		return 0;
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_ANNOUNCE):
		return rdpdr_read_devlist(r, &u.devlist);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_REPLY):
		return rdpdr_read_device_reply(r, &u.device_reply);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_DEVICELIST_REMOVE):
		return rdpdr_read_devlist_remove(r, &u.remove);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOREQUEST):
		return rdpdr_describe_ioreq(r);
	case RDPDR_PDU(RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_IOCOMPLETION):
		return rdpdr_describe_iocompletion(r, rsp_major);
	case RDPDR_PDU(RDPDR_CTYP_PRN, PAKID_PRN_USING_XPS):
		return rdpdr_read_using_xps(r, &u.using_xps);
	case RDPDR_PDU(RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA):
		return rdpdr_read_cache_data(r, &u.cache_data);
	}
	if (hdr->component != RDPDR_CTYP_CORE &&
	    hdr->component != RDPDR_CTYP_PRN)
		return rdpdr_rd_fail(r, -EPROTO, RDPDR_F_COMPONENT,
				     "Component is neither RDPDR_CTYP_CORE nor RDPDR_CTYP_PRN",
				     0);
	return rdpdr_rd_fail(r, -EPROTO, RDPDR_F_PACKET_ID,
			     "PacketId is not a PDU of its Component", 2);
}

int rdpdr_describe(const u8 *buf, size_t len, int rsp_major,
		   const struct rdpdr_visitor *v, struct rdpdr_err *err)
{
	struct rdpdr_hdr hdr;
	struct rdpdr_rd r;
	int ret;

	rdpdr_rd_init(&r, buf, len, err, v);
	rdpdr_show_begin(&r, RDPDR_F_NONE, false);
	ret = rdpdr_read_hdr(&r, &hdr);
	if (!ret)
		ret = rdpdr_describe_body(&r, &hdr, rsp_major);
	rdpdr_show_close_all(&r);
	return ret;
}
