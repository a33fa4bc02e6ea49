"""curl against mailspec-server's IMAP roles: imap:// with STARTTLS (--ssl-reqd) and imaps://, both
-k (self-signed). Lists mailboxes, fetches a message by UID, reads the INBOX with EXAMINE."""
import smtplib
import subprocess

from mailspec_process import HOST, Checker, MailspecServer, run

MESSAGE = b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: curl me\r\n\r\nfetched by curl\r\n"


def curl(*args):
    command = ["curl", "-s", "-S", "-k", "--max-time", "20", "-u", "alice:secret1"] + list(args)
    result = subprocess.run(command, capture_output=True, timeout=30)
    return result.returncode, result.stdout, result.stderr.decode(errors="replace")


def main(executable):
    check = Checker("curl-imap")
    with MailspecServer(executable) as server:
        with smtplib.SMTP(HOST, server.ports["smtp"], timeout=10) as smtp:
            smtp.sendmail("bob@example.test", ["alice@example.test"], MESSAGE)
        plain = "imap://%s:%d/" % (HOST, server.ports["imap"])
        implicit = "imaps://%s:%d/" % (HOST, server.ports["imaps"])

        code, out, err = curl("--ssl-reqd", plain)
        check.check(code == 0 and b"INBOX" in out and b"Sent" in out, "imap:// STARTTLS LIST (%d %r %s)" % (code, out, err))
        code, out, err = curl(plain)  # no TLS: LOGINDISABLED, login must fail
        check.check(code != 0, "imap:// without TLS cannot log in (%d)" % code)
        code, out, err = curl(implicit)
        check.check(code == 0 and b"INBOX" in out, "imaps:// LIST (%d %s)" % (code, err))
        code, out, err = curl(implicit + "INBOX;UID=1")
        check.check(code == 0 and out.endswith(MESSAGE), "imaps:// fetch UID 1 (%d %r %s)" % (code, out[-80:], err))
        code, out, err = curl("--ssl-reqd", plain + "INBOX;UID=1;SECTION=TEXT")
        check.equal(out, b"fetched by curl\r\n", "imap:// fetch SECTION=TEXT")
        code, out, err = curl(implicit + "INBOX?SUBJECT%20curl")
        check.check(code == 0 and b"SEARCH 1" in out, "imaps:// SEARCH (%d %r %s)" % (code, out, err))
        code, out, err = curl(implicit + "INBOX;UID=9")
        check.check(code != 0, "fetch of a missing UID fails (%d)" % code)
    return check.done()


if __name__ == "__main__":
    run(main)
