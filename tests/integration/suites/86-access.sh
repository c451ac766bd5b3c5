# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Access control against a printer's *current* owner (issue 7, scenarios
# 5 and 6). Minors are handed out cyclically, so the next user's printer
# does not get the minor a stale node still names; a stale node (an
# O_PATH descriptor on a removed devtmpfs node, a node made with mknod
# outside devtmpfs) does not open another user's printer, because open()
# checks the opener against the device's owner and node_mode; the monitor
# group needs CAP_NET_ADMIN; cached_config is root's.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/access
mkdir -p "$d"
chmod 755 "$d"
gen_file "$d/small" 5000 21
chmod 644 "$d/small"
denied="RESULT open=EACCES write=- fsync=- close=-"
printed="RESULT open=OK write=OK fsync=OK close=OK"

# mk_node PATH NODE OWNER MODE: a node outside devtmpfs with NODE's
# major:minor (busybox stat prints them in hex)
mk_node() {
	_mn_t=$(stat -c %t "$2")
	_mn_T=$(stat -c %T "$2")
	rm -f "$1"
	mknod "$1" c "$(printf %d "0x$_mn_t")" "$(printf %d "0x$_mn_T")" &&
		chown "$3" "$1" && chmod "$4" "$1"
}

# creates NAME: CREATE lines in $SERVE_LOG, the jobs that reached the client
creates() {
	count_lines "$SERVE_LOG" '^CREATE '
}

# 1. A's printer goes away (its session ends, or the client removes it):
#    B's next printer must not get A's minor, or every node still naming it
#    (a container's /dev, a descriptor held with O_PATH) names B's printer
if serve_start minor-a --printer name=A,id=1 --uid 1000 --gid 1000; then
	a_node=$(serve_node 1)
	serve_stop
	wait_gone "$a_node" 5
	if serve_start minor-b --printer name=B,id=1 --uid 1001 --gid 1001; then
		b_node=$(serve_node 1)
		check minor-not-reused-after-session-end \
			"A's $a_node went with its session, B got $b_node" \
			[ "$a_node" != "$b_node" ]
		serve_stop
	fi
fi
if serve_start minor-rm --printer name=A,id=1 --printer name=A2,id=2 \
	--uid 1000 --gid 1000 --remove-after-bytes 1000; then
	a_node=$(serve_node 1)
	a_pid=$SERVE_PID
	res=$(print_as 1000 1000 "$a_node" "$d/small")
	echo "# A's job on the removed printer: $res"
	wait_gone "$a_node" 5
	if serve_start minor-rm-b --printer name=B,id=1 --uid 1001 --gid 1001; then
		b_node=$(serve_node 1)
		check minor-not-reused-after-remove \
			"the client removed A's $a_node, B got $b_node" \
			[ "$a_node" != "$b_node" ]
		serve_stop
	fi
	SERVE_PID=$a_pid
	serve_stop
fi

# 2. A holds its devtmpfs node with O_PATH; the printer goes, B's comes.
#    Reopening the stale inode through /proc/self/fd/N must not reach B's
#    printer. devtmpfs itself resets a node it removes to root:root 0000
#    (for hard links), so the VFS already says EACCES; without that the
#    open check would, or, with the minor not reused, no device (ENXIO).
if serve_start stale-a --printer name=A,id=1 --uid 1000 --gid 1000; then
	a_node=$(serve_node 1)
	rm -f "$d/go"
	timeout 180 rdpprn-test as-user 1000 1000 rdpprn-test path-reopen \
		"$a_node" "$d/go" >"$d/reopen" 2>&1 &
	rpid=$!
	wait_line "$d/reopen" '^HELD' 30
	serve_stop
	wait_gone "$a_node" 5
	if serve_start stale-b --printer name=B,id=1 --uid 1001 --gid 1001; then
		b_node=$(serve_node 1)
		echo "# A holds the stale $a_node, B's printer is $b_node"
		touch "$d/go"
		wait "$rpid"
		show_log "$d/reopen"
		reopen=$(sed -n 's/^REOPEN errno=//p' "$d/reopen")
		case $reopen in
		EACCES | ENOENT | ENXIO | ENODEV)
			ok stale-opath-reopen-refused
			echo "# the stale node's reopen: $reopen"
			;;
		*) not_ok stale-opath-reopen-refused "reopen: ${reopen:-no answer}" ;;
		esac
		res=$(print_as 1001 1001 "$b_node" "$d/small")
		check_eq stale-b-prints "$(calls "$res")" "$printed"
		wait_jobs 1 10
		job_intact stale-b-job-intact "$d/small"
		check_eq stale-b-only-own-job "$(creates)" 1
		serve_stop
	else
		kill "$rpid" 2>/dev/null
	fi
fi

# 3. Outside devtmpfs a node keeps the owner it was made with. Root makes
#    one owned by A (0600) in A's directory with the major:minor of B's
#    live printer: exactly what A's stale node in a container's /dev
#    becomes once the minor is B's. The inode lets A in; open() must not.
mkdir -p "$d/a" "$d/b" "$d/c"
chown 1000:1000 "$d/a"
chown 1001:1001 "$d/b"
chown 1002:1001 "$d/c"
chmod 700 "$d/a" "$d/b" "$d/c"
if serve_start mknod-b --printer name=B,id=1 --uid 1001 --gid 1001; then
	b_node=$(serve_node 1)
	mk_node "$d/a/stale" "$b_node" 1000:1000 600
	res=$(print_as 1000 1000 "$d/a/stale" "$d/small")
	check_eq mknod-stale-owner-eacces "$(calls "$res")" "$denied"
	# a group member of B's session, through a node that lets anyone in:
	# the default node_mode 0600 has no group write bit
	mk_node "$d/c/any" "$b_node" 1002:1001 666
	res=$(print_as 1002 1001 "$d/c/any" "$d/small")
	check_eq mknod-group-member-mode-0600-eacces "$(calls "$res")" "$denied"
	check_eq mknod-refused-opens-never-reach-client "$(creates)" 0
	mk_node "$d/b/own" "$b_node" 1001:1001 600
	res=$(print_as 1001 1001 "$d/b/own" "$d/small")
	check_eq mknod-owner-prints "$(calls "$res")" "$printed"
	wait_jobs 1 10
	job_intact mknod-owner-job-intact "$d/small"
	res=$(timeout 60 rdpprn-test write-file "$d/a/stale" "$d/small")
	check_eq mknod-root-prints "$(calls "$res")" "$printed"
	wait_jobs 2 10
	check_eq mknod-only-allowed-jobs "$(creates)" 2
	serve_stop
fi
# with node_mode 0660 the session's group may print, still nobody else
old=$(param node_mode)
set_param node_mode 0660
if serve_start mknod-g --printer name=G,id=1 --uid 1001 --gid 1001; then
	g_node=$(serve_node 1)
	mk_node "$d/c/grp" "$g_node" 1002:1001 600
	res=$(print_as 1002 1001 "$d/c/grp" "$d/small")
	check_eq mknod-group-member-mode-0660-prints "$(calls "$res")" "$printed"
	mk_node "$d/a/stale" "$g_node" 1000:1000 600
	res=$(print_as 1000 1000 "$d/a/stale" "$d/small")
	check_eq mknod-other-mode-0660-eacces "$(calls "$res")" "$denied"
	wait_jobs 1 10
	check_eq mknod-mode-0660-only-group-job "$(creates)" 1
	serve_stop
fi
set_param node_mode "$old"

# 4. the monitor group tells every session's uid, client and printers
timeout 120 rdpprn-test check-monitor-perm

# 5. cached_config is the client's private printer setup: root only
printf 'PRIVATE printer settings of uid 1000\n' >"$d/cfg"
if serve_start config --printer "name=Cfg,id=1,config=$d/cfg" \
	--uid 1000 --gid 1000; then
	node=$(serve_node 1)
	cfg=/sys/class/rdpprn/${node#/dev/}/cached_config
	check_eq cached-config-mode-0400 "$(stat -c %a "$cfg")" 400
	out=$(timeout 60 rdpprn-test as-user 1001 1001 cat "$cfg" 2>&1)
	case $out in
	*"Permission denied"*) ok cached-config-other-user-eacces ;;
	*) not_ok cached-config-other-user-eacces "uid 1001 read: $out" ;;
	esac
	check cached-config-root-reads "root reads something else" \
		cmp -s "$cfg" "$d/cfg"
	serve_stop
fi
rm -rf "$d"
exit 0
