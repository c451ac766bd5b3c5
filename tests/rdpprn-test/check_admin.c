// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: check-perm and check-dump.
 *
 * check-perm drops to uid/gid 65534 without capabilities and expects
 * EPERM for every command of the family, and that nothing changed.
 *
 * check-dump checks what SESSION_GET, DEVICE_GET and JOB_GET report, the
 * notifications of the "monitor" group, and the client addresses
 * SESSION_NEW keeps or refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "rdpprn_test.h"
#include "check.h"

#define NOBODY	65534

static int perm_fill_dump(struct nl_msg *msg, void *arg)
{
	return 0;
}

static void perm_child(void *arg)
{
	int want = EPERM, rc;
	struct rpt_obj *o = NULL;
	u32 sid = *(u32 *)arg;
	struct rpt_nl nl;
	u32 id = 99, s2;

	rc = rpt_drop_privileges(NOBODY, NOBODY);
	if (rc) {
		rpt_not_ok("drop-privileges", "%s", rdpprn_errname(rc));
		return;
	}
	rpt_check(geteuid() == NOBODY && getegid() == NOBODY,
		  "drop-privileges", "still uid %u", geteuid());
	rc = rpt_nl_open(&nl);
	if (!rpt_check(!rc, "unprivileged-netlink-open",
		       "%s (the family must be resolvable)", rdpprn_errname(rc)))
		return;
	rc = rpt_session_new(&nl, NOBODY, NOBODY, "intruder", &s2);
	rpt_expect_err(&nl, "unprivileged-session-new", rc, &want, 1, false);
	rc = rpt_session_del(&nl, sid);
	rpt_expect_err(&nl, "unprivileged-session-del", rc, &want, 1, false);
	rc = rpt_get_sessions(&nl, sid, false, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_expect_err(&nl, "unprivileged-session-get", rc, &want, 1, false);
	rc = rpt_get_sessions(&nl, 0, true, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_expect_err(&nl, "unprivileged-session-get-dump", rc, &want, 1,
		       false);
	rc = rpt_announce_simple(&nl, sid, &id, 1, NULL, NULL);
	rpt_expect_err(&nl, "unprivileged-pdu", rc, &want, 1, false);
	rc = rpt_get_devices(&nl, 0, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_expect_err(&nl, "unprivileged-device-get", rc, &want, 1, false);
	rc = rpt_get_devices(&nl, sid, &o);
	rpt_objs_free(o);
	o = NULL;
	rpt_expect_err(&nl, "unprivileged-device-get-session", rc, &want, 1,
		       false);
	rc = rpt_nl_request(&nl, RDPPRN_CMD_JOB_GET, true, perm_fill_dump,
			    NULL, &o);
	rpt_objs_free(o);
	rpt_expect_err(&nl, "unprivileged-job-get", rc, &want, 1, false);
	rpt_nl_close(&nl);
}

int rpt_cmd_check_perm(int argc, char **argv)
{
	struct rpt_reply r[4];
	unsigned int nr = 4;
	struct rpt_nl nl;
	u32 sid, id = 1;
	int rc, n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rpt_setup_session(&nl, 0, 0, "check-perm", &sid))
		return rpt_summary();
	rc = rpt_announce_simple(&nl, sid, &id, 1, r, &nr);
	if (!rpt_check(!rc && nr == 1 && !r[0].status, "root-announce",
		       "%s, %u replies", rdpprn_errname(rc), nr))
		return rpt_summary();
	rpt_in_child("unprivileged-child", perm_child, &sid);
	n = rpt_count_devices(&nl, sid);
	rpt_check(n == 1, "unprivileged-changed-nothing",
		  "session has %d devices, want 1", n);
	rc = rpt_session_del(&nl, sid);
	rpt_check(!rc, "session-del", "%s", rdpprn_errname(rc));
	rpt_nl_close(&nl);
	return rpt_summary();
}

/* ---- check-dump -------------------------------------------------------- */

static bool dump_u(const struct rpt_obj *o, int a, u64 want, char *why,
		   size_t len, const char *what)
{
	size_t l = strlen(why);

	if (!o->has[a] || o->bad[a]) {
		snprintf(why + l, len - l, " %s %s;", what,
			 o->has[a] ? "has a bad length" : "missing");
		return false;
	}
	if (o->u[a] != want) {
		snprintf(why + l, len - l, " %s=%llu want %llu;", what,
			 (unsigned long long)o->u[a],
			 (unsigned long long)want);
		return false;
	}
	return true;
}

static bool dump_s(const struct rpt_obj *o, int a, const char *want,
		   char *why, size_t len, const char *what)
{
	size_t l = strlen(why);

	if (!o->s[a] || o->bad[a]) {
		snprintf(why + l, len - l, " %s %s;", what,
			 o->s[a] ? "not terminated" : "missing");
		return false;
	}
	if (strcmp(o->s[a], want)) {
		snprintf(why + l, len - l, " %s=\"%s\" want \"%s\";", what,
			 o->s[a], want);
		return false;
	}
	return true;
}

static const struct rpt_obj *dump_find(const struct rpt_obj *o, int a,
				       u64 v, int a2, u64 v2)
{
	for (; o; o = o->next)
		if (o->has[a] && o->u[a] == v && (!a2 || o->u[a2] == v2))
			return o;
	return NULL;
}

static noinline_for_stack void
dump_session(const struct rpt_obj *list, u32 sid, u32 portid,
	     const char *name)
{
	const struct rpt_obj *o = dump_find(list, RDPPRN_A_SESSION_ID, sid, 0,
					    0);
	char why[512] = "";
	bool ok;

	if (!o) {
		rpt_not_ok(name, "session %u not listed", sid);
		return;
	}
	ok = dump_u(o, RDPPRN_A_UID, 1000, why, sizeof(why), "UID");
	ok &= dump_u(o, RDPPRN_A_GID, 1000, why, sizeof(why), "GID");
	ok &= dump_s(o, RDPPRN_A_CLIENT_NAME, "DUMP-CLIENT", why, sizeof(why),
		     "CLIENT_NAME");
	ok &= dump_u(o, RDPPRN_A_OWNER_PORTID, portid, why, sizeof(why),
		     "OWNER_PORTID");
	ok &= dump_u(o, RDPPRN_A_DEVICES, 2, why, sizeof(why), "DEVICES");
	rpt_check(ok, name, "%s", why);
}

struct dump_printer {
	u32 id;
	const char *name;
	const char *driver;
	const char *dos;
	u32 flags;
};

static const struct dump_printer dump_printers[] = {
	{ 3, "Alpha", "Driver A", "PRN3", 0x12 },
	{ 4, "Beta \xc3\xa9", "Driver B", "PRN4", 0x05 },
};

static noinline_for_stack void
dump_device(const struct rpt_obj *list, u32 sid,
	    const struct dump_printer *p, const char *name,
	    u64 jobs, u64 bytes)
{
	const struct rpt_obj *o = dump_find(list, RDPPRN_A_SESSION_ID, sid,
					    RDPPRN_A_DEVICE_ID, p->id);
	char why[768] = "", dev[32];
	bool ok;

	if (!o) {
		rpt_not_ok(name, "device %u of session %u not listed", p->id,
			   sid);
		return;
	}
	snprintf(dev, sizeof(dev), "rdpprn%llu",
		 (unsigned long long)o->u[RDPPRN_A_MINOR]);
	ok = dump_u(o, RDPPRN_A_MINOR, o->u[RDPPRN_A_MINOR], why, sizeof(why),
		    "MINOR");
	ok &= dump_s(o, RDPPRN_A_DEV_NAME, dev, why, sizeof(why), "DEV_NAME");
	ok &= dump_s(o, RDPPRN_A_PRINTER_NAME, p->name, why, sizeof(why),
		     "PRINTER_NAME");
	ok &= dump_s(o, RDPPRN_A_DRIVER_NAME, p->driver, why, sizeof(why),
		     "DRIVER_NAME");
	ok &= dump_s(o, RDPPRN_A_DOS_NAME, p->dos, why, sizeof(why),
		     "DOS_NAME");
	ok &= dump_u(o, RDPPRN_A_FLAGS, p->flags, why, sizeof(why), "FLAGS");
	ok &= dump_u(o, RDPPRN_A_JOBS, jobs, why, sizeof(why), "JOBS");
	ok &= dump_u(o, RDPPRN_A_BYTES, bytes, why, sizeof(why), "BYTES");
	ok &= dump_u(o, RDPPRN_A_ERRORS, 0, why, sizeof(why), "ERRORS");
	ok &= dump_u(o, RDPPRN_A_OPEN_JOBS, 0, why, sizeof(why), "OPEN_JOBS");
	rpt_check(ok, name, "%s", why);
}

static noinline_for_stack void
dump_job(struct rpt_nl *nl, u32 sid, const char *node)
{
	struct rpt_async op = { .path = node, .flags = O_WRONLY };
	struct rpt_obj *jobs = NULL;
	const struct rpt_obj *o;
	struct rdpdr_ioreq io, wio;
	struct rpt_pdu *p;
	char why[512] = "";
	u8 buf[32];
	size_t n;
	int rc, fd;
	bool ok;

	rpt_async_start(&op, RPT_OP_OPEN);
	p = rpt_expect_ioreq(nl, "job-create", IRP_MJ_CREATE, &io,
			     RPT_WAIT_MS);
	if (!p)
		return;
	free(p);
	rc = rpt_get_jobs(nl, &jobs);
	o = dump_find(jobs, RDPPRN_A_SESSION_ID, sid, 0, 0);
	rpt_check(!rc && o && o->u[RDPPRN_A_JOB_STATE] == RDPPRN_JOB_CREATING,
		  "job-get-creating", "%s, state %llu", rdpprn_errname(rc),
		  o ? (unsigned long long)o->u[RDPPRN_A_JOB_STATE] : 0ULL);
	rpt_objs_free(jobs);
	n = rpt_create_rsp(buf, io.device_id, io.completion_id, 0, 77);
	rpt_send_pdu(nl, sid, buf, n);
	if (!rpt_async_wait(&op, RPT_WAIT_MS) || op.ret < 0) {
		rpt_not_ok("job-open", "open: %s", rdpprn_errname(op.err));
		return;
	}
	fd = (int)op.ret;
	if (write(fd, "0123456789", 10) != 10)
		rpt_not_ok("job-write", "%s", rdpprn_errname(errno));
	p = rpt_expect_ioreq(nl, "job-write-request", IRP_MJ_WRITE, &wio,
			     RPT_WAIT_MS);
	free(p);
	jobs = NULL;
	rc = rpt_get_jobs(nl, &jobs);
	o = dump_find(jobs, RDPPRN_A_SESSION_ID, sid, 0, 0);
	if (rc || !o) {
		rpt_not_ok("job-get-open", "%s, job not listed",
			   rdpprn_errname(rc));
	} else {
		ok = dump_u(o, RDPPRN_A_DEVICE_ID, 3, why, sizeof(why),
			    "DEVICE_ID");
		ok &= dump_u(o, RDPPRN_A_FILE_ID, 77, why, sizeof(why),
			     "FILE_ID");
		ok &= dump_u(o, RDPPRN_A_JOB_STATE, RDPPRN_JOB_OPEN, why,
			     sizeof(why), "JOB_STATE");
		ok &= dump_u(o, RDPPRN_A_PID, (u64)getpid(), why, sizeof(why),
			     "PID");
		ok &= dump_u(o, RDPPRN_A_QUEUED, 10, why, sizeof(why),
			     "QUEUED");
		rpt_check(ok, "job-get-open", "%s", why);
	}
	rpt_objs_free(jobs);
	if (p) {
		n = rpt_write_rsp(buf, wio.device_id, wio.completion_id, 0, 10);
		rpt_send_pdu(nl, sid, buf, n);
	}
	memset(&op, 0, sizeof(op));
	op.fd = fd;
	rpt_async_start(&op, RPT_OP_CLOSE);
	p = rpt_expect_ioreq(nl, "job-close-request", IRP_MJ_CLOSE, &io,
			     RPT_WAIT_MS);
	if (p) {
		free(p);
		n = rpt_close_rsp(buf, io.device_id, io.completion_id, 0);
		rpt_send_pdu(nl, sid, buf, n);
	}
	rpt_check(rpt_async_wait(&op, RPT_WAIT_MS) && !op.ret, "job-close",
		  "close: %s", rdpprn_errname(op.err));
	jobs = NULL;
	rc = rpt_get_jobs(nl, &jobs);
	o = dump_find(jobs, RDPPRN_A_SESSION_ID, sid, 0, 0);
	rpt_check(!rc && !o, "job-get-after-close", "%s, job still listed",
		  rdpprn_errname(rc));
	rpt_objs_free(jobs);
}

static unsigned int dump_events(const struct rpt_obj *ev, u8 cmd, u32 sid,
				int a, u64 v)
{
	unsigned int n = 0;

	for (; ev; ev = ev->next)
		if (ev->cmd == cmd && ev->u[RDPPRN_A_SESSION_ID] == sid &&
		    (!a || (ev->has[a] && ev->u[a] == v)))
			n++;
	return n;
}

/*
 * RDPPRN_A_CLIENT_ADDR: an IPv4 or IPv6 literal is kept in canonical form
 * (what the sessions' dump and sysfs show); anything else is EINVAL and
 * makes no session.
 */
static void dump_client_addr(struct rpt_nl *nl)
{
	static const struct {
		const char *in;
		const char *want;	/* NULL: no attribute in the dump */
	} good[] = {
		{ "192.0.2.7", "192.0.2.7" },
		{ "2001:DB8:0:0::7", "2001:db8::7" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
		{ "", NULL },
	};
	static const char *const bad[] = {
		"pc-7", "192.0.2.7 ", "1.2.3", "2001:db8::7%eth0",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999:0",
	};
	struct rpt_obj *list = NULL;
	unsigned int i, before;
	const int einval = EINVAL;
	char name[64];
	u32 sid;
	int rc;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(name, sizeof(name), "client-address-%u", i);
		rc = rpt_session_new_at(nl, 0, 0, "addr", good[i].in, &sid);
		if (!rpt_check(!rc, name, "\"%s\": %s \"%s\"", good[i].in,
			       rdpprn_errname(rc), nl->extack))
			continue;
		snprintf(name, sizeof(name), "client-address-kept-%u", i);
		rc = rpt_get_sessions(nl, sid, false, &list);
		rpt_check(!rc && list &&
			  (good[i].want ?
			   list->s[RDPPRN_A_CLIENT_ADDR] &&
			   !strcmp(list->s[RDPPRN_A_CLIENT_ADDR], good[i].want) :
			   !list->has[RDPPRN_A_CLIENT_ADDR]),
			  name, "\"%s\" became \"%s\", want \"%s\"", good[i].in,
			  list && list->s[RDPPRN_A_CLIENT_ADDR] ?
			  list->s[RDPPRN_A_CLIENT_ADDR] : "(none)",
			  good[i].want ? good[i].want : "(none)");
		rpt_objs_free(list);
		list = NULL;
		rpt_session_del(nl, sid);
	}
	rc = rpt_get_sessions(nl, 0, true, &list);
	before = rpt_objs_count(list);
	rpt_objs_free(list);
	list = NULL;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(name, sizeof(name), "client-address-refused-%u", i);
		rc = rpt_session_new_at(nl, 0, 0, "addr", bad[i], &sid);
		/* the over-long one fails the policy, which has no message */
		rpt_expect_err(nl, name, rc, &einval, 1, i + 1 < ARRAY_SIZE(bad));
		if (!rc)
			rpt_session_del(nl, sid);
	}
	rc = rpt_get_sessions(nl, 0, true, &list);
	rpt_check(!rc && rpt_objs_count(list) == before,
		  "client-address-refused-no-session", "%u sessions, %u before",
		  rpt_objs_count(list), before);
	rpt_objs_free(list);
}

int rpt_cmd_check_dump(int argc, char **argv)
{
	struct rpt_entry e[ARRAY_SIZE(dump_printers)];
	struct rpt_obj *list = NULL;
	struct rpt_nl nl, mon;
	struct rpt_reply r[4];
	unsigned int nr, i, a, b, c, d;
	bool have_mon;
	char node[64];
	size_t len;
	u32 sid;
	u8 *pdu;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	have_mon = !rpt_nl_open(&mon);
	rc = have_mon ? rpt_nl_join_monitor(&mon) : -ENOENT;
	have_mon = rpt_check(!rc, "monitor-join", "%s", rdpprn_errname(rc));
	if (rpt_setup_session(&nl, 1000, 1000, "DUMP-CLIENT", &sid))
		return rpt_summary();
	for (i = 0; i < ARRAY_SIZE(dump_printers); i++) {
		const struct dump_printer *dp = &dump_printers[i];
		struct rpt_printer p = {
			.id = dp->id, .flags = dp->flags,
			.ascii = dp->flags & RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII,
			.name = (char *)dp->name, .driver = (char *)dp->driver,
		};

		memcpy(p.dos, dp->dos, strlen(dp->dos) + 1);
		if (rpt_printer_entry(&p, &e[i]))
			rpt_die("cannot build printer %u", dp->id);
	}
	pdu = rpt_devlist(e, ARRAY_SIZE(e), &len);
	rpt_entries_free(e, ARRAY_SIZE(e));
	rc = rpt_send_pdu(&nl, sid, pdu, len);
	free(pdu);
	nr = rpt_take_replies(&nl, r, 4);
	if (!rpt_check(!rc && nr == 2 && !r[0].status && !r[1].status,
		       "announce", "%s, %u replies", rdpprn_errname(rc), nr))
		return rpt_summary();

	rc = rpt_get_sessions(&nl, 0, true, &list);
	if (rpt_check(!rc, "session-get-dump", "%s", rdpprn_errname(rc)))
		dump_session(list, sid, nl.portid, "session-get-dump-attrs");
	rpt_objs_free(list);
	list = NULL;
	rc = rpt_get_sessions(&nl, sid, false, &list);
	if (rpt_check(!rc && rpt_objs_count(list) == 1, "session-get-do",
		      "%s, %u replies", rdpprn_errname(rc), rpt_objs_count(list)))
		dump_session(list, sid, nl.portid, "session-get-do-attrs");
	rpt_objs_free(list);
	list = NULL;

	rc = rpt_get_devices(&nl, sid, &list);
	rpt_check(!rc && rpt_objs_count(list) == 2, "device-get-session",
		  "%s, %u devices", rdpprn_errname(rc), rpt_objs_count(list));
	for (i = 0; i < ARRAY_SIZE(dump_printers); i++)
		dump_device(list, sid, &dump_printers[i],
			    i ? "device-get-attrs-beta" : "device-get-attrs-alpha",
			    0, 0);
	rpt_objs_free(list);
	list = NULL;
	rc = rpt_get_devices(&nl, 0, &list);
	rpt_check(!rc && dump_find(list, RDPPRN_A_SESSION_ID, sid,
				   RDPPRN_A_DEVICE_ID, 3) &&
		  dump_find(list, RDPPRN_A_SESSION_ID, sid, RDPPRN_A_DEVICE_ID,
			    4), "device-get-all", "%s", rdpprn_errname(rc));
	rpt_objs_free(list);
	list = NULL;

	if (!rpt_find_node(&nl, sid, 3, node, sizeof(node)))
		dump_job(&nl, sid, node);
	rc = rpt_get_devices(&nl, sid, &list);
	if (!rc)
		dump_device(list, sid, &dump_printers[0],
			    "device-get-counters-after-job", 1, 10);
	rpt_objs_free(list);

	rc = rpt_session_del(&nl, sid);
	rpt_check(!rc, "session-del", "%s", rdpprn_errname(rc));
	rpt_nl_close(&nl);

	if (have_mon) {
		rpt_nl_next_pdu(&mon, 500, NULL);
		a = dump_events(mon.events, RDPPRN_CMD_SESSION_EVENT, sid,
				RDPPRN_A_SESSION_STATE, 1);
		b = dump_events(mon.events, RDPPRN_CMD_DEVICE_NEW, sid, 0, 0);
		c = dump_events(mon.events, RDPPRN_CMD_DEVICE_DEL, sid, 0, 0);
		d = dump_events(mon.events, RDPPRN_CMD_SESSION_EVENT, sid,
				RDPPRN_A_SESSION_STATE, 0);
		rpt_check(a == 1 && b == 2 && c == 2 && d == 1,
			  "monitor-events",
			  "session start %u, device new %u, device del %u, session end %u (want 1 2 2 1)",
			  a, b, c, d);
		rpt_nl_close(&mon);
	}
	rc = rpt_nl_open(&nl);
	if (rpt_check(!rc, "client-address-netlink", "%s",
		      rdpprn_errname(rc))) {
		dump_client_addr(&nl);
		rpt_nl_close(&nl);
	}
	return rpt_summary();
}
