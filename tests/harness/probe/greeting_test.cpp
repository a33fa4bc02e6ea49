#include "greeting.hpp"

#include <gtest/gtest.h>

namespace mailspec::harness::probe {
namespace {

struct Case {
    const char* line;
    Service service;
    bool usable;
    const char* problem_fragment;
};

TEST(Greeting, RecognisesEachProtocolAndItsRefusals) {
    const Case cases[] = {
        {"220 mx.example ESMTP", Service::smtp, true, ""},
        {"220-mx.example first of many", Service::smtp, true, ""},
        {"220", Service::smtp, true, ""},
        {"421 4.3.2 busy", Service::smtp, false, "421 greeting"},
        {"554 no service", Service::smtp, false, "554 greeting"},
        {"250 odd", Service::smtp, false, "unexpected SMTP greeting code"},
        {"+OK POP3 ready <1.2@x>", Service::pop3, true, ""},
        {"+ok lower case", Service::pop3, true, ""},
        {"-ERR go away", Service::pop3, false, "-ERR greeting"},
        {"* OK [CAPABILITY IMAP4rev1] ready", Service::imap, true, ""},
        {"* PREAUTH welcome back", Service::imap, true, ""},
        {"* BYE too many connections", Service::imap, false, "BYE greeting"},
        {"* NO what", Service::imap, false, "unexpected IMAP greeting"},
        {"SSH-2.0-OpenSSH_9.2", Service::unknown, false, "unrecognised greeting \"SSH-2.0-OpenSSH_9.2\""},
        {"22 short", Service::unknown, false, "unrecognised"},
        {"2200 no", Service::unknown, false, "unrecognised"},
        {"+OKAY", Service::unknown, false, "unrecognised"},
        {"", Service::unknown, false, "unrecognised greeting \"\""},
        {"\x16\x03\x01 binary", Service::unknown, false, "<0x16><0x03><0x01>"},
    };
    for (const auto& c : cases) {
        auto g = classify_greeting(c.line);
        EXPECT_EQ(g.service, c.service) << c.line;
        EXPECT_EQ(g.usable, c.usable) << c.line;
        EXPECT_NE(g.problem.find(c.problem_fragment), std::string::npos) << c.line << ": " << g.problem;
        if (c.usable) EXPECT_TRUE(g.problem.empty()) << c.line;
        EXPECT_EQ(g.preauth, std::string(c.line).rfind("* PREAUTH", 0) == 0) << c.line;
    }
}

}  // namespace
}  // namespace mailspec::harness::probe
