#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/with-servers.sh RUN_DIR -- CMD [ARG...]
# Starts Cyrus + Exim in RUN_DIR (ci/interop/cyrus-exim/start.sh), runs CMD, stops them (always,
# also when CMD fails or this script is interrupted) and exits with CMD's status.
# Exit 77 (ctest SKIP_RETURN_CODE) when this machine cannot run them (start.sh says why), 1 when
# they would not start. Only one run at a time can hold the fixed ports: runs from different build
# directories queue on a lock file (MAILSPEC_INTEROP_CYRUS_EXIM_LOCK, default
# /tmp/mailspec-interop-cyrus-exim.lock; at most 10 minutes). The Dovecot + Postfix stack uses
# other ports and its own lock, so the two stacks may run side by side.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 3 ] || [ "$2" != "--" ]; then
  echo "usage: $0 RUN_DIR -- CMD [ARG...]" >&2
  exit 2
fi
run=$1
shift 2

lock=${MAILSPEC_INTEROP_CYRUS_EXIM_LOCK:-/tmp/mailspec-interop-cyrus-exim.lock}
if [ "$(id -u)" -ne 0 ]; then
  echo "interop(cyrus-exim): skipped: Cyrus and Exim need root to start (running as uid $(id -u))" >&2
  exit 77
fi
[ -e "$lock" ] || : >>"$lock"
exec 9<"$lock" || { echo "interop(cyrus-exim): cannot open lock file $lock" >&2; exit 1; }
if ! flock -w 600 9; then
  echo "interop(cyrus-exim): another run held $lock for 10 minutes; giving up" >&2
  exit 1
fi

# The lock descriptor is closed for the children: a daemon must never keep the lock after we exit.
rc=0
"$here/start.sh" "$run" 9>&- || rc=$?
if [ $rc -ne 0 ]; then
  exit $rc  # 77 = skip, 1 = could not start (start.sh printed why and stopped what it started)
fi

stopped=0
stop_servers() {
  if [ $stopped -eq 0 ]; then
    stopped=1
    "$here/stop.sh" "$run" 9>&- || echo "interop(cyrus-exim): stop.sh failed for $run" >&2
  fi
}
trap stop_servers EXIT
# CMD runs in the background and this script waits for it: bash runs a trap only between
# commands, so with CMD in the foreground a SIGTERM (ctest's timeout, a CI cancel) would leave the
# servers running until CMD ended by itself. On INT / TERM / HUP, CMD gets the same signal and the
# servers are stopped at once (the EXIT trap).
cmd_pid=
forward() { # forward SIGNAL STATUS
  [ -z "$cmd_pid" ] || kill -"$1" "$cmd_pid" 2>/dev/null || true
  exit "$2"
}
trap 'forward INT 130' INT
trap 'forward TERM 143' TERM
trap 'forward HUP 129' HUP

"$@" 9>&- <&0 &
cmd_pid=$!
rc=0
wait "$cmd_pid" || rc=$?
cmd_pid=
stop_servers
exit $rc
