#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/run-library.sh MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]
# Runs the whole scenario library (scenarios/) against the Cyrus + Exim that
# ci/interop/cyrus-exim/start.sh started in RUN_DIR, with fixtures/targets/cyrus-exim.xml, that
# run's test CA and the stack's known failures (fixtures/known-failures/cyrus-exim.xml: a listed
# FAIL reports as XFAIL, a PASS as XPASS). One scenario at a time (-j 1): the scenarios share the
# two users' mailboxes and Exim delivers asynchronously, so parallel scenarios would see each
# other's mail.
# MAILSPEC_INTEROP_SCENARIOS may name another scenario folder (default <repo>/scenarios), e.g. a
# `git archive` of a commit whose library matches an older mailspec binary.
# Exit: mailspec's own status (0 nothing failed or errored, 1 something did, 2 usage or files).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
if [ $# -lt 3 ]; then
  echo "usage: $0 MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]" >&2
  exit 2
fi
mailspec=$1 run=$2 junit=$3
shift 3
rc=0
"$mailspec" run --target "$repo/fixtures/targets/cyrus-exim.xml" --ca "$run/tls/ca.crt" \
  --known-failures "$repo/fixtures/known-failures/cyrus-exim.xml" -j 1 --junit "$junit" \
  "$@" "${MAILSPEC_INTEROP_SCENARIOS:-$repo/scenarios}" || rc=$?
[ $rc -eq 0 ] || echo "interop(cyrus-exim): mailspec run exited $rc (logs: $run/log/syslog.log, $run/log/exim/mainlog)" >&2
exit $rc
