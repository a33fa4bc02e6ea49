#pragma once
// ENVELOPE, BODY and BODYSTRUCTURE rendering (RFC 3501 §7.4.2) from a MIME tree. Pure.
#include <string>
#include <string_view>

#include "mailspec/protocol/mime/message.hpp"

namespace mailspec::protocol::imap {

// "(date subject from sender reply-to to cc bcc in-reply-to message-id)"; sender and reply-to
// default to from when absent (§7.4.2). Strings are the raw (unfolded) header values.
std::string render_envelope(const mime::Header& header);

// BODY (extension_data = false) or BODYSTRUCTURE (true) of `part`, whose offsets refer to `raw`.
// A message/rfc822 part carries the envelope, body structure and line count of its encapsulated
// message; text/* carries its line count.
std::string render_body_structure(const mime::Part& part, bool extension_data);

}  // namespace mailspec::protocol::imap
