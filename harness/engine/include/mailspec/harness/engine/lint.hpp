#pragma once
// `mailspec check` and the checks `mailspec run` makes before running anything: every regex
// compiles, every ${var} is defined (by the target, a built-in, or a capture in an earlier step),
// every endpoint exists, attributes fit the protocol of the session's endpoint, sessions are
// connected before use, scenario ids are unique. Runs nothing (STYLE.md #6).
#include <vector>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/scenario.hpp"
#include "mailspec/harness/model/target.hpp"

namespace mailspec::harness::engine {

// Endpoints and variables of the standard target shape (model::standard_target_shape) that the
// target lacks are not errors: the runner SKIPs the scenarios that use them ("target has no pop3s
// endpoint", "target has no second user"). Malformed ${...} value expressions are errors.
struct LintOptions {
    // `mailspec check`: a literal in a <send>, raw send or send-file prefix/suffix that is the value
    // of a target user's login, password or address, of a target <var>, or base64 hiding a login or
    // password (a hard-coded SASL response), is an error naming the variable to write instead.
    bool reject_credential_literals = false;
};

loader::Diagnostics lint(const std::vector<const model::Scenario*>& scenarios, const model::Target& target,
                         const LintOptions& options = {});

// Names every run defines besides the target's: "run.id", "scenario.id".
bool is_builtin_variable(const std::string& name);

}  // namespace mailspec::harness::engine
