#pragma once
// Console reporter: one line per scenario as it finishes ("PASS  id  (0.12 s)"); for FAIL and
// ERROR the step's file:line, expected vs actual, the RFC reference and the transcript; a policy
// scenario's line ends with "[policy SEVERITY]". At the end an "N xfailed, N xpassed" line when either
// is non-zero, then, when policy scenarios ran, "policy: N passed, N failed (N error, N warning,
// N info), N skipped, N errors", then exactly "N passed, N failed, N skipped, N errors" counting the
// conformance scenarios only (tests and CI parse it). Colour only when asked (see colour_wanted).
#include <ostream>
#include <vector>

#include "mailspec/harness/model/result.hpp"

namespace mailspec::harness::reporters {

// True when `fd` is a terminal and NO_COLOR is not set (https://no-color.org).
bool colour_wanted(int fd);

class ConsoleReporter {
public:
    // `verbose`: also print the transcript of results that passed, were skipped or xfailed.
    ConsoleReporter(std::ostream& out, bool colour, bool verbose = false)
        : out_(out), colour_(colour), verbose_(verbose) {}
    void scenario_finished(const model::ScenarioResult& result);
    void finish(const std::vector<model::ScenarioResult>& results);

private:
    std::ostream& out_;
    bool colour_;
    bool verbose_;
};

}  // namespace mailspec::harness::reporters
