// Greeting, CAPABILITY before/after TLS and login, LOGINDISABLED, STARTTLS, LOGIN, AUTHENTICATE.
#include "imap_fixture.hpp"

namespace mailspec::server::testing {

TEST_F(ImapSessionTest, PlainPortGreetsWithStarttlsAndLoginDisabled) {
    auto d = connect("imap");
    EXPECT_EQ(greeting.rfind("* OK [CAPABILITY IMAP4rev1 ", 0), 0u) << greeting;
    EXPECT_NE(greeting.find(" STARTTLS"), std::string::npos);
    EXPECT_NE(greeting.find(" LOGINDISABLED"), std::string::npos);
    EXPECT_EQ(greeting.find("AUTH=PLAIN"), std::string::npos);
    std::string out = d->send("a1 LOGIN alice secret1\r\n");
    EXPECT_TRUE(has_line(out, "a1 NO [PRIVACYREQUIRED]")) << out;
    out = d->send("a2 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldDE=\r\n");
    EXPECT_TRUE(has_line(out, "a2 NO [PRIVACYREQUIRED]")) << out;
}

TEST_F(ImapSessionTest, StarttlsThenLogin) {
    auto d = connect("imap");
    // pipelined bytes after STARTTLS are discarded (RFC 2595 §3.1)
    std::string out = d->send("a1 STARTTLS\r\na2 LOGIN alice secret1\r\n");
    EXPECT_TRUE(has_line(out, "a1 OK")) << out;
    EXPECT_FALSE(has_line(out, "a2")) << out;
    EXPECT_EQ(d->host.start_tls_calls, 1);
    EXPECT_EQ(d->complete_tls(), "");
    out = d->send("a3 CAPABILITY\r\n");
    EXPECT_TRUE(has_line(out, "* CAPABILITY IMAP4rev1")) << out;
    EXPECT_NE(out.find("AUTH=PLAIN"), std::string::npos);
    EXPECT_EQ(out.find("STARTTLS"), std::string::npos);
    EXPECT_EQ(out.find("LOGINDISABLED"), std::string::npos);
    out = d->send("a4 STARTTLS\r\n");
    EXPECT_TRUE(has_line(out, "a4 BAD")) << out;
    out = d->send("a5 LOGIN alice secret1\r\n");
    EXPECT_TRUE(has_line(out, "a5 OK [CAPABILITY IMAP4rev1")) << out;
    EXPECT_EQ(out.find("AUTH=PLAIN"), std::string::npos);  // not after login
    out = d->send("a6 LOGIN alice secret1\r\n");
    EXPECT_TRUE(has_line(out, "a6 BAD")) << out;  // wrong state
}

TEST_F(ImapSessionTest, ImplicitTlsLoginFailureAndSuccess) {
    auto d = connect("imaps");
    EXPECT_EQ(greeting.find("STARTTLS"), std::string::npos) << greeting;
    EXPECT_NE(greeting.find("AUTH=PLAIN"), std::string::npos) << greeting;
    std::string out = d->send("a1 LOGIN alice wrong\r\n");
    EXPECT_TRUE(has_line(out, "a1 NO [AUTHENTICATIONFAILED]")) << out;
    out = d->send("a2 LOGIN \"alice\" {7}\r\n");
    EXPECT_EQ(out, "+ Ready for literal data\r\n");
    out = d->send("secret1\r\n");
    EXPECT_TRUE(has_line(out, "a2 OK")) << out;
}

TEST_F(ImapSessionTest, AuthenticatePlainWithAndWithoutInitialResponse) {
    auto d = connect("imaps");
    std::string out = d->send("a1 AUTHENTICATE PLAIN\r\n");
    EXPECT_EQ(out, "+ \r\n");
    out = d->send("*\r\n");
    EXPECT_TRUE(has_line(out, "a1 BAD")) << out;
    out = d->send("a2 AUTHENTICATE PLAIN\r\n");
    out = d->send("AGFsaWNlAHdyb25n\r\n");  // \0alice\0wrong
    EXPECT_TRUE(has_line(out, "a2 NO [AUTHENTICATIONFAILED]")) << out;
    out = d->send("a3 AUTHENTICATE CRAM-MD5\r\n");
    EXPECT_TRUE(has_line(out, "a3 NO")) << out;
    out = d->send("a4 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldDE=\r\n");  // SASL-IR
    EXPECT_TRUE(has_line(out, "a4 OK")) << out;
}

TEST_F(ImapSessionTest, LogoutSendsByeThenOkAndCloses) {
    auto d = connect("imaps");
    std::string out = d->send("a1 LOGOUT\r\n");
    EXPECT_EQ(out.rfind("* BYE", 0), 0u) << out;
    EXPECT_TRUE(has_line(out, "a1 OK")) << out;
    EXPECT_TRUE(d->host.closed);
}

TEST_F(ImapSessionTest, IdTimeoutAndNoop) {
    auto d = connect("imaps");
    std::string out = d->send("a1 ID (\"name\" \"test\")\r\n");
    EXPECT_TRUE(has_line(out, "* ID (\"name\" \"mailspec-server\"")) << out;
    out = d->send("a2 NOOP\r\n");
    EXPECT_TRUE(has_line(out, "a2 OK")) << out;
    EXPECT_GT(d->host.idle_timeout.count(), 0);
    out = d->idle_timeout();
    EXPECT_TRUE(has_line(out, "* BYE")) << out;
    EXPECT_TRUE(d->host.closed);
}

}  // namespace mailspec::server::testing
