// POP3 dialogues through the in-memory host with a real store: reading, byte-stuffing, TOP,
// UIDL stability, deletion semantics (RFC 1939 §6), the maildrop lock, byte-split input.
#include "pop3_fixture.hpp"

namespace mailspec::server::testing {
namespace {

const std::string kFirst = "Subject: one\r\n\r\n.starts with a dot\r\nline\r\n";
const std::string kSecond = "Subject: two\r\nFrom: b@x\r\n\r\nl1\r\nl2\r\nl3\r\n";

TEST_F(Pop3SessionTest, GreetsAndSetsTheIdleTimeout) {
    auto c = connect();
    EXPECT_EQ(greeting, "+OK mailspec-server POP3 ready\r\n");
    EXPECT_EQ(c->host.idle_timeout, config.limits.pop3_idle_timeout);
}

TEST_F(Pop3SessionTest, ReadsListsAndStuffs) {
    const Uid first = deliver(kFirst);
    deliver(kSecond);
    auto c = login();
    EXPECT_EQ(c->send("STAT\r\n"), "+OK 2 " + std::to_string(kFirst.size() + kSecond.size()) + "\r\n");
    EXPECT_EQ(c->send("LIST\r\n"), "+OK 2 messages (" + std::to_string(kFirst.size() + kSecond.size()) +
                                       " octets)\r\n1 " + std::to_string(kFirst.size()) + "\r\n2 " +
                                       std::to_string(kSecond.size()) + "\r\n.\r\n");
    EXPECT_EQ(c->send("LIST 2\r\n"), "+OK 2 " + std::to_string(kSecond.size()) + "\r\n");
    EXPECT_EQ(c->send("RETR 1\r\n"), "+OK " + std::to_string(kFirst.size()) +
                                         " octets\r\nSubject: one\r\n\r\n..starts with a dot\r\nline\r\n.\r\n");
    EXPECT_EQ(c->send("TOP 2 1\r\n"), "+OK top of message follows\r\nSubject: two\r\nFrom: b@x\r\n\r\nl1\r\n.\r\n");
    const auto snapshot = store->list_messages("alice", "INBOX");
    const std::string uid1 = std::to_string(snapshot->uidvalidity) + "." + std::to_string(first);
    EXPECT_EQ(c->send("UIDL 1\r\n"), "+OK 1 " + uid1 + "\r\n");
    EXPECT_TRUE(c->send("UIDL\r\n").starts_with("+OK unique-id listing follows\r\n1 " + uid1 + "\r\n2 "));
    EXPECT_EQ(c->send("NOOP\r\n"), "+OK\r\n");
}

TEST_F(Pop3SessionTest, UidlIsStableAcrossSessions) {
    deliver(kFirst);
    deliver(kSecond);
    std::string first_listing;
    {
        auto c = login();
        first_listing = c->send("UIDL\r\n");
        c->send("QUIT\r\n");
    }
    store.reopen();
    auto c = login();
    EXPECT_EQ(c->send("UIDL\r\n"), first_listing);
}

TEST_F(Pop3SessionTest, DeleOnlyMarksAndQuitApplies) {
    deliver(kFirst);
    deliver(kSecond);
    auto c = login();
    EXPECT_EQ(c->send("DELE 1\r\n"), "+OK message 1 deleted\r\n");
    EXPECT_EQ(inbox_size(), 2u) << "DELE only marks (RFC 1939 §6)";
    EXPECT_EQ(c->send("DELE 1\r\n"), "-ERR message 1 already deleted\r\n");
    EXPECT_EQ(c->send("RETR 1\r\n"), "-ERR message 1 already deleted\r\n");
    EXPECT_EQ(c->send("STAT\r\n"), "+OK 1 " + std::to_string(kSecond.size()) + "\r\n");
    EXPECT_TRUE(c->send("LIST\r\n").starts_with("+OK 1 messages"));
    EXPECT_TRUE(c->send("RSET\r\n").starts_with("+OK maildrop has 2 messages"));
    EXPECT_EQ(c->send("STAT\r\n"), "+OK 2 " + std::to_string(kFirst.size() + kSecond.size()) + "\r\n");
    c->send("DELE 2\r\n");
    EXPECT_EQ(c->send("QUIT\r\n"), "+OK mailspec-server signing off (1 messages left)\r\n");
    EXPECT_TRUE(c->host.closed);
    EXPECT_EQ(inbox_size(), 1u);
    auto again = login();
    EXPECT_TRUE(again->send("RETR 1\r\n").starts_with("+OK " + std::to_string(kFirst.size()) + " octets\r\nSubject: one"));
}

TEST_F(Pop3SessionTest, DroppedConnectionDeletesNothingAndReleasesTheLock) {
    deliver(kFirst);
    auto c = login();
    c->send("DELE 1\r\n");
    c->drop();
    EXPECT_EQ(inbox_size(), 1u);
    auto again = login();
    EXPECT_EQ(again->send("STAT\r\n"), "+OK 1 " + std::to_string(kFirst.size()) + "\r\n");
}

TEST_F(Pop3SessionTest, SecondSessionGetsInUse) {
    auto first = login();
    auto second = connect();
    second->send("USER alice\r\n");
    EXPECT_EQ(second->send("PASS secret1\r\n"), "-ERR [IN-USE] maildrop already locked by another session\r\n");
    EXPECT_EQ(second->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"),
              "-ERR [IN-USE] maildrop already locked by another session\r\n");
    auto bob = login("bob", "secret2");  // other users are not affected
    first->send("QUIT\r\n");
    first->drop();
    EXPECT_TRUE(second->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n").starts_with("+OK alice's maildrop"));
}

TEST_F(Pop3SessionTest, QuitInAuthorizationDoesNotUpdate) {
    auto c = connect();
    EXPECT_EQ(c->send("QUIT\r\n"), "+OK mailspec-server signing off\r\n");
    EXPECT_TRUE(c->host.closed);
}

TEST_F(Pop3SessionTest, SameOutputForEveryByteSplit) {
    deliver(kFirst);
    const std::string input = "USER alice\r\nPASS secret1\r\nSTAT\r\nRETR 1\r\nLIST 9\r\nQUIT\r\n";
    std::string reference;
    {
        auto c = connect();
        reference = c->send(input);
    }
    EXPECT_TRUE(reference.ends_with("-ERR no such message, only 1 messages in maildrop\r\n+OK mailspec-server signing "
                                    "off (1 messages left)\r\n"))
        << reference;
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        auto c = connect();
        std::string out = c->send(input.substr(0, cut));
        out += c->send(input.substr(cut));
        EXPECT_EQ(out, reference) << "cut " << cut;
    }
    auto c = connect();
    EXPECT_EQ(c->send(input, 1), reference);
}

}  // namespace
}  // namespace mailspec::server::testing
