// POP3 login policy: USER/PASS and AUTH PLAIN only over TLS (unless configured), CAPA listing
// exactly what is available, STLS (RFC 2595 §4) discarding pipelined cleartext, SASL errors.
#include "pop3_fixture.hpp"

namespace mailspec::server::testing {
namespace {

const std::string kCapaBase = "+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n";

TEST_F(Pop3SessionTest, PlainPortOffersStlsAndRefusesPlaintextLogin) {
    auto c = connect("pop3");
    EXPECT_EQ(c->send("CAPA\r\n"), kCapaBase + "STLS\r\nIMPLEMENTATION mailspec-server\r\n.\r\n");
    EXPECT_EQ(c->send("USER alice\r\n"), "-ERR [AUTH] plaintext authentication disallowed without TLS; use STLS\r\n");
    EXPECT_EQ(c->send("PASS secret1\r\n"), "-ERR [AUTH] plaintext authentication disallowed without TLS; use STLS\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"),
              "-ERR [AUTH] plaintext authentication disallowed without TLS; use STLS\r\n");
    EXPECT_EQ(c->send("STLS\r\n"), "+OK begin TLS negotiation\r\n");
    EXPECT_EQ(c->host.start_tls_calls, 1);
    EXPECT_EQ(c->complete_tls(), "");
    EXPECT_EQ(c->send("CAPA\r\n"), kCapaBase + "USER\r\nSASL PLAIN\r\nIMPLEMENTATION mailspec-server\r\n.\r\n");
    EXPECT_EQ(c->send("STLS\r\n"), "-ERR already using TLS\r\n");
    c->send("USER alice\r\n");
    EXPECT_TRUE(c->send("PASS secret1\r\n").starts_with("+OK alice's maildrop has 0 messages"));
    EXPECT_EQ(c->send("CAPA\r\n"), kCapaBase + "IMPLEMENTATION mailspec-server\r\n.\r\n");
}

TEST_F(Pop3SessionTest, StlsDiscardsCommandsPipelinedInCleartext) {
    auto c = connect("pop3");
    EXPECT_EQ(c->send("STLS\r\nCAPA\r\n"), "+OK begin TLS negotiation\r\n");
    EXPECT_EQ(c->complete_tls(), "");
    EXPECT_EQ(c->send("NOOP\r\n"), "-ERR NOOP is not valid before authentication\r\n");
}

TEST_F(Pop3SessionTest, PlaintextLoginWhenConfigured) {
    config.options.allow_plaintext_auth = true;
    auto c = connect("pop3");
    EXPECT_EQ(c->send("CAPA\r\n"), kCapaBase + "USER\r\nSASL PLAIN\r\nSTLS\r\nIMPLEMENTATION mailspec-server\r\n.\r\n");
    c->send("USER alice\r\n");
    EXPECT_TRUE(c->send("PASS secret1\r\n").starts_with("+OK"));
}

TEST_F(Pop3SessionTest, Pop3sHasNoStls) {
    auto c = connect("pop3s");
    EXPECT_EQ(c->send("STLS\r\n"), "-ERR already using TLS\r\n");
}

TEST_F(Pop3SessionTest, UserPassErrors) {
    auto c = connect();
    EXPECT_EQ(c->send("PASS secret1\r\n"), "-ERR send USER first\r\n");
    EXPECT_EQ(c->send("USER\r\n"), "-ERR USER needs exactly one argument\r\n");
    c->send("USER alice\r\n");
    EXPECT_EQ(c->send("PASS wrong\r\n"), "-ERR [AUTH] invalid user name or password\r\n");
    EXPECT_EQ(c->send("PASS secret1\r\n"), "-ERR send USER first\r\n") << "a failed PASS forgets the user";
    c->send("USER nobody\r\n");
    EXPECT_EQ(c->send("PASS secret1\r\n"), "-ERR [AUTH] invalid user name or password\r\n");
    EXPECT_EQ(c->send("APOP alice 0123456789abcdef\r\n"), "-ERR APOP is not supported (no timestamp in the greeting)\r\n");
}

TEST_F(Pop3SessionTest, AuthPlainInitialResponseAndContinuation) {
    auto c = connect();
    EXPECT_EQ(c->send("AUTH\r\n"), "+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n");
    EXPECT_EQ(c->send("AUTH CRAM-MD5\r\n"), "-ERR unsupported SASL mechanism CRAM-MD5\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "+ \r\n");
    EXPECT_EQ(c->send("*\r\n"), "-ERR authentication cancelled\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "+ \r\n");
    EXPECT_EQ(c->send("a=b=\r\n"), "-ERR invalid base64: expected a base64 character, found '='\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "nope") + "\r\n"), "-ERR [AUTH] invalid user name or password\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN =\r\n"),
              "-ERR malformed PLAIN message: expected authzid NUL authcid NUL password (RFC 4616 §2), found fewer "
              "than 2 NULs\r\n");
    EXPECT_EQ(c->send("AUTH PLAIN\r\n"), "+ \r\n");
    EXPECT_TRUE(c->send(plain("alice", "secret1") + "\r\n").starts_with("+OK alice's maildrop has 0 messages"));
}

}  // namespace
}  // namespace mailspec::server::testing
