#!/usr/bin/env python3
"""A deliberately hostile mail server for the report tests: it speaks just enough SMTP, POP3 and
IMAP to be judged, and fills every reply with bytes that reports must survive (issue 9 §6):
NUL and other C0 controls, DEL, lone UTF-16 surrogates, overlong UTF-8, U+FFFE / U+FFFF, code
points past U+10FFFF, truncated sequences, random bytes, and (with --huge) one 10 MB reply line.

    hostile_server.py --ready-file F [--huge] [--lifetime S]

Listens on 127.0.0.1, one port per protocol (smtp, pop3, imap); writes "smtp=P pop3=P imap=P" to
the ready file once listening. Stops on SIGTERM/SIGINT and by itself after --lifetime seconds.
"""
import argparse
import os
import random
import signal
import socket
import sys
import threading

HOSTILE = (b"\x00nul \x01\x07\x1b[31m \x7f del \xed\xa0\x80 surrogate \xc0\xaf overlong "
           b"\xe0\x80\xaf \xef\xbf\xbf \xef\xbf\xbe \xf4\x90\x80\x80 big \xc3 cut \xff\xfe ]]> </x> & \"")
HUGE = 10 * 1024 * 1024


def noise(rng, huge):
    if huge:
        return bytes(rng.randrange(256) for _ in range(4096)).replace(b"\r\n", b"..") * (HUGE // 4096)
    return HOSTILE + bytes(rng.randrange(256) for _ in range(64)).replace(b"\n", b"?").replace(b"\r", b"?")


def reply_for(protocol, line, rng, huge):
    """The reply to one command line (the noise never contains CR LF, so framing stays intact)."""
    junk = noise(rng, huge)
    word = line.split(b" ", 1)
    if protocol == "smtp":
        if line.upper().startswith(b"QUIT"):
            return b"221 " + junk + b"\r\n", True
        if line.upper().startswith(b"EHLO"):
            return b"250-" + junk + b"\r\n250 8BITMIME\r\n", False
        return b"250 " + junk + b"\r\n", False
    if protocol == "pop3":
        done = line.upper().startswith(b"QUIT")
        return b"+OK " + junk + b"\r\n", done
    tag = word[0] if word and word[0] else b"*"
    done = len(word) > 1 and word[1].upper().startswith(b"LOGOUT")
    return b"* OK " + junk + b"\r\n" + tag + b" OK " + junk + b"\r\n", done


def serve(conn, protocol, seed, huge):
    rng = random.Random(seed)
    conn.settimeout(30)
    try:
        greeting = {"smtp": b"220 ", "pop3": b"+OK ", "imap": b"* OK "}[protocol]
        conn.sendall(greeting + noise(rng, False) + b"\r\n")
        buffer = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                data, done = reply_for(protocol, line.rstrip(b"\r"), rng, huge)
                conn.sendall(data)
                if done:
                    return
    except OSError:
        pass
    finally:
        conn.close()


def listen():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--huge", action="store_true")
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()
    listeners = {name: listen() for name in ("smtp", "pop3", "imap")}
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    serial = [0]

    def accept_loop(name, sock):
        while True:
            conn, _ = sock.accept()
            serial[0] += 1
            threading.Thread(target=serve, args=(conn, name, serial[0], args.huge), daemon=True).start()

    for name, sock in listeners.items():
        threading.Thread(target=accept_loop, args=(name, sock), daemon=True).start()
    with open(args.ready_file + ".tmp", "w") as f:
        f.write(" ".join("%s=%d" % (n, s.getsockname()[1]) for n, s in listeners.items()) + "\n")
    os.rename(args.ready_file + ".tmp", args.ready_file)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
