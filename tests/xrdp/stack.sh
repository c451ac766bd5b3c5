# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/xrdp/stack.sh - a real RDP host and its users' clients, for the
# xrdp suite (tests/xrdp/run) and the demo (tests/demo):
#
#   guest: Debian 12 with systemd, rdpprn.ko, udev, rdpprnd, the patched
#          xrdp 0.9.21.1 (tests/xrdp/build.sh), Debian's cupsd with
#          rdpprn's backend and rdpprn-queued (tests/xrdp/guest-setup.sh);
#          users who log in with passwords through PAM
#   host:  a private cupsd with raw capture queues ("the user's printers
#          at home"), Xvfb, Debian's xfreerdp (2.11) and xfreerdp3 (3.x),
#          which reach xrdp through a hostfwd on 127.0.0.1
#
# Source it (after tests/interop/host.sh and tests/vm/guest.sh) and call:
#
#   xrdp_stack_build KERNEL OUTDIR
#       install and build everything; status 3 when the xrdp tarball of
#       ../shared/third_party is missing (its reason on the last line of
#       OUTDIR/xrdp-build.log), 1 on another failure (XRDP_FAIL says what)
#   xrdp_stack_up KERNEL OUTDIR USER:PASSWORD...
#       start the host's side, boot the guest and set it up with those
#       users; sets XRDP_PORT and XRDP_TMP (the scratch directory), or
#       XRDP_FAIL and returns 1
#   xrdp_stack_down
#       kill the clients, save the guest's logs, stop everything (for an
#       EXIT trap); a clean end is "vm_stop" first (tests/vm/guest.sh)
#
# and, once it is up:
#
#   xrdp_client_up V USER:PASSWORD [ARGS...]
#                               xfreerdp (V=2) or xfreerdp3 (V=3) logs in;
#                               its pid goes to XRDP_CLIENT
#   xrdp_client_down PID        disconnect it
#   xrdp_uid_of USER            the user's uid in the guest
#   xrdp_nodes_of USER          the /dev/rdpprnN nodes USER owns
#   xrdp_wait_nodes USER N [S]  until USER owns exactly N of them
#   xrdp_wait_queues USER N     until rdpprn-queued made N queues of USER's
#   xrdp_gen_job SIZE SEED      a generated file /tmp/job-SEED in the
#                               guest; prints its SHA-256
#   xrdp_captured SHA256        "ok" when exactly one job arrived at the
#                               client's cupsd since the last call, and it
#                               has SHA256; else why not
#   xrdp_save_logs              the guest's logs into OUTDIR

# shellcheck disable=SC2034 # set for the scripts that source this file
XRDP_TREE=
XRDP_OUT=
XRDP_PAY=
XRDP_PORT=
XRDP_TMP=
# shellcheck disable=SC2034
XRDP_FAIL=
XRDP_CLIENT=
XRDP_CLIENTS=()

_xrdp_fail() {
	# shellcheck disable=SC2034
	XRDP_FAIL=$*
	return 1
}

xrdp_stack_build() {
	local kernel=$1 repo xrdp tree user dyn

	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	XRDP_OUT=$2
	XRDP_PAY=$XRDP_OUT/payload
	mkdir -p "$XRDP_OUT"
	"$repo/tests/vm/deps.sh" >"$XRDP_OUT/deps.log" 2>&1 ||
		_xrdp_fail "tests/vm/deps.sh (see $XRDP_OUT/deps.log)" || return
	interop_deps >>"$XRDP_OUT/deps.log" 2>&1 ||
		_xrdp_fail "installing the clients (see $XRDP_OUT/deps.log)" ||
		return
	xrdp=$("$repo/tests/xrdp/build.sh" 2>"$XRDP_OUT/xrdp-build.log")
	case $? in
	0) ;;
	3) _xrdp_fail "$(tail -n 1 "$XRDP_OUT/xrdp-build.log")"; return 3 ;;
	*) _xrdp_fail "tests/xrdp/build.sh (see $XRDP_OUT/xrdp-build.log)"
	   return ;;
	esac
	# the install tree, for the scripted tests of the patched chansrv
	# shellcheck disable=SC2034
	XRDP_TREE=$xrdp

	tree=$("$repo/tests/vm/build-module.sh" "$kernel" 2>"$XRDP_OUT/module.log") ||
		_xrdp_fail "building rdpprn.ko (see $XRDP_OUT/module.log)" || return
	"$repo/tests/vm/debian/payload.sh" "$XRDP_PAY" >"$XRDP_OUT/payload.log" 2>&1 ||
		_xrdp_fail "the guest payload (see $XRDP_OUT/payload.log)" || return
	user=$repo/build/user-static
	make -s -C "$repo/userspace" -j"${RDPPRN_JOBS:-2}" STATIC=1 \
		BUILD="$user" "$user/rdpprnd" "$user/rdpprnctl" \
		>>"$XRDP_OUT/payload.log" 2>&1 ||
		_xrdp_fail "building rdpprnd (see $XRDP_OUT/payload.log)" || return
	# The CUPS backend and queue agent link libcups (no static build):
	# built against the host's Debian 12 libraries, the guest's
	dyn=$XRDP_OUT/user
	make -s -C "$repo/userspace" -j"${RDPPRN_JOBS:-2}" BUILD="$dyn" \
		"$dyn/rdpprn-cups" "$dyn/rdpprn-queued" \
		>>"$XRDP_OUT/payload.log" 2>&1 ||
		_xrdp_fail "building the CUPS backend and agent (see $XRDP_OUT/payload.log)" ||
		return
	install -m 0755 "$user/rdpprnd" "$user/rdpprnctl" "$dyn/rdpprn-cups" \
		"$dyn/rdpprn-queued" "$XRDP_PAY/bin/"
	install -m 0644 "$tree/rdpprn.ko" "$repo/userspace/udev/70-rdpprn.rules" \
		"$repo/tests/xrdp/xrdp.ini" "$XRDP_PAY/"
	install -m 0755 "$repo/tests/xrdp/guest-setup.sh" \
		"$repo/tests/xrdp/startwm.sh" "$XRDP_PAY/"
	tar -C "$xrdp/root" -czf "$XRDP_PAY/xrdp-root.tar.gz" . ||
		_xrdp_fail "packing the xrdp install tree" || return
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-subj /CN=rdpprn-guest -keyout "$XRDP_PAY/key.pem" \
		-out "$XRDP_PAY/cert.pem" >/dev/null 2>&1 ||
		_xrdp_fail "openssl" || return
	chmod 0644 "$XRDP_PAY/key.pem"
}

xrdp_stack_up() {
	local kernel=$1 res

	shift 2
	interop_tmp || _xrdp_fail "no scratch directory" || return
	XRDP_TMP=$INTEROP_TMP
	interop_cupsd_start >"$XRDP_OUT/cupsd.log" 2>&1 ||
		_xrdp_fail "the private cupsd (see $XRDP_OUT/cupsd.log)" || return
	interop_xvfb_start 2>>"$XRDP_OUT/cupsd.log" ||
		_xrdp_fail "Xvfb" || return
	XRDP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
		_xrdp_fail "no free port" || return
	VM_RELAYS=0 vm_start "$kernel" "$XRDP_PAY" "$XRDP_OUT/vm.log" --debian \
		--nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$XRDP_PORT-:3389" ||
		_xrdp_fail "the VM did not come up (log $XRDP_OUT/vm.log)" || return
	res=$(guest --timeout 300 -- "sh /payload/guest-setup.sh $* 2>&1")
	echo "$res" | sed 's/^/# guest: /' | tail -n 5
	[[ "$res" == *"SETUP OK"* ]] || _xrdp_fail "the guest's setup failed"
}

# The guest's rdpprnd, xrdp/sesman, chansrv, agent and cupsd logs
xrdp_save_logs() {
	guest --timeout 30 -- "cat /var/log/rdpprnd.log" >"$XRDP_OUT/rdpprnd.log" 2>&1
	guest --timeout 30 -- "cat /var/log/xrdp.log /var/log/xrdp-sesman.log" \
		>"$XRDP_OUT/xrdp.log" 2>&1
	guest --timeout 30 -- "cat /home/*/.local/share/xrdp/*.log" \
		>"$XRDP_OUT/chansrv.log" 2>&1
	guest --timeout 30 -- "cat /var/log/rdpprn-queued.log" \
		>"$XRDP_OUT/rdpprn-queued.log" 2>&1
	guest --timeout 30 -- "cat /var/log/cups/error_log /var/log/cups/page_log" \
		>"$XRDP_OUT/cups-guest.log" 2>&1
}

xrdp_stack_down() {
	local c

	for c in "${XRDP_CLIENTS[@]}"; do interop_kill "$c"; done
	XRDP_CLIENTS=()
	[ -z "$VM_PID" ] || xrdp_save_logs
	[ -z "$INTEROP_TMP" ] ||
		cat "$INTEROP_TMP"/client-*.log >"$XRDP_OUT/clients.log" 2>/dev/null
	interop_cleanup
	vm_kill
}

xrdp_uid_of() {
	guest -- "id -u ${1%%:*}"
}

xrdp_nodes_of() {
	guest -- "for n in /dev/rdpprn[0-9]*; do
		[ -e \"\$n\" ] && [ \"\$(stat -c %U \$n)\" = $1 ] && echo \$n
	done; true"
}

xrdp_wait_nodes() {
	local i n

	for ((i = 0; i < ${3:-60} * 2; i++)); do
		n=$(xrdp_nodes_of "$1" | grep -c rdpprn)
		[ "$n" = "$2" ] && return 0
		sleep 0.5
	done
	echo "# $1 owns $n printer nodes, want $2" >&2
	return 1
}

# Queues of USER's printers are those with device URIs rdpprn://USER/...?id=;
# they take up to 60 s under TCG
xrdp_wait_queues() {
	local i n

	for ((i = 0; i < 240; i++)); do
		n=$(guest -- "lpstat -v 2>/dev/null" | grep -c "rdpprn://$1/.*?id=")
		[ "$n" = "$2" ] && return 0
		sleep 0.25
	done
	echo "# $1 has $n CUPS queues, want $2" >&2
	return 1
}

xrdp_client_up() {
	local v=$1 cred=$2

	shift 2
	# FreeRDP ends the connection on xrdp 0.9's bitmap cache orders
	# ("Cache Bitmap V2 - SERVER BUG: The support for this feature was not
	# announced", xrdp issue #1229); the option is its own advice
	INTEROP_CLIENT_PID=
	INTEROP_RDP_USER=${cred%%:*} INTEROP_RDP_PASS=${cred#*:} \
		interop_client_start "$v" "$XRDP_PORT" "$@" \
		/relax-order-checks 2>>"$XRDP_OUT/run.log" || return 1
	XRDP_CLIENT=$INTEROP_CLIENT_PID
	XRDP_CLIENTS+=("$XRDP_CLIENT")
	INTEROP_CLIENT_PID=
}

xrdp_client_down() {
	interop_kill "$1"
}

xrdp_gen_job() {
	guest -- "rdpprn-test gen /tmp/job-$2 $1 $2 >/dev/null &&
		chmod 644 /tmp/job-$2 && sha256sum /tmp/job-$2 | cut -d' ' -f1"
}

# The capture files already seen are listed in XRDP_TMP/seen: callers run
# in subshells, so no shell variable survives them.
xrdp_captured() {
	local want=$1 i new got f n

	touch "$XRDP_TMP/seen"
	for ((i = 0; i < 600; i++)); do
		new=$(find "$INTEROP_CAPTURE" -maxdepth 1 -name '*.bin' 2>/dev/null |
			sort | comm -23 - <(sort "$XRDP_TMP/seen"))
		[ -n "$new" ] && break
		sleep 0.1
	done
	[ -n "$new" ] || { echo "nothing arrived in the client's cupsd"; return 1; }
	printf '%s\n' "$new" >>"$XRDP_TMP/seen"
	n=$(printf '%s\n' "$new" | grep -c .)
	for f in $new; do
		got=$(sha256sum "$f" | cut -d' ' -f1)
		if [ "$n" != 1 ] || [ "$got" != "$want" ]; then
			echo "$n new jobs; ${f##*/}: $(stat -c %s "$f") bytes, sha256 $got, want $want"
			return 1
		fi
	done
	echo ok
}
