#include "judge.hpp"

#include <gtest/gtest.h>

#include "observations.hpp"

namespace mailspec::harness::probe {
namespace {

using namespace testing;

const CheckResult* find(const PortJudgement& p, const std::string& check) {
    for (const auto& c : p.checks)
        if (c.check == check) return &c;
    return nullptr;
}

PortJudgement judge_default(const PortObservation& o, JudgeOptions options = {"localhost", false}) {
    static const Policy policy = default_policy();
    return judge_port(o, find_role(policy, o.port), policy, options);
}

// Expects `check` to be a finding of `severity` whose message contains `fragment` and RFC `rfc`.
void expect_finding(const PortJudgement& p, const std::string& check, Severity severity, const std::string& fragment,
                    const std::string& rfc) {
    const CheckResult* c = find(p, check);
    ASSERT_NE(c, nullptr) << check;
    EXPECT_EQ(c->outcome, Outcome::finding) << check << ": " << c->message;
    EXPECT_EQ(c->severity, severity) << check << ": " << c->message;
    EXPECT_NE(c->message.find(fragment), std::string::npos) << c->message;
    EXPECT_NE(c->rfc.find(rfc), std::string::npos) << c->rfc;
}

void expect_all_pass(const PortJudgement& p) {
    for (const auto& c : p.checks)
        EXPECT_TRUE(c.outcome == Outcome::pass || c.outcome == Outcome::skipped)
            << p.observation.port << " " << c.check << ": " << c.message;
    EXPECT_EQ(p.verdict(), "OK");
}

const std::vector<std::string> kEhloBefore = {"PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME"};
const std::vector<std::string> kEhloAfter = {"PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN", "8BITMIME"};

TEST(Judge, CorrectLayoutPassesOnEveryRole) {
    expect_all_pass(judge_default(starttls_port(25, Service::smtp, kEhloBefore, kEhloAfter)));
    expect_all_pass(judge_default(starttls_port(587, Service::smtp, kEhloBefore, kEhloAfter)));
    expect_all_pass(judge_default(implicit_port(465, Service::smtp, kEhloAfter)));
    expect_all_pass(judge_default(starttls_port(110, Service::pop3, {"USER", "STLS"}, {"USER", "SASL PLAIN"})));
    expect_all_pass(judge_default(starttls_port(110, Service::pop3, {"STLS"}, {"USER"})));
    expect_all_pass(judge_default(implicit_port(995, Service::pop3, {"USER"})));
    expect_all_pass(judge_default(
        starttls_port(143, Service::imap, {"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}, {"IMAP4rev1", "AUTH=PLAIN"})));
    expect_all_pass(judge_default(implicit_port(993, Service::imap, {"IMAP4rev1", "AUTH=PLAIN"})));
}

TEST(Judge, ClosedPortIsFineUnderDefaultRolesButNotWhenRequired) {
    auto p = judge_default(closed_port(110));
    EXPECT_EQ(p.verdict(), "closed");
    ASSERT_EQ(p.checks.size(), 1u);
    EXPECT_EQ(p.checks[0].outcome, Outcome::pass);

    Policy policy = default_policy();
    for (auto& r : policy.roles) r.presence = Presence::open;
    auto required = judge_port(closed_port(993), find_role(policy, 993), policy, {"localhost", false});
    expect_finding(required, "reachable", Severity::error, "expected IMAP", "RFC 8314 §3.2");
    EXPECT_EQ(required.verdict(), "FAIL");
}

TEST(Judge, ImplicitTlsOnTheSubmissionRole) {
    auto o = implicit_port(587, Service::smtp, kEhloAfter);
    auto p = judge_default(o);
    expect_finding(p, "tls-mode", Severity::error, "found implicit TLS", "RFC 3207");
    EXPECT_NE(find(p, "tls-mode")->rfc.find("RFC 8314 §3.3"), std::string::npos);
    EXPECT_EQ(p.verdict(), "FAIL");
}

TEST(Judge, PlaintextOnTheImapsRole) {
    PortObservation o = starttls_port(993, Service::imap, {"IMAP4rev1", "STARTTLS"}, {"IMAP4rev1"});
    auto p = judge_default(o);
    expect_finding(p, "tls-mode", Severity::error, "expected implicit TLS", "RFC 8314 §3.2");

    PortObservation plain;
    plain.port = 993;
    plain.state = PortState::open;
    plain.service = Service::imap;
    plain.tls_mode = TlsMode::plaintext;
    plain.greeting = "* OK ready";
    plain.capabilities_before_known = true;
    plain.capabilities_before_tls = {"IMAP4rev1"};
    plain.auth_before_tls = true;
    auto q = judge_default(plain);
    expect_finding(q, "tls-mode", Severity::error, "clear-text greeting (plaintext)", "RFC 8314 §3.2");
    expect_finding(q, "auth-before-tls", Severity::error, "LOGINDISABLED", "RFC 3501 §6.2.3");
    EXPECT_EQ(find(q, "certificate-chain")->outcome, Outcome::skipped);
}

TEST(Judge, NoStarttlsOnTheSmtpRole) {
    PortObservation o;
    o.port = 25;
    o.state = PortState::open;
    o.service = Service::smtp;
    o.tls_mode = TlsMode::plaintext;
    o.greeting = "220 mx ESMTP";
    o.capabilities_before_known = true;
    o.capabilities_before_tls = {"PIPELINING", "8BITMIME"};
    o.auth_before_tls = false;
    auto p = judge_default(o);
    expect_finding(p, "tls-mode", Severity::error, "does not offer it", "RFC 3207 §4");
}

TEST(Judge, AuthBeforeTlsIsAnErrorOnSubmissionAndAWarningOnTheMx) {
    auto sub = starttls_port(587, Service::smtp, {"STARTTLS", "AUTH PLAIN LOGIN"}, kEhloAfter);
    sub.auth_before_tls = true;
    expect_finding(judge_default(sub), "auth-before-tls", Severity::error, "before TLS", "RFC 4954 §9");
    auto mx = starttls_port(25, Service::smtp, {"STARTTLS", "AUTH PLAIN LOGIN"}, kEhloAfter);
    mx.auth_before_tls = true;
    auto p = judge_default(mx);
    expect_finding(p, "auth-before-tls", Severity::warning, "before TLS", "RFC 4954 §9");
    EXPECT_EQ(p.verdict(), "WARN");
}

TEST(Judge, SubmissionWithoutAuthAfterTls) {
    auto o = starttls_port(587, Service::smtp, kEhloBefore, {"PIPELINING", "8BITMIME"});
    expect_finding(judge_default(o), "auth-after-tls", Severity::error, "no AUTH", "RFC 6409 §4.3");
}

TEST(Judge, LegacyTlsAccepted) {
    auto o = implicit_port(465, Service::smtp, kEhloAfter);
    o.legacy_tls_accepted = true;
    o.legacy_tls_version = "TLSv1";
    auto p = judge_default(o);
    expect_finding(p, "legacy-tls", Severity::error, "accepts TLSv1", "RFC 8996");

    Policy lenient = default_policy();
    lenient.forbid_legacy_tls = false;
    auto q = judge_port(o, find_role(lenient, 465), lenient, {"localhost", false});
    expect_finding(q, "legacy-tls", Severity::info, "accepts TLSv1", "RFC 8996");
    EXPECT_EQ(q.verdict(), "OK");
}

TEST(Judge, OldNegotiatedVersion) {
    auto o = implicit_port(995, Service::pop3);
    o.tls->version = "TLSv1.1";
    expect_finding(judge_default(o), "tls-version", Severity::error, "TLSv1.1", "RFC 8314 §4");
}

TEST(Judge, ExpiredUnverifiedAndMisnamedCertificate) {
    auto o = implicit_port(993, Service::imap, {"IMAP4rev1", "AUTH=PLAIN"});
    o.tls->days_left = -3;
    o.tls->chain_verified = false;
    o.tls->verify_error = "certificate has expired";
    o.tls->hostname_matches = false;
    auto p = judge_default(o, {"mail.example.test", false});
    expect_finding(p, "certificate-expiry", Severity::error, "expired 3 day(s) ago", "RFC 8314 §4.4");
    expect_finding(p, "certificate-chain", Severity::error, "certificate has expired", "RFC 8314 §4.4");
    expect_finding(p, "certificate-host-name", Severity::error, "not valid for mail.example.test", "RFC 2595 §2.4");

    auto insecure = judge_default(o, {"mail.example.test", true});
    EXPECT_EQ(find(insecure, "certificate-chain")->severity, Severity::info);
    EXPECT_EQ(find(insecure, "certificate-host-name")->severity, Severity::info);
    EXPECT_EQ(find(insecure, "certificate-expiry")->severity, Severity::error);  // --insecure does not hide expiry
}

TEST(Judge, CertificateCloseToExpiryIsAWarning) {
    auto o = implicit_port(993, Service::imap, {"IMAP4rev1"});
    o.tls->days_left = 5;
    expect_finding(judge_default(o), "certificate-expiry", Severity::warning, "expires in 5 day(s)", "RFC 8314 §4.4");
}

TEST(Judge, StarttlsReadvertisedAfterTls) {
    auto smtp = starttls_port(587, Service::smtp, kEhloBefore, kEhloAfter);
    smtp.starttls_readvertised = true;
    expect_finding(judge_default(smtp), "starttls-readvertised", Severity::error, "after the TLS handshake",
                   "RFC 3207 §4.2");
    auto pop = starttls_port(110, Service::pop3, {"STLS"}, {"STLS", "USER"});
    pop.starttls_readvertised = true;
    expect_finding(judge_default(pop), "starttls-readvertised", Severity::warning, "STLS", "RFC 2595 §4");
}

TEST(Judge, BrokenStarttls) {
    auto o = starttls_port(143, Service::imap, {"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}, {});
    o.tls_mode = TlsMode::starttls_failed;
    o.tls_failure = "a002 BAD not now";
    o.tls.reset();
    o.capabilities_after_known = false;
    expect_finding(judge_default(o), "tls-mode", Severity::error, "offered but not working: a002 BAD", "RFC 8314 §4");
}

TEST(Judge, InconclusiveIsNeverNoStarttls) {
    for (const char* reason : {"421 greeting: \"421 too busy\"", "no greeting within 2000 ms (greeting delay?)",
                               "connection dropped after EHLO"}) {
        PortObservation o;
        o.port = 25;
        o.state = PortState::open;
        o.service = Service::smtp;
        o.inconclusive = reason;
        auto p = judge_default(o);
        const CheckResult* mode = find(p, "tls-mode");
        ASSERT_NE(mode, nullptr);
        EXPECT_EQ(mode->outcome, Outcome::inconclusive);
        EXPECT_NE(mode->message.find(reason), std::string::npos);
        EXPECT_EQ(mode->message.find("STARTTLS"), std::string::npos) << mode->message;
        EXPECT_EQ(p.verdict(), "INCONCLUSIVE");
        EXPECT_EQ(mode->severity, Severity::warning);  // presence any under the default roles
    }
    // A port the policy requires open and the probe cannot decide: error level, exit 1.
    Policy policy = default_policy();
    for (auto& r : policy.roles) r.presence = Presence::open;
    PortObservation o;
    o.port = 587;
    o.state = PortState::open;
    o.inconclusive = "no greeting within 500 ms";
    Judgement j = judge({o}, policy, {"localhost", false});
    EXPECT_EQ(j.ports[0].verdict(), "INCONCLUSIVE");
    EXPECT_EQ(j.exit_code(), 1);
}

TEST(Judge, PreauthGreetingInClearText) {
    PortObservation o;
    o.port = 143;
    o.state = PortState::open;
    o.service = Service::imap;
    o.tls_mode = TlsMode::plaintext;
    o.greeting = "* PREAUTH logged in as alice";
    o.preauth = true;
    o.auth_before_tls = true;
    auto p = judge_default(o);
    expect_finding(p, "auth-before-tls", Severity::error, "PREAUTH greeting in clear text", "RFC 3501 §7.1.4");
}

TEST(Judge, ServiceMismatch) {
    auto o = implicit_port(995, Service::imap, {"IMAP4rev1"});
    expect_finding(judge_default(o), "service", Severity::error, "expected POP3", "RFC 8314 §3.1");
}

TEST(Judge, UnofficialPortsAreInformational) {
    PortObservation o;
    o.port = 2525;
    o.state = PortState::open;
    o.service = Service::smtp;
    o.tls_mode = TlsMode::plaintext;
    o.greeting = "220 alt";
    o.auth_before_tls = true;
    auto p = judge_default(o);
    for (const auto& c : p.checks) EXPECT_NE(c.severity, Severity::error) << c.check;
    EXPECT_EQ(p.verdict(), "INFO");
}

TEST(Judge, PortWithoutRoleGetsRoleIndependentChecksOnly) {
    auto o = implicit_port(10993, Service::imap, {"IMAP4rev1"});
    o.legacy_tls_accepted = true;
    o.legacy_tls_version = "TLSv1.1";
    Judgement j = judge({o}, default_policy(), {"localhost", false});
    ASSERT_EQ(j.ports.size(), 1u);
    EXPECT_FALSE(j.ports[0].role.has_value());
    EXPECT_EQ(find(j.ports[0], "tls-mode")->outcome, Outcome::pass);
    expect_finding(j.ports[0], "legacy-tls", Severity::error, "TLSv1.1", "RFC 8996");
    EXPECT_EQ(j.exit_code(), 1);
}

TEST(Judge, ExitCodeCountsOnlyErrors) {
    auto mx = starttls_port(25, Service::smtp, {"STARTTLS", "AUTH PLAIN"}, kEhloAfter);
    mx.auth_before_tls = true;  // warning on the MX role
    Judgement j = judge({mx, closed_port(110)}, default_policy(), {"localhost", false});
    EXPECT_EQ(j.count(Severity::warning), 1u);
    EXPECT_EQ(j.count(Severity::error), 0u);
    EXPECT_EQ(j.exit_code(), 0);
}

}  // namespace
}  // namespace mailspec::harness::probe
