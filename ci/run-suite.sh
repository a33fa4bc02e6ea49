#!/usr/bin/env bash
# Set up (install + build) and run the main job: the conformance suite against the bundled
# reference server. Console summary on stdout; JUnit XML in reports/junit.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
mkdir -p reports
exec build/bin/mailspec run --junit reports/junit.xml scenarios "$@"
