#pragma once
// Shared by `run` and `check`: finds scenario files under the given paths, loads them all, and
// keeps the selected ones. Every load error is collected (file:line: message).
#include <string>
#include <vector>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/scenario.hpp"
#include "mailspec/harness/model/selection.hpp"

namespace mailspec::harness::cli {

struct ScenarioSet {
    std::vector<std::string> files;
    std::vector<model::Scenario> all;          // every scenario loaded (stable addresses after load)
    std::vector<const model::Scenario*> selected;
    loader::Diagnostics errors;
};

ScenarioSet load_scenarios(const std::vector<std::string>& paths, const model::Selection& selection);

}  // namespace mailspec::harness::cli
