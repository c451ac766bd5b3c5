# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/interop/host.sh - the host side of the real-client tests: a
# private cupsd with raw capture queues, Xvfb, and the real FreeRDP
# clients (xfreerdp 2.11, xfreerdp3 3.x) with printer redirection.
#
# Source it from bash (as root) and call:
#
#   interop_deps                  apt-get install what is missing
#   interop_tmp                   the scratch directory (made on first use:
#                                 mktemp -d /tmp/rdpprn-interop.XXXXXX);
#                                 sets INTEROP_TMP
#   interop_cupsd_start [DIR]     private cupsd in DIR (default
#                                 $INTEROP_TMP/cups), only on the Unix
#                                 socket DIR/cups.sock (exported as
#                                 CUPS_SERVER), raw queues "capture" (the
#                                 default) and "capture2"; every job lands
#                                 unchanged in DIR/capture/<queue>-<job>.bin
#                                 (INTEROP_CAPTURE)
#   interop_cupsd_stop
#   interop_xvfb_start            Xvfb on a free display; exports DISPLAY
#                                 and XAUTHORITY
#   interop_xvfb_stop
#   interop_client_start V PORT [ARGS...]
#                                 xfreerdp (V=2) or xfreerdp3 (V=3) to
#                                 127.0.0.1:PORT with /printer (every CUPS
#                                 printer), log in INTEROP_CLIENT_LOG
#   interop_client_cmd V PORT [ARGS...]
#                                 print that command line (one word a line)
#   interop_client_stop           SIGTERM the client: an RDP disconnect
# INTEROP_RDP_USER and INTEROP_RDP_PASS (default rdpprn, rdpprn) are the
# credentials the clients log in with.
#   interop_cleanup               stop everything started, remove the
#                                 scratch directory (kept if INTEROP_KEEP=1)
#
# The exact client command lines (interop_client_cmd):
#   xfreerdp  /v:127.0.0.1:PORT /u:rdpprn /p:rdpprn /sec:tls /cert-ignore
#             /printer /audio-mode:2 /size:800x600 -clipboard /log-level:INFO
#   xfreerdp3 /v:127.0.0.1:PORT /u:rdpprn /p:rdpprn /sec:tls /cert:ignore
#             /printer /audio-mode:2 /size:800x600 -clipboard /log-level:INFO
# Clients run with HOME=$INTEROP_TMP/home-V: no known_hosts and no printer
# cache data of an earlier run or of the other client version (FreeRDP
# stores printer configuration under ~/.config/freerdp and sends it back
# in the next session's announce); a second connection of the same
# version in one scratch directory does see the first one's cache.
#
# Everything lives in the mktemp directory under /tmp (the checkout may
# be in a directory other users cannot enter, and Unix socket paths are
# short). Functions return non-zero and say why on stderr; none exits.
# Install interop_cleanup in the caller's trap:
#   trap interop_cleanup EXIT

INTEROP_TMP=${INTEROP_TMP:-}
INTEROP_CUPSD_PID=
INTEROP_XVFB_PID=
INTEROP_CLIENT_PID=
INTEROP_CLIENT_LOG=
INTEROP_CAPTURE=

interop_log() {
	echo "interop: $*" >&2
}

# --- packages ---------------------------------------------------------------

# interop_deps: install the client side's packages if any is missing. The
# bookworm-backports source (for freerdp3-*) is added by tests/vm/deps.sh,
# which runs first; without it freerdp3 comes from the default suite if
# that has it.
interop_deps() {
	# (libcups2-dev is not needed: nothing here compiles against CUPS)
	local main=(freerdp2-x11 xvfb xauth cups-daemon cups-client openssl
		    python3)
	local bpo=(freerdp3-x11 freerdp3-dev)
	local missing=() missing_bpo=() p

	for p in "${main[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	for p in "${bpo[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing_bpo+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ] && [ ${#missing_bpo[@]} -eq 0 ]; then
		return 0
	fi
	interop_log "installing ${missing[*]} ${missing_bpo[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -qq || return 1
	if [ ${#missing[@]} -gt 0 ]; then
		apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" ||
			return 1
	fi
	if [ ${#missing_bpo[@]} -gt 0 ]; then
		if apt-cache policy 2>/dev/null | grep -q bookworm-backports; then
			apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
				-t bookworm-backports "${missing_bpo[@]}" ||
				return 1
		else
			apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
				"${missing_bpo[@]}" || return 1
		fi
	fi
	# cups-daemon's postinst starts the system cupsd; the tests use
	# their own and leave the system's alone
}

# --- scratch directory ------------------------------------------------------

interop_tmp() {
	if [ -z "$INTEROP_TMP" ] || [ ! -d "$INTEROP_TMP" ]; then
		INTEROP_TMP=$(mktemp -d /tmp/rdpprn-interop.XXXXXX) || return 1
		# others may traverse (not list): a server run as another
		# user can reach its socket
		chmod 0711 "$INTEROP_TMP"
	fi
	export INTEROP_TMP
}

# Wait up to $1 tenths of a second for the command "$2 ..." to succeed.
interop_wait() {
	local n=$1

	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# Stop a process started here: SIGTERM, 5 s, SIGKILL; reap it.
interop_kill() {
	local pid=${1:-} n=50

	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# --- private cupsd ----------------------------------------------------------

# The backend: "capture:/dir" stores each job as /dir/<queue>-<job>.bin,
# byte for byte (no filter runs on a raw queue). It is 0700 and owned by
# root, so cupsd runs it as root.
interop_write_backend() {
	cat >"$1" <<'EOF'
#!/bin/sh
# capture backend of tests/interop/host.sh
if [ $# -eq 0 ]; then
	echo 'direct capture "Unknown" "rdpprn capture (tests/interop)"'
	exit 0
fi
dir=${DEVICE_URI#capture:}
out="$dir/${PRINTER:-unknown}-$1.bin"
if [ $# -ge 6 ]; then
	cat -- "$6" >"$out.part" || exit 1
else
	cat >"$out.part" || exit 1
fi
chmod 0644 "$out.part"
mv -f "$out.part" "$out"
echo "INFO: stored $out" >&2
exit 0
EOF
	chmod 0700 "$1"
}

# cupsd answers on its socket ("lpstat -r" exits 0 either way)
interop_cupsd_up() {
	[ -S "$CUPS_SERVER" ] &&
		lpstat -r 2>/dev/null | grep -q 'scheduler is running'
}

interop_cupsd_start() {
	local dir=${1:-} sbin e

	if [ -n "$INTEROP_CUPSD_PID" ]; then
		interop_log "cupsd already runs (pid $INTEROP_CUPSD_PID)"
		return 1
	fi
	if [ -z "$dir" ]; then
		interop_tmp || return 1
		dir=$INTEROP_TMP/cups
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd -P)
	if [ ${#dir} -gt 90 ]; then
		interop_log "cupsd: $dir is too long for a Unix socket path"
		return 1
	fi
	# cupsd refuses files and directories others can write to
	chmod 0755 "$dir"
	mkdir -p "$dir/etc" "$dir/spool/tmp" "$dir/cache" "$dir/state" \
		"$dir/log" "$dir/capture" "$dir/serverbin/backend"
	chmod 0755 "$dir/etc" "$dir/serverbin" "$dir/serverbin/backend"
	chmod 0700 "$dir/capture"

	# ServerBin: the system's filters etc., and only our backend
	sbin=$dir/serverbin
	for e in /usr/lib/cups/*; do
		case ${e##*/} in
		backend|backend-available) ;;
		*) ln -sfn "$e" "$sbin/${e##*/}" ;;
		esac
	done
	interop_write_backend "$sbin/backend/capture"

	cat >"$dir/etc/cups-files.conf" <<EOF
# private cupsd of tests/interop/host.sh
ServerRoot $dir/etc
ServerBin $sbin
DataDir /usr/share/cups
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
Printcap $dir/printcap
SystemGroup root
User lp
Group lp
EOF
	cat >"$dir/etc/cupsd.conf" <<EOF
# private cupsd of tests/interop/host.sh: Unix socket only, no browsing
LogLevel info
Listen $dir/cups.sock
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
JobRetryLimit 0
PreserveJobFiles No
MaxJobs 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
	# raw.types/raw.convs: application/octet-stream (what FreeRDP's
	# CUPS_FORMAT_AUTO jobs are auto-typed to when nothing else matches)
	# goes to a raw queue unfiltered
	for e in raw.types raw.convs; do
		if [ -f "/etc/cups/$e" ]; then
			cp "/etc/cups/$e" "$dir/etc/$e"
		fi
	done
	printf 'application/octet-stream\n' >"$dir/etc/local.types"
	printf 'application/octet-stream application/vnd.cups-raw 0 -\n' \
		>"$dir/etc/local.convs"
	chmod 0644 "$dir"/etc/*

	/usr/sbin/cupsd -f -c "$dir/etc/cupsd.conf" \
		-s "$dir/etc/cups-files.conf" </dev/null \
		>>"$dir/log/cupsd.out" 2>&1 &
	INTEROP_CUPSD_PID=$!
	export CUPS_SERVER=$dir/cups.sock
	export INTEROP_CUPS_DIR=$dir
	INTEROP_CAPTURE=$dir/capture
	export INTEROP_CAPTURE
	if ! interop_wait 100 interop_cupsd_up; then
		interop_log "cupsd did not start; see $dir/log/"
		tail -n 20 "$dir/log/cupsd.out" "$dir/log/error_log" >&2 \
			2>/dev/null
		interop_cupsd_stop
		return 1
	fi
	for e in capture capture2; do
		lpadmin -p "$e" -E -v "capture:$dir/capture" \
			-D "rdpprn $e queue" >/dev/null 2>"$dir/log/lpadmin.err" ||
			{ interop_log "lpadmin $e failed:" \
				"$(cat "$dir/log/lpadmin.err")"
			  interop_cupsd_stop; return 1; }
	done
	lpadmin -d capture >/dev/null 2>&1 || {
		interop_log "lpadmin -d capture failed"
		interop_cupsd_stop
		return 1
	}
	interop_log "cupsd (pid $INTEROP_CUPSD_PID) on $CUPS_SERVER:" \
		"queues capture (default), capture2 -> $INTEROP_CAPTURE"
}

interop_cupsd_stop() {
	interop_kill "$INTEROP_CUPSD_PID"
	INTEROP_CUPSD_PID=
}

# interop_capture_wait QUEUE N: wait up to 30 s until N job files of QUEUE
# are stored; prints their paths.
interop_capture_wait() {
	local q=$1 want=$2 n=300 files

	while [ $n -gt 0 ]; do
		files=$(find "$INTEROP_CAPTURE" -maxdepth 1 -name "$q-*.bin" \
			2>/dev/null | sort -t- -k2 -n)
		if [ -n "$files" ] &&
		   [ "$(printf '%s\n' "$files" | wc -l)" -ge "$want" ]; then
			printf '%s\n' "$files"
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# --- Xvfb -------------------------------------------------------------------

interop_xvfb_start() {
	local d auth

	interop_tmp || return 1
	if [ -n "$INTEROP_XVFB_PID" ]; then
		interop_log "Xvfb already runs (pid $INTEROP_XVFB_PID)"
		return 1
	fi
	auth=$INTEROP_TMP/Xauthority
	for d in $(seq 90 190); do
		[ -e "/tmp/.X$d-lock" ] && continue
		[ -e "/tmp/.X11-unix/X$d" ] && continue
		: >"$auth"
		xauth -q -f "$auth" add ":$d" . \
			"$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" ||
			return 1
		Xvfb ":$d" -screen 0 1024x768x24 -nolisten tcp -auth "$auth" \
			</dev/null >"$INTEROP_TMP/xvfb.log" 2>&1 &
		INTEROP_XVFB_PID=$!
		if interop_wait 100 test -S "/tmp/.X11-unix/X$d"; then
			if kill -0 "$INTEROP_XVFB_PID" 2>/dev/null; then
				export DISPLAY=:$d XAUTHORITY=$auth
				interop_log "Xvfb (pid $INTEROP_XVFB_PID) on $DISPLAY"
				return 0
			fi
		fi
		# lost a race for this display: try the next one
		interop_kill "$INTEROP_XVFB_PID"
		INTEROP_XVFB_PID=
	done
	interop_log "Xvfb did not start; see $INTEROP_TMP/xvfb.log"
	return 1
}

interop_xvfb_stop() {
	interop_kill "$INTEROP_XVFB_PID"
	INTEROP_XVFB_PID=
}

# --- the FreeRDP clients ----------------------------------------------------

interop_client_cmd() {
	local v=${1:-} port=${2:-}

	case $port in
	''|*[!0-9]*)
		interop_log "usage: interop_client_cmd 2|3 PORT [ARGS...]"
		return 1 ;;
	esac
	shift 2
	case $v in
	2)	printf '%s\n' xfreerdp "/v:127.0.0.1:$port" \
			"/u:${INTEROP_RDP_USER:-rdpprn}" \
			"/p:${INTEROP_RDP_PASS:-rdpprn}" /sec:tls /cert-ignore /printer \
			/audio-mode:2 /size:800x600 -clipboard /log-level:INFO \
			"$@" ;;
	3)	printf '%s\n' xfreerdp3 "/v:127.0.0.1:$port" \
			"/u:${INTEROP_RDP_USER:-rdpprn}" \
			"/p:${INTEROP_RDP_PASS:-rdpprn}" /sec:tls /cert:ignore /printer \
			/audio-mode:2 /size:800x600 -clipboard /log-level:INFO \
			"$@" ;;
	*)	interop_log "client version $v: 2 or 3"
		return 1 ;;
	esac
}

interop_client_start() {
	local v=${1:-} port=${2:-} cmd=()

	interop_tmp || return 1
	if [ -n "$INTEROP_CLIENT_PID" ]; then
		interop_log "a client already runs (pid $INTEROP_CLIENT_PID)"
		return 1
	fi
	if [ -z "$DISPLAY" ]; then
		interop_log "no DISPLAY: interop_xvfb_start first"
		return 1
	fi
	mapfile -t cmd < <(interop_client_cmd "$@") || return 1
	[ ${#cmd[@]} -gt 0 ] || return 1
	mkdir -p "$INTEROP_TMP/home-$v"
	INTEROP_CLIENT_LOG=$INTEROP_TMP/client-$v-$(date +%s%N).log
	export INTEROP_CLIENT_LOG
	printf '%q ' "${cmd[@]}" >"$INTEROP_CLIENT_LOG"
	echo >>"$INTEROP_CLIENT_LOG"
	HOME=$INTEROP_TMP/home-$v XDG_CONFIG_HOME=$INTEROP_TMP/home-$v/.config \
		"${cmd[@]}" </dev/null >>"$INTEROP_CLIENT_LOG" 2>&1 &
	INTEROP_CLIENT_PID=$!
	interop_log "client $v (pid $INTEROP_CLIENT_PID) to port $port," \
		"log $INTEROP_CLIENT_LOG"
}

# True while the client process runs.
interop_client_running() {
	[ -n "$INTEROP_CLIENT_PID" ] && kill -0 "$INTEROP_CLIENT_PID" 2>/dev/null
}

interop_client_stop() {
	interop_kill "$INTEROP_CLIENT_PID"
	INTEROP_CLIENT_PID=
}

# --- all of it --------------------------------------------------------------

interop_cleanup() {
	interop_client_stop
	interop_xvfb_stop
	interop_cupsd_stop
	if [ -n "$INTEROP_TMP" ] && [ -d "$INTEROP_TMP" ]; then
		if [ "${INTEROP_KEEP:-0}" = 1 ]; then
			interop_log "kept $INTEROP_TMP"
		else
			rm -rf "$INTEROP_TMP"
		fi
	fi
	INTEROP_TMP=
}
