#!/usr/bin/env bash
# Builds mailspec under a sanitizer with Debian's clang 14, into build-tsan/ or build-asan/.
#   ci/sanitize.sh thread  [TARGET...]   ThreadSanitizer           -> build-tsan/bin
#   ci/sanitize.sh address [TARGET...]   AddressSanitizer + UBSan  -> build-asan/bin
# Without TARGETs everything is built. Idempotent; installs clang when it is missing. Run
# ci/setup.sh first on a fresh machine (it installs the libraries).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys relative to the checkout, so clones in other folders (CI) reuse earlier compilations.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
kind=${1:?usage: ci/sanitize.sh thread|address [TARGET...]}
shift
case "$kind" in
  thread) dir=build-tsan; flags=thread ;;
  address) dir=build-asan; flags=address,undefined ;;
  *) echo "ci/sanitize.sh: unknown sanitizer '$kind' (expected thread or address)" >&2; exit 2 ;;
esac
bash ci/install-missing.sh clang-14 libclang-rt-14-dev
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DMAILSPEC_SANITIZE="$flags" >/dev/null
if (($#)); then
  cmake --build "$dir" -j "$(nproc)" --target "$@"
else
  cmake --build "$dir" -j "$(nproc)"
fi
