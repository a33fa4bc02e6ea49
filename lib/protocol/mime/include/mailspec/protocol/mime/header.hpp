#pragma once
// RFC 5322 §2.2 header section parsing. Pure code over bytes: no I/O.
//
// Contract: parse_header() never fails. The header section ends at the first empty line (CRLF CRLF,
// bare LF tolerated); if there is none, the whole input is header and the body is empty. Folded
// lines (RFC 5322 §2.2.3) are unfolded by removing the CRLF only. A line that is neither a
// "name:" field nor a continuation ends the header section early: the body starts at that line
// (malformed input degrades, it never throws).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::mime {

struct HeaderField {
    std::string name;         // as written (case preserved), without the colon
    std::string value;        // unfolded value, leading whitespace removed, raw bytes otherwise
    std::size_t offset = 0;   // offset of the field's first byte in the parsed input
    std::size_t length = 0;   // bytes of the field including its final line break(s)
};

struct Header {
    std::vector<HeaderField> fields;
    std::size_t length = 0;   // bytes of the header section including the empty separator line
                              // (body starts at this offset)

    // First field with this name (ASCII case-insensitive), or nullptr.
    const HeaderField* find(std::string_view name) const;
    // Value of the first field with this name, or std::nullopt.
    std::optional<std::string> value(std::string_view name) const;
};

Header parse_header(std::string_view bytes);

// ASCII case-insensitive comparison and lowering, shared by MIME and IMAP code.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
// ASCII case-insensitive substring test (RFC 3501 §6.4.4 SEARCH matching).
bool icontains(std::string_view haystack, std::string_view needle);

}  // namespace mailspec::protocol::mime
