// SEARCH and UID SEARCH (RFC 3501 §6.4.4) over the selected view; CHARSET US-ASCII / UTF-8.
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/search.hpp"

namespace mailspec::server::imap {

namespace pi = protocol::imap;

namespace {

// True if evaluating `key` needs the message bytes (header, body, text and sent-date keys).
bool needs_bytes(const pi::SearchKey& key) {
    using Op = pi::SearchKey::Op;
    switch (key.op) {
    case Op::header:
    case Op::body:
    case Op::text:
    case Op::sent_before:
    case Op::sent_on:
    case Op::sent_since:
        return true;
    default:
        for (const auto& child : key.children)
            if (needs_bytes(child)) return true;
        return false;
    }
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_search) {
    std::vector<Arg> keys(args.begin(), args.end());
    std::string error;
    auto query = pi::parse_search(keys, error);
    if (!query) return s.bad(c, error);
    if (query->charset && *query->charset != "UTF-8" && *query->charset != "US-ASCII")
        return s.no(c, "unsupported charset " + *query->charset, "BADCHARSET (US-ASCII UTF-8)");
    auto* sel = s.selected();
    const MailboxView& view = *sel->view;
    pi::SearchContext context;
    context.largest_sequence = static_cast<std::uint32_t>(view.messages.size());
    for (const auto& m : view.messages) context.largest_uid = std::max(context.largest_uid, m.uid);
    bool bytes = needs_bytes(query->root);
    std::string result;
    for (std::size_t i = 0; i < view.messages.size(); ++i) {
        const auto& m = view.messages[i];
        pi::SearchMessage message;
        message.sequence = static_cast<std::uint32_t>(i + 1);
        message.uid = m.uid;
        message.flags = m.flags.names();
        message.recent = m.recent;
        message.internal_date = pi::DateTime{m.internal_date.time.time_since_epoch().count(), m.internal_date.zone_minutes};
        message.size = m.size;
        std::string raw;
        if (bytes) {
            auto read = s.store().read_message(s.user(), view.name, m.uid);
            if (!read) continue;  // expunged meanwhile: cannot match
            raw = std::move(*read);
            message.raw = raw;
        }
        if (pi::search_matches(query->root, message, context))
            result += " " + std::to_string(uid ? m.uid : static_cast<Uid>(i + 1));
    }
    s.untagged("SEARCH" + result);
    s.ok(c, uid ? "UID SEARCH completed" : "SEARCH completed");
}

}  // namespace mailspec::server::imap
