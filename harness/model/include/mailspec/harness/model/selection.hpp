#pragma once
// Selecting scenarios (`--tag`, `--protocol`, `--id`, `--rfc`, `--level`). Within one option the
// given values are alternatives; different options must all hold.
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::model {

// Shell-style glob: '*' any run, '?' one character, everything else literal. Case-sensitive.
bool glob_match(std::string_view pattern, std::string_view text);

struct Selection {
    std::vector<std::string> tags;
    std::vector<std::string> protocols;
    std::vector<std::string> id_globs;
    std::vector<std::string> rfcs;    // "5321" matches rfc="5321#4.2"; "5321#4" matches by prefix
    std::vector<std::string> levels;  // case-insensitive
    bool policy = true;               // false (--policy=off): judges="policy" scenarios are not selected

    bool empty() const;
    bool selects(const Scenario& scenario) const;
};

}  // namespace mailspec::harness::model
