/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rdpprn - printers redirected by RDP clients as character devices.
 *
 * Generic netlink ABI between rdpprn.ko and the userspace helper (rdpprnd)
 * that owns a session's rdpdr channel. See Documentation/netlink.rst.
 *
 * A session is created by RDPPRN_CMD_SESSION_NEW; the socket that sent it
 * becomes the session owner: every server-to-client PDU of the session is
 * unicast to it (RDPPRN_CMD_PDU), and the session ends when that socket is
 * closed. Every command requires CAP_NET_ADMIN.
 */
#ifndef _UAPI_LINUX_RDPPRN_H
#define _UAPI_LINUX_RDPPRN_H

#define RDPPRN_GENL_NAME		"rdpprn"
#define RDPPRN_GENL_VERSION		1
#define RDPPRN_MCGRP_MONITOR		"monitor"

/*
 * Largest payload of one RDPPRN_A_PDU attribute: a netlink attribute's
 * length is 16 bits and includes its 4-byte header. A longer
 * client-to-server PDU is sent as several RDPPRN_A_PDU attributes in one
 * message; the PDU is their concatenation.
 */
#define RDPPRN_PDU_ATTR_MAX		65528

/**
 * enum rdpprn_cmd - commands of the "rdpprn" generic netlink family
 * @RDPPRN_CMD_UNSPEC: unused
 * @RDPPRN_CMD_SESSION_NEW: create a session. Requires %RDPPRN_A_UID and
 *	%RDPPRN_A_GID (owner of the session's device nodes); optional
 *	%RDPPRN_A_CLIENT_NAME and %RDPPRN_A_CLIENT_ADDR. The reply carries %RDPPRN_A_SESSION_ID. The
 *	sending socket becomes the session owner.
 * @RDPPRN_CMD_SESSION_DEL: end the session %RDPPRN_A_SESSION_ID: its devices
 *	go away, open jobs fail with ENODEV.
 * @RDPPRN_CMD_SESSION_GET: get one session (%RDPPRN_A_SESSION_ID) or dump
 *	all sessions.
 * @RDPPRN_CMD_PDU: helper to kernel: a client-to-server RDPDR PDU of
 *	session %RDPPRN_A_SESSION_ID in %RDPPRN_A_PDU (Client Device List
 *	Announce, Client Device List Remove, Device I/O Response). Kernel to
 *	session owner: a server-to-client PDU (Server Device Announce
 *	Response, Device I/O Request, printer-component PDUs) to forward to
 *	the client.
 * @RDPPRN_CMD_DEVICE_GET: dump printer devices, all or those of
 *	%RDPPRN_A_SESSION_ID.
 * @RDPPRN_CMD_DEVICE_NEW: notification on the "monitor" group: a device
 *	appeared. Same attributes as a %RDPPRN_CMD_DEVICE_GET reply.
 * @RDPPRN_CMD_DEVICE_DEL: notification on the "monitor" group: a device
 *	went away.
 * @RDPPRN_CMD_JOB_GET: dump open print jobs.
 * @RDPPRN_CMD_SESSION_EVENT: notification on the "monitor" group: a
 *	session started or ended (%RDPPRN_A_SESSION_STATE).
 * @RDPPRN_CMD_PRINTER_CACHE: ask the client to persist printer cache
 *	data for printer %RDPPRN_A_DEVICE_ID of session %RDPPRN_A_SESSION_ID
 *	(a DR_PRN_CACHE_DATA PDU, event %RDPPRN_A_CACHE_EVENT): add and
 *	update carry %RDPPRN_A_CONFIG, rename the new name in
 *	%RDPPRN_A_PRINTER_NAME. The client sends the data back as the
 *	printer's CachedPrinterConfigData in a later session.
 * @__RDPPRN_CMD_MAX: internal
 * @RDPPRN_CMD_MAX: highest command
 */
enum rdpprn_cmd {
	RDPPRN_CMD_UNSPEC,
	RDPPRN_CMD_SESSION_NEW,
	RDPPRN_CMD_SESSION_DEL,
	RDPPRN_CMD_SESSION_GET,
	RDPPRN_CMD_PDU,
	RDPPRN_CMD_DEVICE_GET,
	RDPPRN_CMD_DEVICE_NEW,
	RDPPRN_CMD_DEVICE_DEL,
	RDPPRN_CMD_JOB_GET,
	RDPPRN_CMD_SESSION_EVENT,
	RDPPRN_CMD_PRINTER_CACHE,

	__RDPPRN_CMD_MAX,
	RDPPRN_CMD_MAX = __RDPPRN_CMD_MAX - 1
};

/**
 * enum rdpprn_attr - attributes of the "rdpprn" family
 * @RDPPRN_A_UNSPEC: unused
 * @RDPPRN_A_SESSION_ID: u32, session identifier (1..)
 * @RDPPRN_A_UID: u32, owner uid of the session's device nodes
 * @RDPPRN_A_GID: u32, owner gid of the session's device nodes
 * @RDPPRN_A_CLIENT_NAME: string, the client's computer name (UTF-8)
 * @RDPPRN_A_PDU: binary, an RDPDR PDU or, for long client-to-server PDUs,
 *	one piece of it (see %RDPPRN_PDU_ATTR_MAX)
 * @RDPPRN_A_OWNER_PORTID: u32, netlink port id of the session owner
 * @RDPPRN_A_DEVICE_ID: u32, the client's DeviceId for the printer
 * @RDPPRN_A_MINOR: u32, minor number of /dev/rdpprnN
 * @RDPPRN_A_DEV_NAME: string, device node name ("rdpprn0")
 * @RDPPRN_A_PRINTER_NAME: string, PrinterName (UTF-8)
 * @RDPPRN_A_DRIVER_NAME: string, DriverName (UTF-8)
 * @RDPPRN_A_DOS_NAME: string, PreferredDosName
 * @RDPPRN_A_FLAGS: u32, announce flags (%RDPPRN_PRINTER_F_*)
 * @RDPPRN_A_JOBS: u64, jobs started on the device
 * @RDPPRN_A_BYTES: u64, bytes acknowledged by the client
 * @RDPPRN_A_ERRORS: u64, failed jobs or protocol errors
 * @RDPPRN_A_OPEN_JOBS: u32, jobs open now or queued for the printer
 * @RDPPRN_A_DEVICES: u32, printer devices of a session
 * @RDPPRN_A_FILE_ID: u32, FileId of an open job
 * @RDPPRN_A_JOB_STATE: u32, &enum rdpprn_job_state
 * @RDPPRN_A_QUEUED: u64, bytes of a job written but not yet acknowledged
 * @RDPPRN_A_PID: u32, process that opened the job
 * @RDPPRN_A_SESSION_STATE: u32, 1 session started, 0 session ended
 * @RDPPRN_A_PAD: padding for 64-bit attributes
 * @RDPPRN_A_ORPHANS: u32, requests of a session whose job went away and
 *	whose answer is still awaited (bounded by the max_orphans parameter)
 * @RDPPRN_A_INCOMPLETE: u64, jobs of a device that ended without the
 *	client taking every byte and closing the job successfully
 * @RDPPRN_A_CACHE_EVENT: u32, &enum rdpprn_cache_event
 * @RDPPRN_A_CONFIG: binary, printer configuration for the client to
 *	persist (opaque to rdpprn; at most the max_config parameter, and the
 *	DR_PRN_CACHE_DATA PDU that carries it, names included, at most
 *	%RDPPRN_PDU_ATTR_MAX bytes)
 * @RDPPRN_A_CLIENT_ADDR: string, the client's network address as the RDP
 *	server saw it: an IPv4 or IPv6 literal (kept in canonical form), at
 *	most %RDPPRN_CLIENT_ADDR_MAX bytes with the terminator; absent or
 *	empty when unknown
 * @__RDPPRN_A_MAX: internal
 * @RDPPRN_A_MAX: highest attribute
 */
enum rdpprn_attr {
	RDPPRN_A_UNSPEC,
	RDPPRN_A_SESSION_ID,
	RDPPRN_A_UID,
	RDPPRN_A_GID,
	RDPPRN_A_CLIENT_NAME,
	RDPPRN_A_PDU,
	RDPPRN_A_OWNER_PORTID,
	RDPPRN_A_DEVICE_ID,
	RDPPRN_A_MINOR,
	RDPPRN_A_DEV_NAME,
	RDPPRN_A_PRINTER_NAME,
	RDPPRN_A_DRIVER_NAME,
	RDPPRN_A_DOS_NAME,
	RDPPRN_A_FLAGS,
	RDPPRN_A_JOBS,
	RDPPRN_A_BYTES,
	RDPPRN_A_ERRORS,
	RDPPRN_A_OPEN_JOBS,
	RDPPRN_A_DEVICES,
	RDPPRN_A_FILE_ID,
	RDPPRN_A_JOB_STATE,
	RDPPRN_A_QUEUED,
	RDPPRN_A_PID,
	RDPPRN_A_SESSION_STATE,
	RDPPRN_A_PAD,
	RDPPRN_A_ORPHANS,
	RDPPRN_A_INCOMPLETE,
	RDPPRN_A_CACHE_EVENT,
	RDPPRN_A_CONFIG,
	RDPPRN_A_CLIENT_ADDR,

	__RDPPRN_A_MAX,
	RDPPRN_A_MAX = __RDPPRN_A_MAX - 1
};

/* RDPPRN_A_FLAGS: the printer announce flags, values as on the wire */
#define RDPPRN_PRINTER_F_ASCII		0x01
#define RDPPRN_PRINTER_F_DEFAULT	0x02
#define RDPPRN_PRINTER_F_NETWORK	0x04
#define RDPPRN_PRINTER_F_TSPRINTER	0x08
#define RDPPRN_PRINTER_F_XPS		0x10

/**
 * enum rdpprn_cache_event - printer cache data events, values as on the wire
 * @RDPPRN_CACHE_ADD: the client stores the printer's names and configuration
 * @RDPPRN_CACHE_UPDATE: the client replaces the printer's configuration
 * @RDPPRN_CACHE_DELETE: the client forgets the printer's cached data
 * @RDPPRN_CACHE_RENAME: the client moves the cached data to a new name
 */
enum rdpprn_cache_event {
	RDPPRN_CACHE_ADD = 1,
	RDPPRN_CACHE_UPDATE,
	RDPPRN_CACHE_DELETE,
	RDPPRN_CACHE_RENAME,
};

/* Longest client name accepted in RDPPRN_A_CLIENT_NAME, terminator included */
#define RDPPRN_CLIENT_NAME_MAX		256
/* Longest RDPPRN_A_CLIENT_ADDR, terminator included (INET6_ADDRSTRLEN) */
#define RDPPRN_CLIENT_ADDR_MAX		46

/**
 * enum rdpprn_job_state - where a print job stands
 * @RDPPRN_JOB_CREATING: IRP_MJ_CREATE sent, waiting for the client
 * @RDPPRN_JOB_OPEN: accepting data
 * @RDPPRN_JOB_CLOSING: IRP_MJ_CLOSE sent
 * @RDPPRN_JOB_CLOSED: the client confirmed the close
 * @RDPPRN_JOB_FAILED: the client refused, a request failed or timed out
 * @RDPPRN_JOB_GONE: the device or its session went away
 * @RDPPRN_JOB_QUEUED: open() waits for an earlier job on the printer to end
 */
enum rdpprn_job_state {
	RDPPRN_JOB_CREATING = 1,
	RDPPRN_JOB_OPEN,
	RDPPRN_JOB_CLOSING,
	RDPPRN_JOB_CLOSED,
	RDPPRN_JOB_FAILED,
	RDPPRN_JOB_GONE,
	RDPPRN_JOB_QUEUED,
};

#endif /* _UAPI_LINUX_RDPPRN_H */
