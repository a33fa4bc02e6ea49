// FETCH and UID FETCH (RFC 3501 §6.4.5, §7.4.2): every data item, BODY[section]<partial> cut from
// the raw bytes along the MIME tree, \Seen set implicitly by non-PEEK body fetches.
#include <algorithm>

#include "imap/commands.hpp"
#include "mailspec/protocol/imap/body_structure.hpp"
#include "mailspec/protocol/imap/date_time.hpp"
#include "mailspec/protocol/imap/fetch_items.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/mime/message.hpp"

namespace mailspec::server::imap {

namespace pi = protocol::imap;
namespace mime = protocol::mime;
using pi::FetchItem;

namespace {

bool needs_bytes(const FetchItem& item) {
    switch (item.kind) {
    case FetchItem::Kind::flags:
    case FetchItem::Kind::internaldate:
    case FetchItem::Kind::rfc822_size:
    case FetchItem::Kind::uid:
        return false;
    default:
        return true;
    }
}

// Fault imap.bodystructure-wrong-parts: every multipart loses its last body part.
void drop_last_parts(mime::Part& part) {
    if (part.is_multipart() && part.children.size() > 1) part.children.pop_back();
    for (auto& child : part.children) drop_last_parts(child);
}

// `whole_message`: fault imap.fetch-wrong-section (RFC 3501 §6.4.5), every section is the whole
// message.
std::string section_bytes(const FetchItem& item, std::string_view raw, const mime::Part& root,
                          bool whole_message) {
    using T = mime::SectionText;
    std::string data;
    if (whole_message) {
        data = std::string(raw);
    } else if (item.text == T::header_fields || item.text == T::header_fields_not) {
        auto range = mime::section_range(root, item.path, T::header);
        if (range)
            data = mime::filter_header_fields(raw.substr(range->first, range->second - range->first), item.fields,
                                              item.text == T::header_fields_not);
    } else {
        auto range = mime::section_range(root, item.path, item.text);
        if (range) data = std::string(raw.substr(range->first, range->second - range->first));
    }
    if (item.partial_origin) {
        if (*item.partial_origin >= data.size()) return {};
        return data.substr(*item.partial_origin, item.partial_count);
    }
    return data;
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_fetch) {
    if (args.size() != 2) return s.bad(c, "FETCH needs a sequence set and data items");
    std::string error;
    auto set = sequence_arg(args[0], error);
    if (!set) return s.bad(c, error);
    auto items = pi::parse_fetch_items(args[1], error);
    if (!items) return s.bad(c, error);
    auto indices = s.resolve(*set, uid, error);
    if (!indices) return s.bad(c, error);

    auto* sel = s.selected();
    MailboxView& view = *sel->view;
    if (uid && std::none_of(items->begin(), items->end(), [](const FetchItem& i) { return i.kind == FetchItem::Kind::uid; })) {
        FetchItem u;
        u.kind = FetchItem::Kind::uid;
        items->insert(items->begin(), u);
    }
    bool bytes_needed = std::any_of(items->begin(), items->end(), needs_bytes);
    // Fault imap.peek-sets-seen (RFC 3501 §6.4.5): BODY.PEEK[...] sets \Seen like BODY[...].
    bool peek_sets_seen = s.faults().has("imap.peek-sets-seen");
    bool sets_seen = !view.read_only && std::any_of(items->begin(), items->end(), [&](const FetchItem& i) {
        return i.sets_seen() || (peek_sets_seen && i.kind == FetchItem::Kind::body_section && i.peek);
    });
    bool wrong_section = s.faults().has("imap.fetch-wrong-section");
    bool has_flags_item = std::any_of(items->begin(), items->end(), [](const FetchItem& i) { return i.kind == FetchItem::Kind::flags; });
    bool off_by_one = s.faults().has("imap.literal-off-by-one");
    bool wrong_parts = s.faults().has("imap.bodystructure-wrong-parts");

    // Fault imap.expunge-during-fetch: pending EXPUNGEs go out in the middle of FETCH (§7.4.1).
    if (s.faults().has("imap.expunge-during-fetch")) s.flush_updates(true);

    // \Seen first, in one store call, so the FLAGS we return are the new ones (§6.4.5).
    if (sets_seen) {
        std::vector<Uid> unseen;
        for (auto i : *indices)
            if (i < view.messages.size() && !view.messages[i].flags.has(Flags::seen)) unseen.push_back(view.messages[i].uid);
        if (!unseen.empty()) {
            Flags seen;
            seen.add("\\Seen");
            auto changed = s.store().store_flags(s.user(), view.name, unseen, FlagOp::add, seen, s.origin());
            if (changed)
                for (const auto& ch : *changed) {
                    long idx = view.index_of(ch.uid);
                    if (idx >= 0) view.messages[static_cast<std::size_t>(idx)].flags = ch.flags;
                }
        }
    }

    bool vanished = false;
    for (auto i : *indices) {
        if (i >= view.messages.size()) continue;
        const ViewMessage& m = view.messages[i];
        std::string raw;
        std::optional<mime::Part> tree;
        if (bytes_needed) {
            auto bytes = s.store().read_message(s.user(), view.name, m.uid);
            if (!bytes) {  // expunged by another session, not yet announced (RFC 2180 §4.1.2)
                vanished = true;
                continue;
            }
            raw = std::move(*bytes);
            tree = mime::parse_message(raw);
        }
        std::string out = std::to_string(i + 1) + " FETCH (";
        bool first = true;
        auto add = [&](const std::string& name, const std::string& value) {
            if (!first) out += ' ';
            first = false;
            out += name;
            out += ' ';
            out += value;
        };
        auto body_literal = [&](std::string_view data) {
            std::size_t announced = data.size() + (off_by_one ? 1 : 0);  // fault: RFC 3501 §4.3
            return "{" + std::to_string(announced) + "}\r\n" + std::string(data);
        };
        for (const auto& item : *items) {
            switch (item.kind) {
            case FetchItem::Kind::flags: add("FLAGS", render_flags(m.flags, m.recent)); break;
            case FetchItem::Kind::uid: add("UID", std::to_string(m.uid)); break;
            case FetchItem::Kind::internaldate: {
                pi::DateTime dt{m.internal_date.time.time_since_epoch().count(), m.internal_date.zone_minutes};
                add("INTERNALDATE", "\"" + pi::format_date_time(dt) + "\"");
                break;
            }
            case FetchItem::Kind::rfc822_size: add("RFC822.SIZE", std::to_string(m.size)); break;
            case FetchItem::Kind::envelope: add("ENVELOPE", pi::render_envelope(tree->header)); break;
            case FetchItem::Kind::body:
            case FetchItem::Kind::bodystructure: {
                bool ext = item.kind == FetchItem::Kind::bodystructure;
                if (wrong_parts) {
                    mime::Part copy = *tree;
                    drop_last_parts(copy);
                    add(item.response_name(), pi::render_body_structure(copy, ext));
                } else {
                    add(item.response_name(), pi::render_body_structure(*tree, ext));
                }
                break;
            }
            case FetchItem::Kind::rfc822: add("RFC822", body_literal(raw)); break;
            case FetchItem::Kind::rfc822_header:
                add("RFC822.HEADER", body_literal(wrong_section ? std::string_view(raw)
                                                                : std::string_view(raw).substr(0, tree->body_begin)));
                break;
            case FetchItem::Kind::rfc822_text:
                add("RFC822.TEXT", body_literal(wrong_section ? std::string_view(raw)
                                                              : std::string_view(raw).substr(tree->body_begin)));
                break;
            case FetchItem::Kind::body_section:
                add(item.response_name(), body_literal(section_bytes(item, raw, *tree, wrong_section)));
                break;
            }
        }
        if (sets_seen && !has_flags_item) add("FLAGS", render_flags(m.flags, m.recent));
        out += ')';
        s.untagged(out);
    }
    if (vanished) return s.ok(c, "Some messages were expunged meanwhile", "EXPUNGEISSUED");
    s.ok(c, uid ? "UID FETCH completed" : "FETCH completed");
}

}  // namespace mailspec::server::imap
