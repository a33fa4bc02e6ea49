// issue 9 item 7: a scenario's requirements (<requires> before the first step, requires="...") are
// decided on the first capability response the scenario reads on the session it opens first, before
// that <expect>'s own checks; when it reads none, by a capability query on a connection of its own.
#include <gtest/gtest.h>

#include "run_helpers.hpp"

namespace mailspec::harness::engine {
namespace {

using model::Outcome;
using testing::MemoryConnector;
using testing::PeerScript;
using testing::run_text;

const char* smtp_size_xml = R"(<scenario id="t" protocol="smtp">
  <requires capability="SIZE"/>
  <connect endpoint="smtp"/>
  <expect code="220"/>
  <send>EHLO client.example</send>
  <expect code="250"><line matches="^SIZE [0-9]+$"/></expect>
  <send>QUIT</send><expect code="221"/></scenario>)";

TEST(Requirements, DecidedOnTheScenariosOwnEhloWithoutAnotherConnection) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 mx\r\n", "250-mx\r\n250 SIZE 1000\r\n", "221 bye\r\n"}, true});
    const auto r = run_text(smtp_size_xml, c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message << "\n" << r.transcript;
    ASSERT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.records.at(0)->written, "EHLO client.example\r\nQUIT\r\n");
}

TEST(Requirements, NotAdvertisedIsSkipBeforeTheExpectsOwnChecks) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 mx\r\n", "250-mx\r\n250 PIPELINING\r\n", "221 bye\r\n"}, true});
    const auto r = run_text(smtp_size_xml, c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message << "\n" << r.transcript;
    EXPECT_EQ(r.message, "the server does not advertise SIZE");
    EXPECT_EQ(r.step_where.str(), "memory.xml:2");  // the <requires> element
    EXPECT_EQ(c.records.size(), 1u);
}

TEST(Requirements, ARefusedCapabilityCommandIsJudgedByTheExpectFirst) {
    MemoryConnector c;
    c.add(25, PeerScript{{"220 mx\r\n", "502 no EHLO\r\n"}, true});
    const auto r = run_text(smtp_size_xml, c);
    EXPECT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_EQ(r.step_where.str(), "memory.xml:6");
}

TEST(Requirements, AttributeFormIsDecidedTheSameWay) {
    MemoryConnector c;
    c.add(110, PeerScript{{"+OK ready\r\n", "+OK caps\r\nUSER\r\n.\r\n", "+OK bye\r\n"}, true});
    const auto r = run_text(R"(<scenario id="t" protocol="pop3" requires="UIDL"><connect endpoint="pop3"/>
      <expect status="+OK"/><send>CAPA</send><expect status="+OK" multiline="true"/>
      <send>QUIT</send><expect status="+OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_EQ(r.step_where.str(), "memory.xml:1");  // the <scenario> carrying requires=
    ASSERT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.records.at(0)->written, "CAPA\r\n");
}

const char* imap_idle_xml = R"(<scenario id="t" protocol="imap">
  <requires capability="IDLE"/>
  <connect endpoint="imap"/>
  <expect status="OK"/>
  <send>a1 CAPABILITY</send>
  <expect tag="a1" status="OK"/>
  <send>a2 LOGOUT</send><expect tag="a2" status="OK"/></scenario>)";

TEST(Requirements, ImapGreetingCapabilityCodeDecidesFirst) {
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK [CAPABILITY IMAP4rev1] ready\r\n", "* CAPABILITY IMAP4rev1 IDLE\r\na1 OK\r\n"}, true});
    const auto r = run_text(imap_idle_xml, c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message << "\n" << r.transcript;
    EXPECT_EQ(c.records.at(0)->written, "");  // decided on the greeting: nothing sent
}

TEST(Requirements, ImapCapabilityResponseDecidesWhenTheGreetingHasNone) {
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK ready\r\n", "* CAPABILITY IMAP4rev1 IDLE\r\na1 OK\r\n", "* BYE\r\na2 OK\r\n"}, true});
    const auto r = run_text(imap_idle_xml, c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message << "\n" << r.transcript;
    EXPECT_EQ(c.records.size(), 1u);
}

TEST(Requirements, ScenarioReadingNoCapabilityResponseAsksOnItsOwnConnection) {
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK ready\r\n", "* CAPABILITY IMAP4rev1 IDLE\r\nr1 OK\r\n"}, true});
    c.add(143, PeerScript{{"* OK ready\r\n", "* BYE\r\na2 OK\r\n"}, true});
    const auto r = run_text(R"(<scenario id="t" protocol="imap"><requires capability="IDLE"/>
      <connect endpoint="imap"/><expect status="OK"/>
      <send>a2 LOGOUT</send><expect tag="a2" status="OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::pass) << r.message << "\n" << r.transcript;
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.records.at(0)->written, "r1 CAPABILITY\r\nr2 LOGOUT\r\n");
    EXPECT_EQ(c.records.at(1)->written, "a2 LOGOUT\r\n");
}

TEST(Requirements, OwnQueryNotAdvertisedIsSkipAndNoStepRuns) {
    MemoryConnector c;
    c.add(143, PeerScript{{"* OK ready\r\n", "* CAPABILITY IMAP4rev1\r\nr1 OK\r\n"}, true});
    const auto r = run_text(R"(<scenario id="t" protocol="imap"><requires capability="IDLE"/>
      <connect endpoint="imap"/><expect status="OK"/></scenario>)", c);
    EXPECT_EQ(r.outcome, Outcome::skip) << r.message;
    EXPECT_EQ(c.records.size(), 1u);
}

}  // namespace
}  // namespace mailspec::harness::engine
