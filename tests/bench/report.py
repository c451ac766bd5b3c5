#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Medians and ratios of the benchmarks' BENCH lines (tests/bench/guest.sh).

Usage: report.py [--only LIST] RESULTS.txt

Every figure is a ratio of two measurements made in the same VM boot, or a
count: absolute times under TCG mean little. Each row gives the median of
the runs and whether the goal of Documentation/performance.rst is met.
Exit status 1 if a benchmark printed no figures at all.
"""
import statistics
import sys
from collections import defaultdict

MIB = 1024 * 1024


def parse(path):
    runs = defaultdict(list)
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if len(words) < 5 or words[0] != "BENCH":
                continue
            name, variant, work = words[1:4]
            kv = dict(w.split("=", 1) for w in words[4:] if "=" in w)
            if name == "meta":
                meta = kv
                continue
            runs[(name, variant, work)].append(kv)
    return runs, meta


def med(rows, fn):
    vals = [fn(r) for r in rows]
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def num(r, k):
    try:
        return float(r[k])
    except (KeyError, ValueError):
        return None


def quot(r, a, b, scale=1.0):
    """r[a] * scale / r[b], or None when either is missing or b is 0."""
    x, y = num(r, a), num(r, b)
    return x * scale / y if x is not None and y else None


def mibps(r):
    ns, b = num(r, "ns"), num(r, "bytes")
    return b / MIB / (ns / 1e9) if ns and b else None


def cpu_per_mib(r):
    busy, b = num(r, "busy_ns"), num(r, "bytes")
    return busy / 1e6 / (b / MIB) if busy is not None and b else None


def fmt(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


def verdict(v, goal, higher=True):
    if v is None:
        return "no figure"
    ok = v >= goal if higher else v <= goal
    return "met" if ok else "missed"


def size_key(work):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    try:
        if work[-1] in units:
            return int(work[:-1]) * units[work[-1]]
        return int(work.split("=")[-1])
    except ValueError:
        return 0


def works(runs, name, variant):
    return sorted({w for (n, v, w) in runs if n == name and v == variant},
                  key=size_key)


def main():
    args = sys.argv[1:]
    only = None
    if len(args) == 3 and args[0] == "--only":
        only = set(args[1].split(","))
        args = args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    runs, meta = parse(args[0])
    out = []
    missing = []
    cpus = int(meta.get("cpus", "1"))
    out.append("rdpprn benchmarks: %s mode, kernel %s, %d CPUs (medians "
               "of %s)" % (meta.get("mode", "?"), meta.get("kernel", "?"),
                            cpus, "runs"))

    out.append("\n1. Streaming vs a pipe into the same sink (goal >= 1.0)")
    out.append("%-8s %12s %12s %8s %14s %14s %16s %s" % (
        "size", "rdpprn MiB/s", "pipe MiB/s", "ratio", "CPU ms/MiB",
        "pipe CPU ms/MiB", "rdpprnd ms/MiB", "goal"))
    sizes = works(runs, "stream", "rdpprn")
    if not sizes:
        missing.append("stream")
    for w in sizes:
        a, b = runs[("stream", "rdpprn", w)], runs.get(("stream", "pipe", w), [])
        ra, rb = med(a, mibps), med(b, mibps)
        ratio = ra / rb if ra and rb else None
        daemon = med(a, lambda r: quot(r, "daemon_ticks", "bytes",
                                        10.0 * MIB))
        out.append("%-8s %12s %12s %8s %14s %14s %16s %s" % (
            w, fmt(ra), fmt(rb), fmt(ratio), fmt(med(a, cpu_per_mib)),
            fmt(med(b, cpu_per_mib)), fmt(daemon), verdict(ratio, 1.0)))
    for w in works(runs, "stream", "window2"):
        a = runs[("stream", "window2", w)]
        b = runs.get(("stream", "pipe", w), [])
        ra, rb = med(a, mibps), med(b, mibps)
        out.append("%-8s %12s %12s %8s %14s %14s %16s %s" % (
            w, fmt(ra), fmt(rb), fmt(ra / rb if ra and rb else None),
            fmt(med(a, cpu_per_mib)), fmt(med(b, cpu_per_mib)), "-",
            "window=2 (not the default)"))
    if len(sizes) > 1:
        first = med(runs[("stream", "rdpprn", sizes[0])], mibps)
        last = med(runs[("stream", "rdpprn", sizes[-1])], mibps)
        out.append("   growth: MiB/s at %s / at %s = %s (1.0 is linear cost)"
                   % (sizes[-1], sizes[0], fmt(last / first if first and
                                               last else None)))

    out.append("\n2. rdpprn vs a CUSE device doing the same job "
               "(goal >= 3.0, and less CPU per MiB)")
    out.append("%-8s %-7s %12s %12s %8s %14s %14s %s" % (
        "size", "write()", "rdpprn MiB/s", "CUSE MiB/s", "ratio",
        "CPU ms/MiB", "CUSE ms/MiB", "goal"))
    cw = works(runs, "cuse", "cuse")
    if not cw:
        missing.append("cuse")
    for w in cw:
        for suffix, blk in (("", "120 KiB"), ("-4k", "4 KiB")):
            a = runs.get(("cuse", "rdpprn" + suffix, w), [])
            b = runs.get(("cuse", "cuse" + suffix, w), [])
            if not a or not b:
                continue
            ra, rb = med(a, mibps), med(b, mibps)
            ca, cb = med(a, cpu_per_mib), med(b, cpu_per_mib)
            ratio = ra / rb if ra and rb else None
            good = verdict(ratio, 3.0)
            if ca is not None and cb is not None and ca >= cb:
                good = "missed (CPU not less)"
            out.append("%-8s %-7s %12s %12s %8s %14s %14s %s" % (
                w, blk, fmt(ra), fmt(rb), fmt(ratio), fmt(ca), fmt(cb),
                good))

    out.append("\n3. Slow links: throughput / (chunk_size / d) "
               "(goal >= 0.95)")
    out.append("%-8s %-14s %12s %14s %10s %s" % (
        "d", "chunk", "MiB/s", "ms/request", "of ceiling", "goal"))
    slow = sorted({(v, w) for (n, v, w) in runs if n == "slow"},
                  key=lambda k: (size_key(k[1]), size_key(k[0])))
    if not slow:
        missing.append("slow")
    for v, w in slow:
        d_ms = float(v.split("=")[1])
        chunk = float(w.split("=")[1])
        rows = runs[("slow", v, w)]
        r = med(rows, mibps)
        per = med(rows, lambda x: quot(x, "ns", "requests", 1e-6))
        # d=0 is the reference row: no link, no ceiling
        frac = r / (chunk / MIB / (d_ms / 1000.0)) if r and d_ms else None
        out.append("%-8s %-14s %12s %14s %10s %s" % (
            v, w, fmt(r), fmt(per), fmt(frac),
            verdict(frac, 0.95) if d_ms else "reference"))

    out.append("\n4. Small jobs of 4 KiB: jobs/s vs pipelines "
               "(goal: 3 requests a job)")
    out.append("%-8s %12s %12s %8s %14s %s" % (
        "jobs", "rdpprn j/s", "pipes j/s", "ratio", "requests/job", "goal"))
    counts = works(runs, "small", "rdpprn")
    if not counts:
        missing.append("small")

    def jps(r):
        return quot(r, "jobs", "ns", 1e9)
    per_job = []
    for w in counts:
        a, b = runs[("small", "rdpprn", w)], runs.get(("small", "pipe", w), [])
        ja, jb = med(a, jps), med(b, jps)
        req = med(a, lambda r: quot(r, "requests", "jobs"))
        per_job.append(ja)
        out.append("%-8s %12s %12s %8s %14s %s" % (
            w, fmt(ja, ".0f"), fmt(jb, ".0f"),
            fmt(ja / jb if ja and jb else None), fmt(req),
            "met" if req == 3 else "missed"))
    if len(per_job) > 1 and per_job[0]:
        out.append("   growth: jobs/s at %s / at %s = %s (1.0 is linear "
                   "cost)" % (counts[-1], counts[0],
                              fmt(per_job[-1] / per_job[0])))

    out.append("\n5. Scale: printers announced at once (10 a session), "
               "kernel memory per idle printer (goal <= 4 KiB)")
    out.append("%-9s %9s %14s %16s %18s %s" % (
        "sessions", "printers", "ms/printer", "KiB/printer",
        "rdpprnd KiB/session", "goal"))
    sess = sorted({int(w) for (n, v, w) in runs if n == "scale"})
    if not sess:
        missing.append("scale")
    for s in sess:
        ten = runs.get(("scale", "printers=10", str(s)), [])
        one = runs.get(("scale", "printers=1", str(s)), [])
        ms = med(ten, lambda r: quot(r, "ns", "jobs", 1e-6))
        m10, m1 = med(ten, lambda r: num(r, "mem_kb")), \
            med(one, lambda r: num(r, "mem_kb"))
        per = (m10 - m1) / (9.0 * s) if m10 is not None and m1 is not None \
            else None
        rss = med(one, lambda r: quot(r, "daemon_rss_kb", "jobs"))
        out.append("%-9d %9d %14s %16s %18s %s" % (
            s, 10 * s, fmt(ms), fmt(per), fmt(rss),
            verdict(per, 4.0, higher=False)))

    one = runs.get(("parallel", "one", next(iter(
        works(runs, "parallel", "one")), "")), [])
    allj = [r for (n, v, w), rows in runs.items()
            if n == "parallel" and v == "all" for r in rows]
    if not one or not allj:
        missing.append("parallel")
    else:
        ra, r1 = med(allj, mibps), med(one, mibps)
        goal = 0.8 * min(cpus, 64)
        ratio = ra / r1 if ra and r1 else None
        out.append("\n   64 jobs on 64 printers at once vs one job: %s MiB/s "
                   "vs %s MiB/s = %s (goal >= 0.8 x min(%d CPUs, 64) = %.1f): "
                   "%s" % (fmt(ra), fmt(r1), fmt(ratio), cpus, goal,
                           verdict(ratio, goal)))

    print("\n".join(out))
    if only is not None:
        missing = [m for m in missing if m in only]
    if missing:
        print("\nno figures from: %s" % ", ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
