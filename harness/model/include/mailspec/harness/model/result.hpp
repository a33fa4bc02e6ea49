#pragma once
// The result of running one scenario. Reporters read only these finished values (STYLE.md #7).
#include <optional>
#include <string>
#include <vector>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::model {

// STYLE.md #5 and the lit model:
//   pass   every step held
//   fail   the server answered wrongly, closed mid-reply, or sent a malformed reply
//   error  the harness could not decide: refused, unreachable, TLS failure outside a TLS check,
//          timeout before any byte of a response, scenario error found at run time
//   skip   a requirement is absent (capability not advertised)
//   xfail  fail, but listed in the known-failures file
//   xpass  pass, but listed in the known-failures file (reported prominently)
enum class Outcome { pass, fail, error, skip, xfail, xpass };
const char* to_string(Outcome outcome);  // "PASS", "FAIL", ...

struct ScenarioResult {
    std::string id;
    std::string suite;
    Protocol protocol = Protocol::smtp;
    std::string rfc;
    std::string level;
    Judges judges = Judges::conformance;  // from the scenario: conformance and policy are reported apart
    Severity severity = Severity::error;  // policy only
    SourceLocation scenario_where;
    Outcome outcome = Outcome::pass;
    std::string message;        // one line: what went wrong (empty on pass)
    std::string expected;       // for fail: what the step expected
    std::string actual;         // for fail: what the server sent (visible escapes)
    SourceLocation step_where;  // the step that decided the outcome
    std::string known_reason;   // xfail / xpass: the known-failures reason
    std::string transcript;     // "a C: EHLO x<CR><LF>" lines, one per line
    double seconds = 0.0;
};

struct Summary {
    int passed = 0, failed = 0, skipped = 0, errors = 0, xfailed = 0, xpassed = 0;
    void add(Outcome outcome);
};
// The conformance results only (judges="conformance"): the console's last line and the exit code.
Summary summarize(const std::vector<ScenarioResult>& results);

// The policy results (judges="policy"), with their FAILs and ERRORs per severity.
struct PolicySummary {
    Summary outcomes;
    int failed_error = 0, failed_warning = 0, failed_info = 0;
    int errors_at_error = 0;  // ERRORs of scenarios of severity error (could not be decided)
    int total() const;
};
PolicySummary summarize_policy(const std::vector<ScenarioResult>& results);

// Exit code of `mailspec run` (issue 2): 1 when a conformance scenario failed or errored, else 0;
// an XPASS counts as a failure only with `strict_xpass`. Policy results count only under
// PolicyMode::fail, and then only at severity error (a FAIL, or an ERROR: not decided), as the
// probe's exit code counts error-level findings.
int exit_code(const Summary& summary, bool strict_xpass);
int exit_code(const Summary& conformance, const PolicySummary& policy, PolicyMode mode, bool strict_xpass);

}  // namespace mailspec::harness::model
