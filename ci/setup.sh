#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks (idempotent, non-interactive) and builds mailspec
# into build/. Sourced or run by ci/run-suite.sh and ci/run-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys relative to the checkout, so clones in other folders (CI) reuse earlier compilations.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev libboost-filesystem-dev libboost-regex-dev
  libssl-dev openssl libpugixml-dev libcli11-dev libgtest-dev libgmock-dev libutfcpp-dev
  libxml2-utils python3 curl swaks libnet-ssleay-perl isync
  dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  # Postfix asks how to configure the system MTA; mailspec runs its own private instance instead.
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_type=${MAILSPEC_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build build -j "$(nproc)"
