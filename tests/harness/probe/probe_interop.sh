#!/usr/bin/env bash
# Usage: probe_interop.sh MAILSPEC RUN_DIR WORK_DIR REPO_DIR XSD
# Runs `mailspec probe` with fixtures/policies/dovecot-postfix.xml against the Dovecot + Postfix that
# ci/interop/with-servers.sh started in RUN_DIR, then checks: exit 0, the JUnit file validates
# against XSD, and the JSON report shows the expected service and TLS mode on every port.
set -uo pipefail
if [ $# -ne 5 ]; then
  echo "usage: $0 MAILSPEC RUN_DIR WORK_DIR REPO_DIR XSD" >&2
  exit 2
fi
mailspec=$1 run=$2 work=$3 repo=$4 xsd=$5
mkdir -p "$work"
junit=$work/probe-interop-junit.xml json=$work/probe-interop.json
rm -f "$junit" "$json"

"$mailspec" probe 127.0.0.1 --policy "$repo/fixtures/policies/dovecot-postfix.xml" --ca "$run/tls/ca.crt" \
  --timeout 5 --junit "$junit" --json "$json"
rc=$?
if [ $rc -ne 0 ]; then
  echo "probe.interop: mailspec probe exited $rc (expected 0)" >&2
  exit 1
fi
xmllint --noout --schema "$xsd" "$junit" || { echo "probe.interop: JUnit does not validate" >&2; exit 1; }
python3 - "$json" <<'PY' || exit 1
import json, sys
report = json.load(open(sys.argv[1]))
expected = {20025: ("smtp", "starttls"), 20587: ("smtp", "starttls"), 20465: ("smtp", "implicit"),
            20110: ("pop3", "starttls"), 20995: ("pop3", "implicit"), 20143: ("imap", "starttls"),
            20993: ("imap", "implicit")}
bad = []
for port in report["ports"]:
    want = expected.get(port["port"])
    got = (port["service"], port["tls_mode"])
    if want != got:
        bad.append(f'{port["port"]}: expected {want}, found {got} ({port["inconclusive"]})')
    if port["tls"] is None or not port["tls"]["chain_verified"] or port["legacy_tls_accepted"] is not False:
        bad.append(f'{port["port"]}: expected a verified chain and legacy TLS refused')
if len(report["ports"]) != len(expected):
    bad.append(f'expected {len(expected)} ports, found {len(report["ports"])}')
if bad:
    print("probe.interop: " + "\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
echo "probe.interop: every port as expected"
