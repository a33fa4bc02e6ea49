#pragma once
// Escapes in <send-raw> / <send raw="..."> text: \r \n \t \\ \0 and \xNN (two hex digits).
// Any other backslash sequence is an error (so typos do not silently send a backslash).
#include <cstddef>
#include <string>
#include <string_view>

namespace mailspec::harness::engine {

struct EscapeError {
    std::size_t offset = 0;  // offset of the backslash in the input
    std::string message;
};

// Returns false and fills `error` on a bad sequence; `out` receives the decoded bytes.
bool decode_escapes(std::string_view text, std::string& out, EscapeError& error);

}  // namespace mailspec::harness::engine
