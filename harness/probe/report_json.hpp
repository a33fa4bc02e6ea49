#pragma once
// JSON output of a finished probe (schema in docs/probe.md). Pure: returns the document text.
#include <string>
#include <string_view>

#include "judge.hpp"

namespace mailspec::harness::probe {

// One object: {"host", "policy", "exit_code", "summary", "ports": [{port, role, state, service,
// tls_mode, greeting, inconclusive, tls{...}, capabilities_before_tls, capabilities_after_tls,
// auth_before_tls, legacy_tls_accepted, starttls_readvertised, verdict, checks[...],
// transcript}]}. Unknown values are null. Strings are valid JSON (control bytes as \u00XX).
std::string render_json(const Judgement& judgement);

// A JSON string literal for `text`, quotes included.
std::string json_string(std::string_view text);

}  // namespace mailspec::harness::probe
