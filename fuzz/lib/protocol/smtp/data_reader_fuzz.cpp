// The DATA reader (RFC 5321 §4.1.1.4, §4.5.2): dot-unstuffing and the end of data, in arbitrary
// chunks, with each option set the server uses (the default, and the two deliberate faults
// no-dot-unstuffing and bare-lf-ends-data), with the production SIZE limit and a small one.
// Checks the smuggling defence: by default the data ends only on CRLF "." CRLF.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/smtp/data_reader.hpp"

using namespace mailspec;
using namespace mailspec::protocol::smtp;

namespace {
struct Run {
    bool complete = false;
    std::size_t consumed = 0;
    std::string content;
    bool too_large = false;
    std::uint64_t size = 0;
    bool bare = false;
    std::size_t longest = 0;
};

Run run(const std::vector<std::string_view>& chunks, std::size_t max_size, DataOptions options) {
    DataReader reader(max_size, options);
    Run r;
    for (std::string_view chunk : chunks) {
        const std::size_t n = reader.feed(chunk);
        FUZZ_CHECK(n <= chunk.size());
        r.consumed += n;
        if (reader.complete()) break;
        FUZZ_CHECK(n == chunk.size());
    }
    r.complete = reader.complete();
    r.content = reader.content();
    r.too_large = reader.too_large();
    r.size = reader.size();
    r.bare = reader.saw_bare_line_ending();
    r.longest = reader.longest_line();
    return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view input = fuzz::as_view(data, size);
    const std::vector<std::string_view> chunked = fuzz::chunks_of(input);
    const std::vector<std::string_view> whole{input};
    for (std::size_t max_size : {std::size_t{32} * 1024 * 1024, std::size_t{100}}) {
        for (DataOptions options : {DataOptions{}, DataOptions{false, false}, DataOptions{true, true}}) {
            const Run a = run(whole, max_size, options);
            const Run b = run(chunked, max_size, options);
            FUZZ_CHECK(a.complete == b.complete && a.consumed == b.consumed && a.content == b.content &&
                       a.too_large == b.too_large && a.size == b.size && a.bare == b.bare &&
                       a.longest == b.longest);
            FUZZ_CHECK(a.content.size() <= max_size);
            FUZZ_CHECK(a.size >= a.content.size());
            if (!a.too_large) FUZZ_CHECK(a.size == a.content.size());
            if (a.complete && !options.bare_lf_ends) {
                // Only CRLF "." CRLF ends the data (or "." CRLF as the very first line).
                const std::string_view eaten = input.substr(0, a.consumed);
                const bool first_line = eaten == ".\r\n";
                const bool crlf_dot = eaten.size() >= 5 && eaten.substr(eaten.size() - 5) == "\r\n.\r\n";
                FUZZ_CHECK(first_line || crlf_dot);
            }
            if (a.complete && options.unstuff == false && !options.bare_lf_ends && !a.too_large)
                FUZZ_CHECK(a.content.size() + 3 == a.consumed);  // nothing removed but ".\r\n"
        }
    }
    return 0;
}
