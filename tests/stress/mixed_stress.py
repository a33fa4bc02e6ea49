"""Mixed-protocol stress test of mailspec-server: IMAP sessions on one shared mailbox, SMTP
deliveries into it and into POP3 maildrops, POP3 sessions on their own users, all at once, for a
bounded time. Passes when the server stayed up, answered every command well-formed, broke no
protocol rule the clients check (see imap_client.py, stress_workers.py), every message read back
was intact, the server stopped cleanly on SIGTERM, and (for sanitizer builds) its stderr holds no
sanitizer report.

    mixed_stress.py SERVER [--seconds S] [--imap N] [--smtp N] [--pop3 N] [--threads N]
                           [--seed X] [--json FILE]

The accounts and the domain are made up here, with passwords that need quoting (space, double
quote, backslash, percent). Exit codes: 0 pass, 1 a check failed, 2 the harness could not run.
"""
import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from xml.sax.saxutils import quoteattr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "support"))
from mailspec_process import HOST, MailspecServer, ServerError  # noqa: E402
from stress_workers import Account, Tally, alive, imap_worker, pop3_worker, smtp_worker  # noqa: E402

DOMAIN = "stress.mailspec.test"
SANITIZER_MARKERS = ("WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "runtime error:", "ERROR: ThreadSanitizer")
JOIN_GRACE = 60.0  # seconds a worker may run past the deadline (one command's timeouts) before FAIL


def accounts(pop3_users):
    shared = Account("shared.box", 'an "odd" pass\\word 100%', "shared@" + DOMAIN)
    pops = [Account("drop%d" % i, "drop %d \"pw\" \\%%" % i, "drop%d@%s" % (i, DOMAIN)) for i in range(pop3_users)]
    return shared, pops


def write_config(workdir, users):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<server hostname="mx.%s">' % DOMAIN,
             '  <store path=%s/>' % quoteattr(os.path.join(workdir, "store")),
             '  <domain name="%s"/>' % DOMAIN]
    for user in users:
        lines.append('  <user login=%s password=%s address=%s/>'
                     % (quoteattr(user.login), quoteattr(user.password), quoteattr(user.address)))
    for name in ("smtp", "pop3", "imap"):
        lines.append('  <endpoint name="%s" role="%s" port="0" starttls="false"/>' % (name, name))
    lines += ['  <options allow-plaintext-auth="true"/>', "</server>"]
    path = os.path.join(workdir, "stress-server.xml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def start_workers(args, ports, shared, pops, deadline, tally):
    threads = []

    def spawn(target, *targs):
        thread = threading.Thread(target=target, args=targs, daemon=True)
        thread.start()
        threads.append(thread)

    for i in range(args.imap):
        spawn(imap_worker, "imap-%d" % i, HOST, ports["imap"], shared, "INBOX", DOMAIN, deadline, args.seed, tally)
    recipients = [shared.address] + [p.address for p in pops]
    for i in range(args.smtp):
        spawn(smtp_worker, "smtp-%d" % i, HOST, ports["smtp"], recipients, DOMAIN, deadline, args.seed, tally)
    for i in range(args.pop3):
        spawn(pop3_worker, "pop3-%d" % i, HOST, ports["pop3"], pops[i % len(pops)], deadline, args.seed, tally)
    return threads


def report(args, tally, elapsed, problems, exit_code):
    total = sum(tally.commands.values())
    figures = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": "%s, %d cores" % (platform.machine(), os.cpu_count() or 0),
        "load_average": os.getloadavg(),
        "seconds": round(elapsed, 1),
        "clients": {"imap": args.imap, "smtp": args.smtp, "pop3": args.pop3},
        "commands": tally.commands,
        "sessions": tally.sessions,
        "commands_per_second": round(total / elapsed, 1) if elapsed else 0,
        "messages_sent": tally.messages_sent,
        "messages_verified": tally.messages_verified,
        "no_replies": tally.no_replies,
        "errors": len(tally.errors),
        "violations": len(tally.violations),
        "server_exit": exit_code,
        "problems": problems,
    }
    print("stress: %.1f s, clients imap=%d smtp=%d pop3=%d" % (elapsed, args.imap, args.smtp, args.pop3))
    print("stress: commands imap=%(imap)d smtp=%(smtp)d pop3=%(pop3)d" % tally.commands
          + " (%.0f commands/s)" % figures["commands_per_second"])
    print("stress: sessions imap=%(imap)d smtp=%(smtp)d pop3=%(pop3)d" % tally.sessions
          + ", messages sent %d, read back intact %d, NO/[IN-USE] replies %d"
          % (tally.messages_sent, tally.messages_verified, tally.no_replies))
    print("stress: errors %d, protocol violations %d, server exit %s"
          % (len(tally.errors), len(tally.violations), exit_code))
    for client, text in (tally.violations + tally.errors)[:20]:
        print("  %s: %s" % (client, text))
    for problem in problems:
        print("FAIL " + problem)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("server")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--imap", type=int, default=10)
    parser.add_argument("--smtp", type=int, default=3)
    parser.add_argument("--pop3", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="mailspec-server --threads (0: its default)")
    parser.add_argument("--seed", default="mailspec-stress")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--server-log", help="copy the server's stderr here")
    parser.add_argument("--fault", action="append", default=[], help="mailspec-server --fault (repeatable)")
    parser.add_argument("--expect-violation", action="store_true",
                        help="pass only if the clients detect a broken protocol rule (for a --fault run)")
    args = parser.parse_args()
    if args.seconds <= 0 or min(args.imap, args.smtp, args.pop3) < 0:
        parser.error("--seconds must be positive and client counts non-negative")

    shared, pops = accounts(max(1, (args.pop3 + 1) // 2))
    workdir = tempfile.mkdtemp(prefix="mailspec-stress-")
    config = write_config(workdir, [shared] + pops)
    stderr_path = os.path.join(workdir, "server.stderr")
    server_args = ["--threads", str(args.threads)] if args.threads else []
    tally = Tally()
    problems = []
    try:
        server = MailspecServer(args.server, faults=args.fault, config=config, args=server_args,
                                stderr_file=stderr_path)
        with server:
            start = time.monotonic()
            deadline = start + args.seconds
            threads = start_workers(args, server.ports, shared, pops, deadline, tally)
            for thread in threads:
                thread.join(max(0.0, deadline + JOIN_GRACE - time.monotonic()))
            elapsed = time.monotonic() - start
            if any(thread.is_alive() for thread in threads):
                problems.append("a client was still running %.0f s after the deadline" % JOIN_GRACE)
            if server.process.poll() is not None:
                problems.append("the server died during the run (exit code %s)" % server.process.returncode)
            else:
                down = alive(HOST, server.ports)
                if down:
                    problems.append("after the run the server does not greet: " + down)
            exit_code = server.stop()
            if exit_code != 0:
                problems.append("the server did not stop cleanly on SIGTERM (exit code %s)" % exit_code)
            log = server.stderr_text()
            if args.server_log:
                shutil.copyfile(stderr_path, args.server_log)
    except ServerError as error:
        print("ERROR " + str(error), file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for marker in SANITIZER_MARKERS:
        if marker in log:
            problems.append("the server's stderr holds a sanitizer report (%s)" % marker)
            print(log[:60000])
            break
    if tally.errors:
        problems.append("%d commands or sessions failed" % len(tally.errors))
    if tally.violations:
        problems.append("%d protocol rules were broken" % len(tally.violations))
    if sum(tally.sessions.values()) == 0:
        problems.append("no session completed")
    report(args, tally, elapsed, problems, exit_code)
    if args.expect_violation:
        # The fault run: the clients must notice the fault, and nothing else may go wrong.
        detected = bool(tally.violations)
        others = [p for p in problems if "protocol rules were broken" not in p
                  and "commands or sessions failed" not in p]
        print("stress: fault %s" % ("detected" if detected else "NOT detected"))
        return 0 if detected and not others else 1
    print("stress: %s" % ("all checks passed" if not problems else "%d FAILED" % len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
