#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Turn the shared RDPDR test vectors into a C header (and a fuzz corpus).

    gen-vectors.py [--vectors DIR] [--seeds DIR] OUTPUT.h

Reads every *.hex file of DIR and DIR/efs, and the ```expect blocks of
DIR/README.md, and writes OUTPUT.h: per vector its name, bytes, length, the
declared total length of the "# ... total length N bytes" comment, the
expected key/value pairs (as strings, exactly as the README writes them)
and the response hint (the IRP_MJ_* a Device I/O Response answers, or -1).

The header is plain C (no includes, no libc) so that it builds in the
kernel (KUnit) and in userspace (cmocka).

With --seeds, each vector's bytes are also written to DIR/<name>.bin (the
fuzzer's seed corpus).

Fails (exit 1, message on stderr) when a vector has no expect block, an
expect block names no vector, a hex file is malformed, or a Device I/O
Response has no "answer to a pending IRP_MJ_x" hint in the README.
"""

import argparse
import os
import re
import sys

# IRP_MJ_* values (RDPDR.md section 5); names are emitted, values checked.
IRP_MJ = {"CREATE": 0x00, "CLOSE": 0x02, "WRITE": 0x04}
PAKID_CORE_DEVICE_IOCOMPLETION = 0x4943
RDPDR_CTYP_CORE = 0x4472


def die(msg):
    sys.stderr.write("gen-vectors.py: error: %s\n" % msg)
    sys.exit(1)


def read_hex(path):
    with open(path, encoding="ascii") as f:
        lines = f.read().splitlines()
    if not lines or not lines[0].startswith("#"):
        die("%s: line 1 is not a '#' comment" % path)
    comment = lines[0]
    m = re.search(r"total length (\d+) bytes", comment)
    if not m:
        die("%s: no 'total length N bytes' in the comment" % path)
    declared = int(m.group(1))
    data = bytearray()
    for no, line in enumerate(lines[1:], start=2):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            die("%s:%d: comment after line 1" % (path, no))
        for tok in line.split():
            if not re.fullmatch(r"[0-9a-fA-F]{2}", tok):
                die("%s:%d: bad hex byte %r" % (path, no, tok))
            data.append(int(tok, 16))
    if not data:
        die("%s: no bytes" % path)
    if len(data) > declared:
        die("%s: %d bytes but the comment declares %d"
            % (path, len(data), declared))
    truncated = "TRUNCATED" in comment.upper()
    if truncated != (len(data) < declared):
        die("%s: %d of %d bytes, but the comment %s TRUNCATED"
            % (path, len(data), declared,
               "says" if truncated else "does not say"))
    return comment, bytes(data), declared


def parse_readme(path):
    """Return {relative hex path: (expect pairs, section text)}."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    sections = {}
    parts = re.split(r"^## +(\S+)[ \t]*$", text, flags=re.M)
    # parts: [preamble, name1, body1, name2, body2, ...]
    for i in range(1, len(parts), 2):
        name, body = parts[i], parts[i + 1]
        blocks = re.findall(r"^```expect[ \t]*\n(.*?)^```", body,
                            flags=re.M | re.S)
        if not blocks:
            if name.endswith(".hex"):
                die("README section %s has no expect block" % name)
            continue
        if len(blocks) > 1:
            die("README section %s has %d expect blocks" % (name, len(blocks)))
        if name in sections:
            die("README has two sections for %s" % name)
        pairs = []
        keys = set()
        for line in blocks[0].splitlines():
            line = line.strip()
            if not line:
                continue
            m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_.\[\]]*)=(.+)", line)
            if not m:
                die("README %s: bad expect line %r" % (name, line))
            key, val = m.group(1), m.group(2)
            if not (re.fullmatch(r'"[^"\\]*"', val) or
                    val in ("true", "false") or
                    re.fullmatch(r"0[xX][0-9a-fA-F]+|[0-9]+", val)):
                die("README %s: bad value in %r" % (name, line))
            if key in keys:
                die("README %s: key %s twice" % (name, key))
            keys.add(key)
            pairs.append((key, val))
        sections[name] = (pairs, body)
    return sections


def c_string(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif 0x20 <= ord(ch) < 0x7f:
            out += ch
        else:
            die("non-ASCII character in %r" % s)
    return out + '"'


def ident(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vectors", required=True,
                    help="vectors directory (holds README.md and efs/)")
    ap.add_argument("--seeds", help="also write <name>.bin files here")
    ap.add_argument("output", help="C header to write")
    args = ap.parse_args()

    vdir = args.vectors
    readme = os.path.join(vdir, "README.md")
    if not os.path.isfile(readme):
        die("%s not found (set VECTORS=)" % readme)
    sections = parse_readme(readme)

    files = []
    for sub in ("", "efs"):
        d = os.path.join(vdir, sub)
        if not os.path.isdir(d):
            die("%s: no such directory" % d)
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".hex"):
                files.append(os.path.join(sub, fn) if sub else fn)
    if not files:
        die("no *.hex files in %s" % vdir)

    missing = [f for f in files if f not in sections]
    orphans = [s for s in sections if s not in files]
    problems = []
    if missing:
        problems.append("no expect block for: %s" % ", ".join(missing))
    if orphans:
        problems.append("expect block for a missing vector: %s"
                        % ", ".join(orphans))
    if problems:
        die("; ".join(problems))

    vectors = []
    for rel in files:
        comment, data, declared = read_hex(os.path.join(vdir, rel))
        pairs, body = sections[rel]
        kv = dict(pairs)
        if "bytes" not in kv or int(kv["bytes"], 0) != len(data):
            die("%s: expect bytes=%s but the file has %d bytes"
                % (rel, kv.get("bytes"), len(data)))
        if len(data) < declared and "declared" not in kv:
            die("%s: truncated vector without declared=" % rel)
        if "declared" in kv and int(kv["declared"], 0) != declared:
            die("%s: declared=%s but the comment says %d"
                % (rel, kv["declared"], declared))
        rsp = "-1"
        m = re.search(r"answer to a pending IRP_MJ_([A-Z_]+)", body)
        comp = data[0] | data[1] << 8 if len(data) >= 2 else None
        pkt = data[2] | data[3] << 8 if len(data) >= 4 else None
        if comp == RDPDR_CTYP_CORE and pkt == PAKID_CORE_DEVICE_IOCOMPLETION:
            if not m:
                die("%s: Device I/O Response without an 'answer to a pending "
                    "IRP_MJ_x' hint in the README" % rel)
            if m.group(1) not in IRP_MJ:
                die("%s: unknown hint IRP_MJ_%s" % (rel, m.group(1)))
            rsp = "%d /* IRP_MJ_%s */" % (IRP_MJ[m.group(1)], m.group(1))
        elif m:
            die("%s: IRP_MJ hint on a PDU that is not an I/O response" % rel)
        name = os.path.basename(rel)[:-4]
        vectors.append((rel, name, data, declared, pairs, rsp))

    if args.seeds:
        os.makedirs(args.seeds, exist_ok=True)
        for old in os.listdir(args.seeds):
            if old.endswith(".bin"):
                os.remove(os.path.join(args.seeds, old))
        for rel, name, data, _, _, _ in vectors:
            with open(os.path.join(args.seeds, name + ".bin"), "wb") as f:
                f.write(data)

    out = []
    w = out.append
    w("/* SPDX-License-Identifier: GPL-2.0 OR MIT */")
    w("/*")
    w(" * Generated by tests/gen-vectors.py from %s." % os.path.basename(
        os.path.abspath(vdir)))
    w(" * Do not edit and do not commit: \"make -C tests gen\" rewrites it.")
    w(" */")
    w("#ifndef RDPDR_TEST_VECTORS_H")
    w("#define RDPDR_TEST_VECTORS_H")
    w("")
    w("struct rdpdr_tvec_kv {")
    w("\tconst char *key;")
    w("\tconst char *val;")
    w("};")
    w("")
    w("/**")
    w(" * struct rdpdr_tvec - one test vector")
    w(" * @name: file name without .hex")
    w(" * @path: path relative to the vectors directory")
    w(" * @data: the bytes of the file")
    w(" * @len: number of bytes in @data")
    w(" * @declared: total length given by the file's comment")
    w(" * @rsp_major: IRP_MJ_* a Device I/O Response answers, else -1")
    w(" * @expect: the README's expect block, values as written there")
    w(" * @nexpect: number of pairs in @expect")
    w(" */")
    w("struct rdpdr_tvec {")
    w("\tconst char *name;")
    w("\tconst char *path;")
    w("\tconst unsigned char *data;")
    w("\tunsigned int len;")
    w("\tunsigned long long declared;")
    w("\tint rsp_major;")
    w("\tconst struct rdpdr_tvec_kv *expect;")
    w("\tunsigned int nexpect;")
    w("};")
    for rel, name, data, declared, pairs, rsp in vectors:
        i = ident(name)
        w("")
        w("static const unsigned char rdpdr_tvec_%s_data[%d] = {" %
          (i, len(data)))
        for off in range(0, len(data), 8):
            w("\t" + " ".join("0x%02x," % b for b in data[off:off + 8]))
        w("};")
        w("")
        w("static const struct rdpdr_tvec_kv rdpdr_tvec_%s_expect[] = {" % i)
        for key, val in pairs:
            w("\t{ %s, %s }," % (c_string(key), c_string(val)))
        w("};")
    w("")
    w("static const struct rdpdr_tvec rdpdr_tvecs[] = {")
    for rel, name, data, declared, pairs, rsp in vectors:
        i = ident(name)
        w("\t{")
        w("\t\t.name = %s," % c_string(name))
        w("\t\t.path = %s," % c_string(rel))
        w("\t\t.data = rdpdr_tvec_%s_data," % i)
        w("\t\t.len = %d," % len(data))
        w("\t\t.declared = %d," % declared)
        w("\t\t.rsp_major = %s," % rsp)
        w("\t\t.expect = rdpdr_tvec_%s_expect," % i)
        w("\t\t.nexpect = %d," % len(pairs))
        w("\t},")
    w("};")
    w("")
    w("#define RDPDR_TVEC_COUNT %d" % len(vectors))
    w("")
    w("#endif /* RDPDR_TEST_VECTORS_H */")

    text = "\n".join(out) + "\n"
    outdir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(outdir, exist_ok=True)
    try:
        with open(args.output, encoding="ascii") as f:
            if f.read() == text:
                return  # unchanged: keep the timestamp, nothing rebuilds
    except OSError:
        pass
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
