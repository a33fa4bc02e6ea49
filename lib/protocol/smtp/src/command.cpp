#include "mailspec/protocol/smtp/command.hpp"

#include "grammar.hpp"

namespace mailspec::protocol::smtp {

Parsed<CommandLine> parse_command_line(std::string_view line) {
    constexpr std::size_t max_verb = 16;
    if (line.empty()) return ParseError{ParseErrorKind::syntax, 0, "expected a command verb, found an empty line"};
    std::size_t i = 0;
    while (i < line.size() && detail::is_alpha(static_cast<unsigned char>(line[i]))) ++i;
    if (i == 0 || (i < line.size() && line[i] != ' ')) {
        return ParseError{ParseErrorKind::syntax, i,
                          "expected a command verb of letters followed by SP or end of line, " +
                              detail::found_at(line, i)};
    }
    if (i > max_verb) return ParseError{ParseErrorKind::syntax, max_verb, "command verb longer than 16 letters"};
    CommandLine out;
    out.verb = detail::to_upper(line.substr(0, i));
    if (i < line.size()) out.arguments = std::string(line.substr(i + 1));
    return out;
}

}  // namespace mailspec::protocol::smtp
