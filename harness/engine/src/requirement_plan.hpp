#pragma once
// Engine-internal: where the requirements of a scenario (model::Scenario::requirements, from
// requires="..." and the <requires> elements before the first step) are decided (issue 9 item 7).
//
// The scenario's first <connect> opens "the session the scenario opens first". If the scenario
// sends a capability command on that session -- SMTP EHLO (RFC 5321 §4.1.1.1), POP3 CAPA
// (RFC 2449 §5), IMAP CAPABILITY (RFC 3501 §6.1.1) -- before connecting it again, the requirements
// are decided on the response of the <expect> that reads the answer (`deciding`); for IMAP an
// earlier response on that session that already carries capabilities (a greeting's [CAPABILITY]
// code, RFC 3501 §7.1) decides first. Either way the decision is made as soon as that response is
// read, before the <expect>'s own checks. When the scenario sends no capability command there, the
// runner asks on a connection of its own before any step (the same command, then QUIT / LOGOUT).
#include <string>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::engine::detail {

struct RequirementPlan {
    const model::Step* first_connect = nullptr;  // nullptr: the scenario connects nowhere
    const model::Step* deciding = nullptr;       // nullptr: a capability query of the runner's own
};

// The scenario's first <connect> step, or nullptr.
const model::Step* first_connect(const model::Scenario& scenario);

// `protocol` is that of the first connect's endpoint (the caller resolves it in its target).
RequirementPlan plan_requirements(const model::Scenario& scenario, model::Protocol protocol);

// Whether a <send> text (line or raw form, before ${...} rendering) starts with the capability
// command of `protocol`: "EHLO ...", "CAPA", "<tag> CAPABILITY" (case-insensitive).
bool is_capability_command(const std::string& text, model::Protocol protocol);

}  // namespace mailspec::harness::engine::detail
