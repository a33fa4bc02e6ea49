#pragma once
// SEARCH (RFC 3501 §6.4.4): parsing of search keys into a tree and evaluation against one message.
// Pure: the message is given as data (flags, dates, size, raw bytes).
//
// Matching contract: header, BODY and TEXT keys are ASCII case-insensitive substring matches;
// header values are RFC 2047-decoded first, body parts are Content-Transfer-Encoding-decoded
// (base64, quoted-printable) before matching. Dates compare the date only, per §6.4.4
// (INTERNALDATE in its own zone; SENT* on the Date header in its own zone).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/protocol/imap/command_parser.hpp"
#include "mailspec/protocol/imap/date_time.hpp"
#include "mailspec/protocol/imap/sequence_set.hpp"

namespace mailspec::protocol::imap {

struct SearchKey {
    enum class Op {
        all, and_, or_, not_, sequence, uid,
        flag, no_flag,            // ANSWERED ... / UNANSWERED ..., KEYWORD / UNKEYWORD (flag text)
        recent, no_recent, new_,  // RECENT, OLD, NEW (= RECENT UNSEEN)
        before, on, since, sent_before, sent_on, sent_since,
        larger, smaller,
        header, body, text,
    };
    Op op = Op::all;
    std::vector<SearchKey> children;  // and_ (any count), or_ (2), not_ (1)
    SequenceSet set;                  // sequence / uid
    std::string flag;                 // flag / no_flag, e.g. "\Seen" or a keyword
    std::string field;                // header field name (FROM, TO, CC, BCC, SUBJECT map here)
    std::string value;                // substring for header / body / text
    std::int64_t day = 0;             // days since epoch for date keys
    std::uint64_t size = 0;           // larger / smaller
};

struct SearchQuery {
    std::optional<std::string> charset;  // CHARSET argument, as given (upper-cased)
    SearchKey root;                      // an and_ of the top-level keys
};

// Parses `args` (everything after SEARCH / UID SEARCH). Errors name the offending key.
std::optional<SearchQuery> parse_search(const std::vector<Arg>& args, std::string& error);

struct SearchMessage {
    std::uint32_t sequence = 0;
    std::uint32_t uid = 0;
    std::vector<std::string> flags;  // system flags and keywords, e.g. "\Seen"
    bool recent = false;
    DateTime internal_date;
    std::uint64_t size = 0;
    std::string_view raw;            // the whole message
};

struct SearchContext {
    std::uint32_t largest_sequence = 0;  // "*" in sequence sets
    std::uint32_t largest_uid = 0;       // "*" in UID sets
};

// Evaluates the query against one message.
bool search_matches(const SearchKey& key, const SearchMessage& message, const SearchContext& context);

}  // namespace mailspec::protocol::imap
