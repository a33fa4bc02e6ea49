# shellcheck shell=bash
# The helpers both interop stacks share (sourced, never run): ci/interop (Dovecot + Postfix) and
# ci/interop/cyrus-exim (Cyrus IMAP + Exim). A stack's own common.sh sources this file and then
# describes the stack; every entry script of the stack sources that common.sh.
#
# Contract of a stack description (what its common.sh defines; the functions below rely on it):
#   INTEROP_LOG_PREFIX         prefix of the lines interop_log writes ("interop", "interop(cyrus-exim)")
#   INTEROP_STACK_DIR          the stack's folder (start.sh, stop.sh, templates/ live there)
#   INTEROP_STACK_SERVERS      who runs, for messages ("Dovecot and Postfix")
#   INTEROP_STACK_PORTS        its seven TCP ports on 127.0.0.1, in this order:
#                              smtp submission submissions pop3 pop3s imap imaps
#   INTEROP_STACK_LOCK         the lock file with-servers.sh queues runs of this stack on
#   INTEROP_STACK_DEFAULT_RUN  the run directory when a script is given none
#   INTEROP_STACK_TARGET       NAME of fixtures/targets/NAME.xml and fixtures/known-failures/NAME.xml
#   INTEROP_STACK_LOGS         the main server logs, relative to the run directory (for messages)
#   interop_stack_precheck     exits 77 with the reason when this machine cannot run the stack at
#                              all (checked before with-servers.sh waits for the lock)
#   interop_stack_stop RUN     stops whatever the stack's start.sh started in RUN; returns within
#                              about 30 s whatever the servers do; non-zero when something is left
# Start-only helpers (run directory, certificates, templates, greetings) are in start-helpers.sh.

# The marker file of <repo>/.interop: "this directory belongs to the interop scripts". It is the
# Dovecot + Postfix stack's default run directory (whose start.sh only wipes state in a directory
# that has the marker or is empty) and holds the Cyrus + Exim stack's default state below it.
INTEROP_MARKER=.mailspec-interop

interop_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
interop_repo_root() { (cd "$interop_lib_dir/../../.." && pwd); }

interop_log() { printf '%s: %s\n' "${INTEROP_LOG_PREFIX:-interop}" "$*" >&2; }

# interop_usage_optional_arg NAME ARG...: exits 2 with "usage: SCRIPT [NAME]" unless ARG... is
# empty or one word that is not an option.
interop_usage_optional_arg() {
  local name=$1
  shift
  if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
    echo "usage: $0 [$name]" >&2
    exit 2
  fi
}

# interop_need_root WHAT: exits 77 (ctest's SKIP_RETURN_CODE) with "skipped: WHAT" unless root.
interop_need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    interop_log "skipped: $1 (running as uid $(id -u))"
    exit 77
  fi
}

# ----- processes --------------------------------------------------------------------------------
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

# ----- ports ------------------------------------------------------------------------------------
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
  # shellcheck disable=SC2086
  awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
    $tables
}

# interop_port_holders PORT: prints "pid command line" for each process with a socket listening on PORT.
interop_port_holders() {
  local hex inode link pid
  hex=$(printf ':%04X' "$1")
  # shellcheck disable=SC2046
  for inode in $(awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
                 $(interop_socket_tables)); do
    for link in $(find /proc/[0-9]*/fd -lname "socket:\[$inode\]" 2>/dev/null); do
      pid=${link#/proc/}
      pid=${pid%%/*}
      printf '%s %s\n' "$pid" "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"
    done
  done | sort -u
}

# interop_wait_ports_closed: waits (at most 5 s in all) until no port of the stack listens any
# more; children may hold a listening socket for a moment after their master has gone. Always 0.
interop_wait_ports_closed() {
  local port tenths=50
  for port in $INTEROP_STACK_PORTS; do
    while interop_port_listening "$port" && ((tenths-- > 0)); do sleep 0.1; done
  done
  return 0
}

# ----- the entry scripts' bodies ----------------------------------------------------------------
# interop_stop_main [RUN_DIR]: the body of a stack's stop.sh. Stops the stack started in RUN_DIR
# (default INTEROP_STACK_DEFAULT_RUN); exits 0 when nothing of it is left running, also when
# nothing was; 1 when something would not die; 2 usage.
interop_stop_main() {
  interop_usage_optional_arg RUN_DIR "$@"
  local run=${1:-$INTEROP_STACK_DEFAULT_RUN}
  if [ ! -d "$run" ]; then
    interop_log "nothing to stop: $run does not exist"
    exit 0
  fi
  run=$(cd -- "$run" && pwd)
  interop_stack_stop "$run"
  interop_log "stopped (logs stay in $run/log)"
}

# interop_wait_child PID SECONDS: true once PID (a child of this shell) has ended, within
# SECONDS; an exited child that is not yet reaped (a zombie) counts as ended.
interop_wait_child() {
  local pid=$1 tenths=$(($2 * 10)) state
  while ((tenths-- > 0)); do
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || return 0
    [ -n "$state" ] && [ "$state" != Z ] || return 0
    sleep 0.1
  done
  return 1
}

# interop_with_servers_main RUN_DIR -- CMD [ARG...]: the body of a stack's with-servers.sh.
# Starts the stack in RUN_DIR (INTEROP_STACK_DIR/start.sh), runs CMD, stops the stack (always: also
# when CMD fails or this script is interrupted) and exits with CMD's status.
# Exit 77 when this machine cannot run the stack (interop_stack_precheck or start.sh says why), 1
# when it would not start, 2 usage. Only one run of a stack at a time can hold its fixed ports: runs
# from different build directories queue on INTEROP_STACK_LOCK (at most 10 minutes).
# Signals: on SIGINT / SIGTERM / SIGHUP the servers are stopped at once, not when CMD ends (while
# start.sh runs: as soon as it returns), and CMD is not run. CMD
# runs in the background and is waited for, because bash runs a trap only between commands: with
# CMD in the foreground a SIGTERM (ctest's timeout, a CI cancel) would leave the servers running
# until CMD ended by itself. CMD gets the same signal first; after the servers are stopped it has
# 5 s more to end before SIGKILL, so it is never left behind. A background command would inherit
# SIGINT and SIGQUIT ignored (POSIX, for non-interactive shells); env --default-signal gives them
# back, so CMD reacts to a forwarded SIGINT and to the terminal's Ctrl-C as in the foreground.
# Exit on a signal: 130 (INT), 143 (TERM), 129 (HUP).
interop_with_servers_main() {
  if [ $# -lt 3 ] || [ "$2" != "--" ]; then
    echo "usage: $0 RUN_DIR -- CMD [ARG...]" >&2
    exit 2
  fi
  interop_ws_run=$1
  shift 2
  local lock=$INTEROP_STACK_LOCK rc=0
  interop_stack_precheck
  [ -e "$lock" ] || : >>"$lock"
  exec 9<"$lock" || { interop_log "cannot open lock file $lock"; exit 1; }
  if ! flock -w 600 9; then
    interop_log "another run held $lock for 10 minutes; giving up"
    exit 1
  fi

  # From here on every way out stops the servers. A signal that comes while start.sh runs (in the
  # foreground, bounded by its own time limits) is handled once start.sh has returned, so whatever
  # it started is stopped too.
  interop_ws_stopped=0 interop_ws_cmd=
  trap interop_ws_stop_servers EXIT
  trap 'interop_ws_on_signal INT 130' INT
  trap 'interop_ws_on_signal TERM 143' TERM
  trap 'interop_ws_on_signal HUP 129' HUP

  # The lock descriptor is closed for the children: a daemon must never keep the lock after we exit.
  "$INTEROP_STACK_DIR/start.sh" "$interop_ws_run" 9>&- || rc=$?
  if [ $rc -ne 0 ]; then
    interop_ws_stopped=1  # start.sh printed why and stopped what it started
    exit $rc  # 77 = skip, 1 = could not start
  fi

  # env --default-signal (coreutils 8.31 or later): SIGINT and SIGQUIT as in the foreground.
  env --default-signal=INT,QUIT "$@" 9>&- <&0 &
  interop_ws_cmd=$!
  rc=0
  wait "$interop_ws_cmd" || rc=$?
  interop_ws_cmd=
  interop_ws_stop_servers
  exit $rc
}

interop_ws_stop_servers() {
  if [ "$interop_ws_stopped" -eq 0 ]; then
    interop_ws_stopped=1
    "$INTEROP_STACK_DIR/stop.sh" "$interop_ws_run" 9>&- ||
      interop_log "stop.sh failed for $interop_ws_run"
  fi
}

# interop_ws_on_signal SIGNAL STATUS: forwards SIGNAL to CMD, stops the servers, gives CMD 5 s,
# exits STATUS. Further signals are ignored meanwhile: the stop is bounded and must not be cut short.
interop_ws_on_signal() {
  trap '' INT TERM HUP
  local cmd=$interop_ws_cmd
  [ -z "$cmd" ] || kill -"$1" "$cmd" 2>/dev/null || true
  interop_ws_stop_servers
  if [ -n "$cmd" ] && ! interop_wait_child "$cmd" 5; then
    interop_log "CMD (pid $cmd) still runs 5 s after SIG$1; sending SIGKILL"
    kill -KILL "$cmd" 2>/dev/null || true
    interop_wait_child "$cmd" 2 || interop_log "CMD (pid $cmd) would not die"
  fi
  exit "$2"
}

# interop_run_library_main MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]: the body of a stack's
# run-library.sh. Runs the whole scenario library (MAILSPEC_INTEROP_SCENARIOS, default
# <repo>/scenarios, e.g. a `git archive` of a commit whose library matches an older mailspec)
# against the stack started in RUN_DIR, with fixtures/targets/INTEROP_STACK_TARGET.xml, that run's
# test CA and the stack's known failures (fixtures/known-failures/INTEROP_STACK_TARGET.xml: a
# listed FAIL reports as XFAIL, a PASS as XPASS). One scenario at a time (-j 1): the scenarios
# share the users' mailboxes and delivery is asynchronous, so parallel scenarios would see each
# other's mail. Exits with mailspec's own status (0 nothing failed or errored, 1 something did,
# 2 usage or files).
interop_run_library_main() {
  if [ $# -lt 3 ]; then
    echo "usage: $0 MAILSPEC RUN_DIR JUNIT [EXTRA_RUN_OPTIONS...]" >&2
    exit 2
  fi
  local mailspec=$1 run=$2 junit=$3 repo rc=0
  shift 3
  repo=$(interop_repo_root)
  "$mailspec" run --target "$repo/fixtures/targets/$INTEROP_STACK_TARGET.xml" --ca "$run/tls/ca.crt" \
    --known-failures "$repo/fixtures/known-failures/$INTEROP_STACK_TARGET.xml" -j 1 --junit "$junit" \
    "$@" "${MAILSPEC_INTEROP_SCENARIOS:-$repo/scenarios}" || rc=$?
  [ $rc -eq 0 ] || interop_log "mailspec run exited $rc (logs: $(interop_log_paths "$run"))"
  exit $rc
}

# interop_log_paths RUN_DIR: the stack's main logs in RUN_DIR, comma-separated, for messages.
interop_log_paths() {
  local f out=
  for f in $INTEROP_STACK_LOGS; do out+=${out:+, }$1/$f; done
  printf '%s\n' "$out"
}
