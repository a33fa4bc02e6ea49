// Private to the store: the per-user state and Store::Impl shared by store.cpp (construction,
// users, sessions), store_messages.cpp and store_mailboxes.cpp. Not part of the public API
// (see store.hpp for the contracts).
#pragma once

#include "store/store.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <unistd.h>

#include "store/mailbox_index.hpp"
#include "store/mailbox_names.hpp"
#include "store/maildir_files.hpp"

namespace mailspec::server {

namespace store_detail {

inline constexpr const char* kNoselectMarker = "mailspec-noselect";
inline constexpr const char* kSubscriptions = "subscriptions";
inline constexpr const char* kUidvalidityFile = "mailspec-uidvalidity";

struct SpecialUse {
    const char* name;
    const char* attribute;
};
inline constexpr SpecialUse kSpecialUse[] = {
    {"Sent", "\\Sent"}, {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"}, {"Junk", "\\Junk"}};

inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

inline StoreError make_error(StoreErrc code, std::string message) { return {code, std::move(message)}; }

// Maildir info letters (cr.yp.to/proto/maildir.html): D F R S T in ASCII order.
inline std::string info_letters(const Flags& flags) {
    std::string out;
    if (flags.has(Flags::draft)) out += 'D';
    if (flags.has(Flags::flagged)) out += 'F';
    if (flags.has(Flags::answered)) out += 'R';
    if (flags.has(Flags::seen)) out += 'S';
    if (flags.has(Flags::deleted)) out += 'T';
    return out;
}

inline std::string relative_file(const std::string& unique, const Flags& flags) {
    auto letters = info_letters(flags);
    if (letters.empty()) return "new/" + unique;
    return "cur/" + unique + ":2," + letters;
}

inline MessageInfo info_of(const IndexEntry& entry) {
    MessageInfo info;
    info.uid = entry.uid;
    info.size = entry.size;
    info.flags = entry.flags;
    info.internal_date.time = std::chrono::sys_seconds(std::chrono::seconds(entry.time));
    info.internal_date.zone_minutes = entry.zone;
    return info;
}

struct Subscriber {
    ChangeOrigin id = 0;
    std::string mailbox;  // canonical
    ChangeCallback callback;
    bool active = true;  // guarded by the user's notify mutex
};

struct Pending {
    std::vector<std::shared_ptr<Subscriber>> targets;
    MailboxChange change;
};

// Appends waiting for their directory fsync and index record (see Store::append).
struct GroupCommit {
    struct Request {
        IndexEntry entry;
        ChangeOrigin origin = 0;
        fs::path dir;         // the mailbox directory when the file was written
        fs::path final_path;  // the message file in new/ or cur/
        bool done = false;
        std::optional<StoreError> error;
        AppendResult result;
    };
    std::vector<Request*> waiting;
    bool leader_active = false;
};

struct UserState {
    std::string login;
    fs::path maildir;
    std::mutex mutex;
    // Held while callbacks run, taken before the data mutex is released, so changes are delivered
    // in the order they were made. Recursive so a callback may end another subscription.
    std::recursive_mutex notify_mutex;
    std::map<std::string, std::unique_ptr<MailboxIndex>> open;  // canonical name -> index
    std::map<std::string, std::vector<std::shared_ptr<Subscriber>>> subscribers;
    bool maildrop_locked = false;
    std::map<std::string, GroupCommit> commits;  // by canonical mailbox name
    std::condition_variable committed;
};

}  // namespace store_detail

using namespace store_detail;

struct Store::Impl {
    fs::path root;
    std::vector<UserConfig> users;
    std::mutex states_mutex;
    std::map<std::string, std::unique_ptr<UserState>, std::less<>> states;
    std::mutex uidvalidity_mutex;
    std::uint32_t last_uidvalidity = 0;
    std::atomic<ChangeOrigin> next_subscriber{1};

    UserState* user(std::string_view login) {
        bool known = std::any_of(users.begin(), users.end(),
                                 [&](const UserConfig& u) { return u.login == login; });
        if (!known) return nullptr;
        std::lock_guard lock(states_mutex);
        auto it = states.find(login);
        if (it != states.end()) return it->second.get();
        auto state = std::make_unique<UserState>();
        state->login = std::string(login);
        state->maildir = root / std::string(login) / "Maildir";
        auto* raw = state.get();
        states.emplace(std::string(login), std::move(state));
        return raw;
    }

    // UIDVALIDITY for a mailbox seen for the first time: the current time, strictly increasing
    // within this process (RFC 3501 §2.3.1.1: a re-created name gets a greater UIDVALIDITY).
    // The last value is kept in <root>/mailspec-uidvalidity, so this holds across restarts too.
    std::uint32_t new_uidvalidity() {
        std::lock_guard lock(uidvalidity_mutex);
        auto now = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count());
        last_uidvalidity = std::max(now, last_uidvalidity + 1);
        if (auto message = replace_file_atomically(root / kUidvalidityFile,
                                                   std::to_string(last_uidvalidity) + "\n");
            !message.empty()) {
            std::cerr << "mailspec-server: " << message << "\n";
        }
        return last_uidvalidity;
    }
    void load_last_uidvalidity() {
        std::string text, error;
        if (!read_whole_file(root / kUidvalidityFile, text, error)) return;
        std::uint32_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc()) last_uidvalidity = value;
    }

    static fs::path mailbox_dir(const UserState& u, const std::string& canonical) {
        auto dir = folder_directory(canonical);
        return dir.empty() ? u.maildir : u.maildir / dir;
    }
    static bool selectable(const UserState& u, const std::string& canonical) {
        std::error_code ec;
        return fs::is_directory(mailbox_dir(u, canonical) / "cur", ec);
    }
    static bool exists_at_all(const UserState& u, const std::string& canonical) {
        std::error_code ec;
        return fs::is_directory(mailbox_dir(u, canonical), ec);
    }

    // Opens (loading once) a selectable mailbox. Caller holds u.mutex.
    MailboxIndex* open(UserState& u, const std::string& canonical, StoreError& error) {
        if (auto it = u.open.find(canonical); it != u.open.end()) return it->second.get();
        if (!selectable(u, canonical)) {
            if (exists_at_all(u, canonical)) {
                error = make_error(StoreErrc::not_permitted,
                                   "mailbox " + canonical + " is \\Noselect (it only holds others)");
            } else {
                error = make_error(StoreErrc::no_such_mailbox, "mailbox " + canonical +
                                                                   " does not exist");
            }
            return nullptr;
        }
        auto index = std::make_unique<MailboxIndex>();
        if (auto message = index->load(mailbox_dir(u, canonical), new_uidvalidity());
            !message.empty()) {
            error = make_error(StoreErrc::io_error, message);
            return nullptr;
        }
        if (!index->problem().empty()) {
            std::cerr << "mailspec-server: " << index->problem() << "; mailbox " << canonical
                      << " of " << u.login << " re-indexed with UIDVALIDITY " << index->uidvalidity()
                      << "\n";
        }
        auto* raw = index.get();
        u.open.emplace(canonical, std::move(index));
        return raw;
    }

    std::optional<std::string> resolve(std::string_view name, StoreError& error) {
        if (auto reason = invalid_name(name)) {
            error = make_error(StoreErrc::invalid_name,
                               "invalid mailbox name \"" + std::string(name) + "\": " + *reason);
            return std::nullopt;
        }
        return canonical_name(name);
    }

    // The prelude every mailbox operation shares, done once: the user is known, the name is
    // valid (canonical), the user's data mutex is held and the mailbox index is open. The body
    // runs under the lock; it may hand the lock to dispatch() (which releases it after taking the
    // notify mutex), so change events are still delivered after the change, in order.
    struct Locked {
        UserState& user;
        const std::string& name;
        std::unique_lock<std::mutex>& lock;
        MailboxIndex& index;
    };

    static StoreError no_such_user(std::string_view login) {
        return make_error(StoreErrc::no_such_user, "no such user: " + std::string(login));
    }

    // Runs body(UserState&) for a known user, without taking any lock.
    template <class Body>
    auto with_user(std::string_view login, Body&& body) -> decltype(body(std::declval<UserState&>())) {
        UserState* u = user(login);
        if (!u) return no_such_user(login);
        return body(*u);
    }

    // Runs body(UserState&, const std::string& canonical) for a known user and a valid name,
    // without taking any lock; errors are returned as the body's result type.
    template <class Body>
    auto with_name(std::string_view login, std::string_view mailbox, Body&& body)
        -> decltype(body(std::declval<UserState&>(), std::declval<const std::string&>())) {
        return with_user(login, [&](UserState& u) -> decltype(body(u, std::string())) {
            StoreError error;
            auto name = resolve(mailbox, error);
            if (!name) return error;
            return body(u, *name);
        });
    }

    // Runs body(Locked&) with the user's mutex held and the mailbox open (see Locked).
    template <class Body>
    auto with_mailbox(std::string_view login, std::string_view mailbox, Body&& body)
        -> decltype(body(std::declval<Locked&>())) {
        return with_name(login, mailbox,
                         [&](UserState& u, const std::string& name)
                             -> decltype(body(std::declval<Locked&>())) {
                             std::unique_lock lock(u.mutex);
                             StoreError error;
                             MailboxIndex* index = open(u, name, error);
                             if (!index) return error;
                             Locked locked{u, name, lock, *index};
                             return body(locked);
                         });
    }

    static MailboxSnapshot snapshot_of(const MailboxIndex& index) {
        MailboxSnapshot snapshot;
        snapshot.uidvalidity = index.uidvalidity();
        snapshot.uidnext = index.uidnext();
        snapshot.messages.reserve(index.entries().size());
        for (const auto& [uid, entry] : index.entries()) snapshot.messages.push_back(info_of(entry));
        return snapshot;
    }

    Subscription add_subscriber(Locked& m, ChangeCallback callback);  // store.cpp

    // UIDs at or above the \Recent floor, ascending (RFC 3501 §2.3.2).
    static std::vector<Uid> recent_uids(const MailboxIndex& index) {
        std::vector<Uid> recent;
        for (auto it = index.entries().lower_bound(index.recent_floor());
             it != index.entries().end(); ++it) {
            recent.push_back(it->first);
        }
        return recent;
    }

    // fsyncs new/ and cur/ of a mailbox directory, so renames and unlinks there are durable.
    static std::string sync_new_and_cur(const fs::path& dir) {
        for (const char* sub : {"new", "cur"}) {
            if (auto message = sync_directory(dir / sub); !message.empty()) return message;
        }
        return {};
    }

    void queue(UserState& u, const std::string& canonical, MailboxChange change,
               std::vector<Pending>& pending) {
        auto it = u.subscribers.find(canonical);
        if (it == u.subscribers.end() || it->second.empty()) return;
        pending.push_back({it->second, std::move(change)});
    }

    // Delivers queued changes in order, after releasing the data lock.
    static void dispatch(UserState& u, std::unique_lock<std::mutex>& lock,
                         std::vector<Pending>& pending) {
        if (pending.empty()) return;
        std::unique_lock notify(u.notify_mutex);
        lock.unlock();
        for (auto& p : pending) {
            for (auto& subscriber : p.targets) {
                if (subscriber->active) subscriber->callback(p.change);
            }
        }
    }

    // Mailboxes whose name is `canonical` or below it, as on disk. Caller holds u.mutex.
    std::vector<std::string> all_names(const UserState& u) {
        std::vector<std::string> names{"INBOX"};
        std::error_code ec;
        for (auto it = fs::directory_iterator(u.maildir, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
            std::error_code ignored;
            if (!it->is_directory(ignored)) continue;
            if (auto name = name_from_directory(it->path().filename().string())) {
                if (*name != "INBOX") names.push_back(*name);
            }
        }
        return names;
    }

    static bool is_below(const std::string& name, const std::string& parent) {
        return name.size() > parent.size() + 1 && name.compare(0, parent.size(), parent) == 0 &&
               name[parent.size()] == kDelimiter;
    }

    // Drops cached indexes and subscribers of `names`, queuing Kind::gone for the subscribers.
    void forget(UserState& u, const std::vector<std::string>& names, std::vector<Pending>& pending) {
        for (const auto& name : names) {
            u.open.erase(name);
            MailboxChange change;
            change.kind = MailboxChange::Kind::gone;
            queue(u, name, change, pending);
            u.subscribers.erase(name);
        }
    }

    StoreStatus create(UserState& u, const std::string& canonical) {
        std::vector<std::string> chain;
        for (std::optional<std::string> name = canonical; name; name = parent_name(*name)) {
            chain.push_back(*name);
        }
        std::reverse(chain.begin(), chain.end());
        for (const auto& name : chain) {
            if (selectable(u, name)) continue;
            auto dir = mailbox_dir(u, name);
            std::error_code ec;
            fs::remove(dir / kNoselectMarker, ec);
            if (auto message = make_maildir(dir); !message.empty()) {
                return make_error(StoreErrc::io_error, message);
            }
            u.open.erase(name);
            StoreError error;
            if (!open(u, name, error)) return error;  // writes the index with its UIDVALIDITY
        }
        if (auto message = sync_directory(u.maildir); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        return Done{};
    }

    std::set<std::string> read_subscriptions(const UserState& u) {
        std::set<std::string> out;
        std::string text, error;
        if (!read_whole_file(u.maildir / kSubscriptions, text, error)) return out;
        std::size_t start = 0;
        while (start < text.size()) {
            auto nl = text.find('\n', start);
            if (nl == std::string::npos) break;  // a torn last line is ignored
            auto line = text.substr(start, nl - start);
            if (!line.empty() && !invalid_name(line)) out.insert(canonical_name(line));
            start = nl + 1;
        }
        return out;
    }
    StoreStatus write_subscriptions(const UserState& u, const std::set<std::string>& names) {
        std::string text;
        for (const auto& name : names) text += name + "\n";
        if (auto message = replace_file_atomically(u.maildir / kSubscriptions, text);
            !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        return Done{};
    }

    StoreResult<CopyResult> copy_locked(UserState& u, const std::string& from,
                                        std::span<const Uid> uids, const std::string& to,
                                        std::vector<Pending>& pending, ChangeOrigin origin,
                                        std::vector<Uid>& copied_sources) {
        StoreError error;
        MailboxIndex* source = open(u, from, error);
        if (!source) return error;
        MailboxIndex* target = open(u, to, error);
        if (!target) {
            if (error.code == StoreErrc::no_such_mailbox) error.message += " [TRYCREATE]";
            return error;
        }
        std::set<Uid> wanted(uids.begin(), uids.end());
        std::vector<IndexEntry> added;
        std::vector<fs::path> made;
        auto undo = [&] {
            for (const auto& path : made) ::unlink(path.c_str());
        };
        for (Uid uid : wanted) {
            const IndexEntry* entry = source->find(uid);
            if (!entry) continue;
            IndexEntry copy = *entry;
            copy.file = relative_file(unique_file_name(entry->size), entry->flags);
            auto from_path = source->dir() / entry->file;
            auto to_path = target->dir() / copy.file;
            // A hard link shares the immutable message file; fall back to copying.
            if (::link(from_path.c_str(), to_path.c_str()) != 0) {
                std::string bytes, message;
                if (!read_whole_file(from_path, bytes, message) ||
                    !(message = write_new_file_synced(to_path, bytes)).empty()) {
                    undo();
                    return make_error(StoreErrc::io_error, message);
                }
            }
            made.push_back(to_path);
            added.push_back(std::move(copy));
            copied_sources.push_back(uid);
        }
        if (auto message = sync_new_and_cur(target->dir()); !message.empty()) {
            undo();
            return make_error(StoreErrc::io_error, message);
        }
        if (auto message = target->add(added); !message.empty()) {
            undo();
            return make_error(StoreErrc::io_error, message);
        }
        CopyResult result;
        result.uidvalidity = target->uidvalidity();
        MailboxChange change;
        change.kind = MailboxChange::Kind::appended;
        change.origin = origin;
        for (std::size_t i = 0; i < added.size(); ++i) {
            result.uids.emplace_back(copied_sources[i], added[i].uid);
            change.appended.push_back(info_of(added[i]));
        }
        if (!added.empty()) queue(u, to, std::move(change), pending);
        return result;
    }

    StoreResult<std::vector<Uid>> expunge_locked(UserState& u, const std::string& canonical,
                                                 MailboxIndex& index, std::vector<Uid> uids,
                                                 std::vector<Pending>& pending,
                                                 ChangeOrigin origin) {
        std::sort(uids.begin(), uids.end());
        uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
        std::vector<Uid> removed;
        // Unlink first, then log: a crash in between leaves an index entry without a file, which
        // load() drops; the other order could resurrect an expunged message.
        for (Uid uid : uids) {
            const IndexEntry* entry = index.find(uid);
            if (!entry) continue;
            auto path = index.dir() / entry->file;
            if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
                return make_error(StoreErrc::io_error,
                                  "cannot remove " + path.string() + ": " + std::strerror(errno));
            }
            removed.push_back(uid);
        }
        if (removed.empty()) return removed;
        if (auto message = sync_new_and_cur(index.dir()); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        if (auto message = index.remove(removed); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        MailboxChange change;
        change.kind = MailboxChange::Kind::expunged;
        change.origin = origin;
        change.uids = removed;
        queue(u, canonical, std::move(change), pending);
        return removed;
    }

    // COPY (RFC 3501 §6.4.7) or, with then_expunge, MOVE (RFC 6851 §3.1): copy_locked, then the
    // copied sources expunged, all under one hold of the user's mutex; changes are delivered after.
    StoreResult<CopyResult> transfer(std::string_view login, std::string_view from,
                                     std::span<const Uid> uids, std::string_view to,
                                     ChangeOrigin origin, bool then_expunge) {
        UserState* u = user(login);
        if (!u) return no_such_user(login);
        StoreError error;
        auto source = resolve(from, error);
        if (!source) return error;
        auto target = resolve(to, error);
        if (!target) return error;
        std::unique_lock lock(u->mutex);
        if (then_expunge && *source == *target) {
            return make_error(StoreErrc::not_permitted, "cannot MOVE messages into the same mailbox");
        }
        std::vector<Pending> pending;
        std::vector<Uid> copied;
        auto result = copy_locked(*u, *source, uids, *target, pending, origin, copied);
        if (then_expunge && result) {
            MailboxIndex* index = open(*u, *source, error);
            if (!index) return error;
            auto removed = expunge_locked(*u, *source, *index, copied, pending, origin);
            if (!removed) {
                dispatch(*u, lock, pending);
                return removed.error();
            }
        }
        dispatch(*u, lock, pending);
        return result;
    }

    // expunge_locked on the open mailbox of `m`, then delivery of its change (releases m.lock).
    StoreResult<std::vector<Uid>> expunge_dispatched(Locked& m, std::vector<Uid> uids,
                                                     ChangeOrigin origin) {
        std::vector<Pending> pending;
        auto result = expunge_locked(m.user, m.name, m.index, std::move(uids), pending, origin);
        dispatch(m.user, m.lock, pending);
        return result;
    }
};

}  // namespace mailspec::server
