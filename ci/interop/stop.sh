#!/usr/bin/env bash
# Usage: ci/interop/stop.sh [RUN_DIR]
# Stops the Dovecot and Postfix that ci/interop/start.sh started in RUN_DIR (default <repo>/.interop).
# Bounded (about 30 s at worst); exits 0 when nothing of theirs is left running, also when nothing was.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: $0 [RUN_DIR]" >&2
  exit 2
fi
run=${1:-$(interop_repo_root)/.interop}
if [ ! -d "$run" ]; then
  interop_log "nothing to stop: $run does not exist"
  exit 0
fi
run=$(cd -- "$run" && pwd)
interop_stop "$run"
interop_log "stopped (logs stay in $run/log)"
