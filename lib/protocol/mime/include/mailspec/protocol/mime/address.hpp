#pragma once
// RFC 5322 §3.4 address lists, as needed for the IMAP ENVELOPE (RFC 3501 §7.4.2). Pure code.
//
// Groups are returned the way ENVELOPE encodes them: a start marker (mailbox = group name, host
// unset) followed by the members and an end marker (mailbox and host unset).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::mime {

struct Address {
    std::optional<std::string> name;      // display name, quotes removed, raw otherwise
    std::optional<std::string> route;     // obsolete source route "@a,@b"
    std::optional<std::string> mailbox;   // local part (or group name in a start marker)
    std::optional<std::string> host;      // domain; unset in group markers
};

// Never fails: an address without "@" keeps its text as mailbox with host unset; empty pieces are
// skipped. Returns an empty list for empty input.
std::vector<Address> parse_address_list(std::string_view raw);

}  // namespace mailspec::protocol::mime
