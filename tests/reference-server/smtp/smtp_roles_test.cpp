// Role policy (relay / submission / submissions), STARTTLS (RFC 3207) and AUTH (RFC 4954).
#include "smtp_fixture.hpp"

namespace mailspec::server::testing {
namespace {

TEST_F(SmtpSessionTest, RelayRoleAcceptsLocalUsersRefusesRelayAndUnknownUsers) {
    auto c = connect("smtp");
    c->send("EHLO c\r\nMAIL FROM:<x@remote.example>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<someone@elsewhere.example>\r\n"),
              "550 5.7.1 relay access denied for <someone@elsewhere.example>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<nobody@example.test>\r\n"), "550 5.1.1 no such user <nobody@example.test>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<alice@EXAMPLE.test>\r\n"), "250 2.1.5 recipient <alice@EXAMPLE.test> OK\r\n");
}

TEST_F(SmtpSessionTest, SubmissionRequiresStarttlsThenAuthBeforeMail) {
    auto c = connect("submission");
    const auto ehlo = c->send("EHLO c\r\n");
    EXPECT_TRUE(has_line(ehlo, "250-STARTTLS")) << ehlo;
    EXPECT_FALSE(has_line(ehlo, "250-AUTH")) << "AUTH is not offered before TLS: " << ehlo;
    EXPECT_EQ(c->send("MAIL FROM:<alice@example.test>\r\n"), "530 5.7.0 Must issue a STARTTLS command first\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"),
              "538 5.7.11 encryption required for requested authentication mechanism (use STARTTLS)\r\n");

    EXPECT_EQ(c->send("STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
    EXPECT_EQ(c->host.start_tls_calls, 1);
    EXPECT_EQ(c->complete_tls(), "");
    // RFC 3207 §4.2: state reset to before EHLO.
    EXPECT_EQ(c->send("MAIL FROM:<alice@example.test>\r\n"), "503 bad sequence of commands: send EHLO or HELO first\r\n");
    const auto ehlo2 = c->send("EHLO c\r\n");
    EXPECT_FALSE(has_line(ehlo2, "250-STARTTLS")) << "never advertised again: " << ehlo2;
    EXPECT_TRUE(has_line(ehlo2, "250-AUTH PLAIN LOGIN")) << ehlo2;
    EXPECT_EQ(c->send("STARTTLS\r\n"), "503 5.5.1 TLS already active\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<alice@example.test>\r\n"), "530 5.7.0 Authentication required\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"), "235 2.7.0 authentication successful\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"), "503 5.5.1 already authenticated\r\n");
    const auto out = c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<friend@elsewhere.example>\r\n"
                             "RCPT TO:<bob@example.test>\r\nDATA\r\nSubject: sent\r\n\r\nhi\r\n.\r\n");
    EXPECT_TRUE(out.ends_with("250 2.6.0 message accepted for delivery\r\n")) << out;
    EXPECT_TRUE(has_line(out, "250 2.1.5 recipient <friend@elsewhere.example> OK")) << out;
    const auto messages = inbox("bob");
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_NE(messages[0].find("with ESMTPSA"), std::string::npos) << messages[0];
}

TEST_F(SmtpSessionTest, StarttlsDiscardsCommandsPipelinedInCleartext) {
    auto c = connect("submission");
    c->send("EHLO c\r\n");
    // RFC 3207 §4.2 / CVE-2011-0411: bytes after STARTTLS in the same packet must not survive.
    EXPECT_EQ(c->send("STARTTLS\r\nEHLO injected\r\nMAIL FROM:<evil@remote.example>\r\n"),
              "220 2.0.0 Ready to start TLS\r\n");
    EXPECT_EQ(c->complete_tls(), "");
    EXPECT_EQ(c->send("NOOP\r\n"), "250 OK\r\n");
}

TEST_F(SmtpSessionTest, StarttlsArgumentsAndUnavailability) {
    auto c = connect("submission");
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("STARTTLS now\r\n"), "501 5.5.4 STARTTLS takes no parameters\r\n");
    c->send("MAIL FROM:<>\r\n");
    config.endpoints[0].starttls = false;  // the "smtp" endpoint
    auto relay = connect("smtp");
    const auto ehlo = relay->send("EHLO c\r\n");
    EXPECT_FALSE(has_line(ehlo, "250-STARTTLS")) << ehlo;
    EXPECT_EQ(relay->send("STARTTLS\r\n"), "454 4.7.0 TLS not available\r\n");
}

TEST_F(SmtpSessionTest, SubmissionsIsImplicitTlsWithAuthLogin) {
    auto c = connect("submissions");
    const auto ehlo = c->send("EHLO c\r\n");
    EXPECT_FALSE(has_line(ehlo, "250-STARTTLS")) << ehlo;
    EXPECT_TRUE(has_line(ehlo, "250-AUTH PLAIN LOGIN")) << ehlo;
    EXPECT_EQ(c->send("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    EXPECT_EQ(c->send(protocol::smtp::base64_encode("bob") + "\r\n"), "334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(c->send(protocol::smtp::base64_encode("wrong") + "\r\n"), "535 5.7.8 authentication credentials invalid\r\n");
    EXPECT_EQ(c->send("AUTH LOGIN " + protocol::smtp::base64_encode("bob") + "\r\n"), "334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(c->send(protocol::smtp::base64_encode("secret2") + "\r\n"), "235 2.7.0 authentication successful\r\n");
    EXPECT_EQ(c->send("MAIL FROM:<bob@example.test>\r\n"), "250 2.1.0 sender <bob@example.test> OK\r\n");
}

TEST_F(SmtpSessionTest, AuthExchangeErrors) {
    auto c = connect("submissions");
    c->send("EHLO c\r\n");
    EXPECT_EQ(c->send("AUTH CRAM-MD5\r\n"), "504 5.5.4 mechanism CRAM-MD5 is not supported\r\n");
    EXPECT_EQ(c->send("AUTH\r\n"), "501 5.5.4 AUTH needs a mechanism name\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN not*base64\r\n"),
              "501 5.5.2 invalid base64 in initial response: base64 length 10 is not a multiple of 4\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "334 \r\n");
    EXPECT_EQ(c->send("*\r\n"), "501 5.0.0 authentication cancelled\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "334 \r\n");
    EXPECT_EQ(c->send("!!!!\r\n"), "501 5.5.2 invalid base64: expected a base64 character, found '!'\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + protocol::smtp::base64_encode("no nuls") + "\r\n"),
              "501 5.5.2 malformed PLAIN message: expected authzid NUL authcid NUL password (RFC 4616 §2), "
              "found fewer than 2 NULs\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "334 \r\n");
    EXPECT_EQ(c->send(std::string(13000, 'A') + "\r\n"), "500 5.5.6 authentication exchange line is too long\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + protocol::smtp::base64_encode(std::string("bob") + '\0' + "alice" + '\0' + "secret1") +
                      "\r\n"),
              "535 5.7.8 authentication credentials invalid\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "334 \r\n");
    EXPECT_EQ(c->send(plain("alice", "secret1") + "\r\n"), "235 2.7.0 authentication successful\r\n");
}

TEST_F(SmtpSessionTest, AuthDuringTransactionIsBadSequence) {
    auto c = connect("smtp");
    c->send("EHLO c\r\nMAIL FROM:<>\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"),
              "503 5.5.1 bad sequence of commands: not allowed during a mail transaction\r\n");
}

TEST_F(SmtpSessionTest, PlaintextAuthWhenConfigured) {
    config.options.allow_plaintext_auth = true;
    auto c = connect("submission");
    EXPECT_TRUE(has_line(c->send("EHLO c\r\n"), "250-AUTH PLAIN LOGIN"));
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"), "235 2.7.0 authentication successful\r\n");
}

}  // namespace
}  // namespace mailspec::server::testing
