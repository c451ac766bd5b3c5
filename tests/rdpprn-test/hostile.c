// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test hostile: a hostile RDP client behind a root helper.
 *
 * The helper creates a session and forwards whatever its client sends,
 * which here is a stream of PDUs built to hurt: mutated copies of the
 * protocol vectors, truncations, corrupted length fields, random bytes,
 * announces and removes of its own DeviceIds, PDUs for other sessions,
 * and above all Device I/O Completions aimed at the session's live
 * requests - wrong DeviceIds, Lengths beyond the request, random
 * statuses, duplicates, other requests' CompletionIds. Meanwhile writer
 * processes print to the session's own printers, so that there are live
 * requests to aim at, and the printers come and go under them.
 *
 * PDUs go out without asking for an ACK and without waiting: the kernel
 * handles each inside the sendmsg(), so only refusals come back, and they
 * and the kernel's requests are drained from the socket every few PDUs
 * without blocking. The PDUs are a function of --seed; which requests
 * they meet depends on timing.
 *
 * Checks: every PDU was sent, no answer was lost (socket overrun), every
 * refusal has a documented errno and an extack message, the writers' jobs
 * were live, the session still works and ends cleanly.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_test.h"
#include "check.h"

#define HST_BUF		(70 * 1024)
#define HST_REQS	64
#define HST_RECENT	16
#define HST_OTHERS	8
#define HST_RING	65536
#define HST_ERRNOS	160
#define HST_WRITERS	8
#define HST_MAX_VECS	64
#define HST_OWN_IDS	8
#define HST_DRAIN	16
#define HST_CHUNK	(64 * 1024)

enum hst_kind {
	HK_MUTATE,
	HK_TRUNCATE,
	HK_LENGTH,
	HK_RANDOM,
	HK_COMPLETION,
	HK_ANNOUNCE,
	HK_REMOVE,
	HK_FOREIGN,
	HK_NR
};

static const char * const hst_kind_names[HK_NR] = {
	[HK_MUTATE] = "vector-mutation",
	[HK_TRUNCATE] = "truncation",
	[HK_LENGTH] = "length-field",
	[HK_RANDOM] = "random-bytes",
	[HK_COMPLETION] = "completion",
	[HK_ANNOUNCE] = "announce",
	[HK_REMOVE] = "remove",
	[HK_FOREIGN] = "other-session",
};

/* Per mille; the announces and removes are dear: each is a device_add() */
static const unsigned int hst_weights[HK_NR] = {
	[HK_MUTATE] = 230,
	[HK_TRUNCATE] = 100,
	[HK_LENGTH] = 100,
	[HK_RANDOM] = 100,
	[HK_COMPLETION] = 450,
	[HK_ANNOUNCE] = 3,
	[HK_REMOVE] = 2,
	[HK_FOREIGN] = 15,
};

/* What a refused PDU may answer (Documentation/netlink.rst) */
static const int hst_documented[] = {
	EBADMSG, ENODATA, EOVERFLOW, EILSEQ, E2BIG, EINVAL, ENOENT,
	EOPNOTSUPP, EPROTO, EPERM, EMSGSIZE, ENODEV,
};

static const u32 hst_interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 0x10, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0xfff0,
	0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe,
	0xffffffff,
};

static const u32 hst_statuses[] = {
	STATUS_UNSUCCESSFUL, STATUS_DEVICE_PAPER_EMPTY, STATUS_DEVICE_BUSY,
	STATUS_NO_SUCH_DEVICE, STATUS_ACCESS_DENIED, STATUS_PRINT_QUEUE_FULL,
	STATUS_NO_SPOOL_SPACE, STATUS_CANCELLED, 0x00000103, 0x80000005,
	0xdeadbeef,
};

/* One Device I/O Request the kernel sent and the attacker may answer */
struct hst_req {
	u32 sid;
	u32 dev;
	u32 cid;
	u32 major;
	u32 length;
	unsigned int uses;
};

struct hst_vec {
	u8 *data;
	size_t len;
};

/* Counters of a writer process, in memory shared with the parent */
struct hst_wstat {
	u64 jobs;
	u64 ok;
	u64 failed;
	u64 open_failed;
	u64 bytes;
};

struct hst {
	struct rpt_nl nl;
	struct rpt_nl_hooks hk;
	u32 sid;
	u64 rng;
	u64 count;
	struct hst_vec vecs[HST_MAX_VECS];
	unsigned int nvecs;
	struct hst_req reqs[HST_REQS];
	unsigned int nreqs;
	struct hst_req recent[HST_RECENT];
	unsigned int nrecent;
	u8 kinds[HST_RING];
	u64 sent[HK_NR];
	u64 refused[HK_NR];
	u64 ns[HK_NR];
	u64 aimed;
	u64 drain_ns;
	u64 total;
	u64 nrefused;
	u64 sendfail;
	u64 noext;
	int noext_err;
	u64 errs[HST_ERRNOS];
	u64 requests[4];
	u64 replies;
	pid_t writer[HST_WRITERS];
	unsigned int nwriters;
	struct hst_wstat *ws;
	pid_t parent;
	u32 others[HST_OTHERS];
	unsigned int nothers;
	char vdir[512];
	u8 buf[HST_BUF];
};

/* ---- randomness ------------------------------------------------------------- */

/* splitmix64: one seed, one sequence */
static u64 hst_rand(struct hst *h)
{
	u64 z = (h->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 hst_below(struct hst *h, u32 n)
{
	return n ? (u32)(hst_rand(h) % n) : 0;
}

static bool hst_chance(struct hst *h, unsigned int percent)
{
	return hst_below(h, 100) < percent;
}

static void hst_fill(struct hst *h, u8 *p, size_t len)
{
	while (len) {
		u64 v = hst_rand(h);
		size_t n = len < 8 ? len : 8;

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

static u32 hst_value(struct hst *h, size_t len)
{
	switch (hst_below(h, 4)) {
	case 0:
		return (u32)len + hst_below(h, 3) - 1;
	case 1:
		return (u32)hst_rand(h);
	default:
		return hst_interesting[hst_below(h, ARRAY_SIZE(hst_interesting))];
	}
}

/* ---- the kernel's side --------------------------------------------------------- */

static void hst_refused(struct rpt_nl *nl, u32 seq, int err,
			const char *extack)
{
	struct hst *h = nl->hooks->priv;
	unsigned int kind = h->kinds[~seq & (HST_RING - 1)];

	h->nrefused++;
	h->refused[kind]++;
	h->errs[-err < HST_ERRNOS ? -err : 0]++;
	if (!extack[0] && !h->noext++)
		h->noext_err = err;
}

static void hst_add_req(struct hst *h, const struct rpt_pdu *p,
			const struct rdpdr_ioreq *io)
{
	struct rdpdr_write_req wreq;
	struct rdpdr_err err;
	struct hst_req *r;

	if (h->nreqs == HST_REQS) {
		/* forget the oldest: its job times out or already failed */
		memmove(h->reqs, h->reqs + 1, sizeof(h->reqs[0]) * --h->nreqs);
	}
	r = &h->reqs[h->nreqs++];
	r->sid = p->session_id;
	r->dev = io->device_id;
	r->cid = io->completion_id;
	r->major = io->major_function;
	r->length = 0;
	r->uses = 0;
	if (io->major_function == IRP_MJ_WRITE &&
	    !rdpdr_parse_write_req(p->data, p->len, &wreq, &err))
		r->length = wreq.length;
	h->requests[io->major_function == IRP_MJ_CREATE ? 0 :
		    io->major_function == IRP_MJ_WRITE ? 1 :
		    io->major_function == IRP_MJ_CLOSE ? 2 : 3]++;
}

/* Read what the socket holds: refusals, requests, announce responses */
static void hst_drain(struct hst *h)
{
	struct rdpdr_ioreq io;
	struct rdpdr_err err;
	struct rpt_pdu *p;

	rpt_nl_drain(&h->nl);
	while ((p = rpt_nl_next_pdu(&h->nl, 0, NULL))) {
		if (!rdpdr_parse_ioreq(p->data, p->len, &io, &err))
			hst_add_req(h, p, &io);
		else
			h->replies++;
		free(p);
	}
}

static u64 hst_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One PDU; where the time goes is counted per kind (and for draining) */
static void hst_send(struct hst *h, enum hst_kind kind, u32 sid,
		     const u8 *pdu, size_t len)
{
	u64 t = hst_ns();
	int rc;

	h->kinds[~(h->hk.nowait_seq - 1) & (HST_RING - 1)] = kind;
	rc = rpt_send_pdu_nowait(&h->nl, sid, pdu, len);
	h->total++;
	h->sent[kind]++;
	if (rc)
		h->sendfail++;
	h->ns[kind] += hst_ns() - t;
	if (!(h->total % HST_DRAIN)) {
		t = hst_ns();
		hst_drain(h);
		h->drain_ns += hst_ns() - t;
	}
}

/* ---- building PDUs ------------------------------------------------------------- */

/*
 * A vector to mutate. The announce is picked a third as often: most of
 * its mutations (in the names) still announce two printers, and each new
 * printer costs a device_add(), a hundred times a refused PDU.
 */
static size_t hst_put_vector(struct hst *h, u8 *buf)
{
	const struct hst_vec *v;

	if (!h->nvecs)
		return 0;
	v = &h->vecs[hst_below(h, h->nvecs)];
	if (v->len >= 4 && rdpprn_get_le32(v->data) == 0x44414472 &&
	    hst_chance(h, 67))
		v = &h->vecs[hst_below(h, h->nvecs)];
	memcpy(buf, v->data, v->len);
	return v->len;
}

/* An announce of 1-@max of the attacker's own printers, maybe odd ones */
static noinline_for_stack size_t
hst_put_announce(struct hst *h, u8 *buf, size_t room, unsigned int max)
{
	struct rpt_printer p = { .driver = "Hostile" };
	struct rpt_entry e[3];
	unsigned int n = 1 + hst_below(h, max), i;
	char name[40];
	u8 config[64];
	size_t len;
	u8 *pdu;

	for (i = 0; i < n; i++) {
		p.id = 1 + hst_below(h, HST_OWN_IDS);
		snprintf(p.dos, sizeof(p.dos), "PRN%u", p.id);
		snprintf(name, sizeof(name), "Hostile %llx",
			 (unsigned long long)hst_rand(h));
		p.name = name;
		p.flags = (u32)hst_rand(h) & 0x1f;
		p.ascii = p.flags & RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII;
		hst_fill(h, config, sizeof(config));
		p.config = config;
		p.config_len = hst_below(h, sizeof(config));
		if (rpt_printer_entry(&p, &e[i]))
			rpt_die("hostile: cannot build a printer");
		if (hst_chance(h, 10))
			e[i].type = RDPDR_DTYP_PARALLEL;
	}
	pdu = rpt_devlist(e, n, &len);
	rpt_entries_free(e, n);
	if (len > room)
		len = room;
	memcpy(buf, pdu, len);
	free(pdu);
	return len;
}

static size_t hst_put_remove(struct hst *h, u8 *buf, size_t room)
{
	u32 ids[4];
	unsigned int n = 1 + hst_below(h, 3), i;
	size_t len;
	u8 *pdu;

	for (i = 0; i < n; i++)
		ids[i] = 1 + hst_below(h, HST_OWN_IDS + 2);
	pdu = rpt_remove(ids, n, &len);
	if (len > room)
		len = room;
	memcpy(buf, pdu, len);
	free(pdu);
	return len;
}

static void hst_mutate(struct hst *h, u8 *buf, size_t *len)
{
	unsigned int n = 1 + hst_below(h, 4), i;
	size_t at;

	for (i = 0; i < n && *len; i++) {
		at = hst_below(h, (u32)*len);
		switch (hst_below(h, 5)) {
		case 0:
			buf[at] ^= (u8)(1 << hst_below(h, 8));
			break;
		case 1:
			buf[at] = (u8)hst_rand(h);
			break;
		case 2:
			at &= ~(size_t)3;
			if (at + 4 <= *len)
				rdpprn_put_le32(buf + at, hst_value(h, *len));
			break;
		case 3:
			*len = at;
			break;
		default: {
			size_t more = hst_below(h, 64);

			if (*len + more <= HST_BUF) {
				hst_fill(h, buf + *len, more);
				*len += more;
			}
		}
		}
	}
}

/* The length fields of an announce: DeviceCount, then the first entry's */
static const u8 hst_announce_lengths[] = { 4, 24, 36, 40, 44, 48 };

static size_t hst_put_length(struct hst *h, u8 *buf)
{
	size_t len, at;

	if (hst_chance(h, 70)) {
		/*
		 * One printer: a second, intact one would make most of these
		 * a (costly) new printer rather than a corrupted PDU.
		 */
		len = hst_put_announce(h, buf, HST_BUF, 1);
		at = hst_announce_lengths[hst_below(h,
					  ARRAY_SIZE(hst_announce_lengths))];
	} else {
		len = hst_put_remove(h, buf, HST_BUF);
		at = 4;
	}
	if (at + 4 <= len) {
		u32 old = rdpprn_get_le32(buf + at), v = hst_value(h, len);

		/* a length that stays what it was corrupts nothing */
		rdpprn_put_le32(buf + at, v == old ? ~old : v);
	}
	return len;
}

static size_t hst_put_random(struct hst *h, u8 *buf)
{
	static const u16 ids[] = {
		PAKID_CORE_DEVICELIST_ANNOUNCE, PAKID_CORE_DEVICELIST_REMOVE,
		PAKID_CORE_DEVICE_IOCOMPLETION, PAKID_CORE_CLIENTID_CONFIRM,
		PAKID_CORE_DEVICE_REPLY, PAKID_CORE_DEVICE_IOREQUEST,
	};
	size_t len = hst_below(h, 300);

	hst_fill(h, buf, len);
	if (len >= 4 && hst_chance(h, 60)) {
		buf[0] = RDPDR_CTYP_CORE & 0xff;
		buf[1] = RDPDR_CTYP_CORE >> 8;
		buf[2] = ids[hst_below(h, ARRAY_SIZE(ids))] & 0xff;
		buf[3] = ids[hst_below(h, ARRAY_SIZE(ids))] >> 8;
	}
	return len;
}

/*
 * A Device I/O Completion for a live request, most of the time a wrong
 * one. The request is forgotten once an answer must have consumed it
 * (or after a few tries: then its job timed out or failed meanwhile).
 */
static size_t hst_put_completion(struct hst *h, u8 *buf, u32 *sid)
{
	struct hst_req none = { .sid = h->sid, .major = IRP_MJ_WRITE };
	unsigned int idx = hst_below(h, h->nreqs), what;
	struct hst_req *r = h->nreqs ? &h->reqs[idx] : &none;
	const struct hst_req *other = &h->reqs[hst_below(h, h->nreqs)];
	u32 dev, cid, status = 0, val = 0;
	bool consumed = false;
	size_t len;

	if (h->nreqs) {
		h->aimed++;
	} else if (h->nrecent) {
		/* none is live: one already answered, a duplicate */
		none = h->recent[hst_below(h, h->nrecent)];
		other = &none;
	} else {
		none.cid = hst_below(h, 64);
		none.dev = 1 + hst_below(h, HST_OWN_IDS);
		other = &none;
	}
	dev = r->dev;
	cid = r->cid;
	*sid = r->sid ? r->sid : h->sid;
	what = hst_below(h, 100);
	if (what < 45) {		/* the right answer */
		consumed = true;
		val = r->major == IRP_MJ_WRITE ? r->length : (u32)hst_rand(h);
	} else if (what < 50) {		/* a short write */
		consumed = true;
		val = hst_below(h, r->length + 1);
	} else if (what < 58) {		/* another DeviceId */
		dev ^= 1 + hst_below(h, 0xff);
	} else if (what < 63) {		/* Length beyond the request */
		consumed = true;
		val = r->length + 1 + hst_below(h, 0x10000);
	} else if (what < 73) {		/* a status that fails the job */
		consumed = true;
		status = hst_chance(h, 80) ?
			 hst_statuses[hst_below(h, ARRAY_SIZE(hst_statuses))] :
			 (u32)hst_rand(h);
	} else if (what < 78) {		/* the CompletionId of another */
		cid = other->cid;
		dev = other->dev;
	} else if (what < 83) {		/* an unknown CompletionId */
		cid += 1 + hst_below(h, 8);
	} else if (what < 88) {		/* a duplicate: send it twice */
		val = r->length;
		r->uses = 3;
	}
	switch (r->major) {
	case IRP_MJ_CREATE:
		len = rpt_create_rsp(buf, dev, cid, status, val);
		break;
	case IRP_MJ_WRITE:
		len = rpt_write_rsp(buf, dev, cid, status, val);
		break;
	default:
		len = rpt_close_rsp(buf, dev, cid, status);
		break;
	}
	if (what >= 88 && what < 94) {		/* truncated */
		len = hst_below(h, (u32)len);
	} else if (what >= 94) {		/* trailing garbage */
		size_t more = 1 + hst_below(h, 16);

		hst_fill(h, buf + len, more);
		len += more;
	}
	if (h->nreqs && (consumed || ++r->uses > 3)) {
		h->recent[h->nrecent < HST_RECENT ? h->nrecent++ :
			  hst_below(h, HST_RECENT)] = *r;
		*r = h->reqs[--h->nreqs];
	}
	return len;
}

static size_t hst_build(struct hst *h, enum hst_kind kind, u32 *sid)
{
	u8 *buf = h->buf;
	size_t len;

	*sid = h->sid;
	switch (kind) {
	case HK_MUTATE:
		len = hst_put_vector(h, buf);
		hst_mutate(h, buf, &len);
		return len;
	case HK_TRUNCATE:
		len = hst_chance(h, 50) ? hst_put_vector(h, buf) :
		      hst_put_announce(h, buf, HST_BUF, 3);
		return hst_below(h, (u32)len);
	case HK_LENGTH:
		return hst_put_length(h, buf);
	case HK_RANDOM:
		return hst_put_random(h, buf);
	case HK_COMPLETION:
		return hst_put_completion(h, buf, sid);
	case HK_ANNOUNCE:
		return hst_put_announce(h, buf, HST_BUF, 3);
	case HK_REMOVE:
		return hst_put_remove(h, buf, HST_BUF);
	default: {
		u32 own;

		len = hst_chance(h, 50) ? hst_put_completion(h, buf, &own) :
		      hst_put_announce(h, buf, HST_BUF, 3);
		/* another helper's session (EPERM), or none (ENOENT) */
		*sid = hst_chance(h, 20) ? (u32)hst_rand(h) :
		       h->sid + 1 + hst_below(h, 4);
		if (h->nothers && hst_chance(h, 60))
			*sid = h->others[hst_below(h, h->nothers)];
		return len;
	}
	}
}

static enum hst_kind hst_pick(struct hst *h)
{
	unsigned int x = hst_below(h, 1000), k;

	for (k = 0; k < HK_NR - 1; k++) {
		if (x < hst_weights[k])
			return k;
		x -= hst_weights[k];
	}
	return HK_NR - 1;
}

/* ---- the writers ------------------------------------------------------------------ */

/* Nodes of session @sid's printers, from sysfs */
static unsigned int hst_nodes(u32 sid, char (*nodes)[32], unsigned int max)
{
	char path[300], val[16];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir("/sys/class/rdpprn");

	while (d && n < max && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > 20)
			continue;
		snprintf(path, sizeof(path), "/sys/class/rdpprn/%s/session_id",
			 e->d_name);
		if (rpt_read_text(path, val, sizeof(val)) ||
		    strtoul(val, NULL, 10) != sid)
			continue;
		snprintf(nodes[n++], sizeof(nodes[0]), "/dev/%s", e->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * A writer prints jobs of 1-4 chunks to whichever of the attacker's
 * printers it finds, until its parent kills it. Most jobs fail: the
 * attacker answers their requests with nonsense, removes their printers.
 */
static void __noreturn hst_writer(struct hst *h, unsigned int idx)
{
	struct hst_wstat *st = &h->ws[idx];
	char nodes[HST_OWN_IDS + 8][32];
	unsigned int n, i, chunks;
	u8 *data = rdpprn_xmalloc(HST_CHUNK);
	int fd;

	close(rpt_nl_fd(&h->nl));
	h->rng ^= 0x5eed0000ULL + idx;
	hst_fill(h, data, HST_CHUNK);
	while (getppid() == h->parent) {
		n = hst_nodes(h->sid, nodes, ARRAY_SIZE(nodes));
		if (!n) {
			rpt_sleep_ms(10);
			continue;
		}
		fd = open(nodes[hst_below(h, n)], O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			st->open_failed++;
			rpt_sleep_ms(5);
			continue;
		}
		st->jobs++;
		chunks = 1 + hst_below(h, 4);
		for (i = 0; i < chunks; i++) {
			ssize_t w = write(fd, data, HST_CHUNK);

			if (w <= 0)
				break;
			st->bytes += w;
		}
		if (!close(fd) && i == chunks)
			st->ok++;
		else
			st->failed++;
	}
	_exit(0);
}

static void hst_start_writers(struct hst *h, unsigned int n)
{
	unsigned int i;

	h->ws = mmap(NULL, sizeof(*h->ws) * HST_WRITERS,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h->ws == MAP_FAILED)
		rpt_die("hostile: mmap: %s", strerror(errno));
	memset(h->ws, 0, sizeof(*h->ws) * HST_WRITERS);
	h->parent = getpid();
	fflush(stdout);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			rpt_die("hostile: fork: %s", strerror(errno));
		if (!pid)
			hst_writer(h, i);
		h->writer[h->nwriters++] = pid;
	}
}

static void hst_stop_writers(struct hst *h)
{
	unsigned int i;

	for (i = 0; i < h->nwriters; i++)
		kill(h->writer[i], SIGKILL);
	for (i = 0; i < h->nwriters; i++)
		waitpid(h->writer[i], NULL, 0);
}

/* ---- setup and report -------------------------------------------------------------- */

static int hst_vec_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int hst_hex_only(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && !strcmp(e->d_name + n - 4, ".hex");
}

/* The vectors in name order, so that a seed means the same PDUs */
static noinline_for_stack void
hst_load_vectors(struct hst *h, const char *dir)
{
	struct dirent **list;
	char path[512];
	int n, i;

	n = scandir(dir, &list, hst_hex_only, hst_vec_cmp);
	if (n < 0)
		rpt_die("hostile: %s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		struct hst_vec *v = &h->vecs[h->nvecs];

		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     list[i]->d_name) < (int)sizeof(path) &&
		    h->nvecs < HST_MAX_VECS &&
		    !rdpprn_load_hex(path, &v->data, &v->len) &&
		    v->len <= HST_BUF)
			h->nvecs++;
		free(list[i]);
	}
	free(list);
}

/* The sessions of other helpers (the victim's): PDUs for them are EPERM */
static void hst_find_others(struct hst *h)
{
	struct rpt_obj *list = NULL, *o;

	if (rpt_get_sessions(&h->nl, 0, true, &list))
		return;
	for (o = list; o && h->nothers < HST_OTHERS; o = o->next)
		if (o->u[RDPPRN_A_SESSION_ID] != h->sid)
			h->others[h->nothers++] = (u32)o->u[RDPPRN_A_SESSION_ID];
	rpt_objs_free(list);
}

static bool hst_documented_errno(int e)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hst_documented); i++)
		if (hst_documented[i] == e)
			return true;
	return false;
}

static noinline_for_stack void hst_report(struct hst *h, u64 ms)
{
	u64 undocumented = 0;
	int e, first = 0;
	unsigned int i;

	printf("# hostile: %llu PDUs sent, %llu refused, %llu accepted in %llu ms (%llu PDUs/s)\n",
	       (unsigned long long)h->total, (unsigned long long)h->nrefused,
	       (unsigned long long)(h->total - h->nrefused - h->sendfail),
	       (unsigned long long)ms,
	       (unsigned long long)(h->total * 1000 / (ms ? ms : 1)));
	for (i = 0; i < HK_NR; i++)
		printf("#   %-16s %8llu sent %8llu refused %8llu ms in sendmsg()\n",
		       hst_kind_names[i], (unsigned long long)h->sent[i],
		       (unsigned long long)h->refused[i],
		       (unsigned long long)(h->ns[i] / 1000000));
	printf("# hostile: %llu completions aimed at live requests; %llu ms draining the socket\n",
	       (unsigned long long)h->aimed,
	       (unsigned long long)(h->drain_ns / 1000000));
	printf("# hostile: refusals:");
	for (e = 0; e < HST_ERRNOS; e++) {
		if (!h->errs[e])
			continue;
		printf(" %s %llu", e ? rdpprn_errname(e) : "other",
		       (unsigned long long)h->errs[e]);
		if (!hst_documented_errno(e)) {
			undocumented += h->errs[e];
			if (!first)
				first = e;
		}
	}
	printf("\n# hostile: kernel requests: %llu creates, %llu writes, %llu closes, %llu other;",
	       (unsigned long long)h->requests[0],
	       (unsigned long long)h->requests[1],
	       (unsigned long long)h->requests[2],
	       (unsigned long long)h->requests[3]);
	printf(" %llu announce responses\n", (unsigned long long)h->replies);
	for (i = 0; i < h->nwriters; i++) {
		printf("# hostile: writer %u: %llu jobs, %llu ok, %llu failed,",
		       i, (unsigned long long)h->ws[i].jobs,
		       (unsigned long long)h->ws[i].ok,
		       (unsigned long long)h->ws[i].failed);
		printf(" %llu opens failed, %llu bytes taken\n",
		       (unsigned long long)h->ws[i].open_failed,
		       (unsigned long long)h->ws[i].bytes);
	}
	rpt_check(h->total == h->count && !h->sendfail, "hostile-pdus-sent",
		  "%llu of %llu sent, %llu sendmsg() failures",
		  (unsigned long long)h->total, (unsigned long long)h->count,
		  (unsigned long long)h->sendfail);
	rpt_check(!h->nl.overruns, "hostile-no-overrun",
		  "%u socket overruns: answers or requests were lost",
		  h->nl.overruns);
	rpt_check(!undocumented, "hostile-errnos-documented",
		  "%llu refusals with errnos not in netlink.rst, first %s",
		  (unsigned long long)undocumented,
		  first ? rdpprn_errname(first) : "unknown");
	rpt_check(!h->noext, "hostile-refusals-have-extack",
		  "%llu refusals without an extack message, first %s",
		  (unsigned long long)h->noext, rdpprn_errname(h->noext_err));
	rpt_check(h->requests[0] && h->requests[1], "hostile-jobs-live",
		  "the writers' jobs sent %llu creates, %llu writes",
		  (unsigned long long)h->requests[0],
		  (unsigned long long)h->requests[1]);
}

/*
 * After the attack the session must still work: a clean announce is
 * answered, and SESSION_DEL ends it with every printer gone.
 */
static noinline_for_stack void hst_after(struct hst *h)
{
	struct rpt_obj *devs = NULL, *d;
	struct rpt_reply r[16];
	unsigned int nr = ARRAY_SIZE(r), i, n = 0;
	char nodes[4][32];
	u32 id = 99, ids[64];
	size_t len;
	u8 *pdu;
	int rc;

	/* the mutated announces leave printers of any DeviceId: all go */
	hst_drain(h);
	if (!rpt_get_devices(&h->nl, h->sid, &devs))
		for (d = devs; d && n < ARRAY_SIZE(ids); d = d->next)
			ids[n++] = (u32)d->u[RDPPRN_A_DEVICE_ID];
	rpt_objs_free(devs);
	if (n) {
		pdu = rpt_remove(ids, n, &len);
		rpt_send_pdu(&h->nl, h->sid, pdu, len);
		free(pdu);
	}
	printf("# hostile: %u printers at the end of the attack\n", n);
	rc = rpt_announce_simple(&h->nl, h->sid, &id, 1, r, &nr);
	rpt_check(!rc && rpt_reply_for(r, nr, id) &&
		  !rpt_reply_for(r, nr, id)->status, "hostile-session-works",
		  "announce after the attack: %s \"%s\", %u responses",
		  rdpprn_errname(rc), h->nl.extack, nr);
	rc = rpt_session_del(&h->nl, h->sid);
	rpt_check(!rc, "hostile-session-del", "%s \"%s\"", rdpprn_errname(rc),
		  h->nl.extack);
	hst_stop_writers(h);
	/* the killed writers' files are released asynchronously */
	for (i = 0; i < 50 && hst_nodes(h->sid, nodes, 4); i++)
		rpt_sleep_ms(100);
	rpt_check(!hst_nodes(h->sid, nodes, 4), "hostile-printers-gone",
		  "%s of the ended session still exists", nodes[0]);
}

static const struct option hst_longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 's' },
	{ "vectors", required_argument, NULL, 'V' },
	{ "writers", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

int rpt_cmd_hostile(int argc, char **argv)
{
	struct hst *h = rdpprn_xzalloc(sizeof(*h));
	const char *vectors = getenv("IT_DIR") ? NULL : "vectors";
	u64 seed = 1, writers = 2, t0, next;
	int c;

	h->count = 100000;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:s:V:w:", hst_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			if (rdpprn_parse_u64(optarg, &h->count))
				rpt_die("hostile: bad --count");
			break;
		case 's':
			if (rdpprn_parse_u64(optarg, &seed))
				rpt_die("hostile: bad --seed");
			break;
		case 'V':
			vectors = optarg;
			break;
		case 'w':
			if (rdpprn_parse_u64(optarg, &writers) ||
			    writers > HST_WRITERS)
				rpt_die("hostile: bad --writers (at most %d)",
					HST_WRITERS);
			break;
		default:
			rpt_die("hostile: see --help");
		}
	}
	if (!vectors) {
		snprintf(h->vdir, sizeof(h->vdir), "%s/vectors",
			 getenv("IT_DIR"));
		vectors = h->vdir;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	h->rng = seed;
	hst_load_vectors(h, vectors);
	if (rpt_setup_session(&h->nl, 0, 0, "hostile", &h->sid))
		return rpt_summary();
	h->hk.priv = h;
	h->hk.async_err = hst_refused;
	h->nl.hooks = &h->hk;
	hst_find_others(h);
	printf("# hostile: seed %llu, %llu PDUs, %u vectors from %s, %llu writers,",
	       (unsigned long long)seed, (unsigned long long)h->count,
	       h->nvecs, vectors, (unsigned long long)writers);
	printf(" %u other sessions\n", h->nothers);
	hst_start_writers(h, (unsigned int)writers);
	printf("ATTACK session=%u\n", h->sid);
	t0 = rdpprn_now_ms();
	next = h->count / 10;
	while (h->total < h->count) {
		enum hst_kind kind = hst_pick(h);
		u32 sid;
		size_t len = hst_build(h, kind, &sid);

		hst_send(h, kind, sid, h->buf, len);
		if (h->total == next) {
			printf("# hostile: %llu PDUs after %llu ms\n",
			       (unsigned long long)h->total,
			       (unsigned long long)(rdpprn_now_ms() - t0));
			next += h->count / 10;
		}
	}
	hst_drain(h);
	hst_report(h, rdpprn_now_ms() - t0);
	hst_after(h);
	rpt_nl_close(&h->nl);
	printf("EXIT\n");
	return rpt_summary();
}
