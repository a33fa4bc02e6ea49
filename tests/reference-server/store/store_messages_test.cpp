// Store messages: append / list / read, flags, expunge, copy and move (COPYUID), \Recent,
// persistence across restarts and crash safety.
#include <fstream>
#include <set>
#include <gtest/gtest.h>

#include "temp_store.hpp"

namespace mailspec::server {
namespace {

using testing::TempStore;
namespace fs = std::filesystem;

const std::string kMessage = "From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n";

Flags flags_of(std::initializer_list<const char*> names) {
    Flags flags;
    for (auto name : names) flags.add(name);
    return flags;
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for (auto& entry : fs::directory_iterator(dir)) {
        (void)entry;
        ++n;
    }
    return n;
}

TEST(StoreMessages, AppendListRead) {
    TempStore store;
    auto first = store->append("alice", "INBOX", kMessage);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->uid, 1u);
    EXPECT_GT(first->uidvalidity, 0u);
    InternalDate date{std::chrono::sys_seconds(std::chrono::seconds(1700000000)), 120};
    auto second = store->append("alice", "inbox", "x\r\n", flags_of({"\\Seen", "Work"}), date);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->uid, 2u);
    EXPECT_EQ(second->uidvalidity, first->uidvalidity);

    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_TRUE(snapshot);
    EXPECT_EQ(snapshot->uidnext, 3u);
    ASSERT_EQ(snapshot->messages.size(), 2u);
    EXPECT_EQ(snapshot->messages[0].size, kMessage.size());
    EXPECT_EQ(snapshot->messages[1].flags.names(), (std::vector<std::string>{"\\Seen", "Work"}));
    EXPECT_EQ(snapshot->messages[1].internal_date.time.time_since_epoch().count(), 1700000000);
    EXPECT_EQ(snapshot->messages[1].internal_date.zone_minutes, 120);
    EXPECT_EQ(*store->read_message("alice", "INBOX", 1), kMessage);
    EXPECT_EQ(*store->read_message("alice", "INBOX", 2), "x\r\n");

    // On disk as Maildir: unflagged in new/, flagged in cur/ with the info suffix; tmp/ empty.
    EXPECT_EQ(files_in(store.maildir() / "new"), 1u);
    ASSERT_EQ(files_in(store.maildir() / "cur"), 1u);
    auto cur = fs::directory_iterator(store.maildir() / "cur")->path().filename().string();
    EXPECT_NE(cur.find(":2,S"), std::string::npos) << cur;
    EXPECT_EQ(files_in(store.maildir() / "tmp"), 0u);
}

TEST(StoreMessages, ErrorsAreValues) {
    TempStore store;
    auto r = store->append("mallory", "INBOX", kMessage);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, StoreErrc::no_such_user);
    auto m = store->append("alice", "Nope", kMessage);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, StoreErrc::no_such_mailbox);
    auto bad = store->list_messages("alice", "../bob");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, StoreErrc::invalid_name);
    auto missing = store->read_message("alice", "INBOX", 42);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, StoreErrc::no_such_message);
    EXPECT_THROW((void)missing.value(), std::logic_error);
}

TEST(StoreMessages, FlagsChangeAndPersist) {
    TempStore store;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    std::vector<Uid> uids{1, 2, 99};
    auto added = store->store_flags("alice", "INBOX", uids, FlagOp::add, flags_of({"\\Flagged", "$Label1"}));
    ASSERT_TRUE(added);
    ASSERT_EQ(added->size(), 2u);  // 99 does not exist
    EXPECT_TRUE((*added)[0].changed && (*added)[1].changed);
    auto again = store->store_flags("alice", "INBOX", uids, FlagOp::add, flags_of({"\\Flagged"}));
    ASSERT_EQ(again->size(), 2u);  // both still reported, with their current flags
    for (const auto& change : *again) {
        EXPECT_FALSE(change.changed) << change.uid;  // nothing changed
        EXPECT_TRUE(change.flags.contains("$Label1")) << change.uid;
    }
    std::vector<Uid> two{2};
    ASSERT_TRUE(store->store_flags("alice", "INBOX", two, FlagOp::remove, flags_of({"$label1"})));
    std::vector<Uid> three{3};
    ASSERT_TRUE(store->store_flags("alice", "INBOX", three, FlagOp::replace, flags_of({"\\Seen"})));

    store.reopen();
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_TRUE(snapshot);
    ASSERT_EQ(snapshot->messages.size(), 3u);
    EXPECT_EQ(snapshot->messages[0].flags.names(), (std::vector<std::string>{"\\Flagged", "$Label1"}));
    EXPECT_EQ(snapshot->messages[1].flags.names(), (std::vector<std::string>{"\\Flagged"}));
    EXPECT_EQ(snapshot->messages[2].flags.names(), (std::vector<std::string>{"\\Seen"}));
}

TEST(StoreMessages, UidsAndUidvalidityPersistAcrossRestart) {
    TempStore store;
    auto a = store->append("alice", "INBOX", kMessage);
    auto b = store->append("alice", "INBOX", kMessage);
    std::vector<Uid> first{a->uid};
    ASSERT_TRUE(store->expunge("alice", "INBOX", first));
    auto status_before = *store->status("alice", "INBOX");
    store.reopen();
    auto status_after = store->status("alice", "INBOX");
    ASSERT_TRUE(status_after);
    EXPECT_EQ(status_after->uidvalidity, status_before.uidvalidity);
    EXPECT_EQ(status_after->uidnext, 3u);
    EXPECT_EQ(status_after->messages, 1u);
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_EQ(snapshot->messages.size(), 1u);
    EXPECT_EQ(snapshot->messages[0].uid, b->uid);
    auto c = store->append("alice", "INBOX", kMessage);
    EXPECT_EQ(c->uid, 3u);  // UIDs are never reused (RFC 3501 §2.3.1.1)
}

TEST(StoreMessages, ExpungeDeletedOnlyRemovesDeleted) {
    TempStore store;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    std::vector<Uid> marked{1, 3, 4};
    ASSERT_TRUE(store->store_flags("alice", "INBOX", marked, FlagOp::add, flags_of({"\\Deleted"})));
    auto some = store->expunge_deleted("alice", "INBOX", std::vector<Uid>{3, 2});
    ASSERT_TRUE(some);
    EXPECT_EQ(*some, (std::vector<Uid>{3}));  // UID EXPUNGE: only listed and \Deleted
    auto rest = store->expunge_deleted("alice", "INBOX");
    EXPECT_EQ(*rest, (std::vector<Uid>{1, 4}));
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_EQ(snapshot->messages.size(), 1u);
    EXPECT_EQ(snapshot->messages[0].uid, 2u);
    EXPECT_EQ(files_in(store.maildir() / "new") + files_in(store.maildir() / "cur"), 1u);
}

TEST(StoreMessages, CopyAndMoveReturnNewUids) {
    TempStore store;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->append("alice", "INBOX", "m" + std::to_string(i) + "\r\n", flags_of({"\\Seen"})));
    ASSERT_TRUE(store->append("alice", "Trash", "old\r\n"));
    std::vector<Uid> uids{3, 1, 7};
    auto copied = store->copy("alice", "INBOX", uids, "Trash");
    ASSERT_TRUE(copied) << copied.error().message;
    EXPECT_EQ(copied->uidvalidity, store->status("alice", "Trash")->uidvalidity);
    EXPECT_EQ(copied->uids, (std::vector<std::pair<Uid, Uid>>{{1, 2}, {3, 3}}));
    EXPECT_EQ(*store->read_message("alice", "Trash", 3), "m2\r\n");
    auto trash = store->list_messages("alice", "Trash");
    EXPECT_TRUE(trash->messages[1].flags.has(Flags::seen));  // flags are copied

    std::vector<Uid> two{2};
    auto moved = store->move("alice", "INBOX", two, "Junk");
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->uids, (std::vector<std::pair<Uid, Uid>>{{2, 1}}));
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), 2u);
    EXPECT_EQ(*store->read_message("alice", "Junk", 1), "m1\r\n");

    auto missing = store->copy("alice", "INBOX", uids, "Nowhere");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, StoreErrc::no_such_mailbox);
    EXPECT_NE(missing.error().message.find("TRYCREATE"), std::string::npos);
}

TEST(StoreMessages, RecentGoesToTheFirstSessionOnly) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    EXPECT_EQ(store->status("alice", "INBOX")->recent, 2u);
    EXPECT_EQ(*store->peek_recent("alice", "INBOX"), (std::vector<Uid>{1, 2}));
    EXPECT_EQ(*store->claim_recent("alice", "INBOX"), (std::vector<Uid>{1, 2}));
    EXPECT_TRUE(store->claim_recent("alice", "INBOX")->empty());
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    store.reopen();
    EXPECT_EQ(store->status("alice", "INBOX")->recent, 1u);
    EXPECT_EQ(*store->claim_recent("alice", "INBOX"), (std::vector<Uid>{3}));
    EXPECT_EQ(store->status("alice", "INBOX")->unseen, 3u);
}

TEST(StoreCrashSafety, TmpFilesNeverBecomeMessages) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    {
        std::ofstream half(store.maildir() / "tmp" / "1700000000.M1P1Q1.host,S=999");
        half << "From: half";  // a delivery that crashed before rename
    }
    store.reopen();
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_EQ(snapshot->messages.size(), 1u);
    EXPECT_EQ(files_in(store.maildir() / "tmp"), 0u);  // cleaned up
}

TEST(StoreCrashSafety, DeliveredButUnindexedFileIsRecovered) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    {
        // A crash after rename into new/ but before the index log record.
        std::ofstream file(store.maildir() / "new" / "1999999999.M1P1Q1.host", std::ios::binary);
        file << "Subject: recovered\r\n\r\nx\r\n";
    }
    {
        // A torn log record (no newline) must be ignored, not break loading.
        std::ofstream log(store.maildir() / "mailspec-index.log", std::ios::app);
        log << "F 1 \\Se";
    }
    store.reopen();
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_TRUE(snapshot);
    ASSERT_EQ(snapshot->messages.size(), 2u);
    EXPECT_EQ(snapshot->messages[1].uid, 2u);
    EXPECT_TRUE(snapshot->messages[0].flags.names().empty());
    EXPECT_EQ(*store->read_message("alice", "INBOX", 2), "Subject: recovered\r\n\r\nx\r\n");
}

TEST(StoreCrashSafety, IndexEntryWithoutFileIsDropped) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    ASSERT_TRUE(store->append("alice", "INBOX", kMessage));
    // Remove one message file behind the store's back (a crash between unlink and index record).
    for (auto& entry : fs::directory_iterator(store.maildir() / "new")) {
        fs::remove(entry.path());
        break;
    }
    store.reopen();
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), 1u);
}

TEST(StoreCrashSafety, DamagedIndexIsRebuiltUnderANewUidvalidity) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", "one\r\n"));
    ASSERT_TRUE(store->append("alice", "INBOX", "two\r\n"));
    auto before = store->status("alice", "INBOX")->uidvalidity;
    {
        std::ofstream index(store.maildir() / "mailspec-index", std::ios::trunc);
        index << "garbage\n";
    }
    store.reopen();
    auto snapshot = store->list_messages("alice", "INBOX");
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    EXPECT_GT(snapshot->uidvalidity, before);  // the old UIDs cannot be trusted
    ASSERT_EQ(snapshot->messages.size(), 2u);  // no message lost
    std::set<std::string> bodies{*store->read_message("alice", "INBOX", snapshot->messages[0].uid),
                                 *store->read_message("alice", "INBOX", snapshot->messages[1].uid)};
    EXPECT_EQ(bodies, (std::set<std::string>{"one\r\n", "two\r\n"}));
    store.reopen();  // and the rebuilt index is kept
    EXPECT_EQ(store->list_messages("alice", "INBOX")->uidvalidity, snapshot->uidvalidity);
}

TEST(StoreUsers, AuthenticateAndAddresses) {
    TempStore store;
    EXPECT_EQ(store->authenticate("alice", "secret1"), "alice");
    EXPECT_EQ(store->authenticate("alice", "secret2"), std::nullopt);
    EXPECT_EQ(store->authenticate("alice", "secret11"), std::nullopt);
    EXPECT_EQ(store->authenticate("alice", ""), std::nullopt);
    EXPECT_EQ(store->authenticate("carol", "secret1"), std::nullopt);
    EXPECT_EQ(store->find_local_user("Bob@Example.Test"), "bob");
    EXPECT_EQ(store->find_local_user("carol@example.test"), std::nullopt);
    EXPECT_TRUE(store->has_user("bob"));
    EXPECT_FALSE(store->has_user("../bob"));
}

TEST(StoreUsers, LoginsThatCouldLeaveTheRootAreRejected) {
    auto root = std::filesystem::temp_directory_path() / "mailspec-store-bad-login";
    for (const char* login : {"../evil", ".hidden", "a/b", "", "outbound", "mailspec-uidvalidity"}) {
        EXPECT_THROW(Store(root, {{login, "pw", {}}}), std::runtime_error) << login;
    }
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    EXPECT_FALSE(std::filesystem::exists(root.parent_path() / "evil"));
}

TEST(StoreUsers, MaildropLockIsExclusive) {
    TempStore store;
    auto lock = store->try_lock_maildrop("alice");
    ASSERT_TRUE(lock.has_value());
    EXPECT_FALSE(store->try_lock_maildrop("alice").has_value());
    EXPECT_TRUE(store->try_lock_maildrop("bob").has_value());
    lock.reset();
    EXPECT_TRUE(store->try_lock_maildrop("alice").has_value());
    EXPECT_FALSE(store->try_lock_maildrop("mallory").has_value());
}

}  // namespace
}  // namespace mailspec::server
