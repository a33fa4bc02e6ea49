#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/start.sh [RUN_DIR]
#
# Starts mailspec's second interop stack: Cyrus IMAP 3.6 (IMAP, POP3, LMTP) and Exim 4.96 (SMTP
# relay and submission) from Debian 12 packages that fetch.sh unpacks into a tree of their own
# ($MAILSPEC_CYRUS_EXIM_ROOT, default <repo>/.interop/cyrus-exim/root; they conflict with the
# installed Dovecot and Postfix, which stay as they are). They run in their own mount namespace
# (unshare -m, see ns-init.sh) on 127.0.0.1 high ports, with every piece of state under RUN_DIR
# (default <repo>/.interop/cyrus-exim/run): tls/, ns/ (the /etc overlay), cyrus/, exim/, log/.
#   smtp 21025 (STARTTLS offered, no AUTH), submission 21587 (STARTTLS, then AUTH, before MAIL),
#   submissions 21465 (implicit TLS), pop3 21110 (STLS), pop3s 21995, imap 21143 (STARTTLS),
#   imaps 21993. Users, passwords and the domain come from fixtures/targets/cyrus-exim.xml; SASL
#   uses a sasldb of the run's own (no saslauthd); Exim hands mail for the domain to Cyrus over LMTP.
# Idempotent: a previous instance in RUN_DIR is stopped and its state (mail included) wiped first.
# Waits (at most 60 s) until every port greets (the TLS ones with a certificate verified against
# the run's test CA); then writes RUN_DIR/interop.env.
# Exit: 0 running; 1 could not start (the reason and the log tails are printed, what started is
#       stopped); 2 usage; 77 cannot run here (not root, no apt-get/dpkg-deb/unshare/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: $0 [RUN_DIR]" >&2
  exit 2
fi

# --- can this machine run it? -------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  ce_log "skipped: Cyrus and Exim need root to start (mount namespace, ports, accounts; running as uid $(id -u))"
  exit 77
fi
missing=()
for tool in unshare nsenter mount openssl python3 timeout flock; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  ce_log "skipped: missing ${missing[*]}"
  exit 77
fi
grep -qw overlay /proc/filesystems 2>/dev/null || modprobe overlay 2>/dev/null || true
if ! grep -qw overlay /proc/filesystems; then
  ce_log "skipped: the kernel offers no overlay file system (needed for the namespace's /etc and /usr/lib)"
  exit 77
fi

# --- run directory --------------------------------------------------------------------------------
run=${1:-$CE_DEFAULT_RUN}
mkdir -p -- "$run"
run=$(cd -- "$run" && pwd)
if [ ! -e "$run/$CE_MARKER" ] && [ -n "$(ls -A -- "$run")" ]; then
  ce_log "error: $run is not empty and was not made by ci/interop/cyrus-exim/start.sh (no $CE_MARKER); refusing to use it"
  exit 1
fi
# The paths go into configs, sed replacements and mount options: plain characters only.
if [[ ! $run =~ ^[A-Za-z0-9._/+-]+$ ]]; then
  ce_log "error: run directory path may hold only letters, digits and . _ / + - (got: $run)"
  exit 1
fi
# Unix socket paths are limited to 107 bytes (sun_path); the longest is cyrus/run/socket/notify.
if (( ${#run} + 24 > 107 )); then
  ce_log "error: run directory path is too long for unix sockets (${#run} bytes, at most 83): $run"
  exit 1
fi
touch "$run/$CE_MARKER"

# --- the package tree ---------------------------------------------------------------------------
root=${MAILSPEC_CYRUS_EXIM_ROOT:-$CE_DEFAULT_ROOT}
"$here/fetch.sh" "$root"  # exits 77 or 1 itself, with the reason
root=$(cd -- "$root" && pwd)
if [[ ! $root =~ ^[A-Za-z0-9._/+-]+$ ]]; then
  ce_log "error: the package tree's path may hold only letters, digits and . _ / + - (got: $root)"
  exit 1
fi

cyrus_exim_stop "$run" || { ce_log "error: could not stop the previous instance in $run"; exit 1; }

busy=()
for port in $CE_ALL_PORTS; do
  if interop_port_listening "$port"; then busy+=("$port"); fi
done
if ((${#busy[@]})); then
  ce_log "error: port(s) ${busy[*]} on this machine are already in use by:"
  holders=$(for port in "${busy[@]}"; do interop_port_holders "$port" | sed "s/^/$port /"; done)
  printf '%s\n' "$holders" | sed 's/^\([0-9]*\) /  port \1: pid /' >&2
  # Another instance of this stack: Cyrus master runs with -p RUN/cyrus/run/master.pid, Exim with
  # -oP RUN/exim/exim.pid.
  others=$(printf '%s\n' "$holders" |
    sed -n -e 's|.* -p \([^ ]*\)/cyrus/run/master\.pid.*|\1|p' -e 's|.* -oP \([^ ]*\)/exim/exim\.pid.*|\1|p' | sort -u)
  for other in $others; do
    ce_log "they belong to the Cyrus + Exim instance in $other; stop it with: $here/stop.sh $other"
  done
  [ -n "$others" ] || ce_log "stop whatever holds them, or run on a machine where they are free"
  exit 1
fi

tls=$run/tls log=$run/log ns=$run/ns
cyrus_lib=$run/cyrus/lib cyrus_spool=$run/cyrus/spool cyrus_run=$run/cyrus/run
exim_etc=$run/exim/etc exim_spool=$run/exim/spool
rm -rf -- "$tls" "$log" "$ns" "$run/cyrus" "$run/exim" "$run/interop.env"
mkdir -p -- "$tls" "$log/exim" "$ns/etc/exim4" "$cyrus_lib" "$cyrus_spool" "$cyrus_run" \
  "$exim_etc" "$exim_spool"
# The daemons drop privileges: every directory on the way to their files must be searchable.
chmod 0755 "$run" "$tls" "$log" "$ns" "$ns/etc" "$ns/etc/exim4" "$run/cyrus" "$run/exim" "$exim_etc"
echo "$CE_TARGET" >"$ns/target"

# --- accounts: cyrus and Debian-exim exist only in the namespace's /etc/passwd ------------------
# free_id FILE START: the first numeric id >= START that FILE (passwd or group) does not use.
free_id() {
  local id=$2
  while cut -d: -f3 "$1" | grep -qx "$id"; do id=$((id + 1)); done
  echo "$id"
}
cp /etc/passwd "$ns/etc/passwd"
cp /etc/group "$ns/etc/group"
mail_gid=$(getent group mail | cut -d: -f3)
[ -n "$mail_gid" ] || { ce_log "error: this system has no group 'mail'"; exit 1; }
if ! cyrus_uid=$(getent passwd cyrus | cut -d: -f3) || [ -z "$cyrus_uid" ]; then
  cyrus_uid=$(free_id "$ns/etc/passwd" 64990)
  echo "cyrus:x:$cyrus_uid:$mail_gid:Cyrus IMAP (mailspec interop):$cyrus_lib:/usr/sbin/nologin" >>"$ns/etc/passwd"
fi
if ! exim_gid=$(getent group Debian-exim | cut -d: -f3) || [ -z "$exim_gid" ]; then
  exim_gid=$(free_id "$ns/etc/group" 64991)
  echo "Debian-exim:x:$exim_gid:" >>"$ns/etc/group"
fi
if ! exim_uid=$(getent passwd Debian-exim | cut -d: -f3) || [ -z "$exim_uid" ]; then
  exim_uid=$(free_id "$ns/etc/passwd" 64991)
  echo "Debian-exim:x:$exim_uid:$exim_gid:Exim (mailspec interop):$exim_spool:/usr/sbin/nologin" >>"$ns/etc/passwd"
fi
chmod 0644 "$ns/etc/passwd" "$ns/etc/group"

# --- test CA and server certificate (CN=localhost, SAN localhost and 127.0.0.1) -----------------
openssl_log=$log/openssl.log
if ! {
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mailspec interop test CA (cyrus-exim)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" &&
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$tls/server.key" -out "$tls/server.csr" &&
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$tls/server.ext" &&
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 30 -extfile "$tls/server.ext" -out "$tls/server.crt"
} >"$openssl_log" 2>&1; then
  ce_log "error: making the test certificates failed:"
  tail -n 20 "$openssl_log" >&2
  exit 1
fi
chmod 0600 "$tls/ca.key" "$tls/server.key"
# Each daemon reads its key after dropping root: a copy of its own, readable by it only.
for who in cyrus:$cyrus_uid:$mail_gid exim:$exim_uid:$exim_gid; do
  IFS=: read -r name uid gid <<<"$who"
  cp "$tls/server.crt" "$tls/$name.crt"
  cp "$tls/server.key" "$tls/$name.key"
  chown "$uid:$gid" "$tls/$name.crt" "$tls/$name.key"
  chmod 0600 "$tls/$name.key"
done

# --- configs from templates -----------------------------------------------------------------------
domain=$(python3 -c 'import sys, xml.etree.ElementTree as E
print(next(v.get("value") for v in E.parse(sys.argv[1]).getroot().iter("var") if v.get("name") == "domain"))' "$CE_TARGET")
postmaster=$(python3 -c 'import sys, xml.etree.ElementTree as E
print(E.parse(sys.argv[1]).getroot().find("user").get("address"))' "$CE_TARGET")
[[ $domain =~ ^[A-Za-z0-9.-]+$ && $postmaster =~ ^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$ ]] ||
  { ce_log "error: $CE_TARGET: domain '$domain' or first address '$postmaster' is not plain"; exit 1; }
render() { # render TEMPLATE OUTPUT: replaces every @NAME@; fails on a placeholder left over.
  sed -e "s|@RUN_DIR@|$run|g" -e "s|@ROOT@|$root|g" -e "s|@TLS_DIR@|$tls|g" -e "s|@LOG_DIR@|$log|g" \
      -e "s|@CYRUS_LIB@|$cyrus_lib|g" -e "s|@CYRUS_SPOOL@|$cyrus_spool|g" \
      -e "s|@CYRUS_RUN@|$cyrus_run|g" -e "s|@SERVERNAME@|mail.$domain|g" \
      -e "s|@EXIM_ETC@|$exim_etc|g" -e "s|@EXIM_SPOOL@|$exim_spool|g" \
      -e "s|@DOMAIN@|$domain|g" -e "s|@POSTMASTER@|$postmaster|g" \
      -e "s|@SMTP_PORT@|$CE_SMTP_PORT|g" -e "s|@SUBMISSION_PORT@|$CE_SUBMISSION_PORT|g" \
      -e "s|@SUBMISSIONS_PORT@|$CE_SUBMISSIONS_PORT|g" \
      -e "s|@POP3_PORT@|$CE_POP3_PORT|g" -e "s|@POP3S_PORT@|$CE_POP3S_PORT|g" \
      -e "s|@IMAP_PORT@|$CE_IMAP_PORT|g" -e "s|@IMAPS_PORT@|$CE_IMAPS_PORT|g" \
      "$1" >"$2"
  if grep -n '@[A-Z_]*@' "$2" >&2; then
    ce_log "error: unreplaced placeholder in $2 (template $1)"
    exit 1
  fi
  chmod 0644 "$2"
}
render "$here/templates/imapd.conf.in" "$ns/etc/imapd.conf"
render "$here/templates/cyrus.conf.in" "$ns/etc/cyrus.conf"
render "$here/templates/exim4.conf.in" "$ns/etc/exim4/exim4.conf"

# Cyrus's directories (what its makedirs script would make), owned by cyrus.
for dir in db socket proc log msg ptclient quota sieve user lock; do mkdir -p "$cyrus_lib/$dir"; done
mkdir -p "$cyrus_run/socket" "$cyrus_run/proc" "$cyrus_run/lock"
chown -R "$cyrus_uid:$mail_gid" "$run/cyrus"
chmod 0750 "$cyrus_lib" "$cyrus_spool"
chmod 0755 "$cyrus_run" "$cyrus_run/socket"
chown -R "$exim_uid:$exim_gid" "$exim_spool" "$log/exim"
chmod 0750 "$exim_spool"
touch "$log/syslog.log"

# --- start ----------------------------------------------------------------------------------------
fail() { # fail MESSAGE: prints MESSAGE and the log tails, stops what started, exits 1.
  ce_log "error: $1"
  local f
  for f in "$log/ns-init.log" "$log/syslog.log" "$log/exim/paniclog" "$log/exim/mainlog" \
           "$log/cyrus-master.log" "$log/exim-daemon.log" "$log/syslog-reader.log"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
  cyrus_exim_stop "$run" || true
  exit 1
}
# The lock descriptor of with-servers.sh (9) must not reach the daemons.
timeout 30 unshare -m --propagation private -- bash "$here/ns-init.sh" "$run" "$root" \
  </dev/null >"$log/ns-init.log" 2>&1 9>&- || fail "setting up the mount namespace or launching the daemons failed"

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
deadline=$((SECONDS + 60))
pending=(
  "greets $CE_SMTP_PORT 220 plain"        "greets $CE_SUBMISSION_PORT 220 plain"
  "greets $CE_SUBMISSIONS_PORT 220 tls"
  "greets $CE_POP3_PORT +OK plain"        "greets $CE_POP3S_PORT +OK tls"
  "greets $CE_IMAP_PORT '* OK' plain"     "greets $CE_IMAPS_PORT '* OK' tls"
)
while ((${#pending[@]})); do
  still=()
  for check in "${pending[@]}"; do eval "$check" || still+=("$check"); done
  pending=("${still[@]+"${still[@]}"}")
  ((${#pending[@]})) || break
  [ -n "$(ce_ns_pids "$run")" ] || fail "every process of the stack has exited"
  ((SECONDS < deadline)) || fail "after 60 s these still do not answer: ${pending[*]}"
  sleep 0.5
done

cyrus_version=$(sed -n 's/^cyrus-imapd=//p' "$root/.complete")
exim_version=$(sed -n 's/^exim4-daemon-light=//p' "$root/.complete")
cat >"$run/interop.env" <<ENV
# Written by ci/interop/cyrus-exim/start.sh; read by ci/interop/cyrus-exim/smoke.py.
INTEROP_STACK=cyrus-exim
INTEROP_HOST=127.0.0.1
INTEROP_SMTP_PORT=$CE_SMTP_PORT
INTEROP_SUBMISSION_PORT=$CE_SUBMISSION_PORT
INTEROP_SUBMISSIONS_PORT=$CE_SUBMISSIONS_PORT
INTEROP_POP3_PORT=$CE_POP3_PORT
INTEROP_POP3S_PORT=$CE_POP3S_PORT
INTEROP_IMAP_PORT=$CE_IMAP_PORT
INTEROP_IMAPS_PORT=$CE_IMAPS_PORT
INTEROP_CA_FILE=$tls/ca.crt
INTEROP_LOG_DIR=$log
INTEROP_TARGET=$CE_TARGET
INTEROP_VERSIONS=Cyrus IMAP $cyrus_version, Exim $exim_version
ENV

ce_log "Cyrus IMAP $cyrus_version and Exim $exim_version are up on 127.0.0.1 (mount namespace $(cat "$ns/mnt-id"))"
ce_log "  smtp $CE_SMTP_PORT, submission $CE_SUBMISSION_PORT, submissions $CE_SUBMISSIONS_PORT, pop3 $CE_POP3_PORT, pop3s $CE_POP3S_PORT, imap $CE_IMAP_PORT, imaps $CE_IMAPS_PORT"
ce_log "  test CA: $tls/ca.crt"
ce_log "  logs: $log/syslog.log (Cyrus) $log/exim/mainlog (Exim)"
ce_log "  stop with: $here/stop.sh $run"
