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
bash ci/install-missing.sh clang-14 libclang-rt-14-dev
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DMAILSPEC_FUZZ=ON -DMAILSPEC_FUZZ_SMOKE_SECONDS="$seconds" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz
mkdir -p reports
cd build-fuzz
ctest -L fuzz --output-on-failure --timeout 300 -j "$(nproc)" --output-junit ../reports/fuzz-smoke.xml
