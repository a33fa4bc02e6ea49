#pragma once
// Console output of a finished probe: an aligned table (port, service, TLS mode, version,
// certificate, verdict) followed by the findings list. Pure: returns text, prints nothing.
#include <string>

#include "judge.hpp"

namespace mailspec::harness::probe {

// Columns are padded to the widest cell; cells never contain control characters (escaped with
// core::visible). `color` adds ANSI colours to the verdict column only.
std::string render_table(const Judgement& judgement, bool color = false);

// One line per finding / inconclusive result, most severe first:
//   "error    587  tls-mode  expected ... [RFC 3207 §4]". Empty text when there is none.
std::string render_findings(const Judgement& judgement);

// "9 ports: 6 OK, 1 FAIL, ...; 2 errors, 1 warning" summary line.
std::string render_summary(const Judgement& judgement);

// The certificate cell: "CN=localhost, verified, 29d" / "self-signed?, unverified, expired 3d".
std::string certificate_cell(const PortObservation& observation);

}  // namespace mailspec::harness::probe
