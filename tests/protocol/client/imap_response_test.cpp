// Tables of valid and invalid IMAP response lines (RFC 3501 §7, §4.3; RFC 7888), each framed
// whole, byte at a time and split at every byte.
#include "mailspec/protocol/client/imap_response.hpp"

#include <gtest/gtest.h>

#include "feed.hpp"

namespace mailspec::protocol::client {
namespace {

using testing::FrameRun;
using testing::Framer;
using Kind = ImapResponseLine::Kind;
using namespace std::string_literals;

FrameRun<ImapResponseLine> frame(std::string_view input, FrameLimits limits = {}) {
    const Framer<ImapResponseLine> framer = [=](std::string_view b, ImapResponseLine& o,
                                                std::size_t& c, FrameError& e) {
        return frame_imap_response(b, limits, o, c, e);
    };
    return testing::run_all_splits<ImapResponseLine>(
        framer, input, [](const ImapResponseLine& a, const ImapResponseLine& b) {
            return a.kind == b.kind && a.tag == b.tag && a.status == b.status && a.text == b.text &&
                   a.raw == b.raw;
        });
}

struct Valid {
    std::string input;
    Kind kind;
    std::string tag;
    std::string status;
    std::string text;
};

TEST(ImapResponseFramer, ValidResponses) {
    const std::vector<Valid> table = {
        {"* OK IMAP4rev1 ready\r\n", Kind::untagged, "", "OK", "* OK IMAP4rev1 ready"},
        {"* PREAUTH hi\r\n", Kind::untagged, "", "PREAUTH", "* PREAUTH hi"},
        {"* BYE\r\n", Kind::untagged, "", "BYE", "* BYE"},
        {"* ok lower case\r\n", Kind::untagged, "", "OK", "* ok lower case"},
        {"* 3 EXISTS\r\n", Kind::untagged, "", "", "* 3 EXISTS"},
        {"* CAPABILITY IMAP4rev1 OK\r\n", Kind::untagged, "", "", "* CAPABILITY IMAP4rev1 OK"},
        {"* OKAY\r\n", Kind::untagged, "", "", "* OKAY"},
        {"+ Ready\r\n", Kind::continuation, "", "", "+ Ready"},
        {"+\r\n", Kind::continuation, "", "", "+"},
        {"+ \r\n", Kind::continuation, "", "", "+ "},
        {"a1 OK LOGIN completed\r\n", Kind::tagged, "a1", "OK", "a1 OK LOGIN completed"},
        {"A.2 no [AUTHENTICATIONFAILED] bad\r\n", Kind::tagged, "A.2", "NO",
         "A.2 no [AUTHENTICATIONFAILED] bad"},
        {"x] BAD\r\n", Kind::tagged, "x]", "BAD", "x] BAD"},
        // Literals are read by count; their CRLFs and any bytes belong to the response.
        {"* 1 FETCH (BODY[] {5}\r\na\r\nb\r)\r\n", Kind::untagged, "", "",
         "* 1 FETCH (BODY[] {5}\r\na\r\nb\r)"},
        {"* 1 FETCH (BODY[] {0}\r\n)\r\n", Kind::untagged, "", "", "* 1 FETCH (BODY[] {0}\r\n)"},
        {"* 1 FETCH (A {2+}\r\n\x00\n B ~{3}\r\n{1} C)\r\n"s, Kind::untagged, "", "",
         "* 1 FETCH (A {2+}\r\n\x00\n B ~{3}\r\n{1} C)"s},
        {"* LIST () \"/\" {4}\r\nINBO\r\n", Kind::untagged, "", "", "* LIST () \"/\" {4}\r\nINBO"},
        // Not a literal: no digits, or text after the brace.
        {"* OK {}\r\n", Kind::untagged, "", "OK", "* OK {}"},
        {"* OK {5} x\r\n", Kind::untagged, "", "OK", "* OK {5} x"},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const std::string& input = v.input;
        const auto r = frame(input);
        ASSERT_EQ(r.status, FrameStatus::complete) << r.error.message;
        EXPECT_EQ(r.out.kind, v.kind);
        EXPECT_EQ(r.out.tag, v.tag);
        EXPECT_EQ(r.out.status, v.status);
        EXPECT_EQ(r.out.text, v.text);
        EXPECT_EQ(r.out.raw, input);
        EXPECT_EQ(r.consumed, input.size());
    }
}

TEST(ImapResponseFramer, LeavesFollowingResponsesBuffered) {
    const auto r = frame("* 2 EXISTS\r\na1 OK done\r\n");
    ASSERT_EQ(r.status, FrameStatus::complete);
    EXPECT_EQ(r.consumed, 12u);
    EXPECT_EQ(r.out.text, "* 2 EXISTS");
}

TEST(ImapResponseFramer, IncompleteResponsesNeedMore) {
    for (std::string input : {"", "*", "* OK", "* OK\r", "* X {3}\r\n", "* X {3}\r\nab",
                              "* X {3}\r\nabc", "* X {3}\r\nabc)", "* X {3}\r\nabc {2}\r\n"}) {
        SCOPED_TRACE(input);
        EXPECT_EQ(frame(input).status, FrameStatus::need_more);
    }
}

struct Invalid {
    std::string input;
    std::size_t offset;
    std::string message_part;
};

TEST(ImapResponseFramer, InvalidResponsesReportOffsetAndExpectation) {
    const std::vector<Invalid> table = {
        {"\r\n", 0, "found an empty line"},
        {"*OK\r\n", 1, "expected SP after \"*\""},
        {"+Ready\r\n", 1, "expected SP after \"+\""},
        {"a1\r\n", 2, "expected SP after the tag \"a1\""},
        {"a1 DONE\r\n", 3, "expected OK, NO or BAD"},
        {"(x OK\r\n", 0, "expected \"*\", \"+\" or a tag"},
        {" OK\r\n", 0, "or a tag"},
        {"a{ OK\r\n", 1, "SP after the tag \"a\""},
        {"* OK\n", 4, "bare <LF>"},
        {"* OK\rx\r\n", 4, "expected <LF> after <CR>"},
        {"* X {3}\r\nabc\n", 12, "bare <LF>"},
    };
    for (const auto& v : table) {
        SCOPED_TRACE(v.input);
        const auto r = frame(v.input);
        ASSERT_EQ(r.status, FrameStatus::error);
        EXPECT_EQ(r.error.offset, v.offset) << r.error.message;
        EXPECT_NE(r.error.message.find(v.message_part), std::string::npos) << r.error.message;
    }
}

TEST(ImapResponseFramer, OversizedLiteralIsRefusedBeforeReadingIt) {
    FrameLimits limits;
    limits.max_response = 100;
    // No literal byte is buffered, yet the announcement alone is an error.
    auto r = frame("* 1 FETCH (BODY[] {101}\r\n", limits);
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 18u);
    EXPECT_NE(r.error.message.find("{101}"), std::string::npos) << r.error.message;
    // The whole response counts: line plus literal.
    r = frame("* 1 FETCH (BODY[] {90}\r\n", limits);
    ASSERT_EQ(r.status, FrameStatus::error);
    // A number too large for any integer.
    r = frame("* X {99999999999999999999999999}\r\n");
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 4u);
    // Within limits it frames.
    EXPECT_EQ(frame("* X {10}\r\n0123456789\r\n", limits).status, FrameStatus::complete);
}

TEST(ImapResponseFramer, LineLimitAppliesToLinesNotLiterals) {
    FrameLimits limits;
    limits.max_line = 10;
    const std::string literal(50, 'x');
    EXPECT_EQ(frame("* X {50}\r\n" + literal + "\r\n", limits).status, FrameStatus::complete);
    auto r = frame("* 12345678901\r\n", limits);
    ASSERT_EQ(r.status, FrameStatus::error);
    EXPECT_EQ(r.error.offset, 10u);
}

TEST(ImapResponseFramer, ManyLiteralsStayWithinResponseLimit) {
    FrameLimits limits;
    limits.max_response = 64;
    std::string input = "* X";
    for (int i = 0; i < 20; ++i) input += " {1}\r\nz";
    input += "\r\n";
    const auto r = frame(input, limits);
    ASSERT_EQ(r.status, FrameStatus::error);
}

}  // namespace
}  // namespace mailspec::protocol::client
