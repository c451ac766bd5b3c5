// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rdpdr_build.c - build the PDUs of the rdpdr channel.
 *
 * Every builder writes through struct rdpdr_wr, which counts every byte
 * but stores only those that fit. One pass thus serves both as the length
 * query (NULL buffer) and as the real write, and the two can never
 * disagree about the size of a PDU.
 */
#include "rdpdr_wire.h"

/**
 * struct rdpdr_wr - output cursor
 * @buf: output, or NULL to count only
 * @cap: size of @buf
 * @pos: bytes produced so far, whether or not they fitted
 */
struct rdpdr_wr {
	u8 *buf;
	size_t cap;
	u64 pos;
};

static void rdpdr_wr_init(struct rdpdr_wr *w, u8 *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->pos = 0;
}

/*
 * Room for @n bytes at the current position, or NULL when they do not fit
 * (or nothing is stored); the position advances in every case.
 */
static u8 *rdpdr_wr_room(struct rdpdr_wr *w, size_t n)
{
	u8 *p = NULL;

	if (w->buf && w->pos <= w->cap && n <= w->cap - w->pos)
		p = w->buf + w->pos;
	w->pos += n;
	return p;
}

static void rdpdr_wr_u8(struct rdpdr_wr *w, u8 v)
{
	u8 *p = rdpdr_wr_room(w, 1);

	if (p)
		*p = v;
}

static void rdpdr_wr_u16(struct rdpdr_wr *w, u16 v)
{
	u8 *p = rdpdr_wr_room(w, 2);

	if (p)
		rdpdr_put_u16(p, v);
}

static void rdpdr_wr_u32(struct rdpdr_wr *w, u32 v)
{
	u8 *p = rdpdr_wr_room(w, 4);

	if (p)
		rdpdr_put_u32(p, v);
}

static void rdpdr_wr_u64(struct rdpdr_wr *w, u64 v)
{
	u8 *p = rdpdr_wr_room(w, 8);

	if (p)
		rdpdr_put_u64(p, v);
}

/* Copies @n bytes of @data, or writes @n zeros when @data is NULL. */
static void rdpdr_wr_bytes(struct rdpdr_wr *w, const void *data, size_t n)
{
	u8 *p = rdpdr_wr_room(w, n);

	if (!p || !n)
		return;
	if (data)
		memcpy(p, data, n);
	else
		memset(p, 0, n);
}

static void rdpdr_wr_str(struct rdpdr_wr *w, const struct rdpdr_str *s)
{
	rdpdr_wr_bytes(w, s->data, s->len);
}

/* Writes the bytes of @name up to its NUL, padded with NULs to 8. */
static void rdpdr_wr_dos_name(struct rdpdr_wr *w, const char *name)
{
	size_t n = strnlen(name, RDPDR_DOS_NAME_LEN);

	rdpdr_wr_bytes(w, name, n);
	rdpdr_wr_bytes(w, NULL, RDPDR_DOS_NAME_LEN - n);
}

static void rdpdr_wr_start(struct rdpdr_wr *w, u8 *buf, size_t cap,
			   u16 component, u16 packet_id)
{
	rdpdr_wr_init(w, buf, cap);
	rdpdr_wr_u16(w, component);
	rdpdr_wr_u16(w, packet_id);
}

/* The result of a builder: the length, -ENOSPC, or -EOVERFLOW. */
static int rdpdr_wr_done(const struct rdpdr_wr *w)
{
	if (w->pos > INT_MAX)
		return -EOVERFLOW;
	if (w->buf && w->pos > w->cap)
		return -ENOSPC;
	return (int)w->pos;
}

int rdpdr_build_hdr(u8 *buf, size_t cap, u16 component, u16 packet_id)
{
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, component, packet_id);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_announce() - build an announce, announce reply or ID confirm
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @a: what to write
 *
 * @a->packet_id chooses the PDU; the three share one layout.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_announce(u8 *buf, size_t cap, const struct rdpdr_announce *a)
{
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE, a->packet_id);
	rdpdr_wr_u16(&w, a->version_major);
	rdpdr_wr_u16(&w, a->version_minor);
	rdpdr_wr_u32(&w, a->client_id);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_client_name() - build a Client Name Request
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @cn: what to write
 *
 * ComputerNameLen is @cn->computer_name.len and the name is written as
 * given; @cn->computer_name_len is ignored.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_client_name(u8 *buf, size_t cap,
			    const struct rdpdr_client_name *cn)
{
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE, PAKID_CORE_CLIENT_NAME);
	rdpdr_wr_u32(&w, cn->unicode_flag);
	rdpdr_wr_u32(&w, cn->code_page);
	rdpdr_wr_u32(&w, cn->computer_name.len);
	rdpdr_wr_str(&w, &cn->computer_name);
	return rdpdr_wr_done(&w);
}

/* ---- capabilities ------------------------------------------------------- */

/*
 * The CapabilityLength a set is written with: @set->length, or the size of
 * its fields when that is 0. Returns 0 when @set->length is too short for
 * what must be written.
 */
static u16 rdpdr_cap_set_length(const struct rdpdr_cap_set *set)
{
	u16 need = RDPDR_CAP_HDR_SIZE;

	if (set->type == CAP_GENERAL_TYPE)
		need = set->version >= GENERAL_CAPABILITY_VERSION_02 ?
		       RDPDR_GENERAL_CAP_V2_SIZE : RDPDR_GENERAL_CAP_V1_SIZE;
	if (!set->length)
		return need;
	return set->length < need ? 0 : set->length;
}

static void rdpdr_wr_cap_set(struct rdpdr_wr *w,
			     const struct rdpdr_cap_set *set, u16 length)
{
	const struct rdpdr_general_caps *g = &set->general;
	u64 end = w->pos + length;

	rdpdr_wr_u16(w, set->type);
	rdpdr_wr_u16(w, length);
	rdpdr_wr_u32(w, set->version);
	if (set->type == CAP_GENERAL_TYPE) {
		rdpdr_wr_u32(w, g->os_type);
		rdpdr_wr_u32(w, g->os_version);
		rdpdr_wr_u16(w, g->protocol_major);
		rdpdr_wr_u16(w, g->protocol_minor);
		rdpdr_wr_u32(w, g->io_code1);
		rdpdr_wr_u32(w, g->io_code2);
		rdpdr_wr_u32(w, g->extended_pdu);
		rdpdr_wr_u32(w, g->extra_flags1);
		rdpdr_wr_u32(w, g->extra_flags2);
		if (set->version >= GENERAL_CAPABILITY_VERSION_02)
			rdpdr_wr_u32(w, g->special_type_device_cap);
	}
	rdpdr_wr_bytes(w, NULL, (size_t)(end - w->pos));
}

/**
 * rdpdr_build_caps() - build a Core Capability Request or Response
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @caps: what to write
 *
 * numCapabilities is @caps->count. A set written with @length 0 gets the
 * length of its fields; a @length too short for them, or more than
 * RDPDR_MAX_CAP_SETS sets, is refused with -EINVAL.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small, or -EINVAL.
 */
int rdpdr_build_caps(u8 *buf, size_t cap, const struct rdpdr_caps *caps)
{
	struct rdpdr_wr w;
	u16 i;

	if (caps->count > RDPDR_MAX_CAP_SETS)
		return -EINVAL;
	for (i = 0; i < caps->count; i++) {
		if (!rdpdr_cap_set_length(&caps->sets[i]))
			return -EINVAL;
	}
	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE, caps->packet_id);
	rdpdr_wr_u16(&w, caps->count);
	rdpdr_wr_u16(&w, caps->padding);
	for (i = 0; i < caps->count; i++)
		rdpdr_wr_cap_set(&w, &caps->sets[i],
				 rdpdr_cap_set_length(&caps->sets[i]));
	return rdpdr_wr_done(&w);
}

void rdpdr_server_caps_init(struct rdpdr_caps *caps)
{
	struct rdpdr_cap_set *general = &caps->sets[0];
	struct rdpdr_cap_set *printer = &caps->sets[1];

	memset(caps, 0, sizeof(*caps));
	caps->packet_id = PAKID_CORE_SERVER_CAPABILITY;
	caps->num_capabilities = 2;
	caps->count = 2;

	general->type = CAP_GENERAL_TYPE;
	general->length = RDPDR_GENERAL_CAP_V2_SIZE;
	general->version = GENERAL_CAPABILITY_VERSION_02;
	general->general.protocol_major = RDPDR_VERSION_MAJOR;
	general->general.protocol_minor = RDPDR_VERSION_MINOR_RDP6X;
	/* Windows sends every IRP bit, the optional security ones too. */
	general->general.io_code1 = 0xffff;
	/* FreeRDP drops User Logged On unless the server sets 0x4 too. */
	general->general.extended_pdu = RDPDR_DEVICE_REMOVE_PDUS |
					RDPDR_CLIENT_DISPLAY_NAME_PDU |
					RDPDR_USER_LOGGEDON_PDU;

	/* FreeRDP echoes the printer set only if the server sent it. */
	printer->type = CAP_PRINTER_TYPE;
	printer->length = RDPDR_CAP_HDR_SIZE;
	printer->version = PRINT_CAPABILITY_VERSION_01;
}

/* ---- device list and printer data --------------------------------------- */

int rdpdr_build_devlist(u8 *buf, size_t cap, const struct rdpdr_device *devs,
			u32 count)
{
	struct rdpdr_wr w;
	u32 i;

	if (count && !devs)
		return -EINVAL;
	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE,
		       PAKID_CORE_DEVICELIST_ANNOUNCE);
	rdpdr_wr_u32(&w, count);
	for (i = 0; i < count; i++) {
		rdpdr_wr_u32(&w, devs[i].device_type);
		rdpdr_wr_u32(&w, devs[i].device_id);
		rdpdr_wr_dos_name(&w, devs[i].dos_name);
		rdpdr_wr_u32(&w, devs[i].data_len);
		rdpdr_wr_bytes(&w, devs[i].data, devs[i].data_len);
	}
	return rdpdr_wr_done(&w);
}

/*
 * The four length fields and what they announce, which end both
 * DR_PRN_DEVICE_ANNOUNCE and DR_PRN_ADD_CACHEDATA; the lengths are those
 * of the strings, and @cached_len bytes of @cached (zeros if NULL).
 */
static void rdpdr_wr_names(struct rdpdr_wr *w, const struct rdpdr_str *pnp,
			   const struct rdpdr_str *driver,
			   const struct rdpdr_str *printer,
			   const u8 *cached, u32 cached_len)
{
	rdpdr_wr_u32(w, pnp->len);
	rdpdr_wr_u32(w, driver->len);
	rdpdr_wr_u32(w, printer->len);
	rdpdr_wr_u32(w, cached_len);
	rdpdr_wr_str(w, pnp);
	rdpdr_wr_str(w, driver);
	rdpdr_wr_str(w, printer);
	rdpdr_wr_bytes(w, cached, cached_len);
}

int rdpdr_build_printer_data(u8 *buf, size_t cap,
			     const struct rdpdr_printer *p)
{
	struct rdpdr_wr w;

	rdpdr_wr_init(&w, buf, cap);
	rdpdr_wr_u32(&w, p->flags);
	rdpdr_wr_u32(&w, p->code_page);
	rdpdr_wr_names(&w, &p->pnp_name, &p->driver_name, &p->printer_name,
		       p->cached_data, p->cached_fields_len);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_device_reply() - build a Server Device Announce Response
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @r: what to write
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_device_reply(u8 *buf, size_t cap,
			     const struct rdpdr_device_reply *r)
{
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE, PAKID_CORE_DEVICE_REPLY);
	rdpdr_wr_u32(&w, r->device_id);
	rdpdr_wr_u32(&w, r->result_code);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_devlist_remove() - build a Client Device List Remove
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @ids: the DeviceIds
 * @count: how many
 *
 * Return: the PDU length, -ENOSPC when @cap is too small, or -EINVAL for
 * a NULL @ids with a non-zero @count.
 */
int rdpdr_build_devlist_remove(u8 *buf, size_t cap, const u32 *ids,
			       u32 count)
{
	struct rdpdr_wr w;
	u32 i;

	if (count && !ids)
		return -EINVAL;
	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_CORE,
		       PAKID_CORE_DEVICELIST_REMOVE);
	rdpdr_wr_u32(&w, count);
	for (i = 0; i < count; i++)
		rdpdr_wr_u32(&w, ids[i]);
	return rdpdr_wr_done(&w);
}

/* ---- device I/O requests ------------------------------------------------ */

/* The DR_DEVICE_IOREQUEST prefix, with @major as MajorFunction. */
static void rdpdr_wr_ioreq(struct rdpdr_wr *w, u8 *buf, size_t cap,
			   const struct rdpdr_ioreq *io, u32 major)
{
	rdpdr_wr_start(w, buf, cap, RDPDR_CTYP_CORE,
		       PAKID_CORE_DEVICE_IOREQUEST);
	rdpdr_wr_u32(w, io->device_id);
	rdpdr_wr_u32(w, io->file_id);
	rdpdr_wr_u32(w, io->completion_id);
	rdpdr_wr_u32(w, major);
	rdpdr_wr_u32(w, io->minor_function);
}

void rdpdr_printer_create_init(struct rdpdr_create_req *req, u32 device_id,
			       u32 completion_id)
{
	memset(req, 0, sizeof(*req));
	req->io.device_id = device_id;
	req->io.completion_id = completion_id;
	req->io.major_function = IRP_MJ_CREATE;
	req->desired_access = RDPDR_PRN_CREATE_DESIRED_ACCESS;
	req->shared_access = RDPDR_PRN_CREATE_SHARED_ACCESS;
	req->create_disposition = RDPDR_FILE_OPEN;
	req->create_options = RDPDR_PRN_CREATE_OPTIONS;
}

/**
 * rdpdr_build_create_req() - build a DR_CREATE_REQ
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @req: what to write
 *
 * MajorFunction is forced to IRP_MJ_CREATE; PathLength is @req->path.len
 * and @req->path_length is ignored.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_create_req(u8 *buf, size_t cap,
			   const struct rdpdr_create_req *req)
{
	struct rdpdr_wr w;

	rdpdr_wr_ioreq(&w, buf, cap, &req->io, IRP_MJ_CREATE);
	rdpdr_wr_u32(&w, req->desired_access);
	rdpdr_wr_u64(&w, req->allocation_size);
	rdpdr_wr_u32(&w, req->file_attributes);
	rdpdr_wr_u32(&w, req->shared_access);
	rdpdr_wr_u32(&w, req->create_disposition);
	rdpdr_wr_u32(&w, req->create_options);
	rdpdr_wr_u32(&w, req->path.len);
	rdpdr_wr_str(&w, &req->path);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_write_req() - build a DR_WRITE_REQ
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @req: what to write
 *
 * MajorFunction is forced to IRP_MJ_WRITE. With @req->data NULL only the
 * 56-byte fixed part is written, and the caller appends Length bytes.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_write_req(u8 *buf, size_t cap,
			  const struct rdpdr_write_req *req)
{
	struct rdpdr_wr w;

	rdpdr_wr_ioreq(&w, buf, cap, &req->io, IRP_MJ_WRITE);
	rdpdr_wr_u32(&w, req->length);
	rdpdr_wr_u64(&w, req->offset);
	rdpdr_wr_bytes(&w, NULL, RDPDR_WRITE_REQ_FIXED - 36);
	if (req->data)
		rdpdr_wr_bytes(&w, req->data, req->length);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_close_req() - build a DR_CLOSE_REQ
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @io: the request; MajorFunction is forced to IRP_MJ_CLOSE
 *
 * Return: 56, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_close_req(u8 *buf, size_t cap, const struct rdpdr_ioreq *io)
{
	struct rdpdr_wr w;

	rdpdr_wr_ioreq(&w, buf, cap, io, IRP_MJ_CLOSE);
	rdpdr_wr_bytes(&w, NULL, RDPDR_CLOSE_REQ_SIZE - RDPDR_IOREQ_SIZE);
	return rdpdr_wr_done(&w);
}

/* ---- device I/O responses ----------------------------------------------- */

static void rdpdr_wr_iocompletion(struct rdpdr_wr *w, u8 *buf, size_t cap,
				  const struct rdpdr_iocompletion *c)
{
	rdpdr_wr_start(w, buf, cap, RDPDR_CTYP_CORE,
		       PAKID_CORE_DEVICE_IOCOMPLETION);
	rdpdr_wr_u32(w, c->device_id);
	rdpdr_wr_u32(w, c->completion_id);
	rdpdr_wr_u32(w, c->io_status);
}

/**
 * rdpdr_build_create_rsp() - build a DR_CREATE_RSP
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @r: what to write
 *
 * The Information byte is written only when @r->has_information is set.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_create_rsp(u8 *buf, size_t cap,
			   const struct rdpdr_create_rsp *r)
{
	struct rdpdr_wr w;

	rdpdr_wr_iocompletion(&w, buf, cap, &r->c);
	rdpdr_wr_u32(&w, r->file_id);
	if (r->has_information)
		rdpdr_wr_u8(&w, r->information);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_write_rsp() - build a DR_WRITE_RSP
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @r: what to write
 *
 * A zero Padding byte is written only when @r->has_padding is set.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_write_rsp(u8 *buf, size_t cap,
			  const struct rdpdr_write_rsp *r)
{
	struct rdpdr_wr w;

	rdpdr_wr_iocompletion(&w, buf, cap, &r->c);
	rdpdr_wr_u32(&w, r->length);
	if (r->has_padding)
		rdpdr_wr_u8(&w, 0);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_close_rsp() - build a DR_CLOSE_RSP
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @r: what to write
 *
 * @r->padding_len zero bytes follow the 16-byte prefix.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_close_rsp(u8 *buf, size_t cap,
			  const struct rdpdr_close_rsp *r)
{
	struct rdpdr_wr w;

	rdpdr_wr_iocompletion(&w, buf, cap, &r->c);
	rdpdr_wr_bytes(&w, NULL, r->padding_len);
	return rdpdr_wr_done(&w);
}

/* ---- printer component -------------------------------------------------- */

/**
 * rdpdr_build_using_xps() - build a DR_PRN_USING_XPS
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @x: what to write
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small.
 */
int rdpdr_build_using_xps(u8 *buf, size_t cap,
			  const struct rdpdr_using_xps *x)
{
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_PRN, PAKID_PRN_USING_XPS);
	rdpdr_wr_u32(&w, x->printer_id);
	rdpdr_wr_u32(&w, x->flags);
	return rdpdr_wr_done(&w);
}

/**
 * rdpdr_build_cache_data() - build a DR_PRN_CACHE_DATA
 * @buf: output, or NULL (with @cap 0) for the length only
 * @cap: size of @buf
 * @cd: what to write
 *
 * The length fields come from the strings and from cached_fields_len or
 * config_data_len; the add event writes port_dos_name_raw, so that junk
 * after the NUL survives a round trip. A NULL blob is written as zeros.
 * A structure from a parse that stopped at -ENODATA holds fewer
 * ConfigData bytes than it declares and must not be built again. An
 * unknown EventId is -EINVAL.
 *
 * Return: the PDU length, or -ENOSPC when @cap is too small, or -EINVAL.
 */
int rdpdr_build_cache_data(u8 *buf, size_t cap,
			   const struct rdpdr_cache_data *cd)
{
	const struct rdpdr_cache_update *upd = &cd->update;
	const struct rdpdr_cache_rename *ren = &cd->rename;
	const struct rdpdr_cache_add *add = &cd->add;
	struct rdpdr_wr w;

	rdpdr_wr_start(&w, buf, cap, RDPDR_CTYP_PRN, PAKID_PRN_CACHE_DATA);
	rdpdr_wr_u32(&w, cd->event_id);
	switch (cd->event_id) {
	case RDPDR_ADD_PRINTER_EVENT:
		/* The raw bytes, so that junk after the NUL survives. */
		rdpdr_wr_bytes(&w, add->port_dos_name_raw, RDPDR_DOS_NAME_LEN);
		rdpdr_wr_names(&w, &add->pnp_name, &add->driver_name,
			       &add->printer_name, add->cached_data,
			       add->cached_fields_len);
		break;
	case RDPDR_UPDATE_PRINTER_EVENT:
		rdpdr_wr_u32(&w, upd->printer_name.len);
		rdpdr_wr_u32(&w, upd->config_data_len);
		rdpdr_wr_str(&w, &upd->printer_name);
		rdpdr_wr_bytes(&w, upd->config_data, upd->config_data_len);
		break;
	case RDPDR_DELETE_PRINTER_EVENT:
		rdpdr_wr_u32(&w, cd->del.printer_name.len);
		rdpdr_wr_str(&w, &cd->del.printer_name);
		break;
	case RDPDR_RENAME_PRINTER_EVENT:
		rdpdr_wr_u32(&w, ren->old_printer_name.len);
		rdpdr_wr_u32(&w, ren->new_printer_name.len);
		rdpdr_wr_str(&w, &ren->old_printer_name);
		rdpdr_wr_str(&w, &ren->new_printer_name);
		break;
	default:
		return -EINVAL;
	}
	return rdpdr_wr_done(&w);
}
