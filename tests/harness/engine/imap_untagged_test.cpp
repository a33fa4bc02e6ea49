// issue 9 item 7: an IMAP <expect> without tag reads one untagged response (RFC 3501 §2.2.2, §7),
// or one "+" continuation request with continuation="true" (§7.5); any other kind of line is a
// FAIL naming it. Every case also runs with the server's bytes split at every position.
#include <gtest/gtest.h>

#include "run_helpers.hpp"

namespace mailspec::harness::engine {
namespace {

using model::Outcome;
using testing::MemoryConnector;
using testing::PeerScript;
using testing::run_text;

const char* greeting_xml = R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/>
  <expect status="OK"/>
  <send>a1 LOGOUT</send><expect tag="a1" status="OK"/></scenario>)";

model::ScenarioResult run_split(const char* xml, const std::vector<std::string>& turns, std::size_t chunk) {
    MemoryConnector c;
    c.add(143, PeerScript{turns, true, false, chunk});
    return run_text(xml, c);
}

TEST(ImapUntagged, GreetingOkPasses) {
    const std::vector<std::string> turns = {"* OK [CAPABILITY IMAP4rev1] ready\r\n", "* BYE bye\r\na1 OK done\r\n"};
    for (std::size_t chunk = 1; chunk <= turns[0].size(); ++chunk) {
        const auto r = run_split(greeting_xml, turns, chunk);
        ASSERT_EQ(r.outcome, Outcome::pass) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
    }
}

TEST(ImapUntagged, TaggedLineBeforeTheGreetingIsFailNamingIt) {
    const std::vector<std::string> turns = {"a1 OK ready\r\n", "a1 OK done\r\n"};
    for (std::size_t chunk = 1; chunk <= turns[0].size(); ++chunk) {
        const auto r = run_split(greeting_xml, turns, chunk);
        ASSERT_EQ(r.outcome, Outcome::fail) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
        EXPECT_EQ(r.message, "expected an untagged response, got the tagged line a1 OK ready");
        EXPECT_EQ(r.actual, "a1 OK ready");
        EXPECT_EQ(r.step_where.str(), "memory.xml:2");  // the <expect>, not the scenario
    }
}

TEST(ImapUntagged, ContinuationWhereAnUntaggedResponseIsExpectedIsFail) {
    const auto r = run_split(greeting_xml, {"+ go ahead\r\n"}, 1 << 20);
    ASSERT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_EQ(r.message, "expected an untagged response, got the continuation request + go ahead");
}

const char* idle_xml = R"(<scenario id="t" protocol="imap"><connect endpoint="imap"/>
  <expect status="OK"/>
  <send>a1 IDLE</send>
  <expect continuation="true"/>
  <send>DONE</send><expect tag="a1" status="OK"/></scenario>)";

TEST(ImapUntagged, ContinuationRequestPasses) {
    const std::vector<std::string> turns = {"* OK ready\r\n", "+ idling\r\n", "a1 OK IDLE done\r\n"};
    for (std::size_t chunk = 1; chunk <= 16; ++chunk) {
        const auto r = run_split(idle_xml, turns, chunk);
        ASSERT_EQ(r.outcome, Outcome::pass) << "chunk " << chunk << ": " << r.message << "\n" << r.transcript;
    }
}

TEST(ImapUntagged, TaggedLineWhereAContinuationIsExpectedIsFail) {
    const auto r = run_split(idle_xml, {"* OK ready\r\n", "a1 BAD no IDLE here\r\n"}, 1 << 20);
    ASSERT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_EQ(r.message, "expected a continuation request, got the tagged line a1 BAD no IDLE here");
    EXPECT_EQ(r.step_where.str(), "memory.xml:4");
}

TEST(ImapUntagged, UntaggedLineWhereAContinuationIsExpectedIsFail) {
    const auto r = run_split(idle_xml, {"* OK ready\r\n", "* 3 EXISTS\r\n"}, 1 << 20);
    ASSERT_EQ(r.outcome, Outcome::fail) << r.message;
    EXPECT_EQ(r.message, "expected a continuation request, got the untagged response * 3 EXISTS");
}

}  // namespace
}  // namespace mailspec::harness::engine
