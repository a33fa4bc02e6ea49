// The linter behind `mailspec check`: variables, endpoints, regexes, sessions, protocol fit, ids.
#include <gtest/gtest.h>

#include "mailspec/harness/engine/lint.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"

namespace mailspec::harness::engine {
namespace {

loader::Diagnostics lint_text(const std::string& xml) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "l.xml", errors);
    EXPECT_TRUE(errors.empty()) << errors.front().str();
    std::vector<const model::Scenario*> p;
    for (const auto& s : scenarios) p.push_back(&s);
    return lint(p, model::standard_target_shape());
}

TEST(Lint, CleanScenarioHasNoErrors) {
    EXPECT_TRUE(lint_text(R"X(<scenario id="a" protocol="pop3"><connect endpoint="pop3"/><expect status="+OK"/>
      <send>USER ${user.login}</send><expect status="+OK"><line matches="^\+OK (\d+)" capture="n"/></expect>
      <send>RETR ${n} ${run.id} ${domain}</send></scenario>)X").empty());
}

TEST(Lint, UndefinedVariableWithLine) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/>\n"
                             "<send>MAIL FROM:${user3.address}</send></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.line, 2);
    EXPECT_NE(e[0].message.find("undefined variable ${user3.address}"), std::string::npos) << e[0].message;
}

TEST(Lint, CaptureMustComeBeforeUse) {
    const auto e = lint_text(R"X(<scenario id="a" protocol="smtp"><connect endpoint="smtp"/>
      <send>X ${later}</send><expect code="250"><line matches="(.*)" capture="later"/></expect></scenario>)X");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].message.find("${later}"), std::string::npos);
}

TEST(Lint, BadRegexNamesTheLineElement) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/><expect code=\"250\">\n"
                             "<line matches=\"^(250\"/></expect></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.line, 2);
    EXPECT_EQ(e[0].message.rfind("bad regex /^(250/", 0), 0u) << e[0].message;
}

TEST(Lint, UnknownEndpointAndUnopenedSession) {
    const auto e = lint_text(R"X(<scenario id="a" protocol="smtp"><connect endpoint="lmtp"/>
      <send session="b">NOOP</send></scenario>)X");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_NE(e[0].message.find("unknown endpoint 'lmtp'"), std::string::npos);
    EXPECT_NE(e[1].message.find("session 'b' before any <connect>"), std::string::npos);
}

loader::Diagnostics lint_against(const std::string& xml, const model::Target& target, bool credentials) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "l.xml", errors);
    EXPECT_TRUE(errors.empty()) << errors.front().str();
    std::vector<const model::Scenario*> p;
    for (const auto& s : scenarios) p.push_back(&s);
    LintOptions options;
    options.reject_credential_literals = credentials;
    return lint(p, target, options);
}

// A target without pop3s or a second user is fine: those scenarios SKIP at run time.
TEST(Lint, StandardEndpointsAndUsersTheTargetLacksAreNotErrors) {
    model::Target t;
    t.name = "small";
    t.host = "h";
    t.endpoints = {{"smtp", model::Protocol::smtp, 25, model::TlsMode::plain, {}}};
    t.users = {{"user", "u", "p", ""}};
    const auto e = lint_against(R"X(<scenario id="a" protocol="pop3"><connect endpoint="pop3s"/><expect status="+OK"/>
      <send>USER ${pop3-arg:user2.login}</send><send>X ${user.address} ${domain}</send></scenario>)X", t, false);
    EXPECT_TRUE(e.empty()) << e.front().str();
    const auto e2 = lint_against(R"X(<scenario id="a" protocol="smtp"><connect endpoint="lmtp"/>
      <send>X ${user3.login}</send></scenario>)X", t, false);
    EXPECT_EQ(e2.size(), 2u);
}

TEST(Lint, MalformedValueExpressionsAreErrorsWithLine) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/>\n"
                             "<send>AUTH PLAIN ${sasl-plain:user,'x',3}</send>\n<send>${base64}</send></scenario>");
    ASSERT_EQ(e.size(), 2u) << e.front().str();
    EXPECT_EQ(e[0].where.line, 2);
    EXPECT_NE(e[0].message.find("usage: ${sasl-plain:USER[,PASSWORD]}"), std::string::npos) << e[0].message;
    EXPECT_NE(e[1].message.find("undefined variable ${base64}"), std::string::npos) << e[1].message;
}

// mailspec check: what a scenario sends must not be one target's credential.
TEST(Lint, CredentialLiteralsAreRejectedWhereATargetVariableExists) {
    const auto target = model::standard_target_shape();  // alice / secret1, bob / secret2, example.test
    const auto e = lint_against(R"X(<scenario id="a" protocol="smtp"><connect endpoint="smtp"/>
      <send>AUTH PLAIN AGFsaWNlAHNlY3JldDE=</send>
      <send>a1 LOGIN alice secret1</send>
      <send>MAIL FROM:&lt;bob@example.test&gt;</send>
      <send>EHLO example.test</send></scenario>)X", target, true);
    ASSERT_EQ(e.size(), 5u);
    EXPECT_EQ(e[0].where.line, 2);
    EXPECT_NE(e[0].message.find("${sasl-plain:user}"), std::string::npos) << e[0].message;
    EXPECT_NE(e[1].message.find("${user.login}"), std::string::npos) << e[1].message;
    EXPECT_NE(e[2].message.find("${user.password}"), std::string::npos) << e[2].message;
    EXPECT_EQ(e[2].message.find("secret1"), std::string::npos) << "the password is never printed: " << e[2].message;
    EXPECT_NE(e[3].message.find("${user2.address}"), std::string::npos) << e[3].message;
    EXPECT_NE(e[4].message.find("${domain}"), std::string::npos) << e[4].message;
    // The computed forms, and words that merely contain a login, pass.
    EXPECT_TRUE(lint_against(R"X(<scenario id="a" protocol="smtp"><connect endpoint="smtp"/>
      <send>AUTH PLAIN ${sasl-plain:user}</send><send>NOOP alice-in-wonderland client.example</send></scenario>)X",
                             target, true).empty());
    // run does not apply the rule.
    EXPECT_TRUE(lint_against(R"X(<scenario id="a" protocol="smtp"><connect endpoint="smtp"/>
      <send>a1 LOGIN alice secret1</send></scenario>)X", target, false).empty());
}

TEST(Lint, AttributesMustFitTheEndpointProtocol) {
    const auto e = lint_text(R"X(<scenario id="a" protocol="smtp"><connect endpoint="smtp"/><expect status="+OK"/>
      <connect session="i" endpoint="imap"/><expect session="i" code="220"/></scenario>)X");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_NE(e[0].message.find("SMTP endpoints take code="), std::string::npos);
    EXPECT_NE(e[1].message.find("IMAP endpoints take"), std::string::npos);
}

TEST(Lint, CleanupMayUseSessionsOfTheSteps) {
    EXPECT_TRUE(lint_text(R"X(<scenario id="a" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <cleanup><send>z1 LOGOUT</send></cleanup></scenario>)X").empty());
}

TEST(Lint, DuplicateIds) {
    const auto e = lint_text(R"X(<suite><scenario id="a" protocol="smtp"><pause ms="1"/></scenario>
      <scenario id="a" protocol="smtp"><pause ms="1"/></scenario></suite>)X");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].message.find("duplicate scenario id 'a'"), std::string::npos);
}

// issue 9 item 7: where each form of <requires> is allowed.
TEST(Lint, RequiresAtTheTopOrAfterAnExpectIsAllowed) {
    EXPECT_TRUE(lint_text(R"X(<scenario id="a" protocol="smtp"><requires capability="SIZE"/><connect endpoint="smtp"/>
      <expect code="220"/><send>EHLO x</send><expect code="250"/><requires capability="PIPELINING"/></scenario>)X")
                    .empty());
}

TEST(Lint, RequiresStepBeforeAnyResponseOnItsSessionIsMisplaced) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/>\n"
                             "<requires capability=\"SIZE\"/><expect code=\"220\"/></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.str(), "l.xml:2");
    EXPECT_NE(e[0].message.find("none is read there before it"), std::string::npos) << e[0].message;
}

TEST(Lint, RequiresStepAfterATlsHandshakeNeedsANewResponse) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/><expect code=\"220\"/>\n"
                             "<send>EHLO x</send><expect code=\"250\"/><starttls/>\n<requires capability=\"AUTH\"/></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.line, 3);
}

TEST(Lint, RequiresInCleanupIsMisplaced) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\"><connect endpoint=\"smtp\"/><expect code=\"220\"/>\n"
                             "<cleanup>\n<requires capability=\"SIZE\"/></cleanup></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.line, 3);
    EXPECT_NE(e[0].message.find("not allowed in <cleanup>"), std::string::npos) << e[0].message;
}

TEST(Lint, ScenarioRequirementWithoutAConnectIsAnError) {
    const auto e = lint_text("<scenario id=\"a\" protocol=\"smtp\">\n<requires capability=\"SIZE\"/><pause ms=\"1\"/></scenario>");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].where.str(), "l.xml:2");
    EXPECT_NE(e[0].message.find("no <connect>"), std::string::npos) << e[0].message;
}

}  // namespace
}  // namespace mailspec::harness::engine
