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

// Found by fuzz_imap_mailbox_name (fuzz/crashes/fuzz_imap_mailbox_name/): an overlong UTF-8 form of
// a printable character was encoded as that character in base64 ("&AGk-" for C1 A9), a name the
// decoder rightly refuses (RFC 3501 §5.1.3). Overlong forms are invalid UTF-8 and become U+FFFD.
TEST(ImapMailboxName, OverlongUtf8EncodesAsReplacementCharacter) {
    EXPECT_EQ(encode_mailbox_name("\xC1\xA9"), "&,,0-");
    EXPECT_EQ(encode_mailbox_name("a\xE0\x81\xA9" "b"), "a&,,0-b");       // 3-byte overlong
    EXPECT_EQ(encode_mailbox_name("\xF0\x80\x81\xA9"), "&,,0-");           // 4-byte overlong
    for (const char* name : {"\xC1\xA9", "\xE0\x81\xA9", "\xF0\x80\x81\xA9", "\xC0\x80"}) {
        std::string error;
        auto back = decode_mailbox_name(encode_mailbox_name(name), error);
        ASSERT_TRUE(back) << error;
        EXPECT_EQ(*back, "\xEF\xBF\xBD");
    }
}
