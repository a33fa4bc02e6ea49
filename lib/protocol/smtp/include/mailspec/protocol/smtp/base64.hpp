#pragma once
// Base64 (RFC 4648 §4) for SASL exchanges. Decoding is strict as RFC 4954 §4 requires: any byte
// outside the alphabet, a length that is not a multiple of 4, or "=" anywhere but the end is an
// error (with the offset of the offending byte).
#include <string>
#include <string_view>

#include "mailspec/protocol/smtp/parse_error.hpp"

namespace mailspec::protocol::smtp {

std::string base64_encode(std::string_view bytes);
Parsed<std::string> base64_decode(std::string_view text);

}  // namespace mailspec::protocol::smtp
