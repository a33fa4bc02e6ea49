// Bad input: overlong lines, NUL and 8-bit garbage, unknown commands, bare LF, too many errors,
// idle clients, SMTP smuggling attempts.
#include <random>

#include "smtp_fixture.hpp"

namespace mailspec::server::testing {
namespace {

TEST_F(SmtpSessionTest, OverlongCommandLineGets500AndTheSessionResyncs) {
    auto c = connect();
    c->send("EHLO c\r\n");
    // 512 octets including CRLF is the limit (RFC 5321 §4.5.3.1.4).
    EXPECT_EQ(c->send("NOOP " + std::string(505, 'x') + "\r\n"), "250 2.0.0 OK\r\n");
    EXPECT_EQ(c->send("NOOP " + std::string(506, 'x') + "\r\n"),
              "500 5.5.2 line too long: 513 octets, the limit is 512 (RFC 5321 §4.5.3.1.4)\r\n");
    // Far beyond any buffer: discarded up to its LF, then the next command works.
    EXPECT_EQ(c->send(std::string(100000, 'y') + "\r\nNOOP\r\n", 4096),
              "500 5.5.2 line too long (RFC 5321 §4.5.3.1.4)\r\n250 2.0.0 OK\r\n");
    // MAIL may be 500 octets longer (RFC 4954 §5).
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c> AUTH=" + std::string(700, 'z') + "\r\n"), "250 2.1.0 sender <a@b.c> OK\r\n");
}

TEST_F(SmtpSessionTest, OverlongTextLineInDataIsRefused) {
    auto c = connect();
    c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\n");
    const auto out = c->send("DATA\r\n" + std::string(999, 'x') + "\r\n.\r\n");
    EXPECT_TRUE(out.ends_with("500 5.5.2 line too long: a text line has 1001 octets, the limit is 1000 (RFC 5321 "
                              "§4.5.3.1.6)\r\n"))
        << out;
    EXPECT_TRUE(inbox().empty());
}

TEST_F(SmtpSessionTest, GarbageAndUnknownCommands) {
    auto c = connect();
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("FOO bar\r\n"), "500 5.5.1 command not recognized: FOO\r\n");
    EXPECT_EQ(c->send(std::string("NO\0OP\r\n", 7)),
              "500 5.5.2 syntax error at byte 2: expected a command verb of letters followed by SP or end of line, "
              "found '<0x00>'\r\n");
    EXPECT_EQ(c->send("\xff\xfe\r\n"),
              "500 5.5.2 syntax error at byte 0: expected a command verb of letters followed by SP or end of line, "
              "found '<0xFF>'\r\n");
    EXPECT_EQ(c->send("\r\n"), "500 5.5.2 syntax error at byte 0: expected a command verb, found an empty line\r\n");
    EXPECT_EQ(c->send("NOOP\n"), "500 5.5.2 line must end with <CR><LF> (RFC 5321 §2.3.8)\r\n");
    EXPECT_EQ(c->send("EHLO bad domain\r\n"),
              "501 5.5.4 EHLO needs a domain or address literal: expected end of the domain, found ' '\r\n");
    EXPECT_EQ(c->send("NOOP\r\n"), "250 2.0.0 OK\r\n");
}

TEST_F(SmtpSessionTest, TooManyErrorsGets421AndClose) {
    config.limits.max_errors = 3;
    auto c = connect();
    const auto out = c->send("EHLO c\r\nBAD\r\nBAD\r\nBAD\r\nNOOP\r\n");
    EXPECT_TRUE(out.ends_with("500 5.5.1 command not recognized: BAD\r\n421 4.7.0 too many errors, closing connection\r\n"))
        << out;
    EXPECT_TRUE(c->host.closed);
    EXPECT_FALSE(has_line(out, "250 2.0.0 OK"));
}

TEST_F(SmtpSessionTest, IdleTimeoutGets421AndClose) {
    auto c = connect();
    c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\npartial");
    EXPECT_EQ(c->idle_timeout(), "421 4.4.2 idle timeout, closing connection\r\n");
    EXPECT_TRUE(c->host.closed);
    c->drop();
    EXPECT_TRUE(inbox().empty());
}

TEST_F(SmtpSessionTest, SmugglingSequencesDoNotEndData) {
    auto c = connect();
    c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
    // A bare LF "." LF followed by a smuggled transaction: all of it is message content.
    const auto out = c->send("Subject: a\r\n\r\nbody\n.\nMAIL FROM:<evil@x.example>\nRCPT TO:<bob@example.test>\n"
                             "DATA\nsmuggled\n.\r\n.\r\nNOOP\r\n");
    EXPECT_EQ(out, "250 2.6.0 message accepted for delivery\r\n250 2.0.0 OK\r\n");
    ASSERT_EQ(inbox().size(), 1u);
    EXPECT_NE(inbox()[0].find("body\n.\nMAIL FROM:<evil@x.example>"), std::string::npos);
    EXPECT_TRUE(inbox("bob").empty()) << "the smuggled message must not be delivered";
}

TEST_F(SmtpSessionTest, CrDotCrDoesNotEndData) {
    auto c = connect();
    c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
    EXPECT_EQ(c->send("x\r.\rRSET\r"), "");
    EXPECT_EQ(c->send("\r\n.\r\n"), "250 2.6.0 message accepted for delivery\r\n");
}

}  // namespace
}  // namespace mailspec::server::testing

namespace mailspec::server::testing {
namespace {

TEST_F(SmtpSessionTest, EhloAcceptsNonDomainWordsButNotSpacesOrControls) {
    auto c = connect();
    EXPECT_TRUE(c->send("EHLO tmp_x1.eml\r\n").starts_with("250-localhost greets tmp_x1.eml\r\n"));
    EXPECT_EQ(c->send("HELO\r\n"), "501 5.5.4 HELO needs a domain or address literal: expected a domain or address literal, found nothing\r\n");
    EXPECT_EQ(c->send("HELO a\x01" "b\r\n"), "501 5.5.4 HELO needs a domain or address literal: expected end of the domain, found '<0x01>'\r\n");
}

}  // namespace
}  // namespace mailspec::server::testing

namespace mailspec::server::testing {
namespace {

// Deterministic garbage: random bytes biased towards protocol characters, in random chunk sizes.
// The session must never crash, never write after closing, and end every reply with CRLF.
TEST_F(SmtpSessionTest, RandomGarbageNeverCrashesOrWritesAfterClose) {
    std::mt19937 random(5321);
    config.limits.max_errors = 1000000;  // exercise every state instead of closing early
    const std::string alphabet = "\r\n.: <>@AUTHMAILRCPTDATAEHLOQUITSTARTTLS\x00\xff";
    for (int round = 0; round < 40; ++round) {
        auto c = connect(round % 3 == 0 ? "smtp" : round % 3 == 1 ? "submission" : "submissions");
        std::string input = round % 2 ? "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n" : "";
        for (int i = 0; i < 3000; ++i) input += alphabet[random() % alphabet.size()];
        std::size_t pos = 0;
        std::string out;
        while (pos < input.size() && !c->host.closed) {
            const std::size_t chunk = 1 + random() % 97;
            out += c->send(std::string_view(input).substr(pos, chunk));
            pos += chunk;
        }
        EXPECT_EQ(c->host.sends_after_close, 0u);
        EXPECT_TRUE(out.empty() || out.ends_with("\r\n")) << "round " << round;
    }
}

}  // namespace
}  // namespace mailspec::server::testing
