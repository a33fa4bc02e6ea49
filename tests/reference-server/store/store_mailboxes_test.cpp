// Store mailboxes: the default set with SPECIAL-USE, CREATE / DELETE / RENAME (RFC 3501 §6.3.3-5),
// LIST attributes, subscriptions and names that try to escape the store.
#include <algorithm>
#include <gtest/gtest.h>

#include "temp_store.hpp"

namespace mailspec::server {
namespace {

using testing::TempStore;
namespace fs = std::filesystem;

const MailboxInfo* find(const std::vector<MailboxInfo>& list, const std::string& name) {
    auto it = std::find_if(list.begin(), list.end(), [&](const MailboxInfo& m) { return m.name == name; });
    return it == list.end() ? nullptr : &*it;
}

bool has_attribute(const MailboxInfo* info, const std::string& attribute) {
    return info && std::find(info->attributes.begin(), info->attributes.end(), attribute) !=
                       info->attributes.end();
}

TEST(StoreMailboxes, NewUserHasInboxAndSpecialUse) {
    TempStore store;
    for (const char* dir : {"cur", "new", "tmp", ".Sent/cur", ".Drafts/new", ".Trash/tmp", ".Junk/cur"}) {
        EXPECT_TRUE(fs::is_directory(store.maildir() / dir)) << dir;
    }
    auto list = store->list_mailboxes("alice");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 5u);
    EXPECT_EQ((*list)[0].name, "INBOX");
    EXPECT_TRUE(has_attribute(find(*list, "Sent"), "\\Sent"));
    EXPECT_TRUE(has_attribute(find(*list, "Drafts"), "\\Drafts"));
    EXPECT_TRUE(has_attribute(find(*list, "Trash"), "\\Trash"));
    EXPECT_TRUE(has_attribute(find(*list, "Junk"), "\\Junk"));
    EXPECT_TRUE(has_attribute(find(*list, "INBOX"), "\\HasNoChildren"));
    EXPECT_TRUE(find(*list, "Sent")->subscribed);
    auto subscribed = store->list_subscribed("alice");
    EXPECT_EQ(subscribed->size(), 5u);
    EXPECT_EQ(subscribed->front(), "INBOX");
}

TEST(StoreMailboxes, CreateMakesSuperiorsAndRejectsDuplicates) {
    TempStore store;
    ASSERT_TRUE(store->create_mailbox("alice", "Archive/2024/Q1"));
    EXPECT_TRUE(store->mailbox_exists("alice", "Archive"));
    EXPECT_TRUE(store->mailbox_exists("alice", "Archive/2024"));
    EXPECT_TRUE(fs::is_directory(store.maildir() / ".Archive.2024.Q1" / "cur"));
    auto dup = store->create_mailbox("alice", "Archive");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, StoreErrc::mailbox_exists);
    EXPECT_EQ(store->create_mailbox("alice", "inbox").error().code, StoreErrc::mailbox_exists);
    ASSERT_TRUE(store->create_mailbox("alice", "Projects/"));  // trailing delimiter allowed
    EXPECT_TRUE(store->mailbox_exists("alice", "Projects"));
    auto list = *store->list_mailboxes("alice");
    EXPECT_TRUE(has_attribute(find(list, "Archive"), "\\HasChildren"));
    EXPECT_TRUE(has_attribute(find(list, "Archive/2024/Q1"), "\\HasNoChildren"));
}

TEST(StoreMailboxes, NamesCannotEscapeTheStore) {
    TempStore store;
    for (const char* name : {"..", "../bob", "/tmp/x", "a/../../b", "x/./y", "evil*", "%", ""}) {
        auto r = store->create_mailbox("alice", name);
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.error().code, StoreErrc::invalid_name) << name;
    }
    EXPECT_FALSE(fs::exists(store.root() / "alice" / "bob"));
    EXPECT_EQ(store->rename_mailbox("alice", "Sent", "../../x").error().code, StoreErrc::invalid_name);
    EXPECT_EQ(store->delete_mailbox("alice", "../alice").error().code, StoreErrc::invalid_name);
    // A dot inside a name stays inside one directory level.
    ASSERT_TRUE(store->create_mailbox("alice", "v1.2"));
    EXPECT_TRUE(fs::is_directory(store.maildir() / ".v1%2E2"));
    EXPECT_TRUE(find(*store->list_mailboxes("alice"), "v1.2"));
}

TEST(StoreMailboxes, DeleteRules) {
    TempStore store;
    EXPECT_EQ(store->delete_mailbox("alice", "INBOX").error().code, StoreErrc::not_permitted);
    EXPECT_EQ(store->delete_mailbox("alice", "Nope").error().code, StoreErrc::no_such_mailbox);
    ASSERT_TRUE(store->create_mailbox("alice", "A/B"));
    ASSERT_TRUE(store->append("alice", "A", "x\r\n"));
    // A has an inferior: its messages go, the name stays as \Noselect.
    ASSERT_TRUE(store->delete_mailbox("alice", "A"));
    auto list = *store->list_mailboxes("alice");
    EXPECT_TRUE(has_attribute(find(list, "A"), "\\Noselect"));
    EXPECT_TRUE(has_attribute(find(list, "A"), "\\HasChildren"));
    EXPECT_FALSE(store->mailbox_exists("alice", "A"));
    EXPECT_EQ(store->list_messages("alice", "A").error().code, StoreErrc::not_permitted);
    EXPECT_EQ(store->delete_mailbox("alice", "A").error().code, StoreErrc::has_children);
    ASSERT_TRUE(store->delete_mailbox("alice", "A/B"));
    ASSERT_TRUE(store->delete_mailbox("alice", "A"));  // \Noselect without inferiors now
    EXPECT_EQ(find(*store->list_mailboxes("alice"), "A"), nullptr);
    // Re-creating a deleted name gives a greater UIDVALIDITY (RFC 3501 §2.3.1.1).
    ASSERT_TRUE(store->create_mailbox("alice", "C"));
    auto before = store->status("alice", "C")->uidvalidity;
    ASSERT_TRUE(store->delete_mailbox("alice", "C"));
    ASSERT_TRUE(store->create_mailbox("alice", "C"));
    EXPECT_GT(store->status("alice", "C")->uidvalidity, before);
}

TEST(StoreMailboxes, RenameMovesInferiors) {
    TempStore store;
    ASSERT_TRUE(store->create_mailbox("alice", "Work/Old"));
    ASSERT_TRUE(store->append("alice", "Work/Old", "keep\r\n"));
    auto validity = store->status("alice", "Work/Old")->uidvalidity;
    ASSERT_TRUE(store->rename_mailbox("alice", "Work", "Jobs/Work"));
    EXPECT_FALSE(store->mailbox_exists("alice", "Work"));
    EXPECT_FALSE(store->mailbox_exists("alice", "Work/Old"));
    EXPECT_TRUE(store->mailbox_exists("alice", "Jobs"));
    ASSERT_TRUE(store->mailbox_exists("alice", "Jobs/Work/Old"));
    EXPECT_EQ(*store->read_message("alice", "Jobs/Work/Old", 1), "keep\r\n");
    EXPECT_EQ(store->status("alice", "Jobs/Work/Old")->uidvalidity, validity);
    EXPECT_EQ(store->rename_mailbox("alice", "Nope", "X").error().code, StoreErrc::no_such_mailbox);
    EXPECT_EQ(store->rename_mailbox("alice", "Sent", "Trash").error().code, StoreErrc::mailbox_exists);
    EXPECT_EQ(store->rename_mailbox("alice", "Jobs", "Jobs/Sub").error().code, StoreErrc::not_permitted);
}

TEST(StoreMailboxes, RenameInboxMovesMessagesAndLeavesItEmpty) {
    TempStore store;
    ASSERT_TRUE(store->append("alice", "INBOX", "one\r\n"));
    ASSERT_TRUE(store->append("alice", "INBOX", "two\r\n"));
    ASSERT_TRUE(store->rename_mailbox("alice", "INBOX", "Old Mail"));
    EXPECT_EQ(store->status("alice", "INBOX")->messages, 0u);
    EXPECT_EQ(store->status("alice", "INBOX")->uidnext, 3u);
    auto moved = store->list_messages("alice", "Old Mail");
    ASSERT_TRUE(moved);
    ASSERT_EQ(moved->messages.size(), 2u);
    EXPECT_EQ(*store->read_message("alice", "Old Mail", moved->messages[1].uid), "two\r\n");
    store.reopen();
    EXPECT_EQ(store->status("alice", "INBOX")->messages, 0u);
    EXPECT_EQ(store->status("alice", "Old Mail")->messages, 2u);
}

TEST(StoreMailboxes, Subscriptions) {
    TempStore store;
    ASSERT_TRUE(store->subscribe_mailbox("alice", "Not/Yet"));  // need not exist
    ASSERT_TRUE(store->unsubscribe_mailbox("alice", "Junk"));
    ASSERT_TRUE(store->unsubscribe_mailbox("alice", "Never"));
    store.reopen();
    auto names = *store->list_subscribed("alice");
    EXPECT_EQ(names, (std::vector<std::string>{"INBOX", "Drafts", "Not/Yet", "Sent", "Trash"}));
    EXPECT_EQ(store->subscribe_mailbox("alice", "../x").error().code, StoreErrc::invalid_name);
}

TEST(StoreMailboxes, StatusCounts) {
    TempStore store;
    Flags seen;
    seen.add("\\Seen");
    ASSERT_TRUE(store->append("alice", "Sent", "a\r\n", seen));
    ASSERT_TRUE(store->append("alice", "Sent", "b\r\n"));
    auto status = store->status("alice", "Sent");
    ASSERT_TRUE(status);
    EXPECT_EQ(status->messages, 2u);
    EXPECT_EQ(status->unseen, 1u);
    EXPECT_EQ(status->recent, 2u);
    EXPECT_EQ(status->uidnext, 3u);
    EXPECT_EQ(store->status("alice", "Nope").error().code, StoreErrc::no_such_mailbox);
}

}  // namespace
}  // namespace mailspec::server
