#pragma once
// What a scenario judges, and how much a policy finding weighs (issue 9 item 4). Plain data.
//
//   conformance  the implementation's protocol behaviour under an RFC's MUST / SHOULD / MAY: a FAIL
//                says the software breaks a clause, whatever it is configured to do.
//   policy       a deployment recommendation that flips with the server's configuration (plaintext
//                login before TLS, the TLS version floor, relaying, line limits as hardening), as
//                RFC 8314, RFC 8996 / 8997, RFC 3207, RFC 2595, RFC 4954 §4 or RFC 5321 §3.6.2 advise
//                sites. A FAIL is a finding with a severity.
//
// Severity is the vocabulary of `mailspec probe` policy files (docs/probe.md): error, warning, info.
#include <optional>
#include <string_view>

namespace mailspec::harness::model {

enum class Judges { conformance, policy };
const char* to_string(Judges judges);  // "conformance", "policy"
std::optional<Judges> judges_from_string(std::string_view text);

enum class Severity { info, warning, error };
const char* to_string(Severity severity);  // "info", "warning", "error"
std::optional<Severity> severity_from_string(std::string_view text);

// `mailspec run --policy=MODE`: what policy findings do to the run.
//   fail    policy scenarios run; a FAIL or ERROR of severity error makes the exit code 1
//   report  policy scenarios run and are reported apart; they never change the exit code (default)
//   off     policy scenarios are not run
enum class PolicyMode { fail, report, off };
const char* to_string(PolicyMode mode);
std::optional<PolicyMode> policy_mode_from_string(std::string_view text);

}  // namespace mailspec::harness::model
