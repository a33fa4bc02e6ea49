"""isync/mbsync syncing alice's INBOX and Sent both ways with mailspec-server over implicit TLS:
server → Maildir (SMTP-delivered messages appear locally), Maildir → server (a local message is
uploaded with APPEND), and flags both ways (a local \\Seen reaches the server, a server \\Flagged
reaches the Maildir file name)."""
import glob
import imaplib
import os
import smtplib
import ssl
import subprocess

from mailspec_process import HOST, Checker, MailspecServer, client_tls_context, run

MESSAGE = b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: sync %d\r\n\r\nbody %d\r\n"


def mbsync(rc):
    result = subprocess.run(["mbsync", "-c", rc, "-a"], capture_output=True, timeout=60)
    return result.returncode, (result.stdout + result.stderr).decode(errors="replace")


def maildir_files(root, box):
    return sorted(glob.glob(os.path.join(root, box, "cur", "*")) + glob.glob(os.path.join(root, box, "new", "*")))


def main(executable):
    check = Checker("mbsync")
    with MailspecServer(executable) as server:
        port = server.ports["imaps"]
        for i in (1, 2):
            with smtplib.SMTP(HOST, server.ports["smtp"], timeout=10) as smtp:
                smtp.sendmail("bob@example.test", ["alice@example.test"], MESSAGE % (i, i))
        # mbsync verifies the server: trust exactly the certificate the server presents
        pem = os.path.join(server.workdir, "server.pem")
        with open(pem, "w") as f:
            f.write(ssl.get_server_certificate((HOST, port)))
        local = os.path.join(server.workdir, "mail")
        os.makedirs(local)
        rc = os.path.join(server.workdir, "mbsyncrc")
        # the certificate names "localhost"; /etc/hosts maps it to loopback
        with open(rc, "w") as f:
            f.write("""IMAPAccount remote
Host localhost
Port %d
User alice
Pass secret1
SSLType IMAPS
CertificateFile %s

IMAPStore remote
Account remote

MaildirStore local
Path %s/
Inbox %s/INBOX
SubFolders Verbatim

Channel sync
Far :remote:
Near :local:
Patterns INBOX Sent
Create Both
Sync All
Expunge Both
SyncState *
""" % (port, pem, local, local))

        code, log = mbsync(rc)
        if not check.check(code == 0, "first mbsync run succeeds (exit %d)\n%s" % (code, log)):
            return check.done()
        inbox = maildir_files(local, "INBOX")
        check.equal(len(inbox), 2, "server INBOX messages arrived in the local Maildir")
        bodies = b"".join(open(p, "rb").read() for p in inbox)
        check.check(b"Subject: sync 1" in bodies and b"Subject: sync 2" in bodies, "local copies hold the messages")

        # local → server: a new message in Sent and \Seen on the first INBOX message
        sent_new = os.path.join(local, "Sent", "new")
        check.check(os.path.isdir(sent_new), "Sent mailbox created locally")
        with open(os.path.join(sent_new, "1700000000.local.host"), "wb") as f:
            f.write(b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: written offline\r\n\r\nhi\r\n")
        first = inbox[0]
        base = os.path.basename(first).split(":2,")[0]
        flags = os.path.basename(first).split(":2,")[1] if ":2," in first else ""
        os.rename(first, os.path.join(local, "INBOX", "cur", base + ":2," + "".join(sorted(set(flags + "S")))))

        # server → local: \Flagged on the second message
        m = imaplib.IMAP4_SSL(HOST, port, ssl_context=client_tls_context(), timeout=10)
        m.login("alice", "secret1")
        m.select("INBOX")
        m.store("2", "+FLAGS", "(\\Flagged)")
        m.logout()

        code, log = mbsync(rc)
        check.check(code == 0, "second mbsync run succeeds (exit %d)\n%s" % (code, log))
        m = imaplib.IMAP4_SSL(HOST, port, ssl_context=client_tls_context(), timeout=10)
        m.login("alice", "secret1")
        typ, data = m.select("Sent", readonly=True)
        check.equal(data, [b"1"], "the offline message was uploaded to Sent")
        typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        check.check(b"written offline" in data[0][1], "uploaded message has its bytes")
        m.select("INBOX", readonly=True)
        typ, data = m.search(None, "SEEN")
        check.equal(data, [b"1"], "local \\Seen reached the server")
        m.logout()
        flagged = [p for p in maildir_files(local, "INBOX") if ":2," in p and "F" in p.split(":2,")[1]]
        check.equal(len(flagged), 1, "server \\Flagged reached the Maildir")
    return check.done()


if __name__ == "__main__":
    run(main)
