# shellcheck shell=bash
# The Cyrus IMAP + Exim stack's description (sourced by the scripts in this folder, never run).
# Contract: the shared helpers of ../lib/common.sh, this stack's ports (they must equal
# fixtures/targets/cyrus-exim.xml), the default package tree and run directory, the Debian
# packages the stack is made of, and the stack description ../lib/common.sh asks for, whose
# interop_stack_stop RUN_DIR kills every process started in the stack's mount namespace and
# returns within about 30 s whatever they do.

INTEROP_STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
. "$INTEROP_STACK_DIR/../lib/common.sh"

CE_SMTP_PORT=21025         # Exim, relay/MX role, STARTTLS offered, no AUTH
CE_SUBMISSION_PORT=21587   # Exim, STARTTLS required before MAIL, AUTH only under TLS
CE_SUBMISSIONS_PORT=21465  # Exim, implicit TLS, AUTH required
CE_POP3_PORT=21110         # Cyrus pop3d, STLS
CE_POP3S_PORT=21995        # Cyrus pop3d, implicit TLS
CE_IMAP_PORT=21143         # Cyrus imapd, STARTTLS
CE_IMAPS_PORT=21993        # Cyrus imapd, implicit TLS

INTEROP_LOG_PREFIX="interop(cyrus-exim)"
INTEROP_STACK_SERVERS="Cyrus and Exim"
INTEROP_STACK_PORTS="$CE_SMTP_PORT $CE_SUBMISSION_PORT $CE_SUBMISSIONS_PORT $CE_POP3_PORT \
$CE_POP3S_PORT $CE_IMAP_PORT $CE_IMAPS_PORT"
INTEROP_STACK_LOCK=${MAILSPEC_INTEROP_CYRUS_EXIM_LOCK:-/tmp/mailspec-interop-cyrus-exim.lock}
INTEROP_STACK_DEFAULT_RUN=$(interop_repo_root)/.interop/cyrus-exim/run
INTEROP_STACK_TARGET=cyrus-exim
INTEROP_STACK_LOGS="log/syslog.log log/exim/mainlog"

# The target file whose users (login, password, address) and domain start.sh provisions; another
# file of the same shape may be given in MAILSPEC_CYRUS_EXIM_TARGET (e.g. to try other passwords).
CE_TARGET=${MAILSPEC_CYRUS_EXIM_TARGET:-$(interop_repo_root)/fixtures/targets/cyrus-exim.xml}
# The unpacked packages (never installed into the system): MAILSPEC_CYRUS_EXIM_ROOT or this.
CE_DEFAULT_ROOT=$(interop_repo_root)/.interop/cyrus-exim/root
CE_MARKER=.mailspec-interop-cyrus-exim

# What the stack needs. fetch.sh downloads these and every dependency that is not installed on
# this machine (apt-get's own resolution, simulated), so the set adapts to the machine.
CE_PACKAGES="cyrus-common cyrus-imapd cyrus-pop3d exim4-base exim4-config exim4-daemon-light \
sasl2-bin libsasl2-modules libsasl2-modules-db"

interop_stack_precheck() { interop_need_root "$INTEROP_STACK_SERVERS need root to start"; }

# ce_ns_pids RUN_DIR: prints the pids of every process in the mount namespace recorded by start.sh
# (RUN_DIR/ns/mnt-id). Namespace ids are reused by the kernel once a namespace is gone, so a
# namespace counts as the stack's only while its mount table still shows the overlay of
# RUN_DIR/ns/etc on /etc that ns-init.sh made; a stale record therefore matches nothing.
ce_ns_pids() {
  local run=$1 ns pid pids=() proof
  ns=$(cat "$run/ns/mnt-id" 2>/dev/null) || return 0
  [ -n "$ns" ] || return 0
  # Never our own namespace (a stale or wrong record must not make stop.sh kill the machine).
  [ "$ns" != "$(readlink /proc/self/ns/mnt)" ] || return 0
  [ "$ns" != "$(readlink /proc/1/ns/mnt 2>/dev/null)" ] || return 0
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$ns" ] && pids+=("$pid")
  done
  ((${#pids[@]})) || return 0
  proof="lowerdir=$run/ns/etc:/etc"
  for pid in "${pids[@]}"; do
    if grep -qF -- "$proof" "/proc/$pid/mountinfo" 2>/dev/null; then
      printf '%s\n' "${pids[@]}"
      return 0
    fi
  done
  return 0
}

# ce_alive RUN_DIR: true while any process of the stack's namespace runs.
ce_alive() { [ -n "$(ce_ns_pids "$1")" ]; }

interop_stack_stop() {
  local run=$1 rc=0 pids tenths
  pids=$(ce_ns_pids "$run")
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  interop_log "stopping Cyrus, Exim and the log reader (pids $(echo $pids))"
  # SIGTERM: Cyrus master stops its children, Exim's daemon exits; give them 10 s.
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  tenths=100
  while ce_alive "$run" && ((tenths-- > 0)); do sleep 0.1; done
  pids=$(ce_ns_pids "$run")
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    interop_log "still running after SIGTERM for 10 s: $(echo $pids); sending SIGKILL"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    tenths=50
    while ce_alive "$run" && ((tenths-- > 0)); do sleep 0.1; done
    pids=$(ce_ns_pids "$run")
    # shellcheck disable=SC2086
    [ -z "$pids" ] || { interop_log "would not die: $(echo $pids)"; rc=1; }
  fi
  # Nothing of the namespace is left: forget it, so that a reused id never points at another's.
  [ $rc -ne 0 ] || rm -f -- "$run/ns/mnt-id"
  # The namespace is gone with its last process; the ports are free once the sockets close.
  interop_wait_ports_closed
  return $rc
}

# interop_stack_holder PID: the run directory of the instance PID belongs to, if any: Cyrus master
# runs with -p RUN/cyrus/run/master.pid, Exim with -oP RUN/exim/exim.pid.
interop_stack_holder() {
  { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; echo; } |
    sed -n -e 's|.* -p \([^ ]*\)/cyrus/run/master\.pid.*|\1|p' -e 's|.* -oP \([^ ]*\)/exim/exim\.pid.*|\1|p'
}
