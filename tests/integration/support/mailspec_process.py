"""Starts `mailspec-server --ephemeral --write-target T` for a real-client test and stops it.

Shared by tests/integration/clients (SMTP, POP3) and tests/integration/imap; their CMakeLists.txt
put this folder on PYTHONPATH.

The server prints one ready line on stdout: "mailspec-server ready smtp=P submission=P ... imap=P
imaps=P"; `ports` maps each endpoint name to its bound loopback port. Every wait is bounded: the
server must be ready within READY_TIMEOUT seconds or the test ends with the ERROR exit code (2), so
a harness problem is not mistaken for a server failure (exit code 1).
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
STOP_TIMEOUT = 10.0
HOST = "127.0.0.1"


class ServerError(Exception):
    pass


def client_tls_context():
    """The reference server uses a self-signed certificate: no verification on loopback."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def parse_ready_line(line):
    """{endpoint: port} from b"mailspec-server ready NAME=PORT ..."; ServerError if malformed."""
    words = line.decode(errors="replace").split()
    if words[:2] != ["mailspec-server", "ready"]:
        raise ServerError("unexpected ready line: %r" % line)
    ports = {}
    for word in words[2:]:
        name, sep, port = word.partition("=")
        if not sep or not port.isdigit():
            raise ServerError("unexpected word %r in ready line %r (expected NAME=PORT)" % (word, line))
        ports[name] = int(port)
    return ports


class MailspecServer:
    """Context manager: starts the server in __enter__ (ports, target_file set), stops it on exit
    and removes its private work directory."""

    def __init__(self, executable, faults=(), prefix="mailspec-test-", config=None, args=(), env=None,
                 stderr_file=None):
        """`config`: a config file (instead of --ephemeral); `args`: more options; `env`: the
        environment (default: inherited); `stderr_file`: a path that receives the server's stderr
        (default: a pipe, read only when the server fails to start)."""
        self.executable = executable
        self.faults = list(faults)
        self.config = config
        self.args = list(args)
        self.env = env
        self.stderr_file = stderr_file
        self.process = None
        self.ports = {}
        self.workdir = tempfile.mkdtemp(prefix=prefix)
        self.target_file = os.path.join(self.workdir, "target.xml")

    def _read_ready_line(self):
        deadline = time.monotonic() + READY_TIMEOUT
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServerError("mailspec-server printed no ready line within %.0f s" % READY_TIMEOUT)
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.process.stdout.fileno(), 1)
            if not chunk:
                code = self.process.wait(timeout=STOP_TIMEOUT)
                err = self.stderr_text()
                raise ServerError("mailspec-server exited before ready (code %s): %s" % (code, err))
            line += chunk
        return line

    def stderr_text(self):
        """What the server wrote to stderr so far (all of it once it has exited)."""
        if self.stderr_file:
            with open(self.stderr_file, "rb") as f:
                return f.read().decode(errors="replace")
        return self.process.stderr.read().decode(errors="replace")

    def __enter__(self):
        source = ["--config", self.config] if self.config else ["--ephemeral"]
        command = [self.executable] + source + ["--write-target", self.target_file] + self.args
        for fault in self.faults:
            command += ["--fault", fault]
        stderr = open(self.stderr_file, "wb") if self.stderr_file else subprocess.PIPE
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=self.env)
        if self.stderr_file:
            stderr.close()
        try:
            self.ports = parse_ready_line(self._read_ready_line())
            if not os.path.exists(self.target_file):
                raise ServerError("--write-target did not write " + self.target_file)
        except BaseException:
            self.__exit__()
            raise
        return self

    def stop(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT. Returns the exit code (negative: signal),
        or None if the server was never started."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode if self.process else None

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return False


class Checker:
    """Collects check results; done() gives exit code 0 when all passed, 1 otherwise."""

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
    """Runs main(executable) -> exit code; harness errors exit 2."""
    if len(sys.argv) != 2:
        print("usage: %s PATH/TO/mailspec-server" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except ServerError as error:
        print("ERROR " + str(error), file=sys.stderr)
        sys.exit(2)
