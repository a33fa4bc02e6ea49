// Tables of valid and invalid POP3 responses (RFC 1939 §3, RFC 5034 §4), each framed whole, byte
// at a time and split at every byte.
#include "mailspec/protocol/client/pop3_response.hpp"

#include <gtest/gtest.h>

#include "feed.hpp"

namespace mailspec::protocol::client {
namespace {

using testing::FrameRun;
using testing::Framer;

FrameRun<Pop3Response> frame(std::string_view input, bool multiline, FrameLimits limits = {}) {
    const Framer<Pop3Response> framer = [=](std::string_view b, Pop3Response& o, std::size_t& c,
                                            FrameError& e) {
        return frame_pop3_response(b, multiline, limits, o, c, e);
    };
    return testing::run_all_splits<Pop3Response>(
        framer, input, [](const Pop3Response& a, const Pop3Response& b) {
            return a.status == b.status && a.status_line == b.status_line && a.body == b.body &&
                   a.raw == b.raw;
        });
}

struct Valid {
    std::string input;
    bool multiline;
    std::string status;
    std::string status_line;
    std::vector<std::string> body;
    std::size_t consumed;
};

TEST(Pop3ResponseFramer, ValidResponses) {
    const std::vector<Valid> table = {
        {"+OK POP3 ready\r\n", false, "+OK", "+OK POP3 ready", {}, 16},
        {"+OK\r\n", false, "+OK", "+OK", {}, 5},
        {"-ERR no such message\r\n", false, "-ERR", "-ERR no such message", {}, 22},
        {"-ERR\r\n", true, "-ERR", "-ERR", {}, 6},  // -ERR is never multi-line
        {"+ \r\n", false, "+", "+ ", {}, 4},
        {"+ dXNlcg==\r\n", false, "+", "+ dXNlcg==", {}, 12},
        {"+\r\n", false, "+", "+", {}, 3},
        {"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n", true, "+OK", "+OK 2 messages",
         {"1 120", "2 200"}, 33},
        {"+OK\r\n.\r\n", true, "+OK", "+OK", {}, 8},
        // Byte-stuffing (RFC 1939 §3): a leading dot is removed; "..", ". x" are not terminators.
        {"+OK\r\n..\r\n...x\r\n. x\r\n\r\n.\r\n", true, "+OK", "+OK", {".", "..x", " x", ""}, 25},
        // A stray CR inside message content is content.
        {"+OK\r\na\rb\r\n.\r\n", true, "+OK", "+OK", {"a\rb"}, 13},
        // The next response is left in the buffer.
        {"+OK\r\n+OK\r\n", false, "+OK", "+OK", {}, 5},
        {"+OK 1\r\nx\r\n.\r\n+OK\r\n", true, "+OK", "+OK 1", {"x"}, 13},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const auto r = frame(v.input, v.multiline);
        ASSERT_EQ(r.status, FrameStatus::complete) << r.error.message;
        EXPECT_EQ(r.out.status, v.status);
        EXPECT_EQ(r.out.status_line, v.status_line);
        EXPECT_EQ(r.out.body, v.body);
        EXPECT_EQ(r.consumed, v.consumed);
        EXPECT_EQ(r.out.raw, v.input.substr(0, v.consumed));
    }
}

TEST(Pop3ResponseFramer, IncompleteResponsesNeedMore) {
    for (std::string input : {"", "+", "+O", "+OK", "+OK\r", "-ER"}) {
        SCOPED_TRACE(input);
        EXPECT_EQ(frame(input, false).status, FrameStatus::need_more);
    }
    for (std::string input : {"+OK\r\n", "+OK\r\nline\r\n", "+OK\r\n.", "+OK\r\n.\r", "+OK\r\n..\r\n"}) {
        SCOPED_TRACE(input);
        EXPECT_EQ(frame(input, true).status, FrameStatus::need_more);
    }
}

struct Invalid {
    std::string input;
    bool multiline;
    std::size_t offset;
    std::string message_part;
};

TEST(Pop3ResponseFramer, InvalidResponsesReportOffsetAndExpectation) {
    const std::vector<Invalid> table = {
        {"OK\r\n", false, 0, "expected \"+OK\", \"-ERR\" or \"+ \""},
        {"+ok\r\n", false, 1, "found \"o\""},
        {"+OKAY\r\n", false, 3, "expected SP or <CR><LF> after \"+OK\""},
        {"-ERROR\r\n", false, 4, "after \"-ERR\""},
        {"-E\r\n", false, 2, "found \"<CR>\""},
        {"+OK\n", false, 3, "found \"<LF>\""},
        {"+OK x\ry\r\n", false, 5, "expected <LF> after <CR>"},
        {"+OK\r\nline\n.\r\n", true, 9, "bare <LF> in \"line<LF>\""},
        {"\r\n", false, 0, "found \"<CR>\""},
        {"* OK IMAP\r\n", false, 0, "found \"*\""},
        {"220 smtp\r\n", false, 0, "found \"2\""},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const auto r = frame(v.input, v.multiline);
        ASSERT_EQ(r.status, FrameStatus::error);
        EXPECT_EQ(r.error.offset, v.offset) << r.error.message;
        EXPECT_NE(r.error.message.find(v.message_part), std::string::npos) << r.error.message;
    }
}

TEST(Pop3ResponseFramer, Limits) {
    FrameLimits limits;
    limits.max_line = 8;
    EXPECT_EQ(frame("+OK 5678\r\n", false, limits).status, FrameStatus::complete);
    auto long_status = frame("+OK 56789\r\n", false, limits);
    ASSERT_EQ(long_status.status, FrameStatus::error);
    EXPECT_EQ(long_status.error.offset, 8u);
    auto long_body = frame("+OK\r\n123456789\r\n.\r\n", true, limits);
    ASSERT_EQ(long_body.status, FrameStatus::error);
    EXPECT_EQ(long_body.error.offset, 13u);
    EXPECT_NE(long_body.error.message.find("body line"), std::string::npos);

    limits = {};
    limits.max_response = 30;
    std::string endless = "+OK\r\n";
    for (int i = 0; i < 20; ++i) endless += "x\r\n";
    auto r = frame(endless, true, limits);
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 30u);
}

}  // namespace
}  // namespace mailspec::protocol::client
