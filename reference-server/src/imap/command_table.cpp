// The command table: command name → handler and the states in which RFC 3501 §6 (and each
// extension) allows it. Selected state allows every Authenticated-state command (§3.3).
#include "imap/commands.hpp"

namespace mailspec::server::imap {

namespace {
constexpr unsigned kAuthOrSelected = kAuth | kSelected;

const CommandSpec kCommands[] = {
    {"CAPABILITY", kAny, cmd_capability},
    {"NOOP", kAny, cmd_noop},
    {"LOGOUT", kAny, cmd_logout},
    {"ID", kAny, cmd_id},
    {"STARTTLS", kNotAuth, cmd_starttls},
    {"LOGIN", kNotAuth, cmd_login},
    {"AUTHENTICATE", kNotAuth, cmd_authenticate},
    {"SELECT", kAuthOrSelected, cmd_select},
    {"EXAMINE", kAuthOrSelected, cmd_examine},
    {"CREATE", kAuthOrSelected, cmd_create},
    {"DELETE", kAuthOrSelected, cmd_delete},
    {"RENAME", kAuthOrSelected, cmd_rename},
    {"SUBSCRIBE", kAuthOrSelected, cmd_subscribe},
    {"UNSUBSCRIBE", kAuthOrSelected, cmd_unsubscribe},
    {"LIST", kAuthOrSelected, cmd_list},
    {"LSUB", kAuthOrSelected, cmd_lsub},
    {"STATUS", kAuthOrSelected, cmd_status},
    {"APPEND", kAuthOrSelected, cmd_append},
    {"NAMESPACE", kAuthOrSelected, cmd_namespace},
    {"ENABLE", kAuth, cmd_enable},  // RFC 5161 §3.1: authenticated state only
    {"IDLE", kAuthOrSelected, cmd_idle},
    {"CHECK", kSelected, cmd_check},
    {"CLOSE", kSelected, cmd_close},
    {"UNSELECT", kSelected, cmd_unselect},
    {"EXPUNGE", kSelected, cmd_expunge},
    {"SEARCH", kSelected, cmd_search},
    {"FETCH", kSelected, cmd_fetch},
    {"STORE", kSelected, cmd_store},
    {"COPY", kSelected, cmd_copy},
    {"MOVE", kSelected, cmd_move},
    {"UID SEARCH", kSelected, cmd_search},
    {"UID FETCH", kSelected, cmd_fetch},
    {"UID STORE", kSelected, cmd_store},
    {"UID COPY", kSelected, cmd_copy},
    {"UID MOVE", kSelected, cmd_move},
    {"UID EXPUNGE", kSelected, cmd_expunge},
};
}  // namespace

const CommandSpec* find_command(std::string_view name) {
    for (const auto& spec : kCommands)
        if (name == spec.name) return &spec;
    return nullptr;
}

}  // namespace mailspec::server::imap
