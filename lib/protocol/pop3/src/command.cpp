#include "mailspec/protocol/pop3/command.hpp"

#include <charconv>

#include "mailspec/core/escape.hpp"

namespace mailspec::protocol::pop3 {
namespace {

ParseError syntax(std::size_t offset, std::string message) {
    return ParseError{ParseErrorKind::syntax, offset, std::move(message)};
}

std::string found(std::string_view line, std::size_t i) {
    return i < line.size() ? "found '" + core::visible(line.substr(i, 1)) + "'" : "found end of line";
}

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

Parsed<std::uint32_t> parse_number(std::string_view text, bool allow_zero) {
    if (text.empty()) return syntax(0, "expected a number, found nothing");
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9') return syntax(i, "expected a digit, " + found(text, i));
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc()) return ParseError{ParseErrorKind::too_long, 0, "number too large: " + std::string(text)};
    if (n == 0 && !allow_zero) return syntax(0, "message numbers start at 1, found 0");
    return n;
}

}  // namespace

Parsed<Command> parse_command(std::string_view line) {
    if (line.empty()) return syntax(0, "expected a command keyword, found an empty line");
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c < 0x20 || c >= 0x7F)
            return syntax(i, "expected printable ASCII (RFC 1939 §3), " + found(line, i));
    }
    std::size_t i = 0;
    while (i < line.size() && is_alpha(line[i])) ++i;
    if (i < 3 || i > 4 || (i < line.size() && line[i] != ' '))
        return syntax(i < 3 ? i : std::min<std::size_t>(i, 4),
                      "expected a 3 or 4 letter keyword followed by SP or end of line, found '" +
                          core::visible(line.substr(0, line.find(' '))) + "'");
    Command out;
    for (std::size_t k = 0; k < i; ++k)
        out.keyword += static_cast<char>(line[k] >= 'a' ? line[k] - 32 : line[k]);
    if (i == line.size()) return out;
    out.rest = std::string(line.substr(i + 1));
    std::size_t start = i + 1;
    for (;;) {
        const auto sp = line.find(' ', start);
        const auto end = sp == std::string_view::npos ? line.size() : sp;
        if (end == start)
            return syntax(start, "expected a parameter, found " +
                                     std::string(start < line.size() ? "SP" : "end of line"));
        out.params.emplace_back(line.substr(start, end - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
    return out;
}

Parsed<std::uint32_t> parse_message_number(std::string_view text) { return parse_number(text, false); }
Parsed<std::uint32_t> parse_line_count(std::string_view text) { return parse_number(text, true); }

}  // namespace mailspec::protocol::pop3
