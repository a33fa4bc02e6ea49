#include "mailspec/protocol/imap/response_writer.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

TEST(ImapResponseWriter, StringForms) {
    EXPECT_EQ(quote("abc"), "\"abc\"");
    EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quote("a\r\nb"), "{4}\r\na\r\nb");
    EXPECT_EQ(quote("caf\xC3\xA9"), "{5}\r\ncaf\xC3\xA9");
    EXPECT_EQ(nstring(std::nullopt), "NIL");
    EXPECT_EQ(nstring(std::string("")), "\"\"");
    EXPECT_EQ(astring("INBOX"), "INBOX");
    EXPECT_EQ(astring("My Box"), "\"My Box\"");
    EXPECT_EQ(astring("nil"), "\"nil\"");
    EXPECT_EQ(astring(""), "\"\"");
    // Found by fuzz_imap_response_roundtrip (fuzz/crashes/fuzz_imap_response_roundtrip/): a bare
    // "[" was written as an atom the server's own command parser refuses ("unbalanced '['").
    EXPECT_EQ(astring("["), "\"[\"");
    EXPECT_EQ(astring("[Gmail]/Sent"), "\"[Gmail]/Sent\"");
    EXPECT_EQ(literal(""), "{0}\r\n");
}

TEST(ImapResponseWriter, StatusLines) {
    EXPECT_EQ(tagged("a1", "OK", "READ-WRITE", "SELECT completed"), "a1 OK [READ-WRITE] SELECT completed\r\n");
    EXPECT_EQ(untagged("BYE", "", "bye"), "* BYE bye\r\n");
}
