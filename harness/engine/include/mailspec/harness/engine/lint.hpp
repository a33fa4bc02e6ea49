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

loader::Diagnostics lint(const std::vector<const model::Scenario*>& scenarios, const model::Target& target);

// Names every run defines besides the target's: "run.id", "scenario.id".
bool is_builtin_variable(const std::string& name);

}  // namespace mailspec::harness::engine
