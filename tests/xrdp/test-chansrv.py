#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks a patched xrdp-chansrv (userspace/integrations/xrdp/0001-chansrv-hand-
redirected-printers-to-rdpprnd.patch) without xrdp, a client or rdpprnd: it plays xrdp and the
RDP client behind it on chansrv's socket, and rdpprnd on RdpprnSocket, and
checks what goes where: printers to rdpprnd byte for byte, drives and other
devices answered by chansrv, CompletionIds mapped both ways, removal and
printer cache data forwarded, CLOSE on disconnect and at session end,
reconnects, refusals, no rdpprnd, and RdpprnSocket unset.

chansrv reads sesman.ini from the directory it was built for and listens in
its socket directory; the script writes ETC/sesman.ini (several versions,
one per part) and runs chansrv as it is, as the calling user:

  test-chansrv.py CHANSRV ETC SOCKDIR WORKDIR [RDPPRND_FAKE]

With RDPPRND_FAKE (build/tests/unit/rdpprnd-fake: the real rdpprnd with a
fake kernel), a last part runs a print job end to end through it and
chansrv, with chansrv as user nobody when the script runs as root.

e.g. for a build configured with --enable-strict-locations
--sysconfdir=$T/etc --with-socketdir=$T/run:
  test-chansrv.py sesman/chansrv/xrdp-chansrv $T/etc/xrdp $T/run $T/work
Prints "N passed, N failed"; exit status 1 if anything failed.
"""
import hashlib
import os
import queue
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

if len(sys.argv) not in (5, 6):
    sys.exit(__doc__)
CHANSRV, ETC, SOCKDIR, T = sys.argv[1:5]
RDPPRND = sys.argv[5] if len(sys.argv) == 6 else None
DISPLAY = 91
RDPDR = 3
RSOCK = os.path.join(T, "rdpprnd.sock")
CSOCK = os.path.join(SOCKDIR, "xrdp_chansrv_socket_%d" % DISPLAY)
CORE = 0x4472
PRN = 0x5052
NOT_SUPPORTED = 0xC00000BB

failures = 0
passes = 0


def check(cond, what):
    global failures, passes
    if cond:
        passes += 1
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what)


def recvn(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


# ---------------------------------------------------------------- rdpprnd
class FakeRdpprnd(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        if os.path.exists(RSOCK):
            os.unlink(RSOCK)
        self.lis = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.lis.bind(RSOCK)
        self.lis.listen(4)
        self.events = queue.Queue()
        self.conn = None
        self.refuse = None
        self.sid = 100

    def run(self):
        while True:
            try:
                c, _ = self.lis.accept()
            except OSError:
                return
            self.conn = c
            try:
                while True:
                    hdr = recvn(c, 5)
                    ln, typ = struct.unpack("<IB", hdr)
                    payload = recvn(c, ln)
                    if typ == 1:
                        self.events.put(("open", payload))
                        if self.refuse is not None:
                            r = self.refuse.encode()
                            c.sendall(struct.pack("<IB", len(r), 3) + r)
                            self.refuse = None
                            c.close()
                            break
                        self.sid += 1
                        c.sendall(struct.pack("<IBI", 4, 4, self.sid))
                    elif typ == 2:
                        self.events.put(("pdu", payload))
                        comp, pid = struct.unpack_from("<HH", payload)
                        if comp == CORE and pid == 0x4441:
                            self.answer_announce(payload)
                    else:
                        self.events.put(("close" if typ == 3 else "frame%d" % typ, payload))
            except (EOFError, OSError):
                self.events.put(("eof", b""))

    def answer_announce(self, p):
        n, = struct.unpack_from("<I", p, 4)
        off = 8
        for _ in range(n):
            typ, dev, _dos, ln = struct.unpack_from("<II8sI", p, off)
            off += 20 + ln
            self.send_pdu(struct.pack("<HHII", CORE, 0x6472, dev, 0))

    def send_pdu(self, pdu):
        self.conn.sendall(struct.pack("<IB", len(pdu), 2) + pdu)

    def send_close(self, reason):
        r = reason.encode()
        self.conn.sendall(struct.pack("<IB", len(r), 3) + r)
        self.conn.close()

    def get(self, timeout=5):
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return ("timeout", b"")

    def quiet(self, t=0.5):
        try:
            ev = self.events.get(timeout=t)
            return ev
        except queue.Empty:
            return None


# ------------------------------------------------------------------- xrdp
class FakeXrdp:
    def __init__(self):
        self.s = None
        for _ in range(50):
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(CSOCK)
                self.s = s
                break
            except OSError:
                time.sleep(0.1)
        assert self.s is not None, "can't connect to chansrv"
        self.s.settimeout(5)

    def msg(self, mid, payload):
        inner = struct.pack("<II", mid, 8 + len(payload)) + payload
        self.s.sendall(struct.pack("<II", 0, 8 + len(inner)) + inner)

    def setup(self):
        self.msg(3, struct.pack("<H", 1) + b"rdpdr\0\0\0" + struct.pack("<HH", RDPDR, 0))

    def send(self, pdu, chunk=1600):
        total, off = len(pdu), 0
        while off < total:
            c = pdu[off:off + chunk]
            flags = (1 if off == 0 else 0) | (2 if off + len(c) >= total else 0)
            self.msg(5, struct.pack("<HHHI", RDPDR, flags, len(c), total) + c)
            off += len(c)

    def recv(self):
        """One whole rdpdr PDU from chansrv, or None on timeout."""
        buf = b""
        while True:
            try:
                _ver, size = struct.unpack("<II", recvn(self.s, 8))
            except (socket.timeout, EOFError):
                return None
            body = recvn(self.s, size - 8)
            mid, _isz = struct.unpack_from("<II", body)
            if mid != 8:
                continue
            chan, flags, ln, total = struct.unpack_from("<HHHI", body, 8)
            if chan != RDPDR:
                continue
            if flags & 1:
                buf = b""
            buf += body[18:18 + ln]
            if flags & 2:
                return buf

    def recv_id(self, comp, pid):
        while True:
            p = self.recv()
            if p is None:
                return None
            if struct.unpack_from("<HH", p) == (comp, pid):
                return p

    def close(self):
        self.s.close()

    def handshake(self, name="TESTPC"):
        self.setup()
        p = self.recv_id(CORE, 0x496E)
        check(p is not None, "Server Announce Request")
        cid, = struct.unpack_from("<I", p, 8)
        self.send(struct.pack("<HHHHI", CORE, 0x4343, 1, 0x0C, cid))
        n = (name + "\0").encode("utf-16-le")
        self.send(struct.pack("<HHIII", CORE, 0x434E, 1, 0, len(n)) + n)
        check(self.recv_id(CORE, 0x5350) is not None, "Server Core Capability Request")
        gen = struct.pack("<HHIIIHHIIIIII", 1, 44, 2, 0, 0, 1, 0x0C, 0xFFFF, 0, 7, 0, 0, 0)
        prn = struct.pack("<HHI", 2, 8, 1)
        self.send(struct.pack("<HHHH", CORE, 0x4350, 2, 0) + gen + prn)


def printer_entry(dev, dos, name):
    drv = "Generic PS\0".encode("utf-16-le")
    pn = (name + "\0").encode("utf-16-le")
    data = struct.pack("<IIIIII", 0, 0, 0, len(drv), len(pn), 0) + drv + pn
    return struct.pack("<II8sI", 4, dev, dos.encode().ljust(8, b"\0"), len(data)) + data


def other_entry(typ, dev, dos, data=b""):
    return struct.pack("<II8sI", typ, dev, dos.encode().ljust(8, b"\0"), len(data)) + data


def announce(*entries):
    return struct.pack("<HHI", CORE, 0x4441, len(entries)) + b"".join(entries)


def replies(x, n):
    out = {}
    for _ in range(n):
        p = x.recv_id(CORE, 0x6472)
        if p is None:
            break
        dev, st = struct.unpack_from("<II", p, 4)
        out[dev] = st
    return out


def io_request(dev, fid, cid, major, extra):
    return struct.pack("<HHIIIII", CORE, 0x4952, dev, fid, cid, major, 0) + extra


def write_config(rdpprn):
    with open(os.path.join(ETC, "sesman.ini"), "w") as f:
        f.write("[Globals]\nListenAddress=127.0.0.1\n[Chansrv]\nEnableFuseMount=false\n")
        if rdpprn is not None:
            f.write("RdpprnSocket=%s\n" % rdpprn)
        f.write("[ChansrvLogging]\nLogLevel=DEBUG\nEnableSyslog=false\n")


def start_chansrv(user=None):
    logdir = os.path.join(T, "log" if user is None else "log-%d" % user)
    env = dict(os.environ, DISPLAY=":%d" % DISPLAY, CHANSRV_LOG_PATH=logdir)
    os.makedirs(logdir, exist_ok=True)
    wrap = os.environ.get("CHANSRV_WRAP", "").split()
    if user is not None:
        for d in (logdir, SOCKDIR):
            os.chmod(d, 0o1777)
        wrap = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups"] + wrap
    return subprocess.Popen(wrap + [CHANSRV], env=env, stdout=open(os.path.join(T, "chansrv.out"), "a"),
                            stderr=subprocess.STDOUT)


def start_session(rdpprn, user=None):
    """chansrv with this RdpprnSocket, and xrdp connected to it."""
    write_config(rdpprn)
    cs = start_chansrv(user)
    try:
        x = FakeXrdp()
        x.handshake()
    except BaseException:
        stop(cs)
        raise
    return cs, x


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def serve_job(x):
    """Answers create, write and close like a client printer: the data."""
    data = b""
    while True:
        p = x.recv_id(CORE, 0x4952)
        if p is None:
            return None
        dev, _fid, cid, major = struct.unpack_from("<IIII", p, 4)
        rsp = struct.pack("<HHIII", CORE, 0x4943, dev, cid, 0)
        if major == 0:
            x.send(rsp + struct.pack("<IB", 9, 0))
        elif major == 4:
            ln, = struct.unpack_from("<I", p, 24)
            data += p[56:56 + ln]
            x.send(rsp + struct.pack("<IB", ln, 0))
        elif major == 2:
            x.send(rsp + b"\0" * 5)
            return data


def print_job():
    """D: the real rdpprnd (fake kernel) and chansrv, a print job."""
    sock = os.path.join(T, "real.sock")
    conf = os.path.join(T, "real.conf")
    log = os.path.join(T, "real.log")
    with open(conf, "w") as f:
        f.write("user_sessions = yes\n")
    env = dict(os.environ, RDPPRN_FAKE_JOB_BYTES="300007")
    d = subprocess.Popen([RDPPRND, "--listen", sock, "--config", conf, "-f", "-v"],
                         env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    user = 65534 if os.getuid() == 0 else None
    cs = None
    data = None
    try:
        cs, x = start_session(sock, user)
        x.send(announce(printer_entry(1, "PRN1", "HP LaserJet"), other_entry(8, 2, "C:", b"C:\0")))
        r = replies(x, 2)
        check(r.get(1) == 0 and 2 in r, "D: printer answered by rdpprnd, drive by chansrv %r" % r)
        data = serve_job(x)
        check(data is not None and len(data) == 300007, "D: the job reached the client (%s bytes)"
              % (None if data is None else len(data)))
        x.close()
        time.sleep(1)
    finally:
        if cs is not None:
            stop(cs)
        d.send_signal(signal.SIGTERM)
        d.wait(10)
    text = open(log).read()
    want = "sha256=%s status=closed" % hashlib.sha256(data or b"").hexdigest()
    check(want in text, "D: the kernel's job and the client's data are the same")
    uid = os.getuid() if user is None else user
    check("for uid %d gid %d" % (uid, uid if user else os.getgid()) in text and "device provider" in text,
          "D: a device provider session for chansrv's user")
    check("client disconnected" in text, "D: rdpprnd saw the CLOSE on disconnect")
    check(d.returncode == 0, "D: rdpprnd-fake exited cleanly (%s)" % d.returncode)


def main():
    for d in (SOCKDIR, ETC, T):
        os.makedirs(d, exist_ok=True)

    # ---- A: RdpprnSocket set
    d = FakeRdpprnd()
    d.start()
    cs, x = start_session(RSOCK)
    try:
        ann = announce(printer_entry(1, "PRN1", "HP LaserJet"),
                       other_entry(8, 2, "C:", b"C:\0"),
                       other_entry(1, 3, "COM1"),
                       printer_entry(4, "PRN2", "Fax"))
        x.send(ann)
        r = replies(x, 4)
        check(r.get(3) == NOT_SUPPORTED, "serial port refused by xrdp as before")
        check(2 in r, "drive answered by xrdp (0x%x)" % r.get(2, 0))
        check(r.get(1) == 0 and r.get(4) == 0, "printers answered by rdpprnd %r" % r)
        ev = d.get()
        check(ev[0] == "open", "SESSION_OPEN sent")
        uid, gid = struct.unpack_from("<II", ev[1])
        rest = ev[1][8:]
        check((uid, gid) == (os.getuid(), os.getgid()), "uid/gid are chansrv's own")
        check(rest == b"TESTPC\0\x01\x01\0\0\0", "name, NUL, ext v1, PROVIDER: %r" % rest)
        ev = d.get()
        want = announce(printer_entry(1, "PRN1", "HP LaserJet"), printer_entry(4, "PRN2", "Fax"))
        check(ev == ("pdu", want), "announce of just the printers, byte for byte")

        # I/O request from rdpprnd with its own CompletionId
        create = struct.pack("<IQIIIII", 0x40000000, 0, 0, 7, 2, 0, 0)
        d.send_pdu(io_request(1, 0, 1000, 0, create))
        p = x.recv_id(CORE, 0x4952)
        check(p is not None, "Device I/O Request forwarded")
        dev, fid, cid = struct.unpack_from("<III", p, 4)
        check(dev == 1 and p[16:] == io_request(1, 0, 1000, 0, create)[16:], "request otherwise unchanged")
        print("     xrdp CompletionId %d" % cid)
        resp = struct.pack("<HHIII", CORE, 0x4943, 1, cid, 0) + struct.pack("<IB", 77, 0)
        x.send(resp)
        ev = d.get()
        check(ev == ("pdu", struct.pack("<HHIII", CORE, 0x4943, 1, 1000, 0) + struct.pack("<IB", 77, 0)),
              "response with rdpprnd's CompletionId back")

        # a 64 KiB write, and its response sent in fragments
        data = bytes(range(256)) * 256
        wr = struct.pack("<IQ20x", len(data), 0) + data
        d.send_pdu(io_request(1, 77, 1001, 4, wr))
        p = x.recv_id(CORE, 0x4952)
        check(p is not None and p[24:] == wr and len(p) == 24 + len(wr), "64 KiB write request reassembled intact")
        cid2, = struct.unpack_from("<I", p, 12)
        check(cid2 != cid, "fresh CompletionId %d" % cid2)
        resp = struct.pack("<HHIII", CORE, 0x4943, 1, cid2, 0) + struct.pack("<IB", len(data), 0)
        x.send(resp, chunk=7)
        ev = d.get()
        check(ev == ("pdu", struct.pack("<HHIII", CORE, 0x4943, 1, 1001, 0) + struct.pack("<IB", len(data), 0)),
              "fragmented response mapped back")

        # printer cache data and device list remove
        cache = struct.pack("<HHI", PRN, 0x5043, 1) + b"\x01" * 20
        x.send(cache)
        ev = d.get()
        check(ev == ("pdu", cache), "printer cache data forwarded")
        rem = struct.pack("<HHIII", CORE, 0x444D, 2, 1, 2)
        x.send(rem)
        ev = d.get()
        check(ev == ("pdu", rem), "Client Device List Remove forwarded")

        # a request in flight, then rdpprnd ends the session
        d.send_pdu(io_request(4, 0, 1002, 0, create))
        p = x.recv_id(CORE, 0x4952)
        cid3, = struct.unpack_from("<I", p, 12)
        d.send_close("shutting down")
        check(d.get()[0] == "eof", "rdpprnd side closed")
        time.sleep(0.3)
        x.send(struct.pack("<HHIII", CORE, 0x4943, 4, cid3, 0) + struct.pack("<IB", 5, 0))
        # next announce: a new session; the late response must not reach it
        x.send(announce(printer_entry(5, "PRN3", "Late")))
        r = replies(x, 1)
        check(r == {5: 0}, "after rdpprnd's CLOSE the next announce reconnects %r" % r)
        ev = d.get()
        check(ev[0] == "open", "new SESSION_OPEN")
        ev = d.get()
        check(ev[0] == "pdu" and struct.unpack_from("<HH", ev[1]) == (CORE, 0x4441),
              "only the announce, not the stale response")

        # client disconnect: CLOSE to rdpprnd
        x.close()
        ev = d.get()
        check(ev == ("close", b"client disconnected"), "CLOSE 'client disconnected' on disconnect: %r" % (ev,))
        check(d.get()[0] == "eof", "connection closed after it")

        # reconnect: the new announce brings the printers back
        x = FakeXrdp()
        x.handshake("ÜBER-PC")
        x.send(announce(printer_entry(1, "PRN1", "HP LaserJet")))
        check(replies(x, 1) == {1: 0}, "reconnect: printer answered by rdpprnd")
        ev = d.get()
        check(ev[0] == "open" and ev[1][8:] == "ÜBER-PC".encode() + b"\0\x01\x01\0\0\0",
              "reconnect: new SESSION_OPEN with the UTF-8 name")
        d.get()

        # rdpprnd refuses a session
        x.send(rem)
        d.get()
        d.send_close("bye")
        d.get()
        d.refuse = "SESSION_OPEN for uid 1000 gid 1000 from a peer of uid 0: refused"
        time.sleep(0.3)
        x.send(announce(printer_entry(6, "PRN6", "Refused"), other_entry(8, 7, "D:", b"D:\0")))
        r = replies(x, 2)
        check(r.get(6) == NOT_SUPPORTED and 7 in r, "refused session: printer not supported %r" % r)
        check(d.get()[0] == "open", "refused SESSION_OPEN seen")

        # rdpprnd not there at all
        d.lis.close()
        os.unlink(RSOCK)
        x.send(announce(printer_entry(8, "PRN8", "Nobody")))
        check(replies(x, 1) == {8: NOT_SUPPORTED}, "no rdpprnd: printer not supported")
        x.close()
    finally:
        stop(cs)

    # ---- B: no RdpprnSocket: exactly as before
    d = FakeRdpprnd()
    d.start()
    cs, x = start_session(None)
    try:
        x.send(announce(printer_entry(1, "PRN1", "HP")))
        check(replies(x, 1) == {1: NOT_SUPPORTED}, "unset: printer not supported")
        check(d.quiet() is None, "unset: no connection to rdpprnd")
        cache = struct.pack("<HHI", PRN, 0x5043, 1)
        x.send(cache)
        x.close()
    finally:
        stop(cs)
    check(cs.returncode == 0, "chansrv exited cleanly (%s)" % cs.returncode)

    # ---- C: SIGTERM (session end) while connected
    cs, x = start_session(RSOCK)
    try:
        x.send(announce(printer_entry(1, "PRN1", "HP")))
        check(replies(x, 1) == {1: 0}, "C: printer answered")
        d.get()
        d.get()
    finally:
        stop(cs)
    ev = d.get()
    check(ev == ("close", b"client disconnected"), "session end: CLOSE sent %r" % (ev,))

    if RDPPRND is not None:
        print_job()
    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
