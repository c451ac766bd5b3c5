# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Hostile load: "rdpprn-test hostile" sends 100,000 PDUs (it_hostile=N on
# the kernel command line for more, it_hostile_seed=S for another seed)
# from a root helper into its own session - mutated vectors, truncations,
# bad lengths, random bytes, wrong answers to its live requests - while
# its writers print to its printers. Meanwhile a victim session prints a
# 4 MiB file, which must arrive intact, and once the attacker is gone the
# kernel's slab objects (files' inodes and dentries aside) must be back at
# their baseline.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

count=$(sed -n 's/.*it_hostile=\([0-9]*\).*/\1/p' /proc/cmdline)
count=${count:-100000}
seed=$(sed -n 's/.*it_hostile_seed=\([0-9]*\).*/\1/p' /proc/cmdline)
seed=${seed:-1}
# SUnreclaim may grow by this much (kB) and still count as the baseline
slab_slack=2048

# slabinfo FILE: "name bytes" of every cache (active objects x size)
slabinfo() {
	awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo 2>/dev/null | sort >"$1"
}

# Bytes in slab objects that are not files' inodes and dentries: those
# belong to the file systems that hold the files (a udevd left running by
# 85-rdpprnd keeps making links in /dev, a tmpfs, for the attack's
# printers), and they are counted where the files are, not here.
slab_nonfile() {
	awk '$1 !~ /inode_cache$|^dentry$/ { t += $2 } END { print int(t / 1024) }' "$1"
}

meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# Give back what the kernel keeps around: page cache, empty slabs and
# per-CPU partial slabs (shrink also empties KASAN's quarantine of that
# cache), objects waiting for RCU.
settle() {
	for _s in 1 2; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		for _f in /sys/kernel/slab/*/shrink; do
			echo 1 >"$_f"
		done 2>/dev/null
		sleep 1
	done
}

dir=$IT_TMP/hostile
mkdir -p "$dir"
src=$dir/src
gen_file "$src" 4194304 94
if ! serve_start hostile-victim --printer name=Victim,id=1 --out "$dir/out"; then
	not_ok hostile-victim-ready "the victim's serve did not start"
	exit 0
fi
vnode=$(serve_node 1)

# A short attack first: the kernel's caches (per-CPU slabs, kernfs and
# sysfs objects of the devices the attack makes) grow to their working
# size, so that the baseline compares like with like. A leak grows with
# the number of PDUs; a cache does not. On the debug kernel kmemleak
# (99-unload) is the exact check; this one covers the stock kernels too.
warm=$((count / 10))
timeout 600 rdpprn-test hostile --count "$warm" --seed "$((seed + 1))" \
	>"$IT_TMP/hostile-warmup.log" 2>&1
echo "# hostile: warm-up of $warm PDUs, exit status $?"
settle
slabinfo "$IT_TMP/slab0"
slab0=$(meminfo SUnreclaim)
free0=$(meminfo MemFree)
echo "# hostile: before: SUnreclaim $slab0 kB, MemFree $free0 kB"

hlog=$IT_TMP/hostile.log
t0=$(uptime_ms)
timeout 1800 rdpprn-test hostile --count "$count" --seed "$seed" >"$hlog" 2>&1 &
hpid=$!
if ! wait_line "$hlog" '^(ATTACK|EXIT)' 60; then
	not_ok hostile-started "no ATTACK line in 60 s"
fi
# the victim prints while the attack runs (and is slowed down a little,
# so that it overlaps the attack also where the attack is fast)
timeout 600 rdpprn-test write-file --pause-ms 10 "$vnode" "$src" >"$dir/victim.res" 2>&1
vrc=$?
t1=$(uptime_ms)
if kill -0 "$hpid" 2>/dev/null; then
	echo "# hostile: the victim's job took $((t1 - t0)) ms, all of it under attack"
else
	echo "# hostile: the victim's job took $((t1 - t0)) ms; the attack ended before it did"
fi
wait "$hpid"
hrc=$?
t2=$(uptime_ms)
echo "# rdpprn-test hostile (exit status $hrc, $((t2 - t0)) ms):"
cat "$hlog"
[ "$hrc" -le 1 ] || not_ok hostile "rdpprn-test hostile exited with status $hrc"

check_eq hostile-victim-write "$(calls "$(cat "$dir/victim.res")") $vrc" \
	"RESULT open=OK write=OK fsync=OK close=OK 0"
wait_jobs 1 60
job_intact hostile-victim-job-intact "$src"
serve_clean hostile-victim-no-violations

# the attacker's session and processes are gone; so is the victim's job
rm -rf "$dir/out"
settle
slabinfo "$IT_TMP/slab1"
slab1=$(meminfo SUnreclaim)
# where it went, if anywhere: the caches that grew most
awk 'NR == FNR { b[$1] = $2; next }
	$2 - b[$1] > 16384 { printf "%d %s\n", ($2 - b[$1]) / 1024, $1 }' \
	"$IT_TMP/slab0" "$IT_TMP/slab1" | sort -n -r | head -n 8 |
	while read -r _kb _name; do
		echo "# hostile: slab $_name grew by $_kb kB"
	done
free1=$(meminfo MemFree)
sent=$(sed -n 's/^# hostile: \([0-9]* PDUs sent, [0-9]* refused, [0-9]* accepted\) in .*/\1/p' "$hlog")
echo "# hostile: ${sent:-no count}, slab before/after: SUnreclaim $slab0/$slab1 kB ($((slab1 - slab0)) kB), MemFree $free0/$free1 kB ($((free1 - free0)) kB)"
obj0=$(slab_nonfile "$IT_TMP/slab0")
obj1=$(slab_nonfile "$IT_TMP/slab1")
echo "# hostile: slab objects other than inodes and dentries: $obj0/$obj1 kB ($((obj1 - obj0)) kB)"
if [ "$obj0" -gt 0 ] && [ "$((obj1 - obj0))" -le "$slab_slack" ]; then
	ok hostile-slab-at-baseline
else
	not_ok hostile-slab-at-baseline "slab objects grew by $((obj1 - obj0)) kB (from $obj0 to $obj1 kB; slack $slab_slack; SUnreclaim $slab0 -> $slab1 kB)"
fi
serve_stop
check_eq hostile-victim-serve-exit "$SERVE_RC" 0
rm -f "$src"
exit 0
