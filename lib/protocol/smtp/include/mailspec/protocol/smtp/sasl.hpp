#pragma once
// SASL mechanisms shared by the SMTP (RFC 4954), POP3 (RFC 5034) and IMAP servers.
#include <string>
#include <string_view>

#include "mailspec/protocol/smtp/parse_error.hpp"

namespace mailspec::protocol::smtp {

// RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd, each part 1..255 octets
// (authzid may be empty) with no NUL inside.
struct PlainCredentials {
    std::string authzid;
    std::string authcid;
    std::string password;
};

// Decodes an already base64-decoded PLAIN message. Errors: wrong number of NULs, empty authcid or
// password, a part over 255 octets; the offset is into `message`.
Parsed<PlainCredentials> decode_sasl_plain(std::string_view message);

// LOGIN (draft-murchison-sasl-login): the server asks for the user name, then the password, each
// as a base64 challenge; the client answers each with one base64 line.
inline constexpr std::string_view login_username_challenge = "VXNlcm5hbWU6";  // "Username:"
inline constexpr std::string_view login_password_challenge = "UGFzc3dvcmQ6";  // "Password:"

// One client line of a SASL exchange (RFC 4954 §4, RFC 5034 §4): "*" cancels, "=" is an empty
// response, anything else must be strict base64.
struct SaslResponse {
    bool cancelled = false;
    std::string data;  // decoded bytes
};
Parsed<SaslResponse> decode_sasl_response(std::string_view line);

}  // namespace mailspec::protocol::smtp
