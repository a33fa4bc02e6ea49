// STARTTLS (RFC 3207). After "220 Ready to start TLS" every byte the client sent behind the
// command in cleartext is discarded (§4.2, the command-injection defence) unless the fault
// smtp.starttls-injection is on; after the handshake the session starts over in AwaitingHello.
#include "smtp_faults.hpp"
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

void SmtpSession::handle_starttls(const codec::CommandLine& command) {
    // Check.
    if (!command.arguments.empty()) {  // RFC 3207 §4: "501 Syntax error (no parameters allowed)"
        refuse({501, status::invalid_arguments, "STARTTLS takes no parameters"});
        return;
    }
    if (tls_) {
        refuse({503, status::invalid_command, "TLS already active"});
        return;
    }
    if (!context_.endpoint.offers_starttls()) {  // RFC 3207 §4: 454 TLS not available
        reply(454, status::tls_unavailable, "TLS not available");
        return;
    }
    // Act.
    reply(220, status::ok, "Ready to start TLS");
    if (!context_.faults.has(smtp_fault::starttls_injection)) lines_.take_buffered();
    state_ = StartingTls{};
    flush();
    host_.start_tls();
}

}  // namespace mailspec::server::smtp
