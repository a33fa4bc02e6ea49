// RFC 3501 §5.1.3 modified UTF-7 (RFC 2152 base64 of UTF-16BE with "," for "/").
#include "mailspec/protocol/imap/mailbox_name.hpp"

#include <cstdint>
#include <vector>

namespace mailspec::protocol::imap {
namespace {

const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == ',') return 63;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Next code point of UTF-8 text; invalid sequences yield U+FFFD and advance one byte.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    int extra = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
        ++i;
        return 0xFFFD;
    }
    std::uint32_t cp = c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((cc & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    // An overlong form (e.g. C1 A9 for "i") is invalid UTF-8 (RFC 3629 §3) as well: encoding its
    // value would base64-encode printable ASCII, which RFC 3501 §5.1.3 forbids.
    static constexpr std::uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    return cp;
}

}  // namespace

std::optional<std::string> decode_mailbox_name(std::string_view s, std::string& error) {
    std::string out;
    std::size_t i = 0;
    bool previous_was_encoded = false;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c > 0x7e) {
            error = "byte " + std::to_string(i) + " is not printable US-ASCII (mailbox names use modified UTF-7)";
            return std::nullopt;
        }
        if (c != '&') {
            out += static_cast<char>(c);
            ++i;
            previous_was_encoded = false;
            continue;
        }
        std::size_t start = i++;
        if (i < s.size() && s[i] == '-') {
            out += '&';
            ++i;
            previous_was_encoded = false;
            continue;
        }
        if (previous_was_encoded) {
            error = "adjacent encoded sequences at byte " + std::to_string(start) + " must be merged";
            return std::nullopt;
        }
        std::uint32_t bits = 0;
        int nbits = 0;
        std::vector<std::uint16_t> units;
        while (i < s.size() && s[i] != '-') {
            int v = b64_value(s[i]);
            if (v < 0) {
                error = "invalid modified base64 byte at " + std::to_string(i);
                return std::nullopt;
            }
            bits = (bits << 6) | static_cast<std::uint32_t>(v);
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                units.push_back(static_cast<std::uint16_t>((bits >> nbits) & 0xFFFF));
            }
            ++i;
        }
        if (i >= s.size()) {
            error = "unterminated '&' sequence starting at byte " + std::to_string(start) + ": expected '-'";
            return std::nullopt;
        }
        ++i;  // '-'
        if (units.empty() || nbits >= 6 || (bits & ((1u << nbits) - 1)) != 0) {
            error = "bad modified base64 length or padding in sequence at byte " + std::to_string(start);
            return std::nullopt;
        }
        for (std::size_t k = 0; k < units.size(); ++k) {
            std::uint32_t u = units[k];
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (k + 1 >= units.size() || units[k + 1] < 0xDC00 || units[k + 1] > 0xDFFF) {
                    error = "unpaired UTF-16 surrogate in sequence at byte " + std::to_string(start);
                    return std::nullopt;
                }
                u = 0x10000 + ((u - 0xD800) << 10) + (units[++k] - 0xDC00);
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                error = "unpaired UTF-16 surrogate in sequence at byte " + std::to_string(start);
                return std::nullopt;
            } else if (u >= 0x20 && u <= 0x7e) {
                error = "printable US-ASCII must not be base64-encoded (sequence at byte " +
                        std::to_string(start) + ")";
                return std::nullopt;
            }
            append_utf8(out, u);
        }
        previous_was_encoded = true;
    }
    return out;
}

std::string encode_mailbox_name(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c <= 0x7e) {
            out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
            ++i;
            continue;
        }
        // collect a run of non-printable characters as UTF-16
        std::vector<std::uint16_t> units;
        while (i < s.size()) {
            unsigned char d = static_cast<unsigned char>(s[i]);
            if (d >= 0x20 && d <= 0x7e) break;
            std::uint32_t cp = next_code_point(s, i);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                units.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
                units.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
            } else {
                units.push_back(static_cast<std::uint16_t>(cp));
            }
        }
        out += '&';
        std::uint32_t bits = 0;
        int nbits = 0;
        for (auto u : units) {
            bits = (bits << 16) | u;
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                out += kAlphabet[(bits >> nbits) & 0x3F];
            }
        }
        if (nbits > 0) out += kAlphabet[(bits << (6 - nbits)) & 0x3F];
        out += '-';
    }
    return out;
}

}  // namespace mailspec::protocol::imap
