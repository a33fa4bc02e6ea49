#pragma once
// The one mail store behind SMTP, POP3 and IMAP.
//
// On disk it is Maildir (readable by other tools): <root>/<login>/Maildir/{cur,new,tmp} is INBOX and
// each other mailbox is a Maildir++ folder <root>/<login>/Maildir/.<Name> (hierarchy "A/B" is
// ".A.B"; '.', '%' and '/' inside a name component are written %2E %25 %2F). Beside the messages
// each mailbox keeps "mailspec-index" (UIDVALIDITY, UIDNEXT, first \Recent UID and, per message, UID,
// file, size, internal date, flags and keywords), replaced atomically (write, fsync, rename), plus an
// append-only "mailspec-index.log" of changes since, fsync'd before a call returns. Messages are
// never modified after delivery; flags live in the index.
//
// Thread safety: every method may be called from any thread. Each user's data has its own mutex, so
// sessions of different users never wait for each other.
//
// Durability (RFC 5321 §6.1: "250 OK" only once the message is safe): append() writes the message
// to tmp/, fsyncs it, renames it into new/ (or cur/ when it has flags), fsyncs the directory and
// the index log, and only then returns. A crash leaves at most an orphan file in tmp/, never a
// partial message in the mailbox.
//
// Mailbox names are the IMAP names as sent on the wire (modified UTF-7, RFC 3501 §5.1.3), with '/'
// as the hierarchy delimiter; "INBOX" is case-insensitive (§5.1). Names are validated: non-empty,
// printable 7-bit, no empty, "." or ".." component, no leading or trailing '/', no '*' or '%'.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "config/server_config.hpp"

namespace mailspec::server {

using Uid = std::uint32_t;

// ---- errors as values ----------------------------------------------------------------------

enum class StoreErrc {
    no_such_user,
    no_such_mailbox,     // IMAP: NO [NONEXISTENT] / [TRYCREATE] (RFC 5530, RFC 3501 §6.3.11)
    mailbox_exists,      // NO [ALREADYEXISTS]
    invalid_name,        // NO [CANNOT]: bad characters or escaping the store
    not_permitted,       // e.g. DELETE INBOX (RFC 3501 §6.3.4), SELECT of a \Noselect name
    has_children,        // DELETE of a \Noselect name that still has inferiors (RFC 3501 §6.3.4)
    no_such_message,     // the UID is not (or no longer) in the mailbox
    io_error,            // the file system failed; message has the path and errno text
};
std::string_view to_string(StoreErrc code);

struct StoreError {
    StoreErrc code;
    std::string message;  // human readable, names the mailbox / uid / path concerned
};

// A value or a StoreError. value() on an error throws std::logic_error (a caller bug).
template <class T>
class [[nodiscard]] StoreResult {
public:
    StoreResult(T value) : data_(std::move(value)) {}
    StoreResult(StoreError error) : data_(std::move(error)) {}
    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { check(); return std::get<0>(data_); }
    const T& value() const { check(); return std::get<0>(data_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const StoreError& error() const { return std::get<1>(data_); }

private:
    void check() const;
    std::variant<T, StoreError> data_;
};

struct Done {};  // the value of a successful operation that returns nothing
using StoreStatus = StoreResult<Done>;

// ---- flags ---------------------------------------------------------------------------------

// Message flags (RFC 3501 §2.3.2). System flags are a bit set; keywords are atoms kept as first
// given and compared case-insensitively. \Recent is not a stored flag (see claim_recent()).
struct Flags {
    enum System : unsigned { seen = 1, answered = 2, flagged = 4, deleted = 8, draft = 16 };
    unsigned system = 0;
    std::vector<std::string> keywords;  // no duplicates (case-insensitive), in insertion order

    bool has(System flag) const { return (system & flag) != 0; }
    // Adds "\Seen", "\answered" (system flags are case-insensitive) or a keyword atom. Returns
    // false (and changes nothing) for "\Recent", unknown "\X" names or a name that is not an atom.
    bool add(std::string_view name);
    void remove(std::string_view name);
    bool contains(std::string_view name) const;
    void add_all(const Flags& other);
    void remove_all(const Flags& other);
    // "\Seen \Answered ..." in the fixed order Seen, Answered, Flagged, Deleted, Draft, then keywords.
    std::vector<std::string> names() const;
    bool operator==(const Flags& other) const;
};

// ---- data returned by the store ------------------------------------------------------------

struct InternalDate {
    std::chrono::sys_seconds time{};  // UTC instant
    int zone_minutes = 0;             // zone the date was given in, e.g. +0200 = 120 (RFC 3501 §2.3.3)
};

struct MessageInfo {
    Uid uid = 0;
    std::uint64_t size = 0;  // octets as stored (RFC822.SIZE, POP3 LIST octets)
    Flags flags;
    InternalDate internal_date;
};

struct MailboxSnapshot {
    std::uint32_t uidvalidity = 0;
    Uid uidnext = 1;
    std::vector<MessageInfo> messages;  // ascending UID (sequence number = index + 1)
};

struct MailboxStatus {  // RFC 3501 §6.3.10
    std::uint32_t messages = 0;
    std::uint32_t recent = 0;
    Uid uidnext = 1;
    std::uint32_t uidvalidity = 0;
    std::uint32_t unseen = 0;  // messages without \Seen
};

struct MailboxInfo {
    std::string name;                     // "INBOX", "Sent", "Archive/2024"
    std::vector<std::string> attributes;  // "\HasChildren"/"\HasNoChildren" (RFC 3348),
                                          // "\Noselect", special use "\Sent" (RFC 6154)
    bool subscribed = false;
};

struct AppendResult {  // APPENDUID (RFC 4315 §3)
    std::uint32_t uidvalidity = 0;
    Uid uid = 0;
};

struct CopyResult {  // COPYUID (RFC 4315 §3): source uid -> new uid, in source order
    std::uint32_t uidvalidity = 0;
    std::vector<std::pair<Uid, Uid>> uids;
};

struct FlagChange {
    Uid uid = 0;
    Flags flags;           // the flags after the change
    bool changed = true;   // false: store_flags() left them as they were
};

enum class FlagOp { replace, add, remove };  // STORE FLAGS / +FLAGS / -FLAGS (RFC 3501 §6.4.6)

// ---- change notification -------------------------------------------------------------------

// Who caused a change: the Subscription::id() of the acting session, or 0 (SMTP delivery, POP3).
using ChangeOrigin = std::uint64_t;

struct MailboxChange {
    enum class Kind {
        appended,  // `appended` holds the new messages (ascending UID)
        expunged,  // `uids` were removed
        flags,     // `flags` holds the new flags of changed messages
        gone,      // the mailbox was deleted or renamed; the subscription receives nothing more
    };
    Kind kind = Kind::appended;
    ChangeOrigin origin = 0;
    std::vector<MessageInfo> appended;
    std::vector<Uid> uids;
    std::vector<FlagChange> flags;
};

// Called after the change is durable, in the order changes were made, on the thread of whichever
// call made the change durable -- not necessarily the one that asked for it: concurrent appends to
// one mailbox are committed (and notified) together by the first of them, so a subscriber's own
// change may be reported on another session's thread while that subscriber runs. The callback
// must therefore not touch its session's state, call the Store or block: it hands the change
// to a thread-safe queue of its own and Host::post()s a wake-up into its strand.
using ChangeCallback = std::function<void(const MailboxChange&)>;

// Keeps a callback registered; destroying it unregisters. After the destructor returns the callback
// is not running and will not run again (do not destroy it from inside its own callback).
// Move-only.
class Subscription {
public:
    Subscription() = default;
    Subscription(ChangeOrigin id, std::shared_ptr<void> registration)
        : registration_(std::move(registration)), id_(id) {}
    Subscription(Subscription&&) noexcept = default;
    Subscription& operator=(Subscription&&) noexcept = default;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ChangeOrigin id() const { return id_; }
    explicit operator bool() const { return registration_ != nullptr; }

private:
    std::shared_ptr<void> registration_;  // its deleter unregisters
    ChangeOrigin id_ = 0;
};

// Exclusive POP3 maildrop lock (RFC 1939 §8, RFC 2449 §8.1.2 [IN-USE]); released on destruction.
// Move-only.
class MaildropLock {
public:
    explicit MaildropLock(std::shared_ptr<void> holder) : holder_(std::move(holder)) {}
    MaildropLock(MaildropLock&&) noexcept = default;
    MaildropLock& operator=(MaildropLock&&) noexcept = default;
    MaildropLock(const MaildropLock&) = delete;
    MaildropLock& operator=(const MaildropLock&) = delete;

private:
    std::shared_ptr<void> holder_;  // its deleter releases the lock
};

// ---- the store -----------------------------------------------------------------------------

class Store {
public:
    // `root` is created if missing. `users` are the accounts the store knows (logins must be
    // valid directory names: [A-Za-z0-9._-], not starting with '.'); ensure_user() is called for
    // each. Throws std::runtime_error naming the path if the root cannot be created.
    Store(std::filesystem::path root, std::vector<UserConfig> users);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    const std::filesystem::path& root() const;

    // Creates the user's Maildir with INBOX and the special-use mailboxes Sent, Drafts, Trash, Junk
    // (RFC 6154) if missing, and subscribes to them. Idempotent.
    StoreStatus ensure_user(const std::string& login);

    // The login if the credentials match a configured user (constant-time comparison), else nullopt.
    std::optional<std::string> authenticate(std::string_view login, std::string_view password) const;
    // The login owning `address` (case-insensitive), or nullopt.
    std::optional<std::string> find_local_user(std::string_view address) const;
    bool has_user(std::string_view login) const;

    // Mailbox name rules (see the top of this file). Returns the reason when invalid.
    static std::optional<std::string> invalid_mailbox_name(std::string_view name);

    // -- messages --
    // Stores `bytes` as a new message (durably, see above) and notifies subscribers.
    StoreResult<AppendResult> append(const std::string& user, std::string_view mailbox,
                                     std::string_view bytes, const Flags& flags = {},
                                     std::optional<InternalDate> internal_date = std::nullopt,
                                     ChangeOrigin origin = 0);
    StoreResult<MailboxSnapshot> list_messages(const std::string& user, std::string_view mailbox);
    StoreResult<std::string> read_message(const std::string& user, std::string_view mailbox, Uid uid);
    // Changes flags of those `uids` that exist (others are skipped). Returns, for every one that
    // exists, its flags now (`changed` tells whether this call changed them), so a session can
    // show current flags even where another session set them first (RFC 3501 §6.4.6); notifies
    // subscribers with the changed ones only.
    StoreResult<std::vector<FlagChange>> store_flags(const std::string& user, std::string_view mailbox,
                                                     std::span<const Uid> uids, FlagOp op,
                                                     const Flags& flags, ChangeOrigin origin = 0);
    // Removes the given uids (those that exist); returns the removed ones, ascending.
    StoreResult<std::vector<Uid>> expunge(const std::string& user, std::string_view mailbox,
                                          std::span<const Uid> uids, ChangeOrigin origin = 0);
    // Removes messages that carry \Deleted now, all of them or only those in `only` (UID EXPUNGE,
    // RFC 4315 §2.1). Checked and removed under one lock. Returns the removed uids, ascending.
    StoreResult<std::vector<Uid>> expunge_deleted(const std::string& user, std::string_view mailbox,
                                                  std::optional<std::vector<Uid>> only = std::nullopt,
                                                  ChangeOrigin origin = 0);
    // COPY (RFC 3501 §6.4.7): copies flags and internal date; the copies are \Recent in `to`.
    StoreResult<CopyResult> copy(const std::string& user, std::string_view from,
                                 std::span<const Uid> uids, std::string_view to,
                                 ChangeOrigin origin = 0);
    // MOVE (RFC 6851): copy, then expunge from `from` (subscribers of `from` see an expunge).
    StoreResult<CopyResult> move(const std::string& user, std::string_view from,
                                 std::span<const Uid> uids, std::string_view to,
                                 ChangeOrigin origin = 0);

    // \Recent (RFC 3501 §2.3.2): a message is recent for the first session that selects the mailbox
    // (read-write) after it arrived. claim_recent() returns the uids recent for the caller and
    // clears them for everyone else; peek_recent() only looks (EXAMINE, STATUS).
    StoreResult<std::vector<Uid>> claim_recent(const std::string& user, std::string_view mailbox);
    StoreResult<std::vector<Uid>> peek_recent(const std::string& user, std::string_view mailbox);

    // -- mailboxes --
    // CREATE (RFC 3501 §6.3.3): superior names are created as needed.
    StoreStatus create_mailbox(const std::string& user, std::string_view name);
    // DELETE (RFC 3501 §6.3.4): INBOX is not permitted; a name with inferiors keeps them, loses its
    // messages and becomes \Noselect; a \Noselect name with inferiors is has_children.
    StoreStatus delete_mailbox(const std::string& user, std::string_view name);
    // RENAME (RFC 3501 §6.3.5) renames inferiors too. Renaming INBOX moves all its messages to a new
    // mailbox `to` and leaves INBOX empty. Subscribers of renamed mailboxes get Kind::gone.
    StoreStatus rename_mailbox(const std::string& user, std::string_view from, std::string_view to);
    // Every mailbox (including \Noselect placeholders), INBOX first, then by name; LIST/LSUB
    // pattern matching is the IMAP session's job.
    StoreResult<std::vector<MailboxInfo>> list_mailboxes(const std::string& user);
    StoreResult<MailboxStatus> status(const std::string& user, std::string_view mailbox);
    bool mailbox_exists(const std::string& user, std::string_view mailbox);

    // Subscriptions (RFC 3501 §6.3.6/§6.3.7), persisted; a name need not exist to be subscribed.
    StoreStatus subscribe_mailbox(const std::string& user, std::string_view name);
    StoreStatus unsubscribe_mailbox(const std::string& user, std::string_view name);
    StoreResult<std::vector<std::string>> list_subscribed(const std::string& user);

    // -- sessions --
    std::optional<MaildropLock> try_lock_maildrop(const std::string& user);
    // Registers `callback` for changes of user's mailbox (INBOX case-insensitive). The subscription
    // id is unique in the process and never 0; pass it as `origin` to tell own changes apart.
    StoreResult<Subscription> subscribe(const std::string& user, std::string_view mailbox,
                                        ChangeCallback callback);
    // SELECT / EXAMINE (RFC 3501 §6.3.1, §6.3.2): subscribe() plus the mailbox's snapshot and
    // \Recent set (claimed, or only looked at) under one hold of the user's lock, so the snapshot
    // and the changes the callback then receives are the mailbox's whole history: no change falls
    // between them, none is in both.
    enum class RecentMode { peek, claim };
    struct Watch {
        MailboxSnapshot snapshot;
        std::vector<Uid> recent;  // \Recent for this session (claim) or for anyone (peek)
        Subscription subscription;
    };
    StoreResult<Watch> watch(const std::string& user, std::string_view mailbox, RecentMode recent,
                             ChangeCallback callback);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

template <class T>
void StoreResult<T>::check() const {
    if (!ok()) throw std::logic_error("StoreResult::value() on error: " + std::get<1>(data_).message);
}

}  // namespace mailspec::server
