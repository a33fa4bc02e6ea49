#include "mailspec/protocol/pop3/response.hpp"

namespace mailspec::protocol::pop3 {

std::string ok(std::string_view text, const ResponseStyle& style) {
    std::string out = "+OK";
    if (!text.empty()) (out += ' ') += text;
    return out += style.line_end;
}

std::string err(std::string_view text, const ResponseStyle& style) {
    std::string out = "-ERR";
    if (!text.empty()) (out += ' ') += text;
    return out += style.line_end;
}

std::string err(std::string_view code, std::string_view text, const ResponseStyle& style) {
    std::string out = "-ERR [";
    out += code;
    out += ']';
    if (!text.empty()) (out += ' ') += text;
    return out += style.line_end;
}

std::string multiline_body(std::string_view content, const ResponseStyle& style) {
    std::string out;
    out.reserve(content.size() + content.size() / 64 + 8);
    std::size_t start = 0;
    while (start < content.size()) {
        auto lf = content.find('\n', start);
        const bool last_unterminated = lf == std::string_view::npos;
        if (last_unterminated) lf = content.size();
        std::size_t end = lf;
        if (end > start && content[end - 1] == '\r') --end;
        if (style.dot_stuff && end > start && content[start] == '.') out += '.';
        out.append(content.substr(start, end - start));
        out += style.line_end;
        start = last_unterminated ? content.size() : lf + 1;
    }
    out += '.';
    out += style.line_end;
    return out;
}

std::string top_of_message(std::string_view message, std::uint32_t lines) {
    // The header section ends at the first empty line (RFC 5322 §2.1).
    std::size_t pos = 0;
    std::size_t body_start = std::string_view::npos;
    while (pos < message.size()) {
        auto lf = message.find('\n', pos);
        if (lf == std::string_view::npos) break;
        const auto line = message.substr(pos, lf - pos);
        if (line.empty() || line == "\r") {
            body_start = lf + 1;
            break;
        }
        pos = lf + 1;
    }
    if (body_start == std::string_view::npos) return std::string(message);
    std::size_t end = body_start;
    for (std::uint32_t n = 0; n < lines && end < message.size(); ++n) {
        const auto lf = message.find('\n', end);
        end = lf == std::string_view::npos ? message.size() : lf + 1;
    }
    return std::string(message.substr(0, end));
}

}  // namespace mailspec::protocol::pop3
