// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: helpers shared by the check-* scenarios - expected-error
 * checks with extack, announce replies, node lookup and blocking calls
 * run in a thread with a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rdpprn_test.h"
#include "check.h"

bool rpt_expect_err(struct rpt_nl *nl, const char *name, int rc,
		    const int *want, unsigned int nwant, bool need_extack)
{
	char list[128] = "";
	unsigned int i;
	bool match = false;

	for (i = 0; i < nwant; i++) {
		if (rc == -want[i])
			match = true;
		if (strlen(list) + 20 < sizeof(list)) {
			if (i)
				strcat(list, " or ");
			strcat(list, rdpprn_errname(want[i]));
		}
	}
	if (!nwant) {
		match = rc < 0;
		snprintf(list, sizeof(list), "an error");
	}
	if (!match) {
		rpt_not_ok(name, "got %s (extack \"%s\"), want %s",
			   rdpprn_errname(rc), nl->extack, list);
		return false;
	}
	if (need_extack && !nl->extack[0]) {
		rpt_not_ok(name, "%s as expected but no extack message",
			   rdpprn_errname(rc));
		return false;
	}
	rpt_ok(name);
	printf("# %s: %s \"%s\"\n", name, rdpprn_errname(rc), nl->extack);
	return true;
}

unsigned int rpt_take_replies(struct rpt_nl *nl, struct rpt_reply *r,
			      unsigned int max)
{
	struct rpt_pdu **pp = &nl->head, *p;
	unsigned int n = 0;

	nl->tail = NULL;
	while ((p = *pp)) {
		struct rdpdr_device_reply dr;
		struct rdpdr_err err;

		if (n < max && !rdpdr_parse_device_reply(p->data, p->len, &dr,
							 &err)) {
			r[n].id = dr.device_id;
			r[n].status = dr.result_code;
			n++;
			*pp = p->next;
			nl->queued--;
			free(p);
			continue;
		}
		nl->tail = p;
		pp = &p->next;
	}
	return n;
}

int rpt_setup_session(struct rpt_nl *nl, u32 uid, u32 gid, const char *cname,
		      u32 *sid)
{
	int rc = rpt_nl_open(nl);

	if (rc) {
		rpt_not_ok("netlink-open", "%s (is rdpprn.ko loaded?)",
			   rdpprn_errname(rc));
		return rc;
	}
	rc = rpt_session_new(nl, uid, gid, cname, sid);
	if (rc) {
		rpt_not_ok("session-new", "%s \"%s\"", rdpprn_errname(rc),
			   nl->extack);
		rpt_nl_close(nl);
	}
	return rc;
}

int rpt_find_node(struct rpt_nl *nl, u32 sid, u32 id, char *name, size_t len)
{
	struct rpt_obj *devs = NULL, *d;
	int rc;

	rc = rpt_get_devices(nl, sid, &devs);
	if (rc)
		return rc;
	rc = -ENOENT;
	for (d = devs; d; d = d->next) {
		if (d->u[RDPPRN_A_SESSION_ID] != sid ||
		    d->u[RDPPRN_A_DEVICE_ID] != id || !d->s[RDPPRN_A_DEV_NAME])
			continue;
		snprintf(name, len, "/dev/%s", d->s[RDPPRN_A_DEV_NAME]);
		rc = 0;
		break;
	}
	rpt_objs_free(devs);
	return rc;
}

int rpt_count_devices(struct rpt_nl *nl, u32 sid)
{
	struct rpt_obj *devs = NULL, *d;
	int rc, n = 0;

	rc = rpt_get_devices(nl, sid, &devs);
	if (rc)
		return rc;
	for (d = devs; d; d = d->next)
		if (d->u[RDPPRN_A_SESSION_ID] == sid)
			n++;
	rpt_objs_free(devs);
	return n;
}

const struct rpt_reply *rpt_reply_for(const struct rpt_reply *r,
				      unsigned int n, u32 id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (r[i].id == id)
			return &r[i];
	return NULL;
}

int rpt_announce_simple(struct rpt_nl *nl, u32 sid, const u32 *ids,
			unsigned int n, struct rpt_reply *r, unsigned int *nr)
{
	struct rpt_entry *e = rdpprn_xzalloc(sizeof(*e) * n);
	unsigned int i;
	size_t len;
	u8 *pdu;
	int rc;

	for (i = 0; i < n; i++)
		if (rpt_simple_printer(ids[i], NULL, &e[i]))
			rpt_die("cannot build printer %u", ids[i]);
	pdu = rpt_devlist(e, n, &len);
	rpt_entries_free(e, n);
	free(e);
	rc = rpt_send_pdu(nl, sid, pdu, len);
	free(pdu);
	if (r && nr)
		*nr = rpt_take_replies(nl, r, *nr);
	return rc;
}

/*
 * The child starts with our counts (fork copies them): it sends only what
 * it added, so that every check is counted once.
 */
void rpt_in_child(const char *name, void (*fn)(void *arg), void *arg)
{
	unsigned int base[2], counts[2];
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		rpt_die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		rpt_die("fork: %s", strerror(errno));
	if (!pid) {
		close(fds[0]);
		rpt_get_counts(&base[0], &base[1]);
		fn(arg);
		rpt_get_counts(&counts[0], &counts[1]);
		counts[0] -= base[0];
		counts[1] -= base[1];
		fflush(stdout);
		if (write(fds[1], counts, sizeof(counts)) != sizeof(counts))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], counts, sizeof(counts));
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (n == sizeof(counts))
		rpt_add_counts(counts[0], counts[1]);
	else
		rpt_not_ok(name, "the child died (status 0x%x)", status);
}

/* ---- blocking calls in a thread ------------------------------------------ */

static void *rpt_async_main(void *arg)
{
	struct rpt_async *a = arg;
	u64 t0 = rdpprn_now_ms();
	int err = 0, ffd = -1;
	ssize_t ret = 0;

	/* this thread's own fail-nth, armed last: only the call may fail */
	if (a->fail_nth) {
		ffd = rpt_fail_nth_open();
		a->fail_left = ffd < 0 ? ffd : rpt_fail_nth_set(ffd, a->fail_nth);
	}
	switch (a->op) {
	case RPT_OP_OPEN:
		ret = open(a->path, a->flags | O_CLOEXEC);
		break;
	case RPT_OP_WRITE:
		ret = write(a->fd, a->buf, a->len);
		break;
	case RPT_OP_FSYNC:
		ret = fsync(a->fd);
		break;
	case RPT_OP_CLOSE:
		ret = close(a->fd);
		break;
	}
	if (ret < 0)
		err = errno;
	if (ffd >= 0) {
		if (!a->fail_left)
			a->fail_left = rpt_fail_nth_get(ffd);
		rpt_fail_nth_set(ffd, 0);
		close(ffd);
	}
	pthread_mutex_lock(&a->lock);
	a->ret = ret;
	a->err = err;
	a->ms = rdpprn_now_ms() - t0;
	a->done = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

void rpt_async_start(struct rpt_async *a, enum rpt_op op)
{
	a->op = op;
	a->done = false;
	a->ret = 0;
	a->err = 0;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (pthread_create(&a->th, NULL, rpt_async_main, a))
		rpt_die("pthread_create failed");
	a->started = true;
}

bool rpt_async_wait(struct rpt_async *a, int ms)
{
	struct timespec ts;
	bool done;

	rdpprn_deadline(&ts, ms);
	pthread_mutex_lock(&a->lock);
	while (!a->done && ms > 0)
		if (pthread_cond_timedwait(&a->cond, &a->lock, &ts))
			break;
	done = a->done;
	pthread_mutex_unlock(&a->lock);
	if (done && a->started) {
		pthread_join(a->th, NULL);
		a->started = false;
	}
	return done;
}

/* Next I/O request on @nl; NULL (and a not-ok line) when none comes */
struct rpt_pdu *rpt_expect_ioreq(struct rpt_nl *nl, const char *name,
				 u32 major, struct rdpdr_ioreq *io, int ms)
{
	struct rdpdr_err err;
	struct rpt_pdu *p;
	int rc;

	for (;;) {
		p = rpt_nl_next_pdu(nl, ms, &rc);
		if (!p) {
			rpt_not_ok(name, "no I/O request from the kernel (%s)",
				   rdpprn_errname(rc));
			return NULL;
		}
		if (rdpdr_parse_ioreq(p->data, p->len, io, &err)) {
			struct rdpdr_hdr h;

			if (!rdpdr_parse_hdr(p->data, p->len, &h, &err) &&
			    h.packet_id == PAKID_CORE_DEVICE_REPLY) {
				free(p);
				continue;
			}
			rpt_not_ok(name, "unexpected PDU of %zu bytes", p->len);
			free(p);
			return NULL;
		}
		if (io->major_function != major) {
			rpt_not_ok(name, "got MajorFunction %u, want %u",
				   io->major_function, major);
			free(p);
			return NULL;
		}
		return p;
	}
}
