#include "report_junit.hpp"

#include <cstdio>
#include <sstream>

#include <pugixml.hpp>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

namespace {

std::string seconds(std::chrono::milliseconds ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms.count()) / 1000.0);
    return buf;
}

std::string safe(const std::string& text) { return core::xml_safe(text); }

std::string classname_part(const std::string& host) {
    std::string out;
    for (char c : host) out += (c == '.' || c == ':') ? '_' : c;
    return out;
}

}  // namespace

std::string render_junit(const Judgement& j) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto suites = doc.append_child("testsuites");
    auto suite = suites.append_child("testsuite");
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    std::chrono::milliseconds total{0};
    suite.append_attribute("name") = safe("probe " + j.host).c_str();
    auto props = suite.append_child("properties");
    auto prop = [&](const char* name, const std::string& value) {
        auto p = props.append_child("property");
        p.append_attribute("name") = name;
        p.append_attribute("value") = safe(value).c_str();
    };
    prop("host", j.host);
    prop("policy", j.policy_name);
    prop("policy-source", j.policy_source);

    for (const auto& p : j.ports) {
        const auto& o = p.observation;
        total = std::max(total, o.elapsed);
        std::string classname = "probe." + classname_part(j.host) + ".port" + std::to_string(o.port);
        for (const auto& c : p.checks) {
            ++tests;
            auto tc = suite.append_child("testcase");
            tc.append_attribute("name") = c.check.c_str();
            tc.append_attribute("classname") = safe(classname).c_str();
            tc.append_attribute("time") = c.check == "reachable" ? seconds(o.elapsed).c_str() : "0.000";
            std::string text = c.message + (c.rfc.empty() ? "" : " [" + c.rfc + "]");
            auto add = [&](const char* element, const std::string& type) {
                auto e = tc.append_child(element);
                e.append_attribute("message") = safe(text).c_str();
                if (!type.empty()) e.append_attribute("type") = safe(type).c_str();
                e.text().set(safe(text).c_str());
            };
            std::string out;
            if (c.outcome == Outcome::finding && c.severity == Severity::error) {
                ++failures;
                add("failure", c.rfc.empty() ? std::string("finding") : c.rfc);
            } else if (c.outcome == Outcome::inconclusive && c.severity == Severity::error) {
                ++errors;
                add("error", "inconclusive");
            } else if (c.outcome == Outcome::inconclusive || c.outcome == Outcome::skipped) {
                ++skipped;
                add("skipped", "");
            } else if (c.outcome == Outcome::finding) {
                out = std::string(to_string(c.severity)) + ": " + text + "\n";
            } else {
                out = text + "\n";
            }
            if (c.check == "reachable" && !o.transcript.empty()) out += o.transcript;
            if (!out.empty()) tc.append_child("system-out").text().set(safe(out).c_str());
        }
    }
    suite.append_attribute("tests") = std::to_string(tests).c_str();
    suite.append_attribute("failures") = std::to_string(failures).c_str();
    suite.append_attribute("errors") = std::to_string(errors).c_str();
    suite.append_attribute("skipped") = std::to_string(skipped).c_str();
    suite.append_attribute("time") = seconds(total).c_str();
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

}  // namespace mailspec::harness::probe
