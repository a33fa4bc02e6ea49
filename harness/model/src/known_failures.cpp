#include "mailspec/harness/model/known_failures.hpp"

#include "mailspec/harness/model/selection.hpp"

namespace mailspec::harness::model {

const KnownFailure* KnownFailures::find(const std::string& scenario_id) const {
    for (const auto& e : entries)
        if (glob_match(e.id_glob, scenario_id)) return &e;
    return nullptr;
}

void apply_known_failures(const KnownFailures& known, ScenarioResult& result) {
    const KnownFailure* k = known.find(result.id);
    if (!k) return;
    if (result.outcome == Outcome::fail) {
        result.outcome = Outcome::xfail;
    } else if (result.outcome == Outcome::pass) {
        result.outcome = Outcome::xpass;
        result.message = "known failure passed unexpectedly (listed at " + k->where.str() + ")";
    } else {
        return;
    }
    result.known_reason = k->reason + (k->rfc.empty() ? "" : " (RFC " + k->rfc + ")");
}

}  // namespace mailspec::harness::model
