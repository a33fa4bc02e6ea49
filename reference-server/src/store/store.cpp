// The mail store: users, mailboxes (Maildir / Maildir++), messages, flags, \Recent, subscriptions,
// POP3 maildrop locks and change notification. See store.hpp for the contracts.
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

using namespace store_detail;

namespace {

constexpr const char* kNoselectMarker = "mailspec-noselect";
constexpr const char* kSubscriptions = "subscriptions";
constexpr const char* kUidvalidityFile = "mailspec-uidvalidity";

struct SpecialUse {
    const char* name;
    const char* attribute;
};
constexpr SpecialUse kSpecialUse[] = {
    {"Sent", "\\Sent"}, {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"}, {"Junk", "\\Junk"}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

StoreError make_error(StoreErrc code, std::string message) { return {code, std::move(message)}; }

// Maildir info letters (cr.yp.to/proto/maildir.html): D F R S T in ASCII order.
std::string info_letters(const Flags& flags) {
    std::string out;
    if (flags.has(Flags::draft)) out += 'D';
    if (flags.has(Flags::flagged)) out += 'F';
    if (flags.has(Flags::answered)) out += 'R';
    if (flags.has(Flags::seen)) out += 'S';
    if (flags.has(Flags::deleted)) out += 'T';
    return out;
}

std::string relative_file(const std::string& unique, const Flags& flags) {
    auto letters = info_letters(flags);
    if (letters.empty()) return "new/" + unique;
    return "cur/" + unique + ":2," + letters;
}

MessageInfo info_of(const IndexEntry& entry) {
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

}  // namespace

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

// ---- construction and users ----------------------------------------------------------------

Store::Store(std::filesystem::path root, std::vector<UserConfig> users)
    : impl_(std::make_unique<Impl>()) {
    impl_->root = std::move(root);
    impl_->users = std::move(users);
    std::error_code ec;
    fs::create_directories(impl_->root, ec);
    if (ec) throw std::runtime_error("cannot create store " + impl_->root.string() + ": " + ec.message());
    impl_->load_last_uidvalidity();
    for (const auto& user : impl_->users) {
        // The login is a directory name under the root: nothing that could leave it.
        bool valid = !user.login.empty() && user.login.front() != '.' &&
                     std::all_of(user.login.begin(), user.login.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                c == '_' || c == '-';
                     });
        if (!valid) {
            throw std::runtime_error("invalid user login \"" + user.login +
                                     "\": only letters, digits, '.', '_' and '-', not starting "
                                     "with '.'");
        }
        // Names the store root already uses for itself (outbound_queue.hpp, the UIDVALIDITY file).
        if (user.login == "outbound" || user.login.rfind("mailspec-", 0) == 0) {
            throw std::runtime_error("user login \"" + user.login +
                                     "\" is reserved by the store (outbound, mailspec-*)");
        }
        auto status = ensure_user(user.login);
        if (!status) throw std::runtime_error(status.error().message);
    }
}

Store::~Store() = default;

const std::filesystem::path& Store::root() const { return impl_->root; }

StoreStatus Store::ensure_user(const std::string& login) {
    UserState* u = impl_->user(login);
    if (!u) return make_error(StoreErrc::no_such_user, "no such user: " + login);
    std::unique_lock lock(u->mutex);
    // Only directories here, no fsync: creating a user is idempotent, so a crash just means it is
    // created again at the next start. Each mailbox gets its index (and UIDVALIDITY) when first
    // opened. This keeps start-up fast (mailspec-server is ready in milliseconds).
    if (auto message = make_maildir(u->maildir); !message.empty()) {
        return make_error(StoreErrc::io_error, message);
    }
    for (const auto& special : kSpecialUse) {
        if (Impl::exists_at_all(*u, special.name)) continue;
        if (auto message = make_maildir(Impl::mailbox_dir(*u, special.name)); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
    }
    if (!fs::exists(u->maildir / kSubscriptions)) {
        std::string text = "INBOX\n";
        for (const auto& special : kSpecialUse) text += std::string(special.name) + "\n";
        auto tmp = u->maildir / (std::string(kSubscriptions) + ".tmp");
        if (auto message = write_new_file(tmp, text); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        std::error_code ec;
        fs::rename(tmp, u->maildir / kSubscriptions, ec);
        if (ec) return make_error(StoreErrc::io_error, "cannot create " + (u->maildir / kSubscriptions).string() + ": " + ec.message());
    }
    return Done{};
}

std::optional<std::string> Store::authenticate(std::string_view login,
                                               std::string_view password) const {
    for (const auto& user : impl_->users) {
        if (user.login != login) continue;
        // Constant-time over the longer length, so timing does not reveal a matching prefix.
        std::size_t n = std::max(user.password.size(), password.size());
        unsigned diff = user.password.size() == password.size() ? 0u : 1u;
        for (std::size_t i = 0; i < n; ++i) {
            unsigned char a = i < user.password.size() ? static_cast<unsigned char>(user.password[i]) : 0;
            unsigned char b = i < password.size() ? static_cast<unsigned char>(password[i]) : 0;
            diff |= static_cast<unsigned>(a ^ b);
        }
        if (diff == 0) return user.login;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::string> Store::find_local_user(std::string_view address) const {
    for (const auto& user : impl_->users) {
        for (const auto& a : user.addresses) {
            if (iequals(a, address)) return user.login;
        }
    }
    return std::nullopt;
}

bool Store::has_user(std::string_view login) const {
    return std::any_of(impl_->users.begin(), impl_->users.end(),
                       [&](const UserConfig& u) { return u.login == login; });
}

std::optional<std::string> Store::invalid_mailbox_name(std::string_view name) {
    return invalid_name(name);
}


// ---- messages ------------------------------------------------------------------------------

StoreResult<AppendResult> Store::append(const std::string& user, std::string_view mailbox,
                                        std::string_view bytes, const Flags& flags,
                                        std::optional<InternalDate> internal_date,
                                        ChangeOrigin origin) {
    // Opens the mailbox under the lock, keeping the user and canonical name for the commit below.
    std::string name;
    UserState* u = nullptr;
    auto opened = impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<fs::path> {
        u = &m.user;
        name = m.name;
        return m.index.dir();
    });
    if (!opened) return opened.error();
    const fs::path dir = opened.value();
    // The slow part runs without the lock: write tmp/, fsync, rename into new/ or cur/.
    auto unique = unique_file_name(bytes.size());
    auto relative = relative_file(unique, flags);
    auto tmp_path = dir / "tmp" / unique;
    auto final_path = dir / relative;
    if (auto message = write_new_file_synced(tmp_path, bytes); !message.empty()) {
        return make_error(StoreErrc::io_error, message);
    }
    if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
        auto message = "cannot rename " + tmp_path.string() + " into place: " + std::strerror(errno);
        ::unlink(tmp_path.c_str());
        return make_error(StoreErrc::io_error, message);
    }

    IndexEntry entry;
    entry.file = relative;
    entry.size = bytes.size();
    if (internal_date) {
        entry.time = internal_date->time.time_since_epoch().count();
        entry.zone = internal_date->zone_minutes;
    } else {
        entry.time = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    }
    entry.flags = flags;
    GroupCommit::Request request{std::move(entry), origin, dir, final_path, false, std::nullopt, {}};

    // Group commit: concurrent appends to one mailbox share one directory fsync and one index-log
    // fdatasync. The first waiter leads: it takes every request queued so far, makes their renames
    // durable, logs them, and wakes the others; later arrivals form the next batch.
    std::unique_lock lock(u->mutex);
    auto& group = u->commits[name];
    group.waiting.push_back(&request);
    while (!request.done) {
        if (group.leader_active) {
            u->committed.wait(lock);
            continue;
        }
        group.leader_active = true;
        std::vector<GroupCommit::Request*> batch;
        batch.swap(group.waiting);
        std::set<fs::path> dirs;
        for (auto* r : batch) dirs.insert(r->final_path.parent_path());
        lock.unlock();
        std::string sync_error;
        for (const auto& d : dirs) {
            if (sync_error.empty()) sync_error = sync_directory(d);
        }
        lock.lock();
        StoreError open_error;
        MailboxIndex* index = impl_->open(*u, name, open_error);
        std::vector<IndexEntry> added;
        std::vector<GroupCommit::Request*> live;
        for (auto* r : batch) {
            if (!sync_error.empty()) {
                r->error = make_error(StoreErrc::io_error, sync_error);
            } else if (!index) {
                r->error = open_error;
            } else if (index->dir() != r->dir) {
                r->error = make_error(StoreErrc::no_such_mailbox, "mailbox " + name + " was renamed");
            } else {
                added.push_back(r->entry);
                live.push_back(r);
            }
        }
        std::string log_error;
        if (!added.empty()) log_error = index->add(added);
        std::vector<Pending> pending;
        for (std::size_t i = 0; i < live.size(); ++i) {
            if (!log_error.empty()) {
                live[i]->error = make_error(StoreErrc::io_error, log_error);
                continue;
            }
            live[i]->result = AppendResult{index->uidvalidity(), added[i].uid};
            MailboxChange change;
            change.kind = MailboxChange::Kind::appended;
            change.origin = live[i]->origin;
            change.appended.push_back(info_of(added[i]));
            impl_->queue(*u, name, std::move(change), pending);
        }
        for (auto* r : batch) {
            if (r->error) ::unlink(r->final_path.c_str());
            r->done = true;
        }
        group.leader_active = false;
        u->committed.notify_all();
        Impl::dispatch(*u, lock, pending);
        break;
    }
    if (request.error) return *request.error;
    return request.result;
}

StoreResult<MailboxSnapshot> Store::list_messages(const std::string& user, std::string_view mailbox) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<MailboxSnapshot> {
        MailboxSnapshot snapshot;
        snapshot.uidvalidity = m.index.uidvalidity();
        snapshot.uidnext = m.index.uidnext();
        snapshot.messages.reserve(m.index.entries().size());
        for (const auto& [uid, entry] : m.index.entries()) {
            snapshot.messages.push_back(info_of(entry));
        }
        return snapshot;
    });
}

StoreResult<std::string> Store::read_message(const std::string& user, std::string_view mailbox,
                                             Uid uid) {
    std::string name;
    // The lookup runs under the lock; the read below runs without it.
    auto located = impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<fs::path> {
        name = m.name;
        const IndexEntry* entry = m.index.find(uid);
        if (!entry) {
            return make_error(StoreErrc::no_such_message,
                              "no message with UID " + std::to_string(uid) + " in " + m.name);
        }
        return m.index.dir() / entry->file;
    });
    if (!located) return located.error();
    const fs::path path = located.value();
    std::string bytes, message;
    if (!read_whole_file(path, bytes, message)) {
        // Expunged between the lookup and the read.
        if (errno == ENOENT) {
            return make_error(StoreErrc::no_such_message,
                              "message UID " + std::to_string(uid) + " in " + name + " was expunged");
        }
        return make_error(StoreErrc::io_error, message);
    }
    return bytes;
}

StoreResult<std::vector<FlagChange>> Store::store_flags(const std::string& user,
                                                        std::string_view mailbox,
                                                        std::span<const Uid> uids, FlagOp op,
                                                        const Flags& flags, ChangeOrigin origin) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m)
                                                  -> StoreResult<std::vector<FlagChange>> {
        std::set<Uid> wanted(uids.begin(), uids.end());
        std::vector<std::pair<Uid, Flags>> changes;
        std::vector<FlagChange> result;
        for (Uid uid : wanted) {
            const IndexEntry* entry = m.index.find(uid);
            if (!entry) continue;
            Flags updated = entry->flags;
            switch (op) {
            case FlagOp::replace: updated = flags; break;
            case FlagOp::add: updated.add_all(flags); break;
            case FlagOp::remove: updated.remove_all(flags); break;
            }
            if (updated == entry->flags) continue;
            changes.emplace_back(uid, updated);
            result.push_back({uid, updated});
        }
        if (auto message = m.index.set_flags(changes); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        std::vector<Pending> pending;
        if (!result.empty()) {
            MailboxChange change;
            change.kind = MailboxChange::Kind::flags;
            change.origin = origin;
            change.flags = result;
            impl_->queue(m.user, m.name, std::move(change), pending);
        }
        Impl::dispatch(m.user, m.lock, pending);
        return result;
    });
}

StoreResult<std::vector<Uid>> Store::expunge(const std::string& user, std::string_view mailbox,
                                             std::span<const Uid> uids, ChangeOrigin origin) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<std::vector<Uid>> {
        return impl_->expunge_dispatched(m, std::vector<Uid>(uids.begin(), uids.end()), origin);
    });
}

StoreResult<std::vector<Uid>> Store::expunge_deleted(const std::string& user,
                                                     std::string_view mailbox,
                                                     std::optional<std::vector<Uid>> only,
                                                     ChangeOrigin origin) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<std::vector<Uid>> {
        std::set<Uid> allowed;
        if (only) allowed.insert(only->begin(), only->end());
        std::vector<Uid> uids;
        for (const auto& [uid, entry] : m.index.entries()) {
            if (entry.flags.has(Flags::deleted) && (!only || allowed.count(uid))) uids.push_back(uid);
        }
        return impl_->expunge_dispatched(m, std::move(uids), origin);
    });
}

StoreResult<CopyResult> Store::copy(const std::string& user, std::string_view from,
                                    std::span<const Uid> uids, std::string_view to,
                                    ChangeOrigin origin) {
    return impl_->transfer(user, from, uids, to, origin, /*then_expunge=*/false);
}

StoreResult<CopyResult> Store::move(const std::string& user, std::string_view from,
                                    std::span<const Uid> uids, std::string_view to,
                                    ChangeOrigin origin) {
    return impl_->transfer(user, from, uids, to, origin, /*then_expunge=*/true);
}

StoreResult<std::vector<Uid>> Store::claim_recent(const std::string& user, std::string_view mailbox) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<std::vector<Uid>> {
        auto recent = Impl::recent_uids(m.index);
        if (auto message = m.index.set_recent_floor(m.index.uidnext()); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        return recent;
    });
}

StoreResult<std::vector<Uid>> Store::peek_recent(const std::string& user, std::string_view mailbox) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<std::vector<Uid>> {
        return Impl::recent_uids(m.index);
    });
}

// ---- mailboxes -----------------------------------------------------------------------------

StoreStatus Store::create_mailbox(const std::string& user, std::string_view requested) {
    // A trailing delimiter only declares the intent to create inferiors (RFC 3501 §6.3.3).
    if (requested.size() > 1 && requested.back() == kDelimiter) requested.remove_suffix(1);
    return impl_->with_name(user, requested, [&](UserState& u, const std::string& name) -> StoreStatus {
        std::unique_lock lock(u.mutex);
        if (Impl::selectable(u, name)) {
            return make_error(StoreErrc::mailbox_exists, "mailbox " + name + " already exists");
        }
        return impl_->create(u, name);
    });
}

StoreStatus Store::delete_mailbox(const std::string& user, std::string_view requested) {
    return impl_->with_name(user, requested, [&](UserState& u, const std::string& name) -> StoreStatus {
        if (name == "INBOX") {
            return make_error(StoreErrc::not_permitted, "INBOX cannot be deleted (RFC 3501 §6.3.4)");
        }
        std::unique_lock lock(u.mutex);
        if (!Impl::exists_at_all(u, name)) {
            return make_error(StoreErrc::no_such_mailbox, "mailbox " + name + " does not exist");
        }
        bool has_children = false;
        for (const auto& other : impl_->all_names(u)) {
            if (Impl::is_below(other, name)) has_children = true;
        }
        if (has_children && !Impl::selectable(u, name)) {
            return make_error(StoreErrc::has_children,
                              "mailbox " + name + " is \\Noselect and has inferiors");
        }
        auto dir = Impl::mailbox_dir(u, name);
        std::vector<Pending> pending;
        impl_->forget(u, {name}, pending);
        std::error_code ec;
        if (has_children) {
            // Keep the name for its inferiors: drop the messages, mark it \Noselect.
            for (const char* part : {"cur", "new", "tmp", "mailspec-index", "mailspec-index.log"}) {
                fs::remove_all(dir / part, ec);
                if (ec) return make_error(StoreErrc::io_error, "cannot remove " + (dir / part).string() + ": " + ec.message());
            }
            if (auto message = write_new_file_synced(dir / kNoselectMarker, ""); !message.empty()) {
                return make_error(StoreErrc::io_error, message);
            }
        } else {
            fs::remove_all(dir, ec);
            if (ec) return make_error(StoreErrc::io_error, "cannot remove " + dir.string() + ": " + ec.message());
        }
        if (auto message = sync_directory(u.maildir); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        Impl::dispatch(u, lock, pending);
        return Done{};
    });
}

StoreStatus Store::rename_mailbox(const std::string& user, std::string_view from_name,
                                  std::string_view to_name) {
    return impl_->with_name(user, from_name, [&](UserState& u, const std::string& from) -> StoreStatus {
        StoreError error;
        auto resolved_to = impl_->resolve(to_name, error);
        if (!resolved_to) return error;
        const std::string& to = *resolved_to;
        std::unique_lock lock(u.mutex);
        if (!Impl::exists_at_all(u, from)) {
            return make_error(StoreErrc::no_such_mailbox, "mailbox " + from + " does not exist");
        }
        if (Impl::exists_at_all(u, to)) {
            return make_error(StoreErrc::mailbox_exists, "mailbox " + to + " already exists");
        }
        if (Impl::is_below(to, from)) {
            return make_error(StoreErrc::not_permitted,
                              "cannot rename " + from + " to its own inferior " + to);
        }
        std::vector<Pending> pending;
        if (from == "INBOX") {
            // RFC 3501 §6.3.5: all messages move to the new name; INBOX stays, empty.
            if (auto status = impl_->create(u, to); !status) return status;
            StoreError error;
            MailboxIndex* inbox = impl_->open(u, "INBOX", error);
            MailboxIndex* target = inbox ? impl_->open(u, to, error) : nullptr;
            if (!inbox || !target) return error;
            std::vector<IndexEntry> moved;
            std::vector<Uid> moved_uids;
            for (const auto& [uid, entry] : inbox->entries()) {
                IndexEntry copy = entry;
                if (::rename((inbox->dir() / entry.file).c_str(), (target->dir() / copy.file).c_str()) != 0) {
                    return make_error(StoreErrc::io_error, "cannot move " + entry.file + " out of INBOX: " +
                                                               std::strerror(errno));
                }
                moved.push_back(std::move(copy));
                moved_uids.push_back(uid);
            }
            for (const auto& dir : {inbox->dir() / "cur", inbox->dir() / "new", target->dir() / "cur",
                                    target->dir() / "new"}) {
                if (auto message = sync_directory(dir); !message.empty()) {
                    return make_error(StoreErrc::io_error, message);
                }
            }
            if (auto message = target->add(moved); !message.empty()) {
                return make_error(StoreErrc::io_error, message);
            }
            if (auto message = inbox->remove(moved_uids); !message.empty()) {
                return make_error(StoreErrc::io_error, message);
            }
            MailboxChange change;
            change.kind = MailboxChange::Kind::expunged;
            change.uids = moved_uids;
            if (!moved_uids.empty()) impl_->queue(u, "INBOX", std::move(change), pending);
            Impl::dispatch(u, lock, pending);
            return Done{};
        }
        // Superiors of the new name are created as needed, like CREATE.
        if (auto parent = parent_name(to)) {
            if (!Impl::exists_at_all(u, *parent)) {
                if (auto status = impl_->create(u, *parent); !status) return status;
            }
        }
        std::vector<std::string> affected;
        for (const auto& other : impl_->all_names(u)) {
            if (other == from || Impl::is_below(other, from)) affected.push_back(other);
        }
        impl_->forget(u, affected, pending);
        for (const auto& old_name : affected) {
            std::string new_name = to + old_name.substr(from.size());
            std::error_code ec;
            fs::rename(Impl::mailbox_dir(u, old_name), Impl::mailbox_dir(u, new_name), ec);
            if (ec) {
                return make_error(StoreErrc::io_error, "cannot rename " + old_name + " to " + new_name +
                                                           ": " + ec.message());
            }
        }
        if (auto message = sync_directory(u.maildir); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        Impl::dispatch(u, lock, pending);
        return Done{};
    });
}

StoreResult<std::vector<MailboxInfo>> Store::list_mailboxes(const std::string& user) {
    return impl_->with_user(user, [&](UserState& u) -> StoreResult<std::vector<MailboxInfo>> {
        std::unique_lock lock(u.mutex);
        auto names = impl_->all_names(u);
        std::set<std::string> all(names.begin(), names.end());
        std::set<std::string> placeholders;  // superiors with no directory of their own
        for (const auto& name : names) {
            for (auto parent = parent_name(name); parent; parent = parent_name(*parent)) {
                if (!all.count(*parent)) placeholders.insert(*parent);
            }
        }
        all.insert(placeholders.begin(), placeholders.end());
        auto subscribed = impl_->read_subscriptions(u);
        std::vector<MailboxInfo> out;
        for (const auto& name : all) {
            MailboxInfo info;
            info.name = name;
            if (placeholders.count(name) || !Impl::selectable(u, name)) {
                info.attributes.push_back("\\Noselect");
            }
            bool children = std::any_of(all.begin(), all.end(),
                                        [&](const std::string& other) { return Impl::is_below(other, name); });
            info.attributes.push_back(children ? "\\HasChildren" : "\\HasNoChildren");
            for (const auto& special : kSpecialUse) {
                if (name == special.name) info.attributes.push_back(special.attribute);
            }
            info.subscribed = subscribed.count(name) > 0;
            out.push_back(std::move(info));
        }
        std::stable_partition(out.begin(), out.end(),
                              [](const MailboxInfo& m) { return m.name == "INBOX"; });
        return out;
    });
}

StoreResult<MailboxStatus> Store::status(const std::string& user, std::string_view mailbox) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<MailboxStatus> {
        const MailboxIndex& index = m.index;
        MailboxStatus status;
        status.messages = static_cast<std::uint32_t>(index.entries().size());
        status.uidnext = index.uidnext();
        status.uidvalidity = index.uidvalidity();
        for (const auto& [uid, entry] : index.entries()) {
            if (uid >= index.recent_floor()) ++status.recent;
            if (!entry.flags.has(Flags::seen)) ++status.unseen;
        }
        return status;
    });
}

bool Store::mailbox_exists(const std::string& user, std::string_view mailbox) {
    UserState* u = impl_->user(user);
    if (!u || invalid_name(mailbox)) return false;
    std::unique_lock lock(u->mutex);
    return Impl::selectable(*u, canonical_name(mailbox));
}

StoreStatus Store::subscribe_mailbox(const std::string& user, std::string_view mailbox) {
    return impl_->with_name(user, mailbox, [&](UserState& u, const std::string& name) -> StoreStatus {
        std::unique_lock lock(u.mutex);
        auto names = impl_->read_subscriptions(u);
        if (!names.insert(name).second) return Done{};
        return impl_->write_subscriptions(u, names);
    });
}

StoreStatus Store::unsubscribe_mailbox(const std::string& user, std::string_view mailbox) {
    return impl_->with_name(user, mailbox, [&](UserState& u, const std::string& name) -> StoreStatus {
        std::unique_lock lock(u.mutex);
        auto names = impl_->read_subscriptions(u);
        if (names.erase(name) == 0) return Done{};
        return impl_->write_subscriptions(u, names);
    });
}

StoreResult<std::vector<std::string>> Store::list_subscribed(const std::string& user) {
    return impl_->with_user(user, [&](UserState& u) -> StoreResult<std::vector<std::string>> {
        std::unique_lock lock(u.mutex);
        auto names = impl_->read_subscriptions(u);
        std::vector<std::string> out(names.begin(), names.end());
        std::stable_partition(out.begin(), out.end(), [](const std::string& n) { return n == "INBOX"; });
        return out;
    });
}

// ---- sessions ------------------------------------------------------------------------------

std::optional<MaildropLock> Store::try_lock_maildrop(const std::string& user) {
    UserState* u = impl_->user(user);
    if (!u) return std::nullopt;
    std::unique_lock lock(u->mutex);
    if (u->maildrop_locked) return std::nullopt;
    u->maildrop_locked = true;
    return MaildropLock(std::shared_ptr<void>(static_cast<void*>(u), [](void* p) {
        auto* state = static_cast<UserState*>(p);
        std::lock_guard guard(state->mutex);
        state->maildrop_locked = false;
    }));
}

StoreResult<Subscription> Store::subscribe(const std::string& user, std::string_view mailbox,
                                           ChangeCallback callback) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<Subscription> {
        UserState* u = &m.user;
        auto subscriber = std::make_shared<Subscriber>();
        subscriber->id = impl_->next_subscriber++;
        subscriber->mailbox = m.name;
        subscriber->callback = std::move(callback);
        u->subscribers[m.name].push_back(subscriber);
        auto id = subscriber->id;
        std::shared_ptr<void> registration(static_cast<void*>(subscriber.get()),
                                           [u, subscriber](void*) {
            {
                std::lock_guard guard(u->mutex);
                auto it = u->subscribers.find(subscriber->mailbox);
                if (it != u->subscribers.end()) {
                    auto& list = it->second;
                    list.erase(std::remove(list.begin(), list.end(), subscriber), list.end());
                }
            }
            // Waits for a dispatch in progress on another thread; none starts for it afterwards.
            std::lock_guard notify(u->notify_mutex);
            subscriber->active = false;
        });
        return Subscription(id, std::move(registration));
    });
}

std::string_view to_string(StoreErrc code) {
    switch (code) {
    case StoreErrc::no_such_user: return "no such user";
    case StoreErrc::no_such_mailbox: return "no such mailbox";
    case StoreErrc::mailbox_exists: return "mailbox exists";
    case StoreErrc::invalid_name: return "invalid mailbox name";
    case StoreErrc::not_permitted: return "not permitted";
    case StoreErrc::has_children: return "has inferior mailboxes";
    case StoreErrc::no_such_message: return "no such message";
    case StoreErrc::io_error: return "I/O error";
    }
    return "?";
}

}  // namespace mailspec::server
