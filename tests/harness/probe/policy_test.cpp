#include "policy.hpp"
#include "policy_loader.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace mailspec::harness::probe {
namespace {

TEST(Policy, DefaultRolesFollowIssueSix) {
    Policy p = default_policy();
    EXPECT_EQ(policy_ports(p), (std::vector<unsigned short>{25, 26, 465, 587, 2525, 110, 995, 143, 993}));
    auto role = [&](unsigned short port) { return *find_role(p, port); };
    EXPECT_EQ(role(465).tls, TlsRequirement::implicit);
    EXPECT_EQ(role(587).tls, TlsRequirement::starttls);
    EXPECT_TRUE(role(587).auth_required);
    EXPECT_EQ(role(995).service, Service::pop3);
    EXPECT_EQ(role(993).rfc, "RFC 8314 §3.2");
    EXPECT_TRUE(role(26).informational);
    EXPECT_TRUE(role(2525).informational);
    for (const auto& r : p.roles) EXPECT_EQ(r.presence, Presence::any) << r.port;
    EXPECT_EQ(find_role(p, 10025), nullptr);
}

const char* kGood = R"(<?xml version="1.0"?>
<probe-policy name="test layout">
  <certificate chain="ignore" host-name="required" name="mail.test" warn-days="7"/>
  <tls legacy="allowed"/>
  <port number="10025" role="smtp"/>
  <port number="10587" role="submission" auth-before-tls="warning"/>
  <port number="10993" role="imaps" presence="any"/>
  <port number="10110" service="pop3" tls="none"/>
</probe-policy>
)";

TEST(PolicyLoader, ReadsRolesAndOverrides) {
    std::string error;
    auto p = parse_policy(kGood, "good.xml", error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->name, "test layout");
    EXPECT_FALSE(p->certificate.require_chain);
    EXPECT_TRUE(p->certificate.require_host_name);
    EXPECT_EQ(p->certificate.host_name, "mail.test");
    EXPECT_EQ(p->certificate.warn_days_left, 7);
    EXPECT_FALSE(p->forbid_legacy_tls);
    ASSERT_EQ(p->roles.size(), 4u);
    EXPECT_EQ(p->roles[0].role, "smtp");
    EXPECT_EQ(p->roles[0].presence, Presence::open);  // a policy file states what must be there
    EXPECT_EQ(p->roles[0].source, "good.xml:5");
    EXPECT_EQ(p->roles[1].auth_before_tls, Severity::warning);
    EXPECT_TRUE(p->roles[1].auth_required);
    EXPECT_EQ(p->roles[2].presence, Presence::any);
    EXPECT_EQ(p->roles[3].role, "custom");
    EXPECT_EQ(p->roles[3].service, Service::pop3);
    EXPECT_EQ(p->roles[3].tls, TlsRequirement::none);
}

struct BadPolicy {
    const char* xml;
    const char* expected;  // fragment of the error, file:line included
};

TEST(PolicyLoader, BadFilesGiveFileLineExpectedAndFound) {
    const BadPolicy cases[] = {
        {"<probe-policy><port number='25'", "bad.xml:1: XML is not well-formed"},
        {"<policy/>", "bad.xml:1: expected root element <probe-policy>, found <policy>"},
        {"<probe-policy>\n</probe-policy>", "bad.xml:1: <probe-policy> names no <port>"},
        {"<probe-policy>\n<port number='99999' role='smtp'/>\n</probe-policy>",
         "bad.xml:2: <port> attribute number: expected 1..65535, found \"99999\""},
        {"<probe-policy>\n\n<port number='x25'/>\n</probe-policy>", "bad.xml:3: <port> attribute number"},
        {"<probe-policy>\n<port role='smtp'/>\n</probe-policy>", "bad.xml:2: <port> needs attribute number"},
        {"<probe-policy>\n<port number='25' role='smtps'/>\n</probe-policy>",
         "bad.xml:2: <port> attribute role: expected smtp|submission"},
        {"<probe-policy>\n<port number='25' tls='ssl'/>\n</probe-policy>",
         "bad.xml:2: <port> attribute tls: expected implicit|starttls|none|any, found \"ssl\""},
        {"<probe-policy>\n<port number='25' colour='red'/>\n</probe-policy>",
         "bad.xml:2: <port> has unknown attribute \"colour\""},
        {"<probe-policy>\n<port number='25'/>\n<port number='25'/>\n</probe-policy>",
         "bad.xml:3: port 25 is listed twice"},
        {"<probe-policy>\n<ports number='25'/>\n</probe-policy>",
         "bad.xml:2: expected <certificate>, <tls> or <port>, found <ports>"},
        {"<probe-policy>\n<certificate warn-days='-1'/><port number='25'/>\n</probe-policy>",
         "bad.xml:2: <certificate> attribute warn-days: expected 0..3650"},
        {"<probe-policy>\n<tls legacy='maybe'/><port number='25'/>\n</probe-policy>",
         "bad.xml:2: <tls> attribute legacy: expected forbidden|allowed, found \"maybe\""},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_policy(c.xml, "bad.xml", error)) << c.xml;
        EXPECT_NE(error.find(c.expected), std::string::npos) << "got: " << error << "\nwant: " << c.expected;
    }
}

TEST(PolicyLoader, MissingFileIsAClearError) {
    std::string error;
    EXPECT_FALSE(load_policy_file("/nonexistent/policy.xml", error));
    EXPECT_NE(error.find("/nonexistent/policy.xml: cannot open"), std::string::npos) << error;
}

TEST(PolicyLoader, EveryShippedPolicyLoads) {
    for (const char* name : {"example-host.xml", "reference-server.xml", "dovecot-postfix.xml"}) {
        std::string error;
        auto p = load_policy_file(std::string(MAILSPEC_SOURCE_DIR "/fixtures/policies/") + name, error);
        ASSERT_TRUE(p) << error;
        EXPECT_GE(p->roles.size(), 7u) << name;
    }
}

TEST(PolicyLoader, ShippedExampleLoads) {
    std::string error;
    auto p = load_policy_file(MAILSPEC_SOURCE_DIR "/fixtures/policies/example-host.xml", error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(find_role(*p, 143)->presence, Presence::closed);
    EXPECT_EQ(find_role(*p, 2525)->presence, Presence::any);
    EXPECT_EQ(p->certificate.host_name, "mail.example.test");
}

}  // namespace
}  // namespace mailspec::harness::probe
