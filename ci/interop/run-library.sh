#!/usr/bin/env bash
# Usage: ci/interop/run-library.sh MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]
# Runs the whole scenario library (scenarios/) against the Dovecot + Postfix that ci/interop/start.sh
# started in RUN_DIR (issue 5), with that run's test CA and the target's known failures
# (fixtures/known-failures/dovecot-postfix.xml: a listed FAIL reports as XFAIL, a PASS as XPASS).
# One scenario at a time (-j 1): the scenarios share alice's and bob's mailboxes, and Postfix
# delivers asynchronously, so parallel scenarios would see each other's mail.
# Exit: mailspec's own status (0 nothing failed or errored, 1 something did, 2 usage or files).
# The whole contract (MAILSPEC_INTEROP_SCENARIOS too): interop_run_library_main in lib/common.sh.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_run_library_main "$@"
