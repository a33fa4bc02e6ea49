#pragma once
// POP3 responses (RFC 1939 §3, RFC 2449 §8 response codes) and multi-line bodies with
// byte-stuffing (RFC 1939 §3: a line starting with "." gets a second "."; the body ends with
// CRLF "." CRLF). Pure code over strings.
#include <cstdint>
#include <string>
#include <string_view>

namespace mailspec::protocol::pop3 {

// How responses are written; the defaults conform, the rest exists for deliberate faults.
struct ResponseStyle {
    std::string_view line_end = "\r\n";  // fault pop3.bare-lf writes "\n"
    bool dot_stuff = true;               // fault pop3.no-dot-stuffing sends lines unstuffed
};

// "+OK text" / "-ERR text" lines. `code` is an RFC 2449 §8 response code without brackets
// ("IN-USE", "AUTH", "SYS/TEMP"); it is written as "-ERR [CODE] text".
std::string ok(std::string_view text, const ResponseStyle& style = {});
std::string err(std::string_view text, const ResponseStyle& style = {});
std::string err(std::string_view code, std::string_view text, const ResponseStyle& style);

// The body of a multi-line response: `content` split into lines (CRLF, or a bare LF, which is
// written as CRLF), each starting with "." stuffed, a final CRLF added if missing, then ".CRLF".
std::string multiline_body(std::string_view content, const ResponseStyle& style = {});

// TOP (RFC 1939 §7): the header section, the empty line after it, and the first `lines` lines of
// the body. A message without an empty line is all header.
std::string top_of_message(std::string_view message, std::uint32_t lines);

}  // namespace mailspec::protocol::pop3
