// Content-Type / Content-Disposition values (RFC 2045 §5.1, RFC 2183) with RFC 2231 parameter
// continuations, charsets and %XX; RFC 2047 encoded words; the base64 and quoted-printable body
// decoders, and base64 encode/decode agreeing.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/mime/params.hpp"

using namespace mailspec;
using namespace mailspec::protocol::mime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view raw = fuzz::as_view(data, size);
    const ContentValue value = parse_content_value(raw);
    for (const Param& p : value.params) FUZZ_CHECK(value.param(p.name) != nullptr);
    (void)decode_encoded_words(raw);
    (void)decode_base64(raw);
    (void)decode_quoted_printable(raw);
    FUZZ_CHECK(decode_base64(encode_base64(raw)) == raw);
    return 0;
}
