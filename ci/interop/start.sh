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

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: $0 [RUN_DIR]" >&2
  exit 2
fi

# --- can this machine run it? -------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  interop_log "skipped: Dovecot and Postfix need root to start (running as uid $(id -u))"
  exit 77
fi
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

# --- run directory --------------------------------------------------------------------------------
run=$(interop_run_dir "${1:-}")
if [ ! -e "$run/$INTEROP_MARKER" ] && [ -n "$(ls -A -- "$run")" ]; then
  interop_log "error: $run is not empty and was not made by ci/interop/start.sh (no $INTEROP_MARKER); refusing to use it"
  exit 1
fi
# The path goes into Dovecot and Postfix configs and sed replacements: keep it to plain characters.
if [[ ! $run =~ ^[A-Za-z0-9._/+-]+$ ]]; then
  interop_log "error: run directory path may hold only letters, digits and . _ / + - (got: $run)"
  exit 1
fi
# Unix socket paths are limited to 107 bytes (sun_path); Dovecot's longest is auth-postfix.
if (( ${#run} + 24 > 107 )); then
  interop_log "error: run directory path is too long for unix sockets (${#run} bytes, at most 83): $run"
  exit 1
fi
touch "$run/$INTEROP_MARKER"

interop_stop "$run" || { interop_log "error: could not stop the previous instance in $run"; exit 1; }

busy=()
for port in $INTEROP_ALL_PORTS; do
  if interop_port_listening "$port"; then busy+=("$port"); fi
done
if ((${#busy[@]})); then
  interop_log "error: port(s) ${busy[*]} on this machine are already in use by:"
  pids=()
  for port in "${busy[@]}"; do
    while read -r pid cmd; do
      [ -n "$pid" ] || continue
      echo "  port $port: pid $pid: $cmd" >&2
      pids+=("$pid")
    done < <(interop_port_holders "$port")
  done
  # Name the run directory when the holder is another interop instance (Dovecot's command line has
  # -c RUN/dovecot/etc/dovecot.conf; Postfix's master has MAIL_CONFIG=RUN/postfix/etc).
  holders=$(
    for pid in $(printf '%s\n' "${pids[@]+"${pids[@]}"}" | sort -u); do
      tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -E '/dovecot/etc/dovecot\.conf$' |
        sed 's|/dovecot/etc/dovecot\.conf$||' || true
      tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -E '^MAIL_CONFIG=.*/postfix/etc$' |
        sed -e 's|^MAIL_CONFIG=||' -e 's|/postfix/etc$||' || true
    done | sort -u)
  for holder in $holders; do
    [ "$holder" = "$run" ] && continue
    interop_log "they belong to the interop instance in $holder; stop it with: $here/stop.sh $holder"
  done
  [ -n "$holders" ] || interop_log "stop whatever holds them, or run on a machine where they are free"
  exit 1
fi

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

# --- test CA and server certificate (CN=localhost, SAN localhost and 127.0.0.1) -----------------
openssl_log=$log/openssl.log
if ! {
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mailspec interop test CA" \
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

# --- configs from templates -----------------------------------------------------------------------
dh_file=/usr/share/dovecot/dh.pem
[ -r "$dh_file" ] || { interop_log "error: $dh_file is missing (package dovecot-core)"; exit 1; }
render() { # render TEMPLATE OUTPUT: replaces every @NAME@; fails on a placeholder left over.
  sed -e "s|@RUN_DIR@|$run|g" -e "s|@TLS_DIR@|$tls|g" -e "s|@LOG_DIR@|$log|g" \
      -e "s|@MAIL_DIR@|$mail|g" -e "s|@MAIL_UID@|$mail_uid|g" -e "s|@MAIL_GID@|$mail_gid|g" \
      -e "s|@DH_FILE@|$dh_file|g" \
      -e "s|@DOVECOT_ETC@|$dovecot_etc|g" -e "s|@DOVECOT_RUN@|$dovecot_run|g" \
      -e "s|@DOVECOT_STATE@|$dovecot_state|g" \
      -e "s|@POSTFIX_ETC@|$postfix_etc|g" -e "s|@POSTFIX_SPOOL@|$postfix_spool|g" \
      -e "s|@POSTFIX_DATA@|$postfix_data|g" \
      -e "s|@SMTP_PORT@|$INTEROP_SMTP_PORT|g" -e "s|@SUBMISSION_PORT@|$INTEROP_SUBMISSION_PORT|g" \
      -e "s|@SUBMISSIONS_PORT@|$INTEROP_SUBMISSIONS_PORT|g" \
      -e "s|@POP3_PORT@|$INTEROP_POP3_PORT|g" -e "s|@POP3S_PORT@|$INTEROP_POP3S_PORT|g" \
      -e "s|@IMAP_PORT@|$INTEROP_IMAP_PORT|g" -e "s|@IMAPS_PORT@|$INTEROP_IMAPS_PORT|g" \
      "$1" >"$2"
  if grep -n '@[A-Z_]*@' "$2" >&2; then
    interop_log "error: unreplaced placeholder in $2 (template $1)"
    exit 1
  fi
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
  interop_log "error: $1"
  local f
  for f in "$log/dovecot.log" "$log/postfix.log" "$log/dovecot-start.log" "$log/postfix-start.log"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
  interop_stop "$run" || true
  exit 1
}

if ! doveconf -c "$dovecot_etc/dovecot.conf" -n >"$log/dovecot-start.log" 2>&1; then
  fail "Dovecot rejects $dovecot_etc/dovecot.conf"
fi
# Daemons get no terminal and no inherited pipes: a caller waiting for EOF (ctest) must not hang.
timeout 20 dovecot -c "$dovecot_etc/dovecot.conf" </dev/null >>"$log/dovecot-start.log" 2>&1 ||
  fail "dovecot did not start"
timeout 60 postfix -c "$postfix_etc" start </dev/null >"$log/postfix-start.log" 2>&1 ||
  fail "postfix did not start"

# --- wait until every port answers ----------------------------------------------------------------
# greets PORT PREFIX [tls]: the server's first line starts with PREFIX (220 / +OK / * OK); with tls,
# after a TLS handshake that verifies the certificate against the test CA and the name 127.0.0.1.
greets() {
  timeout 5 python3 - "$@" "$tls/ca.crt" 2>/dev/null <<'PY'
import socket, ssl, sys
port, prefix, mode, ca = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4]
sock = socket.create_connection(("127.0.0.1", port), timeout=3)
if mode == "tls":
    sock = ssl.create_default_context(cafile=ca).wrap_socket(sock, server_hostname="127.0.0.1")
sys.exit(0 if sock.makefile("rb").readline(1000).startswith(prefix) else 1)
PY
}
deadline=$((SECONDS + 30))
pending=(
  "greets $INTEROP_SMTP_PORT 220 plain"        "greets $INTEROP_SUBMISSION_PORT 220 plain"
  "greets $INTEROP_SUBMISSIONS_PORT 220 tls"
  "greets $INTEROP_POP3_PORT +OK plain"        "greets $INTEROP_POP3S_PORT +OK tls"
  "greets $INTEROP_IMAP_PORT '* OK' plain"     "greets $INTEROP_IMAPS_PORT '* OK' tls"
)
while ((${#pending[@]})); do
  still=()
  for check in "${pending[@]}"; do eval "$check" || still+=("$check"); done
  pending=("${still[@]+"${still[@]}"}")
  ((${#pending[@]})) || break
  ((SECONDS < deadline)) || fail "after 30 s these still do not answer: ${pending[*]}"
  sleep 0.5
done

cat >"$run/interop.env" <<ENV
# Written by ci/interop/start.sh; read by ci/interop/smoke.py.
INTEROP_HOST=127.0.0.1
INTEROP_SMTP_PORT=$INTEROP_SMTP_PORT
INTEROP_SUBMISSION_PORT=$INTEROP_SUBMISSION_PORT
INTEROP_SUBMISSIONS_PORT=$INTEROP_SUBMISSIONS_PORT
INTEROP_POP3_PORT=$INTEROP_POP3_PORT
INTEROP_POP3S_PORT=$INTEROP_POP3S_PORT
INTEROP_IMAP_PORT=$INTEROP_IMAP_PORT
INTEROP_IMAPS_PORT=$INTEROP_IMAPS_PORT
INTEROP_CA_FILE=$tls/ca.crt
INTEROP_LOG_DIR=$log
ENV

interop_log "Dovecot $(dovecot --version | cut -d' ' -f1) and Postfix $(postconf -c "$postfix_etc" -h mail_version) are up on 127.0.0.1"
interop_log "  smtp $INTEROP_SMTP_PORT, submission $INTEROP_SUBMISSION_PORT, submissions $INTEROP_SUBMISSIONS_PORT, pop3 $INTEROP_POP3_PORT, pop3s $INTEROP_POP3S_PORT, imap $INTEROP_IMAP_PORT, imaps $INTEROP_IMAPS_PORT"
interop_log "  test CA: $tls/ca.crt"
interop_log "  logs: $log/dovecot.log $log/postfix.log"
interop_log "  stop with: $here/stop.sh $run"
