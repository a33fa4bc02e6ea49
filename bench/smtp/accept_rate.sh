#!/usr/bin/env bash
# SMTP accept rate (issue 3, "Performance"): a benchmark script, not a timed test.
#
# Usage: bench/smtp/accept_rate.sh [--smoke] [--server PATH] [--messages N] [--runs N]
#                                  [--sessions N] [--size BYTES] [--no-postfix] [--interop-run DIR]
#                                  [--server-arg ARG]...
#
# Postfix's smtp-source (/usr/sbin/smtp-source, Debian package postfix) sends N messages of SIZE
# bytes over SESSIONS concurrent sessions (one SMTP connection per message, smtp-source's default)
# to alice@example.test at
#   * mailspec-server, smtp endpoint (relay role, RFC 5321 §3.6: local recipient, no AUTH), with
#     its store on disk: 250 after DATA means the message was fsync'd (docs/reference-server.md);
#   * Postfix on 127.0.0.1:20025 (ci/interop), which answers 250 once the message is safe in its
#     queue (durable) and delivers to Dovecot over LMTP afterwards, asynchronously.
# Each run starts a fresh mailspec-server; runs alternate between the servers so both see the same
# machine load. Prints one line per run and a summary with the medians; also checks that every
# message reached alice's Maildir (mailspec-server at once; Postfix+Dovecot within a bounded wait,
# reported as the "delivered" time).
#
# --server-arg passes ARG to mailspec-server (repeatable; e.g. --server-arg --threads=8).
# Defaults: N=2000, SESSIONS=10, SIZE=4096, RUNS=3. --smoke: N=20, RUNS=1 (for ctest: the script
# must produce positive figures; no speed is asserted).
# Postfix runs inside ci/interop/with-servers.sh (needs root); --no-postfix measures only
# mailspec-server. Exit: 0 done, 1 a run failed, 2 usage, 77 cannot run here (no smtp-source,
# or Dovecot/Postfix unavailable). Connects only to 127.0.0.1; every wait is bounded.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

server=${MAILSPEC_SERVER:-}
messages=2000
runs=3
sessions=10
size=4096
postfix=1
interop_run=""
inside=0
server_args=()
postfix_port=20025

usage() {
  sed -n '4,6p' "$0" | sed 's/^# //' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --smoke) messages=20; runs=1 ;;
    --server) server=${2:?}; shift ;;
    --messages) messages=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --sessions) sessions=${2:?}; shift ;;
    --size) size=${2:?}; shift ;;
    --no-postfix) postfix=0 ;;
    --interop-run) interop_run=${2:?}; shift ;;
    --server-arg) server_args+=("${2:?}"); shift ;;
    --inside-interop) inside=1 ;;  # internal: re-executed by with-servers.sh
    -h|--help) usage ;;
    *) echo "accept_rate: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done

for value in "$messages" "$runs" "$sessions" "$size"; do
  [[ $value =~ ^[1-9][0-9]{0,6}$ ]] || { echo "accept_rate: '$value' is not a positive count" >&2; exit 2; }
done
[ -n "$server" ] || server=$root/build/bin/mailspec-server
[ -x "$server" ] || { echo "accept_rate: mailspec-server not found at '$server' (use --server PATH)" >&2; exit 2; }
server=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
smtp_source=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$smtp_source" ] || { echo "accept_rate: smtp-source not found (Debian package postfix)" >&2; exit 77; }

if [ $postfix -eq 1 ] && [ $inside -eq 0 ]; then
  # Start Dovecot + Postfix around a second invocation of this script.
  [ -n "$interop_run" ] || interop_run=${TMPDIR:-/tmp}/mailspec-bench-interop
  forwarded=()
  for arg in "${server_args[@]}"; do forwarded+=(--server-arg "$arg"); done
  exec "$root/ci/interop/with-servers.sh" "$interop_run" -- "$0" --inside-interop \
    --interop-run "$interop_run" --server "$server" --messages "$messages" --runs "$runs" \
    --sessions "$sessions" --size "$size" "${forwarded[@]}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mailspec-bench-smtp.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
# seconds START END -> END-START with millisecond precision
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s", v[int((NR + 1) / 2)] }'; }
# count_messages DIR: regular files in DIR/new and DIR/cur (a Maildir's messages).
count_messages() { find "$1/new" "$1/cur" -maxdepth 1 -type f 2>/dev/null | wc -l; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# A configuration with only the smtp endpoint on a free port and the store in the work directory
# (on disk, not tmpfs: checked below).
write_config() {
  cat >"$work/server.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<server hostname="bench.example.test">
  <store path="store"/>
  <domain name="example.test"/>
  <user login="alice" password="secret1" address="alice@example.test"/>
  <endpoint name="smtp" role="smtp" port="0"/>
</server>
EOF
}

# start_server: starts mailspec-server with a fresh store; sets server_pid and server_port.
start_server() {
  rm -rf -- "$work/store"
  : >"$work/ready"
  "$server" --config "$work/server.xml" "${server_args[@]}" >"$work/ready" 2>"$work/server.log" &
  server_pid=$!
  local tenths=100 line
  while ((tenths-- > 0)); do
    line=$(head -n 1 "$work/ready")
    case $line in *" smtp="*) break ;; esac
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  line=$(head -n 1 "$work/ready")
  server_port=$(sed -n 's/.* smtp=\([0-9][0-9]*\).*/\1/p' <<<"$line")
  if [ -z "$server_port" ]; then
    echo "accept_rate: mailspec-server printed no ready line within 10 s: '$line'" >&2
    cat "$work/server.log" >&2
    return 1
  fi
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null
  local tenths=100
  while kill -0 "$server_pid" 2>/dev/null && ((tenths-- > 0)); do sleep 0.1; done
  kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

# send PORT: runs smtp-source against 127.0.0.1:PORT, bounded by timeout; prints elapsed seconds.
send() {
  local port=$1 start end limit=$((60 + messages / 5))
  start=$(now)
  if ! timeout "$limit" "$smtp_source" -s "$sessions" -l "$size" -m "$messages" \
      -f bench@bench.example.test -t alice@example.test -M bench.example.test \
      "127.0.0.1:$port" >"$work/smtp-source.log" 2>&1; then
    echo "accept_rate: smtp-source against port $port failed or exceeded ${limit}s:" >&2
    tail -n 5 "$work/smtp-source.log" >&2
    return 1
  fi
  end=$(now)
  if grep -q . "$work/smtp-source.log"; then
    echo "accept_rate: smtp-source reported against port $port:" >&2
    tail -n 5 "$work/smtp-source.log" >&2
    return 1
  fi
  seconds "$start" "$end"
}

# wait_delivered DIR COUNT LIMIT START: waits until DIR holds COUNT messages (at most LIMIT s);
# prints seconds since START, or fails.
wait_delivered() {
  local dir=$1 want=$2 limit=$3 start=$4 tenths=$(($3 * 10)) have
  while ((tenths-- > 0)); do
    have=$(count_messages "$dir")
    [ "$have" -ge "$want" ] && { seconds "$start" "$(now)"; return 0; }
    sleep 0.1
  done
  echo "accept_rate: only $(count_messages "$dir") of $want messages in $dir after ${limit}s" >&2
  return 1
}

write_config
fs=$(stat -f -c %T "$work")
echo "# accept_rate: $messages messages of $size bytes, $sessions sessions, $runs runs;" \
     "server arguments: ${server_args[*]:-none}; store filesystem $fs; $(nproc) cores; load $(loadavg)"
[ "$fs" = tmpfs ] && echo "# warning: the work directory is on tmpfs, so fsync is free; set TMPDIR to a disk"

mailspec_rates=()
postfix_rates=()
delivered_rates=()
for ((run = 1; run <= runs; run++)); do
  start_server || exit 1
  elapsed=$(send "$server_port") || { stop_server; exit 1; }
  stored=$(count_messages "$work/store/alice/Maildir")
  stop_server
  if [ "$stored" -ne "$messages" ]; then
    echo "accept_rate: mailspec-server stored $stored of $messages messages" >&2
    exit 1
  fi
  r=$(rate "$messages" "$elapsed")
  mailspec_rates+=("$r")
  echo "run=$run server=mailspec-server messages=$messages seconds=$elapsed rate=$r/s stored=$stored load=$(loadavg)"

  if [ $postfix -eq 1 ]; then
    maildir=$interop_run/mail/alice/Maildir
    before=$(count_messages "$maildir")
    start=$(now)
    elapsed=$(send "$postfix_port") || exit 1
    r=$(rate "$messages" "$elapsed")
    postfix_rates+=("$r")
    delivered=$(wait_delivered "$maildir" $((before + messages)) $((60 + messages / 10)) "$start") || exit 1
    d=$(rate "$messages" "$delivered")
    delivered_rates+=("$d")
    echo "run=$run server=postfix messages=$messages seconds=$elapsed rate=$r/s" \
         "delivered_to_dovecot_after=${delivered}s delivered_rate=$d/s load=$(loadavg)"
  fi
done

summary="summary mailspec-server_median=$(median "${mailspec_rates[@]}")/s"
if [ $postfix -eq 1 ]; then
  m=$(median "${mailspec_rates[@]}")
  p=$(median "${postfix_rates[@]}")
  summary+=" postfix_accept_median=$p/s postfix_delivered_median=$(median "${delivered_rates[@]}")/s"
  summary+=" ratio=$(awk -v m="$m" -v p="$p" 'BEGIN { printf "%.2f", (p > 0 ? m / p : 0) }')"
fi
echo "$summary"
# A figure of zero means something did not work (the clock, or smtp-source sent nothing).
for r in "${mailspec_rates[@]}" "${postfix_rates[@]}" "${delivered_rates[@]}"; do
  awk -v r="$r" 'BEGIN { exit !(r > 0) }' || { echo "accept_rate: a rate is not positive: $r" >&2; exit 1; }
done
