// Tables of valid and invalid SMTP replies (RFC 5321 §4.2), each framed whole, byte at a time and
// split at every byte.
#include "mailspec/protocol/client/smtp_reply.hpp"

#include <gtest/gtest.h>

#include "feed.hpp"

namespace mailspec::protocol::client {
namespace {

using testing::FrameRun;
using testing::Framer;

FrameRun<SmtpReply> frame(std::string_view input, FrameLimits limits = {}) {
    const Framer<SmtpReply> framer = [limits](std::string_view b, SmtpReply& o, std::size_t& c,
                                              FrameError& e) {
        return frame_smtp_reply(b, limits, o, c, e);
    };
    return testing::run_all_splits<SmtpReply>(framer, input, [](const SmtpReply& a, const SmtpReply& b) {
        return a.code == b.code && a.lines == b.lines && a.raw == b.raw;
    });
}

struct Valid {
    std::string input;
    int code;
    std::vector<std::string> lines;
    std::size_t consumed;
};

TEST(SmtpReplyFramer, ValidReplies) {
    const std::vector<Valid> table = {
        {"220 mail.example ESMTP\r\n", 220, {"mail.example ESMTP"}, 24},
        {"250\r\n", 250, {""}, 5},
        {"250 \r\n", 250, {""}, 6},
        {"250-mail.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n", 250,
         {"mail.example", "PIPELINING", "STARTTLS"}, 48},
        {"250-first\r\n250\r\n", 250, {"first", ""}, 16},
        {"250-\r\n250 last\r\n", 250, {"", "last"}, 16},
        {"554 5.7.1 denied\r\n221 bye\r\n", 554, {"5.7.1 denied"}, 18},  // trailing reply stays
        {"421 4.4.2 text with\tTAB and \xC3\xA9\r\n", 421, {"4.4.2 text with\tTAB and \xC3\xA9"}, 32},
        {"559 max\r\n", 559, {"max"}, 9},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const auto r = frame(v.input);
        ASSERT_EQ(r.status, FrameStatus::complete) << r.error.message;
        EXPECT_EQ(r.out.code, v.code);
        EXPECT_EQ(r.out.lines, v.lines);
        EXPECT_EQ(r.consumed, v.consumed);
        EXPECT_EQ(r.out.raw, v.input.substr(0, v.consumed));
    }
}

TEST(SmtpReplyFramer, IncompleteRepliesNeedMore) {
    for (std::string input : {"", "2", "250", "250 ok", "250 ok\r", "250-a\r\n", "250-a\r\n250",
                              "250-a\r\n250-b\r\n25"}) {
        SCOPED_TRACE(input);
        EXPECT_EQ(frame(input).status, FrameStatus::need_more);
    }
}

struct Invalid {
    std::string input;
    std::size_t offset;
    std::string message_part;
};

TEST(SmtpReplyFramer, InvalidRepliesReportOffsetAndExpectation) {
    const std::vector<Invalid> table = {
        {"hello\r\n", 0, "expected reply code digit 2-5"},
        {"HTTP/1.1 400 Bad\r\n", 0, "found \"H\""},
        {"150 not smtp\r\n", 0, "digit 2-5"},
        {"260 x\r\n", 1, "digit 0-5"},
        {"599 x\r\n", 1, "digit 0-5"},
        {"25x ok\r\n", 2, "digit 0-9"},
        {"25\r\n", 2, "found \"<CR>\""},
        {"250ok\r\n", 3, "expected \"-\", SP or <CR><LF>"},
        {"250_ok\r\n", 3, "found \"_\""},
        {"250 ok\n", 6, "bare <LF>"},
        {"250-a\n250 b\r\n", 5, "bare <LF>"},
        {"250 a\rb\r\n", 5, "expected <LF> after <CR>"},
        {"250-a\r\n251 b\r\n", 9, "differs from the first line's code 250"},
        {"250-a\r\n350 b\r\n", 7, "differs"},
        {"250-a\r\n\r\n", 7, "digit"},
        {"\r\n", 0, "found \"<CR>\""},
        {"\x01\x02\x03", 0, "<0x01>"},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const auto r = frame(v.input);
        ASSERT_EQ(r.status, FrameStatus::error);
        EXPECT_EQ(r.error.offset, v.offset) << r.error.message;
        EXPECT_NE(r.error.message.find(v.message_part), std::string::npos) << r.error.message;
    }
}

TEST(SmtpReplyFramer, LineLimit) {
    FrameLimits limits;
    limits.max_line = 10;
    auto ok = frame("250 678901\r\n", limits);  // exactly 10 bytes of content
    EXPECT_EQ(ok.status, FrameStatus::complete);
    auto bad = frame("250 6789012\r\n", limits);
    ASSERT_EQ(bad.status, FrameStatus::error);
    EXPECT_EQ(bad.error.offset, 10u);
    EXPECT_NE(bad.error.message.find("limit of 10"), std::string::npos);
    // A peer that never sends CRLF is stopped at the limit, not buffered without bound.
    auto endless = frame("250 " + std::string(100, 'a'), limits);
    ASSERT_EQ(endless.status, FrameStatus::error);
    EXPECT_EQ(endless.error.offset, 10u);
}

TEST(SmtpReplyFramer, ResponseLimit) {
    FrameLimits limits;
    limits.max_response = 20;
    std::string input;
    for (int i = 0; i < 10; ++i) input += "250-x\r\n";
    const auto r = frame(input, limits);
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 20u);
    EXPECT_NE(r.error.message.find("limit of 20"), std::string::npos);
}

TEST(SmtpReplyFramer, HostileBytesAreShownVisibly) {
    const auto r = frame(std::string("250-ok\r\n\x00\xff", 10));
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 8u);
    EXPECT_NE(r.error.message.find("<0x00>"), std::string::npos) << r.error.message;
}

}  // namespace
}  // namespace mailspec::protocol::client
