// CAPA (RFC 2449 §5), listing exactly what this session implements now, and STLS (RFC 2595 §4).
#include "pop3_faults.hpp"
#include "pop3_session.hpp"

namespace mailspec::server::pop3 {

void Pop3Session::handle_capa(const codec::Command& command) {
    if (!command.params.empty()) {
        refuse("CAPA takes no arguments");
        return;
    }
    std::string list = "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n";
    if (std::holds_alternative<Authorization>(state_)) {
        if (user_pass_available()) list += "USER\r\n";
        if (sasl_available()) list += "SASL PLAIN\r\n";
        if (starttls_available()) list += "STLS\r\n";
    }
    list += "IMPLEMENTATION mailspec-server\r\n";
    ok("capability list follows");
    send(codec::multiline_body(list, style_));
}

void Pop3Session::handle_stls(const codec::Command& command) {
    // Check.
    if (!command.params.empty()) {
        refuse("STLS takes no arguments");
        return;
    }
    if (tls_) {
        refuse("already using TLS");
        return;
    }
    if (!context_.endpoint.offers_starttls()) {
        err("STLS not available on this port");
        return;
    }
    // Act: RFC 2595 §4 - bytes pipelined behind STLS in cleartext are discarded (the injection
    // defence) unless the fault keeps them.
    ok("begin TLS negotiation");
    if (!context_.faults.has(pop3_fault::starttls_injection)) lines_.take_buffered();
    state_ = StartingTls{};
    flush();
    host_.start_tls();
}

}  // namespace mailspec::server::pop3
