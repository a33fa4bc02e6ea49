#pragma once
// Test helper: every way of cutting `input` in two (and byte-at-a-time), so each parser test also
// runs with its input split at every byte.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::test {

// Chunkings of `input`: whole, each two-piece split, and one byte at a time.
inline std::vector<std::vector<std::string>> chunkings(std::string_view input) {
    std::vector<std::vector<std::string>> out;
    out.push_back({std::string(input)});
    for (std::size_t cut = 1; cut < input.size(); ++cut)
        out.push_back({std::string(input.substr(0, cut)), std::string(input.substr(cut))});
    std::vector<std::string> bytes;
    for (char c : input) bytes.emplace_back(1, c);
    out.push_back(bytes);
    return out;
}

inline std::string describe(const std::vector<std::string>& chunks) {
    std::string out = "chunks:";
    for (const auto& c : chunks) out += " " + std::to_string(c.size());
    return out;
}

}  // namespace mailspec::test
