"""python3 poplib against mailspec-server: STLS on the pop3 port, POP3_SSL on pop3s, TOP, UIDL
stable across sessions, DELE then QUIT removes, DELE then a dropped connection keeps."""
import poplib
import smtplib
import socket
import ssl
import time

from mailspec_process import HOST, Checker, MailspecServer, client_tls_context, run

TIMEOUT = 10


def deliver(ports, subject, body):
    s = smtplib.SMTP(HOST, ports["smtp"], timeout=TIMEOUT)
    s.sendmail("sender@remote.example", ["alice@example.test"],
               ("Subject: %s\r\nFrom: sender@remote.example\r\n\r\n%s" % (subject, body)).encode())
    s.quit()


def login_ssl(ports, attempts=50):
    """POP3_SSL as alice; retries while a dropped session still holds the maildrop lock."""
    for _ in range(attempts):
        box = poplib.POP3_SSL(HOST, ports["pop3s"], timeout=TIMEOUT, context=client_tls_context())
        box.user("alice")
        try:
            box.pass_("secret1")
            return box
        except poplib.error_proto as error:
            box.close()
            if b"[IN-USE]" not in error.args[0]:
                raise
            time.sleep(0.1)
    raise AssertionError("maildrop still locked after %d attempts" % attempts)


def main(executable):
    t = Checker("poplib")
    with MailspecServer(executable) as server:
        ports = server.ports
        deliver(ports, "first", "line one\r\n.dot line\r\nline three\r\n")
        deliver(ports, "second", "only line\r\n")
        deliver(ports, "third", "third body\r\n")

        # pop3 (110 role): no USER before STLS, then STLS.
        box = poplib.POP3(HOST, ports["pop3"], timeout=TIMEOUT)
        caps = box.capa()
        t.check("STLS" in caps, "pop3 offers STLS")
        t.check("USER" not in caps, "pop3 does not offer USER before TLS")
        try:
            box.user("alice")
            t.check(False, "USER refused before TLS")
        except poplib.error_proto as error:
            t.check(error.args[0].startswith(b"-ERR [AUTH]"), "USER before TLS gets -ERR [AUTH]: %r" % error.args[0])
        box.stls(context=client_tls_context())
        caps = box.capa()
        t.check("USER" in caps and "STLS" not in caps, "after STLS: USER offered, STLS not: %r" % sorted(caps))
        box.user("alice")
        box.pass_("secret1")
        count, _ = box.stat()
        t.equal(count, 3, "three messages after STLS login")
        top = box.top(1, 1)[1]
        t.equal(top[-2:], [b"", b"line one"], "TOP 1 1 gives the headers, blank line and one body line")
        t.check(b"Subject: first" in top, "TOP includes the Subject header")
        uidl_first = box.uidl()[1]
        body = box.retr(1)[1]
        t.check(body[-2:] == [b".dot line", b"line three"], "RETR unstuffs the dot line: %r" % body[-3:])
        box.quit()

        # pop3s (995 role): UIDL stable; DELE then QUIT removes.
        box = login_ssl(ports)
        t.equal(box.uidl()[1], uidl_first, "UIDL is stable across sessions")
        box.dele(2)
        box.quit()
        box = login_ssl(ports)
        count, _ = box.stat()
        t.equal(count, 2, "DELE then QUIT removed one message")
        t.check(all(b"Subject: second" not in b"\r\n".join(box.retr(n)[1]) for n in (1, 2)),
                "the deleted message is gone")

        # DELE then a dropped connection keeps everything (RFC 1939 §6).
        box.dele(1)
        box.sock.shutdown(socket.SHUT_RDWR)
        box.sock.close()
        box = login_ssl(ports)
        count, _ = box.stat()
        t.equal(count, 2, "DELE then drop deleted nothing")

        # A second session while the first holds the lock gets [IN-USE].
        other = poplib.POP3_SSL(HOST, ports["pop3s"], timeout=TIMEOUT, context=client_tls_context())
        other.user("alice")
        try:
            other.pass_("secret1")
            t.check(False, "second session refused")
        except poplib.error_proto as error:
            t.check(error.args[0].startswith(b"-ERR [IN-USE]"), "second session gets [IN-USE]: %r" % error.args[0])
        other.quit()
        box.quit()
    return t.done()


if __name__ == "__main__":
    run(main)
