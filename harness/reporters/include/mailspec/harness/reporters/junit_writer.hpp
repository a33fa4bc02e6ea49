#pragma once
// A generic JUnit XML writer (pugixml) over a small struct, shared by `mailspec run` and
// `mailspec probe`. Output follows the Jenkins junit-10.xsd shape (../shared/junit/junit-10.xsd):
//   <testsuites name tests failures errors time>
//     <testsuite name tests failures errors skipped time>      one per distinct `suite`, in order
//       <testcase name classname time>
//         <failure|error|skipped message type>detail</...>      at most one of them
//         <system-out>transcript</system-out>
// Times are plain seconds with a dot ("0.0123"). Every text goes through core::xml_safe, so the
// file never holds a control character XML cannot carry (STYLE.md #7).
#include <string>
#include <vector>

namespace mailspec::harness::reporters {

struct JUnitCase {
    enum class Kind { passed, failure, error, skipped };
    std::string suite;
    std::string name;
    std::string classname;
    Kind kind = Kind::passed;
    std::string message;     // one line, the attribute
    std::string detail;      // the element's text (expected / actual / where)
    double seconds = 0.0;
    std::string system_out;  // transcript
};

std::string junit_xml(const std::vector<JUnitCase>& cases, const std::string& name = "mailspec");

// Writes the document atomically (report_file.hpp); returns false with a message naming the path
// when it cannot.
bool write_junit_file(const std::vector<JUnitCase>& cases, const std::string& path, std::string& error,
                      const std::string& name = "mailspec");

// "0.0123": seconds with four decimals, independent of the locale.
std::string junit_seconds(double seconds);

}  // namespace mailspec::harness::reporters
