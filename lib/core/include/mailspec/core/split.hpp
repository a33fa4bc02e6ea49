#pragma once
// Splitting text into words.
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::core {

// The non-empty runs of `text` between octets that occur in `delimiters`, in order
// (split_any("a, b,,c", ", ") is {"a", "b", "c"}).
std::vector<std::string> split_any(std::string_view text, std::string_view delimiters);

}  // namespace mailspec::core
