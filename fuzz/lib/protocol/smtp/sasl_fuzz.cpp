// SASL for SMTP / POP3 / IMAP (RFC 4954 §4, RFC 4616 PLAIN) and strict base64 (RFC 4648 §4):
// one client response line decoded, its PLAIN message split, and encode/decode agreeing.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/smtp/base64.hpp"
#include "mailspec/protocol/smtp/sasl.hpp"

using namespace mailspec;
using namespace mailspec::protocol::smtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view text = fuzz::as_view(data, size);
    if (auto r = decode_sasl_response(text)) {
        if (!r->cancelled) {
            if (auto plain = decode_sasl_plain(r->data)) {
                FUZZ_CHECK(!plain->authcid.empty() && !plain->password.empty());
                FUZZ_CHECK(plain->authcid.size() <= 255 && plain->password.size() <= 255 &&
                           plain->authzid.size() <= 255);
            } else {
                FUZZ_CHECK(plain.error().offset <= r->data.size());
            }
        }
    } else {
        FUZZ_CHECK(r.error().offset <= text.size());
    }
    if (auto d = base64_decode(text)) {
        // Non-zero pad bits are accepted (RFC 4648 §3.5 lets decoders), so compare decoded bytes.
        auto again = base64_decode(base64_encode(d.value()));
        FUZZ_CHECK(again && again.value() == d.value());
    } else {
        FUZZ_CHECK(d.error().offset <= text.size());
    }
    const std::string encoded = base64_encode(text);
    auto back = base64_decode(encoded);
    FUZZ_CHECK(back && back.value() == text);
    if (auto plain = decode_sasl_plain(text); !plain) FUZZ_CHECK(plain.error().offset <= text.size());
    return 0;
}
