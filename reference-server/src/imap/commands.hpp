#pragma once
// Command handlers, one file per family. Each checks its arguments and state first (no side
// effects), then acts, and completes the command with exactly one tagged response.
#include "imap/imap_session.hpp"

namespace mailspec::server::imap {

#define MAILSPEC_IMAP_HANDLER(fn) void fn(ImapSession& s, const Command& c, std::span<const Arg> args, bool uid)

// cmd_any_state.cpp: RFC 3501 §6.1, RFC 2971
MAILSPEC_IMAP_HANDLER(cmd_capability);
MAILSPEC_IMAP_HANDLER(cmd_noop);
MAILSPEC_IMAP_HANDLER(cmd_logout);
MAILSPEC_IMAP_HANDLER(cmd_id);
// cmd_auth.cpp: RFC 3501 §6.2, RFC 4959, RFC 4616
MAILSPEC_IMAP_HANDLER(cmd_starttls);
MAILSPEC_IMAP_HANDLER(cmd_login);
MAILSPEC_IMAP_HANDLER(cmd_authenticate);
// The SASL response (continuation line or SASL-IR argument) for AUTHENTICATE.
void finish_authenticate(ImapSession& s, const Command& c, const std::string& mechanism, const std::string& response);
// cmd_select.cpp: RFC 3501 §6.3.1-2, §6.4.2, RFC 3691
MAILSPEC_IMAP_HANDLER(cmd_select);
MAILSPEC_IMAP_HANDLER(cmd_examine);
MAILSPEC_IMAP_HANDLER(cmd_close);
MAILSPEC_IMAP_HANDLER(cmd_unselect);
MAILSPEC_IMAP_HANDLER(cmd_check);
// cmd_mailboxes.cpp: RFC 3501 §6.3.3-8, RFC 2342, RFC 5161
MAILSPEC_IMAP_HANDLER(cmd_create);
MAILSPEC_IMAP_HANDLER(cmd_delete);
MAILSPEC_IMAP_HANDLER(cmd_rename);
MAILSPEC_IMAP_HANDLER(cmd_subscribe);
MAILSPEC_IMAP_HANDLER(cmd_unsubscribe);
MAILSPEC_IMAP_HANDLER(cmd_namespace);
MAILSPEC_IMAP_HANDLER(cmd_enable);
// cmd_list.cpp: RFC 3501 §6.3.8-10, RFC 3348, RFC 6154
MAILSPEC_IMAP_HANDLER(cmd_list);
MAILSPEC_IMAP_HANDLER(cmd_lsub);
MAILSPEC_IMAP_HANDLER(cmd_status);
// LIST wildcard matching: '*' anything, '%' anything but '/'.
bool list_match(std::string_view pattern, std::string_view name);
// cmd_append.cpp: RFC 3501 §6.3.11, RFC 4315
MAILSPEC_IMAP_HANDLER(cmd_append);
// cmd_expunge.cpp: RFC 3501 §6.4.3, RFC 4315 §2.1
MAILSPEC_IMAP_HANDLER(cmd_expunge);
// cmd_fetch.cpp: RFC 3501 §6.4.5
MAILSPEC_IMAP_HANDLER(cmd_fetch);
// cmd_store.cpp: RFC 3501 §6.4.6
MAILSPEC_IMAP_HANDLER(cmd_store);
// cmd_search.cpp: RFC 3501 §6.4.4
MAILSPEC_IMAP_HANDLER(cmd_search);
// cmd_copy_move.cpp: RFC 3501 §6.4.7, RFC 6851, RFC 4315
MAILSPEC_IMAP_HANDLER(cmd_copy);
MAILSPEC_IMAP_HANDLER(cmd_move);
// cmd_idle.cpp: RFC 2177
MAILSPEC_IMAP_HANDLER(cmd_idle);

// Shared argument helpers (cmd_helpers.cpp).
// Parses a flag list "(\Seen $Label)" or bare flag atoms; nullopt + error on \Recent or bad names.
std::optional<Flags> parse_flags(std::span<const Arg> args, std::string& error);
// "(\Seen \Answered)" with \Recent appended when `recent`.
std::string render_flags(const Flags& flags, bool recent);
// Sequence set argument; nullopt + error.
std::optional<protocol::imap::SequenceSet> sequence_arg(const Arg& arg, std::string& error);
// UIDs of the given view indices.
std::vector<Uid> uids_of(const MailboxView& view, const std::vector<std::size_t>& indices);
// Sends "* seq EXPUNGE" for each uid (descending sequence order) and removes them from the view.
void announce_own_expunges(ImapSession& s, MailboxView& view, const std::vector<Uid>& uids);

}  // namespace mailspec::server::imap
