#pragma once
// Preflight (issue 9 §3): before the library runs, one check per endpoint the selected scenarios
// connect to (TCP connect, the TLS handshake where the target declares implicit TLS, and the
// protocol's greeting: SMTP 220, POP3 +OK, IMAP OK or PREAUTH), and one login per target user the
// selected scenarios use. A setup mistake -- a server that is down, a wrong port or host, a CA
// file that does not verify, a wrong password -- then stops the run with one message each instead
// of hundreds of FAILs that cite RFC clauses the server never broke.
//
// The checks are scenarios like any other (built from XML text, run by run_scenario), so they
// talk to the server through the one conversation layer and redact secrets the same way.
// A login is tried where the target allows it, in this order: imaps, imap (after STARTTLS, if
// advertised), pop3s, pop3 (after STLS, if advertised), submissions, submission (after STARTTLS,
// AUTH PLAIN). A user that no endpoint can check is reported as not checked, not as a problem.
#include <string>
#include <vector>

#include "mailspec/harness/engine/runner.hpp"
#include "mailspec/harness/model/scenario.hpp"
#include "mailspec/harness/model/target.hpp"

namespace mailspec::harness::engine {

struct PreflightReport {
    std::vector<std::string> problems;   // one line each: "cannot log in to imaps 127.0.0.1:993 as ..."
    std::vector<std::string> unchecked;  // users no endpoint could check, with the reason
    int checks = 0;                      // how many checks ran
    bool ok() const { return problems.empty(); }
};

// The endpoints (by name) and user ids the scenarios use, as the target has them.
std::vector<std::string> endpoints_used(const std::vector<const model::Scenario*>& scenarios,
                                        const model::Target& target);
std::vector<std::string> users_used(const std::vector<const model::Scenario*>& scenarios,
                                    const model::Target& target);

// Runs the checks (concurrently, each bounded by the settings' timeouts).
PreflightReport preflight(const std::vector<const model::Scenario*>& scenarios, const model::Target& target,
                          const RunSettings& settings);

}  // namespace mailspec::harness::engine
