#include "mailspec/protocol/imap/command_parser.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

namespace {

// Renders a parsed command compactly: atoms bare, strings in <>, lists in ().
std::string show_args(const std::vector<Arg>& args) {
    std::string out;
    for (const auto& a : args) {
        if (!out.empty()) out += ' ';
        switch (a.kind) {
        case Arg::Kind::atom: out += a.value; break;
        case Arg::Kind::quoted: out += "<" + a.value + ">"; break;
        case Arg::Kind::literal: out += "{" + a.value + "}"; break;
        case Arg::Kind::list: out += "(" + show_args(a.items) + ")"; break;
        }
    }
    return out;
}

struct Outcome {
    ParseStatus status = ParseStatus::need_more;
    Command command;
    ParseError error;
    std::size_t consumed = 0;
    int continuations = 0;
};

// Feeds `input` in chunks of `chunk` bytes (0: all at once), answering continuation requests.
Outcome feed(const std::string& input, std::size_t chunk, ParserLimits limits = {}) {
    CommandParser parser(limits);
    Outcome o;
    std::string buffer;
    std::size_t given = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        o.status = parser.parse(buffer, o.command, o.consumed, o.error);
        if (o.status == ParseStatus::complete || o.status == ParseStatus::error) return o;
        if (o.status == ParseStatus::need_continuation) {
            ++o.continuations;
            parser.continuation_sent();
        }
        if (given >= input.size()) return o;
        std::size_t n = chunk == 0 ? input.size() : std::min(chunk, input.size() - given);
        buffer.append(input, given, n);
        given += n;
    }
    return o;
}

struct Valid {
    const char* input;
    const char* tag;
    const char* name;
    const char* args;
};

const Valid kValid[] = {
    {"a1 NOOP\r\n", "a1", "NOOP", ""},
    {"a2 login alice \"se\\\"cret\"\r\n", "a2", "LOGIN", "alice <se\"cret>"},
    {"a3 LOGIN {5}\r\nalice {3}\r\nabc\r\n", "a3", "LOGIN", "{alice} {abc}"},
    {"a4 LOGIN {5+}\r\nalice x\r\n", "a4", "LOGIN", "{alice} x"},
    {"a5 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From \"To\")]<0.100>)\r\n", "a5", "FETCH",
     "1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From \"To\")]<0.100>)"},
    {"a6 UID SEARCH OR (SEEN) NOT DELETED\r\n", "a6", "UID", "SEARCH OR (SEEN) NOT DELETED"},
    {"a7 STORE 1 +FLAGS.SILENT (\\Seen \\Deleted)\r\n", "a7", "STORE", "1 +FLAGS.SILENT (\\Seen \\Deleted)"},
    {"a8 LIST \"\" %\r\n", "a8", "LIST", "<> %"},
    {"a9 APPEND INBOX (\\Seen) \" 1-Jan-2024 10:00:00 +0000\" {4}\r\nab\r\n\r\n", "a9", "APPEND",
     "INBOX (\\Seen) < 1-Jan-2024 10:00:00 +0000> {ab\r\n}"},
    {"b1 CAPABILITY\n", "b1", "CAPABILITY", ""},
    {"b2 select \"Caf&AOk-\"\r\n", "b2", "SELECT", "<Caf&AOk->"},
    {"b3 ID NIL\r\n", "b3", "ID", "NIL"},
    {"b4 ID (\"name\" \"x\" \"version\" NIL)\r\n", "b4", "ID", "(<name> <x> <version> NIL)"},
    {"b5 X {0}\r\n\r\n", "b5", "X", "{}"},
};

}  // namespace

TEST(ImapCommandParser, ValidTableAtEveryChunkSize) {
    for (const auto& v : kValid) {
        std::string input = v.input;
        for (std::size_t chunk = 0; chunk <= input.size(); ++chunk) {
            Outcome o = feed(input, chunk);
            ASSERT_EQ(o.status, ParseStatus::complete) << v.input << " chunk " << chunk << ": " << o.error.message;
            EXPECT_EQ(o.command.tag, v.tag) << v.input;
            EXPECT_EQ(o.command.name, v.name) << v.input;
            EXPECT_EQ(show_args(o.command.args), v.args) << v.input << " chunk " << chunk;
            EXPECT_EQ(o.consumed, input.size()) << v.input;
        }
    }
}

TEST(ImapCommandParser, SynchronizingLiteralAsksForContinuationOnce) {
    Outcome o = feed("a LOGIN {5}\r\nalice {6}\r\nsecret\r\n", 1);
    ASSERT_EQ(o.status, ParseStatus::complete);
    EXPECT_EQ(o.continuations, 2);
    Outcome plus = feed("a LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n", 1);
    ASSERT_EQ(plus.status, ParseStatus::complete);
    EXPECT_EQ(plus.continuations, 0);
}

TEST(ImapCommandParser, ContinuationNotAskedWhenLiteralAlreadyBuffered) {
    CommandParser parser;
    Command c;
    ParseError e;
    std::size_t consumed = 0;
    EXPECT_EQ(parser.parse("a LOGIN {5}\r\nalice x\r\n", c, consumed, e), ParseStatus::complete);
    EXPECT_EQ(parser.parse("b LOGIN {5}\r\n", c, consumed, e), ParseStatus::need_continuation);
    EXPECT_EQ(parser.pending_literal(), 5u);
}

struct Invalid {
    const char* input;
    const char* tag;
    const char* message_part;
    bool fatal;
    std::size_t consumed;  // when not fatal
};

const Invalid kInvalid[] = {
    {"a1 LIST (a b\r\n", "a1", "unbalanced '('", false, 14},
    {"a2 LIST a)\r\nx", "a2", "unbalanced ')'", false, 12},
    {"a3 LOGIN \"abc\r\n", "a3", "unterminated quoted string", false, 15},
    {"a4 LOGIN {99999999999}\r\n", "a4", "exceeds the limit", false, 24},
    {"a5 LOGIN {99999999999+}\r\n", "a5", "exceeds the limit", true, 0},
    {"a6 LOGIN {x}\r\n", "a6", "expected digits", false, 14},
    {"+bad NOOP\r\n", "*", "expected a tag", false, 11},
    {"a7\r\n", "a7", "missing command", false, 4},
    {"a8 FETCH 1 BODY[TEXT\r\n", "a8", "unbalanced '['", false, 22},
    {"a9 LOGIN caf\xC3\xA9 x\r\n", "a9", "invalid byte in atom", false, 18},
    {"b1 LOGIN \"a\"b\r\n", "b1", "expected SP", false, 15},
    {"b2 NOOP\rX\n", "b2", "expected LF after CR", false, 10},
};

TEST(ImapCommandParser, InvalidTableAtEveryChunkSize) {
    for (const auto& v : kInvalid) {
        std::string input = v.input;
        for (std::size_t chunk = 0; chunk <= input.size(); ++chunk) {
            Outcome o = feed(input, chunk);
            ASSERT_EQ(o.status, ParseStatus::error) << v.input << " chunk " << chunk;
            EXPECT_EQ(o.error.tag, v.tag) << v.input;
            EXPECT_NE(o.error.message.find(v.message_part), std::string::npos) << v.input << ": " << o.error.message;
            EXPECT_EQ(o.error.fatal, v.fatal) << v.input;
            if (!v.fatal) EXPECT_EQ(o.consumed, v.consumed) << v.input;
        }
    }
}

TEST(ImapCommandParser, LimitsAreEnforced) {
    ParserLimits limits;
    limits.max_line = 100;
    limits.max_depth = 3;
    Outcome longline = feed("a NOOP " + std::string(200, 'x'), 0, limits);
    EXPECT_EQ(longline.status, ParseStatus::error);
    EXPECT_TRUE(longline.error.fatal);
    Outcome deep = feed("a X ((((x))))\r\n", 0, limits);
    EXPECT_EQ(deep.status, ParseStatus::error);
    EXPECT_NE(deep.error.message.find("nested"), std::string::npos);
    limits.literal_plus = false;
    Outcome plus = feed("a LOGIN {1+}\r\nx y\r\n", 0, limits);
    EXPECT_EQ(plus.status, ParseStatus::error);
    EXPECT_TRUE(plus.error.fatal);
    // a literal of the allowed size is fine even though it is longer than max_line
    limits.literal_plus = true;
    Outcome big = feed("a APPEND INBOX {300+}\r\n" + std::string(300, 'm') + "\r\n", 7, limits);
    EXPECT_EQ(big.status, ParseStatus::complete) << big.error.message;
}

TEST(ImapCommandParser, SecondCommandLeftInBuffer) {
    CommandParser parser;
    Command c;
    ParseError e;
    std::size_t consumed = 0;
    std::string two = "a NOOP\r\nb CHECK\r\n";
    ASSERT_EQ(parser.parse(two, c, consumed, e), ParseStatus::complete);
    EXPECT_EQ(consumed, 8u);
    ASSERT_EQ(parser.parse(std::string_view(two).substr(consumed), c, consumed, e), ParseStatus::complete);
    EXPECT_EQ(c.name, "CHECK");
}

TEST(ImapCommandParser, DescribeBytes) {
    EXPECT_EQ(describe_bytes("a\r\n\x01"), "a<CR><LF><0x01>");
    EXPECT_EQ(describe_bytes("abcdef", 3), "abc...");
}

// Random input, fed in random chunk sizes: every result respects the contract (progress on
// complete and non-fatal error, consumed within the buffer), and the loop always ends.
TEST(ImapCommandParser, RandomInputKeepsTheContract) {
    std::uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    const std::string alphabet = "a1 ({}+)\"\\\r\n[]<>.*%:,~\x01\xff" "0123456789NILFETCHBODY";
    ParserLimits limits;
    limits.max_line = 200;
    limits.max_literal = 50;
    for (int round = 0; round < 2000; ++round) {
        std::string input;
        std::size_t length = next() % 120;
        for (std::size_t i = 0; i < length; ++i) input += alphabet[next() % alphabet.size()];
        CommandParser parser(limits);
        std::string buffer;
        std::size_t given = 0;
        int guard = 0;
        for (; guard < 10000; ++guard) {
            Command c;
            ParseError e;
            std::size_t consumed = 0;
            ParseStatus status = parser.parse(buffer, c, consumed, e);
            ASSERT_LE(consumed, buffer.size());
            if (status == ParseStatus::complete) {
                ASSERT_GT(consumed, 0u);
                buffer.erase(0, consumed);
                continue;
            }
            if (status == ParseStatus::error) {
                ASSERT_FALSE(e.message.empty());
                if (e.fatal) break;
                ASSERT_GT(consumed, 0u) << "non-fatal error must resynchronise: " << e.message;
                buffer.erase(0, consumed);
                continue;
            }
            if (status == ParseStatus::need_continuation) parser.continuation_sent();
            if (given >= input.size()) break;
            std::size_t n = std::min<std::size_t>(1 + next() % 9, input.size() - given);
            buffer.append(input, given, n);
            given += n;
        }
        ASSERT_LT(guard, 10000) << "parser loop did not end for round " << round;
    }
}
