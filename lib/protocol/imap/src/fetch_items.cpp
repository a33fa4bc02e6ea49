// RFC 3501 §6.4.5 FETCH items and §9 fetch-att / section grammar.
#include "mailspec/protocol/imap/fetch_items.hpp"

#include "mailspec/protocol/mime/header.hpp"

namespace mailspec::protocol::imap {
namespace {

using mime::to_upper;

bool parse_section(const std::string& spec, FetchItem& item, std::string& error) {
    // section-part: nz-number *("." nz-number)
    std::size_t pos = 0;
    while (pos < spec.size() && spec[pos] >= '0' && spec[pos] <= '9') {
        std::size_t start = pos;
        unsigned long n = 0;
        while (pos < spec.size() && spec[pos] >= '0' && spec[pos] <= '9') {
            n = n * 10 + static_cast<unsigned>(spec[pos] - '0');
            if (n > 100000) {
                error = "section part number too large in [" + spec + "]";
                return false;
            }
            ++pos;
        }
        if (n == 0) {
            error = "section part numbers start at 1 (found 0 at offset " + std::to_string(start) + " in [" + spec + "])";
            return false;
        }
        item.path.push_back(static_cast<unsigned>(n));
        if (pos < spec.size() && spec[pos] == '.') {
            ++pos;
            if (pos < spec.size() && !(spec[pos] >= '0' && spec[pos] <= '9')) break;
            if (pos >= spec.size()) {
                error = "section [" + spec + "] ends with '.'";
                return false;
            }
        } else if (pos < spec.size()) {
            error = "expected '.' or ']' after part number in [" + spec + "]";
            return false;
        }
    }
    std::string rest = spec.substr(pos);
    std::string upper = to_upper(rest);
    item.section = spec;
    if (upper.empty()) {
        item.text = mime::SectionText::none;
        return true;
    }
    if (upper == "HEADER") {
        item.text = mime::SectionText::header;
    } else if (upper == "TEXT") {
        item.text = mime::SectionText::text;
    } else if (upper == "MIME") {
        if (item.path.empty()) {
            error = "MIME needs a part number (e.g. [1.MIME])";
            return false;
        }
        item.text = mime::SectionText::mime;
    } else if (upper.rfind("HEADER.FIELDS", 0) == 0) {
        std::size_t after = 13;
        item.text = mime::SectionText::header_fields;
        if (upper.compare(after, 4, ".NOT") == 0) {
            item.text = mime::SectionText::header_fields_not;
            after += 4;
        }
        if (after >= rest.size() || rest[after] != ' ' || after + 1 >= rest.size() || rest[after + 1] != '(' ||
            rest.back() != ')') {
            error = "HEADER.FIELDS needs a list of field names: [HEADER.FIELDS (From To)]";
            return false;
        }
        // Tokenise the header-list: astrings (atoms or quoted strings)
        std::string list = rest.substr(after + 2, rest.size() - after - 3);
        std::size_t i = 0;
        std::string canonical;
        while (i < list.size()) {
            if (list[i] == ' ') {
                ++i;
                continue;
            }
            std::string name;
            if (list[i] == '"') {
                ++i;
                while (i < list.size() && list[i] != '"') {
                    if (list[i] == '\\' && i + 1 < list.size()) ++i;
                    name += list[i++];
                }
                ++i;
            } else {
                while (i < list.size() && list[i] != ' ') name += list[i++];
            }
            if (name.empty() || name.find_first_of("()[]{}") != std::string::npos) {
                error = "invalid header field name in [" + spec + "]";
                return false;
            }
            item.fields.push_back(name);
            if (!canonical.empty()) canonical += ' ';
            canonical += name;  // echoed as the client wrote it (quotes removed)
        }
        if (item.fields.empty()) {
            error = "HEADER.FIELDS needs at least one field name";
            return false;
        }
        std::string prefix = spec.substr(0, pos);
        item.section = prefix + (item.text == mime::SectionText::header_fields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (") +
                       canonical + ")";
        return true;
    } else {
        error = "unknown section text \"" + rest + "\" (expected HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME)";
        return false;
    }
    item.section = spec.substr(0, pos) + upper;
    return true;
}

bool parse_item(const Arg& arg, std::vector<FetchItem>& out, bool allow_macro, std::string& error) {
    if (!arg.is_atom()) {
        error = "expected a FETCH item atom, found a " + std::string(arg.is_list() ? "list" : "string");
        return false;
    }
    const std::string& text = arg.value;
    std::string upper = to_upper(text);
    using K = FetchItem::Kind;
    auto add = [&](K k) {
        FetchItem item;
        item.kind = k;
        out.push_back(item);
    };
    if (allow_macro && upper == "ALL") {
        add(K::flags); add(K::internaldate); add(K::rfc822_size); add(K::envelope);
        return true;
    }
    if (allow_macro && upper == "FAST") {
        add(K::flags); add(K::internaldate); add(K::rfc822_size);
        return true;
    }
    if (allow_macro && upper == "FULL") {
        add(K::flags); add(K::internaldate); add(K::rfc822_size); add(K::envelope); add(K::body);
        return true;
    }
    static const std::pair<const char*, K> simple[] = {
        {"FLAGS", K::flags}, {"INTERNALDATE", K::internaldate}, {"RFC822.SIZE", K::rfc822_size},
        {"ENVELOPE", K::envelope}, {"BODY", K::body}, {"BODYSTRUCTURE", K::bodystructure}, {"UID", K::uid},
        {"RFC822", K::rfc822}, {"RFC822.HEADER", K::rfc822_header}, {"RFC822.TEXT", K::rfc822_text}};
    for (const auto& [name, kind] : simple)
        if (upper == name) {
            add(kind);
            return true;
        }
    FetchItem item;
    item.kind = K::body_section;
    std::size_t open;
    if (upper.rfind("BODY[", 0) == 0) {
        open = 4;
    } else if (upper.rfind("BODY.PEEK[", 0) == 0) {
        open = 9;
        item.peek = true;
    } else {
        error = "unknown FETCH item \"" + text + "\"";
        return false;
    }
    auto close = text.rfind(']');
    if (close == std::string::npos || close < open) {
        error = "missing ']' in \"" + text + "\"";
        return false;
    }
    if (!parse_section(text.substr(open + 1, close - open - 1), item, error)) return false;
    std::string partial = text.substr(close + 1);
    if (!partial.empty()) {
        // "<" number "." nz-number ">"
        auto dot = partial.find('.');
        bool ok = partial.size() >= 5 && partial.front() == '<' && partial.back() == '>' && dot != std::string::npos;
        unsigned long long origin = 0, count = 0;
        if (ok) {
            std::string a = partial.substr(1, dot - 1), b = partial.substr(dot + 1, partial.size() - dot - 2);
            ok = !a.empty() && !b.empty() && a.size() <= 10 && b.size() <= 10 &&
                 a.find_first_not_of("0123456789") == std::string::npos &&
                 b.find_first_not_of("0123456789") == std::string::npos;
            if (ok) {
                origin = std::stoull(a);
                count = std::stoull(b);
                ok = count > 0 && origin <= 0xFFFFFFFFULL && count <= 0xFFFFFFFFULL;
            }
        }
        if (!ok) {
            error = "invalid partial \"" + partial + "\" (expected <origin.count> with count > 0)";
            return false;
        }
        item.partial_origin = static_cast<std::uint32_t>(origin);
        item.partial_count = static_cast<std::uint32_t>(count);
    }
    out.push_back(std::move(item));
    return true;
}

}  // namespace

bool FetchItem::sets_seen() const {
    return (kind == Kind::body_section && !peek) || kind == Kind::rfc822 || kind == Kind::rfc822_text;
}

std::string FetchItem::response_name() const {
    switch (kind) {
    case Kind::flags: return "FLAGS";
    case Kind::internaldate: return "INTERNALDATE";
    case Kind::rfc822_size: return "RFC822.SIZE";
    case Kind::envelope: return "ENVELOPE";
    case Kind::body: return "BODY";
    case Kind::bodystructure: return "BODYSTRUCTURE";
    case Kind::uid: return "UID";
    case Kind::rfc822: return "RFC822";
    case Kind::rfc822_header: return "RFC822.HEADER";
    case Kind::rfc822_text: return "RFC822.TEXT";
    case Kind::body_section: break;
    }
    std::string out = "BODY[" + section + "]";
    if (partial_origin) out += "<" + std::to_string(*partial_origin) + ">";
    return out;
}

std::optional<std::vector<FetchItem>> parse_fetch_items(const Arg& arg, std::string& error) {
    std::vector<FetchItem> items;
    if (arg.is_list()) {
        if (arg.items.empty()) {
            error = "empty FETCH item list";
            return std::nullopt;
        }
        for (const auto& a : arg.items)
            if (!parse_item(a, items, false, error)) return std::nullopt;
    } else if (!parse_item(arg, items, true, error)) {
        return std::nullopt;
    }
    return items;
}

}  // namespace mailspec::protocol::imap
