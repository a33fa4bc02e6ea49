"""A raw IMAP4rev1 client for the stress test that checks, on every response, the rules a server
must keep while other sessions change the same mailbox (RFC 3501):

- §7.3.1  EXISTS never decreases the message count (only EXPUNGE does);
- §7.4.1  EXPUNGE names an existing sequence number, and is not sent while a FETCH, STORE or
          SEARCH (non-UID) is in progress, so sequence numbers the client uses stay valid;
- §2.3.1.1 UIDs ascend with sequence numbers, a sequence number keeps its UID, and an expunged
          UID never comes back;
- §7.4.2  FETCH names an existing sequence number;
- §6.3.1  SELECT returns EXISTS and OK [UIDVALIDITY];
- §7.1    every command ends with its own tagged OK, NO or BAD.

Every socket wait has a timeout (ImapError on expiry). A broken rule is a Violation; a transport
or framing failure, or a BAD to a well-formed command, is an ImapError.
"""
import re
import socket

MAX_LINE = 1 << 20  # a longer response line is a framing error, not a reason to grow forever
MAX_LITERAL = 64 << 20

LITERAL_AT_END = re.compile(rb"\{(\d+)\}$")
UNTAGGED_NUMBER = re.compile(rb"^\* (\d+) (EXISTS|RECENT|EXPUNGE|FETCH)\b(.*)$", re.S)
FETCH_UID = re.compile(rb"[( ]UID (\d+)[ )]")
FETCH_FLAGS = re.compile(rb"[( ]FLAGS \(([^)]*)\)")
UIDVALIDITY = re.compile(rb"^\* OK \[UIDVALIDITY (\d+)\]")


class ImapError(Exception):
    """The conversation failed: timeout, reset, malformed framing, BAD to a valid command."""


class Violation(Exception):
    """The server broke an RFC 3501 rule; the message cites it."""


def quoted(value):
    """An IMAP quoted string (RFC 3501 §4.3): backslash and double quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Response:
    """One response: its text with literals replaced by {n}, and the literals in order."""

    def __init__(self, text, literals):
        self.text = text
        self.literals = literals


class ImapClient:
    """One IMAP connection and this session's view of the selected mailbox.

    `uids[i]` is the UID of sequence number i+1 (None until a FETCH names it); `expunged` holds
    every UID this session has seen expunged (they must never come back)."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.tag_number = 0
        self.uids = []
        self.expunged = set()
        self.uidvalidity = None
        self.selected = False
        self.in_progress = None  # command name while a command runs
        self.commands = 0
        self.no_replies = 0
        self.capabilities = set()

    # ---- framing ------------------------------------------------------------------------

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise ImapError("no data within the timeout (in %s)" % self.in_progress)
        except OSError as error:
            raise ImapError("connection failed: %s" % error)
        if not chunk:
            raise ImapError("server closed the connection (in %s)" % self.in_progress)
        self.buffer += chunk

    def _line(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
                return line
            if len(self.buffer) > MAX_LINE:
                raise ImapError("response line longer than %d bytes" % MAX_LINE)
            self._fill()

    def _exact(self, count):
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_response(self):
        line = self._line()
        text, literals = line, []
        while True:
            match = LITERAL_AT_END.search(line)
            if not match:
                return Response(text, literals)
            size = int(match.group(1))
            if size > MAX_LITERAL:
                raise ImapError("literal of %d octets announced" % size)
            literals.append(self._exact(size))
            line = self._line()
            text += line

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise ImapError("send failed: %s" % error)

    # ---- the view model -------------------------------------------------------------------

    def _check_uid_order(self, index, uid):
        before = next((u for u in reversed(self.uids[:index]) if u is not None), None)
        after = next((u for u in self.uids[index + 1:] if u is not None), None)
        if (before is not None and uid <= before) or (after is not None and uid >= after):
            raise Violation("RFC 3501 §2.3.1.1: UID %d at sequence number %d is out of order "
                            "(neighbours %s, %s)" % (uid, index + 1, before, after))

    def _apply(self, response):
        """Updates the view from an untagged response; raises Violation on a broken rule."""
        match = UNTAGGED_NUMBER.match(response.text)
        if match:
            number, kind, rest = int(match.group(1)), match.group(2), match.group(3)
            if kind == b"EXISTS":
                if number < len(self.uids):
                    raise Violation("RFC 3501 §7.3.1: EXISTS %d decreases the count from %d without "
                                    "EXPUNGE" % (number, len(self.uids)))
                self.uids.extend([None] * (number - len(self.uids)))
            elif kind == b"RECENT":
                if number > len(self.uids):
                    raise Violation("RFC 3501 §7.3.2: RECENT %d exceeds EXISTS %d" % (number, len(self.uids)))
            elif kind == b"EXPUNGE":
                if self.in_progress in ("FETCH", "STORE", "SEARCH"):
                    raise Violation("RFC 3501 §7.4.1: EXPUNGE %d sent during %s" % (number, self.in_progress))
                if not 1 <= number <= len(self.uids):
                    raise Violation("RFC 3501 §7.4.1: EXPUNGE %d with only %d messages" % (number, len(self.uids)))
                uid = self.uids.pop(number - 1)
                if uid is not None:
                    self.expunged.add(uid)
            else:  # FETCH
                if not 1 <= number <= len(self.uids):
                    raise Violation("RFC 3501 §7.4.2: FETCH for sequence number %d with %d messages"
                                    % (number, len(self.uids)))
                uid_match = FETCH_UID.search(rest)
                if uid_match:
                    uid = int(uid_match.group(1))
                    known = self.uids[number - 1]
                    if known is not None and known != uid:
                        raise Violation("RFC 3501 §2.3.1.1: sequence number %d had UID %d, now UID %d "
                                        "without an EXPUNGE" % (number, known, uid))
                    if uid in self.expunged:
                        raise Violation("RFC 3501 §2.3.1.1: expunged UID %d shown again at %d" % (uid, number))
                    self._check_uid_order(number - 1, uid)
                    self.uids[number - 1] = uid
            return
        match = UIDVALIDITY.match(response.text)
        if match:
            value = int(match.group(1))
            if self.uidvalidity is not None and value != self.uidvalidity:
                raise Violation("RFC 3501 §2.3.1.1: UIDVALIDITY changed from %d to %d"
                                % (self.uidvalidity, value))
            self.uidvalidity = value
        if response.text.startswith(b"* CAPABILITY "):
            self.capabilities = set(response.text[13:].upper().split())

    # ---- commands -------------------------------------------------------------------------

    def greeting(self):
        self.in_progress = "greeting"
        response = self.read_response()
        if not response.text.startswith((b"* OK", b"* PREAUTH")):
            raise ImapError("greeting %r" % response.text[:200])
        self.in_progress = None

    def _next_tag(self):
        self.tag_number += 1
        return b"s%d" % self.tag_number

    def _until_tagged(self, tag, untagged):
        while True:
            response = self.read_response()
            if response.text.startswith(b"* "):
                self._apply(response)
                untagged.append(response)
            elif response.text.startswith(tag + b" "):
                return response
            elif response.text.startswith(b"+"):
                raise ImapError("unexpected continuation %r" % response.text[:200])
            else:
                raise ImapError("response with another tag %r (waiting for %s)"
                                % (response.text[:200], tag.decode()))

    def command(self, text, name, literal=None, allow_no=False):
        """Sends one command (with an optional synchronizing literal appended, RFC 3501 §4.3)
        and reads to its tagged reply. Returns (status, untagged responses, tagged response).
        BAD is an ImapError; NO is an ImapError unless allow_no."""
        tag = self._next_tag()
        self.in_progress = name
        untagged = []
        if literal is None:
            self.send(tag + b" " + text + b"\r\n")
        else:
            self.send(tag + b" " + text + b" {%d}\r\n" % len(literal))
            while True:
                response = self.read_response()
                if response.text.startswith(b"+"):
                    break
                if response.text.startswith(b"* "):
                    self._apply(response)
                    untagged.append(response)
                    continue
                raise ImapError("%s: literal refused: %r" % (name, response.text[:200]))
            self.send(literal + b"\r\n")
        tagged = self._until_tagged(tag, untagged)
        self.in_progress = None
        self.commands += 1
        status = tagged.text[len(tag) + 1:].split(b" ", 1)[0].upper()
        if status == b"OK":
            return status, untagged, tagged
        if status == b"NO" and allow_no:
            self.no_replies += 1
            return status, untagged, tagged
        if status in (b"NO", b"BAD"):
            raise ImapError("%s answered %r" % (text[:80].decode(errors="replace"), tagged.text[:200]))
        raise Violation("RFC 3501 §7.1: tagged reply %r is not OK, NO or BAD" % tagged.text[:200])

    def select(self, mailbox):
        self.uids = []
        self.selected = False
        status, untagged, _ = self.command(b"SELECT " + quoted(mailbox).encode(), "SELECT")
        if not any(UNTAGGED_NUMBER.match(r.text) and b" EXISTS" in r.text for r in untagged):
            raise Violation("RFC 3501 §6.3.1: SELECT without untagged EXISTS")
        if not any(UIDVALIDITY.match(r.text) for r in untagged):
            raise Violation("RFC 3501 §6.3.1: SELECT without OK [UIDVALIDITY]")
        self.selected = True

    def fetch_flags(self, untagged, number):
        """The FLAGS lists of every FETCH for sequence number `number` among `untagged`, in order
        (the command's own, and updates of other sessions that changed the flags after it)."""
        found = []
        for response in untagged:
            match = UNTAGGED_NUMBER.match(response.text)
            if match and match.group(2) == b"FETCH" and int(match.group(1)) == number:
                flags = FETCH_FLAGS.search(match.group(3))
                if flags:
                    found.append(flags.group(1).split())
        return found

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
