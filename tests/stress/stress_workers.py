"""The client loops of the mixed-protocol stress test. Each worker runs sessions until its
deadline and counts what it did in a Tally; a broken RFC rule or a failed conversation is recorded
there (with the client's name), never raised past the worker.

- IMAP: sessions on one shared mailbox: LOGIN, SELECT, UID FETCH of the whole view, then a random
  mix of FETCH (FLAGS ENVELOPE / BODY.PEEK[] with the digest verified), STORE of flags and
  keywords, STORE \\Deleted + EXPUNGE, APPEND, SEARCH, UID SEARCH and NOOP; LOGOUT.
- SMTP: deliveries (several per connection) into the shared IMAP mailbox and the POP3 maildrops.
- POP3: sessions on their own users: STAT, LIST, UIDL, RETR (digest verified), DELE, QUIT.
"""
import poplib
import smtplib
import socket
import threading
import time

from imap_client import ImapClient, ImapError, Violation, quoted
from stress_messages import make_message, seeded, verify_message

TIMEOUT = 15.0        # every socket wait, seconds
MAILBOX_HIGH = 150    # an IMAP session expunges down when the mailbox holds more than this
POP3_KEEP = 20        # a POP3 session deletes messages beyond this many


class Tally:
    """Counters shared by all workers (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.commands = {"imap": 0, "smtp": 0, "pop3": 0}
        self.sessions = {"imap": 0, "smtp": 0, "pop3": 0}
        self.messages_sent = 0
        self.messages_verified = 0
        self.no_replies = 0
        self.errors = []       # (client, text): conversation failures
        self.violations = []   # (client, text): broken RFC rules

    def add(self, protocol, commands=0, sessions=0, sent=0, verified=0, no_replies=0):
        with self.lock:
            self.commands[protocol] += commands
            self.sessions[protocol] += sessions
            self.messages_sent += sent
            self.messages_verified += verified
            self.no_replies += no_replies

    def error(self, client, text):
        with self.lock:
            self.errors.append((client, text))

    def violation(self, client, text):
        with self.lock:
            self.violations.append((client, text))


class Account:
    def __init__(self, login, password, address):
        self.login, self.password, self.address = login, password, address


# ---- IMAP ---------------------------------------------------------------------------------------

def imap_operation(client, rng, name, serial, domain, tally):
    """One random operation on the selected mailbox. Returns the number of messages verified."""
    count = len(client.uids)
    verified = 0
    choice = rng.random()
    if count > MAILBOX_HIGH:
        upper = min(count, 25)
        client.command(b"STORE 1:%d +FLAGS.SILENT (\\Deleted)" % upper, "STORE", allow_no=True)
        client.command(b"EXPUNGE", "EXPUNGE")
    elif choice < 0.20 and count:
        low = rng.randint(1, count)
        high = min(count, low + rng.randint(0, 20))
        client.command(b"FETCH %d:%d (FLAGS ENVELOPE INTERNALDATE RFC822.SIZE)" % (low, high), "FETCH",
                       allow_no=True)
    elif choice < 0.35 and count:
        number = rng.randint(1, count)
        item = rng.choice([b"BODY.PEEK[]", b"BODY[]", b"BODYSTRUCTURE BODY.PEEK[]"])
        status, untagged, _ = client.command(b"FETCH %d (UID %s)" % (number, item), "FETCH", allow_no=True)
        for response in untagged:
            if b" FETCH " in response.text and response.literals:
                problem = verify_message(response.literals[-1])
                if problem:
                    tally.violation(name, "RFC 3501 §6.4.5: BODY[] of message %d is not the message "
                                          "stored: %s" % (number, problem))
                else:
                    verified += 1
    elif choice < 0.55 and count:
        number = rng.randint(1, count)
        flag = rng.choice([b"\\Flagged", b"\\Answered", b"\\Seen", b"$Stress%d" % rng.randint(0, 30)])
        adding = rng.random() < 0.6
        status, untagged, tagged = client.command(b"STORE %d %sFLAGS (%s)" % (number, b"+" if adding else b"-", flag),
                                                  "STORE", allow_no=True)
        # §6.4.6: the reply shows the flags after the change. Another session may change them
        # again before the reply ends, so one FETCH of the message must show the change -- unless
        # the message was expunged meanwhile (RFC 2180 §4.2.1, RFC 5530 EXPUNGEISSUED).
        expunged = b"[EXPUNGEISSUED" in tagged.text.upper()
        shown = client.fetch_flags(untagged, number) if status == b"OK" and not expunged else []
        if shown and not any((flag.lower() in [f.lower() for f in flags]) == adding for flags in shown):
            tally.violation(name, "RFC 3501 §6.4.6: after STORE %d %sFLAGS (%s) no FETCH shows it: %s"
                            % (number, "+" if adding else "-", flag.decode(),
                               "; ".join(b" ".join(f).decode() for f in shown)))
    elif choice < 0.65 and count:
        number = rng.randint(1, count)
        client.command(b"STORE %d +FLAGS.SILENT (\\Deleted)" % number, "STORE", allow_no=True)
        client.command(b"EXPUNGE", "EXPUNGE")
    elif choice < 0.80:
        message = make_message(rng, name, serial, domain)
        client.command(b"APPEND INBOX (\\Seen $Stress)", "APPEND", literal=message)
        tally.add("imap", sent=1)
    elif choice < 0.88:
        client.command(rng.choice([b"SEARCH UNSEEN", b"SEARCH FLAGGED", b"SEARCH ALL"]), "SEARCH")
    elif choice < 0.94:
        client.command(b"UID SEARCH UID 1:*", "UID SEARCH")
    else:
        client.command(b"NOOP", "NOOP")
    return verified


def imap_worker(name, host, port, account, mailbox, domain, deadline, seed, tally):
    rng = seeded(seed, name)
    serial = 0
    while time.monotonic() < deadline:
        client = None
        try:
            client = ImapClient(host, port, TIMEOUT)
            client.greeting()
            client.command(b"LOGIN " + quoted(account.login).encode() + b" " + quoted(account.password).encode(),
                           "LOGIN")
            client.select(mailbox)
            client.command(b"UID FETCH 1:* (FLAGS)", "UID FETCH")
            verified = 0
            for _ in range(rng.randint(5, 40)):
                if time.monotonic() >= deadline:
                    break
                serial += 1
                verified += imap_operation(client, rng, name, serial, domain, tally)
            client.command(b"LOGOUT", "LOGOUT")
            tally.add("imap", commands=client.commands, sessions=1, verified=verified,
                      no_replies=client.no_replies)
        except Violation as violation:
            tally.violation(name, str(violation))
            if client:
                tally.add("imap", commands=client.commands)
        except ImapError as error:
            tally.error(name, "IMAP: %s" % error)
            if client:
                tally.add("imap", commands=client.commands)
            time.sleep(0.2)
        except OSError as error:
            tally.error(name, "IMAP connect: %s" % error)
            time.sleep(0.2)
        finally:
            if client:
                client.close()


# ---- SMTP ---------------------------------------------------------------------------------------

def smtp_worker(name, host, port, recipients, domain, deadline, seed, tally):
    rng = seeded(seed, name)
    serial = 0
    while time.monotonic() < deadline:
        commands = 0
        try:
            with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
                smtp.ehlo("stress-client.%s" % domain)
                commands += 1
                for _ in range(rng.randint(1, 10)):
                    if time.monotonic() >= deadline:
                        break
                    serial += 1
                    to = [rng.choice(recipients)]
                    refused = smtp.sendmail("%s@%s" % (name, domain), to, make_message(rng, name, serial, domain))
                    commands += 4  # MAIL, RCPT, DATA, end of data
                    if refused:
                        tally.error(name, "SMTP refused %r" % refused)
                    tally.add("smtp", sent=1)
                smtp.quit()
                commands += 1
            tally.add("smtp", commands=commands, sessions=1)
        except (smtplib.SMTPException, OSError) as error:
            tally.add("smtp", commands=commands)
            tally.error(name, "SMTP: %s" % error)
            time.sleep(0.2)


# ---- POP3 ---------------------------------------------------------------------------------------

def pop3_session(pop, rng, name, tally):
    """STAT/LIST/UIDL agree (RFC 1939 §5), RETR returns intact messages, DELE beyond POP3_KEEP.
    Returns (commands, verified)."""
    commands = 0
    count, octets = pop.stat()
    _, listing, _ = pop.list()
    _, uidl, _ = pop.uidl()
    commands += 3
    sizes = [int(line.split()[1]) for line in listing]
    if len(sizes) != count or sum(sizes) != octets:
        tally.violation(name, "RFC 1939 §5: STAT says %d messages / %d octets, LIST %d / %d"
                        % (count, octets, len(sizes), sum(sizes)))
    ids = [line.split()[1] for line in uidl]
    if len(set(ids)) != len(ids) or len(ids) != count:
        tally.violation(name, "RFC 1939 §7: UIDL gives %d ids (%d distinct) for %d messages"
                        % (len(ids), len(set(ids)), count))
    verified = 0
    for number in rng.sample(range(1, count + 1), min(count, 3)):
        _, lines, size = pop.retr(number)
        commands += 1
        problem = verify_message(b"\r\n".join(lines) + b"\r\n")
        if problem:
            tally.violation(name, "RFC 1939 §7: RETR %d is not the message stored: %s" % (number, problem))
        else:
            verified += 1
    for number in range(POP3_KEEP + 1, count + 1):
        pop.dele(number)
        commands += 1
    return commands, verified


def pop3_worker(name, host, port, account, deadline, seed, tally):
    rng = seeded(seed, name)
    while time.monotonic() < deadline:
        commands = 0
        try:
            pop = poplib.POP3(host, port, timeout=TIMEOUT)
            try:
                pop.user(account.login)
                commands += 1
                try:
                    pop.pass_(account.password)
                    commands += 1
                except poplib.error_proto as error:
                    # RFC 2449 §8.1.2: another session holds the maildrop; legal, try again later.
                    if b"[IN-USE]" not in str(error).encode():
                        raise
                    tally.add("pop3", commands=commands + 1, no_replies=1)
                    time.sleep(0.05)
                    continue
                done, verified = pop3_session(pop, rng, name, tally)
                commands += done
                pop.quit()
                commands += 1
                tally.add("pop3", commands=commands, sessions=1, verified=verified)
            finally:
                pop.close()
        except (poplib.error_proto, OSError, EOFError) as error:
            tally.add("pop3", commands=commands)
            tally.error(name, "POP3: %s" % error)
            time.sleep(0.2)


def alive(host, ports):
    """Every endpoint still greets: None, or the first that does not."""
    for name, port in ports.items():
        try:
            with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
                sock.settimeout(TIMEOUT)
                greeting = sock.recv(512)
                if not greeting:
                    return "%s (port %d) closed without a greeting" % (name, port)
        except OSError as error:
            return "%s (port %d): %s" % (name, port, error)
    return None
