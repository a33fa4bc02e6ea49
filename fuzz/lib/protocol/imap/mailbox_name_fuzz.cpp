// Modified UTF-7 mailbox names (RFC 3501 §5.1.3): decoding, and encode/decode agreeing both ways.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/imap/mailbox_name.hpp"

using namespace mailspec;
using namespace mailspec::protocol::imap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view text = fuzz::as_view(data, size);
    std::string error;
    if (auto utf8 = decode_mailbox_name(text, error)) {
        // The encoding is canonical: a name that decodes is what encoding its UTF-8 gives.
        const std::string encoded = encode_mailbox_name(*utf8);
        std::string e2;
        auto again = decode_mailbox_name(encoded, e2);
        FUZZ_CHECK(again.has_value() && *again == *utf8);
    } else {
        FUZZ_CHECK(!error.empty());
    }
    // Whatever the input, its encoding is valid modified UTF-7.
    const std::string encoded = encode_mailbox_name(text);
    std::string e3;
    FUZZ_CHECK(decode_mailbox_name(encoded, e3).has_value());
    return 0;
}
