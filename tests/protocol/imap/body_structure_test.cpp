#include "mailspec/protocol/imap/body_structure.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol;

TEST(ImapBodyStructure, SimpleTextMessage) {
    std::string raw =
        "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n"
        "From: Fred Foobar <foobar@Blurdybloop.example>\r\n"
        "Subject: afternoon meeting\r\n"
        "To: mooch@owatagu.example\r\n"
        "Message-Id: <B27397-0100000@Blurdybloop.example>\r\n"
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
        "\r\n"
        "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    auto root = mime::parse_message(raw);
    EXPECT_EQ(imap::render_body_structure(root, false), "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1)");
    EXPECT_EQ(imap::render_body_structure(root, true),
              "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1 NIL NIL NIL NIL)");
    EXPECT_EQ(imap::render_envelope(root.header),
              "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"afternoon meeting\" "
              "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
              "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
              "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
              "((NIL NIL \"mooch\" \"owatagu.example\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.example>\")");
}

TEST(ImapBodyStructure, MultipartWithAttachmentAndMessage) {
    std::string raw =
        "Subject: m\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n"
        "\r\n"
        "--b\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "hi\r\n"
        "--b\r\n"
        "Content-Type: application/pdf; name=x.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=x.pdf\r\n"
        "Content-Language: en, de\r\n"
        "\r\n"
        "AAAA\r\n"
        "--b\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "Subject: inner\r\n"
        "\r\n"
        "body\r\n"
        "--b--\r\n";
    auto root = mime::parse_message(raw);
    EXPECT_EQ(imap::render_body_structure(root, false),
              "((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 2 1)"
              "(\"APPLICATION\" \"PDF\" (\"NAME\" \"x.pdf\") NIL NIL \"BASE64\" 4)"
              "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 22 "
              "(NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) "
              "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 4 1) 3) \"MIXED\")");
    std::string ext = imap::render_body_structure(root, true);
    EXPECT_NE(ext.find("(\"ATTACHMENT\" (\"FILENAME\" \"x.pdf\")) (\"en\" \"de\") NIL)"), std::string::npos) << ext;
    EXPECT_NE(ext.find("\"MIXED\" (\"BOUNDARY\" \"b\") NIL NIL NIL)"), std::string::npos) << ext;
}

TEST(ImapBodyStructure, EightBitValuesBecomeLiterals) {
    std::string raw = "Subject: caf\xC3\xA9\r\n\r\nx";
    auto root = mime::parse_message(raw);
    EXPECT_NE(imap::render_envelope(root.header).find("{5}\r\ncaf\xC3\xA9"), std::string::npos);
}
