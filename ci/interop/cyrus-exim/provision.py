#!/usr/bin/env python3
"""Makes the Cyrus + Exim stack's accounts from the users of a target file.

Usage: provision.py TARGET_XML SASLPASSWD2 SASLDB REALM EXIM_ETC

For each <user> of TARGET_XML (fixtures/targets/cyrus-exim.xml): a sasldb entry LOGIN@REALM with
the password (saslpasswd2 -p reads it from stdin, so any byte but NUL and newline is kept as it
is), a line "LOGIN: sha256hex(password)" in EXIM_ETC/passwd for Exim's PLAIN and LOGIN, a line
"LOGIN: base64(password)" in EXIM_ETC/secrets for Exim's CRAM-MD5 (which needs the secret itself;
base64 keeps any byte of it safe in a lookup file), and the address's local part in
EXIM_ETC/users for Exim's router. Prints the addresses, one per line; the first is
the postmaster's mailbox. Exit 0, or 1 with the reason (a user without address or in another domain,
a login that is not the address's local part, a password with a newline, saslpasswd2 failing).
"""

import base64
import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def main(argv):
    if len(argv) != 6:
        print(f"usage: {argv[0]} TARGET_XML SASLPASSWD2 SASLDB REALM EXIM_ETC", file=sys.stderr)
        return 2
    target, saslpasswd2, sasldb, realm, exim_etc = argv[1:]
    root = ET.parse(target).getroot()
    domain = next((v.get("value") for v in root.findall("var") if v.get("name") == "domain"), None)
    users = root.findall("user")
    if not domain or not users:
        print(f"provision: {target} needs a domain variable and at least one user", file=sys.stderr)
        return 1
    digests, secrets, locals_, addresses = [], [], [], []
    for user in users:
        login, password, address = user.get("login"), user.get("password"), user.get("address")
        if not address or address.rpartition("@")[2] != domain:
            print(f"provision: user {user.get('id')}: address {address!r} is not in {domain}",
                  file=sys.stderr)
            return 1
        if login.lower() != address.rpartition("@")[0].lower():
            # Cyrus (virtdomains off) names the mailbox after the login, and lmtpd delivers to
            # the address's local part: they must be the same name.
            print(f"provision: user {user.get('id')}: login {login!r} is not the local part of "
                  f"{address!r}", file=sys.stderr)
            return 1
        if "\n" in password or "\r" in password or "\0" in password:
            print(f"provision: user {user.get('id')}: the password holds CR, LF or NUL",
                  file=sys.stderr)
            return 1
        done = subprocess.run([saslpasswd2, "-p", "-c", "-f", sasldb, "-u", realm, login],
                              input=password.encode(), capture_output=True, timeout=30)
        if done.returncode != 0:
            print(f"provision: saslpasswd2 for {login} failed: "
                  f"{done.stderr.decode(errors='replace').strip()}", file=sys.stderr)
            return 1
        digests.append(f"{login}: {hashlib.sha256(password.encode()).hexdigest()}\n")
        secrets.append(f"{login}: {base64.b64encode(password.encode()).decode()}\n")
        locals_.append(f"{address.rpartition('@')[0].lower()}\n")
        addresses.append(address)
    with open(os.path.join(exim_etc, "passwd"), "w", encoding="utf-8") as f:
        f.writelines(digests)
    with open(os.path.join(exim_etc, "secrets"), "w", encoding="utf-8") as f:
        f.writelines(secrets)
    with open(os.path.join(exim_etc, "users"), "w", encoding="utf-8") as f:
        f.writelines(locals_)
    print("\n".join(addresses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
