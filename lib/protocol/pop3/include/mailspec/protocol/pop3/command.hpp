#pragma once
// POP3 command lines (RFC 1939 §3, RFC 2449 §4): keyword *(SP param), terminator already removed.
// Keywords are 3 or 4 printable characters, case-insensitive; parameters are separated by one SP.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/protocol/smtp/parse_error.hpp"

namespace mailspec::protocol::pop3 {

using smtp::ParseError;
using smtp::ParseErrorKind;
using smtp::Parsed;

struct Command {
    std::string keyword;               // upper-cased, e.g. "RETR"
    std::vector<std::string> params;   // split at SP, empty parameters rejected
    std::string rest;                  // everything after "KEYWORD SP", unsplit (PASS may hold SP,
                                       // RFC 1939 §7 note on PASS)
};

// Errors: empty line, a keyword that is not 3-4 letters, a control or 8-bit byte, two SPs in a row
// or a trailing SP; each with the byte offset.
Parsed<Command> parse_command(std::string_view line);

// A message-number argument (RFC 1939 §5): 1*DIGIT, no sign, no leading "+", > 0, fits 32 bits.
Parsed<std::uint32_t> parse_message_number(std::string_view text);
// A non-negative line count for TOP (RFC 1939 §7).
Parsed<std::uint32_t> parse_line_count(std::string_view text);

}  // namespace mailspec::protocol::pop3
