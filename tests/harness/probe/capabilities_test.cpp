#include "capabilities.hpp"

#include <gtest/gtest.h>

namespace mailspec::harness::probe {
namespace {

TEST(Capabilities, SmtpEhloKeywords) {
    auto s = summarize_capabilities(Service::smtp, {"PIPELINING", "starttls", "AUTH PLAIN LOGIN", "AUTH=LOGIN"});
    EXPECT_TRUE(s.starttls);
    EXPECT_TRUE(s.auth_offered);
    EXPECT_EQ(s.mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
    auto none = summarize_capabilities(Service::smtp, {"SIZE 1000", "8BITMIME", "STARTTLSX"});
    EXPECT_FALSE(none.starttls);
    EXPECT_FALSE(none.auth_offered);
}

TEST(Capabilities, Pop3CapaLines) {
    auto s = summarize_capabilities(Service::pop3, {"TOP", "STLS", "UIDL"});
    EXPECT_TRUE(s.starttls);
    EXPECT_FALSE(s.auth_offered);
    EXPECT_TRUE(summarize_capabilities(Service::pop3, {"USER"}).auth_offered);
    auto sasl = summarize_capabilities(Service::pop3, {"SASL PLAIN CRAM-MD5"});
    EXPECT_TRUE(sasl.auth_offered);
    EXPECT_EQ(sasl.mechanisms, (std::vector<std::string>{"PLAIN", "CRAM-MD5"}));
    EXPECT_FALSE(summarize_capabilities(Service::pop3, {"SASL"}).auth_offered);
}

TEST(Capabilities, ImapLoginDisabledDecidesClearTextAuth) {
    // RFC 3501 §6.2.3: LOGIN is available unless LOGINDISABLED is advertised.
    EXPECT_TRUE(summarize_capabilities(Service::imap, {"IMAP4rev1", "STARTTLS"}).auth_offered);
    EXPECT_FALSE(summarize_capabilities(Service::imap, {"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}).auth_offered);
    EXPECT_TRUE(
        summarize_capabilities(Service::imap, {"IMAP4rev1", "LOGINDISABLED", "AUTH=PLAIN"}).auth_offered);
    EXPECT_FALSE(
        summarize_capabilities(Service::imap, {"IMAP4rev1", "LOGINDISABLED", "AUTH=SCRAM-SHA-256"}).auth_offered);
}

TEST(Capabilities, ImapAtomsFromCapabilityResponseAndGreetingCode) {
    EXPECT_EQ(imap_capability_atoms("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED"),
              (std::vector<std::string>{"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}));
    EXPECT_EQ(imap_capability_atoms("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready"),
              (std::vector<std::string>{"IMAP4rev1", "AUTH=PLAIN"}));
    EXPECT_TRUE(imap_capability_atoms("* OK ready").empty());
    EXPECT_TRUE(imap_capability_atoms("* CAPABILITYX a").empty());
    EXPECT_TRUE(imap_capability_atoms("* OK [CAPABILITY IMAP4rev1").empty());
}

}  // namespace
}  // namespace mailspec::harness::probe
