// Concurrent sessions on one store: unique UIDs under parallel appends, change notifications in
// order with their origin, and subscriptions that stop cleanly.
#include <atomic>
#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <thread>

#include "temp_store.hpp"

namespace mailspec::server {
namespace {

using testing::TempStore;

TEST(StoreConcurrency, ParallelAppendsGetUniqueUids) {
    TempStore store;
    constexpr int kThreads = 8;  // four per user: appends to one mailbox share group commits
    constexpr int kPerThread = 20;
    std::mutex mutex;
    std::set<Uid> uids;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto r = store->append(t % 2 ? "alice" : "bob", "INBOX",
                                       "thread " + std::to_string(t) + " #" + std::to_string(i) + "\r\n");
                if (!r) {
                    ++failures;
                    continue;
                }
                if (t % 2) {
                    std::lock_guard lock(mutex);
                    uids.insert(r->uid);
                }
                std::vector<Uid> one{r->uid};
                (void)store->store_flags(t % 2 ? "alice" : "bob", "INBOX", one, FlagOp::add, Flags{1, {}});
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(uids.size(), static_cast<std::size_t>(kPerThread * kThreads / 2));
    store.reopen();
    auto alice = store->list_messages("alice", "INBOX");
    ASSERT_EQ(alice->messages.size(), uids.size());
    for (const auto& message : alice->messages) EXPECT_TRUE(message.flags.has(Flags::seen));
    EXPECT_EQ(store->list_messages("bob", "INBOX")->messages.size(), uids.size());
}

TEST(StoreConcurrency, SubscribersSeeAppendsFlagsAndExpunges) {
    TempStore store;
    std::mutex mutex;
    std::vector<MailboxChange> seen;
    auto subscription = store->subscribe("alice", "inbox", [&](const MailboxChange& change) {
        std::lock_guard lock(mutex);
        seen.push_back(change);
    });
    ASSERT_TRUE(subscription);
    ChangeOrigin me = subscription->id();
    EXPECT_NE(me, 0u);
    ASSERT_TRUE(store->append("alice", "INBOX", "a\r\n"));           // SMTP-like: origin 0
    ASSERT_TRUE(store->append("alice", "Sent", "not watched\r\n"));  // another mailbox
    std::vector<Uid> one{1};
    Flags flagged;
    flagged.add("\\Flagged");
    ASSERT_TRUE(store->store_flags("alice", "INBOX", one, FlagOp::add, flagged, me));
    ASSERT_TRUE(store->expunge("alice", "INBOX", one));
    std::lock_guard lock(mutex);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].kind, MailboxChange::Kind::appended);
    EXPECT_EQ(seen[0].origin, 0u);
    ASSERT_EQ(seen[0].appended.size(), 1u);
    EXPECT_EQ(seen[0].appended[0].uid, 1u);
    EXPECT_EQ(seen[1].kind, MailboxChange::Kind::flags);
    EXPECT_EQ(seen[1].origin, me);
    EXPECT_TRUE(seen[1].flags[0].flags.has(Flags::flagged));
    EXPECT_EQ(seen[2].kind, MailboxChange::Kind::expunged);
    EXPECT_EQ(seen[2].uids, (std::vector<Uid>{1}));
}

TEST(StoreConcurrency, EndedSubscriptionGetsNothingMore) {
    TempStore store;
    std::atomic<int> calls{0};
    {
        auto subscription = store->subscribe("alice", "INBOX", [&](const MailboxChange&) { ++calls; });
        ASSERT_TRUE(subscription);
        ASSERT_TRUE(store->append("alice", "INBOX", "a\r\n"));
    }
    ASSERT_TRUE(store->append("alice", "INBOX", "b\r\n"));
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(store->subscribe("alice", "Nope", [](const MailboxChange&) {}).error().code,
              StoreErrc::no_such_mailbox);
}

TEST(StoreConcurrency, DeleteAndRenameTellSubscribersTheMailboxIsGone) {
    TempStore store;
    ASSERT_TRUE(store->create_mailbox("alice", "Box"));
    std::vector<MailboxChange::Kind> kinds;
    auto subscription = store->subscribe("alice", "Box", [&](const MailboxChange& c) { kinds.push_back(c.kind); });
    ASSERT_TRUE(subscription);
    ASSERT_TRUE(store->rename_mailbox("alice", "Box", "Box2"));
    ASSERT_TRUE(store->append("alice", "Box2", "x\r\n"));
    EXPECT_EQ(kinds, (std::vector<MailboxChange::Kind>{MailboxChange::Kind::gone}));
}

TEST(StoreConcurrency, SubscriptionEndingWhileOthersDeliver) {
    TempStore store;
    constexpr int kRounds = 50;
    std::vector<std::atomic<int>> calls(kRounds);
    std::vector<int> at_end(kRounds);
    std::thread writer([&] {
        for (int i = 0; i < kRounds; ++i) (void)store->append("alice", "INBOX", "x\r\n");
    });
    for (int i = 0; i < kRounds; ++i) {
        auto subscription =
            store->subscribe("alice", "INBOX", [&calls, i](const MailboxChange&) { ++calls[i]; });
        ASSERT_TRUE(subscription);
        std::this_thread::yield();
        *subscription = Subscription{};  // ends it while the writer may be delivering
        at_end[i] = calls[i].load();
    }
    writer.join();
    (void)store->append("alice", "INBOX", "last\r\n");
    for (int i = 0; i < kRounds; ++i) EXPECT_EQ(calls[i].load(), at_end[i]) << "round " << i;
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), kRounds + 1u);
}

// Store::watch (SELECT): the snapshot and the notifications that follow it cover every message
// exactly once, however appends on another thread interleave with it.
TEST(StoreConcurrency, WatchSnapshotAndNotificationsCoverEveryAppendOnce) {
    TempStore store;
    constexpr int kMessages = 200;
    std::atomic<int> appended{0};
    std::thread appender([&] {
        for (int i = 0; i < kMessages; ++i) {
            if (store->append("alice", "INBOX", "m" + std::to_string(i) + "\r\n")) ++appended;
        }
    });
    while (appended.load() < kMessages / 4) std::this_thread::yield();
    std::mutex mutex;
    std::vector<Uid> notified;
    auto watch = store->watch("alice", "INBOX", Store::RecentMode::claim, [&](const MailboxChange& change) {
        std::lock_guard lock(mutex);
        for (const auto& m : change.appended) notified.push_back(m.uid);
    });
    appender.join();
    ASSERT_TRUE(watch);
    ASSERT_EQ(appended.load(), kMessages);
    std::multiset<Uid> all;
    for (const auto& m : watch->snapshot.messages) all.insert(m.uid);
    EXPECT_FALSE(all.empty());
    std::vector<Uid> seen;
    {
        std::lock_guard lock(mutex);
        seen = notified;
    }
    for (Uid uid : seen) all.insert(uid);
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kMessages));
    Uid expected = 1;
    for (Uid uid : all) EXPECT_EQ(uid, expected++);  // each UID once, none missing
    // claim: the snapshot's messages were \Recent for this watcher and for nobody after it
    EXPECT_EQ(watch->recent.size(), watch->snapshot.messages.size());
    auto later = store->peek_recent("alice", "INBOX");
    ASSERT_TRUE(later);
    EXPECT_EQ(later->size(), seen.size());
}

}  // namespace
}  // namespace mailspec::server
