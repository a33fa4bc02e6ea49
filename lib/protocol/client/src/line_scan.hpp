#pragma once
// Internal helpers shared by the client framers: CRLF line scanning with limits, and error text.
// Every decision depends only on the bytes before and at the byte being judged, so a caller that
// appends bytes and calls again gets exactly the same result as a caller that had them all at once.
#include <cstddef>
#include <string>
#include <string_view>

#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::protocol::client::detail {

struct Line {
    std::size_t begin = 0;        // first content byte
    std::size_t content_end = 0;  // offset of the CR of the CRLF
    std::size_t next = 0;         // offset just after the LF
    std::string_view content(std::string_view buffered) const {
        return buffered.substr(begin, content_end - begin);
    }
};

// Scans one line starting at `begin` for its CRLF (RFC 5321 §2.3.8, RFC 1939 §3, RFC 3501 §2.2).
// Errors: a bare LF; a bare CR unless `allow_bare_cr`; more than limits.max_line content bytes;
// a line reaching past limits.max_response bytes from offset 0. `what` names the line in messages.
FrameStatus scan_line(std::string_view buffered, std::size_t begin, const FrameLimits& limits,
                      bool allow_bare_cr, const char* what, Line& line, FrameError& error);

// The byte at `offset` shown with core::visible, or "end of line" for CR / LF.
std::string show_byte(std::string_view buffered, std::size_t offset);

// The line from `begin` through the byte at `through` (at most its last 40 bytes), shown with
// core::visible, for error context. Bytes after `through` are never shown, so the text does not
// depend on how much more the caller had buffered.
std::string show_line(std::string_view buffered, std::size_t begin, std::size_t through);

FrameStatus fail(FrameError& error, std::size_t offset, std::string message);

}  // namespace mailspec::protocol::client::detail
