#pragma once
// The judge: observations + policy -> one result per port and check, each finding with its RFC
// citation and severity. Pure code: reads finished observations only.
//
// Checks (ids used in JUnit testcase names and JSON):
//   reachable              port open / closed as the role's presence requires
//   service                protocol from the greeting matches the role
//   tls-mode               implicit TLS / STARTTLS / plain text as the role requires;
//                          "inconclusive" (never "no STARTTLS") after a 421, a delayed greeting,
//                          a dropped connection
//   tls-version            the negotiated version is TLS 1.2 or later (RFC 8314 §4, RFC 8997)
//   legacy-tls             a TLS 1.0/1.1-only handshake is refused (RFC 8996 §4-5)
//   certificate-chain      the chain verifies (RFC 8314 §4.4)
//   certificate-host-name  the certificate names the host (RFC 2595 §2.4, RFC 8314 §4.4)
//   certificate-expiry     not expired, not about to expire (RFC 8314 §4.4)
//   auth-before-tls        no credentials in clear text (RFC 4954 §9, RFC 5034 §4, RFC 3501 §6.2.3)
//   auth-after-tls         an MSA offers AUTH once TLS is up (RFC 6409 §4.3, RFC 4954)
//   starttls-readvertised  STARTTLS / STLS not offered again after TLS (RFC 3207 §4.2, RFC 2595)
#include <optional>
#include <string>
#include <vector>

#include "observation.hpp"
#include "policy.hpp"

namespace mailspec::harness::probe {

enum class Outcome {
    pass,          // checked and fine (an info-level remark may be in the message)
    finding,       // the server does not do what the role requires; see severity
    inconclusive,  // the probe could not decide (reason in message)
    skipped,       // not applicable or not measured (e.g. no certificate on a plain-text port)
};

const char* to_string(Outcome outcome);

struct CheckResult {
    std::string check;  // one of the ids above
    Outcome outcome = Outcome::pass;
    Severity severity = Severity::info;  // meaningful for finding and inconclusive
    std::string message;
    std::string rfc;    // citation, e.g. "RFC 8314 §3.3"; empty for passes without one
};

struct PortJudgement {
    PortObservation observation;
    std::optional<PortRole> role;
    std::vector<CheckResult> checks;

    // "OK", "WARN", "FAIL", "INFO", "INCONCLUSIVE", "closed", "no answer".
    std::string verdict() const;
};

struct JudgeOptions {
    std::string host;       // the probed host, for messages and the host-name check
    bool insecure = false;  // --insecure: certificate chain / host-name problems become info
};

struct Judgement {
    std::string host;
    std::string policy_name;
    std::string policy_source;
    std::vector<PortJudgement> ports;

    // Findings and inconclusive results at `severity`.
    std::size_t count(Severity severity) const;
    // 0: nothing at error level; 1: at least one error-level finding or inconclusive result.
    int exit_code() const;
};

// Judges every observation (in the given order) against its role in `policy`.
Judgement judge(const std::vector<PortObservation>& observations, const Policy& policy,
                const JudgeOptions& options);

// Judges one port; `role` may be null (no role: only role-independent checks).
PortJudgement judge_port(const PortObservation& observation, const PortRole* role, const Policy& policy,
                         const JudgeOptions& options);

}  // namespace mailspec::harness::probe
