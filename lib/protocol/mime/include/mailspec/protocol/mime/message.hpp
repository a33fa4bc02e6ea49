#pragma once
// MIME structure of a message (RFC 2045, RFC 2046 §5): a tree of parts with byte offsets into the
// raw message so IMAP can cut BODY[section], HEADER, TEXT and MIME (RFC 3501 §6.4.5) from the bytes.
// Pure code over a string_view the caller keeps alive; offsets are absolute in that view.
//
// Degradation (RFC 2045 §5.2, RFC 3501 §6.4.5): a missing or unparsable Content-Type is
// text/plain; charset=us-ascii (message/rfc822 inside multipart/digest); a multipart without a
// boundary or without any body part, or nested deeper than `max_depth`, is treated as text/plain.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/protocol/mime/header.hpp"
#include "mailspec/protocol/mime/params.hpp"

namespace mailspec::protocol::mime {

struct Part {
    std::string type = "text";      // lower-cased
    std::string subtype = "plain";  // lower-cased
    std::vector<Param> params;      // Content-Type parameters
    std::optional<std::string> id, description, md5, location;
    std::string encoding = "7BIT";  // Content-Transfer-Encoding, upper-cased
    std::optional<ContentValue> disposition;
    std::vector<std::string> language;

    Header header;                  // this part's own header fields (offsets relative to begin)
    std::size_t begin = 0;          // first byte of the part's header
    std::size_t body_begin = 0;     // first byte of the body (after the blank line)
    std::size_t end = 0;            // one past the last body byte
    std::size_t body_lines = 0;     // lines in the body (RFC 3501 body-fld-lines)

    // multipart/*: the body parts. message/rfc822: exactly one child, the encapsulated message
    // (its begin == this part's body_begin). Otherwise empty.
    std::vector<Part> children;

    bool is_multipart() const { return type == "multipart"; }
    bool is_message_rfc822() const { return type == "message" && subtype == "rfc822"; }
    std::size_t body_size() const { return end - body_begin; }
};

struct ParseOptions {
    std::size_t max_depth = 32;
};

// Parses the whole message `raw` (header + body); the result is the root part.
Part parse_message(std::string_view raw, const ParseOptions& options = {});

// What a section specifier addresses (RFC 3501 §6.4.5).
enum class SectionText { none, header, header_fields, header_fields_not, text, mime };

// Resolves a part path ("1.2.3" → {1,2,3}, empty for the whole message) against the root.
// With `text` header/header_fields*/text the addressed node must be the message itself or a
// message/rfc822 part (its encapsulated message is used); with `mime` the path must be non-empty.
// Returns the byte range [first, second) in raw, or nullopt if the section does not exist
// (callers return an empty string per RFC 3501 practice). header_fields* are not cut here: the
// returned range is the whole header; use filter_header_fields() on it.
std::optional<std::pair<std::size_t, std::size_t>> section_range(const Part& root,
                                                                 const std::vector<unsigned>& path,
                                                                 SectionText text);

// Keeps (or with `exclude` drops) the fields named in `names` from a header section, in order, and
// appends the blank line (RFC 3501 §6.4.5 HEADER.FIELDS / HEADER.FIELDS.NOT).
std::string filter_header_fields(std::string_view header, const std::vector<std::string>& names,
                                 bool exclude);

}  // namespace mailspec::protocol::mime
