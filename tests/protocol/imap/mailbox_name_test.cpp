#include "mailspec/protocol/imap/mailbox_name.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

TEST(ImapMailboxName, RoundTrip) {
    struct Case { const char* utf8; const char* mutf7; };
    const Case cases[] = {
        {"INBOX", "INBOX"},
        {"Caf\xC3\xA9", "Caf&AOk-"},
        {"A & B", "A &- B"},
        {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "&ZeVnLIqe-"},
        {"~peter/mail/\xE5\x8F\xB0\xE5\x8C\x97/\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
         "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},  // RFC 3501 §5.1.3 example
        {"\xF0\x9F\x98\x80", "&2D3eAA-"},      // surrogate pair
    };
    for (const auto& c : cases) {
        EXPECT_EQ(encode_mailbox_name(c.utf8), c.mutf7) << c.utf8;
        std::string error;
        auto decoded = decode_mailbox_name(c.mutf7, error);
        ASSERT_TRUE(decoded) << c.mutf7 << ": " << error;
        EXPECT_EQ(*decoded, c.utf8);
    }
}

TEST(ImapMailboxName, InvalidNames) {
    struct Case { const char* in; const char* message_part; };
    const Case cases[] = {
        {"Caf\xC3\xA9", "not printable US-ASCII"},
        {"&AOk", "unterminated"},
        {"&AGE-", "must not be base64-encoded"},  // "a" encoded
        {"&AOk-&AOk-", "adjacent"},
        {"&A-", "length or padding"},
        {"&2D0-", "surrogate"},
        {"&AO!-", "invalid modified base64"},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(decode_mailbox_name(c.in, error)) << c.in;
        EXPECT_NE(error.find(c.message_part), std::string::npos) << c.in << ": " << error;
    }
}
