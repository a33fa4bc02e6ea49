// RFC 3501 §9 sequence-set parsing and matching.
#include "mailspec/protocol/imap/sequence_set.hpp"

#include <algorithm>

namespace mailspec::protocol::imap {
namespace {

// Parses "*" or nz-number at text[pos]; 0 means "*".
bool parse_number(std::string_view text, std::size_t& pos, std::uint32_t& out, std::string& error) {
    if (pos < text.size() && text[pos] == '*') {
        ++pos;
        out = 0;
        return true;
    }
    std::size_t start = pos;
    std::uint64_t v = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        v = v * 10 + static_cast<unsigned>(text[pos] - '0');
        if (v > 0xFFFFFFFFULL) {
            error = "number too large at byte " + std::to_string(start) + " (max 4294967295)";
            return false;
        }
        ++pos;
    }
    if (pos == start) {
        error = "expected a number or '*' at byte " + std::to_string(start) + ", found " +
                (pos < text.size() ? "'" + std::string(1, text[pos]) + "'" : std::string("end of set"));
        return false;
    }
    if (v == 0) {
        error = "0 is not a valid message number at byte " + std::to_string(start) + " (RFC 3501 §9 nz-number)";
        return false;
    }
    out = static_cast<std::uint32_t>(v);
    return true;
}

}  // namespace

bool SequenceSet::contains(std::uint32_t number, std::uint32_t largest) const {
    for (const auto& r : ranges) {
        std::uint32_t a = r.first == 0 ? largest : r.first;
        std::uint32_t b = r.last == 0 ? largest : r.last;
        if (a == 0 || b == 0) continue;  // "*" in an empty mailbox
        if (a > b) std::swap(a, b);
        // RFC 3501 §6.4.8: for UID sets, a range that starts above "*" still contains "*"
        if (number >= a && number <= b) return true;
    }
    return false;
}

std::optional<SequenceSet> parse_sequence_set(std::string_view text, std::string& error) {
    SequenceSet set;
    std::size_t pos = 0;
    if (text.empty()) {
        error = "empty sequence set";
        return std::nullopt;
    }
    for (int guard = 0; guard < 1000000; ++guard) {
        SequenceRange r;
        if (!parse_number(text, pos, r.first, error)) return std::nullopt;
        r.last = r.first;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            if (!parse_number(text, pos, r.last, error)) return std::nullopt;
        }
        set.ranges.push_back(r);
        if (pos == text.size()) return set;
        if (text[pos] != ',') {
            error = "expected ',' or ':' at byte " + std::to_string(pos) + ", found '" +
                    std::string(1, text[pos]) + "'";
            return std::nullopt;
        }
        ++pos;
    }
    error = "sequence set too long";
    return std::nullopt;
}

bool looks_like_sequence_set(std::string_view text) {
    return !text.empty() && ((text[0] >= '0' && text[0] <= '9') || text[0] == '*');
}

std::string format_sequence_set(std::vector<std::uint32_t> numbers) {
    std::sort(numbers.begin(), numbers.end());
    std::string out;
    std::size_t i = 0;
    while (i < numbers.size()) {
        std::size_t j = i;
        while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(numbers[i]);
        if (j > i) out += ':' + std::to_string(numbers[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace mailspec::protocol::imap
