#!/usr/bin/env python3
"""mailspec-server as a process: the ready line, --write-target, signals, start-up errors, and
one message delivered over SMTP and read back over POP3 (STLS) and IMAP (implicit TLS).

Usage: server_cli_test.py PATH/TO/mailspec-server
Every wait is bounded; servers started here are always stopped."""
import imaplib
import os
import poplib
import re
import select
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

SERVER = None
READY = re.compile(r"^mailspec-server ready smtp=(\d+) submission=(\d+) submissions=(\d+) "
                   r"pop3=(\d+) pop3s=(\d+) imap=(\d+) imaps=(\d+)$")


def insecure_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Server:
    """Runs mailspec-server with a private TMPDIR; stops it on exit."""

    def __init__(self, *args):
        self.tmp = tempfile.TemporaryDirectory(prefix="mailspec-cli-test-")
        env = dict(os.environ, TMPDIR=self.tmp.name)
        self.process = subprocess.Popen([SERVER, *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env)
        self.ready = None
        self.ports = {}

    def wait_ready(self, timeout=10):
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        buffered = ""
        while time.monotonic() < deadline:
            readable, _, _ = select.select([fd], [], [], 0.05)
            chunk = os.read(fd, 4096).decode() if readable else ""
            if chunk:
                buffered += chunk
                if "\n" in buffered:
                    self.ready = buffered.split("\n", 1)[0]
                    for pair in self.ready.split()[2:]:
                        name, port = pair.split("=")
                        self.ports[name] = int(port)
                    return self.ready
            if self.process.poll() is not None:
                raise AssertionError("server exited with %s: %s" %
                                     (self.process.returncode, self.process.stderr.read().decode()))
        raise AssertionError("no ready line within %ss" % timeout)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("server did not stop within %ss of signal %s" % (timeout, sig))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        self.tmp.cleanup()


def run_to_exit(*args, timeout=20):
    result = subprocess.run([SERVER, *args], capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


class ReadyLineAndTarget(unittest.TestCase):
    def test_ephemeral_ready_line_target_profile_and_clean_stop(self):
        with tempfile.TemporaryDirectory() as out:
            target = os.path.join(out, "target.xml")
            with Server("--ephemeral", "--write-target", target) as server:
                line = server.wait_ready()
                self.assertRegex(line, READY)
                # Written before the ready line.
                self.assertTrue(os.path.exists(target))
                root = ET.parse(target).getroot()
                self.assertEqual(root.tag, "target")
                self.assertEqual(root.get("host"), "127.0.0.1")
                endpoints = {e.get("name"): e for e in root.findall("endpoint")}
                self.assertEqual(list(endpoints), ["smtp", "submission", "submissions", "pop3",
                                                   "pop3s", "imap", "imaps"])
                for name, element in endpoints.items():
                    self.assertEqual(int(element.get("port")), server.ports[name])
                    implicit = name in ("submissions", "pop3s", "imaps")
                    self.assertEqual(element.get("tls"), "implicit" if implicit else "plain")
                    protocol = {"smtp": "smtp", "submission": "smtp", "submissions": "smtp",
                                "pop3": "pop3", "pop3s": "pop3", "imap": "imap", "imaps": "imap"}
                    self.assertEqual(element.get("protocol"), protocol[name])
                users = root.findall("user")
                self.assertEqual([(u.get("id"), u.get("login"), u.get("password"), u.get("address"))
                                  for u in users],
                                 [("user", "alice", "secret1", "alice@example.test"),
                                  ("user2", "bob", "secret2", "bob@example.test")])
                self.assertEqual(root.find("var").get("value"), "example.test")
                self.assertEqual(root.find("tls").get("verify"), "false")
                # Every port answers with its protocol's greeting.
                with socket.create_connection(("127.0.0.1", server.ports["smtp"]), timeout=10) as s:
                    self.assertTrue(s.recv(512).startswith(b"220 "))
                with socket.create_connection(("127.0.0.1", server.ports["pop3"]), timeout=10) as s:
                    self.assertTrue(s.recv(512).startswith(b"+OK"))
                raw = socket.create_connection(("127.0.0.1", server.ports["imaps"]), timeout=10)
                with insecure_context().wrap_socket(raw) as s:
                    self.assertTrue(s.recv(512).startswith(b"* OK"))
                store_dirs = os.listdir(server.tmp.name)
                self.assertEqual(len(store_dirs), 1, store_dirs)
                self.assertEqual(server.stop(signal.SIGTERM), 0)
                self.assertEqual(os.listdir(server.tmp.name), [], "temporary store not removed")

    def test_sigint_stops_cleanly_with_open_connections(self):
        with Server("--ephemeral") as server:
            server.wait_ready()
            idle = socket.create_connection(("127.0.0.1", server.ports["imap"]), timeout=10)
            idle.recv(512)
            started = time.monotonic()
            self.assertEqual(server.stop(signal.SIGINT), 0)
            self.assertLess(time.monotonic() - started, 5)
            idle.close()

    def test_config_file_endpoints_and_faults(self):
        with tempfile.TemporaryDirectory() as out:
            config = os.path.join(out, "server.xml")
            with open(config, "w") as f:
                f.write("""<server hostname="mx.example.test">
  <store path="store"/>
  <domain name="example.test"/>
  <user login="carol" password="pw" address="carol@example.test"/>
  <endpoint name="mx" role="smtp" port="0"/>
  <endpoint name="mail" role="pop3s" port="0"/>
  <fault name="smtp.wrong-code" arg="QUIT:250"/>
</server>
""")
            with Server("--config", config, "--fault", "net.bare-lf") as server:
                line = server.wait_ready()
                self.assertRegex(line, r"^mailspec-server ready mx=\d+ mail=\d+$")
                self.assertTrue(os.path.isdir(os.path.join(out, "store", "carol", "Maildir", "cur")))
                with socket.create_connection(("127.0.0.1", server.ports["mx"]), timeout=10) as s:
                    greeting = s.recv(512)
                    self.assertTrue(greeting.startswith(b"220 "))
                    self.assertTrue(greeting.endswith(b"\n") and not greeting.endswith(b"\r\n"),
                                    greeting)  # net.bare-lf
                self.assertEqual(server.stop(), 0)
                self.assertIn("faults enabled: net.bare-lf smtp.wrong-code=QUIT:250",
                              server.process.stderr.read().decode())


class StartupErrors(unittest.TestCase):
    def test_unknown_fault_lists_known_ones(self):
        code, _, err = run_to_exit("--ephemeral", "--fault", "smtp.bogus")
        self.assertEqual(code, 2)
        self.assertIn("--fault: unknown fault 'smtp.bogus'", err)
        self.assertIn("smtp.wrong-code=CMD:CODE", err)

    def test_bad_fault_argument(self):
        code, _, err = run_to_exit("--ephemeral", "--fault", "smtp.disconnect-at=soon")
        self.assertEqual(code, 2)
        self.assertIn("non-negative integer", err)

    def test_bad_config_names_file_and_line(self):
        with tempfile.TemporaryDirectory() as out:
            config = os.path.join(out, "bad.xml")
            with open(config, "w") as f:
                f.write("<server>\n  <store path='s'/>\n  <endpoint name='x' role='smtp' port='99999'/>\n</server>\n")
            code, _, err = run_to_exit("--config", config)
            self.assertEqual(code, 2)
            self.assertIn(config + ":3: endpoint 'x': port must be 0..65535", err)

    def test_no_mode_is_a_usage_error(self):
        code, _, err = run_to_exit()
        self.assertEqual(code, 2)
        self.assertIn("--config FILE or --ephemeral", err)

    def test_port_in_use_is_a_startup_error(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with tempfile.TemporaryDirectory() as out:
                config = os.path.join(out, "busy.xml")
                with open(config, "w") as f:
                    f.write("<server><store path='s'/><endpoint name='busy' role='imap' port='%d'/></server>" % port)
                code, _, err = run_to_exit("--config", config)
                self.assertEqual(code, 1)
                self.assertIn("endpoint 'busy' (127.0.0.1:%d): cannot listen" % port, err)

    def test_list_faults(self):
        code, out, _ = run_to_exit("--list-faults")
        self.assertEqual(code, 0)
        self.assertIn("pop3.dele-immediate", out)
        self.assertIn("violates RFC 1939", out)


class EndToEnd(unittest.TestCase):
    def test_smtp_in_pop3_and_imap_out_same_bytes(self):
        body = "Subject: mailspec end to end\r\n\r\nline one\r\n.leading dot\r\n"
        with Server("--ephemeral") as server:
            server.wait_ready()
            with smtplib.SMTP("127.0.0.1", server.ports["smtp"], timeout=10) as smtp:
                smtp.sendmail("alice@example.test", ["bob@example.test"], body)
            pop = poplib.POP3("127.0.0.1", server.ports["pop3"], timeout=10)
            pop.stls(context=insecure_context())
            pop.user("bob")
            pop.pass_("secret2")
            count, _ = pop.stat()
            self.assertEqual(count, 1)
            _, lines, _ = pop.retr(1)
            retrieved = b"\r\n".join(lines).decode()
            pop.quit()
            # poplib strips the final CRLF and undoes dot-stuffing.
            self.assertIn("line one\r\n.leading dot", retrieved)
            self.assertIn("Subject: mailspec end to end", retrieved)
            imap = imaplib.IMAP4_SSL("127.0.0.1", server.ports["imaps"],
                                     ssl_context=insecure_context(), timeout=10)
            imap.login("bob", "secret2")
            typ, data = imap.select("INBOX")
            self.assertEqual(typ, "OK")
            self.assertEqual(data[0], b"1")
            typ, data = imap.fetch("1", "(BODY.PEEK[TEXT])")
            self.assertEqual(typ, "OK")
            self.assertEqual(data[0][1], b"line one\r\n.leading dot\r\n")
            imap.logout()
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    SERVER = sys.argv.pop(1)
    unittest.main(verbosity=2)
