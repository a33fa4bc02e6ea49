#!/usr/bin/env bash
# Usage: ci/interop/run-library.sh MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]
# Runs the whole scenario library (scenarios/) against the Dovecot + Postfix that ci/interop/start.sh
# started in RUN_DIR (issue 5), with that run's test CA and the target's known failures
# (fixtures/known-failures/dovecot-postfix.xml: a listed FAIL reports as XFAIL, a PASS as XPASS).
# One scenario at a time (-j 1): the scenarios share alice's and bob's mailboxes, and Postfix
# delivers asynchronously, so parallel scenarios would see each other's mail.
# Exit: mailspec's own status (0 nothing failed or errored, 1 something did, 2 usage or files).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ $# -lt 3 ]; then
  echo "usage: $0 MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]" >&2
  exit 2
fi
mailspec=$1 run=$2 junit=$3
shift 3
"$mailspec" run --target "$repo/fixtures/targets/dovecot-postfix.xml" --ca "$run/tls/ca.crt" \
  --known-failures "$repo/fixtures/known-failures/dovecot-postfix.xml" -j 1 --junit "$junit" \
  "$@" "$repo/scenarios"
rc=$?
[ $rc -eq 0 ] || echo "interop: mailspec run exited $rc (logs: $run/log/dovecot.log, $run/log/postfix.log)" >&2
exit $rc
