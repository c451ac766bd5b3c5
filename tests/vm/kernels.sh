#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The three kernels rdpprn is tested against, and where their boot image
# and module build tree (KDIR) are.
#
#   debug     6.1 from Debian's linux-source-6.1, tinyconfig + debug.config
#             (KASAN, UBSAN, lockdep, kmemleak, KUnit=m, fault injection).
#             Built once into ${RDPPRN_CACHE:-/var/cache/rdpprn}/debug-<hash>,
#             outside the checkout, and reused while the hash is unchanged.
#   stock61   newest installed Debian 6.1.* kernel (linux-image-amd64)
#   stock612  newest installed Debian 6.12.* kernel (bookworm-backports)
#
# Command line:
#   kernels.sh list                  names, one per line
#   kernels.sh image    NAME         boot image (bzImage / vmlinuz)
#   kernels.sh kdir     NAME         tree for "make -C KDIR M=..."
#   kernels.sh release  NAME         uname -r of that kernel
#   kernels.sh modroot  NAME         dir holding lib/modules/<release> of the
#                                    kernel's own modules (debug only; empty
#                                    for stock kernels)
#   kernels.sh env      NAME         KERNEL_NAME=... KERNEL_IMAGE=... KDIR=...
#                                    KERNEL_RELEASE=... KERNEL_MODROOT=...
#                                    (eval-able)
#   kernels.sh build    [debug]      build the debug kernel if not cached
#   kernels.sh srctree  debug        the debug kernel's full source tree
#   kernels.sh checkpatch            path of checkpatch.pl   } from a small
#   kernels.sh kunit-py              path of kunit.py        } tools-only tree
#   kernels.sh cachedir debug        the cache dir (may not exist yet)
#   kernels.sh prune                 delete debug kernel caches of other
#                                    hashes (older debug.config etc.)
#
# "image", "kdir", "release", "modroot", "env" and "srctree" build the debug
# kernel first if it is not cached (6-7 minutes on 2 cores).
#
# Or source it and call the functions rdpprn_kernel_<command> NAME
# (e.g. rdpprn_kernel_kdir stock612).
#
# Environment: RDPPRN_CACHE (cache root), RDPPRN_JOBS (make -j, default 2),
# RDPPRN_LINUX_SOURCE (tarball, default /usr/src/linux-source-6.1.tar.xz).

_rdpprn_kernels_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Bump when the build recipe below changes in a way that changes the output,
# so that caches built by an older recipe are not reused.
_RDPPRN_DEBUG_RECIPE=1

_rdpprn_die() {
	echo "kernels.sh: $*" >&2
	return 1
}

_rdpprn_cache_root() {
	echo "${RDPPRN_CACHE:-/var/cache/rdpprn}"
}

_rdpprn_linux_source() {
	echo "${RDPPRN_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}"
}

# Newest installed Debian kernel of a series whose image and headers both exist.
_rdpprn_stock_release() {
	local series=$1 v best=
	local f
	for f in /boot/vmlinuz-"$series".*; do
		[ -e "$f" ] || continue
		v=${f#/boot/vmlinuz-}
		[ -d "/usr/src/linux-headers-$v" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || _rdpprn_die "no installed $series.* kernel with headers (run tests/vm/deps.sh)" || return
	echo "$best"
}

# Cache key: the fragment, the exact kernel source and the compiler.
_rdpprn_debug_hash() {
	local srcver gccver
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
		srcver=$(stat -c '%s-%Y' "$(_rdpprn_linux_source)" 2>/dev/null) ||
		_rdpprn_die "linux-source-6.1 is not installed (run tests/vm/deps.sh)" || return
	gccver=$(gcc --version | head -n1)
	{
		cat "$_rdpprn_kernels_dir/debug.config"
		echo "linux-source: $srcver"
		echo "gcc: $gccver"
		echo "recipe: $_RDPPRN_DEBUG_RECIPE"
	} | sha256sum | cut -c1-16
}

rdpprn_kernel_cachedir() {
	[ "${1:-debug}" = debug ] || _rdpprn_die "only the debug kernel has a cache dir" || return
	local h
	h=$(_rdpprn_debug_hash) || return
	echo "$(_rdpprn_cache_root)/debug-$h"
}

# Every CONFIG_ line of the fragment must be in .config with the same value
# (or absent for "is not set"): tinyconfig has unmet dependencies that make
# olddefconfig drop requests silently.
_rdpprn_check_config() {
	local config=$1 line sym want bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			want=$line
			if ! grep -qxF -- "$want" "$config"; then
				echo "kernels.sh: requested '$want' but .config has: $(grep -E "^(# )?${sym}[= ]" "$config" || echo "nothing (symbol unknown or dependency unmet)")" >&2
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -q "^$sym=" "$config"; then
				echo "kernels.sh: requested '$line' but .config has: $(grep "^$sym=" "$config")" >&2
				bad=1
			fi
			;;
		esac
	done <"$_rdpprn_kernels_dir/debug.config"
	[ "$bad" = 0 ] || _rdpprn_die "debug.config options missing from $config" || return
}

_rdpprn_build_debug_locked() {
	local dir=$1 src=$1/src log=$1/build.log jobs=${RDPPRN_JOBS:-2}
	local tarball t0 t1
	tarball=$(_rdpprn_linux_source)
	[ -r "$tarball" ] || _rdpprn_die "$tarball missing (apt-get install linux-source-6.1)" || return
	t0=$(date +%s)
	# A dir without the stamp is a build that was interrupted: start over.
	rm -rf "$dir"
	mkdir -p "$src"
	echo "kernels.sh: building debug kernel in $dir (log: $log)" >&2
	echo "kernels.sh: extracting $tarball" >&2
	tar -xJf "$tarball" -C "$src" --strip-components=1
	(
		set -e
		cd "$src"
		make tinyconfig
		scripts/kconfig/merge_config.sh -m .config "$_rdpprn_kernels_dir/debug.config"
		make olddefconfig
	) >"$log" 2>&1 || { tail -n 40 "$log" >&2; _rdpprn_die "configuring the debug kernel failed"; return; }
	# Fail before spending 9 minutes on a config that lacks something.
	_rdpprn_check_config "$src/.config" || return
	echo "kernels.sh: compiling with -j$jobs" >&2
	# The default x86 target builds vmlinux, bzImage and the modules
	# (kunit.ko), which also writes Module.symvers for out-of-tree builds.
	make -C "$src" -j"$jobs" >>"$log" 2>&1 ||
		{ tail -n 60 "$log" >&2; _rdpprn_die "building the debug kernel failed, see $log"; return; }
	make -C "$src" modules_install INSTALL_MOD_PATH="$dir/modroot" INSTALL_MOD_STRIP=1 >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; _rdpprn_die "modules_install failed, see $log"; return; }
	_rdpprn_check_config "$src/.config" || return
	# Object files are not needed for out-of-tree module builds (those use
	# headers, scripts/, .config and Module.symvers); dropping them keeps
	# the cache small. vmlinux is kept for symbolizing traces.
	find "$src" \( -path "$src/scripts" -o -path "$src/tools" \) -prune -o \
		-name '*.o' -type f -print0 | xargs -0 rm -f
	t1=$(date +%s)
	echo "kernels.sh: debug kernel built in $((t1 - t0)) s: $(du -sh "$dir" | cut -f1)" >&2
	echo "$((t1 - t0))" >"$dir/build-seconds"
	# Written last: its presence means the cache dir is complete.
	touch "$dir/.complete"
}

rdpprn_kernel_build() {
	local name=${1:-debug} dir root
	case $name in
	stock61 | stock612) return 0 ;;
	debug) ;;
	*) _rdpprn_die "unknown kernel '$name' (debug, stock61, stock612)" || return ;;
	esac
	dir=$(rdpprn_kernel_cachedir debug) || return
	[ -e "$dir/.complete" ] && return 0
	root=$(_rdpprn_cache_root)
	mkdir -p "$root"
	# Serialize builds: this machine has 2 cores and concurrent callers
	# (several test suites) must not build the same tree twice.
	(
		if ! flock -n 9; then
			echo "kernels.sh: waiting for another debug kernel build to finish" >&2
			flock 9
		fi
		[ -e "$dir/.complete" ] || _rdpprn_build_debug_locked "$dir"
	) 9>"$root/debug.lock"
}

rdpprn_kernel_release() {
	local dir
	case ${1:-} in
	stock61) _rdpprn_stock_release 6.1 ;;
	stock612) _rdpprn_stock_release 6.12 ;;
	debug)
		rdpprn_kernel_build debug || return
		dir=$(rdpprn_kernel_cachedir debug) || return
		cat "$dir/src/include/config/kernel.release"
		;;
	*) _rdpprn_die "unknown kernel '${1:-}' (debug, stock61, stock612)" ;;
	esac
}

rdpprn_kernel_image() {
	local rel
	case ${1:-} in
	stock61 | stock612)
		rel=$(rdpprn_kernel_release "$1") || return
		echo "/boot/vmlinuz-$rel"
		;;
	debug)
		rdpprn_kernel_build debug || return
		echo "$(rdpprn_kernel_cachedir debug)/src/arch/x86/boot/bzImage"
		;;
	*) _rdpprn_die "unknown kernel '${1:-}' (debug, stock61, stock612)" ;;
	esac
}

rdpprn_kernel_kdir() {
	local rel
	case ${1:-} in
	stock61 | stock612)
		rel=$(rdpprn_kernel_release "$1") || return
		echo "/usr/src/linux-headers-$rel"
		;;
	debug)
		rdpprn_kernel_build debug || return
		echo "$(rdpprn_kernel_cachedir debug)/src"
		;;
	*) _rdpprn_die "unknown kernel '${1:-}' (debug, stock61, stock612)" ;;
	esac
}

rdpprn_kernel_modroot() {
	case ${1:-} in
	stock61 | stock612) echo "" ;;
	debug)
		rdpprn_kernel_build debug || return
		echo "$(rdpprn_kernel_cachedir debug)/modroot"
		;;
	*) _rdpprn_die "unknown kernel '${1:-}' (debug, stock61, stock612)" ;;
	esac
}

rdpprn_kernel_srctree() {
	[ "${1:-debug}" = debug ] || _rdpprn_die "only the debug kernel has a source tree" || return
	rdpprn_kernel_kdir debug
}

rdpprn_kernel_env() {
	local name=${1:-} image kdir rel modroot
	image=$(rdpprn_kernel_image "$name") || return
	kdir=$(rdpprn_kernel_kdir "$name") || return
	rel=$(rdpprn_kernel_release "$name") || return
	modroot=$(rdpprn_kernel_modroot "$name") || return
	printf 'KERNEL_NAME=%q\nKERNEL_IMAGE=%q\nKDIR=%q\nKERNEL_RELEASE=%q\nKERNEL_MODROOT=%q\n' \
		"$name" "$image" "$kdir" "$rel" "$modroot"
}

# checkpatch.pl and kunit.py, extracted on their own so that lint and log
# parsing do not need the 9-minute debug kernel build.
_rdpprn_tools_tree() {
	local root srcver dir tarball
	root=$(_rdpprn_cache_root)
	tarball=$(_rdpprn_linux_source)
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || srcver=unknown
	dir=$root/tools-$srcver
	if [ ! -e "$dir/.complete" ]; then
		[ -r "$tarball" ] || _rdpprn_die "$tarball missing (apt-get install linux-source-6.1)" || return
		mkdir -p "$root"
		(
			flock 9
			if [ ! -e "$dir/.complete" ]; then
				rm -rf "$dir"
				mkdir -p "$dir"
				tar -xJf "$tarball" -C "$dir" --strip-components=1 \
					linux-source-6.1/scripts/checkpatch.pl \
					linux-source-6.1/scripts/spelling.txt \
					linux-source-6.1/scripts/const_structs.checkpatch \
					linux-source-6.1/tools/testing/kunit
				touch "$dir/.complete"
			fi
		) 9>"$root/tools.lock" || return
	fi
	echo "$dir"
}

rdpprn_kernel_checkpatch() {
	local d
	d=$(_rdpprn_tools_tree) || return
	echo "$d/scripts/checkpatch.pl"
}

rdpprn_kernel_kunit_py() {
	local d
	d=$(_rdpprn_tools_tree) || return
	echo "$d/tools/testing/kunit/kunit.py"
}

# Remove debug kernel caches other than the current one (left behind when
# debug.config, linux-source-6.1 or gcc changed).
rdpprn_kernel_prune() {
	local keep root
	keep=$(rdpprn_kernel_cachedir debug) || return
	root=$(_rdpprn_cache_root)
	[ -d "$root" ] || return 0
	# Under the build lock: never delete a tree while it is being built.
	(
		flock 9
		for d in "$root"/debug-*; do
			if [ ! -d "$d" ] || [ "$d" = "$keep" ]; then
				continue
			fi
			echo "kernels.sh: removing $d" >&2
			rm -rf "$d"
		done
	) 9>"$root/debug.lock"
}

rdpprn_kernel_list() {
	printf '%s\n' debug stock61 stock612
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	list | image | kdir | release | modroot | env | build | srctree | checkpatch | cachedir | prune)
		"rdpprn_kernel_$cmd" "$@"
		;;
	kunit-py) rdpprn_kernel_kunit_py ;;
	*)
		sed -n '/^# Command line:/,/^# Environment/p' "$0" >&2
		exit 2
		;;
	esac
fi
