#include "mailspec/harness/reporters/junit_writer.hpp"
#include "mailspec/harness/reporters/report_file.hpp"

#include <pugixml.hpp>

#include <cstdio>
#include <map>
#include <sstream>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::reporters {

std::string junit_seconds(double seconds) {
    if (!(seconds >= 0)) seconds = 0;  // also NaN
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", seconds);
    for (char* p = buf; *p; ++p)
        if (*p == ',') *p = '.';  // never a locale's decimal comma
    return buf;
}

namespace {

struct SuiteTotals {
    pugi::xml_node node;
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
};

void set_text(pugi::xml_node node, const std::string& text) {
    node.text().set(core::xml_safe(text).c_str());
}

}  // namespace

std::string junit_xml(const std::vector<JUnitCase>& cases, const std::string& name) {
    pugi::xml_document doc;  // the declaration is written once, below
    auto root = doc.append_child("testsuites");
    root.append_attribute("name") = core::xml_safe(name).c_str();
    std::vector<std::string> order;
    std::map<std::string, SuiteTotals> suites;
    int tests = 0, failures = 0, errors = 0;
    double seconds = 0;
    for (const auto& c : cases) {
        auto [it, inserted] = suites.try_emplace(c.suite);
        SuiteTotals& suite = it->second;
        if (inserted) {
            order.push_back(c.suite);
            suite.node = root.append_child("testsuite");
            suite.node.append_attribute("name") = core::xml_safe(c.suite).c_str();
        }
        auto tc = suite.node.append_child("testcase");
        tc.append_attribute("name") = core::xml_safe(c.name).c_str();
        tc.append_attribute("classname") = core::xml_safe(c.classname).c_str();
        tc.append_attribute("time") = junit_seconds(c.seconds).c_str();
        const char* element = nullptr;
        switch (c.kind) {
            case JUnitCase::Kind::passed: break;
            case JUnitCase::Kind::failure: element = "failure"; ++suite.failures; ++failures; break;
            case JUnitCase::Kind::error: element = "error"; ++suite.errors; ++errors; break;
            case JUnitCase::Kind::skipped: element = "skipped"; ++suite.skipped; break;
        }
        if (element) {
            auto e = tc.append_child(element);
            e.append_attribute("message") = core::xml_safe(c.message).c_str();
            e.append_attribute("type") = element;
            if (!c.detail.empty()) set_text(e, c.detail);
        }
        if (!c.system_out.empty()) set_text(tc.append_child("system-out"), c.system_out);
        ++suite.tests;
        ++tests;
        suite.seconds += c.seconds;
        seconds += c.seconds;
    }
    for (const auto& s : order) {
        SuiteTotals& t = suites[s];
        // Attributes after the testcases were appended: pugixml keeps attribute order as added.
        t.node.append_attribute("tests") = t.tests;
        t.node.append_attribute("failures") = t.failures;
        t.node.append_attribute("errors") = t.errors;
        t.node.append_attribute("skipped") = t.skipped;
        t.node.append_attribute("time") = junit_seconds(t.seconds).c_str();
    }
    root.append_attribute("tests") = tests;
    root.append_attribute("failures") = failures;
    root.append_attribute("errors") = errors;
    root.append_attribute("time") = junit_seconds(seconds).c_str();
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

bool write_junit_file(const std::vector<JUnitCase>& cases, const std::string& path, std::string& error,
                      const std::string& name) {
    return write_report_file(path, junit_xml(cases, name), error);
}

}  // namespace mailspec::harness::reporters
