#include "mailspec/protocol/imap/sequence_set.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

TEST(ImapSequenceSet, ValidSetsAndMembership) {
    std::string error;
    auto s = parse_sequence_set("1,3:5,9:*", error);
    ASSERT_TRUE(s) << error;
    EXPECT_TRUE(s->contains(1, 12));
    EXPECT_FALSE(s->contains(2, 12));
    EXPECT_TRUE(s->contains(4, 12));
    EXPECT_TRUE(s->contains(12, 12));
    EXPECT_FALSE(s->contains(8, 12));
    auto reversed = parse_sequence_set("5:3", error);
    ASSERT_TRUE(reversed);
    EXPECT_TRUE(reversed->contains(4, 10));
    auto star = parse_sequence_set("*", error);
    ASSERT_TRUE(star);
    EXPECT_TRUE(star->contains(7, 7));
    EXPECT_FALSE(star->contains(6, 7));
    EXPECT_FALSE(star->contains(1, 0));  // empty mailbox
    auto above = parse_sequence_set("20:*", error);  // RFC 3501 §6.4.8: contains the largest
    ASSERT_TRUE(above);
    EXPECT_TRUE(above->contains(7, 7));
}

TEST(ImapSequenceSet, InvalidSets) {
    struct Case { const char* in; const char* message_part; };
    const Case cases[] = {
        {"0", "0 is not a valid"}, {"1:0", "0 is not a valid"}, {"*:x", "expected a number"},
        {"", "empty"}, {"1,", "expected a number"}, {"1;2", "expected ','"},
        {"99999999999", "too large"}, {"a", "expected a number"},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_sequence_set(c.in, error)) << c.in;
        EXPECT_NE(error.find(c.message_part), std::string::npos) << c.in << ": " << error;
    }
}

TEST(ImapSequenceSet, Format) {
    EXPECT_EQ(format_sequence_set({5, 1, 2, 3, 9}), "1:3,5,9");
    EXPECT_EQ(format_sequence_set({}), "");
}
