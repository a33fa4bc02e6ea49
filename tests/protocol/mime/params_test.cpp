#include "mailspec/protocol/mime/params.hpp"

#include <gtest/gtest.h>

namespace mime = mailspec::protocol::mime;

TEST(MimeParams, ContentTypeWithQuotedAndComments) {
    auto v = mime::parse_content_value("text/plain (comment); charset=\"utf-8\" ; format=flowed");
    EXPECT_EQ(v.value, "text/plain");
    ASSERT_EQ(v.params.size(), 2u);
    EXPECT_EQ(*v.param("CHARSET"), "utf-8");
    EXPECT_EQ(*v.param("format"), "flowed");
}

TEST(MimeParams, Rfc2231ContinuationsAndCharset) {
    auto v = mime::parse_content_value(
        "attachment; filename*0*=utf-8''caf%C3%A9; filename*1=\" menu.txt\"; title*=iso-8859-1'en'%E9t%E9");
    EXPECT_EQ(v.value, "attachment");
    EXPECT_EQ(*v.param("filename"), "caf\xC3\xA9 menu.txt");
    EXPECT_EQ(*v.param("title"), "\xC3\xA9t\xC3\xA9");
}

TEST(MimeParams, MalformedParametersAreDropped) {
    auto v = mime::parse_content_value("multipart/mixed; ; =x; boundary=abc; junk");
    EXPECT_EQ(v.value, "multipart/mixed");
    ASSERT_NE(v.param("boundary"), nullptr);
    EXPECT_EQ(*v.param("boundary"), "abc");
    auto empty = mime::parse_content_value("");
    EXPECT_EQ(empty.value, "");
    EXPECT_TRUE(empty.params.empty());
}

TEST(MimeParams, EncodedWords) {
    struct Case { const char* in; const char* out; };
    const Case cases[] = {
        {"=?UTF-8?B?Y2Fmw6k=?=", "caf\xC3\xA9"},
        {"=?iso-8859-1?Q?caf=E9_au_lait?=", "caf\xC3\xA9 au lait"},
        {"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},            // whitespace between words dropped
        {"x =?utf-8?q?a?= y", "x a y"},
        {"=?koi8-r?B?abc?=", "=?koi8-r?B?abc?="},          // unknown charset kept
        {"=?utf-8?X?abc?=", "=?utf-8?X?abc?="},            // unknown encoding kept
        {"=?broken", "=?broken"},
        {"plain text", "plain text"},
    };
    for (const auto& c : cases) EXPECT_EQ(mime::decode_encoded_words(c.in), c.out) << c.in;
}

TEST(MimeParams, TransferDecodings) {
    EXPECT_EQ(mime::decode_base64("aGVs\r\nbG8="), "hello");
    EXPECT_EQ(mime::encode_base64("hello"), "aGVsbG8=");
    EXPECT_EQ(mime::encode_base64("he"), "aGU=");
    EXPECT_EQ(mime::decode_quoted_printable("caf=C3=A9 =\r\nnext=ZZ"), "caf\xC3\xA9 next=ZZ");
}
