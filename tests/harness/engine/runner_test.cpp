// Runs scenarios against the in-memory peer and checks the outcome classification of
// harness/engine/runner.hpp (STYLE.md #5), transcripts, captures, send-file modes and cleanup.
// Server bytes are delivered whole and again split at every byte.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "mailspec/harness/engine/runner.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"
#include "memory_transport.hpp"

namespace mailspec::harness::engine {
namespace {

using model::Outcome;
using testing::MemoryConnector;
using testing::PeerScript;

model::Target test_target() {
    model::Target t;
    t.name = "memory";
    t.host = "127.0.0.1";
    t.endpoints = {{"smtp", model::Protocol::smtp, 25, model::TlsMode::plain, {}},
                   {"smtps", model::Protocol::smtp, 465, model::TlsMode::implicit, {}},
                   {"pop3", model::Protocol::pop3, 110, model::TlsMode::plain, {}},
                   {"imap", model::Protocol::imap, 143, model::TlsMode::plain, {}}};
    t.users = {{"user", "alice", "secret1", "alice@example.test"}};
    t.vars["domain"] = "example.test";
    return t;
}

model::Scenario load_one(const std::string& xml) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "memory.xml", errors);
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front().str());
    EXPECT_EQ(scenarios.size(), 1u);
    return scenarios.empty() ? model::Scenario{} : scenarios.front();
}

model::ScenarioResult run(const std::string& xml, MemoryConnector& connector) {
    const auto scenario = load_one(xml);
    const auto target = test_target();
    RunSettings settings;
    settings.connector = &connector;
    return run_scenario(scenario, target, settings);
}

const char* smtp_ehlo_xml = R"(<scenario id="t.smtp" protocol="smtp" rfc="5321#4.1.1.1" level="MUST">
  <connect endpoint="smtp"/>
  <expect code="220"/>
  <send>EHLO client.example</send>
  <expect code="2xx"><line matches="^PIPELINING$"/><no-line matches="^STARTTLS"/></expect>
  <send>QUIT</send>
  <expect code="221"/>
  <expect-close/>
</scenario>)";

const std::vector<std::string> smtp_ehlo_turns = {"220 mx.example ESMTP\r\n",
                                                  "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
                                                  "221 2.0.0 bye\r\n"};

TEST(Runner, PassesWithRepliesSplitAtEveryByte) {
    std::size_t total = 0;
    for (const auto& t : smtp_ehlo_turns) total = std::max(total, t.size());
    for (std::size_t chunk = 1; chunk <= total; ++chunk) {
        MemoryConnector c;
        c.add(25, PeerScript{smtp_ehlo_turns, true, false, chunk});
        const auto r = run(smtp_ehlo_xml, c);
        ASSERT_EQ(r.outcome, Outcome::pass) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
        EXPECT_EQ(c.records.at(0)->written, "EHLO client.example\r\nQUIT\r\n");
    }
}

TEST(Runner, TranscriptShowsBothDirectionsWithVisibleLineEnds) {
    MemoryConnector c;
    c.add(25, PeerScript{smtp_ehlo_turns, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_NE(r.transcript.find("C: EHLO client.example<CR><LF>"), std::string::npos) << r.transcript;
    EXPECT_NE(r.transcript.find("S: 250-PIPELINING<CR><LF>"), std::string::npos) << r.transcript;
}

TEST(Runner, WrongCodeIsFailWithStepLocationExpectedAndActual) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "550 5.7.1 go away\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(r.step_where.str(), "memory.xml:5");
    EXPECT_EQ(r.expected, "reply code 2xx");
    EXPECT_NE(r.actual.find("550"), std::string::npos);
    EXPECT_EQ(r.rfc, "5321#4.1.1.1");
}

// RFC 5321 §4.3.2: a 421 may answer any command; it decides nothing, so the scenario is ERROR.
TEST(Runner, ShutdownReplyIsErrorNotFail) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "421 4.3.2 shutting down\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::error) << r.message;
    EXPECT_NE(r.message.find("inconclusive"), std::string::npos) << r.message;
}

TEST(Runner, LineCheckFailureNamesTheLineElement) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250-mx\r\n250 STARTTLS\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(r.step_where.line, 5);
    EXPECT_NE(r.message.find("^PIPELINING$"), std::string::npos) << r.message;
}

TEST(Runner, SilenceBeforeAnyByteIsError) {
    MemoryConnector c;
    c.add(25, PeerScript{{""}, false});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::error) << r.message;
    EXPECT_NE(r.message.find("timeout"), std::string::npos);
}

TEST(Runner, PartialReplyThenTimeoutIsFail) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hal"}, false, false, 1});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_NE(r.message.find("incomplete"), std::string::npos) << r.message;
}

TEST(Runner, CloseMidReplyIsFail) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250-mx\r\n250-PIPE"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.message.find("middle"), std::string::npos) << r.message;
}

TEST(Runner, CloseInsteadOfReplyIsFail) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.message.find("closed"), std::string::npos) << r.message;
}

TEST(Runner, GarbageIsFailAsMalformed) {
    MemoryConnector c;
    c.add(25, PeerScript{{"HELLO THERE\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.message.find("malformed"), std::string::npos) << r.message;
}

TEST(Runner, OverlongLineIsFailNotAHang) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 " + std::string(200 * 1024, 'x')}, false, false, 64 * 1024});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_LT(r.transcript.size(), 64u * 1024u);  // the transcript is cut, not 200 KB
}

TEST(Runner, RefusedConnectionIsError) {
    MemoryConnector c;  // no script for port 25: refused
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::error);
    EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
}

TEST(Runner, ImplicitTlsFailureIsError) {
    MemoryConnector c;
    c.add(465, PeerScript{{"220 hi\r\n"}, true, true});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtps"/><expect code="220"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::error);
    EXPECT_NE(r.message.find("TLS"), std::string::npos) << r.message;
}

TEST(Runner, ExpectCloseFailsWhenTheServerKeepsTalking) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250-mx\r\n250 PIPELINING\r\n", "221 bye\r\n250 surprise\r\n"}, true});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(r.step_where.line, 8);
}

TEST(Runner, ExpectCloseFailsWhenTheServerStaysOpen) {
    MemoryConnector c;
    c.add(25, PeerScript{smtp_ehlo_turns, false});
    const auto r = run(smtp_ehlo_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.message.find("did not close"), std::string::npos) << r.message;
}

TEST(Runner, RequiresStepSkipsWhenCapabilityAbsent) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250-mx\r\n250 SIZE 100\r\n"}, true});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>EHLO x</send><expect code="250"/><requires capability="chunking"/>
      <send>BDAT 0 LAST</send><expect code="250"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_NE(r.message.find("chunking"), std::string::npos);
}

TEST(Runner, RequiresStepPassesWithAuthMechanism) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250-mx\r\n250 AUTH PLAIN LOGIN\r\n"}, true});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>EHLO x</send><expect code="250"/><requires capability="AUTH=LOGIN"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
}

TEST(Runner, ScenarioRequiresAsksOnASeparateConnection) {
    MemoryConnector c;
    c.add(110, PeerScript{{"+OK ready\r\n", "+OK caps\r\nUSER\r\nTOP\r\n.\r\n"}, true});
    const auto r = run(R"(<scenario id="t" protocol="pop3" requires="UIDL"><connect endpoint="pop3"/>
      <expect status="+OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message << r.transcript;
    EXPECT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.records.at(0)->written, "CAPA\r\nQUIT\r\n");
}

TEST(Runner, Pop3CaptureFeedsLaterSends) {
    for (std::size_t chunk = 1; chunk <= 40; ++chunk) {  // every split of the longest turn (38 bytes)
        MemoryConnector c;
        c.add(110, PeerScript{{"+OK POP3 ready\r\n", "+OK\r\n", "+OK logged in\r\n", "+OK 2 320\r\n",
                               "+OK list\r\n1 120\r\n2 200\r\n..dot\r\n.\r\n", "+OK bye\r\n"},
                              true, false, chunk});
        const auto r = run(R"X(<scenario id="t" protocol="pop3"><connect endpoint="pop3"/>
          <expect status="+OK"/>
          <send>USER ${user.login}</send><expect status="+OK"/>
          <send>PASS ${user.password}</send><expect status="+OK"/>
          <send>STAT</send><expect status="+OK"><line matches="^\+OK ([0-9]+) ([0-9]+)" capture="count,octets"/></expect>
          <send>LIST</send><expect status="+OK" multiline="true"><line matches="^${count} 200$"/><line matches="^\.dot$"/></expect>
          <send>QUIT ${octets}</send><expect status="+OK"/><expect-close/></scenario>)X", c);
        ASSERT_EQ(r.outcome, Outcome::pass) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
        EXPECT_EQ(c.records.at(0)->written, "USER alice\r\nPASS secret1\r\nSTAT\r\nLIST\r\nQUIT 320\r\n");
    }
}

TEST(Runner, UndefinedVariableAtRunTimeIsError) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n"}, true});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>MAIL FROM:&lt;${nobody}&gt;</send></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::error);
    EXPECT_NE(r.message.find("${nobody}"), std::string::npos) << r.message;
}

TEST(Runner, ImapTaggedResponseWithLiteralAndTwoSessions) {
    const std::string fetch = "* 1 FETCH (BODY[] {12}\r\nline1\r\nline2)\r\n* OK [UIDVALIDITY 77] ok\r\na2 OK done\r\n";
    for (std::size_t chunk = 1; chunk <= fetch.size(); ++chunk) {  // every split position
        MemoryConnector c;
        c.add(143, PeerScript{{"* OK IMAP ready\r\n", "a1 OK logged in\r\n", fetch}, false, false, chunk});
        c.add(143, PeerScript{{"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", "tls1 OK begin\r\n",
                               "* STATUS INBOX (UIDVALIDITY 77)\r\nb1 OK\r\n"},
                              false, false, chunk});
        const auto r = run(R"X(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
          <send>a1 LOGIN ${user.login} ${user.password}</send><expect tag="a1" status="OK"/>
          <send>a2 FETCH 1 BODY[]</send>
          <expect tag="a2" status="OK"><line matches="line1\r\nline2" /><line matches="UIDVALIDITY ([0-9]+)" capture="uv"/></expect>
          <connect session="b" endpoint="imap"/><expect session="b" status="OK"/>
          <requires session="b" capability="STARTTLS"/>
          <starttls session="b"/>
          <send session="b">b1 STATUS INBOX (UIDVALIDITY)</send>
          <expect session="b" tag="b1" status="OK"><line matches="UIDVALIDITY ${uv}\)"/></expect>
          </scenario>)X", c);
        ASSERT_EQ(r.outcome, Outcome::pass) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
        EXPECT_EQ(c.records.at(1)->written, "tls1 STARTTLS\r\nb1 STATUS INBOX (UIDVALIDITY)\r\n");
        EXPECT_EQ(c.records.at(1)->tls_handshakes, 1);
    }
}

TEST(Runner, ImapWrongTaggedStatusIsFail) {
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK ready\r\n", "* BAD what\r\na1 NO [AUTHENTICATIONFAILED] nope\r\n"}, false});
    const auto r = run(R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <send>a1 LOGIN a b</send><expect tag="a1" status="OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(r.expected, "status OK");
    EXPECT_NE(r.actual.find("NO"), std::string::npos) << r.actual;
}

TEST(Runner, StarttlsDataBeforeHandshakeIsFail) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "220 go ahead\r\n250 injected\r\n"}, false});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <starttls/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_NE(r.message.find("before the TLS handshake"), std::string::npos) << r.message;
}

TEST(Runner, TlsHandshakeExpectedToFail) {
    {
        MemoryConnector c;
        c.add(25, PeerScript{{"220 hi\r\n", "220 go\r\n"}, false, true});
        const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
          <send>STARTTLS</send><expect code="220"/><tls-handshake max-version="1.1" expect="fail"/></scenario>)", c);
        EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
    }
    {
        MemoryConnector c;
        c.add(25, PeerScript{{"220 hi\r\n", "220 go\r\n"}, false, false});
        const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
          <send>STARTTLS</send><expect code="220"/><tls-handshake max-version="1.1" expect="fail"/></scenario>)", c);
        EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    }
}

TEST(Runner, TlsHandshakeExpectAnyAcceptsARefusal) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "220 go\r\n"}, false, true});
    const auto r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>STARTTLS</send><expect code="220"/><tls-handshake expect="any"/><send>NOOP</send></scenario>)X", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
    EXPECT_EQ(c.records.at(0)->written, "STARTTLS\r\n");  // nothing after the refused handshake
}

TEST(Runner, CloseDropsTheSessionAndTheNameCanBeReused) {
    MemoryConnector c;
    c.add(110, PeerScript{{"+OK ready\r\n"}, false});
    c.add(110, PeerScript{{"+OK again\r\n"}, false});
    const auto r = run(R"X(<scenario id="t" protocol="pop3"><connect endpoint="pop3"/><expect status="+OK"/>
      <close/><connect endpoint="pop3"/><expect status="+OK"><line matches="again"/></expect></scenario>)X", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_TRUE(c.records.at(0)->closed);
    EXPECT_EQ(c.records.at(0)->written, "");
}

TEST(Runner, RawSendDecodesEscapes) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250 ok\r\n"}, false});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send-raw>NOOP\r\nNOOP\n\x00\\</send-raw><send raw="RSET\r\n"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
    EXPECT_EQ(c.records.at(0)->written, std::string("NOOP\r\nNOOP\n\0\\RSET\r\n", 19));
}

class FixtureFile {
public:
    explicit FixtureFile(const std::string& content) {
        char name[] = "/tmp/mailspec-fixture-XXXXXX";
        const int fd = ::mkstemp(name);
        EXPECT_GE(fd, 0);
        ::close(fd);
        path = name;
        std::ofstream(path, std::ios::binary) << content;
    }
    ~FixtureFile() { std::remove(path.c_str()); }
    std::string path;
};

TEST(Runner, SendFileSmtpDataDotStuffsAndTerminates) {
    FixtureFile f("Subject: x\n\n.\n..two\nlast line");
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "250 queued\r\n"}, false});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send-file path=")" + f.path + R"(" mode="smtp-data"/><expect code="250"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
    EXPECT_EQ(c.records.at(0)->written, "Subject: x\r\n\r\n..\r\n...two\r\nlast line\r\n.\r\n");
}

TEST(Runner, SendFileImapLiteralWaitsForContinuation) {
    FixtureFile f("Subject: y\r\n\r\nbody\r\n");
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK hi\r\n", "+ go ahead\r\n", "a1 OK [APPENDUID 1 5] done\r\n"}, false});
    const auto r = run(R"X(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <send-file path=")X" + f.path + R"X(" mode="imap-literal" prefix="a1 APPEND INBOX (\Seen)"/>
      <expect tag="a1" status="OK"><line matches="APPENDUID"/></expect></scenario>)X", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message << r.transcript;
    EXPECT_EQ(c.records.at(0)->written, "a1 APPEND INBOX (\\Seen) {20}\r\nSubject: y\r\n\r\nbody\r\n\r\n");
}

TEST(Runner, SendFileImapLiteralRefusedIsFail) {
    FixtureFile f("x");
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK hi\r\n", "a1 NO [TOOBIG] too big\r\n"}, false});
    const auto r = run(R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <send-file path=")" + f.path + R"(" mode="imap-literal" prefix="a1 APPEND INBOX"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
}

TEST(Runner, CleanupRunsAfterAFailure) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "500 no\r\n"}, true});
    c.add(25, PeerScript{{"220 hi\r\n", "221 bye\r\n"}, true});
    const auto r = run(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>NOOP</send><expect code="250"/>
      <cleanup><connect endpoint="smtp"/><expect code="220"/><send>QUIT</send><expect code="221"/></cleanup>
      </scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.records.at(1)->written, "QUIT\r\n");
    EXPECT_NE(r.transcript.find("cleanup"), std::string::npos);
}

TEST(Runner, UnconnectedSessionIsScenarioError) {
    MemoryConnector c;
    const auto r = run(R"(<scenario id="t" protocol="smtp"><send>NOOP</send></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::error);
    EXPECT_NE(r.message.find("not connected"), std::string::npos) << r.message;
}

TEST(Runner, ParallelRunKeepsInputOrder) {
    MemoryConnector c;
    std::vector<model::Scenario> scenarios;
    for (int i = 0; i < 6; ++i) {
        c.add(25, PeerScript{smtp_ehlo_turns, true});
        scenarios.push_back(load_one(smtp_ehlo_xml));
        scenarios.back().id = "t" + std::to_string(i);
    }
    std::vector<const model::Scenario*> pointers;
    for (const auto& s : scenarios) pointers.push_back(&s);
    const auto target = test_target();
    RunSettings settings;
    settings.connector = &c;
    int reported = 0;
    const auto results = run_scenarios(pointers, target, settings, 3, [&](const model::ScenarioResult&) { ++reported; });
    ASSERT_EQ(results.size(), 6u);
    EXPECT_EQ(reported, 6);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(results[i].id, "t" + std::to_string(i));
        EXPECT_EQ(results[i].outcome, Outcome::pass) << results[i].message;
    }
}

}  // namespace
}  // namespace mailspec::harness::engine

namespace mailspec::harness::engine {
namespace {

// Targets as users have them (issue 9): what the target lacks makes the scenario SKIP with the
// reason, before any connection.
TEST(RunnerTargets, MissingEndpointIsSkipNamingIt) {
    MemoryConnector c;
    const auto r = run(R"(<scenario id="t" protocol="pop3"><connect endpoint="pop3s"/><expect status="+OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_EQ(r.message, "target has no pop3s endpoint");
    EXPECT_TRUE(c.records.empty());  // nothing was connected
}

TEST(RunnerTargets, MissingSecondUserOrAddressIsSkip) {
    MemoryConnector c;
    auto r = run(R"(<scenario id="t" protocol="pop3"><connect endpoint="pop3"/><expect status="+OK"/>
      <send>USER ${pop3-arg:user2.login}</send><expect status="+OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_EQ(r.message, "target has no second user (user id 'user2')");
    c.add(143, PeerScript{{"* OK hi\r\n"}, true});
    r = run(R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect/>
      <send>a1 AUTHENTICATE PLAIN ${sasl-plain:user3}</send><expect tag="a1"/></scenario>)", c);
    // A name outside the standard target shape is a scenario bug, not an absent account.
    EXPECT_EQ(r.outcome, Outcome::error) << r.message;
    EXPECT_NE(r.message.find("undefined variable ${user3.login}"), std::string::npos) << r.message;
    model::Target no_address = test_target();
    no_address.users[0].address.clear();
    RunSettings settings;
    settings.connector = &c;
    r = run_scenario(load_one(R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>MAIL FROM:&lt;${user.address}&gt;</send><expect code="250"/></scenario>)"), no_address, settings);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_EQ(r.message, "target user 'user' has no address");
    // A capture made by an earlier step is not a target variable.
    c.add(25, PeerScript{{"220 hi\r\n", "250 ok\r\n"}, true});
    r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"><line matches="^(\S+)" capture="w"/></expect>
      <send>NOOP ${w}</send><expect code="250"/></scenario>)X", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
}

// RFC 3501 §4.3 / §7.5: a value that needs a literal is sent as "{n}", the "+" is awaited, then
// the octets follow; the password never reaches the transcript.
TEST(RunnerValues, ImapLiteralWaitsForContinuationAndIsRedacted) {
    model::Target t = test_target();
    t.users = {{"user", "zoë", "pässwörd x", ""}};
    const auto scenario = load_one(R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <send>a1 LOGIN ${imap-astring:user.login} ${imap-astring:user.password}</send><expect tag="a1" status="OK"/></scenario>)");
    for (std::size_t chunk = 1; chunk <= 20; ++chunk) {
        MemoryConnector c;
        c.add(143, PeerScript{{"* OK ready\r\n", "+ go\r\n", "+ go on\r\n", "a1 OK done\r\n"}, true, false, chunk});
        RunSettings settings;
        settings.connector = &c;
        const auto r = run_scenario(scenario, t, settings);
        ASSERT_EQ(r.outcome, Outcome::pass) << r.message << "\n" << r.transcript;
        EXPECT_EQ(c.records.at(0)->written, "a1 LOGIN {4}\r\nzoë {12}\r\npässwörd x\r\n");
        EXPECT_EQ(r.transcript.find("pässwörd"), std::string::npos) << r.transcript;
        EXPECT_NE(r.transcript.find("C: <redacted><CR><LF>"), std::string::npos) << r.transcript;
    }
}

TEST(RunnerValues, RefusedLiteralIsFail) {
    model::Target t = test_target();
    t.users = {{"user", "u", "p\xff", ""}};
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK ready\r\n", "a1 BAD no literals\r\n"}, true});
    RunSettings settings;
    settings.connector = &c;
    const auto r = run_scenario(load_one(R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/><expect status="OK"/>
      <send>a1 LOGIN u ${imap-astring:user.password}</send><expect tag="a1" status="OK"/></scenario>)"), t, settings);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_EQ(r.message, "the server did not accept the literal");
}

TEST(RunnerValues, ValueTheProtocolCannotCarryIsSkipNamingTheVariable) {
    model::Target t = test_target();
    t.users = {{"user", "first last", "pw", ""}};
    MemoryConnector c;
    c.add(110, PeerScript{{"+OK ready\r\n"}, true});
    RunSettings settings;
    settings.connector = &c;
    const auto r = run_scenario(load_one(R"(<scenario id="t" protocol="pop3"><connect endpoint="pop3"/><expect status="+OK"/>
      <send>USER ${pop3-arg:user.login}</send><expect status="+OK"/></scenario>)"), t, settings);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_NE(r.message.find("${user.login}"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("RFC 1939"), std::string::npos) << r.message;
    EXPECT_EQ(c.records.at(0)->written, "");  // nothing was sent
}

const char* auth_plain_xml = R"(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
  <send>AUTH PLAIN ${sasl-plain:user}</send><expect code="235"/>
  <send>AUTH LOGIN</send><expect code="334"/><send>${base64:user.login}</send><expect code="334"/>
  <send>${base64:user.password}</send><expect code="235"><line matches="^never$"/></expect></scenario>)";

TEST(RunnerSecrets, PasswordsAndSaslResponsesAreRedactedEverywhere) {
    MemoryConnector c;
    // A hostile server even echoes the password into its reply.
    c.add(25, PeerScript{{"220 hi\r\n", "235 ok\r\n", "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "235 secret1 ok\r\n"}, true});
    const auto r = run(auth_plain_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(c.records.at(0)->written,
              "AUTH PLAIN AGFsaWNlAHNlY3JldDE=\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0MQ==\r\n");
    for (const std::string leak : {"secret1", "AGFsaWNlAHNlY3JldDE=", "c2VjcmV0MQ=="}) {
        EXPECT_EQ(r.transcript.find(leak), std::string::npos) << leak << " in\n" << r.transcript;
        EXPECT_EQ(r.actual.find(leak), std::string::npos) << leak << " in " << r.actual;
    }
    EXPECT_NE(r.transcript.find("C: AUTH PLAIN <redacted><CR><LF>"), std::string::npos) << r.transcript;
    EXPECT_NE(r.transcript.find("C: YWxpY2U=<CR><LF>"), std::string::npos) << "the login is not a secret";
    EXPECT_NE(r.actual.find("<redacted>"), std::string::npos) << r.actual;
}

TEST(RunnerSecrets, ShowSecretsKeepsThem) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "235 ok\r\n", "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "235 ok\r\n"}, true});
    const auto target = test_target();
    RunSettings settings;
    settings.connector = &c;
    settings.show_secrets = true;
    const auto r = run_scenario(load_one(auth_plain_xml), target, settings);
    EXPECT_NE(r.transcript.find("C: AUTH PLAIN AGFsaWNlAHNlY3JldDE=<CR><LF>"), std::string::npos) << r.transcript;
    EXPECT_NE(r.transcript.find("C: c2VjcmV0MQ==<CR><LF>"), std::string::npos) << r.transcript;
}

// CRAM-MD5 over SMTP framing: the 334 text is the challenge, captured and answered.
TEST(RunnerValues, CramMd5AnswersTheCapturedChallenge) {
    model::Target t = test_target();
    t.users = {{"user", "tim", "tanstaaftanstaaf", ""}};
    MemoryConnector c;
    c.add(25, PeerScript{{"220 hi\r\n", "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n", "235 ok\r\n"}, true});
    RunSettings settings;
    settings.connector = &c;
    const auto r = run_scenario(load_one(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>AUTH CRAM-MD5</send><expect code="334"><line matches="^(\S+)$" capture="challenge"/></expect>
      <send>${cram-md5:user,challenge}</send><expect code="235"/></scenario>)X"), t, settings);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message << r.transcript;
    EXPECT_EQ(c.records.at(0)->written, "AUTH CRAM-MD5\r\ndGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
}

}  // namespace
}  // namespace mailspec::harness::engine
