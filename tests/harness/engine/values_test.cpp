// Value functions and protocol-aware rendering (engine/variables.hpp, model/value_expression.hpp),
// the SASL client computations (engine/sasl_client.hpp) and transcript redaction.
#include <gtest/gtest.h>

#include "mailspec/harness/engine/sasl_client.hpp"
#include "mailspec/harness/engine/transcript.hpp"
#include "mailspec/harness/engine/variables.hpp"
#include "mailspec/harness/model/value_expression.hpp"

namespace mailspec::harness::engine {
namespace {

Variables table() {
    Variables v(std::map<std::string, std::string>{{"user.login", "alice"},
                                                   {"user.password", "pa ss\"w\\d%"},
                                                   {"user2.login", "zoë.u"},
                                                   {"user2.password", "mot de passe é"},
                                                   {"plain", "simple"},
                                                   {"n", "5"},
                                                   {"challenge", "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"}});
    v.mark_secret("user.password");
    v.mark_secret("user2.password");
    return v;
}

std::string render_ok(const Variables& v, const std::string& text, RenderContext context = RenderContext::line) {
    Rendered r;
    auto p = v.render(text, context, r);
    EXPECT_FALSE(p) << text << ": " << (p ? p->message : "");
    return r.joined();
}

RenderProblem render_problem(const Variables& v, const std::string& text) {
    Rendered r;
    auto p = v.render(text, RenderContext::line, r);
    EXPECT_TRUE(p) << text << " rendered as " << r.joined();
    return p.value_or(RenderProblem{});
}

// RFC 4616 §2 and the values the library used to hard-code for alice/secret1.
TEST(SaslClient, PlainIsBase64OfNulLoginNulPassword) {
    EXPECT_EQ(sasl_plain_response("alice", "secret1"), "AGFsaWNlAHNlY3JldDE=");
    EXPECT_EQ(sasl_plain_response("bob", "secret2"), "AGJvYgBzZWNyZXQy");
    EXPECT_EQ(sasl_plain_response("bob", "secret2", "admin"), "YWRtaW4AYm9iAHNlY3JldDI=");
}

// RFC 2195 §2, the worked example: user "tim", secret "tanstaaftanstaaf".
TEST(SaslClient, CramMd5KnownAnswerFromRfc2195) {
    EXPECT_EQ(hmac_md5_hex("tanstaaftanstaaf", "<1896.697170952@postoffice.reston.mci.net>"),
              "b913a602c7eda7a495b4e6e7334d3890");
    std::string error;
    const auto r = cram_md5_response("tim", "tanstaaftanstaaf",
                                     "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(*r, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

TEST(SaslClient, CramMd5RejectsAChallengeThatIsNotBase64) {
    std::string error;
    EXPECT_FALSE(cram_md5_response("tim", "x", "not base64!", error));
    EXPECT_NE(error.find("not base64"), std::string::npos) << error;
}

TEST(ValueExpression, ParsesVariablesFunctionsAndArguments) {
    std::string error;
    auto parts = model::parse_value_text("A ${user.login} ${repeat:'x,}',3} $${no} ${sasl-plain:user2,'w'}", error);
    ASSERT_TRUE(parts) << error;
    ASSERT_EQ(parts->size(), 6u);  // "A ", expr, " ", expr, " ${no} ", expr
    EXPECT_EQ((*parts)[1].expression->args[0].text, "user.login");
    EXPECT_EQ((*parts)[3].expression->function, "repeat");
    EXPECT_EQ((*parts)[3].expression->args[0].text, "x,}");
    EXPECT_EQ((*parts)[3].expression->args[1].kind, model::ValueArgument::Kind::number);
    EXPECT_EQ((*parts)[4].literal, " ${no} ");
    EXPECT_EQ(model::variables_of(*(*parts)[5].expression),
              (std::vector<std::string>{"user2.login", "user2.password"}));
}

TEST(ValueExpression, MalformedExpressionsAreErrorsThatSayWhatWasExpected) {
    std::string error;
    EXPECT_FALSE(model::parse_value_text("${nope:x}", error));
    EXPECT_NE(error.find("unknown value function 'nope'"), std::string::npos) << error;
    EXPECT_FALSE(model::parse_value_text("${env:HOME}", error));
    EXPECT_NE(error.find("target files only"), std::string::npos) << error;
    EXPECT_FALSE(model::parse_value_text("${base64:a,b}", error));
    EXPECT_NE(error.find("usage: ${base64:VALUE}"), std::string::npos) << error;
    EXPECT_FALSE(model::parse_value_text("${sasl-plain:'alice'}", error));
    EXPECT_NE(error.find("target user id"), std::string::npos) << error;
    EXPECT_FALSE(model::parse_value_text("${repeat:'x','3'}", error));
    EXPECT_FALSE(model::parse_value_text("${base64:'open}", error));
    EXPECT_NE(error.find("unterminated ${base64:...}"), std::string::npos) << error;
    EXPECT_TRUE(model::parse_value_text("price ${5 and {x}", error));  // not an expression: literal text
}

TEST(Values, Base64AndRepeat) {
    const auto v = table();
    EXPECT_EQ(render_ok(v, "${base64:user.login}"), "YWxpY2U=");
    EXPECT_EQ(render_ok(v, "${base64:'alice'}"), "YWxpY2U=");
    EXPECT_EQ(render_ok(v, "NOOP ${repeat:'x',4}"), "NOOP xxxx");
    EXPECT_EQ(render_ok(v, "${repeat:'ab',5}"), "ababa");  // exactly N octets
    EXPECT_EQ(render_ok(v, "${repeat:'y',n}"), "yyyyy");
    EXPECT_EQ(render_ok(v, "${repeat:'y',10000}").size(), 10000u);
    EXPECT_NE(render_problem(v, "${repeat:'',3}").message.find("empty"), std::string::npos);
    EXPECT_NE(render_problem(v, "${repeat:'x',plain}").message.find("octet count"), std::string::npos);
}

TEST(Values, SaslFunctionsComputeFromTheUser) {
    const auto v = table();
    EXPECT_EQ(render_ok(v, "AUTH PLAIN ${sasl-plain:user}"),
              "AUTH PLAIN " + sasl_plain_response("alice", "pa ss\"w\\d%"));
    EXPECT_EQ(render_ok(v, "${sasl-plain:user,'wrong'}"), sasl_plain_response("alice", "wrong"));
    std::string error;
    EXPECT_EQ(render_ok(v, "${cram-md5:user,challenge}"),
              *cram_md5_response("alice", "pa ss\"w\\d%", "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", error));
    EXPECT_NE(render_problem(v, "${sasl-plain:user3}").undefined, "");
}

// RFC 3501 §4.3: atom when every byte is ATOM-CHAR, else a quoted string with \ and " escaped,
// else (CR, LF, NUL, 8-bit) a synchronizing literal.
TEST(Values, ImapAstringIsAtomQuotedOrLiteral) {
    const auto v = table();
    EXPECT_EQ(render_ok(v, "a1 LOGIN ${imap-astring:user.login}"), "a1 LOGIN alice");
    EXPECT_EQ(render_ok(v, "${imap-astring:user.password}"), R"("pa ss\"w\\d%")");
    EXPECT_EQ(render_ok(v, "${imap-quoted:plain}"), "\"simple\"");
    EXPECT_EQ(render_ok(v, "${imap-astring:'NIL'}"), "\"NIL\"");

    Rendered r;
    ASSERT_FALSE(v.render("a1 LOGIN ${imap-astring:user2.login} ${imap-astring:user2.password}", RenderContext::line, r));
    ASSERT_EQ(r.chunks.size(), 3u);
    EXPECT_EQ(r.chunks[0].bytes, "a1 LOGIN {6}\r\n");  // "zoë.u" is 6 octets of UTF-8
    EXPECT_TRUE(r.chunks[0].literal_follows);
    EXPECT_EQ(r.chunks[1].bytes, "zoë.u {15}\r\n");
    EXPECT_TRUE(r.chunks[1].literal_follows);
    EXPECT_EQ(r.chunks[2].bytes, "mot de passe é");
    EXPECT_FALSE(r.chunks[2].literal_follows);

    ASSERT_FALSE(v.render("${imap-literal:plain}", RenderContext::line, r));
    EXPECT_EQ(r.joined(), "{6}\r\nsimple");
    // A literal cannot be carried by a regex or a tag.
    EXPECT_TRUE(v.render("${imap-literal:plain}", RenderContext::regex, r));
}

TEST(Values, ImapQuotedSkipsWhatOnlyALiteralCarries) {
    const auto v = table();
    const auto p = render_problem(v, "a1 LOGIN ${imap-quoted:user2.login} x");
    EXPECT_EQ(p.kind, RenderProblem::Kind::skip);
    EXPECT_NE(p.message.find("${user2.login}"), std::string::npos) << p.message;
    EXPECT_NE(p.message.find("RFC 3501 §4.3"), std::string::npos) << p.message;
}

// RFC 1939 §3: a space cannot be in a USER argument; PASS takes the rest of the line (§7).
TEST(Values, Pop3ArgumentsSkipWhatPop3CannotCarryWithoutShowingTheSecret) {
    const auto v = table();
    EXPECT_EQ(render_ok(v, "USER ${pop3-arg:user.login}"), "USER alice");
    EXPECT_EQ(render_ok(v, "PASS ${pop3-pass:user.password}"), "PASS pa ss\"w\\d%");
    auto p = render_problem(v, "USER ${pop3-arg:user.password}");
    EXPECT_EQ(p.kind, RenderProblem::Kind::skip);
    EXPECT_NE(p.message.find("${user.password}"), std::string::npos) << p.message;
    EXPECT_NE(p.message.find("space"), std::string::npos) << p.message;
    EXPECT_EQ(p.message.find("pa ss"), std::string::npos) << p.message;
    p = render_problem(v, "PASS ${pop3-pass:user2.password}");
    EXPECT_EQ(p.kind, RenderProblem::Kind::skip);
    EXPECT_NE(p.message.find("printable ASCII"), std::string::npos) << p.message;
    EXPECT_EQ(p.message.find("passe"), std::string::npos) << p.message;
}

TEST(Values, RawSendsDecodeEscapesOnlyInTheScenarioText) {
    const auto v = table();
    // The password holds a backslash: it is sent as it is, never taken for an escape.
    EXPECT_EQ(render_ok(v, R"(PASS ${user.password}\r\n)", RenderContext::raw), "PASS pa ss\"w\\d%\r\n");
    Rendered r;
    const auto p = v.render(R"(bad \q ${plain})", RenderContext::raw, r);
    ASSERT_TRUE(p);
    EXPECT_NE(p->message.find("bad escape"), std::string::npos) << p->message;
}

TEST(Values, SecretsAreEveryValueComputedFromAPassword) {
    const auto v = table();
    Rendered r;
    ASSERT_FALSE(v.render("a1 LOGIN ${imap-astring:user.login} ${imap-astring:user.password} ${base64:user.password} "
                          "${sasl-plain:user} ${plain}",
                          RenderContext::line, r));
    EXPECT_EQ(r.secrets, (std::vector<std::string>{R"("pa ss\"w\\d%")", "cGEgc3Mid1xkJQ==",
                                                   sasl_plain_response("alice", "pa ss\"w\\d%")}));
}

TEST(Transcript, RedactsSecretsInBothDirectionsAndNotes) {
    Transcript t;
    t.add_secret("s3cret");
    t.add_secret("AGFsaWNlAHMzY3JldA==");
    t.add_secret("");  // ignored
    t.client("default", "a1 LOGIN alice s3cret\r\n");
    t.client("default", "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
    t.server("b", "a1 NO bad password s3cret\r\n");
    t.note("default", "sent s3cret");
    EXPECT_EQ(t.text().find("s3cret"), std::string::npos) << t.text();
    EXPECT_EQ(t.text().find("AGFsaWNl"), std::string::npos) << t.text();
    EXPECT_NE(t.text().find("C: a1 LOGIN alice <redacted><CR><LF>"), std::string::npos) << t.text();
    EXPECT_NE(t.text().find("C: AUTH PLAIN <redacted><CR><LF>"), std::string::npos) << t.text();
    EXPECT_NE(t.text().find("b S: a1 NO bad password <redacted>"), std::string::npos) << t.text();
    EXPECT_EQ(t.redact("x s3cret y s3cret"), "x <redacted> y <redacted>");
}

}  // namespace
}  // namespace mailspec::harness::engine
