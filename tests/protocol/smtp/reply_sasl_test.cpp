#include "mailspec/protocol/smtp/base64.hpp"
#include "mailspec/protocol/smtp/reply.hpp"
#include "mailspec/protocol/smtp/sasl.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::smtp;

namespace {

TEST(Reply, SingleAndMultiLineWithEnhancedCodes) {
    EXPECT_EQ(format_reply(250, status::ok, "OK"), "250 2.0.0 OK\r\n");
    EXPECT_EQ(format_reply(220, std::nullopt, "mx ESMTP"), "220 mx ESMTP\r\n");
    EXPECT_EQ(format_reply(250, std::nullopt, std::vector<std::string>{"mx", "SIZE 100", "PIPELINING"}),
              "250-mx\r\n250-SIZE 100\r\n250 PIPELINING\r\n");
    EXPECT_EQ(format_reply(214, status::ok, std::vector<std::string>{"a", "b"}), "214-2.0.0 a\r\n214 2.0.0 b\r\n");
    EXPECT_EQ(format_reply(334, std::nullopt, std::vector<std::string>{}), "334 \r\n");
    EXPECT_EQ(status::encryption_required.to_string(), "5.7.11");
}

TEST(Reply, FaultStylesAreOptIn) {
    ReplyStyle bare{"\n", false};
    EXPECT_EQ(format_reply(250, status::ok, "OK", bare), "250 2.0.0 OK\n");
    ReplyStyle wrong{"\r\n", true};
    EXPECT_EQ(format_reply(250, std::nullopt, std::vector<std::string>{"a", "b"}, wrong), "250 a\r\n250 b\r\n");
}

TEST(Base64, RoundTripsAndRejectsStrictly) {
    const std::vector<std::string> samples = {"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                              std::string("\0alice\0secret1", 14), "\xff\xfe\x00"};
    for (const auto& s : samples) {
        auto d = base64_decode(base64_encode(s));
        ASSERT_TRUE(d) << s;
        EXPECT_EQ(d.value(), s);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    // RFC 4954 §4: reject characters outside the alphabet and misplaced "=".
    const std::vector<std::pair<std::string, std::size_t>> bad = {
        {"Zm9", 3}, {"Zm9v YmFy", 9}, {"=AAA", 0}, {"AA=A", 2}, {"AAA=BBBB", 3}, {"Zm8*", 3}, {"A===", 1},
    };
    for (const auto& [text, offset] : bad) {
        auto d = base64_decode(text);
        ASSERT_FALSE(d) << text;
        EXPECT_EQ(d.error().offset, offset) << text << ": " << d.error().message;
    }
}

TEST(SaslPlain, DecodesAndValidates) {
    auto ok = decode_sasl_plain(std::string("\0alice\0secret1", 14));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->authzid, "");
    EXPECT_EQ(ok->authcid, "alice");
    EXPECT_EQ(ok->password, "secret1");
    auto with_authz = decode_sasl_plain(std::string("admin\0alice\0pw", 14));
    ASSERT_TRUE(with_authz);
    EXPECT_EQ(with_authz->authzid, "admin");

    EXPECT_FALSE(decode_sasl_plain("alice"));
    EXPECT_FALSE(decode_sasl_plain(std::string("\0alice", 6)));
    EXPECT_FALSE(decode_sasl_plain(std::string("\0\0pw", 4)));
    EXPECT_FALSE(decode_sasl_plain(std::string("\0alice\0", 7)));
    EXPECT_FALSE(decode_sasl_plain(std::string("\0a\0b\0c", 6)));
    EXPECT_EQ(decode_sasl_plain(std::string(1, '\0') + std::string(300, 'a') + std::string(1, '\0') + "pw").error().kind,
              ParseErrorKind::too_long);
}

TEST(SaslResponse, CancelEmptyAndBase64) {
    EXPECT_TRUE(decode_sasl_response("*")->cancelled);
    EXPECT_EQ(decode_sasl_response("=")->data, "");
    EXPECT_EQ(decode_sasl_response("YWxpY2U=")->data, "alice");
    EXPECT_FALSE(decode_sasl_response("YWxpY2U"));
    EXPECT_EQ(base64_decode(login_username_challenge).value(), "Username:");
    EXPECT_EQ(base64_decode(login_password_challenge).value(), "Password:");
}

}  // namespace
