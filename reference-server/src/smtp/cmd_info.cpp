// The informational and session commands: NOOP (RFC 5321 §4.1.1.9), VRFY (§3.5.3, §4.1.1.6),
// HELP (§4.1.1.8), QUIT (§4.1.1.10), and the known but unimplemented EXPN/TURN/ETRN/BDAT (502).
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

void SmtpSession::handle_noop(const codec::CommandLine&) {
    reply(250, status::ok, "OK");  // §4.1.1.9: any parameter is ignored
}

void SmtpSession::handle_vrfy(const codec::CommandLine& command) {
    if (command.arguments.empty()) {
        refuse({501, status::invalid_arguments, "VRFY needs a user name or mailbox"});
        return;
    }
    // §3.5.3: 252 when the server will not verify but would accept the message.
    reply(252, status::cannot_verify, "cannot VRFY user, but will accept message and attempt delivery");
}

void SmtpSession::handle_help(const codec::CommandLine&) {
    reply_lines(214, status::ok,
                {"commands: EHLO HELO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT STARTTLS AUTH",
                 "see RFC 5321; mailspec-server is a reference server for testing"});
}

void SmtpSession::handle_quit(const codec::CommandLine& command) {
    if (!command.arguments.empty()) {
        refuse({501, status::invalid_arguments, "QUIT takes no arguments"});
        return;
    }
    close_with(221, status::ok, context_.config.hostname + " closing connection");
}

void SmtpSession::handle_not_implemented(const codec::CommandLine& command) {
    refuse({502, status::invalid_command, command.verb + " is not implemented"});
}

}  // namespace mailspec::server::smtp
