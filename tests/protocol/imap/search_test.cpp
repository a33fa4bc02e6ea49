#include "mailspec/protocol/imap/search.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

namespace {

// Tokenises "a b (c d)" like the command parser does, via a complete command.
std::vector<Arg> args_of(const std::string& keys) {
    CommandParser parser;
    Command c;
    ParseError e;
    std::size_t consumed = 0;
    std::string line = "t SEARCH " + keys + "\r\n";
    EXPECT_EQ(parser.parse(line, c, consumed, e), ParseStatus::complete) << e.message;
    return c.args;
}

const std::string kRaw =
    "From: Alice <alice@example.test>\r\n"
    "To: bob@example.test\r\n"
    "Subject: =?utf-8?q?Caf=C3=A9?= plans\r\n"
    "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n"
    "Content-Type: multipart/mixed; boundary=z\r\n"
    "\r\n"
    "--z\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "c2VjcmV0IHdvcmQ=\r\n"
    "--z--\r\n";

SearchMessage message() {
    SearchMessage m;
    m.sequence = 2;
    m.uid = 20;
    m.flags = {"\\Seen", "$Work"};
    m.recent = true;
    m.internal_date = *parse_date_time("02-Jul-2003 12:00:00 +0000");
    m.size = kRaw.size();
    m.raw = kRaw;
    return m;
}

}  // namespace

TEST(ImapSearch, KeysTable) {
    struct Case { const char* keys; bool match; };
    const Case cases[] = {
        {"ALL", true}, {"SEEN", true}, {"UNSEEN", false}, {"ANSWERED", false}, {"UNANSWERED", true},
        {"KEYWORD $work", true}, {"UNKEYWORD $Work", false}, {"RECENT", true}, {"OLD", false}, {"NEW", false},
        {"2", true}, {"1,3:*", false}, {"1:2", true}, {"1", false}, {"UID 20", true}, {"UID 1:19", false}, {"UID *", false},
        {"FROM alice", true}, {"FROM carol", false}, {"TO BOB@", true}, {"SUBJECT \"café\"", true},
        {"SUBJECT \"CAFÉ\"", false},  // only ASCII case folding
        {"HEADER Date 2003", true}, {"HEADER X-Missing \"\"", false}, {"HEADER subject \"\"", true},
        {"BODY \"secret word\"", true}, {"BODY alice", false}, {"TEXT alice", true}, {"TEXT secret", true},
        {"BEFORE 3-Jul-2003", true}, {"BEFORE 2-Jul-2003", false}, {"ON 2-Jul-2003", true},
        {"SINCE 2-Jul-2003", true}, {"SINCE 3-Jul-2003", false},
        {"SENTON 1-Jul-2003", true}, {"SENTBEFORE 1-Jul-2003", false}, {"SENTSINCE 1-Jul-2003", true},
        {"LARGER 10", true}, {"SMALLER 10", false},
        {"NOT SEEN", false}, {"OR UNSEEN FLAGGED", false}, {"OR UNSEEN FROM alice", true},
        {"(SEEN FROM alice) NOT DELETED", true}, {"CHARSET UTF-8 SUBJECT plans", true},
    };
    for (const auto& c : cases) {
        std::string error;
        auto q = parse_search(args_of(c.keys), error);
        ASSERT_TRUE(q) << c.keys << ": " << error;
        SearchContext ctx{5, 30};
        EXPECT_EQ(search_matches(q->root, message(), ctx), c.match) << c.keys;
    }
}

TEST(ImapSearch, ParseErrors) {
    struct Case { const char* keys; const char* message_part; };
    const Case cases[] = {
        {"FOO", "unknown search key"}, {"BEFORE yesterday", "needs a date"}, {"LARGER x", "needs a number"},
        {"OR SEEN", "missing search key"}, {"NOT", "missing search key"}, {"0", "0 is not a valid"},
        {"UID x", "sequence set"}, {"FROM", "needs a string"}, {"KEYWORD \\Seen", "not a system flag"},
        {"()", "empty"}, {"CHARSET", "charset name"},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_search(args_of(c.keys), error)) << c.keys;
        EXPECT_NE(error.find(c.message_part), std::string::npos) << c.keys << ": " << error;
    }
    std::string error;
    auto q = parse_search(args_of("CHARSET koi8-r ALL"), error);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->charset.value(), "KOI8-R");
}
