#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/with-servers.sh RUN_DIR -- CMD [ARG...]
# Starts Cyrus + Exim in RUN_DIR (ci/interop/cyrus-exim/start.sh), runs CMD, stops them (always,
# also when CMD fails or this script is interrupted; at once on SIGINT / SIGTERM / SIGHUP, not when
# CMD ends) and exits with CMD's status.
# Exit 77 (ctest SKIP_RETURN_CODE) when this machine cannot run them (start.sh says why), 1 when
# they would not start. Only one run at a time can hold the fixed ports: runs from different build
# directories queue on a lock file (MAILSPEC_INTEROP_CYRUS_EXIM_LOCK, default
# /tmp/mailspec-interop-cyrus-exim.lock; at most 10 minutes). The Dovecot + Postfix stack uses
# other ports and its own lock, so the two stacks may run side by side. The whole contract:
# interop_with_servers_main in ../lib/common.sh.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_with_servers_main "$@"
