#!/usr/bin/env python3
"""A minimal syslog reader for the Cyrus + Exim stack's mount namespace (Cyrus logs only to syslog).

Usage: syslog.py SOCKET LOGFILE      (run by ns-init.sh inside the namespace, SOCKET = /dev/log)

Binds a unix datagram socket at SOCKET and appends each message, with a UTC time stamp, as one line
to LOGFILE (flushed per message, control bytes shown as \\xNN). Runs until SIGTERM or SIGINT.
"""

import os
import signal
import socket
import sys
import time


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} SOCKET LOGFILE", file=sys.stderr)
        return 2
    path, logfile = argv[1], argv[2]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)  # the daemons log after dropping root
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(logfile, "a", encoding="utf-8", errors="backslashreplace") as out:
        while True:
            data = sock.recv(65536)
            text = "".join(c if c.isprintable() or c == "\t" else f"\\x{ord(c):02x}"
                           for c in data.decode("utf-8", errors="backslashreplace"))
            out.write(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + text + "\n")
            out.flush()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(0)
