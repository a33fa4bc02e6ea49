#include "mailspec/core/escape.hpp"

#include <cstdint>
#include <cstdio>

#include <utf8.h>

namespace mailspec::core {
namespace {

void append_hex(std::string& out, unsigned char byte) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", byte);
    out += buf;
}

void append_hex(std::string& out, std::string_view bytes) {
    for (unsigned char byte : bytes) append_hex(out, byte);
}

// Walks `bytes` as UTF-8 (RFC 3629, decoded by utfcpp: overlong forms, surrogates, code points
// past U+10FFFF and truncated sequences are invalid). Calls on_char(code_point, its bytes) for each
// valid character and on_invalid(byte) for each byte that does not start one; the walk then goes
// on at the next byte. Linear in the input, whatever it holds.
template <class OnChar, class OnInvalid>
void for_each_utf8(std::string_view bytes, OnChar&& on_char, OnInvalid&& on_invalid) {
    const char* it = bytes.data();
    const char* const end = bytes.data() + bytes.size();
    while (it != end) {
        const char* bad = utf8::find_invalid(it, end);
        while (it != bad) {
            const char* start = it;
            const std::uint32_t cp = utf8::unchecked::next(it);  // [it, bad) is valid
            on_char(cp, std::string_view(start, static_cast<std::size_t>(it - start)));
        }
        if (bad != end) {
            on_invalid(static_cast<unsigned char>(*bad));
            it = bad + 1;
        }
    }
}

// XML 1.0 §2.2 Char, less DEL (kept visible as in transcripts).
bool xml_char(std::uint32_t cp) {
    if (cp == 0x09 || cp == 0x0A || cp == 0x0D) return true;
    if (cp < 0x20 || cp == 0x7F) return false;
    if (cp <= 0xD7FF) return true;
    if (cp >= 0xE000 && cp <= 0xFFFD) return true;
    return cp >= 0x10000 && cp <= 0x10FFFF;
}

}  // namespace

std::string visible(std::string_view bytes, bool break_after_lf) {
    std::string out;
    out.reserve(bytes.size() + 16);
    for_each_utf8(
        bytes,
        [&](std::uint32_t cp, std::string_view text) {
            if (cp == '\r') {
                out += "<CR>";
            } else if (cp == '\n') {
                out += "<LF>";
                if (break_after_lf) out += '\n';
            } else if (cp < 0x20 || cp == 0x7F) {
                append_hex(out, text);
            } else {
                out += text;
            }
        },
        [&](unsigned char byte) { append_hex(out, byte); });
    return out;
}

std::string xml_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_utf8(
        text,
        [&](std::uint32_t cp, std::string_view bytes) {
            if (xml_char(cp)) {
                out += bytes;
            } else {
                append_hex(out, bytes);
            }
        },
        [&](unsigned char byte) { append_hex(out, byte); });
    return out;
}

std::string utf8_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_utf8(
        text, [&](std::uint32_t, std::string_view bytes) { out += bytes; },
        [&](unsigned char byte) { append_hex(out, byte); });
    return out;
}

}  // namespace mailspec::core
