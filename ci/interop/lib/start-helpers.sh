# shellcheck shell=bash
# The parts of starting a stack that both interop stacks' start.sh share (sourced after the stack's
# common.sh, which describes the stack: see common.sh beside this file). Functions that "exit" end
# the calling start.sh; call them from its top level, not from a subshell, unless said otherwise.

# interop_claim_run_dir DIR MARKER: makes DIR if need be and prints its absolute path, after
# checking that it may be used: it holds MARKER (this stack made it) or is empty, its path has only
# plain characters (it goes into configs, sed replacements and mount options) and is short enough
# for the stack's unix sockets (sun_path is 107 bytes; each stack's longest socket name is at most
# 24 bytes below the run directory). Then it leaves MARKER in DIR. Exits 1 with the reason
# otherwise. Meant for run=$(interop_claim_run_dir ...) under set -e.
interop_claim_run_dir() {
  local run=$1 marker=$2
  # Explicit exits: errexit does not reach into the $(...) this runs in.
  mkdir -p -- "$run" || exit 1
  run=$(cd -- "$run" && pwd) || exit 1
  if [ ! -e "$run/$marker" ] && [ -n "$(ls -A -- "$run")" ]; then
    interop_log "error: $run is not empty and was not made by $INTEROP_STACK_DIR/start.sh (no $marker); refusing to use it"
    exit 1
  fi
  interop_require_plain_path "run directory path" "$run"
  if (( ${#run} + 24 > 107 )); then
    interop_log "error: run directory path is too long for unix sockets (${#run} bytes, at most 83): $run"
    exit 1
  fi
  touch "$run/$marker" || exit 1
  printf '%s\n' "$run"
}

# interop_require_plain_path WHAT PATH: exits 1 unless PATH holds only letters, digits and . _ / + -.
interop_require_plain_path() {
  if [[ ! $2 =~ ^[A-Za-z0-9._/+-]+$ ]]; then
    interop_log "error: $1 may hold only letters, digits and . _ / + - (got: $2)"
    exit 1
  fi
}

# interop_refuse_busy_ports RUN_DIR: returns when no port of the stack is listening. Otherwise
# prints which processes hold them, names the run directory of another instance of this stack when
# they belong to one (the stack's interop_stack_holder PID prints it, or nothing), and exits 1.
interop_refuse_busy_ports() {
  local run=$1 port pid cmd holders holder busy=() pids=()
  for port in $INTEROP_STACK_PORTS; do
    if interop_port_listening "$port"; then busy+=("$port"); fi
  done
  ((${#busy[@]})) || return 0
  interop_log "error: port(s) ${busy[*]} on this machine are already in use by:"
  for port in "${busy[@]}"; do
    while read -r pid cmd; do
      [ -n "$pid" ] || continue
      echo "  port $port: pid $pid: $cmd" >&2
      pids+=("$pid")
    done < <(interop_port_holders "$port")
  done
  holders=$(
    for pid in $(printf '%s\n' "${pids[@]+"${pids[@]}"}" | sort -u); do
      interop_stack_holder "$pid" || true
    done | sort -u)
  for holder in $holders; do
    [ "$holder" = "$run" ] && continue
    interop_log "they belong to the $INTEROP_STACK_SERVERS instance in $holder; stop it with: $INTEROP_STACK_DIR/stop.sh $holder"
  done
  [ -n "$holders" ] || interop_log "stop whatever holds them, or run on a machine where they are free"
  exit 1
}

# interop_make_tls TLS_DIR OPENSSL_LOG CA_NAME: a test CA (CN=CA_NAME) and a server certificate
# signed by it (CN=localhost, SAN localhost and 127.0.0.1), both valid 30 days: TLS_DIR/ca.crt,
# ca.key, server.crt, server.key (keys 0600). openssl's output goes to OPENSSL_LOG; on failure its
# tail is printed and the script exits 1.
interop_make_tls() {
  local tls=$1 openssl_log=$2
  if ! {
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$3" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout "$tls/ca.key" -out "$tls/ca.crt" &&
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout "$tls/server.key" -out "$tls/server.csr" &&
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$tls/server.ext" &&
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
      -days 30 -extfile "$tls/server.ext" -out "$tls/server.crt"
  } >"$openssl_log" 2>&1; then
    interop_log "error: making the test certificates failed:"
    tail -n 20 "$openssl_log" >&2
    exit 1
  fi
  chmod 0600 "$tls/ca.key" "$tls/server.key"
}

# interop_render TEMPLATE OUTPUT @NAME@|VALUE...: writes TEMPLATE with every @NAME@ replaced by its
# VALUE (no | in a value), and the stack's ports as @SMTP_PORT@ ... @IMAPS_PORT@. Exits 1 when a
# placeholder is left over. The scripts tests read the @NAME@| words from start.sh and this file
# to check that every template placeholder is replaced.
interop_render() {
  local template=$1 output=$2 pair smtp submission submissions pop3 pop3s imap imaps sed_args=()
  shift 2
  read -r smtp submission submissions pop3 pop3s imap imaps <<<"$INTEROP_STACK_PORTS"
  for pair in "@SMTP_PORT@|$smtp" "@SUBMISSION_PORT@|$submission" \
              "@SUBMISSIONS_PORT@|$submissions" "@POP3_PORT@|$pop3" "@POP3S_PORT@|$pop3s" \
              "@IMAP_PORT@|$imap" "@IMAPS_PORT@|$imaps" "$@"; do
    sed_args+=(-e "s|$pair|g")
  done
  sed "${sed_args[@]}" "$template" >"$output"
  if grep -n '@[A-Z_]*@' "$output" >&2; then
    interop_log "error: unreplaced placeholder in $output (template $template)"
    exit 1
  fi
}

# interop_start_failed RUN_DIR MESSAGE LOG...: prints MESSAGE and the last lines of each LOG that
# is not empty, stops what started in RUN_DIR, exits 1.
interop_start_failed() {
  local run=$1 f
  interop_log "error: $2"
  shift 2
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
  interop_stack_stop "$run" || true
  exit 1
}

# interop_greets PORT PREFIX MODE CA: true when the server's first line on 127.0.0.1:PORT starts with
# PREFIX (220 / +OK / * OK); with MODE tls, after a TLS handshake that verifies the certificate
# against CA and the name 127.0.0.1. Bounded: 5 s.
interop_greets() {
  timeout 5 python3 - "$@" 2>/dev/null <<'PY'
import socket, ssl, sys
port, prefix, mode, ca = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4]
sock = socket.create_connection(("127.0.0.1", port), timeout=3)
if mode == "tls":
    sock = ssl.create_default_context(cafile=ca).wrap_socket(sock, server_hostname="127.0.0.1")
sys.exit(0 if sock.makefile("rb").readline(1000).startswith(prefix) else 1)
PY
}

# interop_await_greetings CA SECONDS [ALIVE_CMD...]: waits (at most SECONDS, polling every 0.5 s)
# until every port of the stack greets as its role should (smtp, submission: 220; submissions: 220
# over TLS; pop3: +OK; pop3s: +OK over TLS; imap: * OK; imaps: * OK over TLS; TLS verified against
# CA). With ALIVE_CMD, gives up as soon as ALIVE_CMD fails (the stack's processes are all gone).
# Returns 0, or prints the reason and returns 1 (use: why=$(interop_await_greetings ...) || fail "$why").
interop_await_greetings() {
  local ca=$1 seconds=$2 deadline check smtp submission submissions pop3 pop3s imap imaps
  shift 2
  read -r smtp submission submissions pop3 pop3s imap imaps <<<"$INTEROP_STACK_PORTS"
  # PORT|GREETING PREFIX|MODE
  local pending=(
    "$smtp|220|plain" "$submission|220|plain" "$submissions|220|tls"
    "$pop3|+OK|plain" "$pop3s|+OK|tls" "$imap|* OK|plain" "$imaps|* OK|tls"
  )
  local still=() port prefix mode
  deadline=$((SECONDS + seconds))
  while ((${#pending[@]})); do
    still=()
    for check in "${pending[@]}"; do
      IFS='|' read -r port prefix mode <<<"$check"
      interop_greets "$port" "$prefix" "$mode" "$ca" || still+=("$check")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if [ $# -gt 0 ] && ! "$@"; then
      echo "every process of the stack has exited"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "after $seconds s these still do not answer (port|greeting|mode): ${pending[*]}"
      return 1
    fi
    sleep 0.5
  done
}

# interop_write_env RUN_DIR CA_FILE LOG_DIR [KEY=VALUE...]: writes RUN_DIR/interop.env, read by the
# stack's smoke.py: INTEROP_HOST, the seven INTEROP_<ROLE>_PORT, INTEROP_CA_FILE, INTEROP_LOG_DIR,
# then the extra KEY=VALUE lines.
interop_write_env() {
  local run=$1 ca=$2 log=$3 smtp submission submissions pop3 pop3s imap imaps
  shift 3
  read -r smtp submission submissions pop3 pop3s imap imaps <<<"$INTEROP_STACK_PORTS"
  {
    local dir=${INTEROP_STACK_DIR#"$(interop_repo_root)"/}
    echo "# Written by $dir/start.sh; read by $dir/smoke.py."
    printf '%s\n' "INTEROP_HOST=127.0.0.1" "INTEROP_SMTP_PORT=$smtp" \
      "INTEROP_SUBMISSION_PORT=$submission" "INTEROP_SUBMISSIONS_PORT=$submissions" \
      "INTEROP_POP3_PORT=$pop3" "INTEROP_POP3S_PORT=$pop3s" "INTEROP_IMAP_PORT=$imap" \
      "INTEROP_IMAPS_PORT=$imaps" "INTEROP_CA_FILE=$ca" "INTEROP_LOG_DIR=$log" "$@"
  } >"$run/interop.env"
}

# interop_log_started HEADLINE RUN_DIR LOGS: the lines start.sh ends with: HEADLINE, the ports by
# role, the test CA, LOGS and how to stop the stack.
interop_log_started() {
  local smtp submission submissions pop3 pop3s imap imaps
  read -r smtp submission submissions pop3 pop3s imap imaps <<<"$INTEROP_STACK_PORTS"
  interop_log "$1"
  interop_log "  smtp $smtp, submission $submission, submissions $submissions, pop3 $pop3, pop3s $pop3s, imap $imap, imaps $imaps"
  interop_log "  test CA: $2/tls/ca.crt"
  interop_log "  logs: $3"
  interop_log "  stop with: $INTEROP_STACK_DIR/stop.sh $2"
}
