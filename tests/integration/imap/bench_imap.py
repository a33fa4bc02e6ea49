"""IMAP benchmark (issue 4, "Performance"): mailspec-server side by side with Dovecot under the
same client in the same run.

  1. resident memory of mailspec-server with N (default 1000) concurrent authenticated sessions
     in IDLE (VmRSS from /proc, before and after);
  2. FETCH 1:* (FLAGS ENVELOPE) over a 10,000-message INBOX;
  3. SEARCH TEXT over the same mailbox.

Usage:  bench_imap.py MAILSPEC_SERVER [--dovecot-port PORT --dovecot-ca FILE] [--messages N]
                      [--idle N] [--rounds N]
The Dovecot side is optional; run it inside ci/interop/with-servers.sh RUN_DIR -- ... and pass
--dovecot-port 20993 --dovecot-ca RUN_DIR/tls/ca.crt. Prints a Markdown table. Not a ctest test
(it takes minutes); every network wait has a timeout.
"""
import argparse
import imaplib
import os
import socket
import ssl
import time

from imap_server import HOST, Server, client_tls_context

MESSAGE = ("From: Sender %d <sender%d@example.test>\r\n"
           "To: alice@example.test\r\n"
           "Subject: benchmark message %d\r\n"
           "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n"
           "Message-ID: <%d@bench.example.test>\r\n"
           "\r\n"
           "%s\r\n")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def connect(port, context):
    m = imaplib.IMAP4_SSL(HOST, port, ssl_context=context, timeout=30)
    m.login("alice", "secret1")
    return m


def fill(port, context, count):
    """APPENDs `count` messages with LITERAL+ pipelining in batches (same client for both servers)."""
    m = connect(port, context)
    sock = m.socket()
    sock.settimeout(60)
    batch = 200
    sent = 0
    while sent < count:
        n = min(batch, count - sent)
        out = bytearray()
        for i in range(sent, sent + n):
            body = ("needle in message %d\r\n" % i if i % 100 == 0 else "") + "lorem ipsum dolor sit amet\r\n" * 20
            msg = (MESSAGE % (i, i, i, i, body)).encode()
            out += b"f%d APPEND INBOX {%d+}\r\n" % (i, len(msg)) + msg + b"\r\n"
        sock.sendall(bytes(out))
        last = b"f%d " % (sent + n - 1)
        buf = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed during APPEND")
            buf += chunk
            if last in buf and buf.endswith(b"\r\n"):
                break
        if b" NO " in buf or b" BAD " in buf:
            raise RuntimeError("APPEND failed: %r" % buf[-300:])
        sent += n
    m.logout()


def timed(port, context, command, rounds):
    """Best wall time of `rounds` runs of one raw command (response read to its tagged line)."""
    m = connect(port, context)
    m.select("INBOX", readonly=True)
    sock = m.socket()
    sock.settimeout(120)
    best = None
    size = 0
    for r in range(rounds):
        tag = b"t%d" % r
        start = time.perf_counter()
        sock.sendall(tag + b" " + command + b"\r\n")
        buf = bytearray()
        while not (buf.endswith(b"\r\n") and (b"\r\n" + tag + b" OK") in buf):
            chunk = sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        elapsed = time.perf_counter() - start
        size = len(buf)
        best = elapsed if best is None else min(best, elapsed)
    m.logout()
    return best, size


def idle_sessions(port, context, count):
    sessions = []
    for i in range(count):
        s = socket.create_connection((HOST, port), timeout=30)
        t = context.wrap_socket(s, server_hostname="localhost")
        t.recv(4096)
        t.sendall(b"a LOGIN alice secret1\r\n")
        buf = b""
        while b"a OK" not in buf:
            chunk = t.recv(4096)
            if not chunk:
                raise RuntimeError("closed during LOGIN")
            buf += chunk
        t.sendall(b"b SELECT INBOX\r\nc IDLE\r\n")
        buf = b""
        while b"+ " not in buf:
            chunk = t.recv(65536)
            if not chunk:
                raise RuntimeError("closed during IDLE")
            buf += chunk
        sessions.append(t)
    return sessions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--dovecot-port", type=int)
    parser.add_argument("--dovecot-ca")
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with Server(args.server) as server:
        port = server.ports["imaps"]
        context = client_tls_context()
        before = rss_kib(server.process.pid)
        sessions = idle_sessions(port, context, args.idle)
        after = rss_kib(server.process.pid)
        for s in sessions:
            s.close()
        print("mailspec-server RSS: %d KiB at start, %d KiB with %d idle sessions" % (before, after, args.idle))
        start = time.perf_counter()
        fill(port, context, args.messages)
        print("mailspec-server: APPEND of %d messages in %.1f s" % (args.messages, time.perf_counter() - start))
        fetch = timed(port, context, b"FETCH 1:* (FLAGS ENVELOPE)", args.rounds)
        search = timed(port, context, b"SEARCH TEXT needle", args.rounds)
        rows.append(("mailspec-server", fetch, search))
    if args.dovecot_port:
        context = ssl.create_default_context(cafile=args.dovecot_ca)
        context.check_hostname = False
        start = time.perf_counter()
        fill(args.dovecot_port, context, args.messages)
        print("Dovecot: APPEND of %d messages in %.1f s" % (args.messages, time.perf_counter() - start))
        fetch = timed(args.dovecot_port, context, b"FETCH 1:* (FLAGS ENVELOPE)", args.rounds)
        search = timed(args.dovecot_port, context, b"SEARCH TEXT needle", args.rounds)
        rows.append(("Dovecot", fetch, search))
    print()
    print("| server | FETCH 1:* (FLAGS ENVELOPE), %d msgs | SEARCH TEXT |" % args.messages)
    print("|---|---|---|")
    for name, (ft, fs), (st, ss) in rows:
        print("| %s | %.3f s (%.0f msg/s, %d KiB) | %.3f s (%.0f msg/s) |"
              % (name, ft, args.messages / ft, fs // 1024, st, args.messages / st))


if __name__ == "__main__":
    main()
