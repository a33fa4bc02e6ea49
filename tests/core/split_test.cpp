#include "mailspec/core/split.hpp"

#include <gtest/gtest.h>

TEST(SplitAny, DropsEmptyRunsAndKeepsOrder) {
    using mailspec::core::split_any;
    EXPECT_EQ(split_any("a, b,,c", ", "), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split_any("  \t ", " \t"), std::vector<std::string>{});
    EXPECT_EQ(split_any("one", " "), std::vector<std::string>{"one"});
    EXPECT_EQ(split_any("MAIL FROM:<x@y>", " :<>"), (std::vector<std::string>{"MAIL", "FROM", "x@y"}));
}
