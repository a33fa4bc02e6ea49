// Each IMAP fault of the fault switch produces its documented violation.
#include "imap_fixture.hpp"

namespace mailspec::server::testing {

TEST_F(ImapSessionTest, FaultPreauthGreeting) {
    faults.enable("imap.preauth-greeting");
    auto d = connect("imap");
    EXPECT_EQ(greeting.rfind("* PREAUTH", 0), 0u) << greeting;
    std::string out = d->send("a SELECT INBOX\r\n");
    EXPECT_TRUE(has_line(out, "a OK")) << out;
}

TEST_F(ImapSessionTest, FaultLoginWhenDisabled) {
    faults.enable("imap.login-when-disabled");
    auto d = connect("imap");
    EXPECT_NE(greeting.find("LOGINDISABLED"), std::string::npos);
    EXPECT_TRUE(has_line(d->send("a LOGIN alice secret1\r\n"), "a OK"));
}

TEST_F(ImapSessionTest, FaultWrongTag) {
    faults.enable("imap.wrong-tag");
    auto d = connect("imaps");
    EXPECT_TRUE(has_line(d->send("a1 NOOP\r\n"), "Xa1 OK"));
}

TEST_F(ImapSessionTest, FaultUidvalidityChanges) {
    faults.enable("imap.uidvalidity-changes");
    auto d = login();
    std::string first = d->send("a SELECT INBOX\r\n");
    std::string second = d->send("b SELECT INBOX\r\n");
    auto value = [](const std::string& s) {
        auto p = s.find("[UIDVALIDITY ");
        return s.substr(p, s.find(']', p) - p);
    };
    EXPECT_NE(value(first), value(second));
}

TEST_F(ImapSessionTest, FaultLiteralOffByOne) {
    faults.enable("imap.literal-off-by-one");
    deliver(kSimpleMessage);
    auto d = selected();
    std::string out = d->send("a FETCH 1 BODY.PEEK[TEXT]\r\n");
    EXPECT_NE(out.find("BODY[TEXT] {15}\r\nHello Alice.\r\n)"), std::string::npos) << out;
}

TEST_F(ImapSessionTest, FaultBodystructureWrongParts) {
    faults.enable("imap.bodystructure-wrong-parts");
    deliver(kMultipartMessage);
    auto d = selected();
    std::string out = d->send("a FETCH 1 BODYSTRUCTURE\r\n");
    EXPECT_EQ(out.find("OCTET-STREAM"), std::string::npos) << out;
    EXPECT_NE(out.find("\"MIXED\""), std::string::npos) << out;
}

TEST_F(ImapSessionTest, FaultDeletedVanish) {
    faults.enable("imap.deleted-vanish");
    deliver(kSimpleMessage);
    auto d = selected();
    std::string out = d->send("a STORE 1 +FLAGS (\\Deleted)\r\n");
    EXPECT_TRUE(has_line(out, "* 1 EXPUNGE")) << out;
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), 0u);
}

TEST_F(ImapSessionTest, FaultExpungeDuringFetch) {
    faults.enable("imap.expunge-during-fetch");
    deliver(kSimpleMessage);
    deliver(kSimpleMessage);
    auto a = selected();
    auto b = selected();
    a->send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na2 EXPUNGE\r\n");
    b->host.run_posted();
    std::string out = b->send("b1 FETCH 1 FLAGS\r\n");
    EXPECT_TRUE(has_line(out, "* 1 EXPUNGE")) << out;
}

TEST_F(ImapSessionTest, FaultStarttlsInjection) {
    faults.enable("imap.starttls-injection");
    auto d = connect("imap");
    d->send("a1 STARTTLS\r\na2 NOOP\r\n");
    std::string out = d->complete_tls();
    EXPECT_TRUE(has_line(out, "a2 OK")) << out;  // the injected command ran after the handshake
}

TEST_F(ImapSessionTest, FaultDisconnectAt) {
    faults.enable("imap.disconnect-at=2");
    auto d = connect("imaps");
    EXPECT_TRUE(has_line(d->send("a1 NOOP\r\n"), "a1 OK"));
    EXPECT_TRUE(has_line(d->send("a2 NOOP\r\n"), "* BYE"));
    EXPECT_TRUE(d->host.closed);
}

}  // namespace mailspec::server::testing
