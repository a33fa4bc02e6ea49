// Multi-client synchronisation (RFC 3501 §5.2, §7.4.1): changes by one session (or by SMTP
// delivery) reach the others as EXISTS / RECENT / FETCH FLAGS / EXPUNGE at the allowed moments.
#include <thread>

#include "imap_fixture.hpp"
#include "imap/imap_session.hpp"

namespace mailspec::server::testing {

TEST_F(ImapSessionTest, FlagChangesReachOtherSessionOnNoop) {
    deliver(kSimpleMessage);
    auto a = selected();
    auto b = selected();
    a->send("a1 STORE 1 +FLAGS (\\Flagged)\r\n");
    b->host.run_posted();
    std::string out = b->send("b1 NOOP\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (FLAGS (\\Flagged) UID 1)")) << out;
    EXPECT_TRUE(has_line(out, "b1 OK")) << out;
    // a's own change is not echoed back to a a second time
    a->host.run_posted();
    out = a->send("a2 NOOP\r\n");
    EXPECT_EQ(out, "a2 OK NOOP completed\r\n");
}

TEST_F(ImapSessionTest, NoExpungeDuringFetchStoreSearch) {
    deliver(kSimpleMessage);
    deliver(kSimpleMessage);
    auto a = selected();
    auto b = selected();
    a->send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
    a->send("a2 EXPUNGE\r\n");
    b->host.run_posted();
    std::string out = b->send("b1 FETCH 1:2 FLAGS\r\n");
    EXPECT_EQ(out.find("EXPUNGE"), std::string::npos) << out;
    out = b->send("b2 SEARCH ALL\r\n");
    EXPECT_EQ(out.find("EXPUNGE"), std::string::npos) << out;
    EXPECT_TRUE(has_line(out, "* SEARCH 1 2")) << out;  // numbering unchanged until announced
    out = b->send("b3 STORE 2 +FLAGS (\\Seen)\r\n");
    EXPECT_EQ(out.find("EXPUNGE"), std::string::npos) << out;
    out = b->send("b4 NOOP\r\n");
    EXPECT_TRUE(has_line(out, "* 1 EXPUNGE")) << out;
    out = b->send("b5 FETCH 1 UID\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (UID 2)")) << out;
}

TEST_F(ImapSessionTest, Pop3StyleDeletionAnnouncedAsExpunge) {
    Uid first = deliver(kSimpleMessage);
    deliver(kSimpleMessage);
    auto a = selected();
    std::vector<Uid> gone{first};
    ASSERT_TRUE(store->expunge("alice", "INBOX", gone).ok());  // origin 0, as POP3's UPDATE state
    a->host.run_posted();
    std::string out = a->send("a1 NOOP\r\n");
    EXPECT_TRUE(has_line(out, "* 1 EXPUNGE")) << out;
    out = a->send("a2 FETCH 1:* UID\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (UID 2)")) << out;
}

TEST_F(ImapSessionTest, DeliveryAndAppendBySomeoneElseAnnounced) {
    auto a = selected();
    auto b = login();
    deliver(kSimpleMessage);
    b->send("b1 APPEND INBOX {5+}\r\nHi!\r\n\r\n");
    a->host.run_posted();
    std::string out = a->send("a1 NOOP\r\n");
    EXPECT_TRUE(has_line(out, "* 2 EXISTS")) << out;
    EXPECT_TRUE(has_line(out, "* 2 RECENT")) << out;
    // APPEND to the selected mailbox by the session itself: EXISTS before the tagged OK
    out = a->send("a2 APPEND INBOX {5+}\r\nYo!\r\n\r\n");
    EXPECT_TRUE(has_line(out, "* 3 EXISTS")) << out;
    EXPECT_LT(out.find("* 3 EXISTS"), out.find("a2 OK")) << out;
}

TEST_F(ImapSessionTest, IdlePushesExpungeAndFlags) {
    deliver(kSimpleMessage);
    deliver(kSimpleMessage);
    auto a = selected();
    auto b = selected();
    b->send("i IDLE\r\n");
    a->send("a1 STORE 2 +FLAGS.SILENT (\\Seen)\r\n");
    b->host.run_posted();
    std::string out = b->host.take_output();
    EXPECT_EQ(out, "* 2 FETCH (FLAGS (\\Seen) UID 2)\r\n");
    a->send("a2 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na3 EXPUNGE\r\n");
    b->host.run_posted();
    out = b->host.take_output();
    EXPECT_EQ(out, "* 1 FETCH (FLAGS (\\Deleted) UID 1)\r\n* 1 EXPUNGE\r\n");
    EXPECT_EQ(b->send("DONE\r\n"), "i OK IDLE terminated\r\n");
}

TEST_F(ImapSessionTest, MailboxDeletedUnderSelectedSession) {
    auto a = login();
    a->send("a1 CREATE Tmp\r\n");
    auto b = login();
    b->send("b1 SELECT Tmp\r\n");
    a->send("a2 DELETE Tmp\r\n");
    b->host.run_posted();
    EXPECT_TRUE(has_line(b->host.take_output(), "* BYE"));
    EXPECT_TRUE(b->host.closed);
}

// Changes reach a view in the order the store made them, own and foreign alike: a delivery whose
// notification is still queued for the strand, then the session's own APPEND, must give UIDs 1, 2
// in that order (RFC 3501 §2.3.1.1), not the own message first.
TEST_F(ImapSessionTest, OwnAppendDoesNotOvertakeAQueuedDelivery) {
    auto a = selected();
    deliver(kSimpleMessage);  // notified through a post that has not run yet
    std::string out = a->send("a1 APPEND INBOX {5+}\r\nYo!\r\n\r\n");
    EXPECT_TRUE(has_line(out, "* 2 EXISTS")) << out;
    out = a->send("a2 FETCH 1:* (UID)\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (UID 1)")) << out;
    EXPECT_TRUE(has_line(out, "* 2 FETCH (UID 2)")) << out;
    a->host.run_posted();  // the late wake-up finds nothing new
    EXPECT_EQ(a->send("a3 NOOP\r\n"), "a3 OK NOOP completed\r\n");
}

// A group commit may report a session's own change on another session's thread. The session's
// state must only change on its own strand: here a second thread appends with the session's
// origin while the session keeps answering commands (ThreadSanitizer checks the rest).
TEST_F(ImapSessionTest, OwnChangesReportedFromAnotherThread) {
    auto a = selected();
    std::string out = a->send("a0 NOOP\r\n");
    // The origin a's own commands pass to the store (its subscription id).
    ChangeOrigin own = dynamic_cast<imap::ImapSession&>(*a->session).origin();
    ASSERT_NE(own, 0u);
    constexpr int kMessages = 100;
    std::thread other([&] {
        for (int i = 0; i < kMessages; ++i) (void)store->append("alice", "INBOX", kSimpleMessage, {}, std::nullopt, own);
    });
    for (int i = 0; i < 200; ++i) {
        a->host.run_posted();
        out = a->send("n" + std::to_string(i) + " NOOP\r\n");
        ASSERT_NE(out.find("n" + std::to_string(i) + " OK"), std::string::npos) << out;
    }
    other.join();
    a->host.run_posted();
    out = a->send("z1 NOOP\r\n");
    out = a->send("z2 UID SEARCH ALL\r\n");
    std::string all = "* SEARCH";
    for (int i = 1; i <= kMessages; ++i) all += " " + std::to_string(i);
    EXPECT_TRUE(has_line(out, all)) << out;
    out = a->send("z3 STATUS INBOX (MESSAGES)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS INBOX (MESSAGES " + std::to_string(kMessages) + ")")) << out;
}

}  // namespace mailspec::server::testing
