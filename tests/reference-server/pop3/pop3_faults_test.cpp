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

// pop3.wrong-status=CMD: the named command gets the opposite status indicator (RFC 1939 §3);
// every other command is answered correctly.
TEST_F(Pop3SessionTest, FaultWrongStatusTurnsOkIntoErrForTheNamedCommandOnly) {
    faults.enable("pop3.wrong-status=stat");  // keywords are case-insensitive
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    const auto stat = c->send("STAT\r\n");
    EXPECT_TRUE(stat.starts_with("-ERR 1 ")) << stat;
    EXPECT_TRUE(stat.ends_with("\r\n"));
    EXPECT_TRUE(c->send("NOOP\r\n").starts_with("+OK")) << "other commands are answered correctly";
}

TEST_F(Pop3SessionTest, FaultWrongStatusSendsOnlyTheErrLineForAMultiLineAnswer) {
    faults.enable("pop3.wrong-status=LIST");
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    const auto list = c->send("LIST\r\n");
    EXPECT_TRUE(list.starts_with("-ERR")) << list;
    EXPECT_EQ(list.find("\r\n"), list.size() - 2) << "no scan listing and no terminating dot: " << list;
    const auto single = c->send("LIST 1\r\n");
    EXPECT_TRUE(single.starts_with("-ERR 1 ")) << single;
}

TEST_F(Pop3SessionTest, FaultWrongStatusTurnsErrIntoOkWithTheSameText) {
    faults.enable("pop3.wrong-status=RETR");
    faults.enable("pop3.wrong-status=DELE");
    auto c = connect();
    EXPECT_EQ(c->send("RETR 1\r\n"), "+OK RETR is not valid before authentication\r\n");
    c->send("USER alice\r\n");
    c->send("PASS secret1\r\n");
    const auto retr = c->send("RETR 7\r\n");
    EXPECT_TRUE(retr.starts_with("+OK ")) << retr;
    EXPECT_TRUE(c->send("DELE 7\r\n").starts_with("+OK ")) << "a missing message reported deleted";
}

TEST_F(Pop3SessionTest, FaultWrongStatusCoversGreetingUnknownKeywordsAndStls) {
    faults.enable("pop3.wrong-status=GREETING");
    faults.enable("pop3.wrong-status=UNKNOWN");
    faults.enable("pop3.wrong-status=STLS");
    auto c = connect("pop3");
    EXPECT_EQ(greeting, "-ERR mailspec-server POP3 ready\r\n");
    EXPECT_EQ(c->send("XYZZ\r\n"), "+OK unknown command XYZZ\r\n");
    EXPECT_TRUE(c->send("XYZZY\r\n").starts_with("+OK syntax error")) << "a 5-letter keyword is malformed";
    EXPECT_EQ(c->send("STLS\r\n"), "-ERR begin TLS negotiation\r\n");
}

TEST_F(Pop3SessionTest, FaultWrongStatusLeavesOtherSessionsOfCommandsAlone) {
    faults.enable("pop3.wrong-status=QUIT");
    auto c = connect();
    EXPECT_TRUE(greeting.starts_with("+OK ")) << greeting;
    EXPECT_TRUE(c->send("CAPA\r\n").ends_with("\r\n.\r\n"));
    EXPECT_TRUE(c->send("QUIT\r\n").starts_with("-ERR ")) << "QUIT in AUTHORIZATION must be +OK";
}

TEST_F(Pop3SessionTest, FaultSizeOffByOneReportsEverySizeOneOctetLarger) {
    const std::string message = "Subject: x\r\n\r\nbody\r\n";  // 21 octets
    deliver(message);
    {
        auto clean = login();
        EXPECT_EQ(clean->send("LIST 1\r\n"), "+OK 1 " + std::to_string(message.size()) + "\r\n");
        clean->send("QUIT\r\n");
    }
    faults.enable("pop3.size-off-by-one");
    auto c = login();
    EXPECT_EQ(c->send("LIST 1\r\n"), "+OK 1 " + std::to_string(message.size() + 1) + "\r\n");
    EXPECT_EQ(c->send("STAT\r\n"), "+OK 1 " + std::to_string(message.size() + 1) + "\r\n");
}

}  // namespace
}  // namespace mailspec::server::testing
