#!/usr/bin/env bash
# Usage: ci/interop/start.sh [RUN_DIR]
#
# Starts a private Dovecot 2.3 + Postfix 3.7 pair on 127.0.0.1 high ports with mailspec's own
# configs (ci/interop/templates/), no systemd, every piece of state under RUN_DIR (default
# <repo>/.interop): tls/ (test CA + server certificate), dovecot/, postfix/, mail/, log/.
#   smtp 20025 (STARTTLS optional), submission 20587 (STARTTLS + AUTH required), submissions 20465
#   (implicit TLS), pop3 20110 (STLS), pop3s 20995, imap 20143 (STARTTLS), imaps 20993.
#   Users alice/secret1 and bob/secret2 in example.test; Postfix delivers to Dovecot over LMTP.
# Idempotent: a previous instance in RUN_DIR is stopped and its state (mail included) wiped first.
# Waits (at most 30 s) until every port answers; then writes RUN_DIR/interop.env (ports, CA file).
# Exit: 0 running; 1 could not start (the reason and the log tails are printed); 2 usage;
#       77 cannot run here (not root, or the Debian packages are missing: run ci/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
. "$here/lib/start-helpers.sh"

interop_usage_optional_arg RUN_DIR "$@"

# --- can this machine run it? -------------------------------------------------------------------
interop_stack_precheck
missing=()
for tool in dovecot doveconf postfix postconf openssl python3 timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
for file in /usr/lib/dovecot/imap /usr/lib/dovecot/pop3 /usr/lib/dovecot/lmtp \
            /usr/lib/postfix/sbin/smtpd /usr/lib/postfix/sbin/lmtp; do
  [ -x "$file" ] || missing+=("$file")
done
for account in dovecot dovenull postfix; do
  getent passwd "$account" >/dev/null || missing+=("user $account")
done
getent group postdrop >/dev/null || missing+=("group postdrop")
if ((${#missing[@]})); then
  interop_log "skipped: missing ${missing[*]} (install dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix, e.g. with ci/setup.sh)"
  exit 77
fi

# --- run directory (Dovecot's longest unix socket is auth-postfix) ------------------------------
run=$(interop_claim_run_dir "${1:-$INTEROP_STACK_DEFAULT_RUN}" "$INTEROP_MARKER")
interop_stack_stop "$run" || { interop_log "error: could not stop the previous instance in $run"; exit 1; }
interop_refuse_busy_ports "$run"

tls=$run/tls log=$run/log mail=$run/mail
dovecot_etc=$run/dovecot/etc dovecot_run=$run/dovecot/run dovecot_state=$run/dovecot/state
postfix_etc=$run/postfix/etc postfix_spool=$run/postfix/spool postfix_data=$run/postfix/data
rm -rf -- "$tls" "$log" "$mail" "$run/dovecot" "$run/postfix" "$run/interop.env"
mkdir -p -- "$tls" "$log" "$mail" "$dovecot_etc" "$dovecot_state" "$postfix_etc" "$postfix_spool" "$postfix_data"
# The daemons drop privileges: every directory on the way to their files must be searchable.
chmod 0755 "$run" "$tls" "$log" "$mail" "$run/dovecot" "$run/postfix"

# Mailboxes belong to an unprivileged account (nobody), never root.
mail_uid=$(id -u nobody) mail_gid=$(getent group nogroup | cut -d: -f3)
mkdir -p "$mail/alice" "$mail/bob"
chown "$mail_uid:$mail_gid" "$mail/alice" "$mail/bob"
chmod 0700 "$mail/alice" "$mail/bob"
chown postfix: "$postfix_data"
touch "$log/postfix.log" "$log/dovecot.log"
chown postfix: "$log/postfix.log"

interop_make_tls "$tls" "$log/openssl.log" "mailspec interop test CA"

# --- configs from templates -----------------------------------------------------------------------
dh_file=/usr/share/dovecot/dh.pem
[ -r "$dh_file" ] || { interop_log "error: $dh_file is missing (package dovecot-core)"; exit 1; }
render() { # render TEMPLATE OUTPUT: every @NAME@ of this stack's templates (and the ports).
  interop_render "$1" "$2" "@RUN_DIR@|$run" "@TLS_DIR@|$tls" "@LOG_DIR@|$log" "@MAIL_DIR@|$mail" \
    "@MAIL_UID@|$mail_uid" "@MAIL_GID@|$mail_gid" "@DH_FILE@|$dh_file" \
    "@DOVECOT_ETC@|$dovecot_etc" "@DOVECOT_RUN@|$dovecot_run" "@DOVECOT_STATE@|$dovecot_state" \
    "@POSTFIX_ETC@|$postfix_etc" "@POSTFIX_SPOOL@|$postfix_spool" "@POSTFIX_DATA@|$postfix_data"
}
render "$here/templates/dovecot.conf.in" "$dovecot_etc/dovecot.conf"
render "$here/templates/passwd.in" "$dovecot_etc/passwd"
chmod 0644 "$dovecot_etc/dovecot.conf"
chown root:dovecot "$dovecot_etc/passwd"
chmod 0640 "$dovecot_etc/passwd"
render "$here/templates/postfix-main.cf.in" "$postfix_etc/main.cf"
render "$here/templates/postfix-master.cf.in" "$postfix_etc/master.cf"

# --- start ----------------------------------------------------------------------------------------
fail() { # fail MESSAGE: prints MESSAGE and the log tails, stops what started, exits 1.
  interop_start_failed "$run" "$1" "$log/dovecot.log" "$log/postfix.log" "$log/dovecot-start.log" \
    "$log/postfix-start.log"
}

if ! doveconf -c "$dovecot_etc/dovecot.conf" -n >"$log/dovecot-start.log" 2>&1; then
  fail "Dovecot rejects $dovecot_etc/dovecot.conf"
fi
# Daemons get no terminal and no inherited pipes: a caller waiting for EOF (ctest) must not hang.
timeout 20 dovecot -c "$dovecot_etc/dovecot.conf" </dev/null >>"$log/dovecot-start.log" 2>&1 ||
  fail "dovecot did not start"
timeout 60 postfix -c "$postfix_etc" start </dev/null >"$log/postfix-start.log" 2>&1 ||
  fail "postfix did not start"

why=$(interop_await_greetings "$tls/ca.crt" 30) || fail "$why"

interop_write_env "$run" "$tls/ca.crt" "$log"
interop_log_started "Dovecot $(dovecot --version | cut -d' ' -f1) and Postfix $(postconf -c "$postfix_etc" -h mail_version) are up on 127.0.0.1" \
  "$run" "$log/dovecot.log $log/postfix.log"
