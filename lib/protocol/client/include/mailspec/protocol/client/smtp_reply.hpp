#pragma once
// Framing of SMTP replies, RFC 5321 §4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//                                                      Reply-code [ SP textstring ] CRLF
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::protocol::client {

struct SmtpReply {
    int code = 0;                    // three-digit reply code of the (last) line
    std::vector<std::string> lines;  // text after the code and its separator, one per line, no CRLF
    std::string raw;                 // the exact bytes of the reply, CRLFs included
};

// Frames one complete (possibly multi-line) reply at the front of `buffered`.
// Errors: a line that does not start with three digits and a separator, continuation lines whose
// code differs from the first line's, a bare LF line ending, a line over limits.max_line.
FrameStatus frame_smtp_reply(std::string_view buffered, const FrameLimits& limits, SmtpReply& out,
                             std::size_t& consumed, FrameError& error);

}  // namespace mailspec::protocol::client
