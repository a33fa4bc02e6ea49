// Message commands: APPEND, FETCH (all items), STORE, SEARCH, COPY, MOVE, EXPUNGE, UID forms.
#include "imap_fixture.hpp"

namespace mailspec::server::testing {

TEST_F(ImapSessionTest, AppendWithFlagsDateAndLiteralPlus) {
    auto d = login();
    std::string msg = kSimpleMessage;
    std::string out = d->send("a1 APPEND INBOX (\\Seen $Work) \"17-Jul-1996 02:44:25 -0700\" {" +
                              std::to_string(msg.size()) + "}\r\n");
    EXPECT_EQ(out, "+ Ready for literal data\r\n");
    out = d->send(msg + "\r\n");
    EXPECT_TRUE(has_line(out, "a1 OK [APPENDUID ")) << out;
    out = d->send("a2 APPEND Drafts {" + std::to_string(msg.size()) + "+}\r\n" + msg + "\r\n", 3);
    EXPECT_TRUE(has_line(out, "a2 OK [APPENDUID ")) << out;
    out = d->send("a3 APPEND Nowhere {1+}\r\nx\r\n");
    EXPECT_TRUE(has_line(out, "a3 NO [TRYCREATE]")) << out;
    out = d->send("a4 APPEND INBOX (\\Recent) {1+}\r\nx\r\n");
    EXPECT_TRUE(has_line(out, "a4 BAD")) << out;
    out = d->send("a5 APPEND INBOX \"bad date\" {1+}\r\nx\r\n");
    EXPECT_TRUE(has_line(out, "a5 BAD")) << out;
    d->send("a6 SELECT INBOX\r\n");
    out = d->send("a7 FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (FLAGS (\\Seen $Work \\Recent) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE " +
                                  std::to_string(msg.size()) + ")"))
        << out;
}

TEST_F(ImapSessionTest, FetchItemsAndSections) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    auto d = selected();
    std::string out = d->send("a1 FETCH 2 BODYSTRUCTURE\r\n");
    EXPECT_TRUE(has_line(out, "* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 14 1 NIL NIL NIL NIL)"
                              "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"data.bin\") NIL NIL \"BASE64\" 8 NIL NIL NIL NIL) "
                              "\"MIXED\" (\"BOUNDARY\" \"sep\") NIL NIL NIL))"))
        << out;
    out = d->send("a2 FETCH 1 (ENVELOPE UID)\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (ENVELOPE (\"Tue, 1 Jul 2003 10:52:37 +0200\" \"hello\" ((\"Bob\" NIL \"bob\" \"example.test\"))"))
        << out;
    out = d->send("a3 FETCH 2 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (Subject)])\r\n");
    EXPECT_NE(out.find("BODY[1] {14}\r\nsee attachment"), std::string::npos) << out;
    EXPECT_NE(out.find("BODY[2.MIME] {"), std::string::npos) << out;
    EXPECT_NE(out.find("BODY[HEADER.FIELDS (Subject)] {19}\r\nSubject: report\r\n\r\n"), std::string::npos) << out;
    EXPECT_EQ(out.find("\\Seen"), std::string::npos) << out;  // PEEK
    out = d->send("a4 FETCH 1 BODY[]<0.4>\r\n");
    EXPECT_NE(out.find("BODY[]<0> {4}\r\nFrom"), std::string::npos) << out;
    EXPECT_NE(out.find("FLAGS (\\Seen \\Recent)"), std::string::npos) << out;  // implicit \Seen
    out = d->send("a5 FETCH 1 (RFC822.HEADER RFC822.TEXT)\r\n");
    EXPECT_NE(out.find("RFC822.TEXT {14}\r\nHello Alice.\r\n"), std::string::npos) << out;
    out = d->send("a6 FETCH 1:* FAST\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (FLAGS")) << out;
    EXPECT_TRUE(has_line(out, "* 2 FETCH (FLAGS")) << out;
    out = d->send("a7 UID FETCH 2 BODY.PEEK[TEXT]\r\n");
    EXPECT_TRUE(has_line(out, "* 2 FETCH (UID 2 BODY[TEXT] {")) << out;
    out = d->send("a8 FETCH 2 BODY.PEEK[9]\r\n");  // a part that does not exist: empty
    EXPECT_NE(out.find("BODY[9] {0}\r\n"), std::string::npos) << out;
    out = d->send("a9 FETCH 3 FLAGS\r\n");
    EXPECT_TRUE(has_line(out, "a9 BAD")) << out;
    out = d->send("b1 UID FETCH 3:9 FLAGS\r\n");
    EXPECT_EQ(out, "b1 OK UID FETCH completed\r\n");
    out = d->send("b2 FETCH 1 FULL\r\n");
    EXPECT_NE(out.find(" BODY (\"TEXT\" \"PLAIN\""), std::string::npos) << out;
}

TEST_F(ImapSessionTest, StoreFlagsAndUidStore) {
    deliver(kSimpleMessage);
    deliver(kSimpleMessage);
    auto d = selected();
    std::string out = d->send("a1 STORE 1:2 +FLAGS (\\Flagged $Label)\r\n");
    EXPECT_TRUE(has_line(out, "* 1 FETCH (FLAGS (\\Flagged $Label \\Recent))")) << out;
    EXPECT_TRUE(has_line(out, "* 2 FETCH (FLAGS (\\Flagged $Label \\Recent))")) << out;
    out = d->send("a2 UID STORE 2 -FLAGS \\Flagged\r\n");
    EXPECT_TRUE(has_line(out, "* 2 FETCH (FLAGS ($Label \\Recent) UID 2)")) << out;
    out = d->send("a3 STORE 1 FLAGS.SILENT (\\Answered)\r\n");
    EXPECT_EQ(out, "a3 OK STORE completed\r\n");
    EXPECT_TRUE(store->list_messages("alice", "INBOX")->messages[0].flags.has(Flags::answered));
    out = d->send("a4 STORE 1 FLAGS (\\Recent)\r\n");
    EXPECT_TRUE(has_line(out, "a4 BAD")) << out;
    out = d->send("a5 STORE 1 XFLAGS (\\Seen)\r\n");
    EXPECT_TRUE(has_line(out, "a5 BAD")) << out;
}

TEST_F(ImapSessionTest, SearchKeys) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    auto d = selected();
    d->send("a0 STORE 2 +FLAGS (\\Seen)\r\n");
    struct Case { const char* keys; const char* result; };
    const Case cases[] = {
        {"ALL", "* SEARCH 1 2"}, {"SEEN", "* SEARCH 2"}, {"UNSEEN", "* SEARCH 1"}, {"FROM bob", "* SEARCH 1"},
        {"SUBJECT REPORT", "* SEARCH 2"}, {"BODY \"attachment\"", "* SEARCH 2"}, {"TEXT hello", "* SEARCH 1"},
        {"OR FROM bob FROM carol", "* SEARCH 1 2"}, {"NOT FROM bob", "* SEARCH 2"}, {"LARGER 200", "* SEARCH 2"}, {"SMALLER 200", "* SEARCH 1"},
        {"SENTON 1-Jul-2003", "* SEARCH 1"}, {"UID 2", "* SEARCH 2"}, {"2:*", "* SEARCH 2"},
        {"CHARSET UTF-8 TEXT see", "* SEARCH 2"}, {"RECENT", "* SEARCH 1 2"}, {"NEW", "* SEARCH 1"},
        {"HEADER Message-ID <1@", "* SEARCH 1"}, {"DELETED", "* SEARCH"},
    };
    for (const auto& c : cases) {
        std::string out = d->send(std::string("s SEARCH ") + c.keys + "\r\n");
        EXPECT_TRUE(has_line(out, std::string(c.result) + "\r\n")) << c.keys << ": " << out;
        EXPECT_TRUE(has_line(out, "s OK")) << c.keys << ": " << out;
    }
    std::string out = d->send("u UID SEARCH FROM carol\r\n");
    EXPECT_TRUE(has_line(out, "* SEARCH 2\r\n")) << out;
    out = d->send("b SEARCH CHARSET KOI8-R ALL\r\n");
    EXPECT_TRUE(has_line(out, "b NO [BADCHARSET (US-ASCII UTF-8)]")) << out;
    out = d->send("c SEARCH FOO\r\n");
    EXPECT_TRUE(has_line(out, "c BAD")) << out;
}

TEST_F(ImapSessionTest, CopyMoveExpungeWithUidplus) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    deliver(kSimpleMessage);
    auto d = selected();
    std::string out = d->send("a1 COPY 1:2 Trash\r\n");
    EXPECT_TRUE(has_line(out, "a1 OK [COPYUID ")) << out;
    EXPECT_NE(out.find(" 1:2 1:2]"), std::string::npos) << out;
    out = d->send("a2 COPY 1 Nowhere\r\n");
    EXPECT_TRUE(has_line(out, "a2 NO [TRYCREATE]")) << out;
    out = d->send("a3 UID MOVE 2 Junk\r\n");
    EXPECT_TRUE(has_line(out, "* OK [COPYUID ")) << out;
    EXPECT_TRUE(has_line(out, "* 2 EXPUNGE")) << out;
    EXPECT_TRUE(has_line(out, "a3 OK")) << out;
    // now: 1 (uid 1), 2 (uid 3)
    d->send("a4 STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n");
    out = d->send("a5 UID EXPUNGE 3\r\n");
    EXPECT_EQ(out, "* 2 EXPUNGE\r\na5 OK UID EXPUNGE completed\r\n");
    out = d->send("a6 EXPUNGE\r\n");
    EXPECT_EQ(out, "* 1 EXPUNGE\r\na6 OK EXPUNGE completed\r\n");
    out = d->send("a7 STATUS Trash (MESSAGES)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS Trash (MESSAGES 2)")) << out;
    out = d->send("a8 STATUS Junk (MESSAGES)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS Junk (MESSAGES 1)")) << out;
}

TEST_F(ImapSessionTest, ResponsesAreHandedToTheHostInLargeWrites) {
    for (int i = 0; i < 50; ++i) deliver(kSimpleMessage);
    auto d = selected();
    d->host.writes.clear();
    std::string out = d->send("a1 FETCH 1:* (FLAGS ENVELOPE)\r\n");
    EXPECT_TRUE(has_line(out, "* 50 FETCH")) << out;
    EXPECT_TRUE(has_line(out, "a1 OK")) << out;
    EXPECT_EQ(d->host.writes.size(), 1u);  // 51 lines, one write
}

TEST_F(ImapSessionTest, IdleAndDone) {
    auto d = selected();
    std::string out = d->send("i1 IDLE\r\n");
    EXPECT_EQ(out, "+ idling\r\n");
    deliver(kSimpleMessage);
    d->host.run_posted();
    out = d->host.take_output();
    EXPECT_EQ(out, "* 1 EXISTS\r\n* 1 RECENT\r\n");
    out = d->send("DONE\r\n");
    EXPECT_EQ(out, "i1 OK IDLE terminated\r\n");
    out = d->send("i2 IDLE\r\nNOTDONE\r\n");
    EXPECT_TRUE(has_line(out, "i2 BAD")) << out;
}

}  // namespace mailspec::server::testing
