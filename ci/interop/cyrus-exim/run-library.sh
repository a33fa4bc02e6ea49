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
# The whole contract: interop_run_library_main in ../lib/common.sh.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_run_library_main "$@"
