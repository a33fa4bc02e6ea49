#include "mailspec/harness/engine/sasl_client.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mailspec/protocol/smtp/base64.hpp"

namespace mailspec::harness::engine {

std::string sasl_plain_response(std::string_view login, std::string_view password, std::string_view authzid) {
    std::string message(authzid);
    message += '\0';
    message += login;
    message += '\0';
    message += password;
    return protocol::smtp::base64_encode(message);
}

std::string hmac_md5_hex(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &size);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::optional<std::string> cram_md5_response(std::string_view login, std::string_view password,
                                             std::string_view challenge_base64, std::string& error) {
    auto challenge = protocol::smtp::base64_decode(challenge_base64);
    if (!challenge) {
        error = "the CRAM-MD5 challenge is not base64 (RFC 2195 §2, RFC 4648 §4): " + challenge.error().message;
        return std::nullopt;
    }
    return protocol::smtp::base64_encode(std::string(login) + " " + hmac_md5_hex(password, challenge.value()));
}

}  // namespace mailspec::harness::engine
