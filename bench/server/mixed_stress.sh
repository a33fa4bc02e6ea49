#!/usr/bin/env bash
# Mixed-protocol stress benchmark of mailspec-server (issue 15): tests/stress/mixed_stress.py with
# 50 clients (30 IMAP on one shared mailbox, 10 SMTP, 10 POP3) for 10 minutes by default. Prints
# the figures (commands/s per protocol, sessions, messages verified, errors, protocol violations)
# and writes them as JSON. Exit code: the stress test's (0 only with no error of any kind).
#   bench/server/mixed_stress.sh [--server PATH] [--seconds S] [--json FILE] [-- MORE STRESS OPTIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server="$root/build/bin/mailspec-server"
seconds=600
json="$root/reports/mixed-stress.json"
while (($#)); do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--server PATH] [--seconds S] [--json FILE] [-- STRESS OPTIONS]" >&2; exit 2 ;;
  esac
done
[ -x "$server" ] || { echo "mixed_stress.sh: no mailspec-server at $server (build it first)" >&2; exit 2; }
mkdir -p "$(dirname "$json")"
echo "mixed_stress: $(date -u '+%F %T UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
python3 "$root/tests/stress/mixed_stress.py" "$server" --seconds "$seconds" \
  --imap 30 --smtp 10 --pop3 10 --json "$json" "$@" || status=$?
echo "mixed_stress: finished $(date -u '+%T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg); figures in $json"
exit $status
