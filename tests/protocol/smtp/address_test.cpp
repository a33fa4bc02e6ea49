#include "mailspec/protocol/smtp/address.hpp"
#include "mailspec/protocol/smtp/command.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"

#include <gtest/gtest.h>

#include "split_feed.hpp"

using namespace mailspec::protocol::smtp;

namespace {

// Feeds "MAIL <args>\r\n" through the line splitter at every split, then parses the command and its
// arguments; every split must give the same result as the unsplit line.
template <class Parse>
void for_each_split_line(const std::string& line, Parse parse) {
    for (const auto& chunks : mailspec::test::chunkings(line + "\r\n")) {
        LineSplitter splitter(2000);
        int lines = 0;
        for (const auto& chunk : chunks) {
            splitter.feed(chunk);
            for (auto e = splitter.next(); e.kind == LineEventKind::line; e = splitter.next()) {
                ++lines;
                auto command = parse_command_line(e.text);
                ASSERT_TRUE(command) << command.error().message;
                parse(command.value().arguments, mailspec::test::describe(chunks));
            }
        }
        EXPECT_EQ(lines, 1);
    }
}

struct Good {
    std::string args;
    std::string sender;  // "" for <>
    std::optional<std::uint64_t> size;
    BodyType body = BodyType::unspecified;
    bool smtputf8 = false;
    std::optional<std::string> auth;
};

TEST(MailFrom, AcceptsValidArgumentsSplitAtEveryByte) {
    const std::vector<Good> cases = {
        {"FROM:<alice@example.test>", "alice@example.test"},
        {"from:<alice@example.test>", "alice@example.test"},
        {"FROM: <alice@example.test>", "alice@example.test"},  // documented leniency
        {"FROM:<>", ""},
        {"FROM:<@relay.example,@b.example:alice@example.test>", "alice@example.test"},
        {"FROM:<\"john doe\"@example.test>", "\"john doe\"@example.test"},
        {"FROM:<\"a\\\"b\"@example.test>", "\"a\\\"b\"@example.test"},
        {"FROM:<x@[127.0.0.1]>", "x@[127.0.0.1]"},
        {"FROM:<x@[IPv6:::1]>", "x@[IPv6:::1]"},
        {"FROM:<a.b+c@sub-domain.example.test> SIZE=1000", "a.b+c@sub-domain.example.test", 1000},
        {"FROM:<a@b.c> BODY=8BITMIME", "a@b.c", std::nullopt, BodyType::eight_bit_mime},
        {"FROM:<a@b.c> body=7bit size=0", "a@b.c", 0, BodyType::seven_bit},
        {"FROM:<\xC3\xA9@b.c> SMTPUTF8", "\xC3\xA9@b.c", std::nullopt, BodyType::unspecified, true},
        {"FROM:<a@b.c> AUTH=<>", "a@b.c", std::nullopt, BodyType::unspecified, false, "<>"},
        {"FROM:<a@b.c> AUTH=x+2By@z", "a@b.c", std::nullopt, BodyType::unspecified, false, "x+y@z"},
    };
    for (const auto& c : cases) {
        for_each_split_line("MAIL " + c.args, [&](const std::string& args, const std::string& how) {
            auto r = parse_mail_from(args);
            ASSERT_TRUE(r) << c.args << " " << how << ": " << r.error().message;
            EXPECT_EQ(r->sender ? r->sender->address() : "", c.sender) << c.args;
            EXPECT_EQ(r->size, c.size) << c.args;
            EXPECT_EQ(r->body, c.body) << c.args;
            EXPECT_EQ(r->smtputf8, c.smtputf8) << c.args;
            EXPECT_EQ(r->auth, c.auth) << c.args;
        });
    }
}

struct Bad {
    std::string args;
    ParseErrorKind kind;
    std::size_t offset;
    std::string message_part;
};

TEST(MailFrom, RejectsInvalidArgumentsWithOffsets) {
    const std::vector<Bad> cases = {
        {"TO:<a@b.c>", ParseErrorKind::syntax, 0, "expected 'FROM:'"},
        {"FROM:a@b.c", ParseErrorKind::syntax, 5, "expected '<'"},
        {"FROM:<a@b.c", ParseErrorKind::syntax, 11, "expected '>'"},
        {"FROM:<a b@c.d>", ParseErrorKind::syntax, 7, "expected '@'"},
        {"FROM:<a..b@c.d>", ParseErrorKind::syntax, 8, "expected an atom"},
        {"FROM:<a@-b.c>", ParseErrorKind::syntax, 8, "letter or digit"},
        {"FROM:<a@b-.c>", ParseErrorKind::syntax, 9, "must not end with '-'"},
        {"FROM:<a@[300.1.1.1]>", ParseErrorKind::syntax, 8, "address literal"},
        {"FROM:<a@b.c>x", ParseErrorKind::syntax, 12, "expected SP"},
        {"FROM:<" + std::string(65, 'a') + "@b.c>", ParseErrorKind::too_long, 6, "limit is 64"},
        {"FROM:<a@" + std::string(60, 'b') + "." + std::string(60, 'b') + "." + std::string(60, 'b') + "." +
             std::string(60, 'b') + "." + std::string(20, 'b') + ">",
         ParseErrorKind::too_long, 8, "limit is 255"},
        {"FROM:<a@b.c> SIZE=12x", ParseErrorKind::bad_parameter, 13, "SIZE="},
        {"FROM:<a@b.c> SIZE=1 SIZE=2", ParseErrorKind::bad_parameter, 20, "twice"},
        {"FROM:<a@b.c> BODY=BINARYMIME", ParseErrorKind::bad_parameter, 13, "BODY"},
        {"FROM:<a@b.c> SMTPUTF8=yes", ParseErrorKind::bad_parameter, 13, "no value"},
        {"FROM:<a@b.c> AUTH=+zz", ParseErrorKind::bad_parameter, 13, "xtext"},
        {"FROM:<a@b.c> RET=FULL", ParseErrorKind::unknown_parameter, 13, "RET"},
        {"FROM:<a@b.c> SIZE=", ParseErrorKind::syntax, 18, "expected a value"},
        {std::string("FROM:<a\0@b.c>", 13), ParseErrorKind::syntax, 7, "<0x00>"},
        {"FROM:<\xff@b.c>", ParseErrorKind::syntax, 6, "<0xFF>"},
    };
    for (const auto& c : cases) {
        auto r = parse_mail_from(c.args);
        ASSERT_FALSE(r) << c.args;
        EXPECT_EQ(r.error().kind, c.kind) << c.args << ": " << r.error().message;
        EXPECT_EQ(r.error().offset, c.offset) << c.args << ": " << r.error().message;
        EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << c.args << ": " << r.error().message;
    }
}

TEST(MailFrom, NonAsciiIsFlaggedForTheSessionToCheckSmtputf8) {
    auto r = parse_mail_from("FROM:<j\xC3\xB6rg@b\xC3\xA4r.example>");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->sender->non_ascii);
    EXPECT_FALSE(r->smtputf8);
    auto ascii = parse_mail_from("FROM:<a@b.c>");
    EXPECT_FALSE(ascii->sender->non_ascii);
}

TEST(RcptTo, TableSplitAtEveryByte) {
    for_each_split_line("RCPT TO:<bob@example.test>", [](const std::string& args, const std::string& how) {
        auto r = parse_rcpt_to(args);
        ASSERT_TRUE(r) << how;
        EXPECT_EQ(r->recipient.address(), "bob@example.test");
        EXPECT_FALSE(r->postmaster);
    });
    auto pm = parse_rcpt_to("to:<postmaster>");
    ASSERT_TRUE(pm);
    EXPECT_TRUE(pm->postmaster);
    auto pm2 = parse_rcpt_to("TO:<Postmaster@example.test>");
    ASSERT_TRUE(pm2);
    EXPECT_TRUE(pm2->postmaster);

    auto empty = parse_rcpt_to("TO:<>");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().offset, 4u);
    auto param = parse_rcpt_to("TO:<a@b.c> NOTIFY=NEVER");
    ASSERT_FALSE(param);
    EXPECT_EQ(param.error().kind, ParseErrorKind::unknown_parameter);
    auto path = parse_rcpt_to("TO:<" + std::string(60, 'a') + "@" + std::string(250, 'b') + ">");
    ASSERT_FALSE(path);
    EXPECT_EQ(path.error().kind, ParseErrorKind::too_long);
    EXPECT_NE(path.error().message.find("256"), std::string::npos);
}

TEST(HelloDomain, AcceptsDomainsAndLiterals) {
    EXPECT_TRUE(parse_hello_domain("client.example.test"));
    EXPECT_TRUE(parse_hello_domain("localhost"));
    EXPECT_TRUE(parse_hello_domain("[127.0.0.1]"));
    EXPECT_TRUE(parse_hello_domain("[IPv6:::1]"));
    EXPECT_EQ(parse_hello_domain("").error().offset, 0u);
    EXPECT_EQ(parse_hello_domain("a b").error().offset, 1u);
    EXPECT_EQ(parse_hello_domain("a..b").error().offset, 2u);
    EXPECT_EQ(parse_hello_domain("[1.2.3]").error().offset, 0u);
}

TEST(CommandLine, SplitsVerbAndArguments) {
    auto r = parse_command_line("mail FROM:<a@b>");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->verb, "MAIL");
    EXPECT_EQ(r->arguments, "FROM:<a@b>");
    auto q = parse_command_line("QUIT");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->verb, "QUIT");
    EXPECT_EQ(q->arguments, "");
    auto sp = parse_command_line("EHLO ");
    ASSERT_TRUE(sp);
    EXPECT_EQ(sp->arguments, "");

    const std::vector<std::pair<std::string, std::size_t>> bad = {
        {"", 0}, {" NOOP", 0}, {"NO\x01OP", 2}, {"N\xffOOP", 1}, {"NOOP:", 4}, {"123", 0},
        {std::string("NO\0OP", 5), 2}, {"ABCDEFGHIJKLMNOPQ", 16},
    };
    for (const auto& [line, offset] : bad) {
        auto e = parse_command_line(line);
        ASSERT_FALSE(e) << line;
        EXPECT_EQ(e.error().offset, offset) << line << ": " << e.error().message;
    }
}

}  // namespace
