#!/usr/bin/env python3
"""Smoke test of the Dovecot + Postfix pair started by ci/interop/start.sh, with real clients.

Usage: ci/interop/smoke.py [RUN_DIR]      (default <repo>/.interop; reads RUN_DIR/interop.env)

The checks both stacks share are in lib/interop_smoke.py (its docstring lists them: every port
role, with smtplib / poplib / imaplib, curl and `openssl s_client -starttls`; Postfix hands mail to
Dovecot over LMTP and what is sent is found over POP3 and IMAP, and POP3 DELE removes it from IMAP).
Here: users alice and bob of example.test (ci/interop/templates/passwd.in), and before TLS only
that pop3 offers STLS and imap STARTTLS: Dovecot counts a loopback connection as secured, so a
plaintext login there is printed as a note, not a failure (docs/interop.md).
Exit status: 0 every check passed; 1 a check failed (each failure is printed); 2 cannot start
(no interop.env: run ci/interop/start.sh first).
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import interop_smoke  # noqa: E402

ALICE = ("alice", "secret1", "alice@example.test")
BOB = ("bob", "secret2", "bob@example.test")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DovecotPostfixSmoke(interop_smoke.Smoke):
    servers = "Dovecot + Postfix"
    before_tls = ("pop3_stls_offered", "imap_starttls_offered")
    delivery_hint = "postfix.log: Postfix -> LMTP -> Dovecot"
    u1_name, u2_name = "alice", "bob"

    def check_pop3_stls_offered(self):
        if self.pop3_login_before_stls(BOB[0], BOB[1]):
            self.notes.append("pop3: USER/PASS accepted before STLS, because Dovecot counts "
                              "a connection whose remote IP equals its local IP (loopback) as "
                              "secured (docs/interop.md)")

    def check_imap_starttls_offered(self):
        if "LOGINDISABLED" not in self.imap_capabilities_before_tls():
            self.notes.append("imap: no LOGINDISABLED before STARTTLS, because Dovecot counts "
                              "loopback connections as secured (docs/interop.md)")


if __name__ == "__main__":
    sys.exit(interop_smoke.main(
        sys.argv, lambda env: DovecotPostfixSmoke(env, ALICE, BOB),
        default_run_dir=os.path.join(REPO, ".interop"), start_script="ci/interop/start.sh"))
