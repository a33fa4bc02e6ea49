// Mailbox commands: SELECT/EXAMINE, LIST/LSUB, STATUS, CREATE/DELETE/RENAME, SUBSCRIBE,
// NAMESPACE, ENABLE, CLOSE/UNSELECT.
#include "imap/commands.hpp"
#include "imap_fixture.hpp"

namespace mailspec::server::testing {

TEST_F(ImapSessionTest, SelectReportsCountsRecentAndCodes) {
    deliver(kSimpleMessage);
    deliver(kMultipartMessage);
    auto d = login();
    std::string out = d->send("a1 SELECT inbox\r\n");
    EXPECT_TRUE(has_line(out, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)")) << out;
    EXPECT_TRUE(has_line(out, "* OK [PERMANENTFLAGS (")) << out;
    EXPECT_TRUE(has_line(out, "* 2 EXISTS")) << out;
    EXPECT_TRUE(has_line(out, "* 2 RECENT")) << out;
    EXPECT_TRUE(has_line(out, "* OK [UNSEEN 1]")) << out;
    EXPECT_TRUE(has_line(out, "* OK [UIDVALIDITY ")) << out;
    EXPECT_TRUE(has_line(out, "* OK [UIDNEXT 3]")) << out;
    EXPECT_TRUE(has_line(out, "a1 OK [READ-WRITE]")) << out;
    // \Recent belongs to the first session only (RFC 3501 §2.3.2)
    auto other = login();
    out = other->send("b1 EXAMINE INBOX\r\n");
    EXPECT_TRUE(has_line(out, "* 0 RECENT")) << out;
    EXPECT_TRUE(has_line(out, "b1 OK [READ-ONLY]")) << out;
    out = other->send("b2 STORE 1 +FLAGS (\\Seen)\r\n");
    EXPECT_TRUE(has_line(out, "b2 NO [READ-ONLY]")) << out;
    out = d->send("a2 SELECT Nope\r\n");
    EXPECT_TRUE(has_line(out, "a2 NO [NONEXISTENT]")) << out;
    out = d->send("a3 FETCH 1 FLAGS\r\n");  // the failed SELECT deselected
    EXPECT_TRUE(has_line(out, "a3 BAD")) << out;
}

TEST_F(ImapSessionTest, ListPatternsSpecialUseAndChildren) {
    auto d = login();
    std::string out = d->send("a1 CREATE Work/2024/\r\n");
    EXPECT_TRUE(has_line(out, "a1 OK")) << out;
    out = d->send("a2 LIST \"\" *\r\n");
    EXPECT_TRUE(has_line(out, "* LIST (")) << out;
    EXPECT_NE(out.find("\"/\" INBOX\r\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\\Sent"), std::string::npos) << out;
    EXPECT_NE(out.find("\"/\" Work/2024\r\n"), std::string::npos) << out;
    out = d->send("a3 LIST \"\" %\r\n");
    EXPECT_EQ(out.find("Work/2024"), std::string::npos) << out;
    EXPECT_NE(out.find("\\HasChildren) \"/\" Work\r\n"), std::string::npos) << out;
    out = d->send("a4 LIST Work %\r\n");
    EXPECT_NE(out.find("\"/\" Work/2024\r\n"), std::string::npos) << out;
    out = d->send("a5 LIST \"\" \"\"\r\n");
    EXPECT_TRUE(has_line(out, "* LIST (\\Noselect) \"/\" \"\"")) << out;
    out = d->send("a6 LIST \"\" iNbOx\r\n");
    EXPECT_NE(out.find("\"/\" INBOX\r\n"), std::string::npos) << out;
    out = d->send("a7 LSUB \"\" *\r\n");
    EXPECT_NE(out.find("\"/\" Sent\r\n"), std::string::npos) << out;
    EXPECT_EQ(out.find("Work"), std::string::npos) << out;
}

TEST_F(ImapSessionTest, ListExtendedSpecialUseAndSubscribed) {
    auto d = login();
    d->send("a0 CREATE Plain\r\n");
    std::string out = d->send("a1 LIST (SPECIAL-USE) \"\" *\r\n");
    EXPECT_TRUE(has_line(out, "* LIST (\\HasNoChildren \\Sent) \"/\" Sent")) << out;
    EXPECT_EQ(out.find("INBOX"), std::string::npos) << out;
    EXPECT_EQ(out.find("Plain"), std::string::npos) << out;
    out = d->send("a2 LIST \"\" (INBOX Plain) RETURN (SUBSCRIBED CHILDREN)\r\n");
    EXPECT_TRUE(has_line(out, "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX")) << out;
    EXPECT_TRUE(has_line(out, "* LIST (\\HasNoChildren) \"/\" Plain")) << out;
    out = d->send("a3 LIST (BOGUS) \"\" *\r\n");
    EXPECT_TRUE(has_line(out, "a3 BAD")) << out;
}

TEST_F(ImapSessionTest, ListMatchTable) {
    struct Case { const char* pattern; const char* name; bool match; };
    const Case cases[] = {
        {"*", "a/b/c", true}, {"%", "a/b", false}, {"%", "a", true}, {"a/%", "a/b", true}, {"a/%", "a/b/c", false},
        {"*/%", "a/b/c", true}, {"a*c", "abc", true}, {"a*c", "abd", false}, {"%/b", "a/b", true}, {"", "", true},
        {"INBOX", "INBOX", true}, {"x", "xy", false},
    };
    for (const auto& c : cases) EXPECT_EQ(imap::list_match(c.pattern, c.name), c.match) << c.pattern << " " << c.name;
}

TEST_F(ImapSessionTest, CreateDeleteRenameSubscribeStatus) {
    deliver(kSimpleMessage);
    auto d = login();
    std::string out = d->send("a1 CREATE Projects\r\n");
    EXPECT_TRUE(has_line(out, "a1 OK")) << out;
    out = d->send("a2 CREATE Projects\r\n");
    EXPECT_TRUE(has_line(out, "a2 NO [ALREADYEXISTS]")) << out;
    out = d->send("a3 CREATE INBOX\r\n");
    EXPECT_TRUE(has_line(out, "a3 NO")) << out;
    out = d->send("a4 RENAME Projects Archive\r\n");
    EXPECT_TRUE(has_line(out, "a4 OK")) << out;
    out = d->send("a5 STATUS Archive (MESSAGES UIDNEXT)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS Archive (MESSAGES 0 UIDNEXT 1)")) << out;
    out = d->send("a6 STATUS INBOX (MESSAGES RECENT UNSEEN UIDVALIDITY)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS INBOX (MESSAGES 1 RECENT 1 UNSEEN 1 UIDVALIDITY ")) << out;
    out = d->send("a7 STATUS INBOX (BOGUS)\r\n");
    EXPECT_TRUE(has_line(out, "a7 BAD")) << out;
    out = d->send("a8 SUBSCRIBE Archive\r\n");
    EXPECT_TRUE(has_line(out, "a8 OK")) << out;
    out = d->send("a9 LSUB \"\" Archive\r\n");
    EXPECT_TRUE(has_line(out, "* LSUB () \"/\" Archive")) << out;
    out = d->send("b1 UNSUBSCRIBE Archive\r\n");
    EXPECT_TRUE(has_line(out, "b1 OK")) << out;
    out = d->send("b2 DELETE Archive\r\n");
    EXPECT_TRUE(has_line(out, "b2 OK")) << out;
    out = d->send("b3 DELETE Archive\r\n");
    EXPECT_TRUE(has_line(out, "b3 NO [NONEXISTENT]")) << out;
    out = d->send("b4 DELETE INBOX\r\n");
    EXPECT_TRUE(has_line(out, "b4 NO")) << out;
    out = d->send("b5 RENAME INBOX Old\r\n");  // RFC 3501 §6.3.5: moves the messages
    EXPECT_TRUE(has_line(out, "b5 OK")) << out;
    out = d->send("b6 STATUS Old (MESSAGES)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS Old (MESSAGES 1)")) << out;
    out = d->send("b7 STATUS INBOX (MESSAGES)\r\n");
    EXPECT_TRUE(has_line(out, "* STATUS INBOX (MESSAGES 0)")) << out;
}

TEST_F(ImapSessionTest, NamespaceEnableUnselectClose) {
    deliver(kSimpleMessage);
    auto d = login();
    std::string out = d->send("a1 NAMESPACE\r\n");
    EXPECT_TRUE(has_line(out, "* NAMESPACE ((\"\" \"/\")) NIL NIL")) << out;
    out = d->send("a2 ENABLE CONDSTORE\r\n");
    EXPECT_TRUE(has_line(out, "* ENABLED")) << out;
    EXPECT_TRUE(has_line(out, "a2 OK")) << out;
    d->send("a3 SELECT INBOX\r\n");
    out = d->send("a4 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
    EXPECT_EQ(out, "a4 OK STORE completed\r\n");
    out = d->send("a5 UNSELECT\r\n");
    EXPECT_TRUE(has_line(out, "a5 OK")) << out;
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), 1u);  // UNSELECT keeps it
    d->send("a6 SELECT INBOX\r\n");
    out = d->send("a7 CLOSE\r\n");
    EXPECT_EQ(out, "a7 OK CLOSE completed\r\n");  // no EXPUNGE responses (§6.4.2)
    EXPECT_EQ(store->list_messages("alice", "INBOX")->messages.size(), 0u);
    out = d->send("a8 ENABLE X\r\n");
    EXPECT_TRUE(has_line(out, "a8 OK")) << out;
}

}  // namespace mailspec::server::testing
