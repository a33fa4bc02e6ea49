"""python3 imaplib against mailspec-server: STARTTLS and implicit TLS login, LIST, SELECT, APPEND,
SEARCH, FETCH (BODYSTRUCTURE, sections), STORE, COPY, MOVE, EXPUNGE, IDLE with a second session,
and SMTP → IMAP / POP3 with identical bytes."""
import imaplib
import poplib
import smtplib

from mailspec_process import HOST, Checker, MailspecServer, client_tls_context, run

MESSAGE = (b"From: Bob <bob@example.test>\r\n"
           b"To: alice@example.test\r\n"
           b"Subject: quarterly report\r\n"
           b"Content-Type: multipart/mixed; boundary=sep\r\n"
           b"\r\n"
           b"--sep\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n"
           b"\r\n"
           b"numbers attached\r\n"
           b"--sep\r\n"
           b"Content-Type: application/octet-stream; name=q.bin\r\n"
           b"Content-Transfer-Encoding: base64\r\n"
           b"\r\n"
           b"AAECAw==\r\n"
           b"--sep--\r\n")


def idle_sees_delivery(check, server, idler):
    """IDLE on one connection, APPEND from another: the idler gets EXISTS without polling."""
    tag = idler._new_tag().decode()
    idler.send(("%s IDLE\r\n" % tag).encode())
    check.check(idler.readline().startswith(b"+"), "IDLE continuation")
    other = imaplib.IMAP4_SSL(HOST, server.ports["imaps"], ssl_context=client_tls_context(), timeout=10)
    other.login("alice", "secret1")
    other.append("INBOX", None, None, b"Subject: pushed\r\n\r\nx\r\n")
    other.logout()
    got = b""
    idler.socket().settimeout(10)  # each readline waits at most 10 s
    for _ in range(5):
        if b"EXISTS" in got:
            break
        got += idler.readline()
    check.check(b"EXISTS" in got, "untagged EXISTS pushed during IDLE (%r)" % got)
    idler.send(b"DONE\r\n")
    done = idler.readline()
    for _ in range(10):
        if done.startswith(tag.encode()):
            break
        done = idler.readline()
    check.check(done.startswith((tag + " OK").encode()), "IDLE ended by DONE (%r)" % done)


def main(executable):
    check = Checker("imaplib")
    with MailspecServer(executable) as server:
        # SMTP delivery first, to compare bytes across protocols later
        with smtplib.SMTP(HOST, server.ports["smtp"], timeout=10) as smtp:
            smtp.sendmail("bob@example.test", ["alice@example.test"], MESSAGE)

        # STARTTLS on the plain port
        m = imaplib.IMAP4(HOST, server.ports["imap"], timeout=10)
        check.check("LOGINDISABLED" in m.capabilities, "LOGINDISABLED before TLS")
        check.check("STARTTLS" in m.capabilities, "STARTTLS offered")
        m.starttls(ssl_context=client_tls_context())
        typ, _ = m.login("alice", "secret1")
        check.equal(typ, "OK", "LOGIN after STARTTLS")
        typ, boxes = m.list()
        names = [b.decode() for b in boxes]
        check.check(any(n.endswith('"/" INBOX') for n in names), "LIST shows INBOX")
        check.check(any("\\Sent" in n for n in names), "LIST shows SPECIAL-USE \\Sent")
        typ, data = m.select("INBOX")
        check.equal((typ, data), ("OK", [b"1"]), "SELECT INBOX: 1 message")
        typ, data = m.fetch("1", "(BODYSTRUCTURE)")
        bs = data[0].decode() if isinstance(data[0], bytes) else data[0][0].decode()
        check.check('"MIXED"' in bs and '"OCTET-STREAM"' in bs and '"BASE64" 8' in bs, "BODYSTRUCTURE " + bs)
        typ, data = m.fetch("1", "(BODY.PEEK[1] BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        check.equal(data[0][1], b"numbers attached", "BODY[1]")
        check.equal(data[1][1], b"Subject: quarterly report\r\n\r\n", "BODY[HEADER.FIELDS (SUBJECT)]")
        typ, data = m.fetch("1", "(BODY.PEEK[])")
        imap_bytes = data[0][1]
        check.check(imap_bytes.endswith(MESSAGE), "BODY[] holds the SMTP message")
        typ, data = m.append("INBOX", "(\\Flagged)", '"01-Feb-2024 10:00:00 +0100"',
                             b"From: carol@example.test\r\nSubject: note\r\n\r\nremember the milk\r\n")
        check.check(typ == "OK" and b"APPENDUID" in data[0], "APPEND with APPENDUID (%r)" % data)
        typ, data = m.search(None, "FROM", "carol")
        check.equal(data, [b"2"], "SEARCH FROM carol")
        typ, data = m.search(None, "BODY", "milk", "FLAGGED", "SINCE", "1-Feb-2024")
        check.equal(data, [b"2"], "SEARCH BODY/FLAGGED/SINCE")
        typ, data = m.search("UTF-8", "SUBJECT", "report")
        check.equal(data, [b"1"], "SEARCH CHARSET UTF-8")
        typ, data = m.uid("SEARCH", "ALL")
        uids = data[0].split()
        check.equal(len(uids), 2, "UID SEARCH ALL")
        typ, data = m.store("1", "+FLAGS", "(\\Seen $Done)")
        check.check(typ == "OK" and b"\\Seen" in data[0] and b"$Done" in data[0], "STORE +FLAGS (%r)" % data)
        typ, data = m.copy("1", "Trash")
        check.check(typ == "OK", "COPY to Trash")
        typ, data = m.copy("1", "Nowhere")
        check.check(typ == "NO" and b"TRYCREATE" in data[0], "COPY to missing mailbox: NO [TRYCREATE] (%r)" % data)
        typ, data = m._simple_command("MOVE", "2", "Junk")
        check.equal(typ, "OK", "MOVE to Junk")
        typ, data = m.response("EXPUNGE")  # the MOVE's own EXPUNGE (RFC 6851 §3.3)
        check.equal(data, [b"2"], "MOVE expunged message 2")
        typ, data = m.status("Junk", "(MESSAGES)")
        check.check(b"MESSAGES 1" in data[0], "STATUS Junk after MOVE (%r)" % data)
        m.store("1", "+FLAGS", "(\\Deleted)")
        typ, data = m.expunge()
        check.equal((typ, data), ("OK", [b"1"]), "EXPUNGE reports message 1")
        typ, data = m.select("INBOX")
        check.equal(data, [b"0"], "INBOX empty after MOVE and EXPUNGE")
        idle_sees_delivery(check, server, m)
        m.logout()

        # implicit TLS, and the copy in Trash is byte-identical to what POP3 shows of the original
        s = imaplib.IMAP4_SSL(HOST, server.ports["imaps"], ssl_context=client_tls_context(), timeout=10)
        check.check("AUTH=PLAIN" in s.capabilities, "AUTH=PLAIN on imaps")
        typ, _ = s.authenticate("PLAIN", lambda _: b"\0alice\0secret1")
        check.equal(typ, "OK", "AUTHENTICATE PLAIN")
        typ, data = s.select("Trash", readonly=True)
        check.equal(data, [b"1"], "EXAMINE Trash")
        typ, data = s.fetch("1", "(RFC822)")
        check.check(data[0][1] == imap_bytes, "COPY kept the bytes")
        s.logout()

        with smtplib.SMTP(HOST, server.ports["smtp"], timeout=10) as smtp:
            smtp.sendmail("alice@example.test", ["bob@example.test"], MESSAGE)
        b = imaplib.IMAP4_SSL(HOST, server.ports["imaps"], ssl_context=client_tls_context(), timeout=10)
        b.login("bob", "secret2")
        b.select("INBOX")
        typ, data = b.fetch("1", "(BODY.PEEK[])")
        bob_imap = data[0][1]
        b.logout()
        p = poplib.POP3_SSL(HOST, server.ports["pop3s"], context=client_tls_context(), timeout=10)
        p.user("bob")
        p.pass_("secret2")
        _, lines, _ = p.retr(1)
        p.quit()
        check.check(b"\r\n".join(lines) + b"\r\n" == bob_imap, "SMTP message identical over IMAP and POP3")
    return check.done()


if __name__ == "__main__":
    run(main)
