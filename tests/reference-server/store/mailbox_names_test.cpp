// Mailbox names: validation (nothing escapes the store) and the Maildir++ directory mapping.
#include <gtest/gtest.h>

#include "store/mailbox_names.hpp"

namespace mailspec::server::store_detail {
namespace {

TEST(MailboxNames, Valid) {
    for (const char* name : {"INBOX", "Sent", "A/B/C", "Archive/2024", "&AOQ-pfel", "a.b", "x-y_z"}) {
        EXPECT_EQ(invalid_name(name), std::nullopt) << name;
    }
}

TEST(MailboxNames, InvalidNamesAreRejectedWithAReason) {
    for (const char* name : {"", "..", "../etc", "a/../b", "/etc/passwd", "a/", "a//b", ".",
                             "a/./b", "star*", "per%cent", "tab\there", "nul"}) {
        std::string n = name;
        if (n == "nul") n = std::string("a\0b", 3);
        auto reason = invalid_name(n);
        ASSERT_TRUE(reason.has_value()) << name;
        EXPECT_FALSE(reason->empty());
    }
    EXPECT_TRUE(invalid_name(std::string("caf\xc3\xa9")).has_value());
    EXPECT_TRUE(invalid_name(std::string(600, 'a')).has_value());
}

TEST(MailboxNames, InboxIsCaseInsensitive) {
    EXPECT_EQ(canonical_name("inbox"), "INBOX");
    EXPECT_EQ(canonical_name("InBox/Sub"), "INBOX/Sub");
    EXPECT_EQ(canonical_name("Inboxes"), "Inboxes");
}

TEST(MailboxNames, DirectoryMappingRoundTrips) {
    EXPECT_EQ(folder_directory("INBOX"), "");
    EXPECT_EQ(folder_directory("Sent"), ".Sent");
    EXPECT_EQ(folder_directory("A/B"), ".A.B");
    EXPECT_EQ(folder_directory("v1.2/x%y"), ".v1%2E2.x%25y");
    for (const char* name : {"Sent", "A/B", "v1.2/x", "INBOX/child", "&AOQ-"}) {
        EXPECT_EQ(name_from_directory(folder_directory(name)), name) << name;
    }
    EXPECT_EQ(name_from_directory(".."), std::nullopt);
    EXPECT_EQ(name_from_directory("cur"), std::nullopt);
    EXPECT_EQ(name_from_directory(".A..B"), std::nullopt);
    EXPECT_EQ(name_from_directory(".bad%2"), std::nullopt);
    EXPECT_EQ(name_from_directory(".bad%zz"), std::nullopt);
    EXPECT_EQ(parent_name("A/B/C"), "A/B");
    EXPECT_EQ(parent_name("A"), std::nullopt);
}

}  // namespace
}  // namespace mailspec::server::store_detail
