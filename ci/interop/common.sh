# shellcheck shell=bash
# The Dovecot + Postfix stack's description (sourced by start.sh, stop.sh, with-servers.sh and
# run-library.sh, never run). Contract: the shared helpers of lib/common.sh, this stack's ports
# (they must equal fixtures/targets/dovecot-postfix.xml) and the stack description lib/common.sh
# asks for, whose interop_stack_stop RUN_DIR stops a Dovecot and a Postfix started by start.sh in
# RUN_DIR and returns within about 30 s whatever they do.

INTEROP_STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$INTEROP_STACK_DIR/lib/common.sh"

INTEROP_SMTP_PORT=20025         # Postfix smtpd, relay/MX role, STARTTLS optional
INTEROP_SUBMISSION_PORT=20587   # Postfix smtpd, STARTTLS required, SASL via Dovecot
INTEROP_SUBMISSIONS_PORT=20465  # Postfix smtpd, implicit TLS, SASL via Dovecot
INTEROP_POP3_PORT=20110         # Dovecot pop3, STLS
INTEROP_POP3S_PORT=20995        # Dovecot pop3, implicit TLS
INTEROP_IMAP_PORT=20143         # Dovecot imap, STARTTLS
INTEROP_IMAPS_PORT=20993        # Dovecot imap, implicit TLS

INTEROP_LOG_PREFIX=interop
INTEROP_STACK_SERVERS="Dovecot and Postfix"
INTEROP_STACK_PORTS="$INTEROP_SMTP_PORT $INTEROP_SUBMISSION_PORT $INTEROP_SUBMISSIONS_PORT \
$INTEROP_POP3_PORT $INTEROP_POP3S_PORT $INTEROP_IMAP_PORT $INTEROP_IMAPS_PORT"
INTEROP_STACK_LOCK=${MAILSPEC_INTEROP_LOCK:-/tmp/mailspec-interop.lock}
INTEROP_STACK_DEFAULT_RUN=$(interop_repo_root)/.interop
INTEROP_STACK_TARGET=dovecot-postfix
INTEROP_STACK_LOGS="log/dovecot.log log/postfix.log"

interop_stack_precheck() { interop_need_root "$INTEROP_STACK_SERVERS need root to start"; }

interop_stack_stop() {
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
  ((stopped)) || return $rc
  interop_wait_ports_closed
  return $rc
}

# interop_stack_holder PID: the run directory of the instance PID belongs to, if any: Dovecot's
# command line has -c RUN/dovecot/etc/dovecot.conf; Postfix's master has MAIL_CONFIG=RUN/postfix/etc.
interop_stack_holder() {
  tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | grep -E '/dovecot/etc/dovecot\.conf$' |
    sed 's|/dovecot/etc/dovecot\.conf$||' || true
  tr '\0' '\n' 2>/dev/null <"/proc/$1/environ" | grep -E '^MAIL_CONFIG=.*/postfix/etc$' |
    sed -e 's|^MAIL_CONFIG=||' -e 's|/postfix/etc$||' || true
}
