// SEARCH and UID SEARCH (RFC 3501 §6.4.4) over the selected view; CHARSET US-ASCII / UTF-8.
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/search.hpp"
#include "mailspec/protocol/mime/header.hpp"

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

// True if `key` is a node of the search key named `name` (upper case, RFC 3501 §6.4.4 spelling:
// SUBJECT, BODY, NOT, OR, LARGER, SENTON, UNSEEN, UID, SEQUENCE for a bare sequence set, ...).
bool is_key(const pi::SearchKey& key, std::string_view name) {
    using Op = pi::SearchKey::Op;
    auto flag_key = [&](std::string_view positive) {
        // SEEN / UNSEEN style: the flag text is "\" + the key word, e.g. \Seen for SEEN.
        if (key.flag.size() != positive.size() + 1 || key.flag[0] != '\\') return false;
        return protocol::mime::iequals(std::string_view(key.flag).substr(1), positive);
    };
    switch (key.op) {
    case Op::all: return name == "ALL";
    case Op::and_: return false;
    case Op::or_: return name == "OR";
    case Op::not_: return name == "NOT";
    case Op::sequence: return name == "SEQUENCE";
    case Op::uid: return name == "UID";
    case Op::flag:
        if (name == "KEYWORD") return key.flag.empty() || key.flag[0] != '\\';
        return flag_key(name);
    case Op::no_flag:
        if (name == "UNKEYWORD") return key.flag.empty() || key.flag[0] != '\\';
        return name.size() > 2 && name.substr(0, 2) == "UN" && flag_key(name.substr(2));
    case Op::recent: return name == "RECENT";
    case Op::no_recent: return name == "OLD";
    case Op::new_: return name == "NEW";
    case Op::before: return name == "BEFORE";
    case Op::on: return name == "ON";
    case Op::since: return name == "SINCE";
    case Op::sent_before: return name == "SENTBEFORE";
    case Op::sent_on: return name == "SENTON";
    case Op::sent_since: return name == "SENTSINCE";
    case Op::larger: return name == "LARGER";
    case Op::smaller: return name == "SMALLER";
    case Op::header:
        // FROM, TO, CC, BCC and SUBJECT are parsed as header keys with that field name.
        return name == "HEADER" || protocol::mime::iequals(key.field, name);
    case Op::body: return name == "BODY";
    case Op::text: return name == "TEXT";
    }
    return false;
}

// Fault imap.search-ignores-key=KEY (RFC 3501 §6.4.4): every node of key KEY becomes ALL, so it
// matches every message.
void ignore_key(pi::SearchKey& key, std::string_view name) {
    if (is_key(key, name)) {
        key = pi::SearchKey{};
        return;
    }
    for (auto& child : key.children) ignore_key(child, name);
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_search) {
    std::vector<Arg> keys(args.begin(), args.end());
    std::string error;
    auto query = pi::parse_search(keys, error);
    if (!query) return s.bad(c, error);
    if (query->charset && *query->charset != "UTF-8" && *query->charset != "US-ASCII")
        return s.no(c, "unsupported charset " + *query->charset, "BADCHARSET (US-ASCII UTF-8)");
    for (const auto& key : s.faults().args("imap.search-ignores-key"))
        ignore_key(query->root, protocol::mime::to_upper(key));
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
