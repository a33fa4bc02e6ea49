#include "mailspec/protocol/smtp/line_splitter.hpp"

#include <gtest/gtest.h>

#include "split_feed.hpp"

using namespace mailspec::protocol::smtp;

namespace {

// Renders every event of feeding `chunks` as "L:text", "LF:text" (bare LF) or "LONG@offset".
std::vector<std::string> events(const std::vector<std::string>& chunks, std::size_t max_line) {
    LineSplitter splitter(max_line);
    std::vector<std::string> out;
    for (const auto& chunk : chunks) {
        splitter.feed(chunk);
        for (auto e = splitter.next(); e.kind != LineEventKind::need_more; e = splitter.next()) {
            if (e.kind == LineEventKind::line) out.push_back((e.bare_lf ? "LF:" : "L:") + e.text);
            else out.push_back("LONG@" + std::to_string(e.offset));
        }
    }
    return out;
}

struct Case {
    const char* input;
    std::size_t max_line;
    std::vector<std::string> expected;
};

TEST(LineSplitter, TableSplitAtEveryByte) {
    const std::vector<Case> cases = {
        {"EHLO a\r\n", 10, {"L:EHLO a"}},
        {"NOOP\r\nQUIT\r\n", 10, {"L:NOOP", "L:QUIT"}},
        {"\r\n", 10, {"L:"}},
        {"NOOP\n", 10, {"LF:NOOP"}},
        {"A\rB\r\n", 10, {"L:A\rB"}},
        {"0123456789\r\n", 10, {"L:0123456789"}},
        {"0123456789X\r\nNOOP\r\n", 10, {"LONG@0", "L:NOOP"}},
        {"0123456789ABCDEFGHIJ\r\nNOOP\r\n", 10, {"LONG@0", "L:NOOP"}},
        {"OK\r\n0123456789ABCDEFGHIJKLMNOP\nNOOP\r\n", 10, {"L:OK", "LONG@4", "L:NOOP"}},
        {"0123456789ABCDEF\r\n0123456789ABCDEF\r\n", 10, {"LONG@0", "LONG@18"}},
        {"partial", 10, {}},
    };
    for (const auto& c : cases) {
        for (const auto& chunks : mailspec::test::chunkings(c.input)) {
            EXPECT_EQ(events(chunks, c.max_line), c.expected) << c.input << " " << mailspec::test::describe(chunks);
        }
    }
}

TEST(LineSplitter, KeepsNulAndEightBitBytes) {
    const std::string input("A\0\xff\r\n", 5);
    for (const auto& chunks : mailspec::test::chunkings(input))
        EXPECT_EQ(events(chunks, 10), std::vector<std::string>{"L:" + std::string("A\0\xff", 3)});
}

TEST(LineSplitter, MemoryStaysBoundedOnEndlessLine) {
    LineSplitter splitter(100);
    for (int i = 0; i < 1000; ++i) {
        splitter.feed(std::string(1000, 'x'));
        EXPECT_EQ(splitter.next().kind, LineEventKind::need_more);
    }
    splitter.feed("\r\nQUIT\r\n");
    EXPECT_EQ(splitter.next().kind, LineEventKind::too_long);
    auto e = splitter.next();
    EXPECT_EQ(e.kind, LineEventKind::line);
    EXPECT_EQ(e.text, "QUIT");
    EXPECT_EQ(e.offset, 1000u * 1000u + 2u);
}

TEST(LineSplitter, TakeBufferedReturnsUnreadBytes) {
    LineSplitter splitter(100);
    splitter.feed("STARTTLS\r\nMAIL FROM:<x@y>\r\nRC");
    auto e = splitter.next();
    EXPECT_EQ(e.text, "STARTTLS");
    EXPECT_EQ(splitter.take_buffered(), "MAIL FROM:<x@y>\r\nRC");
    EXPECT_FALSE(splitter.has_buffered());
    EXPECT_EQ(splitter.next().kind, LineEventKind::need_more);
}

}  // namespace
