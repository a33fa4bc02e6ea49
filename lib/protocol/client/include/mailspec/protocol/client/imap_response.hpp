#pragma once
// Framing of one IMAP response line, RFC 3501 §7 and §9 (formal syntax): a line ends at CRLF, except
// that a literal "{n}" CRLF (or "{n+}" / "~{n}") is followed by exactly n octets that belong to the
// same response; literal octets are counted, never scanned for CRLF.
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
