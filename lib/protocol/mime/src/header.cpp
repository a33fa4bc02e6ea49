// RFC 5322 §2.2 header section: fields, unfolding (§2.2.3), end at the first empty line.
#include "mailspec/protocol/mime/header.hpp"

#include <algorithm>

namespace mailspec::protocol::mime {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Returns the offset just past the line starting at `pos` (its LF included) and sets `content_end`
// to the end of the line's content (CR/LF excluded).
std::size_t line_end(std::string_view s, std::size_t pos, std::size_t& content_end) {
    auto lf = s.find('\n', pos);
    if (lf == std::string_view::npos) {
        content_end = s.size();
        return s.size();
    }
    content_end = (lf > pos && s[lf - 1] == '\r') ? lf - 1 : lf;
    return lf + 1;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = upper(c);
    return out;
}

bool icontains(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                          [](char x, char y) { return lower(x) == lower(y); });
    return it != haystack.end();
}

const HeaderField* Header::find(std::string_view name) const {
    for (const auto& f : fields)
        if (iequals(f.name, name)) return &f;
    return nullptr;
}

std::optional<std::string> Header::value(std::string_view name) const {
    if (const auto* f = find(name)) return f->value;
    return std::nullopt;
}

Header parse_header(std::string_view s) {
    Header h;
    std::size_t pos = 0;
    HeaderField* current = nullptr;
    while (pos < s.size()) {
        std::size_t content_end = 0;
        std::size_t next = line_end(s, pos, content_end);
        std::string_view line = s.substr(pos, content_end - pos);
        if (line.empty()) {  // the separator line: the body follows
            h.length = next;
            return h;
        }
        if ((line[0] == ' ' || line[0] == '\t')) {
            if (current) {  // continuation: unfold by dropping the line break only
                current->value.append(line);
                current->length = next - current->offset;
            }
        } else {
            auto colon = line.find(':');
            current = nullptr;
            if (colon == std::string_view::npos || colon == 0) {
                // not a header field: the header section ended without its blank line
                h.length = pos;
                return h;
            }
            {
                std::string_view name = line.substr(0, colon);
                while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                    name.remove_suffix(1);
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                    value.remove_prefix(1);
                h.fields.push_back(HeaderField{std::string(name), std::string(value), pos, next - pos});
                current = &h.fields.back();
            }
        }
        pos = next;
    }
    h.length = s.size();
    return h;
}

}  // namespace mailspec::protocol::mime
