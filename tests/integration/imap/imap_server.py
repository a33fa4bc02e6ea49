"""Starts `mailspec-server --ephemeral --write-target T` for the IMAP real-client tests and stops it.

The server prints one ready line ("mailspec-server ready smtp=P ... imap=P imaps=P"); `ports` maps
endpoint names to loopback ports. Every wait is bounded: no ready line within READY_TIMEOUT seconds
is a harness ERROR (exit code 2), not a server FAIL (exit code 1).
"""
import os
import select
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time

READY_TIMEOUT = 20.0
HOST = "127.0.0.1"


class ServerError(Exception):
    pass


def client_tls_context():
    """The reference server uses a self-signed certificate: no verification on loopback."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Server:
    def __init__(self, executable, faults=()):
        self.executable = executable
        self.faults = list(faults)
        self.process = None
        self.ports = {}
        self.workdir = tempfile.mkdtemp(prefix="mailspec-imap-")

    def __enter__(self):
        command = [self.executable, "--ephemeral", "--write-target", os.path.join(self.workdir, "target.xml")]
        for fault in self.faults:
            command += ["--fault", fault]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + READY_TIMEOUT
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise ServerError("no ready line within %.0f s" % READY_TIMEOUT)
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.process.stdout.fileno(), 1)
            if not chunk:
                raise ServerError("mailspec-server exited before ready (code %s): %s"
                                  % (self.process.wait(timeout=10), self.process.stderr.read().decode(errors="replace")))
            line += chunk
        words = line.decode().split()
        if words[:2] != ["mailspec-server", "ready"]:
            self.stop()
            raise ServerError("unexpected ready line: %r" % line)
        self.ports = {k: int(v) for k, v in (w.split("=", 1) for w in words[2:])}
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return False


class Checker:
    """Collects checks; exit code 0 when all passed, 1 otherwise."""

    def __init__(self, name):
        self.name = name
        self.failures = 0

    def check(self, condition, what):
        print(("PASS " if condition else "FAIL ") + what, flush=True)
        if not condition:
            self.failures += 1
        return condition

    def equal(self, actual, expected, what):
        return self.check(actual == expected, "%s (expected %r, got %r)" % (what, expected, actual))

    def done(self):
        print("%s: %s" % (self.name, "all checks passed" if self.failures == 0 else "%d FAILED" % self.failures))
        return 0 if self.failures == 0 else 1


def run(main):
    """Runs main(executable) -> exit code; harness problems exit 2."""
    if len(sys.argv) != 2:
        print("usage: %s PATH/TO/mailspec-server" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except ServerError as error:
        print("ERROR " + str(error), file=sys.stderr)
        sys.exit(2)
