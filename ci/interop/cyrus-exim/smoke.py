#!/usr/bin/env python3
"""Smoke test of the Cyrus IMAP + Exim stack started by ci/interop/cyrus-exim/start.sh, with real clients.

Usage: ci/interop/cyrus-exim/smoke.py [RUN_DIR]
       (default <repo>/.interop/cyrus-exim/run; reads RUN_DIR/interop.env and the target file it names)

The checks both stacks share are in ../lib/interop_smoke.py (its docstring lists them: every port
role, with smtplib / poplib / imaplib, curl and `openssl s_client -starttls`; Exim hands mail to
Cyrus over LMTP and what is sent is found over POP3 and IMAP, and POP3 DELE removes it from IMAP).
Here: the target's two users (whose passwords hold a space, a double quote and a backslash); the
relay port must refuse unknown local users at RCPT (550); before TLS, pop3 must offer STLS and
refuse USER, imap must offer STARTTLS and announce LOGINDISABLED (RFC 2595 §3.1, RFC 3501 §6.2.3).
Exit status: 0 every check passed; 1 a check failed (each failure is printed); 2 cannot start
(no interop.env: run ci/interop/cyrus-exim/start.sh first).
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import interop_smoke  # noqa: E402
from interop_smoke import expect  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class CyrusEximSmoke(interop_smoke.Smoke):
    before_tls = ("pop3_no_plaintext_login", "imap_logindisabled")
    subject_prefix = "mailspec cyrus-exim smoke"
    delivery_hint = "RUN_DIR/log/exim/mainlog and log/syslog.log"
    refuses_unknown_local_user = True
    curl_imap_search = False

    def __init__(self, env):
        super().__init__(env, *interop_smoke.load_users(env["INTEROP_TARGET"]))
        self.servers = env.get("INTEROP_VERSIONS", "Cyrus + Exim")

    def check_pop3_no_plaintext_login(self):
        expect(not self.pop3_login_before_stls(self.u2[0]),
               "pop3: USER accepted before STLS (RFC 2595 §3.1)")

    def check_imap_logindisabled(self):
        capabilities = self.imap_capabilities_before_tls()
        expect("LOGINDISABLED" in capabilities,
               f"imap: no LOGINDISABLED before STARTTLS: {capabilities}")


if __name__ == "__main__":
    sys.exit(interop_smoke.main(
        sys.argv, CyrusEximSmoke, default_run_dir=os.path.join(REPO, ".interop", "cyrus-exim", "run"),
        start_script="ci/interop/cyrus-exim/start.sh", extra_env_keys=("INTEROP_TARGET",)))
