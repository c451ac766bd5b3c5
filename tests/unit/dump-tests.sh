#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of rdpdr-dump, the command-line decoder built on rdpdr_describe().
#
#   dump-tests.sh RDPDR_DUMP VECTORS_DIR [WORK_DIR]
#
# Every vector decodes (exit 0) to JSON that parses and holds the README's
# expect values; truncated vectors fail (exit 1, field and offset on stderr)
# unless --allow-truncated; bad hex is a usage error (exit 2); a malformed
# PDU fails with the exact field, offset and reason. The last line of the
# output is "N passed, N failed"; the exit status is 1 if any test failed.

set -u

dump=${1:?usage: dump-tests.sh RDPDR_DUMP VECTORS_DIR [WORK_DIR]}
vectors=${2:?usage: dump-tests.sh RDPDR_DUMP VECTORS_DIR [WORK_DIR]}
work=${3:-$(mktemp -d)}
mkdir -p "$work"

pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok   $*"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL $*"
}

# run NAME WANT_STATUS ARGS...: runs rdpdr-dump, keeps stdout/stderr in
# $work/NAME.out / .err, and checks the exit status.
run() {
	local name=$1 want=$2 st
	shift 2
	"$dump" "$@" >"$work/$name.out" 2>"$work/$name.err"
	st=$?
	if [ "$st" -ne "$want" ]; then
		bad "$name: exit $st, want $want ($(head -c 300 "$work/$name.err"))"
		return 1
	fi
	return 0
}

# JSON on stdout parses.
json_ok() {
	python3 -m json.tool "$work/$1.out" >/dev/null 2>"$work/$1.json-err"
}

# The JSON holds every value of the README's expect block for vector $2
# (flattened as dev[0].DeviceType, DeviceIds[0], cap[0].Type).
json_matches_expect() {
	python3 - "$work/$1.out" "$vectors/README.md" "$2" <<'EOF'
import json, re, sys

out, readme, rel = sys.argv[1:4]
doc = json.load(open(out))
flat = {}


def walk(prefix, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(prefix + "." + k if prefix else k, x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk("%s[%d]" % (prefix, i), x)
    else:
        flat[prefix] = v


walk("", doc)
text = open(readme).read()
m = re.search(r"^## +%s\s*$.*?^```expect\n(.*?)^```" % re.escape(rel), text,
              re.M | re.S)
if not m:
    sys.exit("no expect block for " + rel)
errors = []
for line in m.group(1).splitlines():
    key, val = line.split("=", 1)
    if key == "bytes":
        continue
    if key in ("declared", "computed_total"):
        got = flat.get("truncated.declared")
    else:
        got = flat.get(key)
    if val.startswith('"'):
        want = val[1:-1]
    elif val in ("true", "false"):
        want = val == "true"
    else:
        want = int(val, 0)
    if got != want or type(got) is not type(want):
        errors.append("%s=%r, want %r" % (key, got, want))
if errors:
    sys.exit("; ".join(errors))
EOF
}

rsp_of() {
	case $1 in
	*_create_rsp*) echo create ;;
	*_close_rsp*) echo close ;;
	*_write_rsp*) echo write ;;
	esac
}

declared_of() {
	sed -n '1s/.*total length \([0-9]*\) bytes.*/\1/p' "$1"
}

nbytes_of() {
	grep -v '^#' "$1" | wc -w
}

# ---- every vector -------------------------------------------------------
for f in "$vectors"/*.hex "$vectors"/efs/*.hex; do
	rel=${f#"$vectors"/}
	name=$(basename "$f" .hex)
	rsp=$(rsp_of "$name")
	args=()
	[ -n "$rsp" ] && args=(--rsp "$rsp")
	declared=$(declared_of "$f")
	n=$(nbytes_of "$f")

	if [ "$n" -lt "$declared" ]; then
		# Truncated in the source: refused, with field and offset.
		if run "$name" 1 "${args[@]}" "$f"; then
			if [ -s "$work/$name.out" ]; then
				bad "$name: output on stdout although it failed"
			elif ! grep -Eq '^rdpdr-dump: [A-Za-z]+ at offset [0-9]+: .*[a-z]' \
				"$work/$name.err"; then
				bad "$name: stderr does not name field and offset: $(cat "$work/$name.err")"
			else
				ok "$name: truncated, refused: $(head -n1 "$work/$name.err")"
			fi
		fi
		name=$name-allow
		args+=(--allow-truncated)
	fi

	run "$name" 0 "${args[@]}" "$f" || continue
	if ! json_ok "$name"; then
		bad "$name: not JSON: $(head -c 300 "$work/$name.json-err")"
	elif ! msg=$(json_matches_expect "$name" "$rel" 2>&1); then
		bad "$name: JSON differs from the README: $msg"
	else
		ok "$name: JSON with the README's values"
	fi
done

# The same PDU from standard input.
f=$vectors/efs/e03_c2s_client_name_req.hex
if "$dump" - <"$f" >"$work/stdin.out" 2>"$work/stdin.err" &&
	cmp -s "$work/stdin.out" "$work/e03_c2s_client_name_req.out"; then
	ok "stdin: same JSON as from the file"
else
	bad "stdin: differs or failed: $(cat "$work/stdin.err")"
fi

# A completion without --rsp: only the prefix, and a note.
f=$(ls "$vectors"/12_*.hex)
if run rsp-none 0 "$f" && json_ok rsp-none &&
	grep -q '"note"' "$work/rsp-none.out" &&
	! grep -q '"Length"' "$work/rsp-none.out"; then
	ok "completion without --rsp: prefix and note"
else
	bad "completion without --rsp: $(cat "$work/rsp-none.out" "$work/rsp-none.err")"
fi

# ---- usage and input errors: exit 2 ----------------------------------------
printf 'zz\n' >"$work/garbage.hex"
printf '72 44 6e 4\n' >"$work/odd.hex"
printf '72 44 6e 49 01 00 0c 00 01 00 00 00 q1\n' >"$work/junk-end.hex"
for t in garbage odd junk-end; do
	if run "hex-$t" 2 "$work/$t.hex"; then
		if [ -s "$work/hex-$t.out" ]; then
			bad "hex-$t: output on stdout"
		else
			ok "hex-$t: exit 2: $(head -n1 "$work/hex-$t.err")"
		fi
	fi
done
if run missing-file 2 "$work/does-not-exist.hex"; then
	ok "missing file: exit 2"
fi
if run bad-rsp 2 --rsp read "$vectors/12_c2s_prn_write_rsp.hex"; then
	ok "--rsp read: exit 2"
fi
if run bad-option 2 --no-such-option "$vectors/12_c2s_prn_write_rsp.hex"; then
	ok "unknown option: exit 2"
fi

# ---- malformed PDUs: exit 1 with the exact message ------------------------
# malformed NAME EXPECTED_FIRST_STDERR_LINE HEX
malformed() {
	local name=$1 want=$2
	shift 2
	printf '%s\n' "$*" >"$work/$name.hex"
	# --allow-truncated must not let a malformed PDU through.
	if run "$name" 1 --allow-truncated "$work/$name.hex"; then
		if [ -s "$work/$name.out" ]; then
			bad "$name: output on stdout although it failed"
		elif [ "$(head -n1 "$work/$name.err")" != "rdpdr-dump: $want" ]; then
			bad "$name: stderr '$(head -n1 "$work/$name.err")', want 'rdpdr-dump: $want'"
		else
			ok "$name: exit 1: $want"
		fi
	fi
}

# CapabilityLength 4 (< 8) in the first set
malformed caps-len-4 \
	"CapabilityLength at offset 10: CapabilityLength is below the 8 bytes of its header" \
	72 44 50 43 01 00 00 00 02 00 04 00 01 00 00 00
# printer whose PrinterName is a lone high surrogate (D800) + NUL
malformed printer-lone-surrogate \
	"PrinterName at offset 52: PrinterName is not a valid NUL-terminated string" \
	72 44 41 44 01 00 00 00 04 00 00 00 04 00 00 00 \
	50 52 4e 34 00 00 00 00 1c 00 00 00 00 00 00 00 \
	00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 \
	00 00 00 00 00 d8 00 00
# DeviceCount 0xFFFFFFFF with no entry: refused without --allow-truncated
if run devcount-huge 1 "$(printf '72 44 41 44 ff ff ff ff\n' >"$work/dc.hex"; echo "$work/dc.hex")" &&
	grep -q '^rdpdr-dump: DeviceCount at offset 4: ' "$work/devcount-huge.err"; then
	ok "DeviceCount 0xffffffff: exit 1, names DeviceCount at offset 4"
elif [ -e "$work/devcount-huge.err" ]; then
	bad "DeviceCount 0xffffffff: $(cat "$work/devcount-huge.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
