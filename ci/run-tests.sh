#!/usr/bin/env bash
# Set up (install + build) and run every test: unit, integration, real-client, stress and interop.
# Besides build/, a ThreadSanitizer build of mailspec-server (build-tsan/, ci/sanitize.sh) runs the
# stress test (ctest stress.tsan). Last, ci/fuzz-smoke.sh runs the fuzz targets briefly (build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/sanitize.sh thread mailspec-server
cmake -S . -B build -DMAILSPEC_TSAN_SERVER="$PWD/build-tsan/bin/mailspec-server" >/dev/null
cmake --build build -j "$(nproc)"
mkdir -p reports
cd build
ctest --output-on-failure --timeout 900 -j "$(nproc)" --output-junit ../reports/ctest.xml
cd ..
# Fuzz smoke, a separate step after the test suite (docs/fuzzing.md): its own clang build in
# build-fuzz/ (build/ is untouched), every reproducer in fuzz/crashes/ replayed, then each libFuzzer
# target 5 s on its seeds (about 2-4 minutes in all; reports/fuzz-smoke.xml).
bash ci/fuzz-smoke.sh 5
