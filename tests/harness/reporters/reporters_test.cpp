// Console and JUnit reporters over finished results.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <sstream>

#include "mailspec/harness/reporters/console.hpp"
#include "mailspec/harness/reporters/junit_results.hpp"
#include "mailspec/harness/reporters/junit_writer.hpp"

namespace mailspec::harness::reporters {
namespace {

using model::Outcome;
using model::ScenarioResult;

std::vector<ScenarioResult> results() {
    ScenarioResult pass;
    pass.id = "smtp.ehlo";
    pass.suite = "smtp-core";
    pass.rfc = "5321#4.1.1.1";
    pass.level = "MUST";
    pass.seconds = 0.0123;
    ScenarioResult fail = pass;
    fail.id = "smtp.quit";
    fail.outcome = Outcome::fail;
    fail.message = "wrong reply code";
    fail.expected = "reply code 221";
    fail.actual = "250 (250 ok<CR><LF>)";
    fail.step_where = {"scenarios/smtp/q.xml", 12};
    fail.transcript = "C: QUIT<CR><LF>\nS: 250 ok<CR><LF>\n";
    ScenarioResult error = pass;
    error.id = "pop3.stat";
    error.suite = "pop3";
    error.protocol = model::Protocol::pop3;
    error.outcome = Outcome::error;
    error.message = std::string("timeout \x01 control");
    error.transcript = std::string("S: \x1b[31m raw escape\n");
    ScenarioResult skip = pass;
    skip.id = "smtp.chunking";
    skip.outcome = Outcome::skip;
    skip.message = "the server does not advertise CHUNKING";
    ScenarioResult xfail = pass;
    xfail.id = "smtp.vrfy";
    xfail.outcome = Outcome::xfail;
    xfail.known_reason = "answers 502";
    return {pass, fail, error, skip, xfail};
}

TEST(Console, OneLinePerScenarioDetailsForFailuresAndExactSummary) {
    std::ostringstream out;
    ConsoleReporter c(out, false);
    const auto rs = results();
    for (const auto& r : rs) c.scenario_finished(r);
    c.finish(rs);
    const std::string s = out.str();
    EXPECT_NE(s.find("PASS  smtp.ehlo  (0.01 s)\n"), std::string::npos) << s;
    EXPECT_NE(s.find("FAIL  smtp.quit  (0.01 s)\n      scenarios/smtp/q.xml:12: wrong reply code\n"
                     "      expected: reply code 221\n      actual:   250 (250 ok<CR><LF>)\n      RFC 5321#4.1.1.1 (MUST)\n"
                     "      transcript:\n        C: QUIT<CR><LF>\n        S: 250 ok<CR><LF>\n"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("XFAIL smtp.vrfy"), std::string::npos);
    EXPECT_EQ(s.find("\033"), std::string::npos);  // no colour, and raw control bytes are shown escaped
    EXPECT_NE(s.find("timeout <0x01> control"), std::string::npos) << s;
    EXPECT_NE(s.find("\n1 xfailed, 0 xpassed\n1 passed, 1 failed, 1 skipped, 1 errors\n"), std::string::npos) << s;
    EXPECT_TRUE(s.ends_with("\n1 passed, 1 failed, 1 skipped, 1 errors\n"));
}

TEST(Console, NoXfailLineWhenNone) {
    std::ostringstream out;
    ConsoleReporter c(out, true);
    auto rs = results();
    rs.pop_back();
    c.finish(rs);
    EXPECT_EQ(out.str(), "1 passed, 1 failed, 1 skipped, 1 errors\n");
}

TEST(Console, NoColourWithNoColorSet) {
    ::setenv("NO_COLOR", "1", 1);
    EXPECT_FALSE(colour_wanted(1));
    ::unsetenv("NO_COLOR");
}

TEST(JUnit, StructureCountsAndSafeText) {
    const std::string xml = junit_xml(junit_cases(results()));
    EXPECT_EQ(xml.find("\x1b"), std::string::npos);
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
    auto root = doc.child("testsuites");
    EXPECT_STREQ(root.attribute("tests").value(), "5");
    EXPECT_STREQ(root.attribute("failures").value(), "1");
    EXPECT_STREQ(root.attribute("errors").value(), "1");
    auto smtp = root.find_child_by_attribute("testsuite", "name", "smtp-core");
    ASSERT_TRUE(smtp);
    EXPECT_STREQ(smtp.attribute("tests").value(), "4");
    EXPECT_STREQ(smtp.attribute("skipped").value(), "1");
    auto fail = smtp.find_child_by_attribute("testcase", "name", "smtp.quit");
    EXPECT_STREQ(fail.attribute("classname").value(), "smtp.5321#4.1.1.1");
    EXPECT_STREQ(fail.attribute("time").value(), "0.0123");
    EXPECT_STREQ(fail.child("failure").attribute("message").value(), "wrong reply code");
    EXPECT_NE(std::string(fail.child("failure").text().get()).find("at scenarios/smtp/q.xml:12"), std::string::npos);
    EXPECT_NE(std::string(fail.child("system-out").text().get()).find("C: QUIT"), std::string::npos);
    auto err = root.find_child_by_attribute("testsuite", "name", "pop3").child("testcase");
    EXPECT_STREQ(err.attribute("classname").value(), "pop3.5321#4.1.1.1");
    EXPECT_TRUE(err.child("error"));
    auto xfail = smtp.find_child_by_attribute("testcase", "name", "smtp.vrfy");
    EXPECT_FALSE(xfail.child("failure"));
    EXPECT_NE(std::string(xfail.child("system-out").text().get()).find("XFAIL"), std::string::npos);
}

TEST(JUnit, SecondsArePlainDecimals) {
    EXPECT_EQ(junit_seconds(0), "0.0000");
    EXPECT_EQ(junit_seconds(1.5), "1.5000");
    EXPECT_EQ(junit_seconds(-3), "0.0000");
}

TEST(JUnit, GenericCasesFromAnotherCommand) {
    std::vector<JUnitCase> cases{{"probe 127.0.0.1", "port 25", "probe.smtp", JUnitCase::Kind::failure,
                                  "STARTTLS missing", "detail", 0.5, "out"}};
    const std::string xml = junit_xml(cases, "mailspec probe");
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.c_str()));
    EXPECT_STREQ(doc.child("testsuites").attribute("name").value(), "mailspec probe");
    EXPECT_STREQ(doc.child("testsuites").child("testsuite").attribute("failures").value(), "1");
}

// issue 9 item 4: policy results apart from conformance ones.
std::vector<ScenarioResult> with_policy() {
    auto rs = results();
    ScenarioResult relay = rs[1];
    relay.id = "security.relay";
    relay.suite = "security";
    relay.judges = model::Judges::policy;
    relay.severity = model::Severity::error;
    ScenarioResult limit = relay;
    limit.id = "security.line-limit";
    limit.severity = model::Severity::warning;
    ScenarioResult tls = relay;
    tls.id = "security.tls";
    tls.outcome = Outcome::pass;
    rs.push_back(relay);
    rs.push_back(limit);
    rs.push_back(tls);
    return rs;
}

TEST(Console, PolicySummaryComesBeforeTheExactConformanceLine) {
    std::ostringstream out;
    ConsoleReporter c(out, false);
    const auto rs = with_policy();
    for (const auto& r : rs) c.scenario_finished(r);
    c.finish(rs);
    const std::string s = out.str();
    EXPECT_NE(s.find("FAIL  security.relay  (0.01 s)  [policy error]\n"), std::string::npos) << s;
    EXPECT_NE(s.find("PASS  security.tls  (0.01 s)  [policy error]\n"), std::string::npos) << s;
    const std::string tail = "1 xfailed, 0 xpassed\n"
                             "policy: 1 passed, 2 failed (1 error, 1 warning, 0 info), 0 skipped, 0 errors\n"
                             "1 passed, 1 failed, 1 skipped, 1 errors\n";
    ASSERT_GE(s.size(), tail.size());
    EXPECT_EQ(s.substr(s.size() - tail.size()), tail) << s;
}

TEST(JUnit, PolicyScenariosHaveTheirOwnTestsuite) {
    const auto xml = junit_xml(junit_cases(with_policy()));
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.c_str()));
    const auto policy = doc.select_node("/testsuites/testsuite[@name='security (policy)']").node();
    ASSERT_TRUE(policy) << xml;
    EXPECT_STREQ(policy.attribute("tests").value(), "3");
    EXPECT_STREQ(policy.attribute("failures").value(), "2");
    const auto relay = policy.select_node("testcase[@name='security.relay']/failure").node();
    ASSERT_TRUE(relay);
    EXPECT_STREQ(relay.attribute("message").value(), "policy error: wrong reply code");
    const auto limit = policy.select_node("testcase[@name='security.line-limit']/failure").node();
    ASSERT_TRUE(limit);
    EXPECT_STREQ(limit.attribute("message").value(), "policy warning: wrong reply code");
    // No conformance case is in a policy suite, and no policy case in a conformance suite.
    EXPECT_FALSE(doc.select_node("/testsuites/testsuite[@name='smtp-core']/testcase[@name='security.relay']"));
    EXPECT_FALSE(policy.select_node("testcase[@name='smtp.quit']"));
}

}  // namespace
}  // namespace mailspec::harness::reporters
