#pragma once
// The IMAP4rev1 session (RFC 3501) of mailspec-server: a state machine over the bytes the transport
// delivers; it does no I/O itself (Host::send / start_tls / close / post). Command handlers live in
// one file per command family (cmd_*.cpp) and are wired by the table in command_table.cpp.
//
// States (RFC 3501 §3) are a std::variant; handlers check first (no side effects), then act.
// Mailbox changes made by other sessions (and SMTP deliveries, POP3 deletions) arrive through the
// store's subscription and Host::post and are announced per RFC 3501 §5.2 / §7.4.1: EXISTS, RECENT
// and FETCH FLAGS with any command's completion or during IDLE, EXPUNGE never while answering
// FETCH, STORE or SEARCH (the UID forms may carry them, §7.4.1 note).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "context.hpp"
#include "mailspec/protocol/imap/command_parser.hpp"
#include "mailspec/protocol/imap/sequence_set.hpp"
#include "transport/session.hpp"

namespace mailspec::server::imap {

using protocol::imap::Arg;
using protocol::imap::Command;

// One message as this session numbers it (sequence number = index + 1).
struct ViewMessage {
    Uid uid = 0;
    Flags flags;
    bool recent = false;
    std::uint64_t size = 0;
    InternalDate internal_date;
};

// The store changes of one selected mailbox that its session has not taken yet, in the order the
// store made them (own changes and other sessions' alike, so UIDs arrive ascending and a message's
// flags arrive oldest first).
//
// Synchronisation: push() runs on whichever thread made the change (inside the store's ordered
// dispatch); take() runs on the session's strand. `mutex_` guards `changes_` and is a leaf lock:
// nothing else is locked while it is held. Shared by the view and its store callback.
class ChangeInbox {
public:
    void push(const MailboxChange& change);
    std::vector<MailboxChange> take();

private:
    std::mutex mutex_;
    std::vector<MailboxChange> changes_;
};

// The selected mailbox as this session sees it, plus changes not yet announced. Owned by the
// session and used on its strand only; other threads reach it through `inbox` alone.
struct MailboxView {
    std::string name;          // canonical store name ("INBOX", "Archive/2024")
    bool read_only = false;    // EXAMINE, RFC 3501 §6.3.2
    std::uint32_t uidvalidity = 0;
    Uid uidnext = 1;
    std::vector<ViewMessage> messages;
    Subscription subscription;
    // Changes taken from the inbox but not yet announced, in arrival order per kind.
    std::vector<MessageInfo> pending_appended;
    std::vector<Uid> pending_expunged;
    std::map<Uid, Flags> pending_flags;  // the newest flags of each changed message
    std::shared_ptr<ChangeInbox> inbox = std::make_shared<ChangeInbox>();

    // Index of the message with `uid`, or -1.
    long index_of(Uid uid) const;
};

struct NotAuthenticated {};
struct Authenticated {
    std::string user;
};
struct Selected {
    std::string user;
    std::unique_ptr<MailboxView> view;
};
struct LoggedOut {};
using State = std::variant<NotAuthenticated, Authenticated, Selected, LoggedOut>;

class ImapSession;
using Handler = void (*)(ImapSession& session, const Command& command, std::span<const Arg> args, bool uid);

// State masks for the command table.
enum StateMask : unsigned { kNotAuth = 1, kAuth = 2, kSelected = 4, kAny = 7 };

struct CommandSpec {
    const char* name;  // upper case; "UID FETCH" for UID forms
    unsigned states;
    Handler handler;
};
// The table (command_table.cpp); nullptr when the name is unknown.
const CommandSpec* find_command(std::string_view name);

class ImapSession final : public Session {
public:
    ImapSession(Host& host, const SessionContext& context);
    ~ImapSession() override;

    void on_open() override;
    void on_data(std::string_view bytes) override;
    void on_tls_ready() override;
    void on_idle_timeout() override;
    void on_closed() override;

    // ---- for command handlers ----
    Host& host() { return host_; }
    const SessionContext& context() const { return context_; }
    Store& store() { return context_.store; }
    const Faults& faults() const { return context_.faults; }
    State& state() { return state_; }
    // The logged-in user, or empty.
    const std::string& user() const;
    Selected* selected() { return std::get_if<Selected>(&state_); }
    // The store change origin of this session (its subscription id), or 0.
    ChangeOrigin origin() const;

    // Queues bytes for the client. Output is collected while input is processed and handed to the
    // Host in large writes (at the end of each callback, before STARTTLS and close, or every
    // kOutputChunk bytes) so that a FETCH of many messages is not thousands of tiny TLS records.
    void send(std::string bytes);
    void flush_output();
    // Flushes, then closes the connection.
    void close_connection();
    // Sends an untagged line ("* " + text + CRLF).
    void untagged(const std::string& text);
    // Completes the current command: announces pending updates (see the top), then sends the
    // tagged response. `code` without brackets may be empty.
    void complete(const Command& command, std::string_view status, std::string_view code,
                  std::string_view text);
    void ok(const Command& c, std::string_view text, std::string_view code = {}) { complete(c, "OK", code, text); }
    void no(const Command& c, std::string_view text, std::string_view code = {}) { complete(c, "NO", code, text); }
    void bad(const Command& c, std::string_view text, std::string_view code = {}) { complete(c, "BAD", code, text); }
    // Fault imap.wrong-status=CMD:STATUS: the status to use instead when completing `command`.
    // CMD is a command name (case-insensitive; "FETCH" also matches UID FETCH), "UID" for every
    // UID form, "UNKNOWN" for a command the server does not know, or "SYNTAX" for a command line
    // that does not parse (pass a Command named "SYNTAX"). nullopt: not faulted.
    std::optional<std::string> wrong_status_for(const Command& command) const;
    // NO with the RFC 5530 code that matches a store error.
    void store_failure(const Command& c, const StoreError& error, bool trycreate = false);

    std::string capabilities() const;
    bool tls_active() const { return tls_; }
    bool plaintext_login_allowed() const;

    // Mailbox name from an astring argument: modified UTF-7 and store rules checked, INBOX
    // canonicalised. On error returns nullopt and sets `error`.
    std::optional<std::string> mailbox_name(const Arg& arg, std::string& error) const;

    // Switches to Authenticated / Selected.
    void login_as(const std::string& user);
    void select(std::unique_ptr<MailboxView> view);
    void deselect();
    // SELECT / EXAMINE: the mailbox's snapshot and \Recent set, and a subscription that feeds
    // view.inbox from then on (Store::watch). The caller fills the view from the snapshot and
    // keeps the subscription in it.
    StoreResult<Store::Watch> watch_view(MailboxView& view, Store::RecentMode recent);

    // Takes the changes waiting in the view's inbox and announces every pending update now:
    // EXISTS/RECENT/FETCH always, EXPUNGE only if allowed.
    void flush_updates(bool allow_expunge);

    // Line modes for IDLE (RFC 2177) and AUTHENTICATE continuations (RFC 3501 §6.2.2).
    void begin_idle(const Command& command);
    void begin_authenticate(const Command& command, std::string mechanism);
    // STARTTLS accepted: drop pipelined bytes (RFC 2595 §3.1) unless faulted, then upgrade.
    void begin_starttls();
    // Sends BYE and closes.
    void logout();

    // Messages of the selected view addressed by a sequence set (UID or sequence numbers), as
    // indices. Sequence numbers beyond the mailbox are an error (nullopt + message).
    std::optional<std::vector<std::size_t>> resolve(const protocol::imap::SequenceSet& set, bool uid,
                                                    std::string& error) const;

    std::uint64_t select_count = 0;  // for the imap.uidvalidity-changes fault

private:
    void process();
    void handle_command(const Command& command);
    void handle_line_mode();
    // Moves the selected view's inbox into its pending changes (on the strand); during IDLE the
    // changes are announced at once (RFC 2177).
    void take_changes();
    // The inbox into the pending changes, in order; with announce_each, announce_pending() after
    // each one (IDLE).
    void drain_inbox(bool announce_each);
    void announce_pending(bool allow_expunge);  // flush_updates() without taking the inbox
    void record_change(const MailboxChange& change);
    bool expunge_allowed_for(const Command& command) const;

    Host& host_;
    const SessionContext& context_;
    State state_ = NotAuthenticated{};
    protocol::imap::CommandParser parser_;
    std::string buffer_;
    std::string out_;  // queued output, see send()
    static constexpr std::size_t kOutputChunk = 64 * 1024;
    bool tls_ = false;
    bool closed_ = false;
    bool tls_pending_ = false;
    unsigned errors_ = 0;
    std::uint64_t commands_ = 0;

    enum class Mode { command, idle, authenticate };
    Mode mode_ = Mode::command;
    Command line_command_;       // the IDLE / AUTHENTICATE command waiting for its line
    std::string line_mechanism_;
    bool in_command_ = false;
    bool current_allows_expunge_ = true;
};

}  // namespace mailspec::server::imap
