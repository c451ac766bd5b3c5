// SPDX-License-Identifier: GPL-2.0
/*
 * fake_kernel.c - rdpprn.ko's side of the helper contract, in userspace
 * (see fake_kernel.h).
 */
#include <errno.h>
#include <string.h>

#include "fake_kernel.h"

void fk_init(struct fake_kernel *fk, struct rdpprnd_session *s)
{
	memset(fk, 0, sizeof(*fk));
	fk->s = s;
	fk->next_sid = 1;
}

static void fk_list_free(struct fk_pdu *p)
{
	while (p) {
		struct fk_pdu *next = p->next;

		free(p);
		p = next;
	}
}

void fk_free(struct fake_kernel *fk)
{
	fk_list_free(fk->rx);
	fk_list_free(fk->tx);
	fk->rx = NULL;
	fk->tx = NULL;
	fk->n_rx = 0;
	rdpprn_sha256_free(&fk->job_sha);
}

static void fk_append(struct fk_pdu **list, const u8 *pdu, size_t len)
{
	struct fk_pdu *p = rdpprn_xmalloc(sizeof(*p) + len);

	p->next = NULL;
	p->len = len;
	memcpy(p->data, pdu, len);
	while (*list)
		list = &(*list)->next;
	*list = p;
}

const struct fk_pdu *fk_rx(const struct fake_kernel *fk, unsigned int i)
{
	const struct fk_pdu *p = fk->rx;

	while (p && i--)
		p = p->next;
	return p;
}

void fk_queue(struct fake_kernel *fk, const u8 *pdu, size_t len)
{
	fk_append(&fk->tx, pdu, len);
	if (fk->notify)
		fk->notify(fk->notify_ctx);
}

unsigned int fk_deliver(struct fake_kernel *fk)
{
	unsigned int n = 0;

	while (fk->tx) {
		struct fk_pdu *p = fk->tx;

		fk->tx = p->next;
		rdpprnd_session_kernel_pdu(fk->s, p->data, p->len);
		free(p);
		n++;
	}
	return n;
}

static int fk_fail(struct rdpprn_nl_res *res, int err, const char *msg)
{
	res->err = err;
	snprintf(res->msg, sizeof(res->msg), "%s", msg);
	return err;
}

static int fk_session_new(void *k, const struct rdpprn_open *o, u32 *sid,
			  struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = k;

	memset(res, 0, sizeof(*res));
	fk->sessions_new++;
	strcpy(fk->client_addr, o->addr);
	if (fk->new_err)
		return fk_fail(res, fk->new_err, "fake: SESSION_NEW refused");
	fk->sid = fk->next_sid++;
	*sid = fk->sid;
	return 0;
}

static int fk_session_del(void *k, u32 sid, struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = k;

	memset(res, 0, sizeof(*res));
	fk->sessions_del++;
	if (!fk->sid || sid != fk->sid)
		return fk_fail(res, -ENOENT, "no such session");
	fk->sid = 0;
	fk->n_printers = 0;
	return 0;
}

static bool fk_printer(struct fake_kernel *fk, u32 id)
{
	unsigned int i;

	for (i = 0; i < fk->n_printers; i++)
		if (fk->printers[i] == id)
			return true;
	return false;
}

static void fk_forget(struct fake_kernel *fk, u32 id)
{
	unsigned int i;

	for (i = 0; i < fk->n_printers; i++)
		if (fk->printers[i] == id)
			fk->printers[i] = fk->printers[--fk->n_printers];
	if (fk->job_dev == id && fk->job != FK_JOB_DONE)
		fk->job = FK_JOB_FAILED;
}

/* Answered before the request returns, as the module does. */
static int fk_announce(struct fake_kernel *fk, const u8 *pdu, size_t len,
		       struct rdpprn_nl_res *res)
{
	struct rdpdr_devlist_iter it;
	struct rdpdr_device_reply r;
	struct rdpdr_devlist dl;
	struct rdpdr_device dev;
	struct rdpdr_printer p;
	struct rdpdr_err err;
	u8 out[RDPDR_DEVICE_REPLY_SIZE];

	if (fk->announce_err)
		return fk_fail(res, fk->announce_err, "fake: announce refused");
	if (rdpdr_parse_devlist(pdu, len, &dl, &err))
		return fk_fail(res, err.code, err.reason);
	rdpdr_devlist_iter_init(&it, &dl);
	while (rdpdr_devlist_next(&it, &dev)) {
		if (dev.device_type != RDPDR_DTYP_PRINT)
			continue;
		r.device_id = dev.device_id;
		r.result_code = fk->printer_status;
		if (!rdpdr_dos_name_valid(dev.dos_name))
			r.result_code = STATUS_ACCESS_DENIED;
		else if (rdpdr_parse_printer(&dev, &p, &err))
			r.result_code = STATUS_INVALID_PARAMETER;
		else if (fk->n_printers == FK_MAX_PRINTERS)
			r.result_code = STATUS_INSUFFICIENT_RESOURCES;
		if (!r.result_code && !fk_printer(fk, dev.device_id))
			fk->printers[fk->n_printers++] = dev.device_id;
		rdpdr_build_device_reply(out, sizeof(out), &r);
		rdpprnd_session_kernel_pdu(fk->s, out, sizeof(out));
	}
	return 0;
}

static void fk_send_write(struct fake_kernel *fk)
{
	u64 left = fk->job_total - fk->job_sent, i;
	u32 n = left < fk->job_chunk ? (u32)left : fk->job_chunk;
	struct rdpdr_write_req w = {
		.io = { fk->job_dev, fk->job_file, ++fk->job_cid,
			IRP_MJ_WRITE, 0 },
		.length = n,
		.offset = fk->job_sent,
	};
	size_t len = RDPDR_WRITE_REQ_FIXED + n;
	u8 *pdu = rdpprn_xmalloc(len);

	rdpdr_build_write_req(pdu, RDPDR_WRITE_REQ_FIXED, &w);
	for (i = 0; i < n; i++)
		pdu[RDPDR_WRITE_REQ_FIXED + i] = fk_pattern(fk->job_sent + i);
	fk_queue(fk, pdu, len);
	free(pdu);
}

static void fk_send_close(struct fake_kernel *fk)
{
	struct rdpdr_ioreq io = {
		fk->job_dev, fk->job_file, ++fk->job_cid, IRP_MJ_CLOSE, 0,
	};
	u8 pdu[RDPDR_CLOSE_REQ_SIZE];

	rdpdr_build_close_req(pdu, sizeof(pdu), &io);
	fk->job = FK_JOB_CLOSING;
	fk_queue(fk, pdu, sizeof(pdu));
}

void fk_start_job(struct fake_kernel *fk, u32 dev, u64 total, u32 chunk)
{
	struct rdpdr_create_req req;
	u8 pdu[RDPDR_CREATE_REQ_FIXED];

	fk->job = FK_JOB_CREATING;
	fk->job_dev = dev;
	fk->job_total = total;
	fk->job_sent = 0;
	fk->job_chunk = chunk ? chunk : 61440;
	fk->job_status = 0;
	/* a job before may have ended unreported */
	rdpprn_sha256_free(&fk->job_sha);
	rdpprn_sha256_init(&fk->job_sha);
	rdpdr_printer_create_init(&req, dev, ++fk->job_cid);
	rdpdr_build_create_req(pdu, sizeof(pdu), &req);
	fk_queue(fk, pdu, sizeof(pdu));
}

static void fk_job_step(struct fake_kernel *fk, const u8 *pdu, size_t len)
{
	struct rdpdr_create_rsp cr;
	struct rdpdr_write_rsp wr;
	struct rdpdr_err err;
	u64 i;

	if (fk->job == FK_JOB_CREATING &&
	    !rdpdr_parse_create_rsp(pdu, len, &cr, &err)) {
		fk->job_status = cr.c.io_status;
		fk->job = cr.c.io_status ? FK_JOB_FAILED : FK_JOB_WRITING;
		fk->job_file = cr.file_id;
		fk->job_cid = fk->job == FK_JOB_FAILED ? 0 : fk->job_cid;
	} else if (fk->job == FK_JOB_WRITING &&
		   !rdpdr_parse_write_rsp(pdu, len, &wr, &err)) {
		for (i = 0; i < wr.length; i++) {
			u8 b = fk_pattern(fk->job_sent + i);

			rdpprn_sha256_update(&fk->job_sha, &b, 1);
		}
		fk->job_sent += wr.length;
		if (wr.c.io_status) {
			fk->job_status = wr.c.io_status;
			fk_send_close(fk);
			return;
		}
	} else if (fk->job == FK_JOB_CLOSING) {
		fk->job = fk->job_status ? FK_JOB_FAILED : FK_JOB_DONE;
		fk->job_cid = 0;
		return;
	}
	if (fk->job != FK_JOB_WRITING)
		return;
	if (fk->job_sent < fk->job_total)
		fk_send_write(fk);
	else
		fk_send_close(fk);
}

static int fk_completion(struct fake_kernel *fk, const u8 *pdu, size_t len,
			 struct rdpprn_nl_res *res)
{
	struct rdpdr_iocompletion c;
	struct rdpdr_err err;

	if (rdpdr_parse_iocompletion(pdu, len, &c, &err))
		return fk_fail(res, err.code, err.reason);
	if (!fk->job_cid || c.completion_id != fk->job_cid)
		return fk_fail(res, -ENOENT, "no pending request with this CompletionId");
	if (c.device_id != fk->job_dev)
		return fk_fail(res, -EINVAL, "DeviceId differs from the request's");
	fk_job_step(fk, pdu, len);
	return 0;
}

static int fk_remove(struct fake_kernel *fk, const u8 *pdu, size_t len,
		     struct rdpprn_nl_res *res)
{
	struct rdpdr_devlist_remove r;
	struct rdpdr_err err;
	u32 i;

	if (rdpdr_parse_devlist_remove(pdu, len, &r, &err))
		return fk_fail(res, err.code, err.reason);
	for (i = 0; i < r.device_count; i++)
		fk_forget(fk, rdpdr_remove_id(&r, i));
	return 0;
}

static int fk_pdu(void *k, u32 sid, const u8 *pdu, size_t len,
		  struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = k;
	struct rdpdr_hdr hdr;
	struct rdpdr_err err;

	memset(res, 0, sizeof(*res));
	fk_append(&fk->rx, pdu, len);
	fk->n_rx++;
	if (!fk->sid || sid != fk->sid)
		return fk_fail(res, -ENOENT, "no such session");
	if (rdpdr_parse_hdr(pdu, len, &hdr, &err) ||
	    !rdpdr_pdu_known(&hdr, true))
		return fk_fail(res, -EPROTO, "not a client-to-server PDU");
	switch (hdr.packet_id) {
	case PAKID_CORE_DEVICELIST_ANNOUNCE:
		return fk_announce(fk, pdu, len, res);
	case PAKID_CORE_DEVICELIST_REMOVE:
		return fk_remove(fk, pdu, len, res);
	case PAKID_CORE_DEVICE_IOCOMPLETION:
		return fk_completion(fk, pdu, len, res);
	default:
		return fk_fail(res, -EOPNOTSUPP, "the helper handles this PDU");
	}
}

const struct rdpprnd_kops fake_kernel_ops = {
	.session_new = fk_session_new,
	.session_del = fk_session_del,
	.pdu = fk_pdu,
};
