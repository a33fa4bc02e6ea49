"""curl against mailspec-server: smtp:// upload with --ssl-reqd (STARTTLS) and AUTH on the
submission port, smtps:// on submissions, pop3s:// list and retrieve, pop3:// with --ssl-reqd."""
import os
import subprocess
import tempfile

from mailspec_process import HOST, Checker, MailspecServer, run

TIMEOUT = "10"


def curl(*args):
    command = ["curl", "--silent", "--show-error", "--max-time", TIMEOUT, "-k"] + list(args)
    result = subprocess.run(command, capture_output=True, timeout=30)
    return result.returncode, result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")


def main(executable):
    t = Checker("curl")
    with MailspecServer(executable) as server:
        ports = server.ports
        with tempfile.NamedTemporaryFile("wb", suffix=".eml", delete=False) as f:
            f.write(b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: curl upload\r\n\r\n"
                    b"uploaded by curl\r\n.starts with a dot\r\n")
            upload = f.name
        try:
            code, _, err = curl("smtp://%s:%d" % (HOST, ports["submission"]), "--ssl-reqd",
                                "--user", "alice:secret1", "--mail-from", "alice@example.test",
                                "--mail-rcpt", "bob@example.test", "--upload-file", upload)
            t.equal(code, 0, "smtp:// upload with --ssl-reqd and AUTH on submission (%s)" % err.strip())
            code, _, err = curl("smtps://%s:%d" % (HOST, ports["submissions"]),
                                "--user", "bob:secret2", "--mail-from", "bob@example.test",
                                "--mail-rcpt", "bob@example.test", "--upload-file", upload)
            t.equal(code, 0, "smtps:// upload on submissions (%s)" % err.strip())
            code, _, err = curl("smtp://%s:%d" % (HOST, ports["submission"]),
                                "--user", "alice:secret1", "--mail-from", "alice@example.test",
                                "--mail-rcpt", "bob@example.test", "--upload-file", upload)
            t.check(code != 0, "without TLS, submission refuses (curl exit %d: %s)" % (code, err.strip()))
        finally:
            os.unlink(upload)

        code, out, err = curl("pop3s://%s:%d/" % (HOST, ports["pop3s"]), "--user", "bob:secret2")
        lines = out.strip().splitlines()
        t.equal(code, 0, "pop3s:// LIST (%s)" % err.strip())
        t.equal(len(lines), 2, "two messages listed: %r" % lines)
        code, out, err = curl("pop3s://%s:%d/1" % (HOST, ports["pop3s"]), "--user", "bob:secret2")
        t.equal(code, 0, "pop3s:// RETR 1 (%s)" % err.strip())
        t.check("Subject: curl upload" in out and "\r\n.starts with a dot\r\n" in out,
                "the retrieved message has the uploaded bytes, unstuffed: %r" % out[-80:])
        code, out, err = curl("pop3://%s:%d/1" % (HOST, ports["pop3"]), "--ssl-reqd", "--user", "bob:secret2")
        t.equal(code, 0, "pop3:// with --ssl-reqd (STLS) RETR 1 (%s)" % err.strip())
        t.check("uploaded by curl" in out, "STLS retrieval returns the message")
    return t.done()


if __name__ == "__main__":
    run(main)
