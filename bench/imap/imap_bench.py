#!/usr/bin/env python3
"""IMAP benchmark (issue 4, "Performance"): mailspec-server and Dovecot under the same client.

Usage:
  imap_bench.py --server PATH [--smoke] [--sessions N] [--messages N] [--runs N]
                [--no-dovecot] [--interop-run DIR] [--dovecot-sessions N]

  (a) idle: SESSIONS concurrent sessions, each over implicit TLS (RFC 8314), LOGIN, SELECT INBOX,
      IDLE (RFC 2177) and waiting for "+"; the server's VmRSS (/proc/PID/status) before and after,
      and after they closed. mailspec-server is then measured again, fresh, with the same sessions
      over plain TCP (LOGIN allowed by its configuration), to show what TLS costs per session.
      Dovecot runs one process per session (imap, plus an imap-login process that stays as the TLS
      proxy) and allows 10 sessions per user and address by default (mail_max_userip_connections),
      so it is measured with DOVECOT_SESSIONS (default 10) sessions: summed RSS and PSS of all of
      its processes before and after, per session.
  (b) mailbox: APPEND MESSAGES messages (LITERAL+, RFC 7888, pipelined in batches) to a new
      mailbox "bench", SELECT it, then RUNS times `FETCH 1:* (FLAGS ENVELOPE)` and
      `SEARCH TEXT "zebrafish"` (one message in 100 holds the word, only in its body); median
      wall time per server. The client's own CPU time is printed next to each figure, so one can
      see that the client is not the bottleneck.

mailspec-server is started here with a generated configuration (store on disk in a temporary
directory, max-connections raised above SESSIONS). Dovecot runs inside ci/interop/with-servers.sh
(root only); --no-dovecot measures mailspec-server alone. --smoke: 20 sessions, 200 messages,
1 run (for ctest: figures must be positive; no speed is asserted).
Exit: 0 done, 1 a check failed, 2 usage, 77 Dovecot cannot run here. Connects only to 127.0.0.1;
every socket wait has a timeout."""
import argparse
import os
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
DOVECOT_IMAPS_PORT = 20993  # ci/interop/common.sh
WORD = b"zebrafish"
WORD_EVERY = 100
TIMEOUT = 60.0  # seconds for any one read; a command that stalls longer fails the run
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class BenchError(Exception):
    pass


def loadavg():
    return " ".join("%.2f" % x for x in os.getloadavg())


def median(values):
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # loopback only; both servers use throw-away certificates
    return context


class Client:
    """A minimal IMAP client over raw sockets (RFC 3501 §2.2): commands go out as written;
    responses are read until the tagged completion. Literals in responses are not parsed (the
    benchmark's messages hold no CRLF followed by a tag), which keeps the client cheap."""

    def __init__(self, port, context):
        """context None: plain TCP (only where the server allows LOGIN without TLS)."""
        raw = socket.create_connection((HOST, port), timeout=TIMEOUT)
        self.sock = context.wrap_socket(raw) if context else raw
        self.sock.settimeout(TIMEOUT)
        self.buffer = bytearray()
        self.counter = 0
        self.read_line()  # greeting

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self):
        chunk = self.sock.recv(1 << 18)
        if not chunk:
            raise BenchError("server closed the connection; last bytes: %r" % bytes(self.buffer[-200:]))
        self.buffer += chunk

    def read_line(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 2]
                return line
            self._fill()

    def next_tag(self):
        self.counter += 1
        return b"b%d" % self.counter

    def read_tagged(self, tag):
        """Reads until the line "TAG status ..."; returns (untagged bytes, status line)."""
        marker = b"\r\n" + tag + b" "
        searched = 0
        while True:
            if self.buffer.startswith(tag + b" "):
                start = 0
            else:
                found = self.buffer.find(marker, max(0, searched - len(marker)))
                start = found + 2 if found >= 0 else -1
            if start >= 0:
                end = self.buffer.find(b"\r\n", start)
                if end >= 0:
                    body = bytes(self.buffer[:start])
                    status = bytes(self.buffer[start:end])
                    del self.buffer[:end + 2]
                    return body, status
            searched = len(self.buffer)
            self._fill()

    def command(self, text, expect_ok=True):
        tag = self.next_tag()
        self.sock.sendall(tag + b" " + text + b"\r\n")
        body, status = self.read_tagged(tag)
        if expect_ok and not status.startswith(tag + b" OK"):
            raise BenchError("%s -> %s" % (text[:60].decode(errors="replace"), status.decode(errors="replace")))
        return body, status

    def login(self, user, password):
        self.command(b"LOGIN " + user + b" " + password)


def message(i):
    """A plausible message of about 2 KB; one in WORD_EVERY holds WORD in its body."""
    body = []
    for line in range(24 + i % 16):
        body.append(b"Line %d of message %d: the quick brown fox jumps over the lazy dog %d." % (line, i, i * line))
    if i % WORD_EVERY == 0:
        body.insert(len(body) // 2, b"This one mentions a " + WORD + b" in passing.")
    headers = [
        b"From: Sender %d <sender%d@bench.example.test>" % (i % 97, i % 97),
        b"To: Alice <alice@example.test>",
        b"Cc: bob@example.test",
        b"Subject: benchmark message %d about topic %d" % (i, i % 13),
        b"Date: Tue, 1 Jul 2025 10:%02d:%02d +0200" % ((i // 60) % 60, i % 60),
        b"Message-ID: <%d.bench@bench.example.test>" % i,
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=us-ascii",
    ]
    return b"\r\n".join(headers) + b"\r\n\r\n" + b"\r\n".join(body) + b"\r\n"


def expected_hits(count):
    return len([i for i in range(1, count + 1) if i % WORD_EVERY == 0])


# ----------------------------------------------------------------------------------------------
# Process accounting (Linux /proc)

def proc_status_kib(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_pss_kib(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def descendants(pid):
    """pid and every process below it (Dovecot's master forks every service)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    result, todo = [], [pid]
    while todo:
        p = todo.pop()
        result.append(p)
        todo.extend(children.get(p, []))
    return result


class Server:
    """What is measured: a name, an imaps port and the processes that make up the server."""

    def __init__(self, name, port, pids, plain_port=None):
        self.name = name
        self.port = port  # implicit TLS
        self.plain_port = plain_port  # plain IMAP with LOGIN allowed, when the server has one
        self.pids = pids  # callable returning the current process ids

    def rss_kib(self):
        return sum(proc_status_kib(p, "VmRSS") for p in self.pids())

    def pss_kib(self):
        return sum(proc_pss_kib(p) for p in self.pids())

    def cpu_seconds(self):
        return sum(proc_cpu_seconds(p) for p in self.pids())


class MailspecServer:
    """mailspec-server with a generated configuration; its store lives in a temporary directory on
    disk (not tmpfs) and is removed afterwards."""

    def __init__(self, binary, max_connections):
        self.dir = tempfile.mkdtemp(prefix="mailspec-bench-imap.")
        config = os.path.join(self.dir, "server.xml")
        with open(config, "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<server hostname="bench.example.test">\n'
                    '  <store path="store"/>\n'
                    '  <domain name="example.test"/>\n'
                    '  <user login="alice" password="secret1" address="alice@example.test"/>\n'
                    '  <endpoint name="imaps" role="imaps" port="0"/>\n'
                    '  <endpoint name="imap" role="imap" port="0" starttls="false"/>\n'
                    '  <limits max-connections="%d"/>\n'
                    '  <options allow-plaintext-auth="true"/>\n'
                    '</server>\n' % max_connections)
        self.process = subprocess.Popen([binary, "--config", config], stdout=subprocess.PIPE,
                                        stderr=open(os.path.join(self.dir, "server.log"), "w"))
        line = self._ready_line()
        ports = dict(pair.split("=") for pair in line.split()[2:])
        pid = self.process.pid
        self.server = Server("mailspec-server", int(ports["imaps"]), lambda: [pid], int(ports["imap"]))

    def _ready_line(self):
        import selectors
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=10):
            raise BenchError("mailspec-server printed no ready line within 10 s")
        line = self.process.stdout.readline().decode(errors="replace")
        if not line.startswith("mailspec-server ready"):
            raise BenchError("unexpected first line from mailspec-server: %r" % line)
        return line

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def dovecot_server(run_dir):
    with open(os.path.join(run_dir, "dovecot", "run", "master.pid")) as f:
        master = int(f.read().strip())
    return Server("dovecot", DOVECOT_IMAPS_PORT, lambda: descendants(master))


# ----------------------------------------------------------------------------------------------
# (a) idle sessions

def idle_sessions(server, count, context):
    """count sessions over implicit TLS, or over plain TCP when context is None."""
    port = server.port if context else server.plain_port
    time.sleep(0.3)
    before_rss, before_pss = server.rss_kib(), server.pss_kib()
    before_procs = len(server.pids())
    clients = []
    started = time.monotonic()
    try:
        for _ in range(count):
            c = Client(port, context)
            clients.append(c)
            c.login(b"alice", b"secret1")
            c.command(b"SELECT INBOX")
            tag = c.next_tag()
            c.sock.sendall(tag + b" IDLE\r\n")
            line = c.read_line()
            if not line.startswith(b"+"):
                raise BenchError("IDLE answered %r" % line)
            c.idle_tag = tag
        opened = time.monotonic() - started
        time.sleep(0.5)
        after_rss, after_pss = server.rss_kib(), server.pss_kib()
        after_procs = len(server.pids())
        # Leave IDLE and log out, so the sessions were real to the end.
        for c in clients:
            c.sock.sendall(b"DONE\r\n")
            c.read_tagged(c.idle_tag)
            c.command(b"LOGOUT")
    finally:
        for c in clients:
            c.close()
    time.sleep(1.0)
    closed_rss = server.rss_kib()
    print("idle server=%s tls=%s sessions=%d rss_before=%.1fMiB rss_after=%.1fMiB rss_per_session=%.1fKiB "
          "pss_before=%.1fMiB pss_after=%.1fMiB processes=%d->%d rss_after_close=%.1fMiB open_time=%.2fs "
          "load=%s" %
          (server.name, "yes" if context else "no", count, before_rss / 1024, after_rss / 1024,
           (after_rss - before_rss) / count, before_pss / 1024, after_pss / 1024,
           before_procs, after_procs, closed_rss / 1024, opened, loadavg()), flush=True)
    if after_rss <= 0:
        raise BenchError("no RSS figure for %s" % server.name)
    return after_rss


# ----------------------------------------------------------------------------------------------
# (b) a large mailbox

def fill_mailbox(server, count, context, batch=100):
    c = Client(server.port, context)
    try:
        c.login(b"alice", b"secret1")
        c.command(b"CREATE bench", expect_ok=False)  # NO when it exists already: fine
        started = time.monotonic()
        cpu = time.process_time()
        i = 1
        while i <= count:
            tags = []
            out = bytearray()
            for j in range(i, min(count, i + batch - 1) + 1):
                data = message(j)
                tag = c.next_tag()
                tags.append(tag)
                out += tag + b" APPEND bench (\\Seen) {%d+}\r\n" % len(data) + data + b"\r\n"
            c.sock.sendall(out)
            for tag in tags:
                _, status = c.read_tagged(tag)
                if not status.startswith(tag + b" OK"):
                    raise BenchError("APPEND -> %s" % status.decode(errors="replace"))
            i += len(tags)
        elapsed = time.monotonic() - started
        print("append server=%s messages=%d seconds=%.2f rate=%.0f/s client_cpu=%.2fs load=%s" %
              (server.name, count, elapsed, count / elapsed, time.process_time() - cpu, loadavg()),
              flush=True)
    finally:
        c.close()


def timed(server, client, command, check):
    cpu, server_cpu = time.process_time(), server.cpu_seconds()
    started = time.monotonic()
    body, _ = client.command(command)
    elapsed = time.monotonic() - started
    check(body)
    return elapsed, time.process_time() - cpu, server.cpu_seconds() - server_cpu, len(body)


def mailbox_queries(servers, count, runs, context):
    clients = {}
    for s in servers:
        c = Client(s.port, context)
        c.login(b"alice", b"secret1")
        body, _ = c.command(b"SELECT bench")
        if b"* %d EXISTS" % count not in body:
            raise BenchError("%s: SELECT bench did not report %d EXISTS" % (s.name, count))
        clients[s.name] = c

    def fetch_check(body):
        n = body.count(b" FETCH (")
        if n != count:
            raise BenchError("FETCH returned %d responses, expected %d" % (n, count))

    hits = expected_hits(count)

    def search_check(body):
        line = body[body.find(b"* SEARCH"):].split(b"\r\n", 1)[0]
        n = len(line.split()) - 2
        if n != hits:
            raise BenchError("SEARCH TEXT found %d messages, expected %d: %r" % (n, hits, line[:80]))

    figures = {}
    queries = [("fetch", b"FETCH 1:* (FLAGS ENVELOPE)", fetch_check),
               ("search", b'SEARCH TEXT "' + WORD + b'"', search_check)]
    try:
        for run in range(1, runs + 1):
            for name, command, check in queries:
                for s in servers:
                    wall, client_cpu, server_cpu, size = timed(s, clients[s.name], command, check)
                    figures.setdefault((name, s.name), []).append(wall)
                    print("%s run=%d server=%s messages=%d seconds=%.3f client_cpu=%.3fs "
                          "server_cpu=%.3fs response_bytes=%d load=%s" %
                          (name, run, s.name, count, wall, client_cpu, server_cpu, size, loadavg()),
                          flush=True)
    finally:
        for c in clients.values():
            try:
                c.command(b"LOGOUT", expect_ok=False)
            except (BenchError, OSError):
                pass
            c.close()
    for (name, server), values in sorted(figures.items()):
        print("summary %s server=%s median=%.3fs runs=%s" %
              (name, server, median(values), ",".join("%.3f" % v for v in values)), flush=True)
        if median(values) <= 0:
            raise BenchError("no positive figure for %s on %s" % (name, server))


# ----------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.environ.get("MAILSPEC_SERVER",
                                                           os.path.join(ROOT, "build/bin/mailspec-server")))
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--dovecot-sessions", type=int, default=10)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-dovecot", action="store_true")
    parser.add_argument("--interop-run", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "mailspec-bench-interop"))
    parser.add_argument("--inside-interop", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.sessions, args.dovecot_sessions, args.messages, args.runs = 20, 5, 200, 1
    for name in ("sessions", "dovecot_sessions", "messages", "runs"):
        if not 1 <= getattr(args, name) <= 100000:
            parser.error("--%s must be 1..100000" % name.replace("_", "-"))
    if not os.access(args.server, os.X_OK):
        parser.error("mailspec-server not found at %s (use --server PATH)" % args.server)
    args.server = os.path.abspath(args.server)

    if not args.no_dovecot and not args.inside_interop:
        # Start Dovecot + Postfix around a second invocation of this script.
        wrapper = os.path.join(ROOT, "ci", "interop", "with-servers.sh")
        argv = [wrapper, args.interop_run, "--", sys.executable, os.path.abspath(__file__)]
        argv += sys.argv[1:] + ["--inside-interop"]
        os.execv(wrapper, argv)

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and args.sessions + 64 > hard:
        sys.exit("imap_bench: file descriptor limit %d is too low for %d sessions" % (hard, args.sessions))
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it

    context = tls_context()
    print("# imap_bench: sessions=%d dovecot_sessions=%d messages=%d runs=%d cores=%d load=%s" %
          (args.sessions, args.dovecot_sessions, args.messages, args.runs, os.cpu_count(), loadavg()),
          flush=True)
    mailspec = None
    try:
        dovecot = None if args.no_dovecot else dovecot_server(args.interop_run)
        mailspec = MailspecServer(args.server, args.sessions + 100)
        idle_sessions(mailspec.server, args.sessions, context)
        # The same over plain TCP, in a fresh server, to show what TLS costs per session.
        mailspec.stop()
        mailspec = MailspecServer(args.server, args.sessions + 100)
        idle_sessions(mailspec.server, args.sessions, None)
        if dovecot:
            idle_sessions(dovecot, args.dovecot_sessions, context)
        servers = [mailspec.server] + ([dovecot] if dovecot else [])
        for s in servers:
            fill_mailbox(s, args.messages, context)
        mailbox_queries(servers, args.messages, args.runs, context)
    except (BenchError, OSError) as error:
        print("imap_bench: %s" % error, file=sys.stderr)
        return 1
    finally:
        if mailspec:
            mailspec.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
