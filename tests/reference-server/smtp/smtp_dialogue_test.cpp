// Full SMTP dialogues through the in-memory host, with a real store: delivery, pipelining,
// byte-split input, command order, the informational commands.
#include "smtp_fixture.hpp"

namespace mailspec::server::testing {
namespace {

const std::string kDialogue =
    "EHLO client.example\r\n"
    "MAIL FROM:<sender@remote.example>\r\n"
    "RCPT TO:<alice@example.test>\r\n"
    "DATA\r\n"
    "Subject: hello\r\n"
    "\r\n"
    "..leading dot\r\n"
    "body\r\n"
    ".\r\n"
    "QUIT\r\n";

const std::string kExpectedReplies =
    "250 2.1.0 sender <sender@remote.example> OK\r\n"
    "250 2.1.5 recipient <alice@example.test> OK\r\n"
    "354 End data with <CR><LF>.<CR><LF>\r\n"
    "250 2.6.0 message accepted for delivery\r\n"
    "221 2.0.0 localhost closing connection\r\n";

TEST_F(SmtpSessionTest, GreetsAndSetsTheIdleTimeout) {
    auto c = connect();
    EXPECT_EQ(greeting, "220 localhost ESMTP mailspec-server ready\r\n");
    EXPECT_EQ(c->host.idle_timeout, config.limits.smtp_idle_timeout);
}

TEST_F(SmtpSessionTest, EhloOnRelayOffersExtensionsAndStarttlsButNoAuthBeforeTls) {
    auto c = connect();
    const auto out = c->send("EHLO client.example\r\n");
    EXPECT_EQ(out,
              "250-localhost greets client.example\r\n250-PIPELINING\r\n250-SIZE " +
                  std::to_string(config.limits.max_message_size) +
                  "\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250 HELP\r\n");
}

TEST_F(SmtpSessionTest, DeliversAPipelinedMessageWithDotUnstuffingAndReceivedHeader) {
    auto c = connect();
    const auto out = c->send(kDialogue);
    EXPECT_TRUE(out.ends_with(kExpectedReplies)) << out;
    EXPECT_TRUE(c->host.closed);
    EXPECT_EQ(c->host.writes.size(), 2u) << "greeting, then the pipelined replies written together (RFC 2920)";
    const auto messages = inbox();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(without_received(messages[0]), "Subject: hello\r\n\r\n.leading dot\r\nbody\r\n");
    EXPECT_NE(messages[0].find("by localhost (mailspec-server) with ESMTP"), std::string::npos) << messages[0];
    EXPECT_NE(messages[0].find("for <alice@example.test>"), std::string::npos);
}

TEST_F(SmtpSessionTest, SameRepliesAndMessageForEveryChunkSize) {
    for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 13u, 64u}) {
        auto c = connect();
        const auto out = c->send(kDialogue, chunk);
        EXPECT_TRUE(out.ends_with(kExpectedReplies)) << "chunk " << chunk << ": " << out;
    }
    const auto messages = inbox();
    ASSERT_EQ(messages.size(), 7u);
    for (const auto& m : messages) EXPECT_EQ(without_received(m), "Subject: hello\r\n\r\n.leading dot\r\nbody\r\n");
}

TEST_F(SmtpSessionTest, SameRepliesWhenSplitInTwoAtEveryByte) {
    const std::string input = "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nx\r\n.\r\nRSET\r\n";
    const std::string expected =
        "250 2.1.0 sender <> OK\r\n250 2.1.5 recipient <bob@example.test> OK\r\n354 End data with "
        "<CR><LF>.<CR><LF>\r\n250 2.6.0 message accepted for delivery\r\n250 2.0.0 OK\r\n";
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        auto c = connect();
        std::string out = c->send(input.substr(0, cut));
        out += c->send(input.substr(cut));
        EXPECT_TRUE(out.ends_with(expected)) << "cut " << cut << ": " << out;
    }
    const auto messages = inbox("bob");
    ASSERT_EQ(messages.size(), input.size() - 1);
    for (const auto& m : messages) EXPECT_EQ(without_received(m), "x\r\n");
}

TEST_F(SmtpSessionTest, MultipleRecipientsAndPostmaster) {
    auto c = connect();
    const auto out = c->send(
        "EHLO c\r\nMAIL FROM:<x@remote.example>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<BOB@Example.Test>\r\n"
        "RCPT TO:<Postmaster>\r\nDATA\r\nhi\r\n.\r\n");
    EXPECT_TRUE(out.ends_with("250 2.6.0 message accepted for delivery\r\n")) << out;
    EXPECT_EQ(inbox("alice").size(), 1u) << "alice once, although also the postmaster";
    EXPECT_EQ(inbox("bob").size(), 1u);
}

TEST_F(SmtpSessionTest, CommandOrderIsEnforcedWith503) {
    auto c = connect();
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c>\r\n"), "503 bad sequence of commands: send EHLO or HELO first\r\n");
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("RCPT TO:<alice@example.test>\r\n"), "503 5.5.1 bad sequence of commands: send MAIL first\r\n");
    EXPECT_EQ(c->send("DATA\r\n"), "503 5.5.1 bad sequence of commands: send MAIL first\r\n");
    c->send("MAIL FROM:<a@b.c>\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c>\r\n"),
              "503 5.5.1 bad sequence of commands: not allowed during a mail transaction\r\n");
    EXPECT_EQ(c->send("DATA\r\n"), "554 5.5.1 no valid recipients\r\n");
    EXPECT_EQ(c->send("RSET\r\n"), "250 2.0.0 OK\r\n");
    EXPECT_EQ(c->send("RCPT TO:<alice@example.test>\r\n"), "503 5.5.1 bad sequence of commands: send MAIL first\r\n");
}

TEST_F(SmtpSessionTest, HeloGivesNoEnhancedCodesAndInformationalCommandsAnswer) {
    auto c = connect();
    EXPECT_EQ(c->send("HELO client\r\n"), "250 localhost greets client\r\n");
    EXPECT_EQ(c->send("NOOP\r\n"), "250 OK\r\n");
    EXPECT_EQ(c->send("VRFY alice\r\n"), "252 cannot VRFY user, but will accept message and attempt delivery\r\n");
    c->send("EHLO client\r\n");
    EXPECT_EQ(c->send("NOOP ignored args\r\n"), "250 2.0.0 OK\r\n");
    EXPECT_EQ(c->send("VRFY\r\n"), "501 5.5.4 VRFY needs a user name or mailbox\r\n");
    EXPECT_TRUE(c->send("HELP\r\n").starts_with("214-2.0.0 commands:"));
    EXPECT_EQ(c->send("EXPN list\r\n"), "502 5.5.1 EXPN is not implemented\r\n");
    EXPECT_EQ(c->send("QUIT now\r\n"), "501 5.5.4 QUIT takes no arguments\r\n");
    EXPECT_EQ(c->send("quit\r\n"), "221 2.0.0 localhost closing connection\r\n");
    EXPECT_TRUE(c->host.closed);
    EXPECT_EQ(c->send("NOOP\r\n"), "") << "nothing after QUIT";
    EXPECT_EQ(c->host.sends_after_close, 0u);
}

TEST_F(SmtpSessionTest, SizeExtensionRefusesDeclaredAndActualOversize) {
    config.limits.max_message_size = 100;
    auto c = connect();
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c> SIZE=101\r\n"),
              "552 5.3.4 message size 101 exceeds the maximum of 100\r\n");
    c->send("MAIL FROM:<a@b.c> SIZE=50\r\nRCPT TO:<alice@example.test>\r\n");
    const auto out = c->send("DATA\r\n" + std::string(150, 'x') + "\r\n.\r\nNOOP\r\n");
    EXPECT_TRUE(out.ends_with("552 5.3.4 message exceeds the maximum size of 100\r\n250 2.0.0 OK\r\n")) << out;
    EXPECT_TRUE(inbox().empty());
}

TEST_F(SmtpSessionTest, SmtpUtf8AddressesNeedTheParameter) {
    auto c = connect();
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<j\xC3\xB6rg@remote.example>\r\n"),
              "550 5.6.7 non-ASCII sender address needs SMTPUTF8 (RFC 6531 §3.5)\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<j\xC3\xB6rg@remote.example> SMTPUTF8 BODY=8BITMIME\r\n"),
              "250 2.1.0 sender <j\xC3\xB6rg@remote.example> OK\r\n");
    const auto out = c->send("RCPT TO:<alice@example.test>\r\nDATA\r\nSubject: gr\xC3\xBC\xC3\x9F\r\n\r\n.\r\n");
    EXPECT_TRUE(out.ends_with("250 2.6.0 message accepted for delivery\r\n")) << out;
    ASSERT_EQ(inbox().size(), 1u);
    EXPECT_NE(inbox()[0].find("with UTF8ESMTP"), std::string::npos);
}

TEST_F(SmtpSessionTest, ParameterErrorsMapToTheirCodes) {
    auto c = connect();
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c> RET=HDRS\r\n"), "555 5.5.4 MAIL parameter RET is not implemented (at byte 13)\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<a@b.c> BODY=BINARY\r\n"),
              "501 5.5.4 expected BODY=7BIT or BODY=8BITMIME, found BODY=BINARY (at byte 13)\r\n");
    EXPECT_EQ(c->send("MAIL FROM:a@b.c\r\n"),
              "501 5.1.7 syntax error in address: expected '<' starting the path, found 'a' (at byte 5)\r\n");
    c->send("MAIL FROM:<>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<alice@example.test> NOTIFY=NEVER\r\n"),
              "555 5.5.4 RCPT parameter NOTIFY is not implemented (at byte 24)\r\n");
    EXPECT_EQ(c->send("RCPT TO:<" + std::string(65, 'a') + "@example.test>\r\n"),
              "501 5.1.3 local-part is 65 octets, the limit is 64 (RFC 5321 §4.5.3.1.1)\r\n");
}

TEST_F(SmtpSessionTest, TooManyRecipientsGets452) {
    config.limits.max_recipients = 2;
    auto c = connect();
    const auto out = c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\n"
                             "RCPT TO:<alice@example.test>\r\n");
    EXPECT_TRUE(out.ends_with("452 4.5.3 too many recipients\r\n")) << out;
}

TEST_F(SmtpSessionTest, ClientVanishingMidDataStoresNothing) {
    auto c = connect();
    c->send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\nSubject: half\r\n\r\nsome");
    c->drop();
    EXPECT_TRUE(inbox().empty());
    auto again = connect();
    EXPECT_TRUE(again->send("EHLO c\r\n").starts_with("250-"));
}

}  // namespace
}  // namespace mailspec::server::testing
