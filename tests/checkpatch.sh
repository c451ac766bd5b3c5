#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over every C source and header of the project
# (generated files under build/ excluded). Exit 1 on any error, warning or
# check.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cp=$("$root/tests/vm/kernels.sh" checkpatch)
cd "$root"

# Userspace code follows kernel style, but some checks only make sense in
# the kernel: C99 integer types, printf, and userspace-only headers.
user_ignore=PREFER_KERNEL_TYPES,NEW_TYPEDEFS,SPLIT_STRING,PREFER_PR_LEVEL
user_ignore=$user_ignore,FILE_PATH_CHANGES,BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO
# Files are grouped by the types they may ignore, and each group goes to
# one checkpatch run: perl starting once per file was most of the time.
declare -A groups=()
while IFS= read -r f; do
	case $f in
	# The wire library's exports sit in a file of their own, on purpose:
	# its sources are shared with userspace (see the file's comment).
	drivers/rdpprn/rdpdr_exports.c) ignore=FILE_PATH_CHANGES,EXPORT_SYMBOL ;;
	# The one place allowed to ask which kernel it is built for.
	drivers/rdpprn/compat.h)
		ignore=FILE_PATH_CHANGES,LINUX_VERSION_CODE,CONSTANT_COMPARISON ;;
	drivers/*|include/*|tests/kunit/*) ignore=FILE_PATH_CHANGES ;;
	# libFuzzer's entry point and cmocka's struct CMUnitTest have the
	# names those libraries give them.
	tests/fuzz/*|tests/unit/*) ignore=$user_ignore,CAMELCASE ;;
	# FreeRDP's and WinPR's API is CamelCase.
	userspace/integrations/freerdp/*) ignore=$user_ignore,CAMELCASE ;;
	# so is libcups's (cupsBackendDeviceURI)
	userspace/cups/*) ignore=$user_ignore,CAMELCASE ;;
	*) ignore=$user_ignore ;;
	esac
	groups[$ignore]+="$f"$'\n'
done < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h')
status=0
for ignore in "${!groups[@]}"; do
	mapfile -t files < <(printf '%s' "${groups[$ignore]}")
	if ! out=$(perl "$cp" --strict --no-tree --quiet --terse --show-types \
		--ignore "$ignore" -f "${files[@]}" 2>&1); then
		# the files of the group that are clean say so too
		grep -v '^total: 0 errors, 0 warnings, 0 checks' <<<"$out"
		status=1
	fi
done
[ $status = 0 ] && echo "checkpatch: clean"
exit $status
