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
. "$here/../lib/start-helpers.sh"

interop_usage_optional_arg RUN_DIR "$@"

# --- can this machine run it? -------------------------------------------------------------------
interop_stack_precheck  # root: mount namespace, ports, accounts
missing=()
for tool in unshare nsenter mount openssl python3 timeout flock; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  interop_log "skipped: missing ${missing[*]}"
  exit 77
fi
grep -qw overlay /proc/filesystems 2>/dev/null || modprobe overlay 2>/dev/null || true
if ! grep -qw overlay /proc/filesystems; then
  interop_log "skipped: the kernel offers no overlay file system (needed for the namespace's /etc and /usr/lib)"
  exit 77
fi

# --- run directory (the longest unix socket is cyrus/run/socket/notify) -------------------------
run=$(interop_claim_run_dir "${1:-$INTEROP_STACK_DEFAULT_RUN}" "$CE_MARKER")

# --- the package tree ---------------------------------------------------------------------------
root=${MAILSPEC_CYRUS_EXIM_ROOT:-$CE_DEFAULT_ROOT}
"$here/fetch.sh" "$root"  # exits 77 or 1 itself, with the reason
root=$(cd -- "$root" && pwd)
interop_require_plain_path "the package tree's path" "$root"

interop_stack_stop "$run" || { interop_log "error: could not stop the previous instance in $run"; exit 1; }
interop_refuse_busy_ports "$run"
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
[ -n "$mail_gid" ] || { interop_log "error: this system has no group 'mail'"; exit 1; }
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

interop_make_tls "$tls" "$log/openssl.log" "mailspec interop test CA (cyrus-exim)"
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
  { interop_log "error: $CE_TARGET: domain '$domain' or first address '$postmaster' is not plain"; exit 1; }
render() { # render TEMPLATE OUTPUT: every @NAME@ of this stack's templates (and the ports), 0644.
  interop_render "$1" "$2" "@RUN_DIR@|$run" "@ROOT@|$root" "@TLS_DIR@|$tls" "@LOG_DIR@|$log" \
    "@CYRUS_LIB@|$cyrus_lib" "@CYRUS_SPOOL@|$cyrus_spool" "@CYRUS_RUN@|$cyrus_run" \
    "@SERVERNAME@|mail.$domain" "@EXIM_ETC@|$exim_etc" "@EXIM_SPOOL@|$exim_spool" \
    "@DOMAIN@|$domain" "@POSTMASTER@|$postmaster"
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
  interop_start_failed "$run" "$1" "$log/ns-init.log" "$log/syslog.log" "$log/exim/paniclog" \
    "$log/exim/mainlog" "$log/cyrus-master.log" "$log/exim-daemon.log" "$log/syslog-reader.log"
}
# The lock descriptor of with-servers.sh (9) must not reach the daemons.
timeout 30 unshare -m --propagation private -- bash "$here/ns-init.sh" "$run" "$root" \
  </dev/null >"$log/ns-init.log" 2>&1 9>&- || fail "setting up the mount namespace or launching the daemons failed"

why=$(interop_await_greetings "$tls/ca.crt" 60 ce_alive "$run") || fail "$why"

cyrus_version=$(sed -n 's/^cyrus-imapd=//p' "$root/.complete")
exim_version=$(sed -n 's/^exim4-daemon-light=//p' "$root/.complete")
interop_write_env "$run" "$tls/ca.crt" "$log" "INTEROP_STACK=cyrus-exim" "INTEROP_TARGET=$CE_TARGET" \
  "INTEROP_VERSIONS=Cyrus IMAP $cyrus_version, Exim $exim_version"
interop_log_started "Cyrus IMAP $cyrus_version and Exim $exim_version are up on 127.0.0.1 (mount namespace $(cat "$ns/mnt-id"))" \
  "$run" "$log/syslog.log (Cyrus) $log/exim/mainlog (Exim)"
