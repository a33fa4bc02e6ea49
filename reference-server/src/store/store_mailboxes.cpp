// The mail store: mailboxes (create, delete, rename, list, status) and subscriptions.
// See store.hpp for the contracts.
#include "store/store.hpp"

#include "store/store_impl.hpp"

namespace mailspec::server {

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

}  // namespace mailspec::server
