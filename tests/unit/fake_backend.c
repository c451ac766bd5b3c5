// SPDX-License-Identifier: GPL-2.0
/*
 * fake_backend.c - rdpprnd's kernel backend for rdpprnd-fake, the daemon
 * built with the fake kernel in place of netlink (tests/unit/
 * rdpprnd-e2e.sh). Everything else - event loop, connections, framing,
 * signals, the session logic - is the production code.
 *
 * Environment:
 *   RDPPRN_FAKE_JOB_BYTES=N   after the first accepted printer, run a
 *                             print job of N pattern bytes on it (in the
 *                             first such session only, unless
 *   RDPPRN_FAKE_JOB_EACH=1    every session runs one)
 *   RDPPRN_FAKE_CHUNK=N       bytes per write request (default 61440)
 *   RDPPRN_FAKE_FLOOD=N       at SESSION_NEW, queue N bytes of PDUs for
 *                             the client (a peer that does not read)
 *   RDPPRN_FAKE_NEW_ERR=N     SESSION_NEW fails with -N
 * The job's result is a line on stderr:
 *   fake-kernel: JOB dev=<id> bytes=<n> sha256=<hex> status=<s>
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "daemon.h"
#include "fake_kernel.h"

static u64 fb_env(const char *name)
{
	const char *v = getenv(name);
	u64 n = 0;

	if (v)
		rdpprn_parse_u64(v, &n);
	return n;
}

static void fb_notify(void *ctx)
{
	struct rdpprnd_conn *c = ctx;
	u64 one = 1;

	if (write(c->nl_w.fd, &one, sizeof(one)) != sizeof(one))
		rdpprn_warn("fake-kernel: eventfd write failed");
}

static void fb_report(struct fake_kernel *fk, const char *status)
{
	char hex[RDPPRN_SHA256_HEX];

	rdpprn_sha256_hex(&fk->job_sha, hex);
	fprintf(stderr, "fake-kernel: JOB dev=%u bytes=%llu sha256=%s status=%s iostatus=0x%08x\n",
		fk->job_dev, (unsigned long long)fk->job_sent, hex, status,
		fk->job_status);
	fk->job = FK_JOB_NONE;
}

static int fb_session_new(void *k, const struct rdpprn_open *o, u32 *sid,
			  struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = k;
	u64 flood = fb_env("RDPPRN_FAKE_FLOOD");
	u8 *pdu;
	int ret;

	fk->new_err = -(int)fb_env("RDPPRN_FAKE_NEW_ERR");
	ret = fake_kernel_ops.session_new(k, o, sid, res);
	if (ret || !flood)
		return ret;
	pdu = rdpprn_xzalloc(RDPDR_WRITE_REQ_FIXED + 61440);
	rdpdr_build_hdr(pdu, RDPDR_HDR_SIZE, RDPDR_CTYP_CORE,
			PAKID_CORE_DEVICE_IOREQUEST);
	for (; flood; flood -= flood < 61440 ? flood : 61440)
		fk_queue(fk, pdu, RDPDR_WRITE_REQ_FIXED + 61440);
	free(pdu);
	return 0;
}

static int fb_session_del(void *k, u32 sid, struct rdpprn_nl_res *res)
{
	return fake_kernel_ops.session_del(k, sid, res);
}

static int fb_pdu(void *k, u32 sid, const u8 *pdu, size_t len,
		  struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = k;
	u64 bytes = fb_env("RDPPRN_FAKE_JOB_BYTES");
	bool each = fb_env("RDPPRN_FAKE_JOB_EACH");
	static bool started;
	int ret;

	ret = fake_kernel_ops.pdu(k, sid, pdu, len, res);
	if (fk->job == FK_JOB_DONE)
		fb_report(fk, "closed");
	else if (fk->job == FK_JOB_FAILED && !fk->job_cid)
		fb_report(fk, "failed");
	/* one job per daemon (or per session): the first printer gets it */
	if (bytes && (each ? !fk->job_started : !started) && fk->n_printers) {
		started = true;
		fk->job_started = true;
		fk_start_job(fk, fk->printers[0], bytes,
			     (u32)fb_env("RDPPRN_FAKE_CHUNK"));
	}
	return ret;
}

static const struct rdpprnd_kops fb_ops = {
	.session_new = fb_session_new,
	.session_del = fb_session_del,
	.pdu = fb_pdu,
};

static int fb_attach(struct rdpprnd_conn *c, struct rdpprn_nl_res *res)
{
	struct fake_kernel *fk = rdpprn_xmalloc(sizeof(*fk));

	fk_init(fk, &c->s);
	c->nl_w.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->nl_w.fd < 0) {
		free(fk);
		res->err = -errno;
		snprintf(res->msg, sizeof(res->msg), "eventfd failed");
		return res->err;
	}
	fk->notify = fb_notify;
	fk->notify_ctx = c;
	c->k = fk;
	return 0;
}

static int fb_recv(struct rdpprnd_conn *c)
{
	u64 n;

	if (read(c->nl_w.fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return -errno;
	fk_deliver(c->k);
	return 0;
}

static void fb_detach(struct rdpprnd_conn *c)
{
	struct fake_kernel *fk = c->k;

	if (fk->job != FK_JOB_NONE)
		fb_report(fk, "aborted");
	fk_free(fk);
	free(fk);
	close(c->nl_w.fd);
	c->k = NULL;
}

const struct rdpprnd_backend rdpprnd_backend = {
	.kops = &fb_ops,
	.attach = fb_attach,
	.recv = fb_recv,
	.detach = fb_detach,
	.monitor = false,
};
