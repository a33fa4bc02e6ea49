#!/usr/bin/env bash
# Installs those of the Debian packages named as arguments that are not installed yet: one
# `apt-get update`, then a non-interactive `apt-get install --no-install-recommends`, only when
# something is missing (so a second run installs nothing). Root, or a user with sudo.
# The answer Postfix would ask for is preseeded when postfix is among the missing packages:
# mailspec runs private Postfix instances and leaves the system MTA unconfigured.
#   ci/install-missing.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -q
for p in "${missing[@]}"; do
  if [ "$p" = postfix ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
  fi
done
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
