#pragma once
// SMTP command lines (RFC 5321 §4.1.1): a command verb, then optionally SP and arguments.
#include <string>
#include <string_view>

#include "mailspec/protocol/smtp/parse_error.hpp"

namespace mailspec::protocol::smtp {

struct CommandLine {
    std::string verb;       // upper-cased ASCII letters, e.g. "MAIL" (verbs are case-insensitive)
    std::string arguments;  // everything after the first SP, unchanged; empty if none
};

// Splits one command line (terminator already removed). The verb is 1..16 ASCII letters; it must be
// followed by SP or the end of the line. Errors: empty line, a non-letter in the verb (NUL, 8-bit
// bytes and controls included), with the offset of the first offending byte.
Parsed<CommandLine> parse_command_line(std::string_view line);

// Arguments that must be empty (QUIT, RSET, DATA, STARTTLS; RFC 5321 §4.1.1.5 etc.).
// Returns true when `arguments` is empty.
inline bool no_arguments(std::string_view arguments) { return arguments.empty(); }

}  // namespace mailspec::protocol::smtp
