#!/usr/bin/env bash
# SMTP accept rate with durable storage (a benchmark, not a test; issue 3 "Performance").
#
# Usage: bench/server/smtp_throughput.sh PATH/TO/mailspec-server [MESSAGES] [SESSIONS] [BYTES]
#        (defaults: 2000 messages, 10 concurrent sessions, 4096-byte bodies)
#
# Sends MESSAGES messages with Postfix's smtp-source (one message per connection, SESSIONS at once)
#  1. to mailspec-server, port-25 role, with its store on disk (every message fsync'd before 250),
#  2. in the same run, to Postfix delivering to Dovecot over LMTP (ci/interop/with-servers.sh; needs
#     root and the Debian packages, otherwise skipped), on its smtp port 20025.
# Prints messages/second for each. Loopback only; each step is bounded by `timeout`.
set -euo pipefail
server=${1:?usage: $0 PATH/TO/mailspec-server [MESSAGES] [SESSIONS] [BYTES]}
messages=${2:-2000}
sessions=${3:-10}
bytes=${4:-4096}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
command -v smtp-source >/dev/null || { echo "smtp-source not found (Debian package postfix)" >&2; exit 1; }

work=$(mktemp -d "${repo}/build-bench-XXXXXX")  # on the project's disk, not tmpfs
chmod 755 "$work"  # the Postfix and Dovecot users must reach the interop run directory
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/server.xml" <<XML
<server hostname="bench.example.test">
  <store path="store"/>
  <domain name="example.test"/>
  <user login="bob" password="secret2" address="bob@example.test"/>
  <endpoint name="smtp" role="smtp" port="0"/>
  <limits max-connections="4000"/>
</server>
XML

rate() {  # rate LABEL HOST:PORT
  local started ended
  started=$(date +%s.%N)
  timeout 600 smtp-source -s "$sessions" -m "$messages" -l "$bytes" -M client.example.test \
    -f alice@example.test -t bob@example.test "$2"
  ended=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print('%-34s %6d messages in %6.2f s = %7.1f messages/s' % (sys.argv[3], int(sys.argv[4]), s, int(sys.argv[4])/s))" \
    "$started" "$ended" "$1" "$messages"
}

"$server" --config "$work/server.xml" >"$work/ready" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 500); do [ -s "$work/ready" ] && break; sleep 0.01; done
port=$(sed -n 's/.* smtp=\([0-9]*\).*/\1/p' "$work/ready")
[ -n "$port" ] || { echo "mailspec-server did not start: $(cat "$work/stderr")" >&2; exit 1; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workload: $messages messages of $bytes bytes, $sessions concurrent sessions, one message per connection"
rate "mailspec-server (Maildir, fsync)" "127.0.0.1:$port"
stored=$(find "$work/store/bob/Maildir/new" -type f | wc -l)
echo "mailspec-server stored $stored messages"
kill -TERM "$pid"; wait "$pid" || true; pid=""

if [ "$(id -u)" -eq 0 ] && [ -x "$repo/ci/interop/with-servers.sh" ]; then
  export -f rate
  export messages sessions bytes
  "$repo/ci/interop/with-servers.sh" "$work/interop" -- \
    bash -c 'rate "Postfix -> LMTP -> Dovecot" 127.0.0.1:20025' || echo "Postfix + Dovecot comparison skipped or failed (exit $?)"
else
  echo "Postfix + Dovecot comparison skipped (needs root and ci/interop)"
fi
