#pragma once
// Known failures of one target (issue 5): a FAIL of a listed scenario becomes XFAIL, a PASS XPASS.
#include <optional>
#include <string>
#include <vector>

#include "mailspec/harness/model/result.hpp"
#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::model {

struct KnownFailure {
    std::string id_glob;
    std::string reason;
    std::string rfc;
    SourceLocation where;
};

struct KnownFailures {
    std::string target;
    std::vector<KnownFailure> entries;

    const KnownFailure* find(const std::string& scenario_id) const;  // first matching glob
};

// Rewrites an outcome for a known failure: FAIL -> XFAIL, PASS -> XPASS; other outcomes unchanged
// (an ERROR or SKIP says nothing about the known deviation).
void apply_known_failures(const KnownFailures& known, ScenarioResult& result);

}  // namespace mailspec::harness::model
