#include "scenario_set.hpp"

#include "mailspec/harness/loader/scenario_loader.hpp"

namespace mailspec::harness::cli {

ScenarioSet load_scenarios(const std::vector<std::string>& paths, const model::Selection& selection) {
    ScenarioSet set;
    set.files = loader::discover_scenario_files(paths, set.errors);
    for (const auto& file : set.files) {
        auto scenarios = loader::load_scenario_file(file, set.errors);
        for (auto& s : scenarios) set.all.push_back(std::move(s));
    }
    for (const auto& s : set.all)
        if (selection.selects(s)) set.selected.push_back(&s);
    return set;
}

}  // namespace mailspec::harness::cli
