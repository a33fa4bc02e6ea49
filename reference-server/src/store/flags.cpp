// Message flags (RFC 3501 §2.3.2): system flags as bits, keywords as atoms compared
// case-insensitively.
#include <algorithm>
#include <cctype>

#include "store/store.hpp"

namespace mailspec::server {

namespace {

struct SystemName {
    Flags::System bit;
    std::string_view name;
};
constexpr SystemName kSystem[] = {{Flags::seen, "\\Seen"},
                                  {Flags::answered, "\\Answered"},
                                  {Flags::flagged, "\\Flagged"},
                                  {Flags::deleted, "\\Deleted"},
                                  {Flags::draft, "\\Draft"}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// ATOM-CHAR: any CHAR except atom-specials "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]"
// (RFC 3501 §9, flag-keyword = atom).
bool is_atom(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f && std::string_view("(){%*\"\\]").find(c) == std::string_view::npos;
    });
}

const SystemName* system_flag(std::string_view name) {
    for (const auto& s : kSystem) {
        if (iequals(s.name, name)) return &s;
    }
    return nullptr;
}

}  // namespace

bool Flags::add(std::string_view name) {
    if (!name.empty() && name.front() == '\\') {
        const SystemName* s = system_flag(name);
        if (!s) return false;  // \Recent and unknown system flags cannot be stored
        system |= s->bit;
        return true;
    }
    if (!is_atom(name)) return false;
    if (!contains(name)) keywords.emplace_back(name);
    return true;
}

void Flags::remove(std::string_view name) {
    if (!name.empty() && name.front() == '\\') {
        if (const SystemName* s = system_flag(name)) system &= ~static_cast<unsigned>(s->bit);
        return;
    }
    keywords.erase(std::remove_if(keywords.begin(), keywords.end(),
                                  [&](const std::string& k) { return iequals(k, name); }),
                   keywords.end());
}

bool Flags::contains(std::string_view name) const {
    if (!name.empty() && name.front() == '\\') {
        const SystemName* s = system_flag(name);
        return s && has(s->bit);
    }
    return std::any_of(keywords.begin(), keywords.end(),
                       [&](const std::string& k) { return iequals(k, name); });
}

void Flags::add_all(const Flags& other) {
    system |= other.system;
    for (const auto& k : other.keywords) add(k);
}

void Flags::remove_all(const Flags& other) {
    system &= ~other.system;
    for (const auto& k : other.keywords) remove(k);
}

std::vector<std::string> Flags::names() const {
    std::vector<std::string> out;
    for (const auto& s : kSystem) {
        if (has(s.bit)) out.emplace_back(s.name);
    }
    out.insert(out.end(), keywords.begin(), keywords.end());
    return out;
}

bool Flags::operator==(const Flags& other) const {
    if (system != other.system || keywords.size() != other.keywords.size()) return false;
    return std::all_of(keywords.begin(), keywords.end(),
                       [&](const std::string& k) { return other.contains(k); });
}

}  // namespace mailspec::server
