#!/usr/bin/env bash
# The fuzz smoke (docs/fuzzing.md): builds the libFuzzer targets with Debian's clang 14 into
# build-fuzz/ (-DMAILSPEC_FUZZ=ON; the ordinary build/ is not touched) and runs `ctest -L fuzz`
# there: every committed reproducer in fuzz/crashes/ replayed, then each target fuzzed for
# SECONDS (default 5) on its seeds. Idempotent; installs clang when it is missing.
#   ci/fuzz-smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DMAILSPEC_FUZZ=ON -DMAILSPEC_FUZZ_SMOKE_SECONDS="$seconds" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz
mkdir -p reports
cd build-fuzz
ctest -L fuzz --output-on-failure --timeout 300 -j "$(nproc)" --output-junit ../reports/fuzz-smoke.xml
