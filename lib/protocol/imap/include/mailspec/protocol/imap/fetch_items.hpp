#pragma once
// FETCH data items (RFC 3501 §6.4.5): the macros ALL / FAST / FULL, the simple items, and
// BODY[section]<partial> / BODY.PEEK[...] with section-spec per §9. Pure parsing of the
// already-tokenised arguments.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mailspec/protocol/imap/command_parser.hpp"
#include "mailspec/protocol/mime/message.hpp"

namespace mailspec::protocol::imap {

struct FetchItem {
    enum class Kind {
        flags, internaldate, rfc822_size, envelope, body, bodystructure, uid,
        rfc822, rfc822_header, rfc822_text, body_section,
    };
    Kind kind = Kind::flags;
    // body_section only:
    bool peek = false;
    std::vector<unsigned> path;                 // "1.2" → {1, 2}
    mime::SectionText text = mime::SectionText::none;
    std::vector<std::string> fields;            // HEADER.FIELDS[.NOT] names, as given
    std::optional<std::uint32_t> partial_origin;
    std::uint32_t partial_count = 0;
    std::string section;                        // the section spec as echoed in the response:
                                                // upper-cased keywords, field names as given

    // True if fetching this item sets \Seen (RFC 3501 §6.4.5: BODY[...], RFC822, RFC822.TEXT).
    bool sets_seen() const;
    // The item name as it appears in the FETCH response: "BODY[1.MIME]<0>", "RFC822.SIZE" ...
    std::string response_name() const;
};

// Parses the FETCH attribute argument (one atom or a parenthesised list). On error returns
// nullopt and sets `error` naming the offending item and what was expected.
std::optional<std::vector<FetchItem>> parse_fetch_items(const Arg& arg, std::string& error);

}  // namespace mailspec::protocol::imap
