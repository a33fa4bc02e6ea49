#include "mailspec/protocol/mime/header.hpp"

#include <gtest/gtest.h>

namespace mime = mailspec::protocol::mime;

TEST(MimeHeader, UnfoldsAndFindsCaseInsensitively) {
    std::string raw = "Subject: hello\r\n world\r\nFROM: a@b\r\n\r\nbody";
    auto h = mime::parse_header(raw);
    ASSERT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(h.value("subject").value(), "hello world");
    EXPECT_EQ(h.value("From").value(), "a@b");
    EXPECT_EQ(h.length, raw.find("body"));
    EXPECT_EQ(raw.substr(h.fields[0].offset, h.fields[0].length), "Subject: hello\r\n world\r\n");
    EXPECT_FALSE(h.value("To").has_value());
}

TEST(MimeHeader, BareLfAndMissingBlankLine) {
    auto h = mime::parse_header("A: 1\nB: 2\n\nxyz");
    EXPECT_EQ(h.length, 11u);  // "A: 1\nB: 2\n\n"
    auto all = mime::parse_header("A: 1\r\nB: 2");
    EXPECT_EQ(all.length, 10u);
    EXPECT_EQ(all.value("B").value(), "2");
}

TEST(MimeHeader, NonFieldLineEndsHeader) {
    std::string raw = "A: 1\r\nthis is not a header\r\nmore\r\n";
    auto h = mime::parse_header(raw);
    EXPECT_EQ(h.fields.size(), 1u);
    EXPECT_EQ(h.length, 6u);
}

TEST(MimeHeader, CaseHelpers) {
    EXPECT_TRUE(mime::iequals("Content-Type", "content-TYPE"));
    EXPECT_FALSE(mime::iequals("a", "ab"));
    EXPECT_TRUE(mime::icontains("Hello World", "o wOR"));
    EXPECT_FALSE(mime::icontains("Hello", "xyz"));
    EXPECT_TRUE(mime::icontains("x", ""));
}
