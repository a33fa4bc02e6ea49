// The fault registry: every name the issues require is known, arguments are validated, and errors
// name their origin and list the known faults.
#include "faults.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>

namespace mailspec::server {
namespace {

TEST(FaultTable, IsSortedUniqueAndDocumented) {
    auto table = known_faults();
    ASSERT_FALSE(table.empty());
    for (std::size_t i = 0; i < table.size(); ++i) {
        EXPECT_FALSE(table[i].description.empty()) << table[i].name;
        EXPECT_NE(table[i].violates.find("RFC"), std::string_view::npos) << table[i].name;
        EXPECT_NE(table[i].name.find('.'), std::string_view::npos) << table[i].name;
        if (i > 0) {
            EXPECT_LT(table[i - 1].name, table[i].name);
        }
    }
}

TEST(FaultTable, HasEveryRequiredName) {
    for (const char* name :
         {"smtp.wrong-code", "smtp.no-dot-unstuffing", "pop3.no-dot-stuffing",
          "smtp.starttls-injection", "pop3.starttls-injection", "imap.starttls-injection",
          "smtp.starttls-readvertised", "smtp.auth-before-tls", "smtp.open-relay",
          "pop3.dele-immediate", "pop3.dele-not-applied", "pop3.uidl-unstable",
          "smtp.disconnect-at", "pop3.disconnect-at", "imap.disconnect-at", "net.split-writes",
          "net.bare-lf", "net.greeting-delay", "smtp.bad-continuation", "imap.expunge-during-fetch",
          "imap.wrong-tag", "imap.uidvalidity-changes", "imap.literal-off-by-one",
          "imap.bodystructure-wrong-parts", "imap.login-when-disabled", "imap.deleted-vanish",
          "imap.preauth-greeting", "smtp.bare-lf-ends-data", "smtp.no-line-limit",
          "pop3.plaintext-user", "tls.legacy", "tls.expired-cert"}) {
        EXPECT_NE(find_fault(name), nullptr) << name;
    }
    EXPECT_EQ(find_fault("smtp.nonsense"), nullptr);
}

TEST(Faults, EnableAndQuery) {
    Faults faults;
    EXPECT_TRUE(faults.empty());
    faults.enable("net.split-writes");
    faults.enable("smtp.disconnect-at=3");
    faults.enable("smtp.wrong-code=MAIL:451");
    faults.enable("smtp.wrong-code=rcpt:550");
    EXPECT_TRUE(faults.has("net.split-writes"));
    EXPECT_FALSE(faults.has("net.bare-lf"));
    EXPECT_EQ(faults.arg("net.split-writes"), std::nullopt);
    EXPECT_EQ(faults.int_arg("smtp.disconnect-at"), 3);
    EXPECT_EQ(faults.arg("smtp.wrong-code"), "MAIL:451");
    EXPECT_EQ(faults.args("smtp.wrong-code").size(), 2u);
    EXPECT_EQ(faults.wrong_code_for("mail"), "451");
    EXPECT_EQ(faults.wrong_code_for("RCPT"), "550");
    EXPECT_EQ(faults.wrong_code_for("DATA"), std::nullopt);
    auto described = faults.describe();
    EXPECT_NE(std::find(described.begin(), described.end(), "smtp.disconnect-at=3"),
              described.end());
}

std::string error_of(const std::string& spec, const std::string& where = "--fault") {
    Faults faults;
    try {
        faults.enable(spec, where);
    } catch (const FaultError& e) {
        return e.what();
    }
    return "";
}

TEST(Faults, UnknownNameListsKnownOnes) {
    auto message = error_of("smtp.frobnicate", "cfg.xml:12");
    EXPECT_NE(message.find("cfg.xml:12: unknown fault 'smtp.frobnicate'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("pop3.dele-immediate"), std::string::npos);
    EXPECT_NE(message.find("net.greeting-delay=MS"), std::string::npos);
}

TEST(Faults, ArgumentsAreValidated) {
    EXPECT_NE(error_of("net.bare-lf=1").find("takes no argument"), std::string::npos);
    EXPECT_NE(error_of("smtp.disconnect-at").find("needs an argument"), std::string::npos);
    EXPECT_NE(error_of("smtp.disconnect-at=x").find("non-negative integer"), std::string::npos);
    EXPECT_NE(error_of("smtp.disconnect-at=0").find("from 1"), std::string::npos);
    EXPECT_NE(error_of("net.greeting-delay=-5").find("non-negative"), std::string::npos);
    EXPECT_EQ(error_of("net.greeting-delay=0"), "");
    EXPECT_NE(error_of("smtp.wrong-code=MAIL").find("CMD:CODE"), std::string::npos);
    EXPECT_NE(error_of("smtp.wrong-code=MAIL:999").find("CMD:CODE"), std::string::npos);
    EXPECT_NE(error_of("smtp.wrong-code=:250").find("CMD:CODE"), std::string::npos);
}

}  // namespace
}  // namespace mailspec::server
