#!/usr/bin/env bash
# Checks the interop scripts' contracts that need no servers: usage errors exit 2, stop.sh on a
# directory with nothing running exits 0, smoke.py without interop.env exits 2 with a clear message,
# start.sh refuses a foreign non-empty directory, the templates leave no placeholder unknown to
# start.sh, and the target profile's ports equal those in common.sh.
set -uo pipefail
scripts=$(cd "$(dirname "$0")/../../ci/interop" && pwd)
repo=$(cd "$scripts/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
failures=0
check() { # check NAME EXPECTED_RC EXPECTED_TEXT CMD...: runs CMD, compares exit status and output.
  local name=$1 want_rc=$2 want_text=$3 out rc
  shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want_rc" ] || [[ $out != *"$want_text"* ]]; then
    echo "FAIL $name: exit $rc (expected $want_rc), output: $out (expected to contain: $want_text)"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

check "start.sh usage" 2 "usage:" "$scripts/start.sh" a b
check "start.sh option" 2 "usage:" "$scripts/start.sh" --help
check "stop.sh usage" 2 "usage:" "$scripts/stop.sh" a b
check "stop.sh missing dir" 0 "nothing to stop" "$scripts/stop.sh" "$tmp/absent"
mkdir -p "$tmp/empty"
check "stop.sh idle dir" 0 "stopped" "$scripts/stop.sh" "$tmp/empty"
check "with-servers.sh usage" 2 "usage:" "$scripts/with-servers.sh" "$tmp/run" true
check "run-mailspec.sh usage" 2 "usage:" "$scripts/run-mailspec.sh" a b
check "run-library.sh usage" 2 "usage:" "$scripts/run-library.sh" a b
check "smoke.py usage" 2 "usage:" python3 "$scripts/smoke.py" a b
check "smoke.py no env" 2 "run ci/interop/start.sh" python3 "$scripts/smoke.py" "$tmp/empty"
printf 'INTEROP_HOST=127.0.0.1\nnot a pair\n' >"$tmp/empty/interop.env"
check "smoke.py bad env line" 2 "interop.env:2: expected KEY=VALUE" python3 "$scripts/smoke.py" "$tmp/empty"
rm "$tmp/empty/interop.env"

if [ "$(id -u)" -eq 0 ] && command -v dovecot >/dev/null && command -v postfix >/dev/null; then
  mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/precious.txt"
  check "start.sh foreign dir" 1 "refusing to use it" "$scripts/start.sh" "$tmp/foreign"
  check "start.sh odd path" 1 "may hold only" "$scripts/start.sh" "$tmp/with space"
  [ -f "$tmp/foreign/precious.txt" ] || { echo "FAIL start.sh deleted a foreign file"; failures=$((failures + 1)); }
fi

# Every placeholder in the templates is one start.sh replaces.
before=$failures
known=$(grep -o '@[A-Z_]*@|' "$scripts/start.sh" | tr -d '|' | sort -u)
for placeholder in $(grep -ho '@[A-Z_]*@' "$scripts"/templates/*.in | sort -u); do
  if ! grep -qx -- "$placeholder" <<<"$known"; then
    echo "FAIL template placeholder $placeholder is not replaced by start.sh"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq "$before" ] && echo "ok   template placeholders"

# The target profile names the ports the scripts start.
. "$scripts/common.sh"
before=$failures
for pair in smtp:$INTEROP_SMTP_PORT submission:$INTEROP_SUBMISSION_PORT \
            submissions:$INTEROP_SUBMISSIONS_PORT pop3:$INTEROP_POP3_PORT pop3s:$INTEROP_POP3S_PORT \
            imap:$INTEROP_IMAP_PORT imaps:$INTEROP_IMAPS_PORT; do
  name=${pair%%:*} port=${pair#*:}
  if ! grep -q "name=\"$name\" .*port=\"$port\"" "$repo/fixtures/targets/dovecot-postfix.xml"; then
    echo "FAIL fixtures/targets/dovecot-postfix.xml: endpoint $name should use port $port"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq "$before" ] && echo "ok   target ports"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
