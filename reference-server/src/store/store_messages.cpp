// The mail store: messages (append with group commit, list, read, flags, expunge, copy, move,
// \Recent). See store.hpp for the contracts.
#include "store/store.hpp"

#include "store/store_impl.hpp"

namespace mailspec::server {

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
        return Impl::snapshot_of(m.index);
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
            bool changed = !(updated == entry->flags);
            if (changed) changes.emplace_back(uid, updated);
            result.push_back({uid, updated, changed});
        }
        if (auto message = m.index.set_flags(changes); !message.empty()) {
            return make_error(StoreErrc::io_error, message);
        }
        std::vector<Pending> pending;
        if (!changes.empty()) {
            MailboxChange change;
            change.kind = MailboxChange::Kind::flags;
            change.origin = origin;
            for (auto& [uid, updated] : changes) change.flags.push_back({uid, std::move(updated), true});
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

}  // namespace mailspec::server
