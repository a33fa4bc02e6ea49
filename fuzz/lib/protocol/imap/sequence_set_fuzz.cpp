// IMAP sequence sets (RFC 3501 §9 sequence-set, "*", ranges either way round): parsing, membership,
// and format_sequence_set agreeing with the set it formats.
#include <algorithm>

#include "common/fuzz_support.hpp"
#include "mailspec/protocol/imap/sequence_set.hpp"

using namespace mailspec;
using namespace mailspec::protocol::imap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view text = fuzz::as_view(data, size);
    std::string error;
    const bool looks = looks_like_sequence_set(text);
    auto set = parse_sequence_set(text, error);
    if (!set) {
        FUZZ_CHECK(!error.empty());
    } else {
        FUZZ_CHECK(!set->ranges.empty());
        (void)looks;
        const std::uint32_t largest = static_cast<std::uint32_t>(fuzz::hash_bytes(text) % 200);
        std::vector<std::uint32_t> members;
        for (std::uint32_t n = 1; n <= 200; ++n)
            if (set->contains(n, largest)) members.push_back(n);
        for (std::uint32_t n : {0u, 4294967295u, 2147483648u}) (void)set->contains(n, largest);
        if (!members.empty()) {
            std::vector<std::uint32_t> shuffled(members.rbegin(), members.rend());
            const std::string formatted = format_sequence_set(shuffled);
            std::string e2;
            auto back = parse_sequence_set(formatted, e2);
            FUZZ_CHECK(back.has_value());
            for (std::uint32_t n = 1; n <= 200; ++n)
                FUZZ_CHECK(back->contains(n, 0) == std::binary_search(members.begin(), members.end(), n));
        }
    }
    // format_sequence_set of numbers taken from the input, duplicates and disorder included.
    std::vector<std::uint32_t> numbers;
    for (std::size_t i = 0; i + 1 < size && numbers.size() < 512; i += 2)
        numbers.push_back(1 + (data[i] | (data[i + 1] << 8)));
    if (!numbers.empty()) {
        const std::string formatted = format_sequence_set(numbers);
        std::string e3;
        auto back = parse_sequence_set(formatted, e3);
        FUZZ_CHECK(back.has_value());
        for (std::uint32_t n : numbers) FUZZ_CHECK(back->contains(n, 0));
    }
    return 0;
}
