#pragma once
// The outbound queue: mail accepted for recipients outside the local domains.
//
// mailspec-server delivers nothing to other hosts, but RFC 5321 §6.1 forbids losing a message once
// "250" was sent for it. So a message with remote recipients (authenticated submission, or the
// smtp.open-relay fault) is kept here, once per message, for all its remote recipients.
//
// On disk: a Maildir at <store root>/outbound/{tmp,new,cur} (a user called "outbound" keeps its mail
// in outbound/Maildir/, so the two never share a file).
// Each file in new/ is one queued message: the envelope recorded as header lines in front of the
// message as received (which already starts with the server's Received: line):
//     Return-Path: <sender>                  RFC 5321 §4.4 (the reverse-path; "<>" for the null path)
//     X-Mailspec-Envelope-To: <recipient>    one per distinct remote recipient, in RCPT order
//                                            (an "X-" trace field, RFC 5322 §3.6.8 optional-field)
// Durability is Store::append's rule: enqueue() writes the file in tmp/, fsyncs it, renames it into
// new/ and fsyncs new/ before returning, so a queued file is never seen half-written in new/ and a
// crash leaves at most an orphan in tmp/.
//
// Thread safety: enqueue() and list() may run concurrently from any thread (unique file names,
// atomic rename). The class holds only the directory path.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace mailspec::server {

struct QueuedMessage {
    std::string file;                     // file name inside outbound/new/
    std::string reverse_path;             // from Return-Path, "" for the null path
    std::vector<std::string> recipients;  // from X-Mailspec-Envelope-To, in file order
    std::string bytes;                    // the whole file, envelope headers included
};

class OutboundQueue {
public:
    static constexpr std::string_view return_path_field = "Return-Path";
    static constexpr std::string_view envelope_to_field = "X-Mailspec-Envelope-To";

    // `store_root` is the Store's root; the queue is <store_root>/outbound (created on first use).
    explicit OutboundQueue(const std::filesystem::path& store_root);

    const std::filesystem::path& directory() const { return dir_; }

    // The envelope header block for `reverse_path` ("" = "<>") and `recipients` (duplicates
    // dropped). Returns StoreErrc::invalid_name when an address is empty (a recipient) or contains
    // CR, LF or NUL, which would break the header (RFC 5322 §2.2).
    static StoreResult<std::string> envelope_header(std::string_view reverse_path,
                                                    const std::vector<std::string>& recipients);

    // Queues `message` for `recipients` (at least one) durably (see above); returns the file name in
    // new/. Errors: invalid_name (bad address, no recipient), io_error (message names the path and
    // the system error; nothing is left in new/).
    StoreResult<std::string> enqueue(std::string_view reverse_path, const std::vector<std::string>& recipients,
                                     std::string_view message);

    // Read-only view for tests and tools: every file in new/, sorted by file name, with its envelope
    // parsed back. A missing queue directory is an empty queue.
    StoreResult<std::vector<QueuedMessage>> list() const;
    // Names of files in tmp/ (deliveries in progress or orphans of a crash).
    StoreResult<std::vector<std::string>> list_in_progress() const;

private:
    std::filesystem::path dir_;
};

}  // namespace mailspec::server
