// RFC 3501 §6.4.4 search keys and §9 search-key grammar.
#include "mailspec/protocol/imap/search.hpp"

#include <memory>

#include "mailspec/protocol/mime/header.hpp"
#include "mailspec/protocol/mime/message.hpp"
#include "mailspec/protocol/mime/params.hpp"

namespace mailspec::protocol::imap {
namespace {

using mime::iequals;
using mime::to_upper;
using Op = SearchKey::Op;

struct Reader {
    const std::vector<Arg>& args;
    std::size_t pos = 0;
    std::string& error;
    bool at_end() const { return pos >= args.size(); }
};

bool take_astring(Reader& r, const std::string& key, std::string& out) {
    if (r.at_end() || !r.args[r.pos].is_astring()) {
        r.error = key + " needs a string argument";
        return false;
    }
    out = r.args[r.pos++].value;
    return true;
}

bool take_date(Reader& r, const std::string& key, std::int64_t& day) {
    std::string s;
    if (!take_astring(r, key, s)) return false;
    auto d = parse_search_date(s);
    if (!d) {
        r.error = key + " needs a date like 1-Feb-1994, found \"" + describe_bytes(s) + "\"";
        return false;
    }
    day = *d;
    return true;
}

bool take_number(Reader& r, const std::string& key, std::uint64_t& n) {
    std::string s;
    if (r.at_end() || !r.args[r.pos].is_atom()) {
        r.error = key + " needs a number";
        return false;
    }
    s = r.args[r.pos++].value;
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
        r.error = key + " needs a number, found \"" + describe_bytes(s) + "\"";
        return false;
    }
    n = std::stoull(s);
    return true;
}

bool parse_key(Reader& r, SearchKey& key, int depth);

bool parse_keys_until_end(Reader& r, std::vector<SearchKey>& out, int depth) {
    while (!r.at_end()) {
        SearchKey k;
        if (!parse_key(r, k, depth)) return false;
        out.push_back(std::move(k));
    }
    return true;
}

bool parse_key(Reader& r, SearchKey& key, int depth) {
    if (depth > 64) {
        r.error = "search keys nested too deeply";
        return false;
    }
    if (r.at_end()) {
        r.error = "missing search key";
        return false;
    }
    const Arg& arg = r.args[r.pos];
    if (arg.is_list()) {
        ++r.pos;
        if (arg.items.empty()) {
            r.error = "empty parenthesised search key list";
            return false;
        }
        Reader inner{arg.items, 0, r.error};
        key.op = Op::and_;
        return parse_keys_until_end(inner, key.children, depth + 1);
    }
    if (!arg.is_atom()) {
        r.error = "expected a search key, found a string \"" + describe_bytes(arg.value) + "\"";
        return false;
    }
    std::string name = to_upper(arg.value);
    ++r.pos;
    if (looks_like_sequence_set(name)) {
        key.op = Op::sequence;
        std::string err;
        auto set = parse_sequence_set(name, err);
        if (!set) {
            r.error = "invalid sequence set \"" + describe_bytes(arg.value) + "\": " + err;
            return false;
        }
        key.set = *set;
        return true;
    }
    static const std::pair<const char*, const char*> flag_keys[] = {
        {"ANSWERED", "\\Answered"}, {"DELETED", "\\Deleted"}, {"DRAFT", "\\Draft"},
        {"FLAGGED", "\\Flagged"}, {"SEEN", "\\Seen"}};
    for (const auto& [k, flag] : flag_keys) {
        if (name == k) {
            key.op = Op::flag;
            key.flag = flag;
            return true;
        }
        if (name == std::string("UN") + k) {
            key.op = Op::no_flag;
            key.flag = flag;
            return true;
        }
    }
    static const std::pair<const char*, const char*> header_keys[] = {
        {"FROM", "From"}, {"TO", "To"}, {"CC", "Cc"}, {"BCC", "Bcc"}, {"SUBJECT", "Subject"}};
    for (const auto& [k, field] : header_keys)
        if (name == k) {
            key.op = Op::header;
            key.field = field;
            return take_astring(r, name, key.value);
        }
    if (name == "ALL") { key.op = Op::all; return true; }
    if (name == "NEW") { key.op = Op::new_; return true; }
    if (name == "OLD") { key.op = Op::no_recent; return true; }
    if (name == "RECENT") { key.op = Op::recent; return true; }
    if (name == "KEYWORD" || name == "UNKEYWORD") {
        key.op = name == "KEYWORD" ? Op::flag : Op::no_flag;
        if (!take_astring(r, name, key.flag)) return false;
        if (key.flag.empty() || key.flag[0] == '\\') {
            r.error = name + " needs a keyword atom, not a system flag";
            return false;
        }
        return true;
    }
    if (name == "BEFORE") { key.op = Op::before; return take_date(r, name, key.day); }
    if (name == "ON") { key.op = Op::on; return take_date(r, name, key.day); }
    if (name == "SINCE") { key.op = Op::since; return take_date(r, name, key.day); }
    if (name == "SENTBEFORE") { key.op = Op::sent_before; return take_date(r, name, key.day); }
    if (name == "SENTON") { key.op = Op::sent_on; return take_date(r, name, key.day); }
    if (name == "SENTSINCE") { key.op = Op::sent_since; return take_date(r, name, key.day); }
    if (name == "LARGER") { key.op = Op::larger; return take_number(r, name, key.size); }
    if (name == "SMALLER") { key.op = Op::smaller; return take_number(r, name, key.size); }
    if (name == "BODY") { key.op = Op::body; return take_astring(r, name, key.value); }
    if (name == "TEXT") { key.op = Op::text; return take_astring(r, name, key.value); }
    if (name == "HEADER") {
        key.op = Op::header;
        return take_astring(r, name, key.field) && take_astring(r, name, key.value);
    }
    if (name == "UID") {
        key.op = Op::uid;
        std::string s;
        if (!take_astring(r, name, s)) return false;
        std::string err;
        auto set = parse_sequence_set(s, err);
        if (!set) {
            r.error = "UID needs a sequence set: " + err;
            return false;
        }
        key.set = *set;
        return true;
    }
    if (name == "NOT") {
        key.op = Op::not_;
        key.children.resize(1);
        return parse_key(r, key.children[0], depth + 1);
    }
    if (name == "OR") {
        key.op = Op::or_;
        key.children.resize(2);
        return parse_key(r, key.children[0], depth + 1) && parse_key(r, key.children[1], depth + 1);
    }
    r.error = "unknown search key \"" + describe_bytes(arg.value) + "\"";
    return false;
}

// Lazily parsed views of one message for header / body matching.
struct Evaluation {
    const SearchMessage& message;
    const SearchContext& context;
    std::unique_ptr<mime::Part> tree;
    std::unique_ptr<std::string> decoded_body;

    const mime::Part& root() {
        if (!tree) tree = std::make_unique<mime::Part>(mime::parse_message(message.raw));
        return *tree;
    }

    void collect_text(const mime::Part& part, std::string& out) {
        if (part.is_multipart() || part.is_message_rfc822()) {
            for (const auto& child : part.children) {
                // the header of an encapsulated message is part of the enclosing body's text
                if (part.is_message_rfc822())
                    for (const auto& f : child.header.fields)
                        out += f.name + ": " + mime::decode_encoded_words(f.value) + "\n";
                collect_text(child, out);
            }
            return;
        }
        std::string_view body = message.raw.substr(part.body_begin, part.end - part.body_begin);
        if (part.encoding == "BASE64") out += mime::decode_base64(body);
        else if (part.encoding == "QUOTED-PRINTABLE") out += mime::decode_quoted_printable(body);
        else out.append(body);
        out += '\n';
    }

    const std::string& body() {
        if (!decoded_body) {
            decoded_body = std::make_unique<std::string>();
            collect_text(root(), *decoded_body);
        }
        return *decoded_body;
    }

    bool header_contains(const std::string& field, const std::string& value) {
        for (const auto& f : root().header.fields) {
            if (!iequals(f.name, field)) continue;
            // RFC 3501 §6.4.4: HEADER with an empty string matches every message with the field
            if (value.empty() || mime::icontains(mime::decode_encoded_words(f.value), value)) return true;
        }
        return false;
    }

    bool header_text_contains(const std::string& value) {
        for (const auto& f : root().header.fields)
            if (mime::icontains(f.name + ": " + mime::decode_encoded_words(f.value), value)) return true;
        return false;
    }

    bool has_flag(const std::string& flag) const {
        for (const auto& f : message.flags)
            if (iequals(f, flag)) return true;
        return false;
    }

    std::optional<std::int64_t> sent_day() {
        auto date = root().header.value("Date");
        if (!date) return std::nullopt;
        auto dt = parse_rfc5322_date(*date);
        if (!dt) return std::nullopt;
        return dt->local_day();
    }

    bool eval(const SearchKey& k) {
        switch (k.op) {
        case Op::all: return true;
        case Op::and_:
            for (const auto& c : k.children)
                if (!eval(c)) return false;
            return true;
        case Op::or_: return eval(k.children[0]) || eval(k.children[1]);
        case Op::not_: return !eval(k.children[0]);
        case Op::sequence: return k.set.contains(message.sequence, context.largest_sequence);
        case Op::uid: return k.set.contains(message.uid, context.largest_uid);
        case Op::flag: return has_flag(k.flag);
        case Op::no_flag: return !has_flag(k.flag);
        case Op::recent: return message.recent;
        case Op::no_recent: return !message.recent;
        case Op::new_: return message.recent && !has_flag("\\Seen");
        case Op::before: return message.internal_date.local_day() < k.day;
        case Op::on: return message.internal_date.local_day() == k.day;
        case Op::since: return message.internal_date.local_day() >= k.day;
        case Op::sent_before: { auto d = sent_day(); return d && *d < k.day; }
        case Op::sent_on: { auto d = sent_day(); return d && *d == k.day; }
        case Op::sent_since: { auto d = sent_day(); return d && *d >= k.day; }
        case Op::larger: return message.size > k.size;
        case Op::smaller: return message.size < k.size;
        case Op::header: return header_contains(k.field, k.value);
        case Op::body: return mime::icontains(body(), k.value);
        case Op::text: return header_text_contains(k.value) || mime::icontains(body(), k.value);
        }
        return false;
    }
};

}  // namespace

std::optional<SearchQuery> parse_search(const std::vector<Arg>& args, std::string& error) {
    SearchQuery q;
    Reader r{args, 0, error};
    if (!r.at_end() && r.args[0].is_atom() && iequals(r.args[0].value, "CHARSET")) {
        if (r.args.size() < 2 || !r.args[1].is_astring()) {
            error = "CHARSET needs a charset name";
            return std::nullopt;
        }
        q.charset = to_upper(r.args[1].value);
        r.pos = 2;
    }
    if (r.at_end()) {
        error = "SEARCH needs at least one search key";
        return std::nullopt;
    }
    q.root.op = Op::and_;
    if (!parse_keys_until_end(r, q.root.children, 0)) return std::nullopt;
    return q;
}

bool search_matches(const SearchKey& key, const SearchMessage& message, const SearchContext& context) {
    Evaluation e{message, context, nullptr, nullptr};
    return e.eval(key);
}

}  // namespace mailspec::protocol::imap
