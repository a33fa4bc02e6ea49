#!/usr/bin/env bash
# Set up (install + build) and run every test: unit, integration, real-client and interop.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
mkdir -p reports
cd build
ctest --output-on-failure --timeout 900 -j "$(nproc)" --output-junit ../reports/ctest.xml
