#pragma once
// Character classes and small scanners shared by the SMTP codec sources (not installed).
#include <cstddef>
#include <string>
#include <string_view>

#include "mailspec/core/escape.hpp"

namespace mailspec::protocol::smtp::detail {

inline bool is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_hex(unsigned char c) {
    return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
// atext, RFC 5322 §3.2.3 as used by RFC 5321 §4.1.2.
inline bool is_atext(unsigned char c) {
    if (is_alpha(c) || is_digit(c)) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Length of one well-formed non-ASCII UTF-8 sequence at text[pos] (RFC 3629), or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t pos);

// "found <visible byte>" or "found end of input" for error messages.
inline std::string found_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return "found end of input";
    return "found '" + core::visible(text.substr(pos, 1)) + "'";
}

inline char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
inline std::string to_upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = upper(c);
    return out;
}
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}
inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace mailspec::protocol::smtp::detail
