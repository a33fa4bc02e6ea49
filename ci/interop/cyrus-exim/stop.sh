#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/stop.sh [RUN_DIR]
# Stops every process that ci/interop/cyrus-exim/start.sh started in RUN_DIR (default
# <repo>/.interop/cyrus-exim/run): all processes of the stack's mount namespace (Cyrus master and
# its children, Exim's daemon and deliveries, the syslog reader), SIGTERM then SIGKILL. The
# namespace and its mounts vanish with its last process. Bounded (about 30 s at worst); exits 0
# when nothing of theirs is left running, also when nothing was; 1 when something would not die.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_stop_main "$@"
