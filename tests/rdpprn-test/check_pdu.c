// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: check-malformed and check-announce.
 *
 * check-malformed sends PDUs the kernel must refuse as a whole: each must
 * fail with the documented errno and an extack message, must not change
 * anything, and the session must keep working afterwards.
 *
 * check-announce sends well-formed announces whose entries are judged one
 * by one: the Server Device Announce Response of every printer entry, no
 * response for other device types, the limits, replacement and removal.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/socket.h>

#include "rdpprn_test.h"
#include "check.h"

#define MAX_REPLIES	512

/* The errno of the rdpdr wire library for a refused PDU */
static int lib_code(const u8 *pdu, size_t len)
{
	struct rdpdr_devlist_remove rm;
	struct rdpdr_iocompletion c;
	struct rdpdr_devlist dl;
	struct rdpdr_err err;
	struct rdpdr_hdr h;
	int rc;

	rc = rdpdr_parse_hdr(pdu, len, &h, &err);
	if (rc)
		return -rc;
	switch (h.packet_id) {
	case PAKID_CORE_DEVICELIST_ANNOUNCE:
		rc = rdpdr_parse_devlist(pdu, len, &dl, &err);
		break;
	case PAKID_CORE_DEVICELIST_REMOVE:
		rc = rdpdr_parse_devlist_remove(pdu, len, &rm, &err);
		break;
	case PAKID_CORE_DEVICE_IOCOMPLETION:
		rc = rdpdr_parse_iocompletion(pdu, len, &c, &err);
		break;
	default:
		rc = 0;
	}
	return rc < 0 ? -rc : EBADMSG;
}

struct mal_ctx {
	struct rpt_nl nl;
	u32 sid;
	u8 good_entry[256];
	size_t good_len;
	u8 buf[512];	/* scratch for the PDUs a step builds */
};

/* Sends @pdu, wants EBADMSG or the library's code, and no change */
static void mal_wire(struct mal_ctx *c, const char *name, const u8 *pdu,
		     size_t len, int extra)
{
	int want[3] = { EBADMSG, lib_code(pdu, len), extra };
	unsigned int nwant = extra ? 3 : 2;
	char cname[128];
	int rc, n;

	rc = rpt_send_pdu(&c->nl, c->sid, pdu, len);
	rpt_expect_err(&c->nl, name, rc, want, nwant, true);
	rpt_nl_flush_pdus(&c->nl);
	n = rpt_count_devices(&c->nl, c->sid);
	snprintf(cname, sizeof(cname), "%s-no-change", name);
	rpt_check(n == 0, cname, "refused PDU left %d devices", n);
}

static void mal_errno(struct mal_ctx *c, const char *name, const u8 *pdu,
		      size_t len, size_t piece, int want_err)
{
	char cname[128];
	int rc, n;

	rc = rpt_send_pdu_split(&c->nl, c->sid, pdu, len, piece);
	rpt_expect_err(&c->nl, name, rc, &want_err, want_err ? 1 : 0, true);
	n = rpt_nl_next_pdu(&c->nl, 0, NULL) ? 1 : 0;
	rpt_nl_flush_pdus(&c->nl);
	snprintf(cname, sizeof(cname), "%s-no-reply", name);
	rpt_check(!n, cname, "a refused PDU was answered with a PDU");
	n = rpt_count_devices(&c->nl, c->sid);
	snprintf(cname, sizeof(cname), "%s-no-change", name);
	rpt_check(n == 0, cname, "refused PDU left %d devices", n);
}

static u8 *mal_announce(const u32 *ids, const u32 *types, unsigned int n,
			size_t *len)
{
	struct rpt_entry *e = rdpprn_xzalloc(sizeof(*e) * n);
	unsigned int i;
	u8 *pdu;

	for (i = 0; i < n; i++) {
		if (types && types[i] != RDPDR_DTYP_PRINT) {
			e[i].type = types[i];
			e[i].id = ids[i];
			snprintf(e[i].dos, sizeof(e[i].dos), "LPT%u", i % 10);
			continue;
		}
		if (rpt_simple_printer(ids[i], NULL, &e[i]))
			rpt_die("cannot build printer %u", ids[i]);
	}
	pdu = rpt_devlist(e, n, len);
	rpt_entries_free(e, n);
	free(e);
	return pdu;
}

static void mal_structure(struct mal_ctx *c)
{
	static const u8 three[] = { 0x72, 0x44, 0x41 };
	static const u8 hdr_only[] = { 0x72, 0x44, 0x41, 0x44 };
	static const u8 rm_hdr[] = { 0x72, 0x44, 0x4d, 0x44 };
	u32 ids[2] = { 1, 2 };
	u8 *pdu, *big, buf[64];
	size_t len;

	mal_wire(c, "pdu-3-bytes", three, sizeof(three), 0);
	/* an empty attribute may also be refused by the attribute policy */
	mal_wire(c, "pdu-empty", three, 0, EINVAL);
	mal_wire(c, "announce-without-devicecount", hdr_only,
		 sizeof(hdr_only), 0);

	pdu = mal_announce(ids, NULL, 1, &len);
	rdpprn_put_le32(pdu + 4, 2);
	mal_wire(c, "announce-devicecount-beyond-buffer", pdu, len, 0);
	rdpprn_put_le32(pdu + 4, 0xffffffff);
	mal_wire(c, "announce-devicecount-huge", pdu, len, 0);
	rdpprn_put_le32(pdu + 4, 1);
	mal_wire(c, "announce-truncated-in-entry", pdu, len - 10, 0);
	mal_wire(c, "announce-truncated-entry-header", pdu, 8 + 10, 0);
	/* DeviceDataLength of the first entry at 8 + 16 */
	rdpprn_put_le32(pdu + 24, 0xfffffff0);
	mal_wire(c, "announce-devicedatalength-overflow", pdu, len, 0);
	rdpprn_put_le32(pdu + 24, (u32)(len - 28 + 1));
	mal_wire(c, "announce-devicedatalength-past-end", pdu, len, 0);
	free(pdu);

	/* a good printer, then an entry running past the end */
	pdu = mal_announce(ids, NULL, 2, &len);
	rdpprn_put_le32(pdu + len - (len - 8) / 2 + 16, 0x7fffffff);
	big = rdpprn_xmalloc(len);
	memcpy(big, pdu, len);
	mal_wire(c, "announce-second-entry-overflows", big, len, 0);
	free(big);
	free(pdu);

	mal_wire(c, "remove-without-devicecount", rm_hdr, sizeof(rm_hdr), 0);
	pdu = rpt_remove(ids, 1, &len);
	rdpprn_put_le32(pdu + 4, 3);
	mal_wire(c, "remove-devicecount-beyond-buffer", pdu, len, 0);
	rdpprn_put_le32(pdu + 4, 0x40000001);
	mal_wire(c, "remove-devicecount-overflows", pdu, len, 0);
	free(pdu);

	len = rpt_completion(buf, 1, 0, 0);
	mal_wire(c, "completion-truncated", buf, len - 6, 0);
}

static void mal_semantic(struct mal_ctx *c)
{
	long long max_announce = rpt_param("max_announce",
					   RPT_DEF_MAX_ANNOUNCE);
	u32 ids[3] = { 1, 2, 1 }, types[3];
	u32 *many;
	size_t len;
	u8 *pdu, buf[64];
	unsigned int i, n;
	int want;

	/* duplicate DeviceId inside one PDU, after a good printer */
	pdu = mal_announce(ids, NULL, 3, &len);
	mal_errno(c, "announce-duplicate-deviceid", pdu, len, 0, EINVAL);
	free(pdu);
	types[0] = RDPDR_DTYP_PRINT;
	types[1] = RDPDR_DTYP_PRINT;
	types[2] = RDPDR_DTYP_PARALLEL;
	pdu = mal_announce(ids, types, 3, &len);
	mal_errno(c, "announce-duplicate-deviceid-other-type", pdu, len, 0,
		  EINVAL);
	free(pdu);

	/* DeviceCount above max_announce */
	n = (unsigned int)max_announce + 1;
	many = rdpprn_xmalloc(sizeof(*many) * 10000);
	for (i = 0; i < 10000; i++)
		many[i] = 1000 + i;
	pdu = mal_announce(many, NULL, n, &len);
	mal_errno(c, "announce-over-max_announce", pdu, len, 0, E2BIG);
	free(pdu);

	/* 10,000 printers: several RDPPRN_A_PDU attributes */
	pdu = mal_announce(many, NULL, 10000, &len);
	want = max_announce < 10000 ? E2BIG : 0;
	printf("# announce-10000-printers: %zu bytes in %zu attributes\n", len,
	       (len + RDPPRN_PDU_ATTR_MAX - 1) / RDPPRN_PDU_ATTR_MAX);
	mal_errno(c, "announce-10000-printers", pdu, len, 0, want);
	free(pdu);
	free(many);

	/* a completion nobody waits for */
	len = rpt_create_rsp(buf, 1, 0xdead, 0, 0);
	want = ENOENT;
	mal_errno(c, "completion-unknown-completionid", buf, len, 0, want);
}

static noinline_for_stack void
mal_kinds(struct mal_ctx *c)
{
	static const u8 unknown[] = { 0x34, 0x12, 0x78, 0x56, 0, 0, 0, 0 };
	struct rdpdr_device_reply dr = { 1, 0 };
	struct rdpdr_announce a = {
		.packet_id = PAKID_CORE_CLIENTID_CONFIRM,
		.version_major = 1, .version_minor = 0x000c, .client_id = 7,
	};
	struct rdpdr_using_xps x = { 1, 0 };
	struct rdpdr_client_name cn;
	struct rdpdr_caps caps;
	u8 *buf = c->buf;
	int n;

	n = rdpdr_build_announce(buf, sizeof(c->buf), &a);
	mal_errno(c, "kind-client-announce-reply", buf, n, 0, EOPNOTSUPP);

	memset(&cn, 0, sizeof(cn));
	cn.unicode_flag = 0;
	cn.computer_name.data = (const u8 *)"CLIENT";
	cn.computer_name.len = 7;
	cn.computer_name_len = 7;
	n = rdpdr_build_client_name(buf, sizeof(c->buf), &cn);
	mal_errno(c, "kind-client-name", buf, n, 0, EOPNOTSUPP);

	rdpdr_server_caps_init(&caps);
	caps.packet_id = PAKID_CORE_CLIENT_CAPABILITY;
	n = rdpdr_build_caps(buf, sizeof(c->buf), &caps);
	mal_errno(c, "kind-client-capability", buf, n, 0, EOPNOTSUPP);

	/*
	 * A client never sends these: protocol violations (RDPDR.md section
	 * 11), EPROTO, unlike the handshake PDUs above that are merely the
	 * helper's business.
	 */
	n = rdpdr_build_device_reply(buf, sizeof(c->buf), &dr);
	mal_errno(c, "kind-server-device-reply", buf, n, 0, EPROTO);

	n = rdpdr_build_using_xps(buf, sizeof(c->buf), &x);
	mal_errno(c, "kind-prn-using-xps", buf, n, 0, EPROTO);

	mal_errno(c, "kind-unknown-component", unknown, sizeof(unknown), 0,
		  EPROTO);
}

static int mal_fill_sid_only(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, RDPPRN_A_SESSION_ID, *(u32 *)arg) ? -1 : 0;
}

static void mal_limits(struct mal_ctx *c)
{
	long long max_pdu = rpt_param("max_pdu", RPT_DEF_MAX_PDU);
	struct rpt_entry e;
	char old[32];
	size_t len;
	u8 *pdu;
	int rc;

	rc = rpt_nl_request(&c->nl, RDPPRN_CMD_PDU, false, mal_fill_sid_only,
			    &c->sid, NULL);
	rpt_expect_err(&c->nl, "pdu-attribute-missing", rc, NULL, 0, false);

	/* one drive entry that makes the PDU max_pdu + 1 bytes long */
	memset(&e, 0, sizeof(e));
	e.type = RDPDR_DTYP_FILESYSTEM;
	e.id = 1;
	memcpy(e.dos, "C:", 3);
	e.len = (u32)(max_pdu + 1 - 28);
	e.data = rdpprn_xzalloc(e.len);
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	mal_errno(c, "pdu-over-max_pdu", pdu, len, 0, 0);
	free(pdu);

	/* A PDU that fits one attribute is held to max_pdu as well. */
	snprintf(old, sizeof(old), "%lld", max_pdu);
	rc = rpt_set_param("max_pdu", "4096");
	if (!rpt_check(!rc, "max_pdu-writable", "%s", strerror(-rc)))
		return;
	e.len = 5000 - 28;
	e.data = rdpprn_xzalloc(e.len);
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	mal_errno(c, "pdu-one-attribute-over-max_pdu", pdu, len, 0, EMSGSIZE);
	free(pdu);
	rpt_set_param("max_pdu", old);
}

int rpt_cmd_check_malformed(int argc, char **argv)
{
	struct mal_ctx *c = rdpprn_xzalloc(sizeof(*c));
	struct rpt_reply r[4];
	unsigned int nr = ARRAY_SIZE(r);
	char node[64];
	u32 id = 1;
	struct stat st;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rpt_setup_session(&c->nl, 0, 0, "check-malformed", &c->sid))
		return rpt_summary();
	mal_structure(c);
	mal_semantic(c);
	mal_kinds(c);
	mal_limits(c);

	/* the session still works */
	rc = rpt_announce_simple(&c->nl, c->sid, &id, 1, r, &nr);
	rpt_check(!rc && nr == 1 && r[0].id == 1 && !r[0].status,
		  "session-works-after-refused-pdus",
		  "announce: %s \"%s\", %u replies, status 0x%08x",
		  rdpprn_errname(rc), c->nl.extack, nr, nr ? r[0].status : 0);
	rc = rpt_find_node(&c->nl, c->sid, 1, node, sizeof(node));
	rpt_check(!rc && !stat(node, &st) && S_ISCHR(st.st_mode),
		  "device-created-after-refused-pdus", "%s: %s",
		  rc ? "DEVICE_GET" : node, rdpprn_errname(rc ? rc : errno));
	rc = rpt_session_del(&c->nl, c->sid);
	rpt_check(!rc, "session-del", "%s", rdpprn_errname(rc));
	rpt_nl_close(&c->nl);
	free(c);
	return rpt_summary();
}

/* ---- check-announce ---------------------------------------------------- */

/* An entry built from a valid printer and then damaged by @mangle */
static void ann_printer(struct rpt_entry *e, u32 id, const char *dos,
			const char *name)
{
	if (rpt_simple_printer(id, name, e))
		rpt_die("cannot build printer %u", id);
	if (dos) {
		memset(e->dos, 0, sizeof(e->dos));
		memcpy(e->dos, dos, strlen(dos) > 8 ? 8 : strlen(dos));
	}
}

struct ann_want {
	u32 id;
	bool reply;
	u32 status;
	bool device;
};

static noinline_for_stack void
ann_judge(struct rpt_nl *nl, u32 sid, const char *name,
	  const struct ann_want *w, unsigned int nw)
{
	struct rpt_reply *r = rdpprn_xzalloc(sizeof(*r) * MAX_REPLIES);
	unsigned int nr, i, bad = 0;
	char node[64], msg[512] = "";

	nr = rpt_take_replies(nl, r, MAX_REPLIES);
	for (i = 0; i < nw; i++) {
		const struct rpt_reply *x = rpt_reply_for(r, nr, w[i].id);
		size_t l = strlen(msg);
		bool dev;

		dev = !rpt_find_node(nl, sid, w[i].id, node, sizeof(node));
		if (w[i].reply && !x) {
			snprintf(msg + l, sizeof(msg) - l, " id %u: no reply;",
				 w[i].id);
			bad++;
		} else if (!w[i].reply && x) {
			snprintf(msg + l, sizeof(msg) - l,
				 " id %u: unexpected reply 0x%08x;", w[i].id,
				 x->status);
			bad++;
		} else if (x && x->status != w[i].status) {
			snprintf(msg + l, sizeof(msg) - l,
				 " id %u: status 0x%08x, want 0x%08x;",
				 w[i].id, x->status, w[i].status);
			bad++;
		}
		l = strlen(msg);
		if (dev != w[i].device) {
			snprintf(msg + l, sizeof(msg) - l, " id %u: %s;",
				 w[i].id, dev ? "device created" : "no device");
			bad++;
		}
	}
	if (nr > nw) {
		size_t l = strlen(msg);

		snprintf(msg + l, sizeof(msg) - l, " %u replies for %u entries",
			 nr, nw);
		bad++;
	}
	rpt_check(!bad, name, "%s", msg);
	free(r);
}

static noinline_for_stack void
ann_entries(struct rpt_nl *nl, u32 sid)
{
	struct rpt_entry e[16];
	struct ann_want w[16];
	unsigned int n = 0;
	size_t len;
	u8 *pdu;
	int rc;

	memset(e, 0, sizeof(e));
#define WANT(i, r, s, d) (w[n] = (struct ann_want){ i, r, s, d })
	ann_printer(&e[n], 10, NULL, "Good");
	WANT(10, true, STATUS_SUCCESS, true);
	n++;
	ann_printer(&e[n], 11, "PR<1", NULL);
	WANT(11, true, STATUS_ACCESS_DENIED, false);
	n++;
	ann_printer(&e[n], 12, "", NULL);
	WANT(12, true, STATUS_ACCESS_DENIED, false);
	n++;
	ann_printer(&e[n], 13, "P:N1", NULL);
	WANT(13, true, STATUS_ACCESS_DENIED, false);
	n++;
	ann_printer(&e[n], 14, "PRN\x01", NULL);
	WANT(14, true, STATUS_ACCESS_DENIED, false);
	n++;
	/* DeviceDataLength below the 24-byte fixed part */
	ann_printer(&e[n], 15, NULL, NULL);
	e[n].len = 10;
	WANT(15, true, STATUS_INVALID_PARAMETER, false);
	n++;
	/* PnPNameLen 0xFFFFFFFF: the lengths overflow */
	ann_printer(&e[n], 16, NULL, NULL);
	rdpprn_put_le32(e[n].data + 8, 0xffffffff);
	WANT(16, true, STATUS_INVALID_PARAMETER, false);
	n++;
	/* two lengths that overflow 32 bits when added */
	ann_printer(&e[n], 17, NULL, NULL);
	rdpprn_put_le32(e[n].data + 12, 0x80000000);
	rdpprn_put_le32(e[n].data + 16, 0x80000000);
	WANT(17, true, STATUS_INVALID_PARAMETER, false);
	n++;
	/* PrinterName not terminated (its last two bytes are its NUL) */
	ann_printer(&e[n], 18, NULL, "Unterminated");
	e[n].data[e[n].len - 1] = 'x';
	e[n].data[e[n].len - 2] = 'x';
	WANT(18, true, STATUS_INVALID_PARAMETER, false);
	n++;
	/* odd PrintNameLen: shorten the name by one byte, keep the layout */
	ann_printer(&e[n], 19, NULL, "Odd");
	rdpprn_put_le32(e[n].data + 16, rdpprn_get_le32(e[n].data + 16) - 1);
	WANT(19, true, STATUS_INVALID_PARAMETER, false);
	n++;
	/* other device types: the kernel leaves them alone */
	e[n].type = RDPDR_DTYP_PARALLEL;
	e[n].id = 20;
	memcpy(e[n].dos, "LPT1", 5);
	WANT(20, false, 0, false);
	n++;
	e[n].type = RDPDR_DTYP_SMARTCARD;
	e[n].id = 21;
	memcpy(e[n].dos, "SCARD", 6);
	WANT(21, false, 0, false);
	n++;
	e[n].type = RDPDR_DTYP_FILESYSTEM;
	e[n].id = 22;
	memcpy(e[n].dos, "C:", 3);
	e[n].data = rdpprn_xzalloc(8);
	memcpy(e[n].data, "C\0:\0\0\0", 6);
	e[n].len = 6;
	WANT(22, false, 0, false);
	n++;
	/* 8 characters and no NUL; ':' as the last character */
	ann_printer(&e[n], 23, "PRN12345", NULL);
	WANT(23, true, STATUS_SUCCESS, true);
	n++;
	ann_printer(&e[n], 24, "LPT9:", NULL);
	WANT(24, true, STATUS_SUCCESS, true);
	n++;
#undef WANT
	pdu = rpt_devlist(e, n, &len);
	rpt_entries_free(e, n);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "announce-mixed-entries-accepted", "%s \"%s\"",
		  rdpprn_errname(rc), nl->extack);
	ann_judge(nl, sid, "announce-mixed-entries-replies", w, n);
}

static noinline_for_stack void
ann_config(struct rpt_nl *nl, u32 sid)
{
	long long max_config = rpt_param("max_config", -1);
	struct rpt_printer p;
	struct ann_want w;
	struct rpt_entry e;
	char path[128], node[64];
	size_t len, blen = 0;
	u8 *pdu, *blob = NULL;
	u32 i;
	int rc;

	if (max_config < 0) {
		rpt_not_ok("cached-config-limit",
			   "module parameter max_config not readable");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.name = "With config";
	p.driver = "Generic";
	memcpy(p.dos, "PRN30", 6);
	p.config_len = (u32)max_config;
	p.config = rdpprn_xmalloc(p.config_len + 1);
	for (i = 0; i <= p.config_len; i++)
		p.config[i] = (u8)(i * 7 + 3);
	p.id = 30;
	rpt_printer_entry(&p, &e);
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "cached-config-at-limit-accepted", "%s \"%s\"",
		  rdpprn_errname(rc), nl->extack);
	w = (struct ann_want){ 30, true, STATUS_SUCCESS, true };
	ann_judge(nl, sid, "cached-config-at-limit-replies", &w, 1);
	if (!rpt_find_node(nl, sid, 30, node, sizeof(node))) {
		snprintf(path, sizeof(path), "/sys/class/rdpprn/%s/cached_config",
			 node + 5);
		rc = rdpprn_read_file(path, RPT_FILE_MAX, &blob, &blen);
		rpt_check(!rc && blen == p.config_len &&
			  !memcmp(blob, p.config, blen),
			  "cached-config-in-sysfs", "%s: %s, %zu bytes of %u",
			  path, rdpprn_errname(rc), blen, p.config_len);
		free(blob);
	}

	p.id = 31;
	memcpy(p.dos, "PRN31", 6);
	p.config_len++;
	rpt_printer_entry(&p, &e);
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "cached-config-over-limit-accepted", "%s \"%s\"",
		  rdpprn_errname(rc), nl->extack);
	w = (struct ann_want){ 31, true, STATUS_INSUFFICIENT_RESOURCES, false };
	ann_judge(nl, sid, "cached-config-over-limit-replies", &w, 1);
	free(p.config);
}

static noinline_for_stack void
ann_max_printers(void)
{
	long long maxp = rpt_param("max_printers", RPT_DEF_MAX_PRINTERS);
	long long max_announce = rpt_param("max_announce",
					   RPT_DEF_MAX_ANNOUNCE);
	struct rpt_reply *r = rdpprn_xzalloc(sizeof(*r) * MAX_REPLIES);
	unsigned int n = (unsigned int)maxp + 1, nr, i, ok = 0, full = 0;
	struct rpt_nl nl;
	u32 sid, *ids, extra = 5000;
	int rc, ndev;

	if (n > max_announce || n > MAX_REPLIES) {
		rpt_not_ok("max-printers", "max_printers %lld too big to test",
			   maxp);
		free(r);
		return;
	}
	if (rpt_setup_session(&nl, 0, 0, "check-max-printers", &sid)) {
		free(r);
		return;
	}
	ids = rdpprn_xmalloc(sizeof(*ids) * n);
	for (i = 0; i < n; i++)
		ids[i] = 100 + i;
	nr = MAX_REPLIES;
	rc = rpt_announce_simple(&nl, sid, ids, n, r, &nr);
	for (i = 0; i < nr; i++) {
		if (!r[i].status)
			ok++;
		else if (r[i].status == STATUS_INSUFFICIENT_RESOURCES)
			full++;
	}
	ndev = rpt_count_devices(&nl, sid);
	rpt_check(!rc && nr == n && ok == maxp && full == 1 && ndev == maxp,
		  "max-printers-one-announce",
		  "%s, %u replies: %u success, %u insufficient resources, %d devices (max_printers %lld)",
		  rdpprn_errname(rc), nr, ok, full, ndev, maxp);
	nr = MAX_REPLIES;
	rc = rpt_announce_simple(&nl, sid, &extra, 1, r, &nr);
	rpt_check(!rc && nr == 1 && r[0].status == STATUS_INSUFFICIENT_RESOURCES,
		  "max-printers-later-announce",
		  "%s, %u replies, status 0x%08x", rdpprn_errname(rc), nr,
		  nr ? r[0].status : 0);
	/* after a removal there is room again */
	{
		size_t len;
		u8 *pdu = rpt_remove(ids, 1, &len);

		rc = rpt_send_pdu(&nl, sid, pdu, len);
		free(pdu);
	}
	nr = MAX_REPLIES;
	if (!rc)
		rc = rpt_announce_simple(&nl, sid, &extra, 1, r, &nr);
	rpt_check(!rc && nr == 1 && !r[0].status,
		  "max-printers-room-after-remove",
		  "%s, %u replies, status 0x%08x", rdpprn_errname(rc), nr,
		  nr ? r[0].status : 0);
	rpt_session_del(&nl, sid);
	rpt_nl_close(&nl);
	free(ids);
	free(r);
}

static noinline_for_stack void
ann_replace_remove(struct rpt_nl *nl, u32 sid)
{
	struct rpt_obj *devs = NULL, *d;
	struct rpt_entry e;
	struct rpt_reply r[4];
	unsigned int nr, count = 0;
	char node[64], node2[64];
	const char *pname = "";
	u32 ids[2] = { 50, 777 };
	struct stat st;
	size_t len;
	u8 *pdu;
	int rc;

	ann_printer(&e, 50, NULL, "Old name");
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	nr = rpt_take_replies(nl, r, 4);
	rpt_check(!rc && nr == 1 && !r[0].status, "replace-first-announce",
		  "%s, %u replies", rdpprn_errname(rc), nr);
	node[0] = '\0';
	rpt_find_node(nl, sid, 50, node, sizeof(node));

	ann_printer(&e, 50, NULL, "New name");
	pdu = rpt_devlist(&e, 1, &len);
	free(e.data);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	nr = rpt_take_replies(nl, r, 4);
	rpt_check(!rc && nr == 1 && !r[0].status, "replace-second-announce",
		  "%s, %u replies, status 0x%08x", rdpprn_errname(rc), nr,
		  nr ? r[0].status : 0);
	rc = rpt_get_devices(nl, sid, &devs);
	for (d = devs; d; d = d->next) {
		if (d->u[RDPPRN_A_SESSION_ID] != sid ||
		    d->u[RDPPRN_A_DEVICE_ID] != 50)
			continue;
		count++;
		pname = d->s[RDPPRN_A_PRINTER_NAME] ?
			d->s[RDPPRN_A_PRINTER_NAME] : "(none)";
	}
	rpt_check(!rc && count == 1 && !strcmp(pname, "New name"),
		  "replace-keeps-one-device",
		  "%u devices with id 50, printer name \"%s\"", count, pname);
	rpt_objs_free(devs);

	node2[0] = '\0';
	rpt_find_node(nl, sid, 50, node2, sizeof(node2));
	pdu = rpt_remove(ids, 2, &len);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "remove-known-and-unknown", "%s \"%s\"",
		  rdpprn_errname(rc), nl->extack);
	rc = rpt_find_node(nl, sid, 50, node, sizeof(node));
	rpt_check(rc == -ENOENT && (!node2[0] || stat(node2, &st)),
		  "remove-deletes-device", "device 50 still there (%s)",
		  node2);
	pdu = rpt_remove(&ids[1], 1, &len);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "remove-unknown-ignored", "%s \"%s\"", rdpprn_errname(rc),
		  nl->extack);
	nr = 4;
	rc = rpt_announce_simple(nl, sid, ids, 1, r, &nr);
	rpt_check(!rc && nr == 1 && !r[0].status, "removed-id-reusable",
		  "%s, %u replies", rdpprn_errname(rc), nr);
}

static noinline_for_stack void
ann_split(struct rpt_nl *nl, u32 sid)
{
	struct rpt_entry e[3];
	struct ann_want w[3];
	struct rpt_printer p;
	struct ann_want w1;
	unsigned int i;
	size_t len;
	u8 *pdu;
	int rc;

	for (i = 0; i < 3; i++) {
		ann_printer(&e[i], 60 + i, NULL, NULL);
		w[i] = (struct ann_want){ 60 + i, true, STATUS_SUCCESS, true };
	}
	pdu = rpt_devlist(e, 3, &len);
	rpt_entries_free(e, 3);
	rc = rpt_send_pdu_split(nl, sid, pdu, len, 7);
	free(pdu);
	rpt_check(!rc, "announce-in-7-byte-attributes", "%s \"%s\"",
		  rdpprn_errname(rc), nl->extack);
	ann_judge(nl, sid, "announce-in-7-byte-attributes-replies", w, 3);

	/* a printer with a 100 KiB cached config in two attributes */
	memset(&p, 0, sizeof(p));
	p.id = 70;
	memcpy(p.dos, "PRN70", 6);
	p.name = "Big config";
	p.driver = "Generic";
	p.config_len = 100 * 1024;
	if (rpt_param("max_config", 0) < p.config_len)
		p.config_len = (u32)rpt_param("max_config", 0);
	p.config = rdpprn_xzalloc(p.config_len);
	rpt_printer_entry(&p, &e[0]);
	free(p.config);
	pdu = rpt_devlist(e, 1, &len);
	free(e[0].data);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	rpt_check(!rc, "announce-over-64k-accepted", "%zu bytes: %s \"%s\"",
		  len, rdpprn_errname(rc), nl->extack);
	w1 = (struct ann_want){ 70, true, STATUS_SUCCESS, true };
	ann_judge(nl, sid, "announce-over-64k-replies", &w1, 1);
}

/*
 * The helper's socket is full while the kernel answers an announce: a
 * receive buffer of about 2 KiB holds only a few Server Device Announce
 * Responses. No printer may exist that the client was not told about
 * (it would never be used, and the client would wait for its answer for
 * ever), and announcing again must bring every printer.
 */
static noinline_for_stack void ann_full_socket(void)
{
	struct rpt_reply *r = rdpprn_xzalloc(sizeof(*r) * MAX_REPLIES);
	unsigned int i, nr, ok_replies = 0;
	struct rpt_entry e[16];
	int devs, rc, drc, timeout;
	struct rpt_nl nl;
	size_t len;
	u8 *pdu;
	u32 sid;

	if (rpt_setup_session(&nl, 0, 0, "check-announce-full", &sid))
		goto out;
	for (i = 0; i < ARRAY_SIZE(e); i++)
		ann_printer(&e[i], 80 + i, NULL, NULL);
	pdu = rpt_devlist(e, ARRAY_SIZE(e), &len);
	rpt_entries_free(e, ARRAY_SIZE(e));

	nl_socket_set_buffer_size(nl.sk, 1024, 0);
	/* The ACK does not fit either: do not wait long for it. */
	timeout = nl.timeout_ms;
	nl.timeout_ms = 1000;
	rc = rpt_send_pdu(&nl, sid, pdu, len);
	nl.timeout_ms = timeout;
	drc = rpt_nl_drain(&nl);
	nr = rpt_take_replies(&nl, r, MAX_REPLIES);
	for (i = 0; i < nr; i++)
		ok_replies += r[i].status == STATUS_SUCCESS;
	nl_socket_set_buffer_size(nl.sk, 1 << 20, 0);
	devs = rpt_count_devices(&nl, sid);
	printf("# full socket: sendmsg %s, drain %s, %u of %zu answers came,",
	       rdpprn_errname(rc), rdpprn_errname(drc), nr, ARRAY_SIZE(e));
	printf(" %d printers exist, %u overruns\n", devs, nl.overruns);
	rpt_check(nr < ARRAY_SIZE(e), "announce-full-socket-overflowed",
		  "all %u answers fit: the check proves nothing", nr);
	rpt_check(devs == (int)ok_replies, "announce-full-socket-no-untold-printer",
		  "%d printers exist but the client was told of %u", devs,
		  ok_replies);

	/* The helper announces again: every printer comes, each answered. */
	rc = rpt_send_pdu(&nl, sid, pdu, len);
	nr = rpt_take_replies(&nl, r, MAX_REPLIES);
	devs = rpt_count_devices(&nl, sid);
	rpt_check(!rc && nr == ARRAY_SIZE(e) && devs == (int)ARRAY_SIZE(e),
		  "announce-full-socket-announce-again",
		  "%s: %u answers, %d printers", rdpprn_errname(rc), nr, devs);
	free(pdu);
	rpt_session_del(&nl, sid);
	rpt_nl_close(&nl);
out:
	free(r);
}

int rpt_cmd_check_announce(int argc, char **argv)
{
	struct rpt_nl nl;
	u32 sid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rpt_setup_session(&nl, 0, 0, "check-announce", &sid))
		return rpt_summary();
	ann_entries(&nl, sid);
	ann_config(&nl, sid);
	ann_replace_remove(&nl, sid);
	ann_split(&nl, sid);
	rpt_session_del(&nl, sid);
	rpt_nl_close(&nl);
	ann_max_printers();
	ann_full_socket();
	return rpt_summary();
}
