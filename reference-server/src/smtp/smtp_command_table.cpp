// The SMTP command table: verb -> handler and the states in which it is allowed (RFC 5321 §4.1.4
// command order). A verb allowed in no current state gets 503 5.5.1 from the dispatcher; a verb not
// listed gets 500 5.5.1.
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {"AUTH", in_ready, &SmtpSession::handle_auth},  // RFC 4954 §4: not during a transaction
        {"BDAT", any_command_state, &SmtpSession::handle_not_implemented},  // CHUNKING not offered
        {"DATA", in_transaction, &SmtpSession::handle_data},
        {"EHLO", any_command_state, &SmtpSession::handle_ehlo},
        {"ETRN", any_command_state, &SmtpSession::handle_not_implemented},
        {"EXPN", any_command_state, &SmtpSession::handle_not_implemented},
        {"HELO", any_command_state, &SmtpSession::handle_helo},
        {"HELP", any_command_state, &SmtpSession::handle_help},
        {"MAIL", in_ready, &SmtpSession::handle_mail},
        {"NOOP", any_command_state, &SmtpSession::handle_noop},
        {"QUIT", any_command_state, &SmtpSession::handle_quit},
        {"RCPT", in_transaction, &SmtpSession::handle_rcpt},
        {"RSET", any_command_state, &SmtpSession::handle_rset},
        {"STARTTLS", in_awaiting_hello | in_ready, &SmtpSession::handle_starttls},
        {"TURN", any_command_state, &SmtpSession::handle_not_implemented},
        {"VRFY", any_command_state, &SmtpSession::handle_vrfy},
    };
    return table;
}

}  // namespace mailspec::server::smtp
