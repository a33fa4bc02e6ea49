#include "mailspec/harness/model/result.hpp"

namespace mailspec::harness::model {

const char* to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass: return "PASS";
        case Outcome::fail: return "FAIL";
        case Outcome::error: return "ERROR";
        case Outcome::skip: return "SKIP";
        case Outcome::xfail: return "XFAIL";
        case Outcome::xpass: return "XPASS";
    }
    return "?";
}

void Summary::add(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass: ++passed; break;
        case Outcome::fail: ++failed; break;
        case Outcome::error: ++errors; break;
        case Outcome::skip: ++skipped; break;
        case Outcome::xfail: ++xfailed; break;
        case Outcome::xpass: ++xpassed; break;
    }
}

Summary summarize(const std::vector<ScenarioResult>& results) {
    Summary s;
    for (const auto& r : results)
        if (r.judges == Judges::conformance) s.add(r.outcome);
    return s;
}

int PolicySummary::total() const {
    const auto& o = outcomes;
    return o.passed + o.failed + o.skipped + o.errors + o.xfailed + o.xpassed;
}

PolicySummary summarize_policy(const std::vector<ScenarioResult>& results) {
    PolicySummary p;
    for (const auto& r : results) {
        if (r.judges != Judges::policy) continue;
        p.outcomes.add(r.outcome);
        if (r.outcome == Outcome::fail) {
            switch (r.severity) {
                case Severity::error: ++p.failed_error; break;
                case Severity::warning: ++p.failed_warning; break;
                case Severity::info: ++p.failed_info; break;
            }
        }
        if (r.outcome == Outcome::error && r.severity == Severity::error) ++p.errors_at_error;
    }
    return p;
}

int exit_code(const Summary& summary, bool strict_xpass) {
    if (summary.failed > 0 || summary.errors > 0) return 1;
    if (strict_xpass && summary.xpassed > 0) return 1;
    return 0;
}

int exit_code(const Summary& conformance, const PolicySummary& policy, PolicyMode mode, bool strict_xpass) {
    if (exit_code(conformance, strict_xpass) != 0) return 1;
    if (mode == PolicyMode::fail && (policy.failed_error > 0 || policy.errors_at_error > 0)) return 1;
    if (mode == PolicyMode::fail && strict_xpass && policy.outcomes.xpassed > 0) return 1;
    return 0;
}

}  // namespace mailspec::harness::model
