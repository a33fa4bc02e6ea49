#!/usr/bin/env bash
# Usage: ci/interop/cyrus-exim/fetch.sh [ROOT]
#
# Makes ROOT (default $MAILSPEC_CYRUS_EXIM_ROOT, else <repo>/.interop/cyrus-exim/root) a file tree
# holding Cyrus IMAP 3.6, Exim 4.96 (daemon-light), the Cyrus SASL tools and every dependency of
# theirs that this machine lacks, as Debian 12 packages fetched with `apt-get download` and
# unpacked with `dpkg-deb -x`. Nothing is installed into the system: cyrus-imapd conflicts with
# Dovecot and Exim with Postfix, which stay installed; start.sh runs the tree in its own mount
# namespace. Which packages are missing is decided by apt itself (`apt-get -s install`, a
# simulation that changes nothing). When the package lists are missing or stale, `apt-get update`
# is run once and the resolution retried.
# Idempotent: a ROOT made from the same package versions is kept (prints "cached"); otherwise it is
# rebuilt beside and swapped in, so an interrupted fetch never leaves a half tree behind as complete.
# Exit: 0 ROOT is complete; 1 download or unpack failed (reason printed); 2 usage;
#       77 this machine cannot do it (not root, or not a Debian system with apt-get and dpkg-deb).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

interop_usage_optional_arg ROOT "$@"
interop_need_root "fetching and running Cyrus and Exim needs root"
for tool in apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || {
    interop_log "skipped: $tool is missing (this stack needs a Debian 12 system)"
    exit 77
  }
done

root=${1:-${MAILSPEC_CYRUS_EXIM_ROOT:-$CE_DEFAULT_ROOT}}
mkdir -p -- "$(dirname -- "$root")"
root=$(cd -- "$(dirname -- "$root")" && pwd)/$(basename -- "$root")
# <repo>/.interop is also the Dovecot + Postfix scripts' default run directory, and their start.sh
# refuses a non-empty directory without its marker: a fresh .interop made here gets the marker.
repo_state=$(interop_repo_root)/.interop
if [ -d "$repo_state" ] && [ ! -e "$repo_state/$INTEROP_MARKER" ] &&
   [ -z "$(ls -A -- "$repo_state" | grep -vx cyrus-exim)" ]; then
  touch "$repo_state/$INTEROP_MARKER"
fi

# resolve: prints "name=version" for every package apt would have to install (sorted).
resolve() {
  # shellcheck disable=SC2086
  LC_ALL=C timeout 120 apt-get -s -o Debug::NoLocking=1 install --no-install-recommends $CE_PACKAGES 2>&1 |
    awk '/^E:/ { print "error: " $0; bad = 1 } /^Inst / { v = $3; if (v ~ /^\[/) v = $4;
         gsub(/[()]/, "", v); print $2 "=" v } END { exit bad }' | sort
}
log=$(mktemp)
trap 'rm -f -- "$log"' EXIT
if ! wanted=$(resolve) || [ -z "$wanted" ]; then
  interop_log "apt cannot resolve the packages yet; running apt-get update"
  timeout 300 apt-get update >"$log" 2>&1 || { tail -n 20 "$log" >&2; interop_log "error: apt-get update failed"; exit 1; }
  if ! wanted=$(resolve) || [ -z "$wanted" ]; then
    interop_log "error: apt cannot resolve $CE_PACKAGES:"
    printf '%s\n' "$wanted" >&2
    exit 1
  fi
fi
if [ -f "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$wanted" ]; then
  interop_log "package tree cached in $root ($(echo "$wanted" | wc -l) packages)"
  exit 0
fi

new=$root.new debs=$root.debs
rm -rf -- "$new" "$debs"
mkdir -p -- "$new" "$debs"
chmod 0755 "$new"
download() { # download NAME=VERSION...: into $debs, bounded.
  (cd -- "$debs" && timeout 600 apt-get -o APT::Sandbox::User=root download "$@") >"$log" 2>&1
}
# shellcheck disable=SC2086
if ! download $wanted; then
  interop_log "download failed; running apt-get update and resolving again"
  timeout 300 apt-get update >"$log" 2>&1 || { tail -n 20 "$log" >&2; interop_log "error: apt-get update failed"; exit 1; }
  wanted=$(resolve) || { interop_log "error: apt cannot resolve $CE_PACKAGES: $wanted"; exit 1; }
  # shellcheck disable=SC2086
  download $wanted || { tail -n 20 "$log" >&2; interop_log "error: apt-get download failed"; exit 1; }
fi
for deb in "$debs"/*.deb; do
  dpkg-deb -x "$deb" "$new" 2>"$log" || { cat "$log" >&2; interop_log "error: dpkg-deb -x $deb failed"; exit 1; }
done
for file in usr/lib/cyrus/bin/master usr/lib/cyrus/bin/imapd usr/lib/cyrus/bin/pop3d \
            usr/lib/cyrus/bin/lmtpd usr/sbin/exim4 usr/sbin/saslpasswd2; do
  [ -x "$new/$file" ] || [ -x "/$file" ] || { interop_log "error: $file is in none of the packages"; exit 1; }
done
printf '%s\n' "$wanted" >"$new/.complete"
rm -rf -- "$root" "$debs"
mv -- "$new" "$root"
interop_log "unpacked $(echo "$wanted" | wc -l) packages into $root"
