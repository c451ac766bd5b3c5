# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Source it, then ynl_ksrc prints the kernel tree whose
# Documentation/netlink (schemas) and tools/net/ynl (ynl-gen-c.py, cli.py,
# lib) the YNL tests use: $YNL_KSRC if set, else the parts of Debian's
# linux-source-6.12 unpacked once into
# /var/cache/rdpprn/linux-source-6.12-<package version>/linux-source-6.12.
# apt-get installs linux-source-6.12, python3-yaml, python3-jsonschema and
# gcc only when one is missing. Messages go to stderr; status 1 if the
# tree cannot be had.

ynl_ksrc() {
	local pkgs=() p ver cache tarball tmp
	if [ -n "${YNL_KSRC:-}" ]; then
		[ -f "$YNL_KSRC/tools/net/ynl/cli.py" ] || {
			echo "ynl_ksrc: no tools/net/ynl/cli.py in \$YNL_KSRC=$YNL_KSRC" >&2
			return 1
		}
		echo "$YNL_KSRC"
		return 0
	fi
	for p in linux-source-6.12 python3-yaml python3-jsonschema gcc; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || pkgs+=("$p")
	done
	if [ ${#pkgs[@]} -gt 0 ]; then
		echo "ynl_ksrc: apt-get install ${pkgs[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >&2 ||
			return 1
	fi
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12) || return 1
	cache=/var/cache/rdpprn/linux-source-6.12-$ver
	tarball=/usr/src/linux-source-6.12.tar.xz
	if [ ! -f "$cache/.unpacked" ]; then
		[ -f "$tarball" ] || {
			echo "ynl_ksrc: $tarball is missing" >&2
			return 1
		}
		mkdir -p /var/cache/rdpprn
		# unpacked next to the cache and renamed: a run that stops
		# halfway leaves no tree that looks complete
		tmp=$(mktemp -d "/var/cache/rdpprn/.linux-source-6.12.XXXXXX")
		chmod 0755 "$tmp"
		echo "ynl_ksrc: unpacking Documentation/netlink and tools/net/ynl of $tarball" >&2
		if ! tar -xf "$tarball" -C "$tmp" --wildcards \
			'*/Documentation/netlink/*' '*/tools/net/ynl/*'; then
			rm -rf "$tmp"
			return 1
		fi
		touch "$tmp/.unpacked"
		rm -rf "$cache"
		mv "$tmp" "$cache"
	fi
	[ -f "$cache/linux-source-6.12/tools/net/ynl/cli.py" ] || {
		echo "ynl_ksrc: no tools/net/ynl/cli.py in $cache" >&2
		return 1
	}
	echo "$cache/linux-source-6.12"
}
