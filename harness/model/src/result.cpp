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
    for (const auto& r : results) s.add(r.outcome);
    return s;
}

int exit_code(const Summary& summary, bool strict_xpass) {
    if (summary.failed > 0 || summary.errors > 0) return 1;
    if (strict_xpass && summary.xpassed > 0) return 1;
    return 0;
}

}  // namespace mailspec::harness::model
