"""Starts `mailspec-server --ephemeral --write-target T` for a real-client test and stops it.

The server prints one ready line on stdout: "mailspec-server ready smtp=P submission=P ...";
`ports` maps each endpoint name to its bound loopback port. Every wait is bounded: the server must
be ready within READY_TIMEOUT seconds or the test fails with an ERROR exit code (2), so a harness
problem is not mistaken for a server failure.
"""
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

READY_TIMEOUT = 20.0
HOST = "127.0.0.1"


class ServerError(Exception):
    pass


class MailspecServer:
    def __init__(self, executable, faults=()):
        self.executable = executable
        self.faults = list(faults)
        self.process = None
        self.ports = {}
        self.workdir = tempfile.mkdtemp(prefix="mailspec-clients-")
        self.target_file = os.path.join(self.workdir, "target.xml")

    def __enter__(self):
        command = [self.executable, "--ephemeral", "--write-target", self.target_file]
        for fault in self.faults:
            command += ["--fault", fault]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + READY_TIMEOUT
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise ServerError("mailspec-server printed no ready line within %.0f s" % READY_TIMEOUT)
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.process.stdout.fileno(), 1)
            if not chunk:
                err = self.process.stderr.read().decode(errors="replace")
                raise ServerError("mailspec-server exited before ready (code %s): %s" % (self.process.wait(), err))
            line += chunk
        words = line.decode().split()
        if words[:2] != ["mailspec-server", "ready"]:
            self.stop()
            raise ServerError("unexpected ready line: %r" % line)
        self.ports = dict(word.split("=", 1) for word in words[2:])
        self.ports = {name: int(port) for name, port in self.ports.items()}
        if not os.path.exists(self.target_file):
            self.stop()
            raise ServerError("--write-target did not write " + self.target_file)
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
        return False


class Checker:
    """Collects check results; exit code 0 all passed, 1 some failed."""

    def __init__(self, name):
        self.name = name
        self.failures = 0

    def check(self, condition, what):
        print(("PASS " if condition else "FAIL ") + what, flush=True)
        if not condition:
            self.failures += 1

    def equal(self, actual, expected, what):
        self.check(actual == expected, "%s (expected %r, got %r)" % (what, expected, actual))

    def done(self):
        print("%s: %s" % (self.name, "all checks passed" if self.failures == 0 else "%d FAILED" % self.failures))
        return 0 if self.failures == 0 else 1


def run(main):
    """Runs main(executable) -> exit code; harness errors exit 2."""
    if len(sys.argv) != 2:
        print("usage: %s PATH/TO/mailspec-server" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except ServerError as error:
        print("ERROR " + str(error), file=sys.stderr)
        sys.exit(2)
