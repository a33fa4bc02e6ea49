#!/usr/bin/env bash
# Usage: ci/interop/stop.sh [RUN_DIR]
# Stops the Dovecot and Postfix that ci/interop/start.sh started in RUN_DIR (default <repo>/.interop).
# Bounded (about 30 s at worst); exits 0 when nothing of theirs is left running, also when nothing was.
set -euo pipefail
. "$(dirname "$0")/common.sh"
interop_stop_main "$@"
