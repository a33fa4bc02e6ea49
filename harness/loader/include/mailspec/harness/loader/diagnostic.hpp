#pragma once
// An error found in a scenario, target or known-failures file: where (file:line) and what was
// expected versus what was found. Loaders collect every error they can instead of stopping at one.
#include <string>
#include <vector>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::loader {

struct Diagnostic {
    model::SourceLocation where;
    std::string message;
    std::string str() const;  // "file:line: message"
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace mailspec::harness::loader
