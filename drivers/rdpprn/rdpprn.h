/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn - printers redirected by RDP clients as character devices.
 *
 * Internal interfaces between the parts of the module:
 *
 *   netlink.c   generic netlink family: commands, dumps, notifications,
 *               the transport that carries PDUs to the session owner
 *   session.c   sessions and the dispatch of client-to-server PDUs
 *   announce.c  Client Device List Announce / Remove: printers come and go
 *   cache.c     printer cache data: the client keeps a printer's settings
 *   device.c    the character device, sysfs attributes and uevents
 *   fops.c      open/write/poll/flush/fsync/release on /dev/rdpprnN
 *   job.c       print jobs: I/O requests, completions, timeouts
 *   ring.c      the per-job ring buffer
 *   account.c   printer devices counted per session and per owner uid
 *   ntstatus.c  NTSTATUS to errno
 *   sanitize.c  printer names made safe for uevents and udev
 *
 * Locking: rdpprn_sessions_lock (global) nests outside session->lock.
 * session->lock protects the session's tables (devices, pending requests)
 * and the state of every job on its devices. Nothing that sysfs shows takes
 * session->lock, so devices can be deleted while it is held elsewhere.
 */
#ifndef RDPPRN_H
#define RDPPRN_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include <linux/rdpprn.h>
#include <linux/rdpprn_dev.h>
#include <rdpdr/rdpdr.h>

#include "compat.h"

/* ---- module parameters (main.c) ---------------------------------------- */

extern unsigned int rdpprn_max_sessions;
extern unsigned int rdpprn_max_printers;
extern unsigned int rdpprn_max_jobs;
extern unsigned int rdpprn_max_announce;
extern unsigned int rdpprn_max_pdu;
extern unsigned int rdpprn_max_config;
extern unsigned int rdpprn_ring_size;
extern unsigned int rdpprn_chunk_size;
extern unsigned int rdpprn_window;
extern unsigned int rdpprn_io_timeout;
extern unsigned short rdpprn_node_mode;
extern unsigned int rdpprn_max_orphans;
extern unsigned int rdpprn_max_user_printers;

/* Largest WriteData that fits one netlink attribute with its 56-byte header */
#define RDPPRN_CHUNK_MAX	(RDPPRN_PDU_ATTR_MAX - RDPDR_WRITE_REQ_FIXED)
/* Write responses of Length 0 in a row before a job is given up */
#define RDPPRN_MAX_ZERO_WRITES	3
/* Bounds of the ring_size parameter */
#define RDPPRN_RING_MIN		4096
#define RDPPRN_RING_MAX		(16U << 20)
/* How often a send the helper's socket had no room for is tried again */
#define RDPPRN_RETRY_MS		20

unsigned long rdpprn_io_timeout_jiffies(void);

/* ---- ring.c ------------------------------------------------------------- */

/**
 * struct rdpprn_ring - bytes of one job, from write() until acknowledged
 * @buf: storage, @size bytes
 * @size: a power of two
 * @head: bytes written by the user so far
 * @sent: bytes handed to the client so far (some not yet acknowledged)
 * @tail: bytes acknowledged by the client so far
 *
 * The three counters run freely (u64 never wraps in practice); positions
 * in @buf are counter & (@size - 1). tail <= sent <= head <= tail + size.
 */
struct rdpprn_ring {
	u8 *buf;
	size_t size;
	u64 head;
	u64 sent;
	u64 tail;
};

int rdpprn_ring_init(struct rdpprn_ring *r, size_t size);
void rdpprn_ring_free(struct rdpprn_ring *r);
size_t rdpprn_ring_space(const struct rdpprn_ring *r);
size_t rdpprn_ring_unsent(const struct rdpprn_ring *r);
size_t rdpprn_ring_unacked(const struct rdpprn_ring *r);
unsigned int rdpprn_ring_segs(const struct rdpprn_ring *r, u64 pos, size_t len,
			      struct kvec seg[2]);
void rdpprn_ring_copy_in(struct rdpprn_ring *r, u64 pos, const void *src,
			 size_t len);
int rdpprn_ring_copy_from_iter(struct rdpprn_ring *r, u64 pos,
			       struct iov_iter *from, size_t len);
void rdpprn_ring_copy_out(const struct rdpprn_ring *r, u64 pos, void *dst,
			  size_t len);
void rdpprn_ring_produce(struct rdpprn_ring *r, size_t len);
u64 rdpprn_ring_take(struct rdpprn_ring *r, size_t max, size_t *len);
int rdpprn_ring_ack(struct rdpprn_ring *r, size_t len);
void rdpprn_ring_rewind(struct rdpprn_ring *r);

/* ---- ntstatus.c, sanitize.c --------------------------------------------- */

int rdpprn_ntstatus_to_errno(u32 status);
const char *rdpprn_ntstatus_name(u32 status);
size_t rdpprn_sanitize_name(const char *in, char *out, size_t outlen);

/* ---- session.c ---------------------------------------------------------- */

struct rdpprn_session;

/**
 * struct rdpprn_transport - how a session's PDUs reach its owner
 * @send: send one server-to-client PDU, the concatenation of @n pieces.
 *	Called with session->lock held; must not sleep for long.
 * @room: optional; whether a PDU of @len bytes sent now still leaves the
 *	owner room for the reply to the request being handled (NULL: always)
 *
 * netlink.c provides the real one; KUnit suites capture PDUs instead.
 */
struct rdpprn_transport {
	int (*send)(struct rdpprn_session *s, const struct kvec *iov,
		    unsigned int n);
	bool (*room)(struct rdpprn_session *s, size_t len);
};

/**
 * struct rdpprn_session - one RDP connection's rdpdr channel
 * @id: session id (1..), the key in the global table
 * @portid: netlink port of the owner socket
 * @net: network namespace of the owner socket (referenced)
 * @owner_sk: the owner socket (referenced), so that a socket that took
 *	over its port id after it died is never sent to; NULL in KUnit
 * @uid: owner of the device nodes
 * @gid: group of the device nodes
 * @client_name: the client's computer name, UTF-8
 * @client_addr: the client's address, canonical, "" when unknown
 * @tp: transport to the owner
 * @ref: one reference for the global table, one per device, one per user
 * @lock: protects the fields below and every job on the session's devices
 * @dead: the session ended; nothing is sent any more
 * @devices: DeviceId -> struct rdpprn_device, live printers
 * @nr_printers: entries in @devices
 * @irps: CompletionId -> struct rdpprn_irp, requests awaiting an answer
 * @next_cid: cursor for cyclic CompletionId allocation
 * @nr_orphans: requests in @irps whose job went away (max_orphans)
 * @nr_devices: printer devices counted against max_printers: live ones
 *	and removed ones that open jobs still hold
 * @orphan_work: expires orphans, resends orphan closes the helper had no
 *	room for
 * @pdus: client-to-server PDUs received
 * @errors: PDUs refused
 * @priv: transport-private data (KUnit)
 */
struct rdpprn_session {
	u32 id;
	u32 portid;
	struct net *net;
	struct sock *owner_sk;
	kuid_t uid;
	kgid_t gid;
	char client_name[RDPPRN_CLIENT_NAME_MAX];
	char client_addr[RDPPRN_CLIENT_ADDR_MAX];
	const struct rdpprn_transport *tp;
	struct kref ref;
	struct mutex lock;		/* see the kernel-doc above */
	bool dead;
	struct xarray devices;
	unsigned int nr_printers;
	struct xarray irps;
	u32 next_cid;
	unsigned int nr_orphans;
	unsigned int nr_devices;
	struct delayed_work orphan_work;
	atomic64_t pdus;
	atomic64_t errors;
	void *priv;
};

extern struct mutex rdpprn_sessions_lock;
extern struct xarray rdpprn_sessions;

struct rdpprn_session *rdpprn_session_new(struct net *net,
					  struct sock *owner_sk, u32 portid,
					  kuid_t uid, kgid_t gid,
					  const char *client_name,
					  const char *client_addr,
					  const struct rdpprn_transport *tp,
					  struct netlink_ext_ack *extack);
struct rdpprn_session *rdpprn_session_get(struct net *net, u32 id);
void rdpprn_session_put(struct rdpprn_session *s);
void rdpprn_session_end(struct rdpprn_session *s);
void rdpprn_session_end_port(struct net *net, u32 portid);
void rdpprn_session_end_all(void);
int rdpprn_session_rx_pdu(struct rdpprn_session *s, const u8 *pdu,
			  size_t len, struct netlink_ext_ack *extack);
int rdpprn_session_send(struct rdpprn_session *s, const struct kvec *iov,
			unsigned int n);
bool rdpprn_send_transient(int err);
bool rdpprn_session_room(struct rdpprn_session *s, size_t len);
void rdpprn_set_parse_err(struct netlink_ext_ack *extack,
			  const struct rdpdr_err *err);

/* ---- device.c ----------------------------------------------------------- */

/**
 * struct rdpprn_device - one redirected printer, /dev/rdpprnN
 * @dev: the device; its release frees this structure
 * @cdev: the character device, registered with @dev
 * @session: the session it belongs to (referenced)
 * @device_id: the client's DeviceId
 * @flags: announce flags (RDPDR_PRINTER_ANNOUNCE_FLAG_*)
 * @printer_name: PrinterName in UTF-8
 * @driver_name: DriverName in UTF-8
 * @dos_name: PreferredDosName
 * @config: CachedPrinterConfigData (may be NULL)
 * @config_len: its length
 * @dead: removed; under session->lock
 * @accounted: counted in its session's and owner's limits; under
 *	session->lock
 * @gone: entry in a list of detached devices awaiting unregistration
 * @job_list: open jobs; under session->lock
 * @nr_jobs: entries in @job_list
 * @jobs: jobs started
 * @bytes: bytes acknowledged by the client
 * @errors: failed jobs and protocol errors
 * @incomplete: jobs that ended without the client taking every byte and
 *	closing successfully
 */
struct rdpprn_device {
	struct device dev;
	struct cdev cdev;
	struct rdpprn_session *session;
	u32 device_id;
	u32 flags;
	char *printer_name;
	char *driver_name;
	char dos_name[RDPDR_DOS_NAME_LEN + 1];
	u8 *config;
	u32 config_len;
	bool dead;
	bool accounted;
	struct list_head gone;
	struct list_head job_list;
	unsigned int nr_jobs;
	atomic64_t jobs;
	atomic64_t bytes;
	atomic64_t errors;
	atomic64_t incomplete;
};

extern const struct file_operations rdpprn_fops;

int rdpprn_device_init(void);
void rdpprn_device_exit(void);
struct rdpprn_device *rdpprn_device_alloc(struct rdpprn_session *s,
					  const struct rdpdr_device *d,
					  const struct rdpdr_printer *p);
int rdpprn_device_register(struct rdpprn_device *pdev);
void rdpprn_device_unregister(struct rdpprn_device *pdev);
void rdpprn_device_put(struct rdpprn_device *pdev);

/* ---- account.c ---------------------------------------------------------- */

int rdpprn_account_charge(struct rdpprn_device *pdev);
void rdpprn_account_uncharge(struct rdpprn_device *pdev);

/* ---- announce.c --------------------------------------------------------- */

int rdpprn_announce(struct rdpprn_session *s, const u8 *pdu, size_t len,
		    struct netlink_ext_ack *extack, struct list_head *gone);
int rdpprn_remove(struct rdpprn_session *s, const u8 *pdu, size_t len,
		  struct netlink_ext_ack *extack, struct list_head *gone);
void rdpprn_detach_device(struct rdpprn_device *pdev, struct list_head *gone);
void rdpprn_reap_devices(struct list_head *gone);

/* ---- cache.c ------------------------------------------------------------ */

int rdpprn_cache_send(struct rdpprn_session *s, u32 device_id, u32 event,
		      const u8 *config, size_t config_len,
		      const char *new_name, struct netlink_ext_ack *extack);

/* ---- job.c -------------------------------------------------------------- */

/**
 * struct rdpprn_job - one open() of a printer: one print job
 * @pdev: the printer (referenced)
 * @s: its session
 * @node: entry in @pdev->job_list
 * @state: &enum rdpprn_job_state
 * @error: latched negative errno, 0 while healthy
 * @have_file: the client opened a FileId for us and it is not closed yet
 * @opened: the create succeeded (the job counts as started)
 * @committed: IRP_MJ_CLOSE was sent, or there is nothing to close
 * @stalled: the helper's socket had no room for the last write request
 * @stall_start: jiffies when that began
 * @file_id: that FileId
 * @ring: the job's bytes
 * @inflight: write requests awaiting an answer
 * @zero_writes: write answers of Length 0 in a row
 * @irps: the job's requests awaiting an answer
 * @wq: writers, openers, flushers and pollers wait here
 * @write_lock: one write() fills the ring at a time
 * @tx_work: turns ring contents into write requests
 * @timeout_work: fails the job when the client stops answering
 * @release_work: finishes a job whose file was released without a
 *	close() that committed it
 * @progress: jiffies of the last answer or send
 * @pid: process that opened the job
 * @format: &enum rdpprn_format, set before the first write
 * @format_sent: DR_PRN_USING_XPS went out (for %RDPPRN_FORMAT_XPS)
 *
 * Everything except @ring.buf contents, @wq and @write_lock is under
 * session->lock; waiters read @state, @error and the ring counters with
 * READ_ONCE() and re-check under the lock.
 */
struct rdpprn_job {
	struct rdpprn_device *pdev;
	struct rdpprn_session *s;
	struct list_head node;
	int state;
	int error;
	bool have_file;
	bool opened;
	bool committed;
	bool stalled;
	unsigned long stall_start;
	u32 file_id;
	struct rdpprn_ring ring;
	unsigned int inflight;
	unsigned int zero_writes;
	struct list_head irps;
	wait_queue_head_t wq;
	struct mutex write_lock;	/* one filler of the ring */
	struct delayed_work tx_work;
	struct delayed_work timeout_work;
	struct work_struct release_work;
	unsigned long progress;
	pid_t pid;
	u32 format;
	bool format_sent;
};

/**
 * struct rdpprn_irp - a Device I/O Request awaiting its response
 * @cid: CompletionId, the key in session->irps
 * @major: IRP_MJ_CREATE, IRP_MJ_WRITE or IRP_MJ_CLOSE
 * @device_id: DeviceId it was sent to
 * @job: the job, or NULL for an orphan whose job went away: its answer is
 *	consumed (and a late successful create is closed again)
 * @unsent: an orphan close the helper had no room for yet; it is resent
 *	by the session's orphan_work and no answer can match it before
 * @file_id: close: the FileId closed
 * @since: jiffies when it became an orphan
 * @pos: write: ring position of the first byte
 * @len: write: bytes requested
 * @node: entry in @job->irps
 */
struct rdpprn_irp {
	u32 cid;
	u32 major;
	u32 device_id;
	struct rdpprn_job *job;
	bool unsent;
	u32 file_id;
	unsigned long since;
	u64 pos;
	u32 len;
	struct list_head node;
};

extern struct workqueue_struct *rdpprn_wq;

struct rdpprn_job *rdpprn_job_open(struct rdpprn_device *pdev, bool nonblock);
int rdpprn_job_close(struct rdpprn_job *job, unsigned int state);
void rdpprn_job_release(struct rdpprn_job *job);
ssize_t rdpprn_job_write(struct rdpprn_job *job, struct iov_iter *from,
			 bool nonblock);
int rdpprn_job_set_format(struct rdpprn_job *job, u32 format);
int rdpprn_job_drain(struct rdpprn_job *job, unsigned int state);
__poll_t rdpprn_job_poll_mask(struct rdpprn_job *job);
int rdpprn_job_completion(struct rdpprn_session *s, const u8 *pdu,
			  size_t len, struct netlink_ext_ack *extack);
void rdpprn_job_fail_locked(struct rdpprn_job *job, int state, int error);
void rdpprn_irps_drop_all(struct rdpprn_session *s);
void rdpprn_orphan_work(struct work_struct *work);
const char *rdpprn_job_state_name(int state);

/* ---- netlink.c ---------------------------------------------------------- */

extern const struct rdpprn_transport rdpprn_nl_transport;
int rdpprn_netlink_init(void);
void rdpprn_netlink_exit(void);
void rdpprn_nl_notify_device(struct rdpprn_device *pdev, u8 cmd);
void rdpprn_nl_notify_session(struct rdpprn_session *s, bool up);

#endif /* RDPPRN_H */
