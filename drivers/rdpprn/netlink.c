// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "rdpprn" generic netlink family.
 *
 * Commands from the helper (sessions, client PDUs) and from monitoring
 * tools (dumps), the transport that unicasts server-to-client PDUs to a
 * session's owner socket, the "monitor" multicast group, and the
 * NETLINK_URELEASE hook that ends the sessions of a closed socket.
 */
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "rdpprn.h"

static struct genl_family rdpprn_family;

enum rdpprn_mcgrp {
	RDPPRN_MCGRP_MONITOR_ID,
};

/*
 * Events name users, clients and printers of every session: only
 * administrators may listen, as only they may dump the same objects.
 */
static const struct genl_multicast_group rdpprn_mcgrps[] = {
	[RDPPRN_MCGRP_MONITOR_ID] = {
		.name = RDPPRN_MCGRP_MONITOR,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* ---- transport ------------------------------------------------------------- */

static int rdpprn_nl_send(struct rdpprn_session *s, const struct kvec *iov,
			  unsigned int n)
{
	struct sk_buff *skb;
	struct nlattr *nla;
	size_t len = 0;
	unsigned int i;
	void *hdr;
	u8 *p;

	/*
	 * netlink_release() frees the port id before NETLINK_URELEASE ends
	 * the session, and any socket may bind it in between: never send to
	 * a port whose owner socket is dying.
	 */
	if (s->owner_sk && sock_flag(s->owner_sk, SOCK_DEAD))
		return -ECONNREFUSED;
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (WARN_ON_ONCE(len > RDPPRN_PDU_ATTR_MAX))
		return -EMSGSIZE;
	skb = genlmsg_new(nla_total_size(sizeof(u32)) + nla_total_size(len),
			  GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &rdpprn_family, 0, RDPPRN_CMD_PDU);
	if (!hdr || nla_put_u32(skb, RDPPRN_A_SESSION_ID, s->id))
		goto nospace;
	nla = nla_reserve(skb, RDPPRN_A_PDU, len);
	if (!nla)
		goto nospace;
	p = nla_data(nla);
	for (i = 0; i < n; i++) {
		memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_unicast(s->net, skb, s->portid);

nospace:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/*
 * Room for @len bytes of PDU and, after them, the ACK of the request in
 * hand. An skb's truesize is up to twice what it carries (kmalloc rounds
 * the data up to a power of two); the ACK needs one small skb.
 */
static bool rdpprn_nl_room(struct rdpprn_session *s, size_t len)
{
	struct sock *sk = s->owner_sk;

	if (!sk)
		return true;
	return atomic_read(&sk->sk_rmem_alloc) + 2 * len +
	       SKB_TRUESIZE(NLMSG_GOODSIZE) <= READ_ONCE(sk->sk_rcvbuf);
}

const struct rdpprn_transport rdpprn_nl_transport = {
	.send = rdpprn_nl_send,
	.room = rdpprn_nl_room,
};

/* ---- message contents -------------------------------------------------------- */

static int rdpprn_nl_fill_session(struct sk_buff *skb,
				  struct rdpprn_session *s, u32 portid,
				  u32 seq, int flags, u8 cmd)
{
	void *hdr = genlmsg_put(skb, portid, seq, &rdpprn_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, RDPPRN_A_SESSION_ID, s->id) ||
	    nla_put_u32(skb, RDPPRN_A_UID, from_kuid(&init_user_ns, s->uid)) ||
	    nla_put_u32(skb, RDPPRN_A_GID, from_kgid(&init_user_ns, s->gid)) ||
	    nla_put_string(skb, RDPPRN_A_CLIENT_NAME, s->client_name) ||
	    (s->client_addr[0] &&
	     nla_put_string(skb, RDPPRN_A_CLIENT_ADDR, s->client_addr)) ||
	    nla_put_u32(skb, RDPPRN_A_OWNER_PORTID, s->portid) ||
	    nla_put_u32(skb, RDPPRN_A_DEVICES, READ_ONCE(s->nr_printers)) ||
	    nla_put_u32(skb, RDPPRN_A_ORPHANS, READ_ONCE(s->nr_orphans)) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_ERRORS,
			      atomic64_read(&s->errors), RDPPRN_A_PAD) ||
	    nla_put_u32(skb, RDPPRN_A_SESSION_STATE, !READ_ONCE(s->dead))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int rdpprn_nl_fill_device(struct sk_buff *skb,
				 struct rdpprn_device *pdev, u32 portid,
				 u32 seq, int flags, u8 cmd)
{
	struct rdpprn_session *s = pdev->session;
	void *hdr = genlmsg_put(skb, portid, seq, &rdpprn_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, RDPPRN_A_SESSION_ID, s->id) ||
	    nla_put_u32(skb, RDPPRN_A_DEVICE_ID, pdev->device_id) ||
	    nla_put_u32(skb, RDPPRN_A_MINOR, MINOR(pdev->dev.devt)) ||
	    nla_put_string(skb, RDPPRN_A_DEV_NAME, dev_name(&pdev->dev)) ||
	    nla_put_string(skb, RDPPRN_A_PRINTER_NAME, pdev->printer_name) ||
	    nla_put_string(skb, RDPPRN_A_DRIVER_NAME, pdev->driver_name) ||
	    nla_put_string(skb, RDPPRN_A_DOS_NAME, pdev->dos_name) ||
	    nla_put_u32(skb, RDPPRN_A_FLAGS, pdev->flags) ||
	    nla_put_u32(skb, RDPPRN_A_UID, from_kuid(&init_user_ns, s->uid)) ||
	    nla_put_u32(skb, RDPPRN_A_GID, from_kgid(&init_user_ns, s->gid)) ||
	    nla_put_u32(skb, RDPPRN_A_OPEN_JOBS, READ_ONCE(pdev->nr_jobs)) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_JOBS, atomic64_read(&pdev->jobs),
			      RDPPRN_A_PAD) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_BYTES, atomic64_read(&pdev->bytes),
			      RDPPRN_A_PAD) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_ERRORS,
			      atomic64_read(&pdev->errors), RDPPRN_A_PAD) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_INCOMPLETE,
			      atomic64_read(&pdev->incomplete), RDPPRN_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* session->lock held: the job's counters are read consistently. */
static int rdpprn_nl_fill_job(struct sk_buff *skb, struct rdpprn_job *job,
			      u32 portid, u32 seq)
{
	struct rdpprn_device *pdev = job->pdev;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rdpprn_family, NLM_F_MULTI,
			  RDPPRN_CMD_JOB_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, RDPPRN_A_SESSION_ID, job->s->id) ||
	    nla_put_u32(skb, RDPPRN_A_DEVICE_ID, pdev->device_id) ||
	    nla_put_u32(skb, RDPPRN_A_MINOR, MINOR(pdev->dev.devt)) ||
	    nla_put_string(skb, RDPPRN_A_DEV_NAME, dev_name(&pdev->dev)) ||
	    nla_put_u32(skb, RDPPRN_A_FILE_ID, job->file_id) ||
	    nla_put_u32(skb, RDPPRN_A_JOB_STATE, job->state) ||
	    nla_put_u32(skb, RDPPRN_A_PID, job->pid) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_QUEUED,
			      rdpprn_ring_unacked(&job->ring), RDPPRN_A_PAD) ||
	    nla_put_u64_64bit(skb, RDPPRN_A_BYTES, job->ring.tail,
			      RDPPRN_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* ---- notifications -------------------------------------------------------------- */

static void rdpprn_nl_multicast(struct net *net, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&rdpprn_family, net, skb, 0,
				RDPPRN_MCGRP_MONITOR_ID, GFP_KERNEL);
}

void rdpprn_nl_notify_device(struct rdpprn_device *pdev, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&rdpprn_family, pdev->session->net,
				RDPPRN_MCGRP_MONITOR_ID))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (rdpprn_nl_fill_device(skb, pdev, 0, 0, 0, cmd)) {
		nlmsg_free(skb);
		return;
	}
	rdpprn_nl_multicast(pdev->session->net, skb);
}

void rdpprn_nl_notify_session(struct rdpprn_session *s, bool up)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&rdpprn_family, s->net,
				RDPPRN_MCGRP_MONITOR_ID))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (rdpprn_nl_fill_session(skb, s, 0, 0, 0,
				   RDPPRN_CMD_SESSION_EVENT)) {
		nlmsg_free(skb);
		return;
	}
	rdpprn_nl_multicast(s->net, skb);
}

/* ---- commands ---------------------------------------------------------------------- */

static struct rdpprn_session *rdpprn_nl_session(struct genl_info *info)
{
	struct rdpprn_session *s;

	if (GENL_REQ_ATTR_CHECK(info, RDPPRN_A_SESSION_ID))
		return ERR_PTR(-EINVAL);
	s = rdpprn_session_get(genl_info_net(info),
			       nla_get_u32(info->attrs[RDPPRN_A_SESSION_ID]));
	if (!s) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[RDPPRN_A_SESSION_ID]);
		NL_SET_ERR_MSG(info->extack, "no such session");
		return ERR_PTR(-ENOENT);
	}
	return s;
}

/*
 * The client's address as the RDP server saw it, for site policy that
 * targets addresses (rdpprn-queued). Only an IPv4 or IPv6 literal is
 * kept, in the canonical form %pI4/%pI6c print, so that every reader
 * compares the same text.
 */
static int rdpprn_nl_client_addr(const struct nlattr *attr, char *out,
				 size_t size, struct netlink_ext_ack *extack)
{
	const char *text = attr ? nla_data(attr) : "";
	u8 a[16];

	if (!*text) {
		*out = '\0';
		return 0;
	}
	if (in4_pton(text, -1, a, '\0', NULL)) {
		snprintf(out, size, "%pI4", a);
		return 0;
	}
	if (in6_pton(text, -1, a, '\0', NULL)) {
		snprintf(out, size, "%pI6c", a);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "client address is no IPv4 or IPv6 literal");
	return -EINVAL;
}

static int rdpprn_nl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	char addr[RDPPRN_CLIENT_ADDR_MAX];
	struct rdpprn_session *s;
	struct sk_buff *msg;
	kuid_t uid;
	kgid_t gid;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RDPPRN_A_UID) ||
	    GENL_REQ_ATTR_CHECK(info, RDPPRN_A_GID))
		return -EINVAL;
	uid = make_kuid(current_user_ns(),
			nla_get_u32(info->attrs[RDPPRN_A_UID]));
	gid = make_kgid(current_user_ns(),
			nla_get_u32(info->attrs[RDPPRN_A_GID]));
	if (!uid_valid(uid) || !gid_valid(gid)) {
		NL_SET_ERR_MSG(info->extack, "uid or gid not valid here");
		return -EINVAL;
	}
	ret = rdpprn_nl_client_addr(info->attrs[RDPPRN_A_CLIENT_ADDR], addr,
				    sizeof(addr), info->extack);
	if (ret)
		return ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	/* The session is bound to the sending socket, not just its port id. */
	s = rdpprn_session_new(genl_info_net(info), NETLINK_CB(skb).sk,
			       info->snd_portid, uid, gid,
			       info->attrs[RDPPRN_A_CLIENT_NAME] ?
			       nla_data(info->attrs[RDPPRN_A_CLIENT_NAME]) : "",
			       addr, &rdpprn_nl_transport, info->extack);
	if (IS_ERR(s)) {
		nlmsg_free(msg);
		return PTR_ERR(s);
	}
	ret = rdpprn_nl_fill_session(msg, s, info->snd_portid, info->snd_seq,
				     0, RDPPRN_CMD_SESSION_NEW);
	if (ret) {
		nlmsg_free(msg);
		rdpprn_session_end(s);
		rdpprn_session_put(s);
		return ret;
	}
	rdpprn_nl_notify_session(s, true);
	rdpprn_session_put(s);
	return genlmsg_reply(msg, info);
}

static int rdpprn_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct rdpprn_session *s = rdpprn_nl_session(info);

	if (IS_ERR(s))
		return PTR_ERR(s);
	rdpprn_session_end(s);
	rdpprn_session_put(s);
	return 0;
}

static int rdpprn_nl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rdpprn_session *s = rdpprn_nl_session(info);
	struct sk_buff *msg;
	int ret;

	if (IS_ERR(s))
		return PTR_ERR(s);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	ret = msg ? rdpprn_nl_fill_session(msg, s, info->snd_portid,
					   info->snd_seq, 0,
					   RDPPRN_CMD_SESSION_GET) : -ENOMEM;
	rdpprn_session_put(s);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int rdpprn_nl_session_dump(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct rdpprn_session *s;
	unsigned long idx = cb->args[0];
	int ret = 0;

	mutex_lock(&rdpprn_sessions_lock);
	xa_for_each_start(&rdpprn_sessions, idx, s, cb->args[0]) {
		if (!net_eq(s->net, sock_net(skb->sk)))
			continue;
		ret = rdpprn_nl_fill_session(skb, s,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     RDPPRN_CMD_SESSION_GET);
		if (ret)
			break;
	}
	mutex_unlock(&rdpprn_sessions_lock);
	cb->args[0] = ret ? idx : ULONG_MAX;
	return ret && !skb->len ? ret : skb->len;
}

/*
 * Gather the PDU: one RDPPRN_A_PDU attribute is used in place; several
 * (a PDU longer than one attribute can carry) are concatenated.
 */
static const u8 *rdpprn_nl_gather_pdu(struct genl_info *info, size_t *len,
				      u8 **copy)
{
	const struct nlattr *nla;
	size_t total = 0;
	int rem, count = 0;
	u8 *p;

	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != RDPPRN_A_PDU)
			continue;
		total += nla_len(nla);
		count++;
	}
	*copy = NULL;
	*len = total;
	if (total > READ_ONCE(rdpprn_max_pdu)) {
		NL_SET_ERR_MSG(info->extack, "PDU longer than max_pdu");
		return ERR_PTR(-EMSGSIZE);
	}
	if (count == 1)
		return nla_data(info->attrs[RDPPRN_A_PDU]);
	p = kvmalloc(total, GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	*copy = p;
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != RDPPRN_A_PDU)
			continue;
		memcpy(p, nla_data(nla), nla_len(nla));
		p += nla_len(nla);
	}
	return *copy;
}

static int rdpprn_nl_pdu(struct sk_buff *skb, struct genl_info *info)
{
	struct rdpprn_session *s;
	const u8 *pdu;
	size_t len;
	u8 *copy;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RDPPRN_A_PDU))
		return -EINVAL;
	s = rdpprn_nl_session(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (s->portid != info->snd_portid ||
	    !net_eq(s->net, genl_info_net(info))) {
		NL_SET_ERR_MSG(info->extack, "not the session's owner socket");
		ret = -EPERM;
		goto out;
	}
	pdu = rdpprn_nl_gather_pdu(info, &len, &copy);
	if (IS_ERR(pdu)) {
		ret = PTR_ERR(pdu);
		goto out;
	}
	ret = rdpprn_session_rx_pdu(s, pdu, len, info->extack);
	kvfree(copy);
out:
	rdpprn_session_put(s);
	return ret;
}

/* Optional RDPPRN_A_SESSION_ID filter of a dump request. */
static u32 rdpprn_nl_dump_filter(struct netlink_callback *cb)
{
	const struct nlattr *nla = rdpprn_dumpit_attrs(cb)[RDPPRN_A_SESSION_ID];

	return nla ? nla_get_u32(nla) : 0;
}

/*
 * Walk sessions (cb->args[0]) and their printers (cb->args[1]); @fill
 * writes the messages of one printer, resuming at cb->args[2].
 */
static int rdpprn_nl_walk_devices(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  int (*fill)(struct sk_buff *skb,
					      struct netlink_callback *cb,
					      struct rdpprn_device *pdev))
{
	u32 filter = rdpprn_nl_dump_filter(cb);
	unsigned long sidx, didx;
	struct rdpprn_session *s;
	struct rdpprn_device *pdev;
	int ret = 0;

	mutex_lock(&rdpprn_sessions_lock);
	xa_for_each_start(&rdpprn_sessions, sidx, s, cb->args[0]) {
		if (!net_eq(s->net, sock_net(skb->sk)) ||
		    (filter && s->id != filter))
			continue;
		mutex_lock(&s->lock);
		xa_for_each_start(&s->devices, didx, pdev, cb->args[1]) {
			ret = fill(skb, cb, pdev);
			if (ret)
				break;
			cb->args[1] = didx + 1;
			cb->args[2] = 0;
		}
		mutex_unlock(&s->lock);
		if (ret)
			break;
		cb->args[0] = sidx + 1;
		cb->args[1] = 0;
	}
	mutex_unlock(&rdpprn_sessions_lock);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int rdpprn_nl_fill_device_cb(struct sk_buff *skb,
				    struct netlink_callback *cb,
				    struct rdpprn_device *pdev)
{
	return rdpprn_nl_fill_device(skb, pdev, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     RDPPRN_CMD_DEVICE_GET);
}

static int rdpprn_nl_device_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return rdpprn_nl_walk_devices(skb, cb, rdpprn_nl_fill_device_cb);
}

static int rdpprn_nl_fill_jobs_cb(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct rdpprn_device *pdev)
{
	struct rdpprn_job *job;
	long i = 0;
	int ret;

	list_for_each_entry(job, &pdev->job_list, node) {
		if (i++ < cb->args[2])
			continue;
		ret = rdpprn_nl_fill_job(skb, job, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq);
		if (ret)
			return ret;
		cb->args[2] = i;
	}
	return 0;
}

static int rdpprn_nl_job_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return rdpprn_nl_walk_devices(skb, cb, rdpprn_nl_fill_jobs_cb);
}

static int rdpprn_nl_printer_cache(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *config = info->attrs[RDPPRN_A_CONFIG];
	struct nlattr *name = info->attrs[RDPPRN_A_PRINTER_NAME];
	struct rdpprn_session *s;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RDPPRN_A_DEVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, RDPPRN_A_CACHE_EVENT))
		return -EINVAL;
	s = rdpprn_nl_session(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = rdpprn_cache_send(s, nla_get_u32(info->attrs[RDPPRN_A_DEVICE_ID]),
				nla_get_u32(info->attrs[RDPPRN_A_CACHE_EVENT]),
				config ? nla_data(config) : NULL,
				config ? nla_len(config) : 0,
				name ? nla_data(name) : NULL, info->extack);
	rdpprn_session_put(s);
	return ret;
}

static const struct nla_policy rdpprn_session_new_policy[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_UID] = { .type = NLA_U32 },
	[RDPPRN_A_GID] = { .type = NLA_U32 },
	[RDPPRN_A_CLIENT_NAME] = { .type = NLA_NUL_STRING,
				   .len = RDPPRN_CLIENT_NAME_MAX - 1 },
	[RDPPRN_A_CLIENT_ADDR] = { .type = NLA_NUL_STRING,
				   .len = RDPPRN_CLIENT_ADDR_MAX - 1 },
};

static const struct nla_policy rdpprn_session_policy[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_SESSION_ID] = { .type = NLA_U32 },
};

static const struct nla_policy rdpprn_pdu_policy[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_SESSION_ID] = { .type = NLA_U32 },
	[RDPPRN_A_PDU] = { .type = NLA_BINARY, .len = RDPPRN_PDU_ATTR_MAX },
};

static const struct nla_policy rdpprn_cache_policy[RDPPRN_A_MAX + 1] = {
	[RDPPRN_A_SESSION_ID] = { .type = NLA_U32 },
	[RDPPRN_A_DEVICE_ID] = { .type = NLA_U32 },
	[RDPPRN_A_CACHE_EVENT] = NLA_POLICY_RANGE(NLA_U32, RDPPRN_CACHE_ADD,
						  RDPPRN_CACHE_RENAME),
	[RDPPRN_A_CONFIG] = { .type = NLA_BINARY, .len = RDPPRN_PDU_ATTR_MAX },
	[RDPPRN_A_PRINTER_NAME] = { .type = NLA_NUL_STRING,
				    .len = RDPDR_MAX_UTF8_BYTES - 1 },
};

static const struct genl_ops rdpprn_ops[] = {
	{
		.cmd = RDPPRN_CMD_SESSION_NEW,
		.doit = rdpprn_nl_session_new,
		.policy = rdpprn_session_new_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_SESSION_DEL,
		.doit = rdpprn_nl_session_del,
		.policy = rdpprn_session_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_SESSION_GET,
		.doit = rdpprn_nl_session_get,
		.dumpit = rdpprn_nl_session_dump,
		.policy = rdpprn_session_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_PDU,
		.doit = rdpprn_nl_pdu,
		.policy = rdpprn_pdu_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_DEVICE_GET,
		.dumpit = rdpprn_nl_device_dump,
		.policy = rdpprn_session_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_JOB_GET,
		.dumpit = rdpprn_nl_job_dump,
		.policy = rdpprn_session_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = RDPPRN_CMD_PRINTER_CACHE,
		.doit = rdpprn_nl_printer_cache,
		.policy = rdpprn_cache_policy,
		.maxattr = RDPPRN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family rdpprn_family __ro_after_init = {
	.name = RDPPRN_GENL_NAME,
	.version = RDPPRN_GENL_VERSION,
	.maxattr = RDPPRN_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = rdpprn_ops,
	.n_ops = ARRAY_SIZE(rdpprn_ops),
	.resv_start_op = RDPPRN_CMD_SESSION_NEW,
	.mcgrps = rdpprn_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rdpprn_mcgrps),
};

/* The owner socket of a session went away: so does the session. */
static int rdpprn_nl_urelease(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		rdpprn_session_end_port(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block rdpprn_nl_notifier = {
	.notifier_call = rdpprn_nl_urelease,
};

int rdpprn_netlink_init(void)
{
	int ret;

	ret = netlink_register_notifier(&rdpprn_nl_notifier);
	if (ret)
		return ret;
	ret = genl_register_family(&rdpprn_family);
	if (ret)
		netlink_unregister_notifier(&rdpprn_nl_notifier);
	return ret;
}

void rdpprn_netlink_exit(void)
{
	genl_unregister_family(&rdpprn_family);
	netlink_unregister_notifier(&rdpprn_nl_notifier);
}
