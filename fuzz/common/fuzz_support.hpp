#pragma once
// Shared helpers of the libFuzzer targets (docs/fuzzing.md).
//
// Every target takes the fuzzer's bytes as protocol bytes, unchanged, so seeds are real protocol
// traffic and the dictionaries apply. Where an API is incremental, the chunk split points are
// derived from the input itself (a hash of the bytes seeds a small generator), so a crashing input
// reproduces with the same splits. Inputs over kMaxInput bytes are ignored (run.sh also passes
// -max_len=65536); the parsers' own limits are the production defaults.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::fuzz {

inline constexpr std::size_t kMaxInput = 64 * 1024;

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// FNV-1a over the input: the seed of the split generator.
inline std::uint64_t hash_bytes(std::string_view bytes) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    return h;
}

// Deterministic chunk sizes: mostly small (1..16 bytes, the byte-at-a-time paths), sometimes large.
class Splits {
public:
    explicit Splits(std::string_view input) : state_(hash_bytes(input) | 1) {}
    std::uint64_t next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return state_;
    }
    std::size_t chunk(std::size_t remaining) {
        const std::uint64_t r = next();
        std::size_t n = (r & 7) == 0 ? 1 + (r >> 8) % 4096 : 1 + (r >> 8) % 16;
        return n < remaining ? n : remaining;
    }
    bool bit() { return next() & 1; }

private:
    std::uint64_t state_;
};

// The input cut into chunks whose sizes come from Splits.
inline std::vector<std::string_view> chunks_of(std::string_view input) {
    Splits splits(input);
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < input.size()) {
        const std::size_t n = splits.chunk(input.size() - at);
        out.push_back(input.substr(at, n));
        at += n;
    }
    return out;
}

// An invariant of the code under test does not hold: report and abort, so libFuzzer keeps the input.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}

}  // namespace mailspec::fuzz

#define FUZZ_CHECK(cond) \
    do { \
        if (!(cond)) ::mailspec::fuzz::fail(#cond, __FILE__, __LINE__); \
    } while (0)
