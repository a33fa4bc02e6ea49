#include "mailspec/harness/model/judgement.hpp"

namespace mailspec::harness::model {

const char* to_string(Judges judges) { return judges == Judges::policy ? "policy" : "conformance"; }

std::optional<Judges> judges_from_string(std::string_view text) {
    if (text == "conformance") return Judges::conformance;
    if (text == "policy") return Judges::policy;
    return std::nullopt;
}

const char* to_string(Severity severity) {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "?";
}

std::optional<Severity> severity_from_string(std::string_view text) {
    if (text == "info") return Severity::info;
    if (text == "warning") return Severity::warning;
    if (text == "error") return Severity::error;
    return std::nullopt;
}

const char* to_string(PolicyMode mode) {
    switch (mode) {
        case PolicyMode::fail: return "fail";
        case PolicyMode::report: return "report";
        case PolicyMode::off: return "off";
    }
    return "?";
}

std::optional<PolicyMode> policy_mode_from_string(std::string_view text) {
    if (text == "fail") return PolicyMode::fail;
    if (text == "report") return PolicyMode::report;
    if (text == "off") return PolicyMode::off;
    return std::nullopt;
}

}  // namespace mailspec::harness::model
