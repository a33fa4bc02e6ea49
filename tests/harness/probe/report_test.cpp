#include "report_json.hpp"
#include "report_junit.hpp"
#include "report_table.hpp"

#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "sample_judgement.hpp"

namespace mailspec::harness::probe {
namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

TEST(TableReport, ColumnsAreAligned) {
    auto table = lines(render_table(testing::sample_judgement()));
    ASSERT_EQ(table.size(), 6u);
    EXPECT_EQ(table[0].rfind("PORT", 0), 0u);
    // Every row puts the VERDICT column at the same offset as the header.
    auto verdict_at = table[0].find("VERDICT");
    ASSERT_NE(verdict_at, std::string::npos);
    const char* verdicts[] = {"WARN", "FAIL", "INCONCLUSIVE", "closed", "OK"};
    for (std::size_t i = 1; i < table.size(); ++i) {
        EXPECT_EQ(table[i].substr(verdict_at), verdicts[i - 1]) << table[i];
    }
    EXPECT_NE(table[1].find("STARTTLS"), std::string::npos);
    EXPECT_NE(table[2].find("implicit"), std::string::npos);
    EXPECT_NE(table[2].find("expired 2d ago"), std::string::npos);
    EXPECT_NE(table[5].find("CN=localhost, verified, 40d left"), std::string::npos);
}

TEST(TableReport, FindingsListMostSevereFirstWithRfc) {
    auto findings = lines(render_findings(testing::sample_judgement()));
    ASSERT_GE(findings.size(), 4u);
    EXPECT_EQ(findings[0].rfind("error", 0), 0u);
    EXPECT_NE(findings[0].find("587"), std::string::npos);
    EXPECT_NE(findings[0].find("[RFC "), std::string::npos);
    bool saw_inconclusive = false, saw_warning = false;
    for (const auto& l : findings) {
        if (l.rfind("inconclusive", 0) == 0) saw_inconclusive = true;
        if (l.rfind("warning", 0) == 0) saw_warning = l.find("auth-before-tls") != std::string::npos;
    }
    EXPECT_TRUE(saw_inconclusive);
    EXPECT_TRUE(saw_warning);
    EXPECT_EQ(render_findings(judge({}, default_policy(), {})), "");
}

TEST(TableReport, SummaryCountsVerdictsAndSeverities) {
    auto summary = render_summary(testing::sample_judgement());
    EXPECT_NE(summary.find("5 port(s)"), std::string::npos) << summary;
    EXPECT_NE(summary.find("1 FAIL"), std::string::npos) << summary;
    EXPECT_NE(summary.find("2 warning(s)"), std::string::npos) << summary;
}

TEST(TableReport, PrintsForReview) {
    auto j = testing::sample_judgement();
    std::cout << render_table(j) << "\n" << render_findings(j) << render_summary(j) << "\n";
    SUCCEED();
}

TEST(JsonReport, EscapesAndNulls) {
    EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    // Invalid UTF-8 from a server never reaches the document (RFC 8259 §8.1).
    EXPECT_EQ(json_string("\xFF\xED\xA0\x80ok"), "\"<0xFF><0xED><0xA0><0x80>ok\"");
    std::string json = render_json(testing::sample_judgement());
    EXPECT_NE(json.find("\"port\": 25"), std::string::npos);
    EXPECT_NE(json.find("\"tls\": null"), std::string::npos);
    EXPECT_NE(json.find("\"inconclusive\": \"no greeting within 500 ms"), std::string::npos);
    EXPECT_NE(json.find("\"legacy_tls_accepted\": false"), std::string::npos);
    EXPECT_NE(json.find("\"exit_code\": 1"), std::string::npos);
    EXPECT_NE(json.find("\\u0001\\u001b"), std::string::npos);
    for (unsigned char c : json) EXPECT_TRUE(c >= 0x20 || c == '\n') << int(c);
}

TEST(JunitReport, CountsAndNoControlBytes) {
    std::string xml = render_junit(testing::sample_judgement());
    EXPECT_NE(xml.find("<testsuite name=\"probe localhost\""), std::string::npos);
    EXPECT_NE(xml.find("classname=\"probe.localhost.port587\""), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"certificate expired 2 day(s) ago"), std::string::npos) << xml;
    EXPECT_NE(xml.find("failures=\"3\""), std::string::npos) << xml;  // expiry, chain, tls-mode on 587
    EXPECT_NE(xml.find("<skipped"), std::string::npos);
    for (unsigned char c : xml) EXPECT_TRUE(c >= 0x20 || c == '\n' || c == '\t' || c == '\r') << int(c);
}

}  // namespace
}  // namespace mailspec::harness::probe
