// The IMAP faults that prove the conformance library's MUST checks (issue 5): each test shows the
// clean behaviour and the violation the fault commits, so a scenario claiming it can FAIL.
#include "imap_fixture.hpp"

namespace mailspec::server::testing {

// ---- imap.wrong-status=CMD:STATUS (RFC 3501 §7.1) ----

TEST_F(ImapSessionTest, FaultWrongStatusChangesOnlyTheNamedCommand) {
    faults.enable("imap.wrong-status=select:NO");
    auto d = login();
    std::string out = d->send("a SELECT INBOX\r\n");
    EXPECT_TRUE(has_line(out, "* OK [UIDVALIDITY ")) << out;  // untagged responses unchanged
    EXPECT_TRUE(has_line(out, "a NO")) << out;
    EXPECT_TRUE(has_line(d->send("b NOOP\r\n"), "b OK"));
}

TEST_F(ImapSessionTest, FaultWrongStatusTurnsARefusalIntoOk) {
    faults.enable("imap.wrong-status=LOGIN:OK");
    auto d = connect("imaps");
    EXPECT_TRUE(has_line(d->send("a LOGIN alice wrong\r\n"), "a OK"));
}

TEST_F(ImapSessionTest, FaultWrongStatusBaseNameCoversUidForm) {
    faults.enable("imap.wrong-status=SEARCH:BAD");
    auto d = selected();
    std::string out = d->send("a UID SEARCH ALL\r\nb SEARCH ALL\r\n");
    EXPECT_TRUE(has_line(out, "a BAD")) << out;
    EXPECT_TRUE(has_line(out, "b BAD")) << out;
    EXPECT_TRUE(has_line(out, "* SEARCH")) << out;
}

TEST_F(ImapSessionTest, FaultWrongStatusUnknownCommand) {
    faults.enable("imap.wrong-status=UNKNOWN:OK");
    auto d = connect("imaps");
    EXPECT_TRUE(has_line(d->send("a XYZZY\r\n"), "a OK"));
    EXPECT_TRUE(has_line(d->send("b NOOP\r\n"), "b OK"));
}

TEST_F(ImapSessionTest, FaultWrongStatusSyntaxError) {
    faults.enable("imap.wrong-status=SYNTAX:OK");
    auto d = login();
    EXPECT_TRUE(has_line(d->send("a STATUS INBOX (MESSAGES\r\n"), "a OK"));
    EXPECT_TRUE(has_line(d->send("b NOOP\r\n"), "b OK"));
}

TEST_F(ImapSessionTest, FaultWrongStatusRejectsBadArgument) {
    EXPECT_THROW(faults.enable("imap.wrong-status=FETCH:MAYBE"), FaultError);
    EXPECT_THROW(faults.enable("imap.wrong-status=NO"), FaultError);
    EXPECT_THROW(faults.enable("imap.wrong-status"), FaultError);
}

// ---- imap.search-ignores-key=KEY (RFC 3501 §6.4.4) ----

TEST_F(ImapSessionTest, FaultSearchIgnoresKey) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    auto clean = selected();
    EXPECT_TRUE(has_line(clean->send("a SEARCH SUBJECT hello\r\n"), "* SEARCH 1\r\n"));
    EXPECT_TRUE(has_line(clean->send("b SEARCH NOT SUBJECT hello\r\n"), "* SEARCH 2\r\n"));
    EXPECT_TRUE(has_line(clean->send("c SEARCH UNSEEN LARGER 200\r\n"), "* SEARCH 2\r\n"));

    faults.enable("imap.search-ignores-key=subject");
    faults.enable("imap.search-ignores-key=LARGER");
    auto d = selected();
    std::string out = d->send("a SEARCH SUBJECT hello\r\n");
    EXPECT_TRUE(has_line(out, "* SEARCH 1 2\r\n")) << out;
    EXPECT_TRUE(has_line(d->send("b SEARCH UNSEEN LARGER 200\r\n"), "* SEARCH 1 2\r\n"));
    // Other keys are untouched.
    EXPECT_TRUE(has_line(d->send("c SEARCH FROM carol\r\n"), "* SEARCH 2\r\n"));
}

TEST_F(ImapSessionTest, FaultSearchIgnoresNotAndFlags) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    faults.enable("imap.search-ignores-key=NOT");
    faults.enable("imap.search-ignores-key=UNSEEN");
    auto d = selected();
    d->send("s STORE 1 +FLAGS (\\Seen)\r\n");
    EXPECT_TRUE(has_line(d->send("a SEARCH NOT FROM carol\r\n"), "* SEARCH 1 2\r\n"));
    EXPECT_TRUE(has_line(d->send("b SEARCH UNSEEN\r\n"), "* SEARCH 1 2\r\n"));
    EXPECT_TRUE(has_line(d->send("c SEARCH SEEN\r\n"), "* SEARCH 1\r\n"));
}

// ---- imap.fetch-wrong-section (RFC 3501 §6.4.5) ----

TEST_F(ImapSessionTest, FaultFetchWrongSectionReturnsWholeMessage) {
    deliver(kSimpleMessage);
    std::string whole = kSimpleMessage;
    std::string literal = "{" + std::to_string(whole.size()) + "}\r\n" + whole;
    auto clean = selected();
    EXPECT_NE(clean->send("a FETCH 1 BODY.PEEK[TEXT]\r\n").find("BODY[TEXT] {14}\r\nHello Alice.\r\n)"),
              std::string::npos);

    faults.enable("imap.fetch-wrong-section");
    auto d = selected();
    for (const char* section : {"TEXT", "HEADER", "1", "HEADER.FIELDS (SUBJECT)"}) {
        std::string out = d->send(std::string("a FETCH 1 BODY.PEEK[") + section + "]\r\n");
        EXPECT_NE(out.find("] " + literal + ")"), std::string::npos) << section << ": " << out;
    }
    std::string out = d->send("b FETCH 1 RFC822.HEADER\r\n");
    EXPECT_NE(out.find("RFC822.HEADER " + literal), std::string::npos) << out;
}

// ---- imap.peek-sets-seen (RFC 3501 §6.4.5) ----

TEST_F(ImapSessionTest, FaultPeekSetsSeen) {
    deliver(kSimpleMessage);
    auto clean = selected();
    clean->send("a FETCH 1 BODY.PEEK[]\r\n");
    EXPECT_FALSE(has_line(clean->send("b FETCH 1 FLAGS\r\n"), "* 1 FETCH (FLAGS (\\Seen"));

    faults.enable("imap.peek-sets-seen");
    auto d = selected();
    std::string out = d->send("a FETCH 1 BODY.PEEK[HEADER]\r\n");
    EXPECT_NE(out.find("FLAGS (\\Seen"), std::string::npos) << out;
    EXPECT_TRUE(has_line(d->send("b FETCH 1 FLAGS\r\n"), "* 1 FETCH (FLAGS (\\Seen")) << out;
}

// ---- imap.no-untagged-flags (RFC 3501 §7.4.2, §5.2) ----

TEST_F(ImapSessionTest, FaultNoUntaggedFlags) {
    deliver(kSimpleMessage);
    {
        auto a = selected();
        auto b = selected();
        a->send("a1 STORE 1 +FLAGS (\\Flagged)\r\n");
        b->host.run_posted();
        EXPECT_TRUE(has_line(b->send("b1 NOOP\r\n"), "* 1 FETCH (FLAGS (\\Flagged"));
    }
    faults.enable("imap.no-untagged-flags");
    auto a = selected();
    auto b = selected();
    a->send("a1 STORE 1 +FLAGS (\\Answered)\r\n");
    b->host.run_posted();
    std::string out = b->send("b1 NOOP\r\n");
    EXPECT_FALSE(has_line(out, "* 1 FETCH")) << out;
    EXPECT_TRUE(has_line(out, "b1 OK")) << out;
}

}  // namespace mailspec::server::testing

namespace mailspec::server::testing {

// ---- imap.examine-writable (RFC 3501 §6.3.2) ----

TEST_F(ImapSessionTest, FaultExamineWritable) {
    deliver(kSimpleMessage);
    auto clean = login();
    clean->send("a EXAMINE INBOX\r\n");
    EXPECT_TRUE(has_line(clean->send("b STORE 1 +FLAGS (\\Flagged)\r\n"), "b NO [READ-ONLY]"));

    faults.enable("imap.examine-writable");
    auto d = login();
    d->send("a EXAMINE INBOX\r\n");
    EXPECT_TRUE(has_line(d->send("b STORE 1 +FLAGS (\\Flagged)\r\n"), "b OK"));
    EXPECT_TRUE(has_line(d->send("c FETCH 1 FLAGS\r\n"), "* 1 FETCH (FLAGS (\\Flagged"));
}

// ---- imap.no-recent (RFC 3501 §2.3.2) ----

TEST_F(ImapSessionTest, FaultNoRecent) {
    faults.enable("imap.no-recent");
    deliver(kSimpleMessage);
    auto d = login();
    std::string out = d->send("a SELECT INBOX\r\n");
    EXPECT_TRUE(has_line(out, "* 0 RECENT")) << out;
    EXPECT_FALSE(has_line(d->send("b FETCH 1 FLAGS\r\n"), "* 1 FETCH (FLAGS (\\Recent"));
    deliver(kSimpleMessage);
    d->host.run_posted();
    out = d->send("c NOOP\r\n");
    EXPECT_TRUE(has_line(out, "* 2 EXISTS")) << out;
    EXPECT_TRUE(has_line(out, "* 0 RECENT")) << out;
}

// ---- imap.stale-capability-after-tls (RFC 3501 §6.2.1) ----

TEST_F(ImapSessionTest, FaultStaleCapabilityAfterTls) {
    faults.enable("imap.stale-capability-after-tls");
    auto d = connect("imap");
    d->send("a1 STARTTLS\r\n");
    d->complete_tls();
    std::string out = d->send("a2 CAPABILITY\r\n");
    EXPECT_NE(out.find("LOGINDISABLED"), std::string::npos) << out;
    EXPECT_NE(out.find(" STARTTLS"), std::string::npos) << out;
}

TEST_F(ImapSessionTest, CapabilityRefreshedAfterTlsWithoutFault) {
    auto d = connect("imap");
    d->send("a1 STARTTLS\r\n");
    d->complete_tls();
    std::string out = d->send("a2 CAPABILITY\r\n");
    EXPECT_EQ(out.find("LOGINDISABLED"), std::string::npos) << out;
    EXPECT_NE(out.find("AUTH=PLAIN"), std::string::npos) << out;
}

}  // namespace mailspec::server::testing

namespace mailspec::server::testing {

// ---- imap.no-untagged-exists (RFC 3501 §7.3.1, §5.2) ----

TEST_F(ImapSessionTest, FaultNoUntaggedExists) {
    {
        auto clean = selected();
        deliver(kSimpleMessage);
        clean->host.run_posted();
        EXPECT_TRUE(has_line(clean->send("a NOOP\r\n"), "* 1 EXISTS"));
    }
    faults.enable("imap.no-untagged-exists");
    auto d = selected();
    deliver(kSimpleMessage);
    d->host.run_posted();
    std::string out = d->send("b NOOP\r\n");
    EXPECT_FALSE(has_line(out, "* 2 EXISTS")) << out;
    EXPECT_TRUE(has_line(out, "b OK")) << out;
    // The session's own APPEND is still announced.
    std::string msg = kSimpleMessage;
    out = d->send("c APPEND INBOX {" + std::to_string(msg.size()) + "+}\r\n" + msg + "\r\n");
    EXPECT_TRUE(has_line(out, "* 2 EXISTS")) << out;
}

}  // namespace mailspec::server::testing

namespace mailspec::server::testing {

// ---- imap.uids-descending (RFC 3501 §2.3.1.1) ----

TEST_F(ImapSessionTest, FaultUidsDescending) {
    Uid first = deliver(kSimpleMessage);
    Uid second = deliver(kMultipartMessage);
    ASSERT_LT(first, second);
    auto clean = selected();
    EXPECT_TRUE(has_line(clean->send("a FETCH 1 UID\r\n"), "* 1 FETCH (UID " + std::to_string(first) + ")"));

    faults.enable("imap.uids-descending");
    auto d = selected();
    EXPECT_TRUE(has_line(d->send("a FETCH 1 UID\r\n"), "* 1 FETCH (UID " + std::to_string(second) + ")"));
    EXPECT_TRUE(has_line(d->send("b FETCH 2 UID\r\n"), "* 2 FETCH (UID " + std::to_string(first) + ")"));
}

}  // namespace mailspec::server::testing
