/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_kernel.h - a stand-in for rdpprn.ko behind rdpprnd's kernel
 * operations (struct rdpprnd_kops), for tests on machines where the module
 * cannot be loaded.
 *
 * It keeps the contract of Documentation/netlink.rst that rdpprnd relies
 * on: SESSION_NEW hands out ids; a Client Device List Announce is answered
 * with one Server Device Announce Response per printer entry before the
 * request returns (or refused as a whole with an errno); a Device I/O
 * Response must match a pending CompletionId (-ENOENT otherwise). It
 * records every PDU rdpprnd forwards, and can run one print job (create,
 * writes of a deterministic byte pattern, close) whose requests are
 * queued and delivered when the test (or the event loop) asks.
 */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include "rdpprn_sha256.h"
#include "rdpprnd.h"

#define FK_MAX_PRINTERS		64

struct fk_pdu {
	struct fk_pdu *next;
	size_t len;
	u8 data[];
};

enum fk_job_state {
	FK_JOB_NONE,
	FK_JOB_CREATING,
	FK_JOB_WRITING,
	FK_JOB_CLOSING,
	FK_JOB_DONE,
	FK_JOB_FAILED,
};

/**
 * struct fake_kernel - one fake session owner socket
 * @s: the session PDUs are delivered to
 * @sid: the session id, 0 when there is none
 * @next_sid: id of the next session
 * @sessions_new: SESSION_NEW calls
 * @client_addr: the client address of the last SESSION_NEW
 * @sessions_del: SESSION_DEL calls
 * @new_err: make SESSION_NEW fail with this errno
 * @announce_err: refuse the next announces as a whole with this errno
 * @printer_status: ResultCode for every accepted printer
 * @rx: PDUs rdpprnd forwarded, oldest first
 * @n_rx: how many
 * @tx: PDUs waiting to go to the session (fk_deliver())
 * @printers: live printers
 * @n_printers: how many
 * @job: the print job's state (&enum fk_job_state)
 * @job_started: a job was started in this session (RDPPRN_FAKE_JOB_EACH)
 * @job_dev: its DeviceId
 * @job_file: its FileId
 * @job_cid: CompletionId of its pending request, or 0
 * @job_total: bytes it sends
 * @job_sent: bytes the client acknowledged
 * @job_chunk: bytes per write request
 * @job_status: the failing IoStatus, if any
 * @job_sha: hash of the bytes acknowledged
 * @notify: called when something was queued on @tx (the event loop)
 * @notify_ctx: its argument
 */
struct fake_kernel {
	struct rdpprnd_session *s;
	u32 sid;
	u32 next_sid;
	unsigned int sessions_new;
	char client_addr[RDPPRN_CLIENT_ADDR_MAX];
	unsigned int sessions_del;
	int new_err;
	int announce_err;
	u32 printer_status;
	struct fk_pdu *rx;
	unsigned int n_rx;
	struct fk_pdu *tx;
	u32 printers[FK_MAX_PRINTERS];
	unsigned int n_printers;
	enum fk_job_state job;
	bool job_started;
	u32 job_dev;
	u32 job_file;
	u32 job_cid;
	u64 job_total;
	u64 job_sent;
	u32 job_chunk;
	u32 job_status;
	struct rdpprn_sha256 job_sha;
	void (*notify)(void *ctx);
	void *notify_ctx;
};

extern const struct rdpprnd_kops fake_kernel_ops;

void fk_init(struct fake_kernel *fk, struct rdpprnd_session *s);
void fk_free(struct fake_kernel *fk);
/* The @i-th PDU forwarded (0: oldest), NULL if none. */
const struct fk_pdu *fk_rx(const struct fake_kernel *fk, unsigned int i);
/* Deliver what is queued to the session; returns how many PDUs. */
unsigned int fk_deliver(struct fake_kernel *fk);
/* Queue a kernel-to-client PDU. */
void fk_queue(struct fake_kernel *fk, const u8 *pdu, size_t len);
/* Start the print job: IRP_MJ_CREATE to @dev, then @total bytes. */
void fk_start_job(struct fake_kernel *fk, u32 dev, u64 total, u32 chunk);
/* Byte @i of every job's data */
static inline u8 fk_pattern(u64 i)
{
	return (u8)(i * 131 + (i >> 8) + 7);
}

#endif /* FAKE_KERNEL_H */
