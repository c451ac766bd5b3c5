/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn-sim - the RDP client simulator: plays the RDP server process and
 * the client behind it on the framing protocol of rdpprnd, so that tests,
 * benchmarks and the demo can connect redirected printers without an RDP
 * stack.
 *
 * Files, one concern each:
 *   main.c    command line, transport (--connect, --exec), event loop
 *   spec.c    printer specs (--printer, --printers FILE) and the announce
 *   client.c  the client side of the rdpdr handshake and the announce
 *   io.c      print jobs: create/write/close answers, fault injection
 *   cache.c   printer cache data kept per printer name (--cache-dir)
 *
 * client.c and io.c do no I/O of their own: they get frames through
 * sim_frame() and send through struct sim's @send, so the unit tests
 * connect them to rdpprnd's session logic in-process.
 */
#ifndef RDPPRN_SIM_H
#define RDPPRN_SIM_H

#include <stdio.h>

#include "rdpprn_frame.h"
#include "rdpprn_job.h"

/* CachedPrinterConfigData read from a file (config=, --cache-dir) */
#define SIM_CONFIG_MAX		(1024 * 1024)

#define SIM_SILENT_CREATE	0x1
#define SIM_SILENT_WRITE	0x2
#define SIM_SILENT_CLOSE	0x4

/**
 * struct sim_printer - a printer to announce
 * @id: DeviceId
 * @dos: PreferredDosName
 * @flags: announce Flags (the ASCII flag makes DriverName 8-bit)
 * @name: PrinterName, UTF-8
 * @driver: DriverName, UTF-8
 * @pnp: PnPName or NULL
 * @config: CachedPrinterConfigData or NULL
 * @config_len: its length
 * @freerdp2: announce DriverNameLen and PrintNameLen as FreeRDP 2.11 does,
 *	past the terminator
 */
struct sim_printer {
	u32 id;
	char dos[RDPDR_DOS_NAME_LEN + 1];
	u32 flags;
	char *name;
	char *driver;
	char *pnp;
	u8 *config;
	u32 config_len;
	bool freerdp2;
};

/**
 * struct sim_opts - what the command line asks for
 * @uid: SESSION_OPEN uid
 * @gid: SESSION_OPEN gid
 * @client_name: SESSION_OPEN client name and the Client Name Request's
 * @client_addr: SESSION_OPEN client address (version 2 block), or NULL
 * @printers: printers to announce
 * @n_printers: how many
 * @announce_hex: announce this PDU (a .hex file) instead
 * @client_vectors: send the shared vectors e02, e03, e06 from here as the
 *	client's handshake PDUs
 * @provider: play an RDP server that keeps the channel (a device
 *	provider, as xrdp's chansrv): SESSION_OPEN with RDPPRN_OPEN_PROVIDER,
 *	no handshake, the announce at once
 * @drive: also announce a drive, which rdpprnd must leave unanswered
 *	(@provider; @drive_id its DeviceId)
 * @drive_id: see @drive
 * @out_dir: store each job in this directory
 * @cache_dir: keep printer cache data here, per printer name
 * @minor: VersionMinor of the Client Announce Reply
 * @ext_pdu: extendedPDU of the client's GENERAL capability set
 * @freerdp: behave like FreeRDP (ioCode1 = AND of the masks, PRINTER set
 *	only when the server sent one, drop User Logged On unless the
 *	server's extendedPDU has 0x4)
 * @fq: queue I/O requests like FreeRDP's client printer: a LIFO list and
 *	a manual-reset event per printer, one request taken per wake-up;
 *	one job per printer (PRINT_QUEUE_FULL); Offset ignored
 * @fq_latency_ms: the printer thread wakes this long after its event was
 *	set (0: once the frames already received are handled)
 * @create_status: answer creates with this status (@create_fault set)
 * @create_fault: see @create_status
 * @write_status: answer writes with this status ...
 * @write_fault: see @write_status
 * @fault_after: ... after this many successful writes of the job
 * @close_status: answer closes with this status (@close_fault set)
 * @close_fault: see @close_status
 * @short_write: consume at most this many bytes per write (0: all)
 * @zero_writes: answer the first writes of a job with Length 0
 * @delay_ms: wait before every answer
 * @silent: SIM_SILENT_* requests never answered
 * @garbage: send a malformed PDU once the announce is answered
 * @truncated: send a truncated frame once the announce is answered, then
 *	close
 * @remove_after: send a Client Device List Remove once a job got this many
 *	bytes (@remove_set)
 * @remove_set: see @remove_after
 * @disconnect_after: drop the connection without a word once a job got
 *	this many bytes (@disconnect_set)
 * @disconnect_set: see @disconnect_after
 * @max_jobs: exit after this many jobs ended (0: never)
 * @exit_ready: end the session once READY (connect/disconnect cycles)
 * @verbose: a line per write
 */
struct sim_opts {
	u32 uid;
	u32 gid;
	const char *client_name;
	const char *client_addr;
	struct sim_printer *printers;
	unsigned int n_printers;
	const char *announce_hex;
	const char *client_vectors;
	bool provider;
	bool drive;
	u32 drive_id;
	const char *out_dir;
	const char *cache_dir;
	u16 minor;
	u32 ext_pdu;
	bool freerdp;
	bool fq;
	unsigned int fq_latency_ms;
	u32 create_status;
	bool create_fault;
	u32 write_status;
	bool write_fault;
	u64 fault_after;
	u32 close_status;
	bool close_fault;
	u32 short_write;
	u32 zero_writes;
	unsigned int delay_ms;
	unsigned int silent;
	bool garbage;
	bool truncated;
	u64 remove_after;
	bool remove_set;
	u64 disconnect_after;
	bool disconnect_set;
	unsigned int max_jobs;
	bool exit_ready;
	bool verbose;
};

/**
 * struct sim_irp - an I/O request on a printer's list (--freerdp-queue)
 * @next: the one pushed before it
 * @len: length of @pdu
 * @pdu: the request
 */
struct sim_irp {
	struct sim_irp *next;
	size_t len;
	u8 pdu[];
};

/**
 * struct sim_dev - an announced device
 * @id: DeviceId
 * @type: DeviceType
 * @xps: a printer announced with XPSFORMAT
 * @answered: the server answered the announce
 * @status: its ResultCode
 * @removed: the simulator removed it
 * @jobs: jobs created on it
 * @name: printer name (escaped) for the DEVICE line
 * @irps: --freerdp-queue: requests not yet taken, newest first (LIFO)
 * @depth: how many
 * @event: the printer thread's (manual-reset) event is set
 * @event_ms: when it was set
 * @q_irps: requests queued in all
 * @q_max: most requests outstanding at once
 * @q_full: creates answered with PRINT_QUEUE_FULL
 * @q_reordered: requests taken while an older one still waited
 * @q_misplaced: writes whose Offset was not the end of the job's data
 */
struct sim_dev {
	u32 id;
	u32 type;
	bool xps;
	bool answered;
	u32 status;
	bool removed;
	unsigned int jobs;
	char name[256];
	struct sim_irp *irps;
	unsigned int depth;
	bool event;
	u64 event_ms;
	u64 q_irps;
	unsigned int q_max;
	unsigned int q_full;
	unsigned int q_reordered;
	unsigned int q_misplaced;
};

enum sim_state {
	SIM_WAIT_ANNOUNCE,	/* SESSION_OPEN sent (provider: SESSION_INFO) */
	SIM_WAIT_CONFIRM,	/* Announce Reply and Client Name sent */
	SIM_WAIT_LOGON,		/* Client ID Confirm received */
	SIM_ANNOUNCED,		/* device list sent */
	SIM_READY,		/* every device answered */
};

/**
 * struct sim - the simulated client
 * @o: options
 * @out: where the result lines go
 * @write: send bytes to rdpprnd (whole frames, except --truncated)
 * @write_ctx: its argument
 * @state: &enum sim_state
 * @sid: kernel session id (SESSION_INFO)
 * @server_minor: VersionMinor of the Server Announce Request
 * @server_client_id: its ClientId
 * @client_id: the ClientId the simulator replied with
 * @caps_seen: a Server Core Capability Request arrived
 * @server_ext_pdu: its extendedPDU
 * @server_io_code1: its ioCode1
 * @server_printer_cap: it had a PRINTER set
 * @confirms: Server Client ID Confirms received
 * @logged_on: the point where the client announces its devices came
 * @req_ns: CLOCK_MONOTONIC time the I/O request being answered arrived
 * @devs: devices announced
 * @n_devs: how many
 * @jobs: open jobs, the FileIds handed out, the jobs that ended
 * @bytes: bytes accepted over all jobs
 * @violations: things the server did against the protocol
 * @stop: end the session (send CLOSE unless @peer_closed)
 * @peer_closed: rdpprnd sent CLOSE
 * @abrupt: end it without a word (close the connection)
 * @shut_wr: send nothing more, read until rdpprnd closes (--truncated)
 * @reason: why it ends (EXIT line)
 */
struct sim {
	const struct sim_opts *o;
	FILE *out;
	int (*write)(void *ctx, const void *data, size_t len);
	void *write_ctx;
	enum sim_state state;
	u32 sid;
	u16 server_minor;
	u32 server_client_id;
	u32 client_id;
	bool caps_seen;
	u32 server_ext_pdu;
	u32 server_io_code1;
	bool server_printer_cap;
	unsigned int confirms;
	bool logged_on;
	u64 req_ns;
	struct sim_dev *devs;
	unsigned int n_devs;
	struct rdpprn_jobs jobs;
	u64 bytes;
	unsigned int violations;
	bool stop;
	bool peer_closed;
	bool abrupt;
	bool shut_wr;
	const char *reason;
};

/* spec.c */
int sim_printer_parse(const char *spec, u32 default_id, struct sim_printer *p);
/* Specs one a line ('#' comments); appended to @o's printers. */
int sim_printers_load(struct sim_opts *o, const char *path);
void sim_printer_free(struct sim_printer *p);
/* The Client Device List Announce of @o's printers (malloc'ed). */
u8 *sim_build_announce(const struct sim_opts *o, size_t *len);

/* client.c */
void sim_init(struct sim *s, const struct sim_opts *o, FILE *out,
	      int (*write)(void *ctx, const void *data, size_t len),
	      void *write_ctx);
/* SESSION_OPEN: the first frame. */
int sim_start(struct sim *s);
/* A frame from rdpprnd. */
void sim_frame(struct sim *s, const struct rdpprn_frame *f);
void __printf(2, 3) sim_violation(struct sim *s, const char *fmt, ...);
void sim_send_frame(struct sim *s, u8 type, const void *data, size_t len);
void sim_send_pdu(struct sim *s, const u8 *pdu, size_t len);
struct sim_dev *sim_dev(struct sim *s, u32 id);
/* The EXIT line; returns the exit status. */
int sim_finish(struct sim *s, const char *reason);
void sim_free(struct sim *s);

/* cache.c */
void sim_cache_pdu(struct sim *s, const u8 *pdu, size_t len);
int sim_cache_load(struct sim_opts *o);

/* io.c */
/* An I/O request; with --freerdp-queue it goes onto its printer's list. */
void sim_ioreq(struct sim *s, const u8 *pdu, size_t len);
/*
 * --freerdp-queue: wake the printer threads whose event is due at @now;
 * each takes one request. Returns the ms until the next is due, or -1.
 */
int sim_queue_run(struct sim *s, u64 now);
/* The QUEUE line of every printer (--freerdp-queue) */
void sim_queue_report(struct sim *s);
/* Drop the requests still on the lists */
void sim_queue_free(struct sim *s);
/* Print the JOB line of every open job with @status and drop them. */
void sim_jobs_end(struct sim *s, const char *status);

#endif /* RDPPRN_SIM_H */
