// LIST and LSUB (RFC 3501 §6.3.8, §6.3.9) with "*" and "%" wildcards, hierarchy delimiter "/",
// INBOX case-insensitive; CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154) attributes come from the
// store. STATUS (§6.3.10).
#include <algorithm>
#include <vector>

#include "imap/commands.hpp"
#include "mailspec/protocol/imap/mailbox_name.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/mime/header.hpp"

namespace mailspec::server::imap {

namespace pi = protocol::imap;

// Wildcard match (§6.3.8): '*' matches anything, '%' anything but the delimiter '/'.
// Dynamic programming over pattern × name, O(|pattern| · |name|), no recursion.
bool list_match(std::string_view pattern, std::string_view name) {
    // row[j]: pattern[0..i) matches name[0..j)
    std::vector<char> row(name.size() + 1, 0), next(name.size() + 1, 0);
    row[0] = 1;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char pc = pattern[i];
        std::fill(next.begin(), next.end(), 0);
        if (pc == '*' || pc == '%') {
            bool reach = false;
            for (std::size_t j = 0; j <= name.size(); ++j) {
                if (row[j]) reach = true;
                next[j] = reach;
                if (pc == '%' && j < name.size() && name[j] == '/') reach = false;
            }
        } else {
            for (std::size_t j = 0; j < name.size(); ++j)
                if (row[j] && name[j] == pc) next[j + 1] = 1;
        }
        row.swap(next);
    }
    return row[name.size()] != 0;
}

namespace {

bool matches(const std::string& pattern, const std::string& name) {
    if (name == "INBOX" || (name.size() > 6 && name.compare(0, 6, "INBOX/") == 0)) {
        // INBOX is case-insensitive (§5.1): match the pattern's first 5 bytes against it that way
        std::string p = pattern;
        if (p.size() >= 5 && protocol::mime::iequals(p.substr(0, 5), "INBOX")) p = "INBOX" + p.substr(5);
        return list_match(p, name);
    }
    return list_match(pattern, name);
}

bool is_special_use(const MailboxInfo& box) {
    static const char* kUses[] = {"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"};
    for (const auto& a : box.attributes)
        for (const char* use : kUses)
            if (protocol::mime::iequals(a, use)) return true;
    return false;
}

// LIST options in the RFC 5258 syntax that RFC 6154 §2 builds on: selection options before the
// reference, "RETURN (...)" after the pattern(s). Accepted: SPECIAL-USE and SUBSCRIBED selection,
// SPECIAL-USE / SUBSCRIBED / CHILDREN return options (CHILDREN and special-use attributes are
// always returned anyway).
struct ListOptions {
    bool select_special_use = false;
    bool select_subscribed = false;
    bool return_subscribed = false;
};

bool parse_options(const Arg& list, bool selection, ListOptions& options, std::string& error) {
    for (const auto& item : list.items) {
        std::string name = item.is_atom() ? protocol::mime::to_upper(item.value) : "";
        if (name == "SPECIAL-USE") {
            if (selection) options.select_special_use = true;  // as a RETURN option: always returned
        } else if (name == "SUBSCRIBED") {
            if (selection) options.select_subscribed = true;
            options.return_subscribed = true;
        } else if (!selection && name == "CHILDREN") {
        } else if (selection && (name == "REMOTE" || name == "RECURSIVEMATCH")) {
        } else {
            error = std::string("unsupported LIST ") + (selection ? "selection" : "RETURN") + " option \"" +
                    pi::describe_bytes(item.value, 40) + "\"";
            return false;
        }
    }
    return true;
}

void list_or_lsub(ImapSession& s, const Command& c, std::span<const Arg> args, bool lsub) {
    const char* verb = lsub ? "LSUB" : "LIST";
    ListOptions options;
    std::string error;
    if (!lsub && !args.empty() && args[0].is_list()) {
        if (!parse_options(args[0], true, options, error)) return s.bad(c, error);
        args = args.subspan(1);
    }
    if (!lsub && args.size() == 4 && args[2].is_atom() && protocol::mime::iequals(args[2].value, "RETURN") &&
        args[3].is_list()) {
        if (!parse_options(args[3], false, options, error)) return s.bad(c, error);
        args = args.subspan(0, 2);
    }
    if (args.size() != 2 || !args[0].is_astring() || !(args[1].is_astring() || (!lsub && args[1].is_list())))
        return s.bad(c, std::string(verb) + " needs a reference name and a mailbox pattern");
    std::string reference = args[0].value;
    std::vector<std::string> patterns;
    if (args[1].is_list()) {
        for (const auto& p : args[1].items) {
            if (!p.is_astring()) return s.bad(c, "LIST patterns must be strings");
            patterns.push_back(p.value);
        }
    } else {
        patterns.push_back(args[1].value);
    }
    if (!pi::decode_mailbox_name(reference, error)) return s.bad(c, "invalid modified UTF-7 in " + std::string(verb) + ": " + error);
    for (const auto& p : patterns)
        if (!pi::decode_mailbox_name(p, error)) return s.bad(c, "invalid modified UTF-7 in " + std::string(verb) + ": " + error);
    if (patterns.size() == 1 && patterns[0].empty()) {
        // §6.3.8: the hierarchy delimiter and root of the reference
        if (!lsub) s.untagged("LIST (\\Noselect) \"/\" \"\"");
        return s.ok(c, std::string(verb) + " completed");
    }
    std::vector<std::string> full;
    for (const auto& pattern : patterns) {
        std::string f = pattern;
        if (!reference.empty() && !pattern.empty() && pattern[0] != '/') {
            f = reference;
            if (f.back() != '/') f += '/';
            f += pattern;
        }
        full.push_back(f);
    }
    auto any_match = [&](const std::string& name) {
        for (const auto& f : full)
            if (matches(f, name)) return true;
        return false;
    };
    auto boxes = s.store().list_mailboxes(s.user());
    if (!boxes) return s.store_failure(c, boxes.error());
    if (lsub) {
        auto subscribed = s.store().list_subscribed(s.user());
        if (!subscribed) return s.store_failure(c, subscribed.error());
        for (const auto& name : *subscribed) {
            if (!any_match(name)) continue;
            auto it = std::find_if(boxes->begin(), boxes->end(), [&](const MailboxInfo& b) { return b.name == name; });
            bool noselect = it == boxes->end() ||
                            std::find(it->attributes.begin(), it->attributes.end(), "\\Noselect") != it->attributes.end();
            s.untagged(std::string("LSUB (") + (noselect ? "\\Noselect" : "") + ") \"/\" " + pi::astring(name));
        }
        return s.ok(c, "LSUB completed");
    }
    for (const auto& box : *boxes) {
        if (!any_match(box.name)) continue;
        if (options.select_special_use && !is_special_use(box)) continue;
        if (options.select_subscribed && !box.subscribed) continue;
        std::string attrs;
        for (const auto& a : box.attributes) attrs += (attrs.empty() ? "" : " ") + a;
        if (options.return_subscribed && box.subscribed) attrs += (attrs.empty() ? "" : " ") + std::string("\\Subscribed");
        s.untagged("LIST (" + attrs + ") \"/\" " + pi::astring(box.name));
    }
    // §6.3.8: with '%', a parent of matching names is listed even if it does not exist. The store
    // returns \Noselect placeholders for such parents, so nothing more is needed here.
    s.ok(c, "LIST completed");
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_list) { list_or_lsub(s, c, args, false); }
MAILSPEC_IMAP_HANDLER(cmd_lsub) { list_or_lsub(s, c, args, true); }

MAILSPEC_IMAP_HANDLER(cmd_status) {
    if (args.size() != 2 || !args[0].is_astring() || !args[1].is_list() || args[1].items.empty())
        return s.bad(c, "STATUS needs a mailbox name and a list of status items");
    std::vector<std::string> items;
    for (const auto& item : args[1].items) {
        std::string name = item.is_atom() ? protocol::mime::to_upper(item.value) : "";
        if (name != "MESSAGES" && name != "RECENT" && name != "UIDNEXT" && name != "UIDVALIDITY" && name != "UNSEEN")
            return s.bad(c, "unknown STATUS item \"" + pi::describe_bytes(item.value, 40) +
                                "\" (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)");
        items.push_back(name);
    }
    std::string error;
    auto name = s.mailbox_name(args[0], error);
    if (!name) return s.no(c, error, "CANNOT");
    auto st = s.store().status(s.user(), *name);
    if (!st) return s.store_failure(c, st.error());
    std::string out;
    for (const auto& item : items) {
        std::uint64_t v = item == "MESSAGES"      ? st->messages
                          : item == "RECENT"      ? st->recent
                          : item == "UIDNEXT"     ? st->uidnext
                          : item == "UIDVALIDITY" ? st->uidvalidity
                                                  : st->unseen;
        out += (out.empty() ? "" : " ") + item + " " + std::to_string(v);
    }
    s.untagged("STATUS " + pi::astring(*name) + " (" + out + ")");
    s.ok(c, "STATUS completed");
}

}  // namespace mailspec::server::imap
