#!/usr/bin/env bash
# Usage: ci/interop/with-servers.sh RUN_DIR -- CMD [ARG...]
# Starts Dovecot + Postfix in RUN_DIR (ci/interop/start.sh), runs CMD, stops them (always, also when
# CMD fails or this script is interrupted; at once on SIGINT / SIGTERM / SIGHUP, not when CMD ends)
# and exits with CMD's status.
# Exit 77 (ctest SKIP_RETURN_CODE) when this machine cannot run them: not root, or the Debian packages
# are missing. Exit 1 when they would not start. Only one interop run at a time can hold the fixed
# ports: runs from different build directories queue on a lock (MAILSPEC_INTEROP_LOCK, default
# /tmp/mailspec-interop.lock; at most 10 minutes). The whole contract: interop_with_servers_main in
# lib/common.sh.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_with_servers_main "$@"
