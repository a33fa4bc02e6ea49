#include "report_junit.hpp"

namespace mailspec::harness::probe {

namespace {

std::string classname_part(const std::string& host) {
    std::string out;
    for (char c : host) out += (c == '.' || c == ':') ? '_' : c;
    return out;
}

}  // namespace

std::vector<reporters::JUnitCase> junit_cases(const Judgement& j) {
    using Kind = reporters::JUnitCase::Kind;
    std::vector<reporters::JUnitCase> cases;
    const std::string suite = "probe " + j.host;
    for (const auto& p : j.ports) {
        const auto& o = p.observation;
        const std::string classname = "probe." + classname_part(j.host) + ".port" + std::to_string(o.port);
        for (const auto& c : p.checks) {
            reporters::JUnitCase tc;
            tc.suite = suite;
            tc.name = c.check;
            tc.classname = classname;
            const std::string text = c.message + (c.rfc.empty() ? "" : " [" + c.rfc + "]");
            if (c.outcome == Outcome::finding && c.severity == Severity::error) {
                tc.kind = Kind::failure;
            } else if (c.outcome == Outcome::inconclusive && c.severity == Severity::error) {
                tc.kind = Kind::error;
            } else if (c.outcome == Outcome::inconclusive || c.outcome == Outcome::skipped) {
                tc.kind = Kind::skipped;
            } else if (c.outcome == Outcome::finding) {
                tc.system_out = std::string(to_string(c.severity)) + ": " + text + "\n";
            } else {
                tc.system_out = text + "\n";
            }
            if (tc.kind != Kind::passed) {
                tc.message = text;
                tc.detail = "port " + std::to_string(o.port) + (p.role ? " (role " + p.role->role + ", " +
                                                                              p.role->source + ")"
                                                                        : std::string(" (no role)")) +
                            ": " + text;
            }
            if (c.check == "reachable") {
                tc.seconds = static_cast<double>(o.elapsed.count()) / 1000.0;
                tc.system_out += o.transcript;
            }
            cases.push_back(std::move(tc));
        }
    }
    return cases;
}

std::string render_junit(const Judgement& judgement) {
    return reporters::junit_xml(junit_cases(judgement), "mailspec probe " + judgement.host);
}

}  // namespace mailspec::harness::probe
