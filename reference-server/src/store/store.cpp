// The mail store: construction, users and sessions (POP3 maildrop locks, change subscriptions).
// Messages are in store_messages.cpp, mailboxes in store_mailboxes.cpp; see store.hpp for the
// contracts and store_impl.hpp for the shared prelude (Store::Impl::with_mailbox).
#include "store/store.hpp"

#include "store/store_impl.hpp"

namespace mailspec::server {

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

// Registers a subscriber of m's mailbox. Runs under the user's data mutex (inside with_mailbox).
Subscription Store::Impl::add_subscriber(Locked& m, ChangeCallback callback) {
    UserState* u = &m.user;
    auto subscriber = std::make_shared<Subscriber>();
    subscriber->id = next_subscriber++;
    subscriber->mailbox = m.name;
    subscriber->callback = std::move(callback);
    u->subscribers[m.name].push_back(subscriber);
    auto id = subscriber->id;
    std::shared_ptr<void> registration(static_cast<void*>(subscriber.get()), [u, subscriber](void*) {
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
}

StoreResult<Subscription> Store::subscribe(const std::string& user, std::string_view mailbox,
                                           ChangeCallback callback) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<Subscription> {
        return impl_->add_subscriber(m, std::move(callback));
    });
}

StoreResult<Store::Watch> Store::watch(const std::string& user, std::string_view mailbox,
                                       RecentMode recent, ChangeCallback callback) {
    return impl_->with_mailbox(user, mailbox, [&](Impl::Locked& m) -> StoreResult<Watch> {
        Watch watch;
        watch.snapshot = Impl::snapshot_of(m.index);
        watch.recent = Impl::recent_uids(m.index);
        if (recent == RecentMode::claim) {
            if (auto message = m.index.set_recent_floor(m.index.uidnext()); !message.empty()) {
                return make_error(StoreErrc::io_error, message);
            }
        }
        watch.subscription = impl_->add_subscriber(m, std::move(callback));
        return watch;
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
