#pragma once
// Scenario results as JUnit cases: testsuite = the scenario's suite (file stem or <suite name>),
// testcase = the scenario id, classname = "protocol.rfc" (e.g. "smtp.3207#4.2").
// PASS -> passed; FAIL -> failure; ERROR -> error; SKIP -> skipped; XFAIL -> passed with the known
// reason in system-out; XPASS -> passed with "XPASS" noted in system-out (the console reports it).
// Policy scenarios (judges="policy") go to a testsuite of their own, "SUITE (policy)"; their
// failure and error messages start with "policy SEVERITY: " (error, warning, info). A policy FAIL
// is a <failure> whatever its severity and --policy mode: the file says what was found, the exit
// code says what fails the run.
#include <string>
#include <vector>

#include "mailspec/harness/model/result.hpp"
#include "mailspec/harness/reporters/junit_writer.hpp"

namespace mailspec::harness::reporters {

std::vector<JUnitCase> junit_cases(const std::vector<model::ScenarioResult>& results);

// The case that marks a report of an interrupted run: suite "mailspec", test "run.interrupted",
// an error whose message is `why` ("run interrupted by SIGINT: 12 of 258 scenarios ran").
JUnitCase interrupted_case(const std::string& why);

// The report of a run that preflight stopped: suite "mailspec", one error case "preflight.N" per
// problem (engine/preflight.hpp), so a pipeline sees why nothing ran.
std::vector<JUnitCase> preflight_cases(const std::vector<std::string>& problems);

}  // namespace mailspec::harness::reporters
