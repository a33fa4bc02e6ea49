#pragma once
// JUnit XML of a finished probe: one <testsuite> per probe run, one <testcase> per port and check
// (classname "probe.<host>.port<N>", name = check id). Mapping of outcomes:
//   pass, or a warning / info finding  -> passed testcase (the remark in <system-out>)
//   error finding                      -> <failure message="..." type="RFC ...">
//   inconclusive at error level        -> <error> (the probe could not decide)
//   inconclusive below error, skipped  -> <skipped>
// The port's transcript goes in the <system-out> of its "reachable" testcase. Text passes through
// core::xml_safe, so the document never carries raw control bytes. Validates against
// shared/junit/junit-10.xsd.
#include <string>

#include "judge.hpp"

namespace mailspec::harness::probe {

std::string render_junit(const Judgement& judgement);

}  // namespace mailspec::harness::probe
