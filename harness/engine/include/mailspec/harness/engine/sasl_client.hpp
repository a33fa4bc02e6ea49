#pragma once
// The client side of the SASL mechanisms the conformance library uses, computed from a target
// user (docs/scenario-format.md, "Values"). Each function returns the base64 line the client
// sends, without CRLF; the protocol framing (SMTP 334, POP3 and IMAP "+") is the scenario's.
#include <optional>
#include <string>
#include <string_view>

namespace mailspec::harness::engine {

// RFC 4616 §2 PLAIN: base64([authzid] NUL authcid NUL passwd).
std::string sasl_plain_response(std::string_view login, std::string_view password, std::string_view authzid = {});

// RFC 2195 §2 CRAM-MD5: base64(login SP hex(HMAC-MD5(password, challenge))), where the challenge
// is the base64 text the server sent after "334 " / "+ " (decoded here, strictly, RFC 4648 §4).
// Returns nullopt with `error` set when the challenge is not base64.
std::optional<std::string> cram_md5_response(std::string_view login, std::string_view password,
                                             std::string_view challenge_base64, std::string& error);

// HMAC-MD5 (RFC 2104) of `data` under `key`, as 32 lower-case hex digits (OpenSSL).
std::string hmac_md5_hex(std::string_view key, std::string_view data);

}  // namespace mailspec::harness::engine
