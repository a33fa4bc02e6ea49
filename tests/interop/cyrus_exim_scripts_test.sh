#!/usr/bin/env bash
# The checks of scripts_test.sh (beside this file) for the Cyrus IMAP + Exim stack
# (ci/interop/cyrus-exim/), run by ctest interop.cyrus-exim.scripts; exit status as there.
set -euo pipefail
exec "$(dirname "$0")/scripts_test.sh" cyrus-exim
