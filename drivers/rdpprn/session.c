// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - sessions: one RDP connection's rdpdr channel each.
 *
 * A session is created for a helper socket, holds the printers that client
 * announced and the requests awaiting the client's answers, and ends when
 * the helper deletes it or its socket goes away. Client-to-server PDUs of
 * a session are dispatched from here.
 */
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "rdpprn.h"

/* Protects rdpprn_sessions and rdpprn_nr_sessions. */
DEFINE_MUTEX(rdpprn_sessions_lock);
DEFINE_XARRAY_ALLOC1(rdpprn_sessions);
static u32 rdpprn_next_session;
static unsigned int rdpprn_nr_sessions;	/* under rdpprn_sessions_lock */

static void rdpprn_session_release(struct kref *ref)
{
	struct rdpprn_session *s = container_of(ref, struct rdpprn_session, ref);

	WARN_ON(!xa_empty(&s->devices));
	WARN_ON(!xa_empty(&s->irps));
	WARN_ON(s->nr_devices);
	xa_destroy(&s->devices);
	xa_destroy(&s->irps);
	mutex_destroy(&s->lock);
	if (s->owner_sk)
		sock_put(s->owner_sk);
	put_net(s->net);
	kfree(s);
}

void rdpprn_session_put(struct rdpprn_session *s)
{
	kref_put(&s->ref, rdpprn_session_release);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_put);

/**
 * rdpprn_session_new() - start a session
 * @net: namespace of the owner socket
 * @owner_sk: the owner socket, or NULL (KUnit); referenced
 * @portid: netlink port of the owner socket
 * @uid: owner of the device nodes
 * @gid: group of the device nodes
 * @client_name: the client's computer name (UTF-8), may be empty
 * @client_addr: the client's address in canonical form, may be empty
 * @tp: transport to the owner
 * @extack: error reporting
 *
 * Return: the session with a reference for the caller, or an ERR_PTR.
 */
struct rdpprn_session *rdpprn_session_new(struct net *net,
					  struct sock *owner_sk, u32 portid,
					  kuid_t uid, kgid_t gid,
					  const char *client_name,
					  const char *client_addr,
					  const struct rdpprn_transport *tp,
					  struct netlink_ext_ack *extack)
{
	struct rdpprn_session *s;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	/* Notifications after the owner socket is gone still use it. */
	s->net = get_net(net);
	if (owner_sk) {
		sock_hold(owner_sk);
		s->owner_sk = owner_sk;
	}
	s->portid = portid;
	s->uid = uid;
	s->gid = gid;
	strscpy(s->client_name, client_name, sizeof(s->client_name));
	strscpy(s->client_addr, client_addr, sizeof(s->client_addr));
	s->tp = tp;
	kref_init(&s->ref);
	mutex_init(&s->lock);
	xa_init(&s->devices);
	xa_init_flags(&s->irps, XA_FLAGS_ALLOC);
	INIT_DELAYED_WORK(&s->orphan_work, rdpprn_orphan_work);
	atomic64_set(&s->pdus, 0);
	atomic64_set(&s->errors, 0);

	mutex_lock(&rdpprn_sessions_lock);
	ret = -ENOSPC;
	if (rdpprn_nr_sessions < READ_ONCE(rdpprn_max_sessions))
		ret = xa_alloc_cyclic(&rdpprn_sessions, &s->id, s,
				      XA_LIMIT(1, INT_MAX),
				      &rdpprn_next_session, GFP_KERNEL);
	if (ret >= 0) {
		rdpprn_nr_sessions++;
		kref_get(&s->ref);	/* the table's reference */
	}
	mutex_unlock(&rdpprn_sessions_lock);
	if (ret < 0) {
		NL_SET_ERR_MSG(extack, "session limit (max_sessions) reached");
		rdpprn_session_put(s);
		return ERR_PTR(-ENOSPC);
	}
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_new);

/*
 * Return: the session @id of namespace @net with a reference, or NULL.
 * Another namespace's sessions are not there for it.
 */
struct rdpprn_session *rdpprn_session_get(struct net *net, u32 id)
{
	struct rdpprn_session *s;

	mutex_lock(&rdpprn_sessions_lock);
	s = xa_load(&rdpprn_sessions, id);
	if (s && !net_eq(s->net, net))
		s = NULL;
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&rdpprn_sessions_lock);
	return s;
}

/**
 * rdpprn_session_end() - end a session
 * @s: session, referenced by the caller
 *
 * Removes the session from the table, removes its printers (open jobs fail
 * with ENODEV), drops every pending request and stops all sending. Safe to
 * call more than once.
 */
void rdpprn_session_end(struct rdpprn_session *s)
{
	struct rdpprn_device *pdev;
	unsigned long idx;
	LIST_HEAD(gone);
	bool was_live;

	mutex_lock(&rdpprn_sessions_lock);
	was_live = xa_erase(&rdpprn_sessions, s->id) == s;
	if (was_live)
		rdpprn_nr_sessions--;
	mutex_unlock(&rdpprn_sessions_lock);

	mutex_lock(&s->lock);
	s->dead = true;
	xa_for_each(&s->devices, idx, pdev)
		rdpprn_detach_device(pdev, &gone);
	rdpprn_irps_drop_all(s);
	mutex_unlock(&s->lock);
	/* Dead: nothing arms it again. */
	cancel_delayed_work_sync(&s->orphan_work);

	rdpprn_reap_devices(&gone);
	if (was_live) {
		rdpprn_nl_notify_session(s, false);
		rdpprn_session_put(s);	/* the table's reference */
	}
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_end);

/* The owner socket @portid in @net went away: end its sessions. */
void rdpprn_session_end_port(struct net *net, u32 portid)
{
	struct rdpprn_session *s;
	unsigned long idx;

	for (;;) {
		struct rdpprn_session *found = NULL;

		mutex_lock(&rdpprn_sessions_lock);
		xa_for_each(&rdpprn_sessions, idx, s) {
			if (s->net == net && s->portid == portid) {
				found = s;
				kref_get(&s->ref);
				break;
			}
		}
		mutex_unlock(&rdpprn_sessions_lock);
		if (!found)
			return;
		rdpprn_session_end(found);
		rdpprn_session_put(found);
	}
}

void rdpprn_session_end_all(void)
{
	struct rdpprn_session *s;
	unsigned long idx = 0;

	for (;;) {
		mutex_lock(&rdpprn_sessions_lock);
		s = xa_find(&rdpprn_sessions, &idx, ULONG_MAX, XA_PRESENT);
		if (s)
			kref_get(&s->ref);
		mutex_unlock(&rdpprn_sessions_lock);
		if (!s)
			return;
		rdpprn_session_end(s);
		rdpprn_session_put(s);
	}
}

/**
 * rdpprn_session_send() - send a server-to-client PDU to the owner
 * @s: session, with @s->lock held
 * @iov: pieces of the PDU
 * @n: number of pieces
 *
 * Return: 0, -ENOTCONN after the session ended, or the transport's error.
 */
int rdpprn_session_send(struct rdpprn_session *s, const struct kvec *iov,
			unsigned int n)
{
	lockdep_assert_held(&s->lock);
	if (s->dead)
		return -ENOTCONN;
	return s->tp->send(s, iov, n);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_send);

/**
 * rdpprn_session_room() - may a PDU go to the owner from a request handler?
 * @s: session, lock held
 * @len: size of the PDU
 *
 * A PDU sent while the owner's request is being handled is queued on its
 * socket before the reply to that request. Netlink drops a reply that
 * finds the socket full, and the owner would wait for it in vain, so such
 * a PDU is sent only when the reply still has room; otherwise the caller
 * sends it from a worker, after the reply.
 *
 * Return: true when @len bytes may be sent now.
 */
bool rdpprn_session_room(struct rdpprn_session *s, size_t len)
{
	lockdep_assert_held(&s->lock);
	return !s->tp->room || s->tp->room(s, len);
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_room);

/**
 * rdpprn_send_transient() - is a send error worth trying again?
 * @err: what rdpprn_session_send() returned
 *
 * Return: true when the helper's socket had no room (-EAGAIN, -ENOBUFS)
 * or memory was short (-ENOMEM); the helper may catch up. -ECONNREFUSED
 * (its socket is closing) and -ENOTCONN (the session ended) are final.
 */
bool rdpprn_send_transient(int err)
{
	return err == -EAGAIN || err == -ENOBUFS || err == -ENOMEM;
}

/**
 * rdpprn_set_parse_err() - report a wire-format error through extack
 * @extack: netlink extended ack, may be NULL
 * @err: the wire library's error
 *
 * The message is the library's static reason (it names the field); the
 * cookie carries the field's offset in the PDU.
 */
void rdpprn_set_parse_err(struct netlink_ext_ack *extack,
			  const struct rdpdr_err *err)
{
	if (!extack)
		return;
	/*
	 * NL_SET_ERR_MSG() wants a literal; the library's reasons are static
	 * strings too, which is all extack requires of its message.
	 */
	extack->_msg = err->reason ? err->reason : "malformed PDU";
	nl_set_extack_cookie_u64(extack, err->offset);
}

/**
 * rdpprn_session_rx_pdu() - handle one client-to-server PDU
 * @s: session
 * @pdu: the PDU
 * @len: its length
 * @extack: why a PDU was refused
 *
 * A refused PDU changes nothing and is counted in @s->errors.
 *
 * Return: 0 or a negative errno.
 */
int rdpprn_session_rx_pdu(struct rdpprn_session *s, const u8 *pdu,
			  size_t len, struct netlink_ext_ack *extack)
{
	struct rdpdr_err err = {};
	struct rdpdr_hdr hdr;
	LIST_HEAD(gone);
	int ret;

	atomic64_inc(&s->pdus);
	ret = rdpdr_parse_hdr(pdu, len, &hdr, &err);
	if (ret) {
		rdpprn_set_parse_err(extack, &err);
		goto out;
	}

	mutex_lock(&s->lock);
	if (s->dead) {
		ret = -ENODEV;
		NL_SET_ERR_MSG(extack, "session has ended");
	} else if (hdr.component == RDPDR_CTYP_PRN) {
		ret = -EPROTO;
		NL_SET_ERR_MSG(extack, "printer-component PDUs only go to the client");
	} else if (hdr.component != RDPDR_CTYP_CORE) {
		ret = -EPROTO;
		NL_SET_ERR_MSG(extack, "unknown Component");
	} else if (hdr.packet_id == PAKID_CORE_DEVICELIST_ANNOUNCE) {
		ret = rdpprn_announce(s, pdu, len, extack, &gone);
	} else if (hdr.packet_id == PAKID_CORE_DEVICELIST_REMOVE) {
		ret = rdpprn_remove(s, pdu, len, extack, &gone);
	} else if (hdr.packet_id == PAKID_CORE_DEVICE_IOCOMPLETION) {
		ret = rdpprn_job_completion(s, pdu, len, extack);
	} else if (rdpdr_pdu_known(&hdr, true)) {
		ret = -EOPNOTSUPP;
		NL_SET_ERR_MSG(extack, "PDU is handled by the helper, not the kernel");
	} else {
		ret = -EPROTO;
		NL_SET_ERR_MSG(extack, "unknown or server-to-client PacketId");
	}
	mutex_unlock(&s->lock);
	rdpprn_reap_devices(&gone);
out:
	if (ret)
		atomic64_inc(&s->errors);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(rdpprn_session_rx_pdu);
