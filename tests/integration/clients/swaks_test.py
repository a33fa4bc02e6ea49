"""swaks against mailspec-server: STARTTLS + AUTH on submission, implicit TLS on submissions,
relay refused and local delivery on the relay port, and a pipelined transaction."""
import subprocess

from mailspec_process import HOST, Checker, MailspecServer, run


def swaks(*args):
    command = ["swaks", "--server", HOST, "--timeout", "10", "--helo", "client.example"] + list(args)
    result = subprocess.run(command, capture_output=True, timeout=60)
    return result.returncode, result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")


def main(executable):
    t = Checker("swaks")
    with MailspecServer(executable) as server:
        ports = server.ports
        code, out = swaks("--port", str(ports["submission"]), "--tls", "--auth", "PLAIN",
                          "--auth-user", "alice", "--auth-password", "secret1",
                          "--from", "alice@example.test", "--to", "bob@example.test")
        t.equal(code, 0, "swaks STARTTLS + AUTH PLAIN on submission")
        t.check("235 2.7.0" in out and "250 2.6.0" in out, "authenticated and accepted")
        code, out = swaks("--port", str(ports["submissions"]), "--tls-on-connect", "--auth", "LOGIN",
                          "--auth-user", "bob", "--auth-password", "secret2",
                          "--from", "bob@example.test", "--to", "alice@example.test")
        t.equal(code, 0, "swaks implicit TLS + AUTH LOGIN on submissions")
        code, out = swaks("--port", str(ports["smtp"]), "--from", "x@remote.example", "--to", "victim@elsewhere.example")
        t.check(code != 0 and "550 5.7.1" in out, "relay to another domain refused with 550 5.7.1 (exit %d)" % code)
        code, out = swaks("--port", str(ports["smtp"]), "--pipeline", "--from", "x@remote.example",
                          "--to", "alice@example.test")
        t.equal(code, 0, "pipelined delivery to a local user on the relay port")
        code, out = swaks("--port", str(ports["submission"]), "--from", "alice@example.test", "--to", "bob@example.test")
        t.check(code != 0 and "530 5.7.0" in out, "submission without AUTH refused with 530 5.7.0 (exit %d)" % code)
    return t.done()


if __name__ == "__main__":
    run(main)
