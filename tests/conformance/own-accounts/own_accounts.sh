#!/usr/bin/env bash
# conformance.own-accounts (issue 9, "test it as a user would"): the whole library against the
# reference server configured with users, passwords and a domain of our own making (server.xml),
# through a target file as a user writes one (target.xml: ports and a password from ${env:...},
# the second user from --user). Asserts 0 FAIL and 0 ERROR, that every SKIP is one a protocol or
# the server's capabilities justify, and that no password or SASL response reaches the reports.
# Usage: own_accounts.sh MAILSPEC MAILSPEC_SERVER SOURCE_DIR WORK_DIR
set -u
mailspec=$1 server=$2 src=$3 work=$4
here="$src/tests/conformance/own-accounts"
rm -rf "$work" && mkdir -p "$work"
cp "$here/server.xml" "$work/server.xml"
out="$work/run.txt"

fail() { echo "FAIL: $*"; [ -f "$out" ] && tail -n 60 "$out"; exit 1; }

"$server" --config "$work/server.xml" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 1 150); do
  grep -q '^mailspec-server ready' "$work/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err"; fail "mailspec-server exited before its ready line"; }
  sleep 0.1
done
ready=$(grep '^mailspec-server ready' "$work/server.out") || fail "no ready line within 15 s"
for pair in ${ready#mailspec-server ready }; do
  name=${pair%%=*} port=${pair#*=}
  export "OWN_PORT_$(echo "$name" | tr '[:lower:]' '[:upper:]')=$port"
done

# The secrets, exactly as in server.xml (XML-unescaped).
export OWN_PASSWORD_USER='an "odd" pâss\wörd 100%'
user2_password='two words "quoted" back\slash\ 50%'

cd "$src" || fail "cannot cd to $src"
timeout 600 "$mailspec" run --target "$here/target.xml" --user "user2:second_box:$user2_password" \
  -j 2 --timeout 10 --junit "$work/junit.xml" scenarios >"$out" 2>&1
rc=$?
summary=$(tail -n 1 "$out")
echo "$summary"
case "$summary" in
  *" passed, 0 failed, "*" skipped, 0 errors") ;;
  *) fail "expected 0 failed and 0 errors, got: $summary (exit $rc)" ;;
esac
[ "$rc" -eq 0 ] || fail "mailspec exited $rc"

# Every SKIP: a capability the server does not advertise, or a value the protocol cannot carry.
# The console prints each SKIP line followed by its reason, indented.
awk '/^SKIP /{id=$2; getline reason; sub(/^ +/, "", reason); print id ": " reason}' "$out" >"$work/skips.txt"
skipped=$(echo "$summary" | sed -E 's/.* ([0-9]+) skipped.*/\1/')
[ "$(wc -l <"$work/skips.txt")" -eq "$skipped" ] || fail "expected $skipped SKIP reasons in the console output"
echo "$skipped skipped:"
cat "$work/skips.txt"
while IFS= read -r line; do
  case "$line" in
    *": the server does not advertise "*) ;;
    *": the value of \${user.password} cannot be sent as a POP3 PASS argument: it contains a byte outside printable ASCII"*) ;;
    *": the value of \${user.password} cannot be an IMAP quoted string: it contains CR, LF, NUL or 8-bit octets"*) ;;
    *) fail "unexplained SKIP: $line" ;;
  esac
done <"$work/skips.txt"
# The 8-bit password must have been carried where the protocol allows: IMAP (literal), SASL.
grep -q '^PASS  *imap.3501.login.literal ' "$out" || fail "imap.3501.login.literal did not pass"
grep -q '^PASS  *imap.3501.authenticate.plain ' "$out" || fail "imap.3501.authenticate.plain did not pass"
grep -q '^PASS  *smtp.4954.auth.plain-initial-response ' "$out" || fail "smtp AUTH PLAIN did not pass"

# Redaction: neither password, nor a SASL PLAIN or base64 form of one, in the console or the JUnit.
b64() { printf '%s' "$1" | base64 -w0; }
for secret in "$OWN_PASSWORD_USER" "$user2_password" "pâss" "back\\slash" \
              "$(printf '\0m.tester\0%s' "$OWN_PASSWORD_USER" | base64 -w0)" \
              "$(printf '\0second_box\0%s' "$user2_password" | base64 -w0)" \
              "$(b64 "$OWN_PASSWORD_USER")" "$(b64 "$user2_password")"; do
  grep -qF -- "$secret" "$out" "$work/junit.xml" && fail "a secret reached the reports: $secret"
done
grep -qF "&lt;redacted" "$work/junit.xml" || fail "the JUnit transcripts show no <redacted>"

# The same server through a smaller target, as many users have one: no pop3s endpoint and one
# user only. What needs the missing parts is SKIP with the reason; nothing FAILs or ERRORs.
grep -v -e 'name="pop3s"' -e 'id="user2"' "$here/target.xml" >"$work/partial.xml"
out="$work/partial.txt"
timeout 600 "$mailspec" run --target "$work/partial.xml" -j 2 --timeout 10 scenarios >"$out" 2>&1
rc=$?
summary=$(tail -n 1 "$out")
echo "partial target: $summary"
case "$summary" in
  *" passed, 0 failed, "*" skipped, 0 errors") ;;
  *) fail "partial target: expected 0 failed and 0 errors, got: $summary (exit $rc)" ;;
esac
[ "$rc" -eq 0 ] || fail "partial target: mailspec exited $rc"
grep -qx '      target has no pop3s endpoint' "$out" || fail "partial target: no 'target has no pop3s endpoint' SKIP"
grep -qx "      target has no second user (user id 'user2')" "$out" || fail "partial target: no 'second user' SKIP"
echo "own-accounts: ok"
