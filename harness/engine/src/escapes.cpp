#include "mailspec/harness/engine/escapes.hpp"

namespace mailspec::harness::engine {
namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

bool decode_escapes(std::string_view text, std::string& out, EscapeError& error) {
    out.clear();
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (i + 1 >= text.size()) {
            error = {i, "backslash at the end: expected one of \\r \\n \\t \\\\ \\0 \\xNN"};
            return false;
        }
        const char c = text[i + 1];
        switch (c) {
            case 'r': out += '\r'; ++i; break;
            case 'n': out += '\n'; ++i; break;
            case 't': out += '\t'; ++i; break;
            case '0': out += '\0'; ++i; break;
            case '\\': out += '\\'; ++i; break;
            case 'x': {
                const int hi = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
                const int lo = i + 3 < text.size() ? hex_value(text[i + 3]) : -1;
                if (hi < 0 || lo < 0) {
                    error = {i, "\\x must be followed by two hex digits"};
                    return false;
                }
                out += static_cast<char>(hi * 16 + lo);
                i += 3;
                break;
            }
            default:
                error = {i, std::string("unknown escape \\") + c + ": expected one of \\r \\n \\t \\\\ \\0 \\xNN"};
                return false;
        }
    }
    return true;
}

}  // namespace mailspec::harness::engine
