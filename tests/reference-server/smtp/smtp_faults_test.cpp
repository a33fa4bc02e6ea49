// Every smtp.* fault, each shown to break what the conforming session does.
#include "smtp_fixture.hpp"

namespace mailspec::server::testing {
namespace {

const std::string kTransaction = "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n";

TEST_F(SmtpSessionTest, FaultWrongCodeReplacesTheCodeOfTheNamedCommand) {
    faults.enable("smtp.wrong-code=GREETING:554");
    faults.enable("smtp.wrong-code=DATA:451");
    faults.enable("smtp.wrong-code=EHLO:220");
    auto c = connect();
    EXPECT_EQ(greeting, "554 localhost ESMTP mailspec-server ready\r\n");
    EXPECT_TRUE(c->send("EHLO c\r\n").starts_with("220-localhost"));
    const auto out = c->send("MAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\nx\r\n.\r\n");
    EXPECT_TRUE(has_line(out, "354 End data")) << "the 354 is not the DATA reply that is replaced";
    EXPECT_TRUE(out.ends_with("451 2.6.0 message accepted for delivery\r\n")) << out;
}

TEST_F(SmtpSessionTest, FaultDisconnectAtOutput) {
    faults.enable("smtp.disconnect-at=2");
    auto c = connect();
    const auto out = c->send("EHLO c\r\nNOOP\r\nNOOP\r\n");
    // The first NOOP (command 2) gets no reply at all: the connection just closes (RFC 5321 §3.8).
    EXPECT_TRUE(out.ends_with("250 HELP\r\n")) << out;
    EXPECT_EQ(out.find("421"), std::string::npos) << out;
    EXPECT_TRUE(c->host.closed);
}

TEST_F(SmtpSessionTest, FaultBadContinuationBreaksMultiLineReplies) {
    faults.enable("smtp.bad-continuation");
    auto c = connect();
    const auto out = c->send("EHLO c\r\n");
    EXPECT_TRUE(out.starts_with("250 localhost greets c\r\n250 PIPELINING\r\n")) << out;
    EXPECT_FALSE(has_line(out, "250-"));
}

TEST_F(SmtpSessionTest, FaultNoDotUnstuffingStoresTheStuffingDot) {
    faults.enable("smtp.no-dot-unstuffing");
    auto c = connect();
    c->send(kTransaction);
    EXPECT_EQ(c->send("..dot\r\n.\r\n"), "250 2.6.0 message accepted for delivery\r\n");
    EXPECT_EQ(without_received(inbox()[0]), "..dot\r\n");
}

TEST_F(SmtpSessionTest, FaultBareLfEndsDataEnablesSmuggling) {
    faults.enable("smtp.bare-lf-ends-data");
    auto c = connect();
    c->send(kTransaction);
    const auto out = c->send("body\n.\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nsmuggled\r\n.\r\n");
    EXPECT_EQ(out,
              "250 2.6.0 message accepted for delivery\r\n250 2.1.0 sender <evil@x.example> OK\r\n"
              "250 2.1.5 recipient <bob@example.test> OK\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
              "250 2.6.0 message accepted for delivery\r\n");
    EXPECT_EQ(inbox("bob").size(), 1u) << "the smuggled message was delivered";
}

TEST_F(SmtpSessionTest, FaultNoLineLimitAcceptsOverlongLines) {
    faults.enable("smtp.no-line-limit");
    auto c = connect();
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("NOOP " + std::string(100000, 'x') + "\r\n"), "250 2.0.0 OK\r\n");
    c->send("MAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\n");
    EXPECT_TRUE(c->send("DATA\r\n" + std::string(5000, 'x') + "\r\n.\r\n").ends_with("250 2.6.0 message accepted for delivery\r\n"));
}

TEST_F(SmtpSessionTest, FaultOpenRelayAcceptsForeignRecipientsWithoutAuth) {
    faults.enable("smtp.open-relay");
    auto c = connect("smtp");
    c->send("EHLO c\r\nMAIL FROM:<x@remote.example>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<victim@elsewhere.example>\r\n"), "250 2.1.5 recipient <victim@elsewhere.example> OK\r\n");
}

TEST_F(SmtpSessionTest, FaultAuthBeforeTlsOffersAndAcceptsAuthInCleartext) {
    faults.enable("smtp.auth-before-tls");
    auto c = connect("submission");
    EXPECT_TRUE(has_line(c->send("EHLO c\r\n"), "250-AUTH PLAIN LOGIN"));
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"), "235 2.7.0 authentication successful\r\n");
}

TEST_F(SmtpSessionTest, FaultStarttlsInjectionRunsCleartextCommandsAfterTheHandshake) {
    faults.enable("smtp.starttls-injection");
    auto c = connect("submission");
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("STARTTLS\r\nHELO injected\r\n"), "220 2.0.0 Ready to start TLS\r\n");
    EXPECT_EQ(c->complete_tls(), "250 localhost greets injected\r\n");
}

TEST_F(SmtpSessionTest, FaultStarttlsReadvertisedAfterTls) {
    faults.enable("smtp.starttls-readvertised");
    auto c = connect("submission");
    c->send("EHLO c\r\nSTARTTLS\r\n");
    c->complete_tls();
    EXPECT_TRUE(has_line(c->send("EHLO c\r\n"), "250-STARTTLS"));
}

// smtp.wrong-code=UNKNOWN:CODE: the reply to an unrecognised verb, which RFC 5321 §4.2.4 wants to
// be 500, gets CODE; recognised verbs keep their codes.
TEST_F(SmtpSessionTest, FaultWrongCodeUnknownReplacesTheReplyToAnUnrecognisedVerb) {
    faults.enable("smtp.wrong-code=UNKNOWN:250");
    auto c = connect();
    c->send("EHLO c\r\n");
    const auto out = c->send("XYZZY\r\n");
    EXPECT_TRUE(out.starts_with("250 ")) << out;
    EXPECT_NE(out.find("command not recognized: XYZZY"), std::string::npos) << out;
    EXPECT_TRUE(c->send("NOOP\r\n").starts_with("250 ")) << "a known verb is not affected";
    EXPECT_TRUE(c->send("RCPT TO:<alice@example.test>\r\n").starts_with("503 ")) << "nor a refused known verb";
}

TEST_F(SmtpSessionTest, FaultAuthNotOfferedHidesAuthEvenAfterTls) {
    faults.enable("smtp.auth-not-offered");
    auto c = connect("submission");
    c->send("EHLO c\r\nSTARTTLS\r\n");
    c->complete_tls();
    const auto ehlo = c->send("EHLO c\r\n");
    EXPECT_TRUE(has_line(ehlo, "250 HELP")) << ehlo;
    EXPECT_EQ(ehlo.find("AUTH"), std::string::npos) << ehlo;
}

TEST_F(SmtpSessionTest, FaultNoEnhancedCodesLeavesThemOutDespiteTheKeyword) {
    faults.enable("smtp.no-enhanced-codes");
    auto c = connect();
    EXPECT_TRUE(has_line(c->send("EHLO c\r\n"), "250-ENHANCEDSTATUSCODES"));
    EXPECT_EQ(c->send("NOOP\r\n"), "250 OK\r\n");
    EXPECT_EQ(c->send("RCPT TO:<alice@example.test>\r\n").substr(0, 4), "503 ");
    EXPECT_EQ(c->send("RCPT TO:<alice@example.test>\r\n").find("5.5."), std::string::npos);
}

TEST_F(SmtpSessionTest, FaultNoReceivedHeaderStoresTheMessageWithoutTrace) {
    faults.enable("smtp.no-received-header");
    auto c = connect();
    c->send(kTransaction);
    EXPECT_TRUE(c->send("Subject: x\r\n\r\nbody\r\n.\r\n").starts_with("250 "));
    const auto stored = inbox();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored.front(), "Subject: x\r\n\r\nbody\r\n");
}

TEST_F(SmtpSessionTest, FaultSizeBadSyntaxAddsAUnitToTheMaximum) {
    faults.enable("smtp.size-bad-syntax");
    auto c = connect();
    const auto ehlo = c->send("EHLO c\r\n");
    const std::string expected = "\r\n250-SIZE " + std::to_string(config.limits.max_message_size / 1024) + "K\r\n";
    EXPECT_NE(ehlo.find(expected), std::string::npos) << ehlo;
}

TEST_F(SmtpSessionTest, FaultTextLineOffByOneRefusesA998OctetLine) {
    const std::string line_998 = std::string(998, 'x') + "\r\n";
    {
        auto clean = connect();
        clean->send(kTransaction);
        EXPECT_TRUE(clean->send(line_998 + ".\r\n").starts_with("250 ")) << "998 octets + CRLF is legal";
    }
    faults.enable("smtp.text-line-off-by-one");
    auto c = connect();
    c->send(kTransaction);
    EXPECT_TRUE(c->send(line_998 + ".\r\n").starts_with("500 "));
    c->send("MAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
    EXPECT_TRUE(c->send(std::string(997, 'x') + "\r\n.\r\n").starts_with("250 "));
}

TEST_F(SmtpSessionTest, FaultNoPipeliningRefusesCommandsSentBehindAnother) {
    faults.enable("smtp.no-pipelining");
    auto c = connect();
    EXPECT_TRUE(has_line(c->send("EHLO c\r\n"), "250-PIPELINING"));
    const auto out = c->send("MAIL FROM:<>\r\nRCPT TO:<alice@example.test>\r\n");
    EXPECT_TRUE(out.starts_with("250 ")) << out;
    EXPECT_TRUE(has_line(out, "503 5.5.1 wait for each reply before sending the next command")) << out;
    EXPECT_TRUE(c->send("RCPT TO:<alice@example.test>\r\n").starts_with("250 ")) << "one at a time still works";
}

}  // namespace
}  // namespace mailspec::server::testing
