#include "mailspec/protocol/pop3/command.hpp"
#include "mailspec/protocol/pop3/response.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"

#include <gtest/gtest.h>

#include "../smtp/split_feed.hpp"

using namespace mailspec::protocol::pop3;
using mailspec::protocol::smtp::LineEventKind;
using mailspec::protocol::smtp::LineSplitter;

namespace {

struct Good {
    std::string line;
    std::string keyword;
    std::vector<std::string> params;
    std::string rest;
};

TEST(Pop3Command, ParsesValidLinesSplitAtEveryByte) {
    const std::vector<Good> cases = {
        {"STAT", "STAT", {}, ""},
        {"retr 1", "RETR", {"1"}, "1"},
        {"TOP 2 10", "TOP", {"2", "10"}, "2 10"},
        {"PASS pass word", "PASS", {"pass", "word"}, "pass word"},
        {"AUTH PLAIN AGFsaWNlAHNlY3JldDE=", "AUTH", {"PLAIN", "AGFsaWNlAHNlY3JldDE="}, "PLAIN AGFsaWNlAHNlY3JldDE="},
    };
    for (const auto& c : cases) {
        for (const auto& chunks : mailspec::test::chunkings(c.line + "\r\n")) {
            LineSplitter splitter(253);
            int seen = 0;
            for (const auto& chunk : chunks) {
                splitter.feed(chunk);
                for (auto e = splitter.next(); e.kind == LineEventKind::line; e = splitter.next()) {
                    ++seen;
                    auto r = parse_command(e.text);
                    ASSERT_TRUE(r) << c.line << ": " << r.error().message;
                    EXPECT_EQ(r->keyword, c.keyword);
                    EXPECT_EQ(r->params, c.params);
                    EXPECT_EQ(r->rest, c.rest);
                }
            }
            EXPECT_EQ(seen, 1) << mailspec::test::describe(chunks);
        }
    }
}

TEST(Pop3Command, RejectsBadLinesWithOffsets) {
    const std::vector<std::pair<std::string, std::size_t>> bad = {
        {"", 0}, {"ST", 2}, {"STATS", 4}, {"RETR  1", 5}, {"RETR 1 ", 7}, {"RE1R", 2},
        {std::string("RETR \0", 6), 5}, {"LIST \xff", 5}, {"DELE\t1", 4},
    };
    for (const auto& [line, offset] : bad) {
        auto r = parse_command(line);
        ASSERT_FALSE(r) << line;
        EXPECT_EQ(r.error().offset, offset) << line << ": " << r.error().message;
    }
}

TEST(Pop3Command, MessageNumbersAndLineCounts) {
    EXPECT_EQ(parse_message_number("1").value(), 1u);
    EXPECT_EQ(parse_message_number("4294967295").value(), 4294967295u);
    EXPECT_FALSE(parse_message_number("0"));
    EXPECT_FALSE(parse_message_number("-1"));
    EXPECT_FALSE(parse_message_number("+1"));
    EXPECT_FALSE(parse_message_number("1a"));
    EXPECT_FALSE(parse_message_number(""));
    EXPECT_FALSE(parse_message_number("4294967296"));
    EXPECT_EQ(parse_line_count("0").value(), 0u);
}

TEST(Pop3Response, StatusLines) {
    EXPECT_EQ(ok("2 320"), "+OK 2 320\r\n");
    EXPECT_EQ(ok(""), "+OK\r\n");
    EXPECT_EQ(err("no such message"), "-ERR no such message\r\n");
    EXPECT_EQ(err("IN-USE", "maildrop locked", {}), "-ERR [IN-USE] maildrop locked\r\n");
    EXPECT_EQ(ok("x", ResponseStyle{"\n", true}), "+OK x\n");
}

TEST(Pop3Response, MultilineBodyIsDotStuffed) {
    EXPECT_EQ(multiline_body("a\r\n.b\r\n..\r\n.\r\n"), "a\r\n..b\r\n...\r\n..\r\n.\r\n");
    EXPECT_EQ(multiline_body("no final newline"), "no final newline\r\n.\r\n");
    EXPECT_EQ(multiline_body("bare\nlf\n"), "bare\r\nlf\r\n.\r\n");
    EXPECT_EQ(multiline_body(""), ".\r\n");
    EXPECT_EQ(multiline_body(".x\r\n", ResponseStyle{"\r\n", false}), ".x\r\n.\r\n");
}

TEST(Pop3Response, TopKeepsHeadersAndFirstLines) {
    const std::string m = "Subject: s\r\nFrom: a@b\r\n\r\nl1\r\nl2\r\nl3\r\n";
    EXPECT_EQ(top_of_message(m, 0), "Subject: s\r\nFrom: a@b\r\n\r\n");
    EXPECT_EQ(top_of_message(m, 2), "Subject: s\r\nFrom: a@b\r\n\r\nl1\r\nl2\r\n");
    EXPECT_EQ(top_of_message(m, 99), m);
    EXPECT_EQ(top_of_message("only headers\r\n", 3), "only headers\r\n");
}

}  // namespace
