#pragma once
// Runs one scenario against a target and classifies the outcome (STYLE.md #5, model/result.hpp):
//   FAIL  wrong code/status, a line check failed, the server closed mid-reply or before replying,
//         a malformed reply, a partial reply when the step timed out, no close on <expect-close/>
//   ERROR refused / unreachable, TLS failure outside a TLS check, timeout before any byte of a
//         response, broken scenario (undefined variable, unknown endpoint, unreadable fixture)
//   SKIP  a <requires> capability or the scenario's requires="..." is not advertised; the target
//         lacks an endpoint, user or variable the scenario uses ("target has no pop3s endpoint");
//         a target value the protocol cannot carry (a space in a POP3 USER argument)
// Unless settings.show_secrets, every user password and every value computed from one (SASL
// responses, base64, IMAP quoted forms) is "<redacted>" in the transcript and the result's texts.
// The <cleanup> steps always run afterwards, on the sessions as the steps left them (best effort:
// a cleanup step that does not hold stops the cleanup and is only noted in the transcript). The result carries the whole transcript.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "mailspec/harness/engine/transport.hpp"
#include "mailspec/harness/model/result.hpp"
#include "mailspec/harness/model/scenario.hpp"
#include "mailspec/harness/model/target.hpp"
#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::harness::engine {

struct RunSettings {
    Connector* connector = nullptr;             // required
    Millis default_timeout{10000};              // per step, unless the step or scenario says otherwise
    Millis connect_timeout{10000};
    bool tls_verify = true;                     // target <tls verify> and --insecure already applied
    std::string tls_ca_file;
    std::string tls_server_name;                // empty: the target host
    protocol::client::FrameLimits limits{};     // response size limits
    const std::atomic<bool>* cancel = nullptr;  // when set and true, remaining steps are not run
    bool show_secrets = false;                  // --show-secrets: do not redact passwords and SASL responses
};

model::ScenarioResult run_scenario(const model::Scenario& scenario, const model::Target& target,
                                   const RunSettings& settings);

// Runs scenarios on `jobs` worker threads (at least 1). `on_result` is called once per scenario,
// serialised (never concurrently), as each finishes; the returned results are in input order.
// Once settings.cancel is set no further scenario starts (running ones stop at their next step,
// with ERROR "interrupted"), and only the scenarios that ran are returned.
std::vector<model::ScenarioResult> run_scenarios(const std::vector<const model::Scenario*>& scenarios,
                                                 const model::Target& target, const RunSettings& settings,
                                                 int jobs,
                                                 const std::function<void(const model::ScenarioResult&)>& on_result);

}  // namespace mailspec::harness::engine
