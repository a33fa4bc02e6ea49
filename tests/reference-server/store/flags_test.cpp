// Flags: system flags are case-insensitive bits, keywords atoms, \Recent is not storable.
#include <gtest/gtest.h>

#include "store/store.hpp"

namespace mailspec::server {
namespace {

TEST(Flags, SystemAndKeywords) {
    Flags flags;
    EXPECT_TRUE(flags.add("\\seen"));
    EXPECT_TRUE(flags.add("\\Deleted"));
    EXPECT_TRUE(flags.add("$Forwarded"));
    EXPECT_TRUE(flags.add("$forwarded"));  // same keyword, case-insensitive
    EXPECT_FALSE(flags.add("\\Recent"));
    EXPECT_FALSE(flags.add("\\Bogus"));
    EXPECT_FALSE(flags.add("two words"));
    EXPECT_FALSE(flags.add("par(en"));
    EXPECT_FALSE(flags.add(""));
    EXPECT_TRUE(flags.has(Flags::seen));
    EXPECT_TRUE(flags.contains("\\SEEN"));
    EXPECT_TRUE(flags.contains("$FORWARDED"));
    EXPECT_EQ(flags.names(), (std::vector<std::string>{"\\Seen", "\\Deleted", "$Forwarded"}));
    flags.remove("\\SEEN");
    flags.remove("$FORWARDED");
    EXPECT_EQ(flags.names(), (std::vector<std::string>{"\\Deleted"}));
}

TEST(Flags, SetOperationsAndEquality) {
    Flags a, b;
    a.add("\\Seen");
    a.add("Work");
    b.add("work");
    b.add("\\Flagged");
    Flags c = a;
    c.add_all(b);
    EXPECT_EQ(c.names(), (std::vector<std::string>{"\\Seen", "\\Flagged", "Work"}));
    c.remove_all(b);
    EXPECT_EQ(c.names(), (std::vector<std::string>{"\\Seen"}));
    Flags d;
    d.add("WORK");
    d.add("\\Seen");
    EXPECT_TRUE(a == d);
    EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace mailspec::server
