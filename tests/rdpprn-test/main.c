// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: command line dispatch.
 */
#include <string.h>

#include "rdpprn_test.h"
#include "vport.h"

static const char rpt_help[] =
"usage: rdpprn-test COMMAND [ARGS]\n"
"\n"
"Integration test client for rdpprn.ko: plays the helper (generic netlink\n"
"family \"rdpprn\") and the RDP client (RDPDR PDUs) against the real module.\n"
"Needs CAP_NET_ADMIN (root) except where noted.\n"
"\n"
"serve [OPTIONS]\n"
"  Create a session, announce printers, answer the I/O requests of the\n"
"  jobs on /dev/rdpprnN until SIGTERM/SIGINT (then SESSION_DEL).\n"
"    --uid N --gid N          owner of the device nodes (default 0 0)\n"
"    --client-name NAME       RDPPRN_A_CLIENT_NAME\n"
"    --client-address ADDR    RDPPRN_A_CLIENT_ADDR\n"
"    --printer SPEC           a printer (repeatable); SPEC is a comma list of\n"
"                             name=..,driver=..,pnp=..,id=N,dos=PRNn,flags=N,\n"
"                             config=FILE and the words ascii, default,\n"
"                             network, nested, xps ('\\' escapes ',' and '=');\n"
"                             id defaults to the printer's position (1..)\n"
"    --vector FILE            announce the PDU of a .hex vector as is\n"
"    --out DIR                store each job as DIR/job-<DeviceId>-<n>.bin\n"
"                             (n counts the device's jobs from 0)\n"
"  Fault injection (for every job, or see --fault-dev/--fault-jobs):\n"
"    --create-status ST       answer creates with NTSTATUS ST (a name such\n"
"                             as PRINT_QUEUE_FULL or a number)\n"
"    --write-status ST        answer a write with ST ...\n"
"    --fault-after N          ... after N successful writes of the job\n"
"    --close-status ST        answer closes with ST\n"
"    --fault-dev ID           inject faults only on DeviceId ID\n"
"    --fault-jobs N           inject faults only into the first N jobs\n"
"    --short-write N          consume at most N bytes per write\n"
"    --zero-write N           answer the first N writes of a job with\n"
"                             Length 0\n"
"    --silent[=WHAT]          never answer create,write,close (list) or all\n"
"    --delay-ms N             wait N ms before every answer\n"
"    --remove-after-bytes N   once a job got N bytes, send a Client Device\n"
"                             List Remove for its device (the last write\n"
"                             stays unanswered)\n"
"    --exit-after-bytes N     once a job got N bytes, _exit() at once: the\n"
"                             owner socket dies mid-job\n"
"  Other:\n"
"    --window N --chunk-max N protocol limits to check (default: module\n"
"                             parameters window and chunk_size)\n"
"    --timeout S              exit after S seconds\n"
"    --jobs N                 exit after N jobs ended\n"
"    --file-id N              first FileId handed out (default 0)\n"
"    -v, --verbose            print every write request\n"
"  Output lines: SESSION, REPLY (the kernel's announce responses),\n"
"  HELPER-REPLY (non-printers, answered STATUS_NOT_SUPPORTED here), DEVICE,\n"
"  READY /dev/rdpprnA ..., CREATE, JOB dev= file= bytes= sha256= status=\n"
"  (closed, write-failed, close-failed, removed, close-ignored, open,\n"
"  exited) writes=, REMOVED, LATE, NLERR, OVERRUN, VIOLATION, EXIT.\n"
"  Exit status 3 when the kernel violated the protocol (VIOLATION lines).\n"
"\n"
"check-malformed   refused PDUs: errno + extack, no change, session lives\n"
"check-announce    per-entry announce results, limits, replace, remove\n"
"check-io          I/O request layouts, refused responses, latching,\n"
"                  chunking, short/zero writes, create timeout\n"
"check-session     ownership (EPERM/ENOENT), SESSION_DEL, owner socket\n"
"                  closing with jobs in flight\n"
"check-perm        every command fails with EPERM as uid 65534\n"
"check-dump        SESSION_GET/DEVICE_GET/JOB_GET contents, monitor events\n"
"check-faults [--only OP] [--verbose]\n"
"                  fault injection (fail-nth): every allocation of each of\n"
"                  session-new, announce, open, create-response, write,\n"
"                  write-response, close, close-response, remove-open-job,\n"
"                  session-del-open-jobs fails once; each must end clean\n"
"                  (an out-of-memory errno, nothing half-made) and the\n"
"                  session work after it. \"# faults: OP: N sites failed\"\n"
"hostile [--count N] [--seed S] [--vectors DIR] [--writers N]\n"
"                  a hostile client behind a root helper: N PDUs (100000)\n"
"                  into its own session (mutated vectors, truncations,\n"
"                  bad lengths, random bytes, wrong answers to its live\n"
"                  requests, announces, removes) while N writers (2)\n"
"                  print to its printers; \"# hostile: N PDUs sent, N\n"
"                  refused, N accepted\"; DIR defaults to $IT_DIR/vectors\n"
"check-monitor-perm  uid 65534 cannot join the monitor group (setsockopt,\n"
"                  bind); root still receives its events\n"
"  Each prints \"ok - NAME\" or \"not ok - NAME: WHY\" per check and\n"
"  \"N passed, N failed\"; exit status 1 on any failure.\n"
"\n"
"write-file [--chunk N] [--no-fsync] [--nonblock] [--pause-ms N]\n"
"           [--xps | --xps-late] DEV [FILE]\n"
"  open/write/fsync/close FILE (default stdin) to DEV and print\n"
"  RESULT open=E write=E fsync=E close=E bytes=N eagain=N open_ms=N\n"
"  close_ms=N ms=N  (E: OK, an errno name, or - when not reached).\n"
"  --xps sets the job's format to XPS after open(), --xps-late after the\n"
"  first write; then \"FORMAT xps=E\" follows.\n"
"  Needs no privileges. Exit status 1 if a call failed.\n"
"poll-check DEV [WAIT_S [MAX_BYTES]]\n"
"  O_NONBLOCK job: POLL0 (fresh), FILL until EAGAIN, POLL1 (full),\n"
"  POLL2 (waits WAIT_S for the job to die), WRITE2, CLOSE lines.\n"
"as-user UID GID [--] CMD [ARGS]\n"
"  run CMD with that uid/gid, no supplementary groups, no capabilities.\n"
"gen FILE SIZE [SEED]\n"
"  write SIZE pseudo-random bytes (fast under emulation).\n"
"\n"
"Hostile callers (no privileges needed unless noted):\n"
"signal-writer [--alarm-us N] [--children N [--child-step-ms N]] DEV FILE\n"
"  write FILE and close() while SIGALRM fires every N us and N children\n"
"  exit during the close (handlers without SA_RESTART); prints RESULT\n"
"  open= write= close= bytes= signals= close_signals= close_ms=.\n"
"fd-in-flight DEV FILE\n"
"  write FILE, send the fd over a socketpair without receiving it, close\n"
"  it (drains only), close the sockets: the file is released with no\n"
"  committing close(). RESULT open= write= send= close= bytes=.\n"
"dup-close [--rounds N] DEV FILE\n"
"  N jobs, each closed through two dup'ed fds by two threads at once\n"
"  (every other one fsync()ed first); ROUND lines, RESULT rounds= bad=\n"
"  bytes=.\n"
"open-storm [--count N] [--alarm-us N] DEV\n"
"  N opens, each interrupted by SIGALRM after N us; STORM tries= eintr=\n"
"  ebusy= ok= other= eintr_before_ebusy= last_other= ms=.\n"
"session-info SID\n"
"  SESSION id= orphans= devices= errors= state= (root; - if not sent).\n"
"path-reopen DEV GO_FILE [TEXT]\n"
"  hold DEV with O_PATH, wait for GO_FILE, reopen /proc/self/fd/N for\n"
"  writing (HELD, REOPEN errno=, WROTE lines); writes TEXT if it opens.\n"
"attack --own DEV --bad DEV --victim DEV --dir DIR [--seconds S]\n"
"       [--tries N]\n"
"  an unprivileged owner of the two DEVs: open floods (max_jobs),\n"
"  poll/epoll and write storms against misbehaving clients, every way\n"
"  into the victim's printer (O_PATH reopen, link, mknod, user\n"
"  namespace); ok / not ok lines.\n"
"\n"
"In the test VM, for a host that drives it over virtio-serial ports:\n"
"relay --port NAME [--connect PATH]\n"
"  carry each host connection to the port NAME to rdpprnd's socket\n"
"  (default /run/rdpprnd.sock): one session per connection.\n"
"agent --port NAME\n"
"  run the commands of tests/vm/guest-exec (sh -c) on the port NAME.\n";

struct rpt_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct rpt_cmd rpt_cmds[] = {
	{ "serve", rpt_cmd_serve },
	{ "check-malformed", rpt_cmd_check_malformed },
	{ "check-announce", rpt_cmd_check_announce },
	{ "check-io", rpt_cmd_check_io },
	{ "check-session", rpt_cmd_check_session },
	{ "check-perm", rpt_cmd_check_perm },
	{ "check-dump", rpt_cmd_check_dump },
	{ "check-monitor-perm", rpt_cmd_check_monitor_perm },
	{ "check-faults", rpt_cmd_check_faults },
	{ "hostile", rpt_cmd_hostile },
	{ "write-file", rpt_cmd_write_file },
	{ "poll-check", rpt_cmd_poll_check },
	{ "as-user", rpt_cmd_as_user },
	{ "gen", rpt_cmd_gen },
	{ "signal-writer", rpt_cmd_signal_writer },
	{ "fd-in-flight", rpt_cmd_fd_in_flight },
	{ "dup-close", rpt_cmd_dup_close },
	{ "open-storm", rpt_cmd_open_storm },
	{ "session-info", rpt_cmd_session_info },
	{ "path-reopen", rpt_cmd_path_reopen },
	{ "attack", rpt_cmd_attack },
	{ "relay", rpt_cmd_relay },
	{ "agent", rpt_cmd_agent },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(rpt_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs(rpt_help, stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(rpt_cmds); i++)
		if (!strcmp(argv[1], rpt_cmds[i].name))
			return rpt_cmds[i].fn(argc - 1, argv + 1);
	rpt_die("unknown command '%s' (see --help)", argv[1]);
}
