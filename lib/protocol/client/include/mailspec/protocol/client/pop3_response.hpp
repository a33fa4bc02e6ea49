#pragma once
// Framing of POP3 responses, RFC 1939 §3: a status line "+OK ..." or "-ERR ...", optionally
// followed (for multi-line responses) by dot-stuffed lines ending with "." CRLF.
// SASL continuations (RFC 5034 §4) are "+ " lines and framed as status "+".
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::protocol::client {

struct Pop3Response {
    std::string status;              // "+OK", "-ERR" or "+" (continuation)
    std::string status_line;         // the whole first line without CRLF
    std::vector<std::string> body;   // multi-line body lines, dot-unstuffed, without CRLF and without the final "."
    std::string raw;                 // the exact bytes of the response
};

// Frames one response. When `multiline` is true and the status is +OK, the body up to the
// terminating "." line is part of the response; a -ERR status line is always single-line.
FrameStatus frame_pop3_response(std::string_view buffered, bool multiline, const FrameLimits& limits,
                                Pop3Response& out, std::size_t& consumed, FrameError& error);

}  // namespace mailspec::protocol::client
