# Shared by start.sh, stop.sh and with-servers.sh (sourced, not run).
# Contract: defines the interop ports, the run-directory layout, and interop_stop RUN_DIR, which stops
# a Dovecot and a Postfix started by start.sh in RUN_DIR and returns within about 30 s whatever they do.

# Ports match fixtures/targets/dovecot-postfix.xml.
INTEROP_SMTP_PORT=20025         # Postfix smtpd, relay/MX role, STARTTLS optional
INTEROP_SUBMISSION_PORT=20587   # Postfix smtpd, STARTTLS required, SASL via Dovecot
INTEROP_SUBMISSIONS_PORT=20465  # Postfix smtpd, implicit TLS, SASL via Dovecot
INTEROP_POP3_PORT=20110         # Dovecot pop3, STLS
INTEROP_POP3S_PORT=20995        # Dovecot pop3, implicit TLS
INTEROP_IMAP_PORT=20143         # Dovecot imap, STARTTLS
INTEROP_IMAPS_PORT=20993        # Dovecot imap, implicit TLS
INTEROP_ALL_PORTS="$INTEROP_SMTP_PORT $INTEROP_SUBMISSION_PORT $INTEROP_SUBMISSIONS_PORT \
$INTEROP_POP3_PORT $INTEROP_POP3S_PORT $INTEROP_IMAP_PORT $INTEROP_IMAPS_PORT"

# The marker file says "this directory belongs to the interop scripts"; start.sh only wipes state in
# a directory that has it (or is empty).
INTEROP_MARKER=.mailspec-interop

interop_repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }

# interop_run_dir [DIR]: prints DIR (default <repo>/.interop) as an absolute path; creates it.
interop_run_dir() {
  local dir=${1:-$(interop_repo_root)/.interop}
  mkdir -p -- "$dir"
  (cd -- "$dir" && pwd)
}

interop_log() { printf 'interop: %s\n' "$*" >&2; }

# interop_pid_alive PID NAME: true when PID runs a program whose name (comm) is NAME.
interop_pid_alive() {
  local pid=$1 name=$2 comm
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [ "$comm" = "$name" ]
}

# interop_wait_gone PID NAME SECONDS: waits (bounded) for PID to exit; true if it did.
interop_wait_gone() {
  local pid=$1 name=$2 tenths=$(($3 * 10))
  while ((tenths-- > 0)); do
    interop_pid_alive "$pid" "$name" || return 0
    sleep 0.1
  done
  ! interop_pid_alive "$pid" "$name"
}

# interop_stop_pid PID NAME WHAT: SIGTERM, wait up to 10 s, then SIGKILL and wait up to 5 s.
interop_stop_pid() {
  local pid=$1 name=$2 what=$3
  interop_pid_alive "$pid" "$name" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  interop_wait_gone "$pid" "$name" 10 && return 0
  interop_log "$what (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  interop_wait_gone "$pid" "$name" 5 || { interop_log "$what (pid $pid) would not die"; return 1; }
}

# The kernel's socket tables, read directly: no iproute2 needed, and no probe connection that
# would show up in the servers' logs.
interop_socket_tables() {
  local f
  for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && echo "$f"; done
}

# interop_port_listening PORT: true when any local address listens on TCP PORT.
interop_port_listening() {
  local hex tables
  hex=$(printf ':%04X' "$1")
  tables=$(interop_socket_tables)
  # Columns: sl local_address rem_address st ...; state 0A is LISTEN.
  awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
    $tables
}

# interop_port_holders PORT: prints "pid command line" for each process with a socket listening on PORT.
interop_port_holders() {
  local hex inode link pid
  hex=$(printf ':%04X' "$1")
  for inode in $(awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
                 $(interop_socket_tables)); do
    for link in $(find /proc/[0-9]*/fd -lname "socket:\[$inode\]" 2>/dev/null); do
      pid=${link#/proc/}
      pid=${pid%%/*}
      printf '%s %s\n' "$pid" "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"
    done
  done | sort -u
}

interop_stop() {
  local run=$1 rc=0 pid stopped=0
  # Dovecot: its master writes base_dir/master.pid; SIGTERM makes it stop every child.
  pid=$(cat "$run/dovecot/run/master.pid" 2>/dev/null || true)
  if interop_pid_alive "$pid" dovecot; then
    interop_log "stopping Dovecot (pid $pid)"
    stopped=1
    interop_stop_pid "$pid" dovecot "Dovecot master" || rc=1
  fi
  # Postfix: "postfix stop" signals the master (pid in queue_directory/pid/master.pid).
  pid=$(tr -d ' ' 2>/dev/null <"$run/postfix/spool/pid/master.pid" || true)
  if interop_pid_alive "$pid" master; then
    interop_log "stopping Postfix (pid $pid)"
    stopped=1
    timeout 15 postfix -c "$run/postfix/etc" stop >/dev/null 2>&1 || true
    interop_wait_gone "$pid" master 10 || interop_stop_pid "$pid" master "Postfix master" || rc=1
  fi
  # Children may hold a listening socket for a moment after their master has gone.
  local port tenths=50
  ((stopped)) || return $rc
  for port in $INTEROP_ALL_PORTS; do
    while interop_port_listening "$port" && ((tenths-- > 0)); do sleep 0.1; done
  done
  return $rc
}
