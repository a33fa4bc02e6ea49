#pragma once
// Loading a probe policy file (XML, format in docs/probe.md; example fixtures/policies/).
//
//   <probe-policy name="...">
//     <certificate chain="required|ignore" host-name="required|ignore" name="mail.example.test"
//                  warn-days="14"/>
//     <tls legacy="forbidden|allowed"/>
//     <port number="587" role="submission" [presence="open|closed|any"] [service="smtp|pop3|imap|any"]
//           [tls="implicit|starttls|none|any"] [auth-required="yes|no"]
//           [auth-before-tls="error|warning|info"] [informational="yes|no"]/>
//   </probe-policy>
//
// A <port> starts from its named role (policy.hpp) and its attributes override single fields;
// presence defaults to "open" (a policy file states what the host must offer).
// Errors name the file and line and say what was expected and what was found.
#include <optional>
#include <string>
#include <string_view>

#include "policy.hpp"

namespace mailspec::harness::probe {

// Parses policy XML held in memory; `source_name` is used in error messages and Policy::source.
// Returns nullopt and sets `error` ("policy.xml:7: <port> attribute number: expected 1..65535,
// found \"99999\"") on any problem.
std::optional<Policy> parse_policy(std::string_view xml, const std::string& source_name, std::string& error);

// Reads `path` and parses it; an unreadable file is an error too.
std::optional<Policy> load_policy_file(const std::string& path, std::string& error);

}  // namespace mailspec::harness::probe
