#!/usr/bin/env python3
"""Resident memory of mailspec-server with N concurrent idle connections (a benchmark, not a test).

Usage: idle_connections.py PATH/TO/mailspec-server [--count 1000] [--endpoint imap|imaps|smtp|pop3]
                           [--login]

Starts `mailspec-server --ephemeral`, reads its RSS, opens COUNT connections to one endpoint (each
reads the greeting; with --login each IMAP connection also logs in over implicit TLS as alice, so
the sessions are authenticated), reads the RSS again, closes everything and stops the server.
Connects only to 127.0.0.1; every wait is bounded."""
import argparse
import os
import resource
import signal
import socket
import ssl
import subprocess
import sys
import time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--endpoint", default="imap")
    parser.add_argument("--login", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.count + 64 > hard:
        sys.exit("file descriptor limit %d is too low for %d connections" % (hard, args.count))
    endpoint = "imaps" if args.login else args.endpoint
    server = subprocess.Popen([args.server, "--ephemeral"], stdout=subprocess.PIPE, text=True)
    connections = []
    try:
        ready = server.stdout.readline().split()
        ports = dict(pair.split("=") for pair in ready[2:])
        port = int(ports[endpoint])
        time.sleep(0.2)
        before = rss_kib(server.pid)
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        started = time.monotonic()
        for i in range(args.count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if endpoint in ("imaps", "pop3s", "submissions"):
                s = context.wrap_socket(s)
            s.recv(1024)  # greeting
            if args.login:
                s.sendall(b"a1 LOGIN alice secret1\r\n")
                reply = b""
                deadline = time.monotonic() + 10
                while b"a1 " not in reply and time.monotonic() < deadline:
                    reply += s.recv(4096)
                if b"a1 OK" not in reply:
                    sys.exit("login %d failed: %r" % (i, reply))
            connections.append(s)
        elapsed = time.monotonic() - started
        time.sleep(0.5)
        after = rss_kib(server.pid)
        print("endpoint=%s login=%s connections=%d rss_before=%.1fMiB rss_after=%.1fMiB "
              "per_connection=%.1fKiB open_time=%.2fs" %
              (endpoint, args.login, len(connections), before / 1024, after / 1024,
               (after - before) / max(1, len(connections)), elapsed))
    finally:
        for s in connections:
            s.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
