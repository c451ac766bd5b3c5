#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the rdpdr PDUs of one rdpprn-bridge connection (--trace DIR).

  announce.py DIR CONN

Prints the PDU sequence as one line,
  SEQ out:SERVER_ANNOUNCE in:CLIENTID_CONFIRM ...
and one line per printer of every non-empty Client Device List Announce,
  DEV id=1 dos=PRN1 flags=0x2 codepage=0 pnplen=0 driverlen=50
      printlen=16 cachedlen=0 driver="..." name="..."
(on one line). Lengths are the declared ones; names are read up to the
first UTF-16 NUL inside the declared field, so announces that rdpprnd's
strict parser refuses are still shown as the client sent them.
"""
import glob
import os
import re
import struct
import sys

PAKID = {
    (0x4472, 0x496E): "SERVER_ANNOUNCE",
    (0x4472, 0x4343): "CLIENTID_CONFIRM",
    (0x4472, 0x434E): "CLIENT_NAME",
    (0x4472, 0x4441): "DEVICELIST_ANNOUNCE",
    (0x4472, 0x6472): "DEVICE_REPLY",
    (0x4472, 0x4952): "DEVICE_IOREQUEST",
    (0x4472, 0x4943): "DEVICE_IOCOMPLETION",
    (0x4472, 0x5350): "SERVER_CAPABILITY",
    (0x4472, 0x4350): "CLIENT_CAPABILITY",
    (0x4472, 0x444D): "DEVICELIST_REMOVE",
    (0x4472, 0x554C): "USER_LOGGEDON",
    (0x5052, 0x5043): "PRN_CACHE_DATA",
    (0x5052, 0x5543): "PRN_USING_XPS",
}


def load(path):
    data = []
    with open(path) as f:
        for line in f:
            if line.lstrip().startswith("#"):
                continue
            data.extend(int(b, 16) for b in line.split())
    return bytes(data)


def utf16(b):
    n = 0
    while n + 1 < len(b) and (b[n] or b[n + 1]):
        n += 2
    return b[:n].decode("utf-16-le", "replace")


def devices(pdu):
    count = struct.unpack_from("<I", pdu, 4)[0]
    off = 8
    for _ in range(count):
        dtype, did = struct.unpack_from("<II", pdu, off)
        dos = pdu[off + 8:off + 16].split(b"\0")[0].decode("ascii", "replace")
        dlen = struct.unpack_from("<I", pdu, off + 16)[0]
        data = pdu[off + 20:off + 20 + dlen]
        off += 20 + dlen
        if dtype != 4 or len(data) < 24:
            yield "DEV id=%u type=%u dos=%s datalen=%u" % (did, dtype, dos,
                                                           dlen)
            continue
        flags, cp, pnp, drv, prn, cache = struct.unpack_from("<6I", data, 0)
        p = 24 + pnp
        driver = utf16(data[p:p + drv])
        p += drv
        name = utf16(data[p:p + prn])
        yield ('DEV id=%u dos=%s flags=0x%x codepage=%u pnplen=%u '
               'driverlen=%u printlen=%u cachedlen=%u driver="%s" '
               'name="%s"' % (did, dos, flags, cp, pnp, drv, prn, cache,
                              driver, name))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: announce.py DIR CONN")
    files = glob.glob(os.path.join(sys.argv[1], "c%s-*.hex" % sys.argv[2]))
    key = re.compile(r"-(\d+)-(in|out)\.hex$")
    files.sort(key=lambda f: int(key.search(f).group(1)))
    seq, devs = [], []
    for f in files:
        pdu = load(f)
        way = key.search(f).group(2)
        if len(pdu) < 4:
            seq.append("%s:SHORT" % way)
            continue
        comp, pid = struct.unpack_from("<HH", pdu, 0)
        name = PAKID.get((comp, pid), "0x%04x/0x%04x" % (comp, pid))
        if name == "DEVICELIST_ANNOUNCE":
            n = struct.unpack_from("<I", pdu, 4)[0]
            name += "(%u)" % n
            if n:
                devs.extend(devices(pdu))
        seq.append("%s:%s" % (way, name))
    print("SEQ " + " ".join(seq))
    for d in devs:
        print(d)


if __name__ == "__main__":
    main()
