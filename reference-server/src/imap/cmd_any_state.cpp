// Commands valid in any state: CAPABILITY, NOOP, LOGOUT (RFC 3501 §6.1) and ID (RFC 2971).
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"

namespace mailspec::server::imap {

MAILSPEC_IMAP_HANDLER(cmd_capability) {
    if (!args.empty()) return s.bad(c, "CAPABILITY takes no arguments");
    s.untagged("CAPABILITY " + s.capabilities());
    s.ok(c, "CAPABILITY completed");
}

MAILSPEC_IMAP_HANDLER(cmd_noop) {
    if (!args.empty()) return s.bad(c, "NOOP takes no arguments");
    s.ok(c, "NOOP completed");  // complete() announces pending mailbox updates (§6.1.2)
}

MAILSPEC_IMAP_HANDLER(cmd_logout) {
    if (!args.empty()) return s.bad(c, "LOGOUT takes no arguments");
    s.logout();  // "* BYE" first (§6.1.3), then the tagged OK
    s.send(protocol::imap::tagged(c.tag, "OK", "", "LOGOUT completed"));
}

MAILSPEC_IMAP_HANDLER(cmd_id) {
    // RFC 2971 §3.1: ID ( NIL / "(" field value ... ")" ); at most 30 pairs, fields <= 30 octets.
    if (args.size() != 1 || !(args[0].is_nil() || args[0].is_list()))
        return s.bad(c, "ID needs NIL or a parenthesised list of field/value pairs");
    if (args[0].is_list()) {
        const auto& items = args[0].items;
        if (items.size() % 2 != 0 || items.size() > 60)
            return s.bad(c, "ID list must hold at most 30 field/value pairs");
        for (std::size_t i = 0; i < items.size(); i += 2) {
            if (!items[i].is_string() || items[i].value.size() > 30)
                return s.bad(c, "ID field names are strings of at most 30 octets");
            if (!items[i + 1].is_string() && !items[i + 1].is_nil())
                return s.bad(c, "ID values are strings or NIL");
        }
    }
    s.untagged("ID (\"name\" \"mailspec-server\" \"version\" \"0.1.0\" \"vendor\" \"mailspec\")");
    s.ok(c, "ID completed");
}

}  // namespace mailspec::server::imap
