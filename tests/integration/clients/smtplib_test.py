"""python3 smtplib against mailspec-server: STARTTLS + AUTH on submission, SMTP_SSL on submissions,
local delivery and refused relay on the relay port. Deliveries are checked over POP3S."""
import poplib
import smtplib
import ssl

from mailspec_process import HOST, Checker, MailspecServer, client_tls_context, run

TIMEOUT = 10


def message(subject, body="Hello from smtplib.\r\n.line starting with a dot\r\n"):
    return ("From: alice@example.test\r\nTo: bob@example.test\r\nSubject: %s\r\n\r\n%s" % (subject, body)).encode()


def pop3_messages(ports, user, password):
    box = poplib.POP3_SSL(HOST, ports["pop3s"], timeout=TIMEOUT, context=client_tls_context())
    box.user(user)
    box.pass_(password)
    count, _ = box.stat()
    out = [b"\r\n".join(box.retr(n)[1]) + b"\r\n" for n in range(1, count + 1)]
    box.quit()
    return out


def main(executable):
    t = Checker("smtplib")
    with MailspecServer(executable) as server:
        ports = server.ports

        # Submission (587 role): STARTTLS, then AUTH, then mail.
        s = smtplib.SMTP(HOST, ports["submission"], timeout=TIMEOUT)
        s.ehlo("client.example")
        t.check(s.has_extn("starttls"), "submission offers STARTTLS before TLS")
        t.check(not s.has_extn("auth"), "submission does not offer AUTH before TLS")
        code, _ = s.mail("alice@example.test")
        t.equal(code, 530, "MAIL before AUTH on submission")
        s.rset()
        s.starttls(context=client_tls_context())
        s.ehlo("client.example")
        t.check(not s.has_extn("starttls"), "STARTTLS not advertised again after TLS")
        t.check("PLAIN" in s.esmtp_features.get("auth", ""), "AUTH PLAIN offered after TLS")
        s.login("alice", "secret1")
        refused = s.sendmail("alice@example.test", ["bob@example.test"], message("via submission"))
        t.equal(refused, {}, "submission delivers to bob")
        s.quit()

        # Wrong password.
        s = smtplib.SMTP(HOST, ports["submission"], timeout=TIMEOUT)
        s.starttls(context=client_tls_context())
        try:
            s.login("alice", "wrong")
            t.check(False, "wrong password refused")
        except smtplib.SMTPAuthenticationError as error:
            t.equal(error.smtp_code, 535, "wrong password gets 535")
        s.quit()

        # Submissions (465 role): implicit TLS.
        s = smtplib.SMTP_SSL(HOST, ports["submissions"], timeout=TIMEOUT, context=client_tls_context())
        s.ehlo("client.example")
        t.check(not s.has_extn("starttls"), "submissions does not offer STARTTLS")
        s.login("bob", "secret2")
        t.equal(s.sendmail("bob@example.test", ["alice@example.test"], message("via submissions")), {},
                "submissions delivers to alice")
        s.quit()

        # Relay role (25): local recipients without AUTH, other domains refused.
        s = smtplib.SMTP(HOST, ports["smtp"], timeout=TIMEOUT)
        s.ehlo("client.example")
        t.equal(s.sendmail("someone@remote.example", ["bob@example.test"], message("via relay")), {},
                "relay port accepts mail for a local user")
        try:
            s.sendmail("someone@remote.example", ["victim@elsewhere.example"], message("relay attempt"))
            t.check(False, "relay to another domain refused")
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients["victim@elsewhere.example"]
            t.equal(code, 550, "relay refused with 550")
            t.check(text.startswith(b"5.7.1"), "relay refusal has enhanced code 5.7.1: %r" % text)
        try:
            s.sendmail("someone@remote.example", ["nobody@example.test"], message("unknown user"))
            t.check(False, "unknown local user refused")
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients["nobody@example.test"]
            t.check(code == 550 and text.startswith(b"5.1.1"), "unknown local user gets 550 5.1.1: %r" % text)
        s.quit()

        # The same bytes come back over POP3 (after the Received: header), dot-unstuffed.
        bob = pop3_messages(ports, "bob", "secret2")
        t.equal(len(bob), 2, "bob has two messages")
        t.check(all(m.startswith(b"Received: ") for m in bob), "a Received: header is prepended")
        t.check(any(m.endswith(message("via submission").split(b"\r\n\r\n", 1)[1]) for m in bob),
                "the body arrives unchanged, leading dot unstuffed")
        alice = pop3_messages(ports, "alice", "secret1")
        t.equal(len(alice), 1, "alice has one message")
        t.check(b"Subject: via submissions" in alice[0], "alice got the submissions message")
    return t.done()


if __name__ == "__main__":
    run(main)
