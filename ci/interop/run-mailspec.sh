#!/usr/bin/env bash
# Usage: ci/interop/run-mailspec.sh MAILSPEC RUN_DIR JUNIT PATH... [-- EXTRA_RUN_OPTIONS...]
# Runs `MAILSPEC run` with fixtures/targets/dovecot-postfix.xml against the Dovecot + Postfix that
# ci/interop/start.sh started in RUN_DIR, trusting that run's test CA, writing JUnit to JUNIT.
# Beyond mailspec's own exit status it checks the JUnit file: at least one testcase ran, and none
# was skipped or failed. The samples have no <requires>, so any skip there means a setup problem.
# When MAILSPEC_JUNIT_XSD names a schema file, the JUnit file must also validate against it.
# Exit: mailspec's status when it is not 0; 1 when the JUnit check fails; 0 otherwise.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [ $# -lt 4 ]; then
  echo "usage: $0 MAILSPEC RUN_DIR JUNIT PATH... [-- EXTRA_RUN_OPTIONS...]" >&2
  exit 2
fi
mailspec=$1 run=$2 junit=$3
shift 3
paths=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do paths+=("$1"); shift; done
[ $# -gt 0 ] && shift
extra=("$@")

rm -f -- "$junit"
"$mailspec" run --target "$repo/fixtures/targets/dovecot-postfix.xml" --ca "$run/tls/ca.crt" \
  --junit "$junit" "${extra[@]+"${extra[@]}"}" "${paths[@]}"
rc=$?
if [ $rc -ne 0 ]; then
  echo "interop: mailspec run exited $rc (logs: $run/log/dovecot.log, $run/log/postfix.log)" >&2
  exit $rc
fi
if [ ! -s "$junit" ]; then
  echo "interop: mailspec run exited 0 but wrote no JUnit file at $junit" >&2
  exit 1
fi
if ! xmllint --noout "$junit"; then
  echo "interop: $junit is not well-formed XML" >&2
  exit 1
fi
if [ -n "${MAILSPEC_JUNIT_XSD:-}" ]; then
  xmllint --noout --schema "$MAILSPEC_JUNIT_XSD" "$junit" ||
    { echo "interop: $junit does not validate against $MAILSPEC_JUNIT_XSD" >&2; exit 1; }
fi
count() { xmllint --xpath "count($1)" "$junit" 2>/dev/null || echo "?"; }
cases=$(count '//testcase') skipped=$(count '//testcase[skipped]')
bad=$(count '//testcase[failure or error]')
echo "interop: JUnit $junit: $cases testcases, $skipped skipped, $bad failed or in error"
if [ "$cases" = "?" ] || [ "$cases" = 0 ] || [ "$skipped" != 0 ] || [ "$bad" != 0 ]; then
  echo "interop: expected every testcase to pass" >&2
  exit 1
fi
