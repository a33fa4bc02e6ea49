#pragma once
// RFC 3501 §9 sequence-set: ("*" / nz-number) [":" ("*" / nz-number)] *("," ...).
// "*" is kept symbolic and resolved against the mailbox's largest number when evaluated
// (RFC 3501 §6.4.8: "*" is the largest number in use; a range n:m equals m:n).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::imap {

struct SequenceRange {
    std::uint32_t first = 0;  // 0 stands for "*"
    std::uint32_t last = 0;   // 0 stands for "*"
};

struct SequenceSet {
    std::vector<SequenceRange> ranges;
    // True if `number` is in the set when "*" means `largest` (0 for an empty mailbox: "*" then
    // matches nothing).
    bool contains(std::uint32_t number, std::uint32_t largest) const;
};

// Parses a sequence set; on error returns nullopt and sets `error` (e.g. "0 is not a valid
// message number at byte 2").
std::optional<SequenceSet> parse_sequence_set(std::string_view text, std::string& error);

// True if the text looks like a sequence set (first byte digit or '*'), used by SEARCH.
bool looks_like_sequence_set(std::string_view text);

// Renders numbers (sorted ascending) compactly: "1:3,7,9:10" (used by COPYUID / APPENDUID).
std::string format_sequence_set(std::vector<std::uint32_t> numbers);

}  // namespace mailspec::protocol::imap
