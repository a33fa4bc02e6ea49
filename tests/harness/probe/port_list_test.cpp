#include "port_list.hpp"

#include <gtest/gtest.h>

namespace mailspec::harness::probe {
namespace {

std::vector<unsigned short> parse_ok(std::string_view text) {
    PortListError error;
    auto ports = parse_port_list(text, error);
    EXPECT_TRUE(ports.has_value()) << text << ": " << error.message;
    return ports.value_or(std::vector<unsigned short>{});
}

TEST(PortList, DefaultMatrixIsTheIssueSixList) {
    EXPECT_EQ(default_ports(), (std::vector<unsigned short>{25, 26, 465, 587, 2525, 110, 995, 143, 993}));
}

TEST(PortList, ListsAndRangesKeepOrderAndDropDuplicates) {
    EXPECT_EQ(parse_ok("25"), (std::vector<unsigned short>{25}));
    EXPECT_EQ(parse_ok("587,25,465"), (std::vector<unsigned short>{587, 25, 465}));
    EXPECT_EQ(parse_ok("110-112,993,111"), (std::vector<unsigned short>{110, 111, 112, 993}));
    EXPECT_EQ(parse_ok("65535,1"), (std::vector<unsigned short>{65535, 1}));
}

struct BadList {
    const char* text;
    std::size_t offset;
    const char* fragment;
};

TEST(PortList, BadInputNamesOffsetAndWhatWasFound) {
    const BadList cases[] = {
        {"", 0, "empty"},
        {"25,", 3, "end of text"},
        {"25;587", 2, "found \";\""},
        {"0", 0, "1..65535"},
        {"65536", 0, "1..65535"},
        {"1234567", 0, "1..65535"},
        {"30-20", 3, "below range start"},
        {"abc", 0, "found \"a\""},
        {"25-", 3, "end of text"},
    };
    for (const auto& c : cases) {
        PortListError error;
        EXPECT_FALSE(parse_port_list(c.text, error).has_value()) << c.text;
        EXPECT_EQ(error.offset, c.offset) << c.text;
        EXPECT_NE(error.message.find(c.fragment), std::string::npos) << c.text << ": " << error.message;
    }
}

TEST(PortList, TooManyPortsIsAnErrorNotAHugeLoop) {
    PortListError error;
    EXPECT_FALSE(parse_port_list("1-65535", error, 1024).has_value());
    EXPECT_NE(error.message.find("at most 1024"), std::string::npos);
}

}  // namespace
}  // namespace mailspec::harness::probe
