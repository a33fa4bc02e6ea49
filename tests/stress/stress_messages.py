"""Messages the stress clients send, and the integrity check applied when one is read back.

Every message carries a header `X-Stress-Digest: <sha256 of the body>` and a unique Message-ID, so
a reader (IMAP FETCH BODY[], POP3 RETR) can tell whether the bytes it got are the bytes that were
accepted, whatever the server prepended to the header (Received:, Return-Path:).
"""
import hashlib
import random

DIGEST_HEADER = b"X-Stress-Digest: "


def make_message(rng, origin, serial, domain):
    """A small RFC 5322 message with a verifiable body. `origin` names the sending client."""
    lines = [b"line %d of %s #%d: %s" % (i, origin.encode(), serial,
                                         bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz ") for _ in range(40)))
             for i in range(rng.randint(1, 30))]
    body = b"\r\n".join(lines) + b"\r\n"
    header = (b"From: <%s@%s>\r\n" % (origin.encode(), domain.encode())
              + b"To: <stress@%s>\r\n" % domain.encode()
              + b"Subject: stress %s #%d\r\n" % (origin.encode(), serial)
              + b"Message-ID: <%s.%d.%d@%s>\r\n" % (origin.encode(), serial, rng.getrandbits(48), domain.encode())
              + DIGEST_HEADER + hashlib.sha256(body).hexdigest().encode() + b"\r\n")
    return header + b"\r\n" + body


def verify_message(data):
    """None when `data` (a whole message as read back) is intact, else what is wrong with it."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return "no blank line between header and body"
    for line in head.split(b"\r\n"):
        if line.startswith(DIGEST_HEADER):
            want = line[len(DIGEST_HEADER):].strip().decode(errors="replace")
            got = hashlib.sha256(body).hexdigest()
            return None if got == want else "body digest %s, header says %s" % (got, want)
    return None  # not a stress message (nothing to verify)


def seeded(seed, name):
    """A random generator per client, reproducible from the run's seed."""
    return random.Random("%s/%s" % (seed, name))
