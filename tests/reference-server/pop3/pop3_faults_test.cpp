// Every pop3.* fault, each shown to break what the conforming session does.
#include "pop3_fixture.hpp"

namespace mailspec::server::testing {
namespace {

TEST_F(Pop3SessionTest, FaultDeleImmediateRemovesAtOnceAndRsetCannotUndo) {
    faults.enable("pop3.dele-immediate");
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    c->send("DELE 1\r\nRSET\r\n");
    EXPECT_EQ(inbox_size(), 0u);
    c->drop();
    EXPECT_EQ(inbox_size(), 0u) << "a dropped connection should have deleted nothing";
}

TEST_F(Pop3SessionTest, FaultDeleNotAppliedKeepsMessagesAfterQuit) {
    faults.enable("pop3.dele-not-applied");
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    c->send("DELE 1\r\n");
    EXPECT_EQ(c->send("QUIT\r\n"), "+OK mailspec-server signing off (0 messages left)\r\n");
    EXPECT_EQ(inbox_size(), 1u);
}

TEST_F(Pop3SessionTest, FaultDisconnectAtClosesInsteadOfAnswering) {
    faults.enable("pop3.disconnect-at=2");
    auto c = connect();
    EXPECT_EQ(c->send("CAPA\r\nUSER alice\r\nPASS secret1\r\n").substr(0, 4), "+OK ");
    EXPECT_TRUE(c->host.output.empty());
    EXPECT_TRUE(c->host.closed);
    EXPECT_TRUE(c->host.writes.back().ends_with(".\r\n-ERR server shutting down\r\n"));
}

TEST_F(Pop3SessionTest, FaultNoDotStuffingSendsLeadingDotsBare) {
    faults.enable("pop3.no-dot-stuffing");
    deliver("Subject: x\r\n\r\n.hidden\r\n");
    auto c = login();
    EXPECT_TRUE(c->send("RETR 1\r\n").ends_with("\r\n.hidden\r\n.\r\n"));
}

TEST_F(Pop3SessionTest, FaultPlaintextUserAcceptsUserPassBeforeTls) {
    faults.enable("pop3.plaintext-user");
    auto c = connect("pop3");
    EXPECT_NE(c->send("CAPA\r\n").find("\r\nUSER\r\n"), std::string::npos);
    c->send("USER alice\r\n");
    EXPECT_TRUE(c->send("PASS secret1\r\n").starts_with("+OK alice's maildrop"));
}

TEST_F(Pop3SessionTest, FaultStarttlsInjectionRunsCleartextCommandsAfterTheHandshake) {
    faults.enable("pop3.starttls-injection");
    auto c = connect("pop3");
    EXPECT_EQ(c->send("STLS\r\nUSER mallory\r\n"), "+OK begin TLS negotiation\r\n");
    EXPECT_EQ(c->complete_tls(), "+OK send PASS\r\n");
}

TEST_F(Pop3SessionTest, FaultUidlUnstableChangesIdsBetweenSessions) {
    faults.enable("pop3.uidl-unstable");
    deliver("Subject: x\r\n\r\nbody\r\n");
    std::string first;
    {
        auto c = login();
        first = c->send("UIDL 1\r\n");
        c->send("QUIT\r\n");
    }
    auto c = login();
    EXPECT_NE(c->send("UIDL 1\r\n"), first);
}

}  // namespace
}  // namespace mailspec::server::testing
