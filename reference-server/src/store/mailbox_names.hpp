#pragma once
// Mailbox names (internal to the store): validation, canonical form and the Maildir++ folder
// directory each name lives in. See store.hpp for the rules.
#include <optional>
#include <string>
#include <string_view>

namespace mailspec::server::store_detail {

constexpr char kDelimiter = '/';  // IMAP hierarchy delimiter (RFC 3501 §5.1.1)

// The reason a name is not acceptable, or nullopt.
std::optional<std::string> invalid_name(std::string_view name);

// "inbox" -> "INBOX", "Inbox/x" -> "INBOX/x" (RFC 3501 §5.1: INBOX is case-insensitive);
// other names unchanged. The name must be valid.
std::string canonical_name(std::string_view name);

// The folder directory name below the user's Maildir: "" for INBOX, ".Sent", ".A.B" for "A/B";
// '.', '/' and '%' inside a component are written as %2E, %2F, %25.
std::string folder_directory(std::string_view canonical);

// The mailbox name for a folder directory (".A.B" -> "A/B"), or nullopt when the directory is not
// one this store writes.
std::optional<std::string> name_from_directory(std::string_view directory);

// The parent name ("A/B/C" -> "A/B"), or nullopt for a top-level name.
std::optional<std::string> parent_name(std::string_view canonical);

}  // namespace mailspec::server::store_detail
