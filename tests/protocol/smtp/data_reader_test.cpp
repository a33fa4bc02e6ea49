#include "mailspec/protocol/smtp/data_reader.hpp"

#include <gtest/gtest.h>

#include "split_feed.hpp"

using mailspec::protocol::smtp::DataOptions;
using mailspec::protocol::smtp::DataReader;

namespace {

struct Outcome {
    bool complete = false;
    std::string content;
    std::string rest;  // bytes after the end of data
    bool too_large = false;
    bool bare = false;
    bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
    return os << "{complete=" << o.complete << " content='" << o.content << "' rest='" << o.rest
              << "' too_large=" << o.too_large << " bare=" << o.bare << "}";
}

Outcome read(const std::vector<std::string>& chunks, std::size_t max, DataOptions options) {
    DataReader reader(max, options);
    Outcome out;
    for (const auto& chunk : chunks) {
        if (reader.complete()) {
            out.rest += chunk;
            continue;
        }
        const auto used = reader.feed(chunk);
        out.rest += chunk.substr(used);
    }
    out.complete = reader.complete();
    out.content = reader.content();
    out.too_large = reader.too_large();
    out.bare = reader.saw_bare_line_ending();
    return out;
}

struct Case {
    std::string name;
    std::string input;
    Outcome expected;
    DataOptions options = {};
    std::size_t max = 1000;
};

TEST(DataReader, TableSplitAtEveryByte) {
    const std::vector<Case> cases = {
        {"simple", "Subject: x\r\n\r\nbody\r\n.\r\n", {true, "Subject: x\r\n\r\nbody\r\n", "", false, false}},
        {"empty message", ".\r\n", {true, "", "", false, false}},
        {"pipelined after", "a\r\n.\r\nQUIT\r\n", {true, "a\r\n", "QUIT\r\n", false, false}},
        {"unstuff", "..hidden\r\n..\r\n.\r\n", {true, ".hidden\r\n.\r\n", "", false, false}},
        {"no unstuff fault", "..hidden\r\n.\r\n", {true, "..hidden\r\n", "", false, false}, DataOptions{false, false}},
        {"incomplete", "a\r\n.", {false, "a\r\n", "", false, false}},
        // SMTP smuggling: none of these end the data.
        {"bare LF dot LF", "a\n.\nMAIL FROM:<x@y>\r\n", {false, "a\n.\nMAIL FROM:<x@y>\r\n", "", false, true}},
        {"bare CR dot CR", "a\r.\rb\r\n", {false, "a\r.\rb\r\n", "", false, true}},
        {"LF dot CRLF", "a\n.\r\nb\r\n", {false, "a\n.\r\nb\r\n", "", false, true}},
        {"CRLF dot LF", "a\r\n.\nb\r\n", {false, "a\r\n\nb\r\n", "", false, true}},
        {"CRLF dot CR x", "a\r\n.\rx\r\n.\r\n", {true, "a\r\n\rx\r\n", "", false, true}},
        {"dot in middle", "a.\r\n.b\r\n.\r\n", {true, "a.\r\nb\r\n", "", false, false}},
        {"too large", "0123456789\r\n.\r\nNOOP", {true, "01234", "NOOP", true, false}, {}, 5},
        // The deliberate fault smtp.bare-lf-ends-data makes LF "." LF (and CRLF "." LF) end the data.
        {"fault: LF dot LF ends", "a\n.\nMAIL FROM:<x@y>\r\n", {true, "a\n", "MAIL FROM:<x@y>\r\n", false, true}, DataOptions{true, true}},
        {"fault: CRLF dot LF ends", "a\r\n.\nX", {true, "a\r\n", "X", false, false}, DataOptions{true, true}},
        {"8-bit and NUL kept", std::string("\xff\0z\r\n.\r\n", 8), {true, std::string("\xff\0z\r\n", 5), "", false, false}},
    };
    for (const auto& c : cases) {
        for (const auto& chunks : mailspec::test::chunkings(c.input)) {
            EXPECT_EQ(read(chunks, c.max, c.options), c.expected) << c.name << " " << mailspec::test::describe(chunks);
        }
    }
}

TEST(DataReader, MeasuresTheLongestLine) {
    DataReader reader(10000);
    reader.feed("abc\r\n..12345\r\n\r\n.\r\n");
    EXPECT_TRUE(reader.complete());
    EXPECT_EQ(reader.longest_line(), 6u);  // ".12345": the stuffing dot is not counted
}

TEST(DataReader, ReportsSizeBeyondLimit) {
    DataReader reader(4);
    reader.feed("abcdefgh\r\n.\r\n");
    EXPECT_TRUE(reader.complete());
    EXPECT_TRUE(reader.too_large());
    EXPECT_EQ(reader.size(), 10u);
}

}  // namespace
