// Mailbox management: CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 3501 §6.3.3-7),
// NAMESPACE (RFC 2342), ENABLE (RFC 5161).
#include "imap/commands.hpp"
#include "mailspec/protocol/mime/header.hpp"

namespace mailspec::server::imap {

namespace {

// One mailbox-name argument; a trailing hierarchy delimiter is dropped for CREATE (§6.3.3).
std::optional<std::string> one_name(ImapSession& s, const Command& c, std::span<const Arg> args, const char* verb,
                                    bool strip_trailing_delimiter) {
    if (args.size() != 1 || !args[0].is_astring()) {
        s.bad(c, std::string(verb) + " needs exactly one mailbox name");
        return std::nullopt;
    }
    Arg arg = args[0];
    if (strip_trailing_delimiter && arg.value.size() > 1 && arg.value.back() == '/') arg.value.pop_back();
    std::string error;
    auto name = s.mailbox_name(arg, error);
    if (!name) s.no(c, error, "CANNOT");
    return name;
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_create) {
    auto name = one_name(s, c, args, "CREATE", true);
    if (!name) return;
    if (*name == "INBOX") return s.no(c, "INBOX always exists", "ALREADYEXISTS");
    auto result = s.store().create_mailbox(s.user(), *name);
    if (!result) return s.store_failure(c, result.error());
    s.ok(c, "CREATE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_delete) {
    auto name = one_name(s, c, args, "DELETE", false);
    if (!name) return;
    if (*name == "INBOX") return s.no(c, "INBOX cannot be deleted", "CANNOT");
    if (auto* sel = s.selected(); sel && sel->view->name == *name) s.deselect();
    auto result = s.store().delete_mailbox(s.user(), *name);
    if (!result) return s.store_failure(c, result.error());
    s.ok(c, "DELETE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_rename) {
    if (args.size() != 2 || !args[0].is_astring() || !args[1].is_astring())
        return s.bad(c, "RENAME needs an existing and a new mailbox name");
    std::string error;
    auto from = s.mailbox_name(args[0], error);
    if (!from) return s.no(c, error, "CANNOT");
    auto to = s.mailbox_name(args[1], error);
    if (!to) return s.no(c, error, "CANNOT");
    if (*to == "INBOX") return s.no(c, "cannot rename to INBOX", "ALREADYEXISTS");
    if (auto* sel = s.selected(); sel && sel->view->name == *from && *from != "INBOX") s.deselect();
    auto result = s.store().rename_mailbox(s.user(), *from, *to);
    if (!result) return s.store_failure(c, result.error());
    s.ok(c, "RENAME completed");
}

MAILSPEC_IMAP_HANDLER(cmd_subscribe) {
    auto name = one_name(s, c, args, "SUBSCRIBE", false);
    if (!name) return;
    auto result = s.store().subscribe_mailbox(s.user(), *name);
    if (!result) return s.store_failure(c, result.error());
    s.ok(c, "SUBSCRIBE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_unsubscribe) {
    auto name = one_name(s, c, args, "UNSUBSCRIBE", false);
    if (!name) return;
    auto result = s.store().unsubscribe_mailbox(s.user(), *name);
    if (!result) return s.store_failure(c, result.error());
    s.ok(c, "UNSUBSCRIBE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_namespace) {
    if (!args.empty()) return s.bad(c, "NAMESPACE takes no arguments");
    s.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");  // RFC 2342 §5: one personal namespace
    s.ok(c, "NAMESPACE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_enable) {
    if (args.empty()) return s.bad(c, "ENABLE needs at least one capability name");
    for (const auto& a : args)
        if (!a.is_atom()) return s.bad(c, "ENABLE takes capability names (atoms)");
    // RFC 5161 §3.1: none of this server's capabilities is enabled through ENABLE, so the
    // ENABLED response lists nothing; unknown names are ignored.
    s.untagged("ENABLED");
    s.ok(c, "ENABLE completed");
}

}  // namespace mailspec::server::imap
