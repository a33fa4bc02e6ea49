#include "mailspec/harness/reporters/junit_results.hpp"

namespace mailspec::harness::reporters {

using model::Outcome;

std::vector<JUnitCase> junit_cases(const std::vector<model::ScenarioResult>& results) {
    std::vector<JUnitCase> cases;
    cases.reserve(results.size());
    for (const auto& r : results) {
        JUnitCase c;
        c.suite = r.suite.empty() ? model::to_string(r.protocol) : r.suite;
        // Policy findings live in testsuites of their own, so a CI view keeps them apart.
        const bool policy = r.judges == model::Judges::policy;
        if (policy) c.suite += " (policy)";
        c.name = r.id;
        c.classname = std::string(model::to_string(r.protocol)) + "." + (r.rfc.empty() ? "unspecified" : r.rfc);
        c.seconds = r.seconds;
        c.message = policy && (r.outcome == Outcome::fail || r.outcome == Outcome::error)
                        ? std::string("policy ") + model::to_string(r.severity) + ": " + r.message
                        : r.message;
        std::string detail;
        if (!r.step_where.file.empty()) detail += "at " + r.step_where.str() + "\n";
        if (!r.expected.empty()) detail += "expected: " + r.expected + "\n";
        if (!r.actual.empty()) detail += "actual:   " + r.actual + "\n";
        if (!r.rfc.empty()) detail += "RFC " + r.rfc + (r.level.empty() ? "" : " (" + r.level + ")") + "\n";
        if (policy) detail += "judges: policy (a deployment recommendation), severity " + std::string(model::to_string(r.severity)) + "\n";
        c.detail = detail;
        c.system_out = r.transcript;
        switch (r.outcome) {
            case Outcome::pass: c.kind = JUnitCase::Kind::passed; break;
            case Outcome::fail: c.kind = JUnitCase::Kind::failure; break;
            case Outcome::error: c.kind = JUnitCase::Kind::error; break;
            case Outcome::skip: c.kind = JUnitCase::Kind::skipped; break;
            case Outcome::xfail:
                c.kind = JUnitCase::Kind::passed;
                c.system_out = "XFAIL (known failure: " + r.known_reason + "): " + r.message + "\n" + detail + r.transcript;
                break;
            case Outcome::xpass:
                c.kind = JUnitCase::Kind::passed;
                c.system_out = "XPASS (listed as known failure: " + r.known_reason + ")\n" + r.transcript;
                break;
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

namespace {

// An error case of mailspec itself (suite "mailspec"), not of a scenario.
JUnitCase run_error_case(std::string name, std::string classname, std::string message, std::string detail) {
    JUnitCase c;
    c.suite = "mailspec";
    c.name = std::move(name);
    c.classname = std::move(classname);
    c.kind = JUnitCase::Kind::error;
    c.message = std::move(message);
    c.detail = std::move(detail);
    return c;
}

}  // namespace

JUnitCase interrupted_case(const std::string& why) {
    return run_error_case("run.interrupted", "mailspec.run", why,
                          "The run was stopped before every selected scenario had run; the cases above are the "
                          "ones that finished.\n");
}

std::vector<JUnitCase> preflight_cases(const std::vector<std::string>& problems) {
    std::vector<JUnitCase> cases;
    for (std::size_t i = 0; i < problems.size(); ++i)
        cases.push_back(run_error_case("preflight." + std::to_string(i + 1), "mailspec.preflight", problems[i],
                                       "The target is not ready, so no scenario was run (mailspec run exit code 3).\n"));
    return cases;
}

}  // namespace mailspec::harness::reporters
