#pragma once
// Framing of one IMAP response line, RFC 3501 §7 and §9 (formal syntax): a line ends at CRLF, except
// that a literal "{n}" CRLF (or "{n+}" / "~{n}") is followed by exactly n octets that belong to the
// same response; literal octets are counted, never scanned for CRLF.
// Any line ending in such an announcement is taken as one (also inside resp-text), as common client
// parsers do. A literal that would make the response exceed max_response is an error as soon as its
// announcement line is buffered, before any of its octets. Classification (RFC 3501 §7): "* " is
// untagged, "+" SP or "+" CRLF a continuation request, otherwise tag SP ("OK" / "NO" / "BAD"); the
// status keyword is matched case-insensitively and reported upper-case.
#include <string>
#include <string_view>

#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::protocol::client {

struct ImapResponseLine {
    enum class Kind { untagged, continuation, tagged };
    Kind kind = Kind::untagged;
    std::string tag;      // tagged only
    std::string status;   // "OK" / "NO" / "BAD" for tagged and for untagged status responses
                          // ("PREAUTH", "BYE" too); empty for other untagged data
    std::string text;     // the whole response without its final CRLF, literals included verbatim
    std::string raw;      // the exact bytes, final CRLF included
};

// Frames one response line (with any literals it carries) at the front of `buffered`.
FrameStatus frame_imap_response(std::string_view buffered, const FrameLimits& limits,
                                ImapResponseLine& out, std::size_t& consumed, FrameError& error);

}  // namespace mailspec::protocol::client
