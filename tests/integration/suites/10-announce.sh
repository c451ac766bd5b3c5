# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The spec's 3-device announce (2 printers + LPT1): exactly two devices,
# exactly two Server Device Announce Responses, sysfs attributes (the
# client's address in canonical form among them), uevent
# variables, node ownership; name sanitizing; SESSION_DEL removes it all.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

vec=$IT_DIR/vectors/01_c2s_device_list_announce_3dev.hex

if ! serve_start announce --vector "$vec" --uid 1000 --gid 1000 \
	--client-name TSDEV-SELFHOST --client-address 2001:DB8:0:0::7; then
	not_ok announce-vector-ready "serve did not start"
	exit 0
fi
ok announce-vector-ready

check_eq announce-replies "$(count_lines "$SERVE_LOG" '^REPLY ')" 2
check announce-reply-apollo "no success reply for DeviceId 4" \
	grep -q '^REPLY dev=4 status=0x00000000$' "$SERVE_LOG"
check announce-reply-canon "no success reply for DeviceId 3" \
	grep -q '^REPLY dev=3 status=0x00000000$' "$SERVE_LOG"
check announce-no-reply-for-lpt "the kernel answered the parallel port" \
	sh -c "! grep -q '^REPLY dev=2 ' '$SERVE_LOG'"
check announce-helper-answers-lpt "no HELPER-REPLY for DeviceId 2" \
	grep -q '^HELPER-REPLY dev=2 status=0xc00000bb$' "$SERVE_LOG"
# shellcheck disable=SC2086 # split the node list
set -- $SERVE_DEVS
check_eq announce-two-devices "$#" 2

n4=$(serve_node 4)
n3=$(serve_node 3)
sid=$SERVE_SID

# attr NAME DEVNODE ATTR WANT
attr() {
	_a_got=$(cat "/sys/class/rdpprn/${2#/dev/}/$3" 2>&1)
	check_eq "$1" "$_a_got" "$4"
}

for pair in "4:$n4" "3:$n3"; do
	id=${pair%%:*}
	node=${pair#*:}
	if [ -z "$node" ] || [ ! -c "$node" ]; then
		not_ok "announce-node-$id" "no character device for DeviceId $id ($node)"
		continue
	fi
	ok "announce-node-$id"
	sys=/sys/class/rdpprn/${node#/dev/}
	if [ "$id" = 4 ]; then
		name="Apollo P-1200" flags=0x00000010 default=0
	else
		name="Canon Bubble-Jet BJ-30" flags=0x00000012 default=1
	fi
	attr "sysfs-printer_name-$id" "$node" printer_name "$name"
	attr "sysfs-driver_name-$id" "$node" driver_name "$name"
	attr "sysfs-dos_name-$id" "$node" dos_name "PRN$id"
	attr "sysfs-flags-$id" "$node" flags "$flags"
	attr "sysfs-default-$id" "$node" default "$default"
	attr "sysfs-network-$id" "$node" network 0
	attr "sysfs-xps-$id" "$node" xps 1
	attr "sysfs-nested-$id" "$node" nested 0
	attr "sysfs-device_id-$id" "$node" device_id "$id"
	attr "sysfs-session_id-$id" "$node" session_id "$sid"
	attr "sysfs-client_name-$id" "$node" client_name TSDEV-SELFHOST
	attr "sysfs-client_address-$id" "$node" client_address 2001:db8::7
	attr "sysfs-jobs-$id" "$node" jobs 0
	attr "sysfs-bytes-$id" "$node" bytes 0
	attr "sysfs-errors-$id" "$node" errors 0
	check_eq "sysfs-cached_config-empty-$id" \
		"$(wc -c <"$sys/cached_config" 2>&1 | tr -d ' ')" 0
	case $(stat -c %a "$sys/cached_config") in
	*[2367]*) not_ok "sysfs-cached_config-read-only-$id" \
		"mode $(stat -c %a "$sys/cached_config")" ;;
	*) ok "sysfs-cached_config-read-only-$id" ;;
	esac
	check_eq "node-owner-mode-$id" "$(stat -c '%u:%g %a' "$node")" \
		"1000:1000 600"
	ue=$sys/uevent
	echo "# $ue:"
	show_log "$ue"
	check_eq "uevent-devname-$id" "$(sed -n 's/^DEVNAME=//p' "$ue")" \
		"${node#/dev/}"
	check_eq "uevent-session-$id" "$(sed -n 's/^RDPPRN_SESSION=//p' "$ue")" \
		"$sid"
	check_eq "uevent-uid-$id" "$(sed -n 's/^RDPPRN_UID=//p' "$ue")" 1000
	check_eq "uevent-default-$id" "$(sed -n 's/^RDPPRN_DEFAULT=//p' "$ue")" \
		"$default"
	check_eq "uevent-device-id-$id" \
		"$(sed -n 's/^RDPPRN_DEVICE_ID=//p' "$ue")" "$id"
	un=$(sed -n 's/^RDPPRN_NAME=//p' "$ue")
	case $un in
	"" | *[!A-Za-z0-9._-]*)
		not_ok "uevent-name-$id" "RDPPRN_NAME '$un' is empty or not sanitized" ;;
	*Apollo* | *Canon*)
		ok "uevent-name-$id" ;;
	*)
		not_ok "uevent-name-$id" "RDPPRN_NAME '$un' lost the printer name" ;;
	esac
done
check_eq announce-sysfs-entries \
	"$(find /sys/class/rdpprn -mindepth 1 -maxdepth 1 | wc -l)" 2
serve_clean announce-no-violations
serve_stop
check session-del-removes-nodes "$n4/$n3 still exist" \
	sh -c "! [ -e '$n4' ] && ! [ -e '$n3' ]"
check session-del-removes-sysfs "/sys/class/rdpprn not empty" \
	sh -c "[ -z \"\$(ls /sys/class/rdpprn 2>/dev/null)\" ]"

# Other flags, an 8-bit DriverName, a cached config blob
printf 'config-blob\000\001\002\377' >"$IT_TMP/config.bin"
if serve_start flags --uid 1000 --gid 1001 --client-name "Client two" \
	--printer "name=Net printer,driver=PCL 6 Generic,ascii,network,nested,id=77,dos=LPT3:,config=$IT_TMP/config.bin"; then
	node=$(serve_node 77)
	attr flags-flags "$node" flags 0x0000000d
	attr flags-default "$node" default 0
	attr flags-network "$node" network 1
	attr flags-xps "$node" xps 0
	attr flags-nested "$node" nested 1
	attr flags-ascii-driver "$node" driver_name "PCL 6 Generic"
	attr flags-dos-colon "$node" dos_name "LPT3:"
	attr flags-client-name "$node" client_name "Client two"
	check flags-cached-config "cached_config differs from the announced blob" \
		cmp -s "$IT_TMP/config.bin" "/sys/class/rdpprn/${node#/dev/}/cached_config"
	check_eq flags-node-owner "$(stat -c '%u:%g %a' "$node")" "1000:1001 600"
	serve_stop
else
	not_ok flags-ready "serve did not start"
fi

# Hostile printer names reach sysfs and uevent only sanitized.
# shellcheck disable=SC2016 # no expansion wanted: a hostile name
bad=$(printf 'a/b c$(x);`y`\\"q\nNEWLINE=1')
bad_esc=$(printf '%s' "$bad" | sed 's/[\\,=]/\\&/g')
if serve_start hostile-name --printer "name=$bad_esc,id=9" \
	--printer "name=../../etc,id=10" --printer "name=$bad_esc,id=11"; then
	for id in 9 10 11; do
		node=$(serve_node "$id")
		ue=/sys/class/rdpprn/${node#/dev/}/uevent
		un=$(sed -n 's/^RDPPRN_NAME=//p' "$ue")
		case $un in
		"" | *[!A-Za-z0-9._-]* | ..* | */*)
			not_ok "uevent-name-sanitized-$id" "RDPPRN_NAME '$un'" ;;
		*)
			ok "uevent-name-sanitized-$id" ;;
		esac
		check "uevent-lines-$id" "a name broke the uevent format" \
			sh -c "! grep -qvE '^[A-Z_][A-Z0-9_]*=' '$ue'"
	done
	n9=$(sed -n 's/^RDPPRN_NAME=//p' "/sys/class/rdpprn/$(serve_node 9 | cut -d/ -f3)/uevent")
	n11=$(sed -n 's/^RDPPRN_NAME=//p' "/sys/class/rdpprn/$(serve_node 11 | cut -d/ -f3)/uevent")
	echo "# sanitized names: '$n9' '$n11'"
	serve_stop
else
	not_ok hostile-name-ready "serve did not start"
fi
exit 0
