"""The smoke checks both interop stacks share, with real clients (imported by ci/interop/smoke.py and
ci/interop/cyrus-exim/smoke.py; not run by itself).

A stack's smoke.py subclasses Smoke, gives it the two users (login, password, address) and says
what differs between its servers (class attributes of Smoke): its checks before TLS, whether the
relay port refuses unknown local users at RCPT, whether curl's imap:// SEARCH is checked, where to
look when delivery is late. Smoke.run() then runs, in this order, with Python's smtplib / poplib / imaplib, curl and
`openssl s_client -starttls`:
  * smtp (relay/MX role): STARTTLS offered, no AUTH before TLS, STARTTLS not offered again after
    it, no relaying for outside domains, mail for user 2 accepted from anyone (RFC 5321 §3.6.1,
    RFC 3207 §4);
  * submission: no AUTH and MAIL refused with 530 before TLS; under TLS a bad password refused
    with 535 and the right one accepted (RFC 6409 §4.3, RFC 3207 §4, RFC 4954 §4, §6);
  * submissions: implicit TLS, verified against the run's test CA like every TLS port (RFC 8314 §3);
  * the stack's checks of pop3 / imap before STLS / STARTTLS;
  * delivery over LMTP: what is sent is found over IMAP (polled, at most POLL_SECONDS), RETR over
    POP3 (STLS and implicit TLS) keeps a dot-stuffed line, and POP3 DELE removes it from IMAP;
  * curl (smtp:// with --ssl-reqd, pop3s://, imap:// SEARCH where the stack asks for it, pop3://
    with STLS) and openssl s_client -starttls on smtp, submission, pop3 and imap.
Every socket has a timeout, every tool a time limit, and no check starts after TOTAL_SECONDS.
Messages it sends are deleted again, so mailboxes end as they began.
"""

import base64
import email
import imaplib
import os
import poplib
import re
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET

NET_TIMEOUT = 10  # seconds for any single network operation
POLL_SECONDS = 30  # how long to wait for an asynchronous delivery
TOTAL_SECONDS = 200  # no check starts after this; stays under the ctests' TIMEOUT (300 s, 600 s)
ENV_KEYS = ("INTEROP_HOST", "INTEROP_CA_FILE", "INTEROP_SMTP_PORT", "INTEROP_SUBMISSION_PORT",
            "INTEROP_SUBMISSIONS_PORT", "INTEROP_POP3_PORT", "INTEROP_POP3S_PORT",
            "INTEROP_IMAP_PORT", "INTEROP_IMAPS_PORT")


def plain_response(user, password):
    """The AUTH PLAIN initial response (RFC 4616 §2): base64 of NUL user NUL password."""
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


class CheckFailed(Exception):
    """A server answered differently from what the check expects."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def load_env(run_dir, extra_keys=()):
    """Reads the KEY=VALUE lines of RUN_DIR/interop.env (written by the stack's start.sh) into a
    dict; ValueError when a line is not KEY=VALUE or a key of ENV_KEYS or EXTRA_KEYS is missing."""
    path = os.path.join(run_dir, "interop.env")
    env = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise ValueError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
            env[key] = value
    for key in ENV_KEYS + tuple(extra_keys):
        if key not in env:
            raise ValueError(f"{path}: {key} is missing")
    return env


def load_users(target):
    """(login, password, address) of the first two <user> elements of the target file."""
    users = [(u.get("login"), u.get("password"), u.get("address"))
             for u in ET.parse(target).getroot().findall("user")]
    if len(users) < 2:
        raise ValueError(f"{target}: needs two users")
    return users[0], users[1]


class Smoke:
    """The shared checks. A subclass sets the class attributes below and may add checks before TLS;
    u1 and u2 are (login, password, address); u1 submits to u2 and u2 to u1."""

    servers = "the servers"  # who runs, for the banner
    before_tls = ()  # names N of the stack's check_N methods on pop3 and imap before STLS/STARTTLS
    subject_prefix = "mailspec smoke"  # every message's Subject: PREFIX TOKEN LABEL
    delivery_hint = "the servers' logs"  # where to look when a delivery is late
    u1_name, u2_name = "user1", "user2"  # how the delivery checks' names call the users
    refuses_unknown_local_user = False  # relay role: RCPT to an unknown user of the domain gets 550
    curl_imap_search = True  # curl imap:// SEARCH finds curl's own message

    def __init__(self, env, u1, u2):
        self.host = env["INTEROP_HOST"]
        self.ca = env["INTEROP_CA_FILE"]
        self.log_dir = env.get("INTEROP_LOG_DIR", "")
        self.port = {k[len("INTEROP_"):-len("_PORT")].lower(): int(v)
                     for k, v in env.items() if k.endswith("_PORT")}
        self.tls = ssl.create_default_context(cafile=self.ca)  # verifies chain and 127.0.0.1
        self.u1, self.u2 = u1, u2
        self.domain = u1[2].rpartition("@")[2]
        self.token = uuid.uuid4().hex[:12]
        self.failures = []
        self.notes = []  # facts worth knowing that are not failures

    def banner(self):
        """The first line the smoke test prints."""
        return (f"smoke: {self.servers} on {self.host}, run {self.token}, users {self.u1[0]} "
                f"and {self.u2[0]}, logs in {self.log_dir}")

    # ----- helpers --------------------------------------------------------------------------------
    def subject(self, label):
        return f"{self.subject_prefix} {self.token} {label}"

    def message(self, sender, recipient, label):
        return (f"From: <{sender}>\r\nTo: <{recipient}>\r\nSubject: {self.subject(label)}\r\n"
                f"Message-ID: <{self.token}.{label}@client.example>\r\n\r\n"
                f"Body of {label}.\r\n.leading dot must survive dot-stuffing\r\n")

    def pop3_login_before_stls(self, login, password=None):
        """On the pop3 port before STLS: checks that CAPA offers STLS, then tries USER LOGIN (and
        PASS PASSWORD when given); True when the server accepted them, False when it refused."""
        pop = poplib.POP3(self.host, self.port["pop3"], timeout=NET_TIMEOUT)
        try:
            capa = pop.capa()
            expect("STLS" in capa, f"pop3 CAPA lacks STLS: {sorted(capa)}")
            try:
                pop.user(login)
                if password is not None:
                    pop.pass_(password)
                return True
            except poplib.error_proto:
                return False
        finally:
            pop.quit()

    def imap_capabilities_before_tls(self):
        """The imap port's capabilities before STARTTLS, which they must offer."""
        imap = imaplib.IMAP4(self.host, self.port["imap"], timeout=NET_TIMEOUT)
        try:
            expect("STARTTLS" in imap.capabilities, f"imap lacks STARTTLS: {imap.capabilities}")
            return imap.capabilities
        finally:
            imap.logout()

    def pop3_starttls(self, user):
        pop = poplib.POP3(self.host, self.port["pop3"], timeout=NET_TIMEOUT)
        pop.stls(context=self.tls)
        pop.user(user[0])
        pop.pass_(user[1])
        return pop

    def pop3s(self, user):
        pop = poplib.POP3_SSL(self.host, self.port["pop3s"], context=self.tls, timeout=NET_TIMEOUT)
        pop.user(user[0])
        pop.pass_(user[1])
        return pop

    def imaps(self, user):
        imap = imaplib.IMAP4_SSL(self.host, self.port["imaps"], ssl_context=self.tls,
                                 timeout=NET_TIMEOUT)
        imap.login(user[0], user[1])  # imaplib sends a quoted string (space, " and \ escaped)
        return imap

    def imap_starttls(self, user):
        imap = imaplib.IMAP4(self.host, self.port["imap"], timeout=NET_TIMEOUT)
        imap.starttls(ssl_context=self.tls)
        imap.login(user[0], user[1])
        return imap

    def imap_find(self, imap, label):
        """UIDs in INBOX whose Subject holds this run's LABEL subject."""
        imap.select("INBOX")
        typ, data = imap.uid("SEARCH", None, "HEADER", "Subject", f'"{self.subject(label)}"')
        expect(typ == "OK", f"UID SEARCH answered {typ} {data!r}")
        return data[0].split() if data and data[0] else []

    def poll_imap(self, user, labels, connect):
        """Waits (at most POLL_SECONDS) until every label is in USER's INBOX; returns their UIDs."""
        deadline = time.monotonic() + POLL_SECONDS
        while True:
            imap = connect(user)
            try:
                found = {label: self.imap_find(imap, label) for label in labels}
            finally:
                imap.logout()
            missing = [label for label, uids in found.items() if not uids]
            if not missing:
                return found
            if time.monotonic() > deadline:
                raise CheckFailed(f"{missing} not delivered to {user[2]} within {POLL_SECONDS} s "
                                  f"(see {self.delivery_hint})")
            time.sleep(0.5)

    def pop3_take(self, pop, labels):
        """RETRs every message of this run with one of LABELS, checks it, DELEs it; returns labels."""
        taken = []
        count, _ = pop.stat()
        for number in range(1, count + 1):
            _, lines, _ = pop.retr(number)
            msg = email.message_from_bytes(b"\r\n".join(lines))
            for label in labels:
                if msg.get("Subject", "") == self.subject(label):
                    expect(b".leading dot must survive dot-stuffing" in lines,
                           f"POP3 RETR of {label}: dot-stuffed line came back as {lines[-1]!r}")
                    pop.dele(number)
                    taken.append(label)
        return taken

    def pop3s_take(self, user, labels):
        """pop3_take over a POP3S session of USER, ended with QUIT so that the DELEs take effect."""
        pop = self.pop3s(user)
        try:
            return self.pop3_take(pop, labels)
        finally:
            pop.quit()  # UPDATE state (RFC 1939 §6)

    def run_tool(self, argv, stdin=b""):
        try:
            done = subprocess.run(argv, input=stdin, capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"{argv[0]} did not finish within 30 s: {' '.join(argv)}")
        return done.returncode, done.stdout.decode(errors="replace"), \
            done.stderr.decode(errors="replace")

    # ----- checks ---------------------------------------------------------------------------------
    def check_smtp_relay_role(self):
        with smtplib.SMTP(self.host, self.port["smtp"], timeout=NET_TIMEOUT) as smtp:
            smtp.ehlo("client.example")
            expect(smtp.has_extn("starttls"), "smtp port does not offer STARTTLS")
            expect(not smtp.has_extn("auth"), "smtp (relay role) offers AUTH before TLS")
            smtp.starttls(context=self.tls)
            smtp.ehlo("client.example")
            expect(not smtp.has_extn("starttls"), "STARTTLS advertised again after TLS (RFC 3207 §4.2)")
            code, text = smtp.mail("someone@client.example")
            expect(code == 250, f"MAIL FROM answered {code} {text!r}")
            code, text = smtp.rcpt("victim@elsewhere.invalid")
            expect(400 <= code < 600, f"open relay: RCPT to another domain answered {code} {text!r}")
            if self.refuses_unknown_local_user:
                code, text = smtp.rcpt(f"nobody-{self.token}@{self.domain}")
                expect(code == 550, f"RCPT to an unknown local user answered {code} {text!r}")
            code, text = smtp.rcpt(self.u2[2])
            expect(code == 250, f"RCPT to {self.u2[2]} answered {code} {text!r}")
            code, text = smtp.data(self.message("someone@client.example", self.u2[2], "mx"))
            expect(code == 250, f"DATA answered {code} {text!r}")

    def check_submission_starttls(self):
        with smtplib.SMTP(self.host, self.port["submission"], timeout=NET_TIMEOUT) as smtp:
            smtp.ehlo("client.example")
            expect(smtp.has_extn("starttls"), "submission does not offer STARTTLS")
            expect(not smtp.has_extn("auth"), "submission offers AUTH before TLS")
            code, text = smtp.mail(self.u1[2])
            expect(code == 530, f"MAIL FROM before STARTTLS answered {code} {text!r}, expected 530")
            smtp.starttls(context=self.tls)
            smtp.ehlo("client.example")
            expect(smtp.has_extn("auth"), "submission does not offer AUTH after STARTTLS")
            code, text = smtp.docmd("AUTH", "PLAIN " + plain_response(self.u1[0], "wrong"))
            expect(code == 535, f"AUTH PLAIN with a wrong password answered {code} {text!r}, "
                                "expected 535 (RFC 4954 §6)")
            smtp.login(self.u1[0], self.u1[1])
            refused = smtp.sendmail(self.u1[2], [self.u2[2]],
                                    self.message(self.u1[2], self.u2[2], "submission"))
            expect(not refused, f"recipients refused: {refused}")

    def check_submissions_implicit_tls(self):
        with smtplib.SMTP_SSL(self.host, self.port["submissions"], context=self.tls,
                              timeout=NET_TIMEOUT) as smtp:
            smtp.ehlo("client.example")
            expect(not smtp.has_extn("starttls"), "submissions offers STARTTLS inside TLS")
            smtp.login(self.u2[0], self.u2[1])
            refused = smtp.sendmail(self.u2[2], [self.u1[2]],
                                    self.message(self.u2[2], self.u1[2], "submissions"))
            expect(not refused, f"recipients refused: {refused}")

    def check_delivery_to_user2(self):
        self.poll_imap(self.u2, ["mx", "submission"], self.imaps)

    def check_pop3_stls_retr_dele(self):
        pop = self.pop3_starttls(self.u2)
        try:
            taken = self.pop3_take(pop, ["mx", "submission"])
        finally:
            pop.quit()  # UPDATE state: the DELEs take effect (RFC 1939 §6)
        expect(sorted(taken) == ["mx", "submission"], f"POP3 found only {taken} of mx, submission")
        imap = self.imaps(self.u2)
        try:
            left = [label for label in ("mx", "submission") if self.imap_find(imap, label)]
        finally:
            imap.logout()
        expect(not left, f"after POP3 DELE + QUIT, IMAP still shows {left}")

    def check_delivery_to_user1_imap_starttls(self):
        found = self.poll_imap(self.u1, ["submissions"], self.imap_starttls)
        imap = self.imap_starttls(self.u1)
        try:
            imap.select("INBOX")
            typ, data = imap.uid("FETCH", found["submissions"][0], "(BODY.PEEK[])")
            expect(typ == "OK", f"UID FETCH answered {typ}")
            body = data[0][1]
            expect(f"Message-ID: <{self.token}.submissions@client.example>".encode() in body,
                   "FETCH BODY[] is not the message that was submitted")
        finally:
            imap.logout()

    def check_pop3s_retr_dele(self):
        taken = self.pop3s_take(self.u1, ["submissions"])
        expect(taken == ["submissions"], "POP3S did not find the message sent over submissions")

    def check_curl(self):
        if not shutil.which("curl"):
            raise CheckFailed("curl is not installed (ci/setup.sh installs it)")
        # curl takes --user LOGIN:PASSWORD literally (only the first colon splits); the passwords
        # have no colon. For IMAP curl quotes the password itself.
        user = f"{self.u1[0]}:{self.u1[1]}"
        with tempfile.NamedTemporaryFile("wb", suffix=".eml") as f:
            f.write(self.message(self.u1[2], self.u1[2], "curl").encode())
            f.flush()
            rc, out, err = self.run_tool(
                ["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", self.ca,
                 # The URL's path is curl's EHLO argument; without one curl takes the upload
                 # file's name, and Exim refuses a random name with "_" in it (501).
                 f"smtp://{self.host}:{self.port['submission']}/client.example", "--user", user,
                 "--mail-from", self.u1[2], "--mail-rcpt", self.u1[2], "--upload-file", f.name])
            expect(rc == 0, f"curl smtp:// with --ssl-reqd failed ({rc}): {err.strip()}")
        self.poll_imap(self.u1, ["curl"], self.imaps)
        rc, out, err = self.run_tool(
            ["curl", "-sS", "--max-time", "20", "--cacert", self.ca,
             f"pop3s://{self.host}:{self.port['pop3s']}/", "--user", user])
        expect(rc == 0 and re.search(r"^\d+ \d+", out, re.M),
               f"curl pop3s:// LIST failed ({rc}): {err.strip()} {out.strip()}")
        if self.curl_imap_search:
            rc, out, err = self.run_tool(
                ["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", self.ca,
                 f"imap://{self.host}:{self.port['imap']}/INBOX", "--user", user,
                 "--request", f'SEARCH HEADER Subject "{self.subject("curl")}"'])
            expect(rc == 0 and re.search(r"^\* SEARCH \d+", out, re.M),
                   f"curl imap:// SEARCH did not find the curl message ({rc}): {err.strip()} {out!r}")
        rc, out, err = self.run_tool(
            ["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", self.ca,
             f"pop3://{self.host}:{self.port['pop3']}/", "--user", user])
        expect(rc == 0, f"curl pop3:// with STLS failed ({rc}): {err.strip()}")
        taken = self.pop3s_take(self.u1, ["curl"])
        expect(taken == ["curl"], "the message sent by curl was not found again over POP3S")

    def check_openssl_starttls(self):
        for proto, port in (("smtp", "smtp"), ("smtp", "submission"), ("pop3", "pop3"),
                            ("imap", "imap")):
            rc, out, err = self.run_tool(
                ["openssl", "s_client", "-connect", f"{self.host}:{self.port[port]}",
                 "-starttls", proto, "-CAfile", self.ca, "-verify_return_error",
                 "-verify_ip", self.host, "-brief"])
            text = out + err
            expect(rc == 0 and "Verification: OK" in text,
                   f"openssl s_client -starttls {proto} on {port} ({self.port[port]}) failed "
                   f"({rc}): {text.strip()[-300:]}")

    def checks(self):
        """[(name, check)] in the order they run; the names are what the smoke test prints."""
        return [
            ("smtp_relay_role", self.check_smtp_relay_role),
            ("submission_starttls", self.check_submission_starttls),
            ("submissions_implicit_tls", self.check_submissions_implicit_tls),
            *((name, getattr(self, f"check_{name}")) for name in self.before_tls),
            (f"delivery_to_{self.u2_name}", self.check_delivery_to_user2),
            ("pop3_stls_retr_dele", self.check_pop3_stls_retr_dele),
            (f"delivery_to_{self.u1_name}_imap_starttls", self.check_delivery_to_user1_imap_starttls),
            ("pop3s_retr_dele", self.check_pop3s_retr_dele),
            ("curl", self.check_curl),
            ("openssl_starttls", self.check_openssl_starttls),
        ]

    def run(self):
        """Runs every check, prints one line each, the notes and a summary; returns 0 or 1."""
        checks = self.checks()
        deadline = time.monotonic() + TOTAL_SECONDS
        for name, check in checks:
            started = time.monotonic()
            if started > deadline:
                print(f"FAIL  {name}: not run, the smoke test already took {TOTAL_SECONDS} s",
                      flush=True)
                self.failures.append(name)
                continue
            try:
                check()
                print(f"ok    {name} ({time.monotonic() - started:.1f} s)", flush=True)
            except (CheckFailed, OSError, smtplib.SMTPException, poplib.error_proto,
                    imaplib.IMAP4.error, ssl.SSLError) as e:
                kind = "" if isinstance(e, CheckFailed) else f"{type(e).__name__}: "
                print(f"FAIL  {name}: {kind}{e}", flush=True)
                self.failures.append(name)
        for note in self.notes:
            print(f"note: {note}")
        print(f"{len(checks) - len(self.failures)} of {len(checks)} checks passed"
              + (f"; failed: {', '.join(self.failures)}" if self.failures else ""))
        return 1 if self.failures else 0


def main(argv, make_smoke, default_run_dir, start_script, extra_env_keys=()):
    """The body of a stack's smoke.py: argv is [script, RUN_DIR?]; make_smoke(env) builds the
    stack's Smoke from RUN_DIR/interop.env (ValueError, OSError or ET.ParseError: cannot start).
    Exit status: 0 every check passed; 1 a check failed; 2 usage, or cannot start (the message
    says to run START_SCRIPT first)."""
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(f"usage: {argv[0]} [RUN_DIR]", file=sys.stderr)
        return 2
    run_dir = argv[1] if len(argv) == 2 else default_run_dir
    try:
        env = load_env(run_dir, extra_env_keys)
        smoke = make_smoke(env)
    except (OSError, ValueError, ET.ParseError) as e:
        print(f"smoke: cannot start: {e} (run {start_script} {run_dir} first)", file=sys.stderr)
        return 2
    print(smoke.banner(), flush=True)
    return smoke.run()
