// Pure engine pieces: escapes, variables, code/status matching, line checks with captures,
// capability extraction.
#include <gtest/gtest.h>

#include "mailspec/harness/engine/escapes.hpp"
#include "mailspec/harness/engine/matchers.hpp"
#include "mailspec/harness/engine/response.hpp"
#include "mailspec/harness/engine/variables.hpp"

namespace mailspec::harness::engine {
namespace {

TEST(Escapes, DecodesEverySupportedSequence) {
    std::string out;
    EscapeError e;
    ASSERT_TRUE(decode_escapes(R"(a\r\n\tb\\c\x41\x7f\0)", out, e));
    EXPECT_EQ(out, std::string("a\r\n\tb\\cA\x7f\0", 10));
}

TEST(Escapes, RejectsUnknownAndTruncatedSequencesWithOffset) {
    std::string out;
    EscapeError e;
    EXPECT_FALSE(decode_escapes(R"(ab\q)", out, e));
    EXPECT_EQ(e.offset, 2u);
    EXPECT_NE(e.message.find("\\q"), std::string::npos);
    EXPECT_FALSE(decode_escapes(R"(\x4)", out, e));
    EXPECT_EQ(e.offset, 0u);
    EXPECT_FALSE(decode_escapes(R"(abc\)", out, e));
    EXPECT_EQ(e.offset, 3u);
}

TEST(Variables, SubstitutesAndReportsMissing) {
    Variables v(std::map<std::string, std::string>{{"user.login", "alice"}, {"n", "3"}});
    std::string out, missing;
    ASSERT_TRUE(v.substitute("USER ${user.login} ${n} $${n} $5", out, missing));
    EXPECT_EQ(out, "USER alice 3 ${n} $5");
    EXPECT_FALSE(v.substitute("X ${nope} ${n}", out, missing));
    EXPECT_EQ(missing, "nope");
}

TEST(Variables, RegexEscapingKeepsValuesLiteral) {
    Variables v(std::map<std::string, std::string>{{"addr", "a.b+c@x.test"}});
    std::string out, missing;
    ASSERT_TRUE(v.substitute("^<${addr}>$", out, missing, true));
    EXPECT_EQ(out, R"(^<a\.b\+c@x\.test>$)");
}

TEST(Codes, ExactClassAndAlternatives) {
    EXPECT_TRUE(code_matches("250", 250));
    EXPECT_FALSE(code_matches("250", 251));
    EXPECT_TRUE(code_matches("2xx", 221));
    EXPECT_FALSE(code_matches("2xx", 354));
    EXPECT_TRUE(code_matches("25x", 252));
    EXPECT_TRUE(code_matches("550|553", 553));
    EXPECT_FALSE(code_matches("550|553", 554));
}

TEST(Status, CaseInsensitiveWithAlternatives) {
    EXPECT_TRUE(status_matches("OK", "ok"));
    EXPECT_TRUE(status_matches("NO|BAD", "BAD"));
    EXPECT_FALSE(status_matches("+OK", "-ERR"));
}

Response smtp(int code, std::vector<std::string> lines) {
    Response r;
    r.protocol = model::Protocol::smtp;
    r.code = code;
    r.lines = std::move(lines);
    return r;
}

model::LineCheck line(std::string pattern, std::vector<std::string> captures = {}) {
    return {model::LineCheck::Kind::some_line_matches, std::move(pattern), std::move(captures), {"f.xml", 7}};
}
model::LineCheck no_line(std::string pattern) {
    return {model::LineCheck::Kind::no_line_matches, std::move(pattern), {}, {"f.xml", 8}};
}

TEST(Checks, CapturesGroupsOfTheFirstMatchingLine) {
    model::Expect e;
    e.code = "250";
    e.checks = {line(R"(^SIZE ([0-9]+)$)", {"size"}), line(R"(^X-${size}$)")};
    Variables v;
    EXPECT_FALSE(check_response(e, smtp(250, {"mx", "SIZE 1024", "X-1024"}), v));
    EXPECT_EQ(v.all().at("size"), "1024");
}

TEST(Checks, NoLineFailureShowsTheOffendingLine) {
    model::Expect e;
    e.checks = {no_line("^STARTTLS$")};
    Variables v;
    auto m = check_response(e, smtp(250, {"mx", "STARTTLS"}), v);
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->scenario_error);
    EXPECT_EQ(m->where.line, 8);
    EXPECT_NE(m->actual.find("STARTTLS"), std::string::npos);
}

TEST(Checks, MissingLineListsWhatWasReceived) {
    model::Expect e;
    e.checks = {line("^PIPELINING$")};
    Variables v;
    auto m = check_response(e, smtp(250, {"mx", "SIZE 10"}), v);
    ASSERT_TRUE(m);
    EXPECT_NE(m->actual.find("SIZE 10"), std::string::npos);
    EXPECT_NE(m->expected.find("^PIPELINING$"), std::string::npos);
}

TEST(Checks, BadRegexAndMissingGroupAreScenarioErrors) {
    Variables v;
    model::Expect bad;
    bad.checks = {line("([")};
    auto m = check_response(bad, smtp(250, {"x"}), v);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->scenario_error);
    model::Expect groups;
    groups.checks = {line("^(x)$", {"a", "b"})};
    m = check_response(groups, smtp(250, {"x"}), v);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->scenario_error);
    EXPECT_FALSE(regex_error("^ok$"));
    EXPECT_TRUE(regex_error("(unclosed"));
}

TEST(Checks, LongLinesDoNotExhaustTheStack) {
    model::Expect e;
    e.checks = {line("^(a|b)*c$")};
    Variables v;
    auto m = check_response(e, smtp(250, {std::string(200000, 'a')}), v);
    ASSERT_TRUE(m);  // no match (or "too complex"), but never a crash
}

TEST(Checks, WrongCodeComesFirst) {
    model::Expect e;
    e.code = "2xx";
    Variables v;
    Response r = smtp(554, {"5.7.1 denied"});
    r.raw = "554 5.7.1 denied\r\n";
    auto m = check_response(e, r, v);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->expected, "reply code 2xx");
    EXPECT_EQ(m->actual, "554 (554 5.7.1 denied<CR><LF>)");
}

// RFC 5321 §4.3.2: any command may get 421. It decides nothing, so it is inconclusive (ERROR),
// unless the scenario expects it; any other wrong code stays a plain mismatch (FAIL).
TEST(Checks, A421ReplyIsInconclusive) {
    model::Expect e;
    e.code = "250";
    Variables v;
    Response r = smtp(421, {"4.3.2 shutting down"});
    r.raw = "421 4.3.2 shutting down\r\n";
    auto m = check_response(e, r, v);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->inconclusive);
    EXPECT_FALSE(m->scenario_error);
    EXPECT_NE(m->message.find("RFC 5321 §4.3.2"), std::string::npos) << m->message;
    e.code = "421|250";
    EXPECT_FALSE(check_response(e, r, v));
    e.code = "250";
    auto other = check_response(e, smtp(554, {"no"}), v);
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->inconclusive);
}

TEST(Capabilities, SmtpPop3AndImapForms) {
    auto ehlo = smtp(250, {"mx.example greets you", "PIPELINING", "AUTH PLAIN LOGIN", "size 100"});
    EXPECT_TRUE(advertises(ehlo, "pipelining"));
    EXPECT_TRUE(advertises(ehlo, "AUTH=PLAIN"));
    EXPECT_TRUE(advertises(ehlo, "SIZE"));
    EXPECT_FALSE(advertises(ehlo, "MX.EXAMPLE"));

    Response capa;
    capa.protocol = model::Protocol::pop3;
    capa.lines = {"+OK caps", "TOP", "SASL PLAIN", "UIDL"};
    EXPECT_TRUE(advertises(capa, "UIDL"));
    EXPECT_TRUE(advertises(capa, "SASL=PLAIN"));
    EXPECT_FALSE(advertises(capa, "STLS"));

    Response imap;
    imap.protocol = model::Protocol::imap;
    imap.lines = {"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hi", "* CAPABILITY IMAP4rev1 IDLE", "a1 OK done"};
    EXPECT_TRUE(advertises(imap, "STARTTLS"));
    EXPECT_TRUE(advertises(imap, "idle"));
    EXPECT_TRUE(advertises(imap, "AUTH=PLAIN"));
    EXPECT_FALSE(advertises(imap, "MOVE"));
}

}  // namespace
}  // namespace mailspec::harness::engine
