#pragma once
// Helpers that render IMAP data items for responses (RFC 3501 §4 data formats, §9 grammar).
// Pure string building; the session decides when to send.
#include <optional>
#include <string>
#include <string_view>

namespace mailspec::protocol::imap {

// string: a quoted string when every byte is TEXT-CHAR without 8-bit (RFC 3501 §4.3) and the value
// is short; otherwise a synchronizing literal "{n}\r\n" + bytes (required for CR, LF, NUL, 8-bit).
std::string quote(std::string_view value);
// nstring: NIL for nullopt, else quote().
std::string nstring(const std::optional<std::string>& value);
// astring: the bare atom when the value is a valid atom (and not "NIL") without "[", else quote().
std::string astring(std::string_view value);
// A literal, always: "{n}\r\n" + bytes.
std::string literal(std::string_view value);

// Tagged / untagged status lines, CRLF included. `code` without brackets, may be empty.
std::string tagged(std::string_view tag, std::string_view status, std::string_view code,
                   std::string_view text);
std::string untagged(std::string_view status, std::string_view code, std::string_view text);

}  // namespace mailspec::protocol::imap
