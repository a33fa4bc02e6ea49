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

bash ci/install-missing.sh "${packages[@]}"

build_type=${MAILSPEC_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build build -j "$(nproc)"
