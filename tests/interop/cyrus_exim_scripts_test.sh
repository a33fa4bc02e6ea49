#!/usr/bin/env bash
# Checks the contracts of the Cyrus + Exim interop scripts (ci/interop/cyrus-exim/) that need no
# servers: usage errors exit 2, stop.sh on a directory with nothing running exits 0, smoke.py
# without interop.env exits 2 with a clear message, start.sh refuses a foreign non-empty
# directory, every template placeholder is one start.sh replaces, and the target profile's ports
# equal those in common.sh.
set -uo pipefail
scripts=$(cd "$(dirname "$0")/../../ci/interop/cyrus-exim" && pwd)
repo=$(cd "$scripts/../../.." && pwd)
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
check "fetch.sh usage" 2 "usage:" "$scripts/fetch.sh" a b
check "stop.sh missing dir" 0 "nothing to stop" "$scripts/stop.sh" "$tmp/absent"
mkdir -p "$tmp/empty"
check "stop.sh idle dir" 0 "stopped" "$scripts/stop.sh" "$tmp/empty"
check "with-servers.sh usage" 2 "usage:" "$scripts/with-servers.sh" "$tmp/run" true
check "run-library.sh usage" 2 "usage:" "$scripts/run-library.sh" a b
check "smoke.py usage" 2 "usage:" python3 "$scripts/smoke.py" a b
check "smoke.py no env" 2 "run ci/interop/cyrus-exim/start.sh" python3 "$scripts/smoke.py" "$tmp/empty"
printf 'INTEROP_HOST=127.0.0.1\nnot a pair\n' >"$tmp/empty/interop.env"
check "smoke.py bad env line" 2 "interop.env:2: expected KEY=VALUE" python3 "$scripts/smoke.py" "$tmp/empty"
rm "$tmp/empty/interop.env"
# A namespace record naming this very namespace must never make stop.sh kill anything.
mkdir -p "$tmp/self/ns"
readlink /proc/self/ns/mnt >"$tmp/self/ns/mnt-id"
check "stop.sh own namespace" 0 "stopped" "$scripts/stop.sh" "$tmp/self"

if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/precious.txt"
  # MAILSPEC_CYRUS_EXIM_ROOT is left as it is: start.sh fetches (or finds cached) before it looks
  # at the run directory, and then refuses it.
  check "start.sh foreign dir" 1 "refusing to use it" "$scripts/start.sh" "$tmp/foreign"
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
for pair in smtp:$CE_SMTP_PORT submission:$CE_SUBMISSION_PORT submissions:$CE_SUBMISSIONS_PORT \
            pop3:$CE_POP3_PORT pop3s:$CE_POP3S_PORT imap:$CE_IMAP_PORT imaps:$CE_IMAPS_PORT; do
  name=${pair%%:*} port=${pair#*:}
  if ! grep -Eq "<endpoint name=\"$name\" .*port=\"$port\"" "$repo/fixtures/targets/cyrus-exim.xml"; then
    echo "FAIL fixtures/targets/cyrus-exim.xml: endpoint $name does not have port $port (common.sh)"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq "$before" ] && echo "ok   target ports match common.sh"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
