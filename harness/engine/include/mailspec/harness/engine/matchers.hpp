#pragma once
// Checks of one response against an <expect>: code / status / tag and the <line> / <no-line>
// assertions with captures. Pure functions; regexes are Boost.Regex in Perl (ECMAScript-like) syntax,
// which never recurses per input byte, so a hostile 64 KB line cannot exhaust the stack.
#include <optional>
#include <string>
#include <vector>

#include "mailspec/harness/engine/response.hpp"
#include "mailspec/harness/engine/variables.hpp"
#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::engine {

// "250" matches 250; "2xx" any 2yz; "25x" 250..259; alternatives with '|'.
bool code_matches(const std::string& pattern, int code);
// Exact, case-insensitive for IMAP words; alternatives with '|'.
bool status_matches(const std::string& pattern, const std::string& status);

// Checks that `pattern` is a valid regex; returns the error text when it is not.
std::optional<std::string> regex_error(const std::string& pattern);

struct Mismatch {
    std::string message;   // one line
    std::string expected;
    std::string actual;
    bool scenario_error = false;  // the check itself is broken (undefined variable, bad regex): ERROR
    model::SourceLocation where;  // the <line> element when a line check failed
    bool inconclusive = false;    // the server answered in a way that decides nothing: ERROR
};

// Applies the code/status/tag expectations and the line checks in order; captures go into
// `variables` as they match (a later check may use an earlier capture). nullopt when all hold.
std::optional<Mismatch> check_response(const model::Expect& expect, const Response& response, Variables& variables);

}  // namespace mailspec::harness::engine
