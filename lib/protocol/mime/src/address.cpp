// RFC 5322 §3.4 address lists (mailbox, name-addr, group), tolerant of obsolete forms (§4.4:
// routes, missing commas are not repaired). Used for ENVELOPE (RFC 3501 §7.4.2).
#include "mailspec/protocol/mime/address.hpp"

namespace mailspec::protocol::mime {
namespace {

struct Pending {
    std::string phrase;   // display name words, unquoted, joined by single spaces
    std::string spec;     // addr-spec text outside angle brackets
    std::string angle;    // text inside <...>
    bool has_angle = false;
    bool empty() const { return phrase.empty() && spec.empty() && !has_angle; }
};

void append_word(std::string& phrase, const std::string& word) {
    if (!phrase.empty()) phrase += ' ';
    phrase += word;
}

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

Address finish(Pending& p) {
    Address a;
    std::string spec;
    if (p.has_angle) {
        spec = trim(p.angle);
        if (!p.phrase.empty()) a.name = p.phrase;
    } else {
        spec = trim(p.spec.empty() ? p.phrase : p.spec);
    }
    // Obsolete route: "@a,@b:user@host" (RFC 5322 §4.4 obs-route).
    if (!spec.empty() && spec[0] == '@') {
        auto colon = spec.find(':');
        if (colon != std::string::npos) {
            a.route = spec.substr(0, colon);
            spec = spec.substr(colon + 1);
        }
    }
    auto at = spec.rfind('@');
    if (at == std::string::npos) {
        a.mailbox = spec;
    } else {
        a.mailbox = spec.substr(0, at);
        a.host = spec.substr(at + 1);
    }
    if (a.mailbox->size() >= 2 && a.mailbox->front() == '"' && a.mailbox->back() == '"')
        a.mailbox = a.mailbox->substr(1, a.mailbox->size() - 2);
    p = Pending{};
    return a;
}

}  // namespace

std::vector<Address> parse_address_list(std::string_view s) {
    std::vector<Address> out;
    Pending p;
    bool in_group = false;
    std::size_t i = 0;
    for (int guard = 0; guard < 1000000 && i < s.size(); ++guard) {
        char c = s[i];
        if (c == '(') {  // comment, nested
            int depth = 0;
            while (i < s.size()) {
                if (s[i] == '\\') { i += 2; continue; }
                if (s[i] == '(') ++depth;
                else if (s[i] == ')' && --depth == 0) { ++i; break; }
                ++i;
            }
            continue;
        }
        if (c == '"') {  // quoted string: part of the phrase, or of the local part in an addr-spec
            std::string word;
            std::size_t j = i + 1;
            while (j < s.size() && s[j] != '"') {
                if (s[j] == '\\' && j + 1 < s.size()) ++j;
                word += s[j++];
            }
            bool in_spec = j + 1 < s.size() && s[j + 1] == '@';
            if (in_spec || p.has_angle) {
                (p.has_angle ? p.angle : p.spec) += '"' + word + '"';
            } else {
                append_word(p.phrase, word);
            }
            i = j + 1;
            continue;
        }
        if (c == '<') {
            auto close = s.find('>', i);
            std::size_t stop = close == std::string_view::npos ? s.size() : close;
            p.angle = std::string(s.substr(i + 1, stop - i - 1));
            p.has_angle = true;
            i = stop + (close == std::string_view::npos ? 0 : 1);
            continue;
        }
        if (c == ':' && !in_group && !p.has_angle && p.spec.find('@') == std::string::npos &&
            !(p.phrase.empty() && p.spec.empty()) && p.phrase.find('@') == std::string::npos) {
            Address start;  // group start marker: (NIL NIL "name" NIL)
            start.mailbox = p.phrase.empty() ? p.spec : p.phrase;
            out.push_back(start);
            p = Pending{};
            in_group = true;
            ++i;
            continue;
        }
        if (c == ',' || (c == ';' && in_group)) {
            if (!p.empty()) out.push_back(finish(p));
            if (c == ';') {
                out.push_back(Address{});  // group end marker: (NIL NIL NIL NIL)
                in_group = false;
            }
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
            continue;
        }
        // An atom (or dot-atom / domain part): read until a special.
        std::size_t j = i;
        while (j < s.size() && std::string_view(" \t\r\n(),:;<>\"").find(s[j]) == std::string_view::npos) ++j;
        if (j == i) {  // stray '>' or ';' outside a group
            ++i;
            continue;
        }
        std::string atom(s.substr(i, j - i));
        if (p.has_angle) {
            // text after the angle-addr: ignore
        } else if (atom.find('@') != std::string::npos || atom == "." || !p.spec.empty() ||
                   (j < s.size() && s[j] == '"')) {
            // part of an addr-spec: join with no spaces (obs-local-part allows CFWS)
            if (p.spec.empty() && atom.find('@') != std::string::npos && !p.phrase.empty() &&
                atom.front() == '@') {
                p.spec = p.phrase;  // "user @host"
                p.phrase.clear();
            }
            p.spec += atom;
        } else {
            append_word(p.phrase, atom);
        }
        i = j;
    }
    if (!p.empty()) out.push_back(finish(p));
    if (in_group) out.push_back(Address{});
    return out;
}

}  // namespace mailspec::protocol::mime
