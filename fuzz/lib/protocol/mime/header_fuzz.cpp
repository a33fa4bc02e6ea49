// MIME / RFC 5322 header sections (§2.2 fields, §2.2.3 unfolding): fields and offsets within the
// input, lookups, and the RFC 2047 encoded-word decoder on every field value.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/mime/header.hpp"
#include "mailspec/protocol/mime/params.hpp"

using namespace mailspec;
using namespace mailspec::protocol::mime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view bytes = fuzz::as_view(data, size);
    const Header header = parse_header(bytes);
    FUZZ_CHECK(header.length <= bytes.size());
    std::size_t previous_end = 0;
    for (const HeaderField& f : header.fields) {
        FUZZ_CHECK(f.offset >= previous_end && f.offset + f.length <= header.length);
        previous_end = f.offset + f.length;
        FUZZ_CHECK(header.find(f.name) != nullptr);
        (void)decode_encoded_words(f.value);
        (void)icontains(f.value, "=?utf-8?");
        FUZZ_CHECK(iequals(to_lower(f.name), to_upper(f.name)));
    }
    (void)header.value("Subject");
    (void)decode_encoded_words(bytes);
    return 0;
}
