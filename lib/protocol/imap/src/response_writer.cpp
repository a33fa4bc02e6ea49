// RFC 3501 §4.3 string forms and §7.1 status responses.
#include "mailspec/protocol/imap/response_writer.hpp"

namespace mailspec::protocol::imap {

std::string literal(std::string_view value) {
    return "{" + std::to_string(value.size()) + "}\r\n" + std::string(value);
}

std::string quote(std::string_view value) {
    bool quotable = value.size() <= 1024;
    for (char c : value) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u == 0 || u == '\r' || u == '\n' || u >= 0x80) {
            quotable = false;
            break;
        }
    }
    if (!quotable) return literal(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string nstring(const std::optional<std::string>& value) { return value ? quote(*value) : "NIL"; }

std::string astring(std::string_view value) {
    bool atom = !value.empty();
    for (char c : value) {
        unsigned char u = static_cast<unsigned char>(c);
        // "[" is an ATOM-CHAR (RFC 3501 §9), but the command parser reads "[...]" as a section
        // (BODY[...]) and refuses an unbalanced "["; quoting keeps what is written readable back.
        if (u <= 0x20 || u >= 0x7f || std::string_view("(){%*\"\\[").find(c) != std::string_view::npos) {
            atom = false;
            break;
        }
    }
    if (atom && (value.size() == 3 && (value[0] | 0x20) == 'n' && (value[1] | 0x20) == 'i' &&
                 (value[2] | 0x20) == 'l'))
        atom = false;
    return atom ? std::string(value) : quote(value);
}

std::string tagged(std::string_view tag, std::string_view status, std::string_view code,
                   std::string_view text) {
    std::string out(tag);
    out += ' ';
    out += status;
    if (!code.empty()) {
        out += " [";
        out += code;
        out += ']';
    }
    out += ' ';
    out += text;
    out += "\r\n";
    return out;
}

std::string untagged(std::string_view status, std::string_view code, std::string_view text) {
    return tagged("*", status, code, text);
}

}  // namespace mailspec::protocol::imap
