#include "mailspec/core/escape.hpp"

#include <cstdio>

namespace mailspec::core {
namespace {

void append_hex(std::string& out, unsigned char byte) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", byte);
    out += buf;
}

// Length of the valid UTF-8 sequence starting at bytes[i], or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    if (lead >= 0xC2 && lead <= 0xDF) len = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) len = 3;
    else if (lead >= 0xF0 && lead <= 0xF4) len = 4;
    else return 0;
    if (i + len > bytes.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(bytes[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
    }
    return len;
}

}  // namespace

std::string visible(std::string_view bytes, bool break_after_lf) {
    std::string out;
    out.reserve(bytes.size() + 16);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\r') {
            out += "<CR>";
        } else if (c == '\n') {
            out += "<LF>";
            if (break_after_lf) out += '\n';
        } else if (c < 0x20 || c == 0x7F) {
            append_hex(out, c);
        } else if (c >= 0x80) {
            const std::size_t len = utf8_sequence_length(bytes, i);
            if (len == 0) {
                append_hex(out, c);
            } else {
                out.append(bytes.substr(i, len));
                i += len - 1;
            }
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string xml_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F)) {
            out += static_cast<char>(c);
        } else if (c >= 0x80) {
            const std::size_t len = utf8_sequence_length(text, i);
            if (len == 0) {
                append_hex(out, c);
            } else {
                out.append(text.substr(i, len));
                i += len - 1;
            }
        } else {
            append_hex(out, c);
        }
    }
    return out;
}

}  // namespace mailspec::core
