#!/usr/bin/env python3
"""A tiny stand-in for mailspec-server, for the mailspec CLI tests (embedded default and --spawn).

  fake_server.py --ephemeral --write-target FILE [--fault wrong-noop] [--pid-file F]
  fake_server.py --port N [--pid-file F]

Serves a minimal SMTP dialogue on 127.0.0.1 only: 220 greeting; EHLO -> 250 with PIPELINING;
NOOP -> 250 (554 with --fault wrong-noop); QUIT -> 221 and close; anything else -> 500.
Prints "mailspec-server ready smtp=PORT" once listening. Stops on SIGTERM/SIGINT, and by itself
after --lifetime seconds (default 120) so a broken test can never leave it running for ever.
"""
import argparse
import os
import signal
import socket
import sys
import threading


def serve(conn, fault):
    conn.settimeout(30)
    f = conn.makefile("rb")
    try:
        conn.sendall(b"220 fake.test ESMTP\r\n")
        for raw in f:
            line = raw.rstrip(b"\r\n").upper()
            if line.startswith(b"EHLO"):
                conn.sendall(b"250-fake.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif line == b"NOOP":
                conn.sendall(b"554 5.0.0 broken NOOP\r\n" if "wrong-noop" in fault else b"250 2.0.0 ok\r\n")
            elif line == b"QUIT":
                conn.sendall(b"221 2.0.0 bye\r\n")
                break
            else:
                conn.sendall(b"500 5.5.2 unknown\r\n")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ephemeral", action="store_true")
    p.add_argument("--write-target")
    p.add_argument("--fault", action="append", default=[])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--pid-file")
    p.add_argument("--lifetime", type=float, default=120)
    args, _unknown = p.parse_known_args()
    fault = []
    for f in args.fault:
        fault.append(f)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(16)
    port = srv.getsockname()[1]
    if args.pid_file:
        with open(args.pid_file, "w") as fh:
            fh.write(str(os.getpid()))
    if args.write_target:
        with open(args.write_target, "w") as fh:
            fh.write('<target name="fake" host="127.0.0.1">\n'
                     f'  <endpoint name="smtp" protocol="smtp" port="{port}" tls="plain"/>\n'
                     '  <user id="user" login="alice" password="secret1" address="alice@example.test"/>\n'
                     '  <var name="domain" value="example.test"/>\n'
                     '</target>\n')
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    threading.Timer(args.lifetime, lambda: os._exit(3)).start()
    print(f"mailspec-server ready smtp={port}", flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, fault), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
