// Loader errors name file:line and what was expected; the samples and the local target load as
// written in issue 2.
#include <gtest/gtest.h>

#include <cstdlib>

#include "mailspec/harness/loader/known_failures_loader.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"
#include "mailspec/harness/loader/target_loader.hpp"

namespace mailspec::harness::loader {
namespace {

std::string first_error(std::string_view xml) {
    Diagnostics errors;
    load_scenario_text(xml, "s.xml", errors);
    return errors.empty() ? std::string("(no error)") : errors.front().str();
}

TEST(ScenarioLoader, MalformedXmlGivesLine) {
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n  <send>x</send>\n  <oops>\n</scenario>"),
              "s.xml:4: malformed XML: Start-end tags mismatch");
}

TEST(ScenarioLoader, UnknownElementListsTheExpectedOnes) {
    const auto e = first_error("<scenario id=\"a\" protocol=\"smtp\">\n\n  <sned>x</sned>\n</scenario>");
    EXPECT_EQ(e.rfind("s.xml:3: unknown element <sned>; expected one of: connect, send,", 0), 0u) << e;
}

TEST(ScenarioLoader, UnknownAttributeListsTheAllowedOnes) {
    const auto e = first_error("<scenario id=\"a\" protocol=\"smtp\">\n<connect endpoint=\"smtp\" port=\"25\"/>\n</scenario>");
    EXPECT_EQ(e, "s.xml:2: unknown attribute 'port' on <connect>; expected one of: session, timeout, endpoint");
}

TEST(ScenarioLoader, MissingRequiredAttribute) {
    EXPECT_EQ(first_error("<scenario protocol=\"smtp\"><connect endpoint=\"x\"/></scenario>"),
              "s.xml:1: <scenario> needs the attribute 'id'");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n<connect/></scenario>"),
              "s.xml:2: <connect> needs the attribute 'endpoint'");
}

TEST(ScenarioLoader, BadValuesSayWhatWasExpected) {
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"nntp\"><pause ms=\"1\"/></scenario>"),
              "s.xml:1: protocol='nntp': expected smtp, pop3 or imap");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\" level=\"must\"><pause ms=\"1\"/></scenario>"),
              "s.xml:1: level='must': expected MUST, SHOULD or MAY");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n<expect code=\"2500\"/></scenario>"),
              "s.xml:2: code='2500': expected a reply code like 250, 2xx or 25x (alternatives with |)");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n<pause ms=\"soon\"/></scenario>"),
              "s.xml:2: ms='soon': expected milliseconds from 0 to 600000");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n<expect timeout=\"fast\"/></scenario>"),
              "s.xml:2: timeout='fast': expected a positive duration such as 500ms, 10s or 2.5");
    EXPECT_EQ(first_error("<scenario id=\"a\" protocol=\"smtp\">\n<tls-handshake max-version=\"1.4\"/></scenario>"),
              "s.xml:2: max-version='1.4': expected 1.0, 1.1, 1.2 or 1.3");
}

TEST(ScenarioLoader, SendIsOneLine) {
    const auto e = first_error("<scenario id=\"a\" protocol=\"smtp\">\n<send>A\nB</send></scenario>");
    EXPECT_EQ(e.rfind("s.xml:2: <send> sends one line", 0), 0u) << e;
}

TEST(ScenarioLoader, UnknownChildOfExpect) {
    const auto e = first_error("<scenario id=\"a\" protocol=\"smtp\"><expect>\n<lines matches=\"x\"/></expect></scenario>");
    EXPECT_EQ(e, "s.xml:2: unknown element <lines> inside <expect>; expected <line> or <no-line>");
}

TEST(ScenarioLoader, MissingFixtureIsAnError) {
    const auto e = first_error(
        "<scenario id=\"a\" protocol=\"smtp\">\n<send-file path=\"fixtures/messages/none.eml\" mode=\"smtp-data\"/></scenario>");
    EXPECT_EQ(e.rfind("s.xml:2: send-file path 'fixtures/messages/none.eml' not found", 0), 0u) << e;
}

TEST(ScenarioLoader, WrongRootElement) {
    EXPECT_EQ(first_error("<test/>"), "s.xml:1: root element <test>: expected <scenario> or <suite>");
}

TEST(ScenarioLoader, SuiteGivesNameAndTagsToItsScenarios) {
    Diagnostics errors;
    const auto s = load_scenario_text(R"(<suite name="smtp-core" tags="core">
  <scenario id="a" protocol="smtp" tags="x"><pause ms="1"/></scenario>
  <scenario id="b" protocol="pop3" proves="f.one f.two" requires="UIDL TOP"><pause ms="1"/></scenario>
</suite>)", "suite.xml", errors);
    ASSERT_TRUE(errors.empty()) << errors.front().str();
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].suite, "smtp-core");
    EXPECT_EQ(s[0].tags, (std::vector<std::string>{"core", "x"}));
    EXPECT_EQ(s[1].where.line, 3);
    EXPECT_EQ(s[1].proves, (std::vector<std::string>{"f.one", "f.two"}));
    ASSERT_EQ(s[1].requirements.size(), 2u);
    EXPECT_EQ(s[1].requirements[0].capability, "UIDL");
    EXPECT_EQ(s[1].requirements[1].capability, "TOP");
    EXPECT_EQ(s[1].requirements[1].where.line, 3);  // requires= points at its <scenario>
}

// issue 9 item 7: <requires> before the first step is a requirement of the whole scenario; after a
// step it stays a step (it checks the last response read on its session).
TEST(ScenarioLoader, RequiresBeforeTheFirstStepIsAScenarioRequirement) {
    Diagnostics errors;
    const auto s = load_scenario_text(R"(<scenario id="a" protocol="imap" requires="IMAP4rev1">
  <requires capability="IDLE"/>
  <description>d</description>
  <requires capability="UIDPLUS"/>
  <connect endpoint="imap"/>
  <expect/>
  <requires capability="LITERAL+"/>
</scenario>)", "top.xml", errors);
    ASSERT_TRUE(errors.empty()) << errors.front().str();
    ASSERT_EQ(s.size(), 1u);
    ASSERT_EQ(s[0].requirements.size(), 3u);
    EXPECT_EQ(s[0].requirements[0].capability, "IMAP4rev1");
    EXPECT_EQ(s[0].requirements[1].capability, "IDLE");
    EXPECT_EQ(s[0].requirements[1].where.str(), "top.xml:2");
    EXPECT_EQ(s[0].requirements[2].where.str(), "top.xml:4");
    ASSERT_EQ(s[0].steps.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<model::Requires>(s[0].steps[2].action));
}

TEST(ScenarioLoader, RequiresBeforeTheFirstStepTakesNoSession) {
    Diagnostics errors;
    load_scenario_text("<scenario id=\"a\" protocol=\"imap\">\n<requires session=\"b\" capability=\"IDLE\"/>\n"
                       "<connect endpoint=\"imap\"/></scenario>",
                       "s.xml", errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].where.str(), "s.xml:2");
    EXPECT_NE(errors[0].message.find("session= on a <requires> before the first step"), std::string::npos)
        << errors[0].message;
}

TEST(ScenarioLoader, CollectsSeveralErrors) {
    Diagnostics errors;
    load_scenario_text("<scenario id=\"a\" protocol=\"smtp\">\n<x/>\n<y/>\n</scenario>", "s.xml", errors);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[1].where.line, 3);
}

TEST(ScenarioLoader, SamplesLoadAsWritten) {
    for (const char* f : {"smtp-starttls.xml", "pop3-stat.xml", "imap-two-sessions.xml"}) {
        Diagnostics errors;
        const auto s = load_scenario_file(std::string(MAILSPEC_SOURCE_DIR "/scenarios/samples/") + f, errors);
        EXPECT_TRUE(errors.empty()) << f << ": " << (errors.empty() ? "" : errors.front().str());
        ASSERT_EQ(s.size(), 1u) << f;
        EXPECT_EQ(s[0].tags, std::vector<std::string>{"sample"});
        EXPECT_EQ(s[0].level, "MUST");
    }
}

TEST(ScenarioLoader, Durations) {
    model::Millis ms{};
    EXPECT_TRUE(parse_duration("500ms", ms));
    EXPECT_EQ(ms.count(), 500);
    EXPECT_TRUE(parse_duration("10s", ms));
    EXPECT_EQ(ms.count(), 10000);
    EXPECT_TRUE(parse_duration("2.5", ms));
    EXPECT_EQ(ms.count(), 2500);
    EXPECT_FALSE(parse_duration("s", ms));
    EXPECT_FALSE(parse_duration("-1s", ms));
    EXPECT_FALSE(parse_duration("10 s", ms));
}

TEST(TargetLoader, LocalProfileLoadsAsWritten) {
    Diagnostics errors;
    auto t = load_target_file(MAILSPEC_SOURCE_DIR "/fixtures/targets/local.xml", errors);
    ASSERT_TRUE(t) << errors.front().str();
    EXPECT_EQ(t->name, "local");
    EXPECT_EQ(t->endpoints.size(), 7u);
    ASSERT_NE(t->find_endpoint("imaps"), nullptr);
    EXPECT_EQ(t->find_endpoint("imaps")->port, 10993);
    EXPECT_EQ(t->find_endpoint("imaps")->tls, model::TlsMode::implicit);
    EXPECT_FALSE(t->tls_verify);
    const auto vars = t->variables();
    EXPECT_EQ(vars.at("user.login"), "alice");
    EXPECT_EQ(vars.at("user2.address"), "bob@example.test");
    EXPECT_EQ(vars.at("domain"), "example.test");
}

TEST(TargetLoader, ErrorsNameLineAndExpectation) {
    Diagnostics errors;
    auto t = load_target_text("<target host=\"h\">\n<endpoint name=\"a\" protocol=\"smtp\" port=\"99999\"/>\n"
                              "<endpoint name=\"a\" protocol=\"smtp\" port=\"25\" tls=\"starttls\"/>\n<usr/>\n</target>",
                              "t.xml", errors);
    EXPECT_FALSE(t);
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_EQ(errors[0].str(), "t.xml:2: port='99999': expected a number from 1 to 65535");
    EXPECT_EQ(errors[1].str(), "t.xml:3: endpoint 'a' is defined twice");
    EXPECT_EQ(errors[2].str(), "t.xml:3: tls='starttls': expected plain or implicit");
    EXPECT_EQ(errors[3].str(), "t.xml:4: unknown element <usr> inside <target>; expected endpoint, user, var or tls");
}

// Secrets from the environment: ${env:NAME} in any attribute; an unset NAME is an error with line.
TEST(TargetLoader, EnvironmentVariablesInAttributes) {
    ::setenv("MAILSPEC_TEST_PW", "pa ss\"w\\d", 1);
    ::setenv("MAILSPEC_TEST_PORT", "2525", 1);
    ::unsetenv("MAILSPEC_TEST_UNSET");
    Diagnostics errors;
    auto t = load_target_text("<target host=\"h\">\n<endpoint name=\"smtp\" protocol=\"smtp\" port=\"${env:MAILSPEC_TEST_PORT}\"/>\n"
                              "<user id=\"user\" login=\"u\" password=\"${env:MAILSPEC_TEST_PW}\"/>\n"
                              "<var name=\"price\" value=\"$${literal} $5\"/>\n</target>",
                              "t.xml", errors);
    ASSERT_TRUE(t) << errors.front().str();
    EXPECT_EQ(t->endpoints[0].port, 2525);
    EXPECT_EQ(t->users[0].password, "pa ss\"w\\d");
    EXPECT_EQ(t->vars.at("price"), "${literal} $5");
    EXPECT_EQ(t->variables().count("user.address"), 0u);  // no address given: none defined

    errors.clear();
    EXPECT_FALSE(load_target_text("<target host=\"h\">\n<endpoint name=\"smtp\" protocol=\"smtp\" port=\"25\"/>\n"
                                  "<user id=\"user\" login=\"u\" password=\"${env:MAILSPEC_TEST_UNSET}\"/>\n</target>",
                                  "t.xml", errors));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].str(),
              "t.xml:3: password: environment variable 'MAILSPEC_TEST_UNSET' is not set (named by ${env:MAILSPEC_TEST_UNSET})");
}

// --user ID:LOGIN:PASSWORD replaces a user's login and password (keeping the address) or adds one.
TEST(TargetLoader, UserOptionSetsOrAddsAUser) {
    model::Target t;
    t.users.push_back({"user", "alice", "secret1", "alice@example.test"});
    std::string error;
    ASSERT_TRUE(apply_user_option(t, "user:carol:pa:ss word", error)) << error;
    EXPECT_EQ(t.users[0].login, "carol");
    EXPECT_EQ(t.users[0].password, "pa:ss word");
    EXPECT_EQ(t.users[0].address, "alice@example.test");
    ASSERT_TRUE(apply_user_option(t, "user2:dave:", error)) << error;
    ASSERT_EQ(t.users.size(), 2u);
    EXPECT_EQ(t.users[1].login, "dave");
    EXPECT_EQ(t.users[1].password, "");
    EXPECT_FALSE(apply_user_option(t, "user:carol", error));
    EXPECT_NE(error.find("expected ID:LOGIN:PASSWORD"), std::string::npos) << error;
    EXPECT_FALSE(apply_user_option(t, ":carol:x", error));
    EXPECT_FALSE(apply_user_option(t, "user::x", error));
}

TEST(KnownFailuresLoader, LoadsAndRejectsUnknownElements) {
    Diagnostics errors;
    auto k = load_known_failures_text(R"(<known-failures target="dovecot">
  <known id="smtp.vrfy.*" reason="answers 502" rfc="5321#3.5.3"/>
</known-failures>)", "k.xml", errors);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->target, "dovecot");
    ASSERT_NE(k->find("smtp.vrfy.basic"), nullptr);
    EXPECT_EQ(k->find("smtp.vrfy.basic")->where.line, 2);
    EXPECT_EQ(k->find("smtp.ehlo"), nullptr);
    errors.clear();
    EXPECT_FALSE(load_known_failures_text("<known-failures>\n<know id=\"x\" reason=\"y\"/></known-failures>", "k.xml", errors));
    EXPECT_EQ(errors.at(0).str(), "k.xml:2: unknown element <know>; expected <known>");
    errors.clear();
    EXPECT_FALSE(load_known_failures_text("<known-failures>\n<known id=\"x\"/></known-failures>", "k.xml", errors));
    EXPECT_EQ(errors.at(0).str(), "k.xml:2: <known> needs the attribute 'reason'");
}

// issue 9 item 4: judges= and severity= (the probe's severities), strictly.
TEST(ScenarioLoader, JudgesAndSeverity) {
    Diagnostics errors;
    const auto s = load_scenario_text(R"(<suite name="s">
  <scenario id="a" protocol="smtp"><pause ms="1"/></scenario>
  <scenario id="b" protocol="smtp" judges="policy" severity="warning"><pause ms="1"/></scenario>
</suite>)", "j.xml", errors);
    ASSERT_TRUE(errors.empty()) << errors.front().str();
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].judges, model::Judges::conformance);
    EXPECT_EQ(s[1].judges, model::Judges::policy);
    EXPECT_EQ(s[1].severity, model::Severity::warning);
}

TEST(ScenarioLoader, BadJudgesOrSeverityNamesFileAndLine) {
    Diagnostics errors;
    load_scenario_text("<suite name=\"s\">\n<scenario id=\"a\" protocol=\"smtp\" judges=\"hardening\"><pause ms=\"1\"/></scenario>\n"
                       "<scenario id=\"b\" protocol=\"smtp\" judges=\"policy\"><pause ms=\"1\"/></scenario>\n"
                       "<scenario id=\"c\" protocol=\"smtp\" severity=\"error\"><pause ms=\"1\"/></scenario>\n</suite>",
                       "j.xml", errors);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].str(), "j.xml:2: judges='hardening': expected conformance or policy");
    EXPECT_EQ(errors[1].where.line, 3);
    EXPECT_NE(errors[1].message.find("needs severity="), std::string::npos) << errors[1].message;
    EXPECT_EQ(errors[2].where.line, 4);
    EXPECT_NE(errors[2].message.find("needs judges=\"policy\""), std::string::npos) << errors[2].message;
}

}  // namespace
}  // namespace mailspec::harness::loader
