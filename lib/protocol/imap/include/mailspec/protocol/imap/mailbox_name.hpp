#pragma once
// Mailbox names in modified UTF-7 (RFC 3501 §5.1.3): printable US-ASCII stands for itself except
// "&", written "&-"; other characters are UTF-16 in modified base64 ("," for "/") between "&" and
// "-". Pure conversions; strict validation as §5.1.3 requires (no 8-bit bytes, no encoded printable
// ASCII, no adjacent encoded runs, proper termination and padding bits).
#include <optional>
#include <string>
#include <string_view>

namespace mailspec::protocol::imap {

// Decodes a modified UTF-7 name to UTF-8; nullopt with `error` (byte offset + reason) if invalid.
std::optional<std::string> decode_mailbox_name(std::string_view mutf7, std::string& error);

// Encodes UTF-8 to modified UTF-7. Invalid UTF-8 bytes are encoded as U+FFFD.
std::string encode_mailbox_name(std::string_view utf8);

}  // namespace mailspec::protocol::imap
