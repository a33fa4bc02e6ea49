// The POP3 command table: keyword -> handler and the states it is allowed in (RFC 1939 §4-§7,
// RFC 2449 §5, RFC 2595 §4, RFC 5034 §4). Others get "-ERR ... not valid" or "-ERR unknown command".
#include "pop3_session.hpp"

namespace mailspec::server::pop3 {

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {"APOP", in_authorization, &Pop3Session::handle_apop},
        {"AUTH", in_authorization, &Pop3Session::handle_auth},
        {"CAPA", in_authorization | in_transaction, &Pop3Session::handle_capa},
        {"DELE", in_transaction, &Pop3Session::handle_dele},
        {"LIST", in_transaction, &Pop3Session::handle_list},
        {"NOOP", in_transaction, &Pop3Session::handle_noop},
        {"PASS", in_authorization, &Pop3Session::handle_pass},
        {"QUIT", in_authorization | in_transaction, &Pop3Session::handle_quit},
        {"RETR", in_transaction, &Pop3Session::handle_retr},
        {"RSET", in_transaction, &Pop3Session::handle_rset},
        {"STAT", in_transaction, &Pop3Session::handle_stat},
        {"STLS", in_authorization, &Pop3Session::handle_stls},
        {"TOP", in_transaction, &Pop3Session::handle_top},
        {"UIDL", in_transaction, &Pop3Session::handle_uidl},
        {"USER", in_authorization, &Pop3Session::handle_user},
    };
    return table;
}

}  // namespace mailspec::server::pop3
