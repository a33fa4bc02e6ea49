#!/usr/bin/env bash
# Usage: unshare -m --propagation private -- ns-init.sh RUN_DIR ROOT
#
# Runs inside the stack's own mount namespace (start.sh calls it; never run it directly): makes the
# compiled-in paths of the unpacked Debian packages resolve without touching the system, then starts
# the daemons, which keep the namespace alive after this script exits.
#   /etc      read-only overlay: RUN_DIR/ns/etc (imapd.conf, cyrus.conf, exim4/exim4.conf, passwd
#             and group with the cyrus and Debian-exim accounts) over the system's /etc
#   /usr/lib  read-only overlay: ROOT/usr/lib (Cyrus binaries in /usr/lib/cyrus/bin, libraries the
#             system lacks, SASL plugins) over the system's /usr/lib
#   /dev      a tmpfs with null, zero, full, random, urandom, tty, pts, shm bound from the real /dev,
#             and /dev/log served by syslog.py into RUN_DIR/log/syslog.log (Cyrus logs only to syslog)
# Order: the namespace id is recorded first (RUN_DIR/ns/mnt-id), so stop.sh can kill whatever was
# started even when a later step fails. Exit 0 when every daemon was launched (start.sh then waits
# for the ports); non-zero at the first step that failed, with the reason on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 RUN_DIR ROOT (run by start.sh)" >&2; exit 2; }
run=$1 root=$2
log=$run/log ns=$run/ns

own=$(readlink /proc/self/ns/mnt)
if [ "$own" = "$(readlink /proc/1/ns/mnt)" ]; then
  echo "ns-init: not in a mount namespace of its own; refusing to mount anything" >&2
  exit 1
fi
echo "$own" >"$ns/mnt-id"

mount -t overlay overlay -o "lowerdir=$ns/etc:/etc" /etc
mount -t overlay overlay -o "lowerdir=$root/usr/lib:/usr/lib" /usr/lib

mkdir -p "$ns/realdev"
mount --rbind /dev "$ns/realdev"
mount -t tmpfs -o mode=0755,nosuid,size=1m tmpfs /dev
for node in null zero full random urandom tty; do
  [ -e "$ns/realdev/$node" ] || continue
  touch "/dev/$node"
  mount --bind "$ns/realdev/$node" "/dev/$node"
done
for dir in pts shm; do
  [ -d "$ns/realdev/$dir" ] || continue
  mkdir "/dev/$dir"
  mount --rbind "$ns/realdev/$dir" "/dev/$dir"
done
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
umount -l "$ns/realdev"

# Every daemon: no terminal, no inherited pipe (a caller waiting for EOF must not hang).
setsid python3 "$here/syslog.py" /dev/log "$log/syslog.log" </dev/null >>"$log/syslog-reader.log" 2>&1 &
tenths=50
while [ ! -S /dev/log ] && ((tenths-- > 0)); do sleep 0.1; done
[ -S /dev/log ] || { echo "ns-init: syslog.py did not create /dev/log within 5 s" >&2; exit 1; }

saslpasswd2=$root/usr/sbin/saslpasswd2
[ -x "$saslpasswd2" ] || saslpasswd2=/usr/sbin/saslpasswd2
sasldb=$run/cyrus/lib/sasldb2
realm=$(sed -n 's/^servername: *//p' /etc/imapd.conf)
python3 "$here/provision.py" "$(cat "$ns/target")" "$saslpasswd2" "$sasldb" "$realm" \
  "$run/exim/etc" >"$ns/addresses"
chown cyrus:mail "$sasldb"
chmod 0640 "$sasldb"
chmod 0644 "$run/exim/etc/passwd" "$run/exim/etc/users"
chown root:Debian-exim "$run/exim/etc/secrets"
chmod 0640 "$run/exim/etc/secrets"

# Cyrus master runs as root only to bind, then as cyrus; -d: it daemonises.
/usr/lib/cyrus/bin/master -d -p "$run/cyrus/run/master.pid" </dev/null >>"$log/cyrus-master.log" 2>&1
# Exim's daemon (it daemonises), with a queue run every minute for deferred deliveries.
"$root/usr/sbin/exim4" -bd -q1m -oP "$run/exim/exim.pid" </dev/null >>"$log/exim-daemon.log" 2>&1
