#pragma once
// A judgement covering every outcome (pass, error / warning finding, inconclusive, skipped, closed),
// with control bytes in the transcript, for the report tests and the report sample writer.
#include "judge.hpp"
#include "observations.hpp"

namespace mailspec::harness::probe::testing {

inline Judgement sample_judgement() {
    std::vector<PortObservation> obs;
    auto mx = starttls_port(25, Service::smtp, {"STARTTLS", "AUTH PLAIN"}, {"AUTH PLAIN"});
    mx.auth_before_tls = true;
    mx.transcript = "S: 220 mx ESMTP<CR><LF>\nC: EHLO probe<CR><LF>\n";
    obs.push_back(mx);
    auto sub = implicit_port(587, Service::smtp, {"AUTH PLAIN"});
    sub.tls->days_left = -2;
    sub.tls->chain_verified = false;
    sub.tls->verify_error = "certificate has expired";
    sub.transcript = std::string("raw \x01\x1b bytes \"quoted\" <tag> & more\n");
    obs.push_back(sub);
    PortObservation delayed;
    delayed.port = 143;
    delayed.state = PortState::open;
    delayed.inconclusive = "no greeting within 500 ms and no TLS handshake (greeting delay?)";
    obs.push_back(delayed);
    obs.push_back(closed_port(110));
    obs.push_back(implicit_port(993, Service::imap, {"IMAP4rev1", "AUTH=PLAIN"}));
    return judge(obs, default_policy(), {"localhost", false});
}

}  // namespace mailspec::harness::probe::testing
