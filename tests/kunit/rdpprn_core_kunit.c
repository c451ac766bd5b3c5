// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the module's own logic: the ring, NTSTATUS mapping,
 * name sanitizing, and sessions driven through rdpprn_session_rx_pdu()
 * with a transport that captures what the module sends to the client.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/net_namespace.h>

#include "rdpprn.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* ---- ring ----------------------------------------------------------------- */

static void rdpprn_ring_wrap_test(struct kunit *test)
{
	u8 *in = kunit_kmalloc(test, 3000, GFP_KERNEL);
	u8 *out = kunit_kmalloc(test, 3000, GFP_KERNEL);
	struct rdpprn_ring r;
	size_t len, i;
	u64 pos;

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < 3000; i++)
		in[i] = i * 7;
	KUNIT_ASSERT_EQ(test, rdpprn_ring_init(&r, 4096), 0);
	KUNIT_EXPECT_EQ(test, r.size, (size_t)4096);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_space(&r), (size_t)4096);

	/* Move the counters so the next copy wraps around the end. */
	rdpprn_ring_copy_in(&r, r.head, in, 3000);
	rdpprn_ring_produce(&r, 3000);
	pos = rdpprn_ring_take(&r, 4096, &len);
	KUNIT_EXPECT_EQ(test, len, (size_t)3000);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_ack(&r, 3000), 0);

	rdpprn_ring_copy_in(&r, r.head, in, 3000);
	rdpprn_ring_produce(&r, 3000);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_space(&r), (size_t)1096);
	pos = rdpprn_ring_take(&r, 4096, &len);
	KUNIT_EXPECT_EQ(test, pos, (u64)3000);
	rdpprn_ring_copy_out(&r, pos, out, len);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 3000), 0);
	rdpprn_ring_free(&r);
}

static void rdpprn_ring_partial_ack_test(struct kunit *test)
{
	struct rdpprn_ring r;
	size_t len;
	u64 pos;

	KUNIT_ASSERT_EQ(test, rdpprn_ring_init(&r, 4096), 0);
	rdpprn_ring_produce(&r, 1000);
	pos = rdpprn_ring_take(&r, 600, &len);
	KUNIT_EXPECT_EQ(test, pos, (u64)0);
	KUNIT_EXPECT_EQ(test, len, (size_t)600);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_unsent(&r), (size_t)400);

	/* The client took 200 of 600: the other 400 go out again. */
	KUNIT_EXPECT_EQ(test, rdpprn_ring_ack(&r, 200), 0);
	rdpprn_ring_rewind(&r);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_unsent(&r), (size_t)800);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_unacked(&r), (size_t)800);
	pos = rdpprn_ring_take(&r, 600, &len);
	KUNIT_EXPECT_EQ(test, pos, (u64)200);

	/* Acknowledging more than was sent is refused and changes nothing. */
	KUNIT_EXPECT_EQ(test, rdpprn_ring_ack(&r, 601), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.tail, (u64)200);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_ack(&r, 600), 0);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_unacked(&r), (size_t)200);
	rdpprn_ring_free(&r);
}

static void rdpprn_ring_segs_test(struct kunit *test)
{
	struct rdpprn_ring r;
	struct kvec seg[2];

	KUNIT_ASSERT_EQ(test, rdpprn_ring_init(&r, 4096), 0);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_segs(&r, 4000, 0, seg), 0U);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_segs(&r, 4000, 96, seg), 1U);
	KUNIT_EXPECT_EQ(test, rdpprn_ring_segs(&r, 4000, 97, seg), 2U);
	KUNIT_EXPECT_EQ(test, seg[0].iov_len, (size_t)96);
	KUNIT_EXPECT_EQ(test, seg[1].iov_len, (size_t)1);
	KUNIT_EXPECT_PTR_EQ(test, seg[1].iov_base, (void *)r.buf);
	/* Positions past the first lap map to the same bytes. */
	KUNIT_EXPECT_EQ(test, rdpprn_ring_segs(&r, 4096 * 3 + 10, 5, seg), 1U);
	KUNIT_EXPECT_PTR_EQ(test, seg[0].iov_base, (void *)(r.buf + 10));
	rdpprn_ring_free(&r);
}

/* ---- NTSTATUS, names ---------------------------------------------------------- */

static void rdpprn_ntstatus_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_SUCCESS), 0);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_PRINT_QUEUE_FULL),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_NO_SUCH_DEVICE),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_ACCESS_DENIED),
			-EACCES);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_NO_SPOOL_SPACE),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_CANCELLED),
			-ECANCELED);
	/* Warnings are failures for a print job, unknown values too. */
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(STATUS_DEVICE_OFF_LINE),
			-EIO);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(0x40000000), -EIO);
	KUNIT_EXPECT_EQ(test, rdpprn_ntstatus_to_errno(0xC0FFEE00), -EIO);
	KUNIT_EXPECT_STREQ(test, rdpprn_ntstatus_name(STATUS_PRINT_QUEUE_FULL),
			   "STATUS_PRINT_QUEUE_FULL");
}

static void rdpprn_sanitize_test(struct kunit *test)
{
	char out[16];

	rdpprn_sanitize_name("HP LaserJet 4/5", out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "HP_LaserJet_4_5");
	rdpprn_sanitize_name("../../etc", out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "_._.._etc");
	rdpprn_sanitize_name("", out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "printer");
	rdpprn_sanitize_name("a\nb\tc\x7f", out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "a_b_c_");
	/* UTF-8 is not letters to the kernel's ctype: Latin-1 would be. */
	rdpprn_sanitize_name("Dru\xc3\xa7ker", out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "Dru_ker");
	KUNIT_EXPECT_EQ(test,
			rdpprn_sanitize_name("0123456789abcdefghij", out,
					     sizeof(out)), (size_t)15);
}

/* ---- sessions with a capturing transport ----------------------------------------- */

#define CAP_MAX 32

struct rdpprn_capture {
	spinlock_t lock;	/* protects the captured PDUs and the faults */
	wait_queue_head_t wq;
	u8 *pdu[CAP_MAX];
	size_t len[CAP_MAX];
	bool from_work[CAP_MAX];	/* sent by a workqueue worker */
	unsigned int n;
	bool no_room;		/* the room op says no */
	int fail_err;		/* what a failing send returns */
	int fail_count;		/* sends still to fail; < 0: all */
	unsigned int failed;	/* sends failed so far */
};

static int rdpprn_cap_send(struct rdpprn_session *s, const struct kvec *iov,
			   unsigned int n)
{
	struct rdpprn_capture *cap = s->priv;
	size_t len = 0, off = 0;
	unsigned int i;
	u8 *p;

	spin_lock(&cap->lock);
	if (cap->fail_count) {
		if (cap->fail_count > 0)
			cap->fail_count--;
		cap->failed++;
		spin_unlock(&cap->lock);
		return cap->fail_err;
	}
	spin_unlock(&cap->lock);

	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	p = kmalloc(len, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		memcpy(p + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	spin_lock(&cap->lock);
	if (cap->n == CAP_MAX) {
		spin_unlock(&cap->lock);
		kfree(p);
		return -ENOBUFS;
	}
	cap->pdu[cap->n] = p;
	cap->from_work[cap->n] = !!current_work();
	cap->len[cap->n++] = len;
	spin_unlock(&cap->lock);
	wake_up_all(&cap->wq);
	return 0;
}

static bool rdpprn_cap_room(struct rdpprn_session *s, size_t len)
{
	struct rdpprn_capture *cap = s->priv;

	return !READ_ONCE(cap->no_room);
}

static const struct rdpprn_transport rdpprn_cap_transport = {
	.send = rdpprn_cap_send,
	.room = rdpprn_cap_room,
};

struct rdpprn_fixture {
	struct rdpprn_capture cap;
	struct rdpprn_session *s;
	/* module parameters a test changed, restored by the suite's exit */
	unsigned int io_timeout, max_orphans, max_printers, max_user_printers;
};

/* The next @count sends fail with @err (@count < 0: every one). */
static void rdpprn_cap_fail(struct rdpprn_fixture *f, int err, int count)
{
	spin_lock(&f->cap.lock);
	f->cap.fail_err = err;
	f->cap.fail_count = count;
	spin_unlock(&f->cap.lock);
}

static int rdpprn_session_suite_init(struct kunit *test)
{
	struct rdpprn_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->cap.lock);
	init_waitqueue_head(&f->cap.wq);
	/*
	 * A port id no socket can have (above pid_max, below the autobind
	 * range), so no socket's release ends the test's session.
	 */
	f->s = rdpprn_session_new(&init_net, NULL, 0x7fffff00, GLOBAL_ROOT_UID,
				  GLOBAL_ROOT_GID, "KUNIT", "192.0.2.7",
				  &rdpprn_cap_transport, NULL);
	if (IS_ERR(f->s))
		return PTR_ERR(f->s);
	f->s->priv = &f->cap;
	f->io_timeout = rdpprn_io_timeout;
	f->max_orphans = rdpprn_max_orphans;
	f->max_printers = rdpprn_max_printers;
	f->max_user_printers = rdpprn_max_user_printers;
	test->priv = f;
	return 0;
}

static void rdpprn_session_suite_exit(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	unsigned int i;

	rdpprn_cap_fail(f, 0, 0);
	rdpprn_session_end(f->s);
	/* Jobs released without a flush end in rdpprn_wq. */
	flush_workqueue(rdpprn_wq);
	rdpprn_session_put(f->s);
	for (i = 0; i < f->cap.n; i++)
		kfree(f->cap.pdu[i]);
	rdpprn_io_timeout = f->io_timeout;
	rdpprn_max_orphans = f->max_orphans;
	rdpprn_max_printers = f->max_printers;
	rdpprn_max_user_printers = f->max_user_printers;
}

/* Wait for the @idx-th captured PDU; NULL after two seconds. */
static const u8 *rdpprn_cap_wait(struct rdpprn_fixture *f, unsigned int idx,
				 size_t *len)
{
	if (!wait_event_timeout(f->cap.wq, READ_ONCE(f->cap.n) > idx, 2 * HZ))
		return NULL;
	*len = f->cap.len[idx];
	return f->cap.pdu[idx];
}

/* A printer entry; @data_len 0 asks for well-formed printer data. */
static size_t rdpprn_put_printer(u8 *buf, size_t cap, u32 id, const char *dos,
				 const char *name, u32 flags)
{
	struct rdpdr_printer p = { .flags = flags };
	struct rdpdr_device d = { .device_type = RDPDR_DTYP_PRINT,
				  .device_id = id };
	static u8 name16[128], data[512];
	int n;

	n = rdpdr_utf8_to_utf16(name, strlen(name), name16, sizeof(name16));
	p.printer_name.data = name16;
	p.printer_name.len = n;
	p.printer_name.unicode = true;
	p.driver_name = p.printer_name;
	n = rdpdr_build_printer_data(data, sizeof(data), &p);
	d.data = data;
	d.data_len = n;
	strscpy(d.dos_name, dos, sizeof(d.dos_name));
	return rdpdr_build_devlist(buf, cap, &d, 1);
}

/* PDU buffers live on the heap: KASAN makes stack frames large. */
#define RDPPRN_KBUF 512

static u8 *rdpprn_kbuf(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, RDPPRN_KBUF, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static int rdpprn_rx(struct rdpprn_fixture *f, const u8 *pdu, size_t len)
{
	return rdpprn_session_rx_pdu(f->s, pdu, len, NULL);
}

static void rdpprn_expect_reply(struct kunit *test, struct rdpprn_fixture *f,
				unsigned int idx, u32 id, u32 status)
{
	struct rdpdr_device_reply r;
	struct rdpdr_err err;
	const u8 *pdu;
	size_t len;

	pdu = rdpprn_cap_wait(f, idx, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_device_reply(pdu, len, &r, &err), 0);
	KUNIT_EXPECT_EQ(test, r.device_id, id);
	KUNIT_EXPECT_EQ(test, r.result_code, status);
}

static void rdpprn_announce_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_device *pdev;
	u8 *buf = rdpprn_kbuf(test);
	size_t len;
	u8 rm[12];

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 7, "PRN7", "Kunit Printer",
				 RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, 0, 7, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 1U);
	pdev = xa_load(&f->s->devices, 7);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_EXPECT_STREQ(test, pdev->printer_name, "Kunit Printer");
	KUNIT_EXPECT_STREQ(test, pdev->dos_name, "PRN7");

	/* The same DeviceId again replaces the printer. */
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, 1, 7, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 1U);

	KUNIT_ASSERT_EQ(test, rdpdr_build_devlist_remove(rm, sizeof(rm),
							 (u32[]){ 7 }, 1), 12);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, rm, sizeof(rm)), 0);
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 0U);
	KUNIT_EXPECT_NULL(test, xa_load(&f->s->devices, 7));
	/* Unknown ids in a remove are ignored. */
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, rm, sizeof(rm)), 0);
}

static void rdpprn_announce_bad_entries_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	unsigned int saved = rdpprn_max_printers;
	u8 *buf = rdpprn_kbuf(test);
	size_t len;

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 1, "PR<1", "Bad Dos", 0);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, 0, 1, STATUS_ACCESS_DENIED);

	/* Printer data shorter than its fixed 24 bytes. */
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 2, "PRN2", "Short", 0);
	buf[8 + 16] = 20;
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, 8 + 20 + 20), 0);
	rdpprn_expect_reply(test, f, 1, 2, STATUS_INVALID_PARAMETER);

	/* Beyond the per-session limit. */
	rdpprn_max_printers = 1;
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 3, "PRN3", "One", 0);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), 0);
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 4, "PRN4", "Two", 0);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_max_printers = saved;
	rdpprn_expect_reply(test, f, 2, 3, STATUS_SUCCESS);
	rdpprn_expect_reply(test, f, 3, 4, STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 1U);
}

static void rdpprn_announce_refused_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpdr_device d[2] = {
		{ .device_type = RDPDR_DTYP_SERIAL, .device_id = 9,
		  .dos_name = "COM1" },
		{ .device_type = RDPDR_DTYP_PARALLEL, .device_id = 9,
		  .dos_name = "LPT1" },
	};
	u8 *buf = rdpprn_kbuf(test);
	int len;

	/* Duplicate DeviceIds inside one PDU refuse the PDU as a whole. */
	len = rdpdr_build_devlist(buf, RDPPRN_KBUF, d, 2);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), -EINVAL);

	/* Truncated: the entry's DeviceDataLength runs past the end. */
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 5, "PRN5", "T", 0);
	KUNIT_EXPECT_LT(test, rdpprn_rx(f, buf, len - 1), 0);

	/* Only non-printers: accepted, and left to the helper to answer. */
	d[1].device_id = 10;
	len = rdpdr_build_devlist(buf, RDPPRN_KBUF, d, 2);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), 0);
	KUNIT_EXPECT_EQ(test, f->cap.n, 0U);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->s->errors), 2LL);
}

/* ---- a job, the client played by the test ---------------------------------------- */

struct rdpprn_opener {
	u32 flags;		/* announce flags of rdpprn_add_printer() */
	struct rdpprn_device *pdev;
	struct rdpprn_job *job;
	struct completion done;
	int ret;
};

static int rdpprn_opener_fn(void *data)
{
	struct rdpprn_opener *o = data;

	o->job = rdpprn_job_open(o->pdev, false);
	complete(&o->done);
	return 0;
}

static int rdpprn_closer_fn(void *data)
{
	struct rdpprn_opener *o = data;

	rdpprn_job_release(o->job);
	complete(&o->done);
	return 0;
}

/* What close() does: ->flush drains and commits the job. */
static int rdpprn_flusher_fn(void *data)
{
	struct rdpprn_opener *o = data;

	o->ret = rdpprn_job_drain(o->job, TASK_KILLABLE);
	if (!o->ret)
		o->ret = rdpprn_job_close(o->job, TASK_KILLABLE);
	else
		rdpprn_job_close(o->job, TASK_KILLABLE);
	complete(&o->done);
	return 0;
}

static void rdpprn_run(struct kunit *test, struct rdpprn_opener *o,
		       int (*fn)(void *data))
{
	reinit_completion(&o->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(fn, o, "rdpprn-kunit")));
}

static void rdpprn_answer(struct kunit *test, struct rdpprn_fixture *f,
			  const u8 *req_pdu, size_t req_len, u32 status,
			  u32 value, int expect)
{
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	u8 rsp[24];
	int len;

	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(req_pdu, req_len, &io, &err),
			0);
	if (io.major_function == IRP_MJ_CREATE) {
		struct rdpdr_create_rsp r = { .file_id = value };

		r.c.device_id = io.device_id;
		r.c.completion_id = io.completion_id;
		r.c.io_status = status;
		len = rdpdr_build_create_rsp(rsp, sizeof(rsp), &r);
	} else if (io.major_function == IRP_MJ_WRITE) {
		struct rdpdr_write_rsp r = { .length = value };

		r.c.device_id = io.device_id;
		r.c.completion_id = io.completion_id;
		r.c.io_status = status;
		len = rdpdr_build_write_rsp(rsp, sizeof(rsp), &r);
	} else {
		struct rdpdr_close_rsp r = { .padding_len = 4 };

		r.c.device_id = io.device_id;
		r.c.completion_id = io.completion_id;
		r.c.io_status = status;
		len = rdpdr_build_close_rsp(rsp, sizeof(rsp), &r);
	}
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, rsp, len), expect);
}

static ssize_t rdpprn_kwrite(struct rdpprn_job *job, const void *buf,
			     size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, len);
	return rdpprn_job_write(job, &it, true);
}

static void rdpprn_job_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	struct rdpdr_write_req wr;
	struct rdpdr_err err;
	const u8 *pdu;
	u8 data[100], *buf = rdpprn_kbuf(test);
	size_t len;
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i;
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 2, "PRN2", "Job", 0);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	o.pdev = xa_load(&f->s->devices, 2);
	KUNIT_ASSERT_NOT_NULL(test, o.pdev);

	init_completion(&o.done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(rdpprn_opener_fn, &o,
						    "rdpprn-kunit-open")));
	pdu = rdpprn_cap_wait(f, 1, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, len, (size_t)RDPDR_CREATE_REQ_FIXED);
	/* A completion for another device does not match. */
	pdu = f->cap.pdu[1];
	((u8 *)pdu)[4] = 3;
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, -EINVAL);
	((u8 *)pdu)[4] = 2;
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0x77, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	/* Answered already: the same CompletionId is no longer pending. */
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0x77, -ENOENT);

	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, sizeof(data)),
			(ssize_t)sizeof(data));
	pdu = rdpprn_cap_wait(f, 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_write_req(pdu, len, &wr, &err), 0);
	KUNIT_EXPECT_EQ(test, wr.io.file_id, 0x77U);
	KUNIT_EXPECT_EQ(test, wr.length, 100U);
	KUNIT_EXPECT_EQ(test, memcmp(wr.data, data, 100), 0);

	/* Short answer: the remaining 60 bytes are sent again. */
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 40, 0);
	pdu = rdpprn_cap_wait(f, 3, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_write_req(pdu, len, &wr, &err), 0);
	KUNIT_EXPECT_EQ(test, wr.length, 60U);
	KUNIT_EXPECT_EQ(test, wr.offset, 40ULL);
	KUNIT_EXPECT_EQ(test, memcmp(wr.data, data + 40, 60), 0);

	/* More than requested is a protocol error that fails the job. */
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 61, -EINVAL);
	KUNIT_EXPECT_EQ(test, o.job->error, -EIO);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, 1), (ssize_t)-EIO);
	KUNIT_EXPECT_EQ(test, rdpprn_job_drain(o.job, TASK_INTERRUPTIBLE), -EIO);

	/* Release closes the FileId and waits for the answer. */
	reinit_completion(&o.done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(rdpprn_closer_fn, &o,
						    "rdpprn-kunit-close")));
	pdu = rdpprn_cap_wait(f, 4, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, len, (size_t)RDPDR_CLOSE_REQ_SIZE);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
}

/*
 * Announce printer @id, open a job on it in a kthread and answer its
 * create with @status; the opener's result is in @o->job.
 */
static void rdpprn_add_printer(struct kunit *test, struct rdpprn_fixture *f,
			       struct rdpprn_opener *o, u32 id)
{
	u8 *buf = rdpprn_kbuf(test);
	size_t len;

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, id, "PRN1", "Job", o->flags);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	o->pdev = xa_load(&f->s->devices, id);
	KUNIT_ASSERT_NOT_NULL(test, o->pdev);
	init_completion(&o->done);
}

static void rdpprn_start_job(struct kunit *test, struct rdpprn_fixture *f,
			     struct rdpprn_opener *o, u32 id, u32 status)
{
	unsigned int idx;
	const u8 *pdu;
	size_t len;

	rdpprn_add_printer(test, f, o, id);
	/* The announce's reply was captured during rx: the create is next. */
	idx = READ_ONCE(f->cap.n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(rdpprn_opener_fn, o,
						    "rdpprn-kunit-open")));
	pdu = rdpprn_cap_wait(f, idx, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	rdpprn_answer(test, f, pdu, len, status, 1, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o->done, 2 * HZ));
}

static void rdpprn_job_refused_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};

	rdpprn_start_job(test, f, &o, 5, STATUS_PRINT_QUEUE_FULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -EBUSY);
	/* No FileId: nothing is closed. */
	msleep(50);
	KUNIT_EXPECT_EQ(test, f->cap.n, 2U);
}

static void rdpprn_job_device_gone_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	u8 rm[12];

	rdpprn_start_job(test, f, &o, 6, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));

	/* The client removes the printer while the job is open. */
	KUNIT_ASSERT_EQ(test, rdpdr_build_devlist_remove(rm, sizeof(rm),
							 (u32[]){ 6 }, 1), 12);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, rm, sizeof(rm)), 0);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, rm, sizeof(rm)),
			(ssize_t)-ENODEV);
	KUNIT_EXPECT_EQ(test, rdpprn_job_drain(o.job, TASK_INTERRUPTIBLE), -ENODEV);
	KUNIT_EXPECT_EQ(test, rdpprn_job_poll_mask(o.job),
			(__poll_t)(EPOLLERR | EPOLLHUP));
	/* Release sends nothing: the client no longer knows the device. */
	rdpprn_job_release(o.job);
	KUNIT_EXPECT_EQ(test, f->cap.n, 2U);
}

/* ---- the outcome of a job is told truthfully ------------------------------------ */

/* A close the helper has no room for is sent again, and close() waits. */
static void rdpprn_close_retry_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	const u8 *pdu;
	size_t len;

	rdpprn_start_job(test, f, &o, 3, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	rdpprn_cap_fail(f, -ENOBUFS, 5);
	rdpprn_run(test, &o, rdpprn_flusher_fn);
	pdu = rdpprn_cap_wait(f, 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, len, (size_t)RDPDR_CLOSE_REQ_SIZE);
	KUNIT_EXPECT_EQ(test, f->cap.failed, 5U);
	/* close() waits for the client's answer before it reports. */
	KUNIT_EXPECT_FALSE(test, completion_done(&o.done));
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, o.ret, 0);
	rdpprn_job_release(o.job);
	KUNIT_EXPECT_EQ(test, atomic64_read(&o.pdev->incomplete), 0LL);
}

/* A close that never gets out fails the job; it is never "printed". */
static void rdpprn_close_unsendable_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};

	rdpprn_io_timeout = 1;
	rdpprn_start_job(test, f, &o, 4, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	rdpprn_cap_fail(f, -ENOBUFS, -1);
	rdpprn_run(test, &o, rdpprn_flusher_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 6 * HZ));
	KUNIT_EXPECT_EQ(test, o.ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->cap.n, 2U);
	rdpprn_job_release(o.job);
	KUNIT_EXPECT_EQ(test, atomic64_read(&o.pdev->incomplete), 1LL);

	/* The owner socket closing: final at once, and a documented errno. */
	rdpprn_cap_fail(f, 0, 0);
	rdpprn_start_job(test, f, &o, 5, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	rdpprn_cap_fail(f, -ECONNREFUSED, -1);
	rdpprn_run(test, &o, rdpprn_flusher_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, o.ret, -ENODEV);
	rdpprn_job_release(o.job);
}

/* A create that cannot be sent: ETIMEDOUT or ENODEV, nothing else. */
static void rdpprn_create_unsendable_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};

	rdpprn_io_timeout = 1;
	rdpprn_add_printer(test, f, &o, 9);

	rdpprn_cap_fail(f, -EAGAIN, -1);
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 6 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -ETIMEDOUT);
	KUNIT_EXPECT_GT(test, f->cap.failed, 10U);

	rdpprn_cap_fail(f, -ECONNREFUSED, -1);
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -ENODEV);
	KUNIT_EXPECT_EQ(test, f->cap.n, 1U);
	KUNIT_EXPECT_EQ(test, f->s->nr_orphans, 0U);
}

/* An announce whose answer cannot be sent creates nothing and says so. */
static void rdpprn_announce_reply_unsendable_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	u8 *buf = rdpprn_kbuf(test);
	size_t len;

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 8, "PRN8", "Eight", 0);
	rdpprn_cap_fail(f, -ENOBUFS, 1);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), -ENOBUFS);
	KUNIT_EXPECT_NULL(test, xa_load(&f->s->devices, 8));
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 0U);
	KUNIT_EXPECT_EQ(test, f->s->nr_devices, 0U);
	/* The helper announces it again. */
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, 0, 8, STATUS_SUCCESS);
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&f->s->devices, 8));
}

/* A helper that stops reading: the job fails after io_timeout. */
static void rdpprn_write_stall_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	u8 data[100] = {};

	rdpprn_io_timeout = 1;
	rdpprn_start_job(test, f, &o, 10, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	rdpprn_cap_fail(f, -ENOBUFS, -1);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, sizeof(data)),
			(ssize_t)sizeof(data));
	rdpprn_run(test, &o, rdpprn_flusher_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 8 * HZ));
	KUNIT_EXPECT_EQ(test, o.ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->cap.n, 2U);
	rdpprn_cap_fail(f, 0, 0);
	rdpprn_job_release(o.job);
	KUNIT_EXPECT_EQ(test, atomic64_read(&o.pdev->incomplete), 1LL);
}

/* Check that @pdu is the write of @data's [@off, @off + @n). */
static void rdpprn_expect_write(struct kunit *test, const u8 *pdu, size_t len,
				const u8 *data, u64 off, u32 n)
{
	struct rdpdr_write_req wr;
	struct rdpdr_err err;

	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_write_req(pdu, len, &wr, &err), 0);
	KUNIT_EXPECT_EQ(test, wr.offset, off);
	KUNIT_ASSERT_EQ(test, wr.length, n);
	KUNIT_EXPECT_EQ(test, memcmp(wr.data, data + off, n), 0);
}

/*
 * The next chunk leaves from the answer to the previous one: it is
 * captured before the answer's rx returns, with no worker in between. A
 * helper socket without room then is retried by the transmit work, and
 * one too full for the ACK of the answer in hand gets the next write from
 * the transmit work, after the ACK.
 */
static void rdpprn_write_chain_test(struct kunit *test)
{
	const u32 chunk = READ_ONCE(rdpprn_chunk_size), size = 3 * chunk + 100;
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	unsigned int i, n;
	const u8 *pdu;
	size_t len;
	u8 *data;

	data = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	for (i = 0; i < size; i++)
		data[i] = (u8)(i * 13);
	rdpprn_start_job(test, f, &o, 11, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	n = READ_ONCE(f->cap.n);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, size), (ssize_t)size);
	pdu = rdpprn_cap_wait(f, n, &len);
	rdpprn_expect_write(test, pdu, len, data, 0, chunk);

	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, chunk, 0);
	KUNIT_ASSERT_EQ(test, READ_ONCE(f->cap.n), n + 2);
	KUNIT_EXPECT_FALSE(test, f->cap.from_work[n + 1]);
	pdu = f->cap.pdu[n + 1];
	len = f->cap.len[n + 1];
	rdpprn_expect_write(test, pdu, len, data, chunk, chunk);

	rdpprn_cap_fail(f, -ENOBUFS, 1);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, chunk, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), n + 2);
	pdu = rdpprn_cap_wait(f, n + 2, &len);
	rdpprn_expect_write(test, pdu, len, data, 2 * chunk, chunk);

	WRITE_ONCE(f->cap.no_room, true);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, chunk, 0);
	pdu = rdpprn_cap_wait(f, n + 3, &len);
	WRITE_ONCE(f->cap.no_room, false);
	KUNIT_EXPECT_TRUE(test, f->cap.from_work[n + 3]);
	rdpprn_expect_write(test, pdu, len, data, 3 * chunk, 100);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 100, 0);

	rdpprn_run(test, &o, rdpprn_flusher_fn);
	pdu = rdpprn_cap_wait(f, n + 4, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, len, (size_t)RDPDR_CLOSE_REQ_SIZE);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, o.ret, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&o.pdev->bytes), (s64)size);
	rdpprn_job_release(o.job);
}

/* Release @o's job: its close request goes out and is answered. */
static void rdpprn_end_job(struct kunit *test, struct rdpprn_fixture *f,
			   struct rdpprn_opener *o)
{
	unsigned int n = READ_ONCE(f->cap.n);
	const u8 *pdu;
	size_t len;

	reinit_completion(&o->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(rdpprn_closer_fn, o,
						    "rdpprn-kunit-close")));
	pdu = rdpprn_cap_wait(f, n, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_EXPECT_EQ(test, len, (size_t)RDPDR_CLOSE_REQ_SIZE);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&o->done, 2 * HZ));
}

/*
 * XPS: DR_PRN_USING_XPS goes out once, before the job's first write
 * request; the format is fixed from the first write() on, and only a
 * printer announced with XPSFORMAT takes XPS.
 */
static void rdpprn_xps_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = { .flags = RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT };
	struct rdpprn_opener plain = {};
	struct rdpdr_using_xps x;
	struct rdpdr_write_req wr;
	struct rdpdr_err err;
	static const u8 data[] = "<xps/>";
	const u8 *pdu;
	unsigned int n;
	size_t len;

	rdpprn_start_job(test, f, &o, 12, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(o.job, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(o.job, RDPPRN_FORMAT_XPS),
			0);
	n = READ_ONCE(f->cap.n);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, sizeof(data)),
			(ssize_t)sizeof(data));
	pdu = rdpprn_cap_wait(f, n, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_using_xps(pdu, len, &x, &err), 0);
	KUNIT_EXPECT_EQ(test, x.printer_id, 12U);
	pdu = rdpprn_cap_wait(f, n + 1, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_write_req(pdu, len, &wr, &err), 0);
	KUNIT_EXPECT_EQ(test, wr.length, (u32)sizeof(data));

	/* Too late: data went out in the format already chosen. */
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(o.job,
						    RDPPRN_FORMAT_NATIVE),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(o.job, RDPPRN_FORMAT_XPS),
			-EBUSY);

	/* Later chunks come without another USING_XPS. */
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 2, 0);
	pdu = rdpprn_cap_wait(f, n + 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_write_req(pdu, len, &wr, &err), 0);
	KUNIT_EXPECT_EQ(test, wr.length, (u32)sizeof(data) - 2);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, sizeof(data) - 2, 0);
	KUNIT_EXPECT_EQ(test, rdpprn_job_drain(o.job, TASK_INTERRUPTIBLE), 0);

	rdpprn_end_job(test, f, &o);

	/* A printer without XPSFORMAT refuses XPS, and keeps its job. */
	rdpprn_start_job(test, f, &plain, 13, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(plain.job));
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(plain.job,
						    RDPPRN_FORMAT_XPS),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, rdpprn_job_set_format(plain.job,
						    RDPPRN_FORMAT_NATIVE), 0);
	KUNIT_EXPECT_EQ(test, plain.job->error, 0);
	rdpprn_end_job(test, f, &plain);
}

/* Orphans: at most max_orphans, forgotten after io_timeout. */
static void rdpprn_orphan_limit_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	const u8 *pdu;
	size_t len;

	rdpprn_io_timeout = 1;
	rdpprn_max_orphans = 1;
	rdpprn_add_printer(test, f, &o, 11);

	/* The client never answers: the create is left as an orphan. */
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 6 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->s->nr_orphans, 1U);

	/* At the limit a new job is refused before anything is sent. */
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -EBUSY);
	KUNIT_EXPECT_EQ(test, f->cap.n, 2U);

	/* io_timeout later the orphan is forgotten; its answer no longer fits. */
	msleep(2500);
	KUNIT_EXPECT_EQ(test, f->s->nr_orphans, 0U);
	pdu = rdpprn_cap_wait(f, 1, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 1, -ENOENT);
}

/* A late create's FileId is closed even when the helper is full then. */
static void rdpprn_orphan_close_retry_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	const u8 *pdu;
	size_t len;

	rdpprn_io_timeout = 1;
	rdpprn_add_printer(test, f, &o, 12);
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 6 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -ETIMEDOUT);

	rdpprn_cap_fail(f, -ENOBUFS, 3);
	pdu = rdpprn_cap_wait(f, 1, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0x55, 0);
	pdu = rdpprn_cap_wait(f, 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
	KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CLOSE);
	KUNIT_EXPECT_EQ(test, io.file_id, 0x55U);
	KUNIT_EXPECT_EQ(test, f->cap.failed, 3U);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_EXPECT_EQ(test, f->s->nr_orphans, 0U);
}

/* ---- devices: replaced, counted, numbered ------------------------------------------ */

/* A printer's DeviceId announced as a drive: the printer is gone. */
static void rdpprn_reannounce_other_type_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpdr_device d = { .device_type = RDPDR_DTYP_FILESYSTEM,
				  .device_id = 13, .dos_name = "C:" };
	struct rdpprn_opener o = {};
	u8 *buf = rdpprn_kbuf(test);
	int len;

	rdpprn_start_job(test, f, &o, 13, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	len = rdpdr_build_devlist(buf, RDPPRN_KBUF, &d, 1);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, rdpprn_rx(f, buf, len), 0);
	KUNIT_EXPECT_NULL(test, xa_load(&f->s->devices, 13));
	KUNIT_EXPECT_EQ(test, f->s->nr_printers, 0U);
	KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, buf, 1), (ssize_t)-ENODEV);
	rdpprn_job_release(o.job);
}

/* Removed printers that open jobs hold still count; minors move on. */
static void rdpprn_detached_counted_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	u8 *buf = rdpprn_kbuf(test);
	unsigned int idx, minor;
	size_t len;
	u8 rm[12];

	rdpprn_max_printers = 1;
	rdpprn_start_job(test, f, &o, 14, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	minor = MINOR(o.pdev->dev.devt);
	KUNIT_ASSERT_EQ(test, rdpdr_build_devlist_remove(rm, sizeof(rm),
							 (u32[]){ 14 }, 1), 12);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, rm, sizeof(rm)), 0);
	KUNIT_EXPECT_EQ(test, f->s->nr_devices, 1U);

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 15, "PRN2", "Next", 0);
	idx = f->cap.n;
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, idx, 15, STATUS_INSUFFICIENT_RESOURCES);

	/* Its last job ends: it stops counting. */
	rdpprn_job_release(o.job);
	KUNIT_EXPECT_EQ(test, f->s->nr_devices, 0U);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, idx + 1, 15, STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, xa_load(&f->s->devices, 15));
	/* Cyclic minors: not the one just freed. */
	KUNIT_EXPECT_NE(test,
			MINOR(((struct rdpprn_device *)
			       xa_load(&f->s->devices, 15))->dev.devt), minor);

	/* The owner's limit over all sessions. */
	rdpprn_max_printers = 32;
	rdpprn_max_user_printers = 1;
	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 16, "PRN3", "Third", 0);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);
	rdpprn_expect_reply(test, f, idx + 2, 16, STATUS_INSUFFICIENT_RESOURCES);
}

/* ---- release without a committing close ---------------------------------------------- */

/*
 * The file released with bytes unacknowledged (no flush): they all reach
 * the client before IRP_MJ_CLOSE, and the counters tell the outcome.
 */
static void rdpprn_release_unflushed_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	u8 data[100] = { 1, 2, 3 };
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	unsigned int base;
	const u8 *pdu;
	size_t len;
	u32 status;

	for (status = STATUS_SUCCESS;; status = STATUS_DEVICE_OFF_LINE) {
		rdpprn_start_job(test, f, &o, status ? 18 : 17,
				 STATUS_SUCCESS);
		KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
		base = f->cap.n;
		KUNIT_EXPECT_EQ(test, rdpprn_kwrite(o.job, data, sizeof(data)),
				(ssize_t)sizeof(data));
		pdu = rdpprn_cap_wait(f, base, &len);
		KUNIT_ASSERT_NOT_NULL(test, pdu);
		/* Release does not wait for the client... */
		rdpprn_run(test, &o, rdpprn_closer_fn);
		KUNIT_ASSERT_TRUE(test,
				  wait_for_completion_timeout(&o.done, 2 * HZ));
		/* ...and sends no close before the data is taken. */
		msleep(100);
		KUNIT_EXPECT_EQ(test, f->cap.n, base + 1);
		rdpprn_answer(test, f, pdu, len, status, sizeof(data), 0);
		pdu = rdpprn_cap_wait(f, base + 1, &len);
		KUNIT_ASSERT_NOT_NULL(test, pdu);
		KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
		KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CLOSE);
		rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
		flush_workqueue(rdpprn_wq);
		KUNIT_EXPECT_EQ(test, atomic64_read(&o.pdev->incomplete),
				status ? 1LL : 0LL);
		if (status)
			break;
	}
}

/* ---- jobs on one printer run one after another ------------------------------------ */

/* The state of the last job queued on @pdev. */
static int rdpprn_last_job_state(struct rdpprn_fixture *f,
				 struct rdpprn_device *pdev)
{
	int state;

	mutex_lock(&f->s->lock);
	state = list_last_entry(&pdev->job_list, struct rdpprn_job,
				node)->state;
	mutex_unlock(&f->s->lock);
	return state;
}

/*
 * A second open() waits, sending nothing, until the first job has ended:
 * FreeRDP's printers refuse a second create with STATUS_PRINT_QUEUE_FULL.
 * O_NONBLOCK gets EAGAIN meanwhile.
 */
static void rdpprn_job_queue_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener a = {}, b = {};
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	unsigned int idx;
	const u8 *pdu;
	size_t len;

	rdpprn_start_job(test, f, &a, 20, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a.job));

	b.pdev = a.pdev;
	init_completion(&b.done);
	idx = READ_ONCE(f->cap.n);
	rdpprn_run(test, &b, rdpprn_opener_fn);
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&b.done));
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), idx);
	KUNIT_EXPECT_EQ(test, rdpprn_last_job_state(f, a.pdev),
			RDPPRN_JOB_QUEUED);
	KUNIT_EXPECT_EQ(test, PTR_ERR(rdpprn_job_open(a.pdev, true)),
			-EAGAIN);

	/* The first job ends: its close first, then the second create. */
	rdpprn_run(test, &a, rdpprn_closer_fn);
	pdu = rdpprn_cap_wait(f, idx, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
	KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CLOSE);
	msleep(50);
	/* Nothing else goes to the printer before the close is answered. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), idx + 1);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&a.done, 2 * HZ));

	pdu = rdpprn_cap_wait(f, idx + 1, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
	KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CREATE);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 2, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b.done, 2 * HZ));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b.job));
	KUNIT_EXPECT_EQ(test, atomic64_read(&a.pdev->jobs), 2LL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(rdpprn_job_open(a.pdev, true)),
			-EAGAIN);

	rdpprn_run(test, &b, rdpprn_closer_fn);
	pdu = rdpprn_cap_wait(f, idx + 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b.done, 2 * HZ));
}

/* A queued open() ends with ENODEV when the printer goes away. */
static void rdpprn_job_queue_removed_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener a = {}, b = {};
	unsigned int idx;
	u8 rm[12];

	rdpprn_start_job(test, f, &a, 21, STATUS_SUCCESS);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a.job));
	b.pdev = a.pdev;
	init_completion(&b.done);
	rdpprn_run(test, &b, rdpprn_opener_fn);
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&b.done));

	idx = READ_ONCE(f->cap.n);
	KUNIT_ASSERT_EQ(test, rdpdr_build_devlist_remove(rm, sizeof(rm),
							 (u32[]){ 21 }, 1), 12);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, rm, sizeof(rm)), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(b.job), -ENODEV);
	KUNIT_EXPECT_EQ(test, rdpprn_job_drain(a.job, TASK_INTERRUPTIBLE),
			-ENODEV);
	rdpprn_job_release(a.job);
	/* Nothing was sent to the removed printer. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), idx);
}

/*
 * A create whose open() gave up stays in the client's queue: the next
 * job waits until the client has answered it (and the late FileId is
 * closed), so the printer never has two requests outstanding.
 */
static void rdpprn_job_queue_orphan_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	struct rdpprn_opener o = {};
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	const u8 *pdu, *late;
	size_t len, late_len;

	rdpprn_io_timeout = 1;
	rdpprn_add_printer(test, f, &o, 22);
	rdpprn_run(test, &o, rdpprn_opener_fn);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 6 * HZ));
	KUNIT_EXPECT_EQ(test, PTR_ERR(o.job), -ETIMEDOUT);
	late = rdpprn_cap_wait(f, 1, &late_len);
	KUNIT_ASSERT_NOT_NULL(test, late);

	/* The next open() waits behind the orphaned create. */
	rdpprn_io_timeout = 30;
	rdpprn_run(test, &o, rdpprn_opener_fn);
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&o.done));
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), 2U);

	/* The late answer: its FileId is closed, then the new create goes. */
	rdpprn_answer(test, f, late, late_len, STATUS_SUCCESS, 9, 0);
	pdu = rdpprn_cap_wait(f, 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
	KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CLOSE);
	KUNIT_EXPECT_EQ(test, io.file_id, 9U);
	msleep(50);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->cap.n), 3U);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	pdu = rdpprn_cap_wait(f, 3, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_ioreq(pdu, len, &io, &err), 0);
	KUNIT_EXPECT_EQ(test, io.major_function, (u32)IRP_MJ_CREATE);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 10, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
	KUNIT_ASSERT_FALSE(test, IS_ERR(o.job));
	rdpprn_run(test, &o, rdpprn_closer_fn);
	pdu = rdpprn_cap_wait(f, 4, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	rdpprn_answer(test, f, pdu, len, STATUS_SUCCESS, 0, 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&o.done, 2 * HZ));
}

/* ---- printer cache data ----------------------------------------------------------- */

/* The next captured PDU, parsed as printer cache data. */
static void rdpprn_cache_next(struct kunit *test, struct rdpprn_fixture *f,
			      unsigned int idx, struct rdpdr_cache_data *cd)
{
	struct rdpdr_err err;
	const u8 *pdu;
	size_t len;

	pdu = rdpprn_cap_wait(f, idx, &len);
	KUNIT_ASSERT_NOT_NULL(test, pdu);
	KUNIT_ASSERT_EQ(test, rdpdr_parse_cache_data(pdu, len, cd, &err), 0);
}

/* Each event names the printer as the client announced it. */
static void rdpprn_cache_test(struct kunit *test)
{
	struct rdpprn_fixture *f = test->priv;
	static const u8 blob[] = { 1, 2, 3, 0, 5 };
	struct rdpdr_cache_data cd;
	u8 *big;
	char name[32];
	u8 *buf = rdpprn_kbuf(test);
	size_t len;

	len = rdpprn_put_printer(buf, RDPPRN_KBUF, 30, "PRN3", "Cached", 0);
	KUNIT_ASSERT_EQ(test, rdpprn_rx(f, buf, len), 0);

	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_UPDATE,
						blob, sizeof(blob), NULL,
						NULL), 0);
	rdpprn_cache_next(test, f, 1, &cd);
	KUNIT_EXPECT_EQ(test, cd.event_id, (u32)RDPDR_UPDATE_PRINTER_EVENT);
	rdpdr_str_to_utf8(&cd.update.printer_name, name, sizeof(name));
	KUNIT_EXPECT_STREQ(test, name, "Cached");
	KUNIT_EXPECT_EQ(test, cd.update.config_data_len, (u32)sizeof(blob));
	KUNIT_EXPECT_EQ(test, memcmp(cd.update.config_data, blob,
				     sizeof(blob)), 0);

	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_ADD,
						blob, sizeof(blob), NULL,
						NULL), 0);
	rdpprn_cache_next(test, f, 2, &cd);
	KUNIT_EXPECT_EQ(test, cd.event_id, (u32)RDPDR_ADD_PRINTER_EVENT);
	KUNIT_EXPECT_STREQ(test, cd.add.port_dos_name, "PRN3");
	KUNIT_EXPECT_EQ(test, cd.add.cached_fields_len, (u32)sizeof(blob));

	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_RENAME,
						NULL, 0, "Renamed", NULL), 0);
	rdpprn_cache_next(test, f, 3, &cd);
	KUNIT_EXPECT_EQ(test, cd.event_id, (u32)RDPDR_RENAME_PRINTER_EVENT);
	rdpdr_str_to_utf8(&cd.rename.new_printer_name, name, sizeof(name));
	KUNIT_EXPECT_STREQ(test, name, "Renamed");

	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_DELETE,
						NULL, 0, NULL, NULL), 0);
	rdpprn_cache_next(test, f, 4, &cd);
	KUNIT_EXPECT_EQ(test, cd.event_id, (u32)RDPDR_DELETE_PRINTER_EVENT);

	/* Refused: no such printer, an event without its data. */
	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 31, RDPPRN_CACHE_DELETE,
						NULL, 0, NULL, NULL), -ENODEV);
	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_UPDATE,
						NULL, 0, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_RENAME,
						NULL, 0, NULL, NULL), -EINVAL);
	/* A PDU over one netlink attribute is refused, not sent (no WARN). */
	big = kunit_kzalloc(test, RDPPRN_PDU_ATTR_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, rdpprn_cache_send(f->s, 30, RDPPRN_CACHE_UPDATE,
						big, RDPPRN_PDU_ATTR_MAX - 20,
						NULL, NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, f->cap.n, 5U);
}

static struct kunit_case rdpprn_ring_cases[] = {
	KUNIT_CASE(rdpprn_ring_wrap_test),
	KUNIT_CASE(rdpprn_ring_partial_ack_test),
	KUNIT_CASE(rdpprn_ring_segs_test),
	KUNIT_CASE(rdpprn_ntstatus_test),
	KUNIT_CASE(rdpprn_sanitize_test),
	{}
};

static struct kunit_suite rdpprn_ring_suite = {
	.name = "rdpprn_core",
	.test_cases = rdpprn_ring_cases,
};

static struct kunit_case rdpprn_session_cases[] = {
	KUNIT_CASE(rdpprn_announce_test),
	KUNIT_CASE(rdpprn_announce_bad_entries_test),
	KUNIT_CASE(rdpprn_announce_refused_test),
	KUNIT_CASE(rdpprn_job_test),
	KUNIT_CASE(rdpprn_job_refused_test),
	KUNIT_CASE(rdpprn_job_device_gone_test),
	KUNIT_CASE(rdpprn_close_retry_test),
	KUNIT_CASE(rdpprn_close_unsendable_test),
	KUNIT_CASE(rdpprn_create_unsendable_test),
	KUNIT_CASE(rdpprn_announce_reply_unsendable_test),
	KUNIT_CASE(rdpprn_write_stall_test),
	KUNIT_CASE(rdpprn_write_chain_test),
	KUNIT_CASE(rdpprn_xps_test),
	KUNIT_CASE(rdpprn_orphan_limit_test),
	KUNIT_CASE(rdpprn_orphan_close_retry_test),
	KUNIT_CASE(rdpprn_reannounce_other_type_test),
	KUNIT_CASE(rdpprn_detached_counted_test),
	KUNIT_CASE(rdpprn_release_unflushed_test),
	KUNIT_CASE(rdpprn_job_queue_test),
	KUNIT_CASE(rdpprn_job_queue_removed_test),
	KUNIT_CASE(rdpprn_job_queue_orphan_test),
	KUNIT_CASE(rdpprn_cache_test),
	{}
};

static struct kunit_suite rdpprn_session_suite = {
	.name = "rdpprn_session",
	.init = rdpprn_session_suite_init,
	.exit = rdpprn_session_suite_exit,
	.test_cases = rdpprn_session_cases,
};

kunit_test_suites(&rdpprn_ring_suite, &rdpprn_session_suite);

MODULE_DESCRIPTION("KUnit suites for rdpprn");
MODULE_LICENSE("GPL");
