# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A job's ring is charged to the memory cgroup of the task that opened it
# (GFP_KERNEL_ACCOUNT), so a user's print jobs count against the user's
# memory limit: the same held-open job costs its cgroup about 16 MiB more
# with ring_size 16 MiB than with 4 KiB.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

cg=/sys/fs/cgroup
mkdir -p "$cg"
grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none "$cg" 2>/dev/null
if ! grep -qw memory "$cg/cgroup.controllers" 2>/dev/null; then
	# Every test kernel has MEMCG (tests/vm/debug.config too).
	not_ok memcg-available "no cgroup2 memory controller"
	exit 0
fi
echo +memory >"$cg/cgroup.subtree_control"
g=$cg/rdpprn-it
mkdir -p "$g"
old_ring=$(param ring_size)
gen_file "$IT_TMP/memcg.bin" 1000 92

# held RING: memory.current of $g while a job with that ring is open
held() {
	set_param ring_size "$1"
	# The client never answers writes: the job stays open, ring allocated.
	if ! serve_start "memcg-$1" --printer name=Memcg,id=1 --silent=write; then
		echo 0
		return
	fi
	sh -c "echo \$\$ >$g/cgroup.procs; exec rdpprn-test write-file $(serve_node 1) $IT_TMP/memcg.bin" \
		>/dev/null 2>&1 &
	_w=$!
	wait_line "$SERVE_LOG" '^CREATE' 10 >/dev/null
	sleep 1
	cat "$g/memory.current"
	kill -KILL "$_w" 2>/dev/null
	wait "$_w" 2>/dev/null
	serve_stop
}

small=$(held 4096)
big=$(held 16777216)
set_param ring_size "$old_ring"
echo "# memcg: memory.current with a 4 KiB ring $small, with a 16 MiB ring $big"
# shellcheck disable=SC2317 # called through check
charged() {
	[ "$2" -gt 0 ] && [ $(($2 - $1)) -ge $((15 << 20)) ]
}
check memcg-ring-charged "the 16 MiB ring was not charged to the opener's cgroup ($small -> $big)" \
	charged "$small" "$big"
rmdir "$g" 2>/dev/null
rm -f "$IT_TMP/memcg.bin"
exit 0
