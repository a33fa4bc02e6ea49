#pragma once
// JUnit XML of a finished probe, written by the harness's generic JUnit writer
// (harness/reporters junit_writer.hpp): one <testsuite name="probe HOST">, one <testcase> per port
// and check (classname "probe.<host>.port<N>", name = check id). Mapping of outcomes:
//   pass, or a warning / info finding  -> passed testcase (the remark in <system-out>)
//   error finding                      -> <failure> (message: finding and its RFC citation)
//   inconclusive at error level        -> <error> (the probe could not decide)
//   inconclusive below error, skipped  -> <skipped>
// The port's transcript goes in the <system-out> of its "reachable" testcase. The writer passes
// all text through core::xml_safe; the document validates against shared/junit/junit-10.xsd.
#include <string>
#include <vector>

#include "judge.hpp"
#include "mailspec/harness/reporters/junit_writer.hpp"

namespace mailspec::harness::probe {

std::vector<reporters::JUnitCase> junit_cases(const Judgement& judgement);

std::string render_junit(const Judgement& judgement);

}  // namespace mailspec::harness::probe
