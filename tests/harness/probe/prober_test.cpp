// The prober over real loopback sockets against scripted servers: framing that a single socket
// read would get wrong (EHLO and CAPA split into many writes), 421 greetings, greetings delayed
// past the timeout, dropped connections, implicit TLS, legacy TLS, concurrency.
#include "prober.hpp"

#include <gtest/gtest.h>

#include "judge.hpp"
#include "mailspec/test/scripted_server.hpp"

namespace mailspec::harness::probe {
namespace {

using mailspec::test::ScriptedServer;
using mailspec::test::ScriptedServerOptions;
using mailspec::test::Step;
using namespace std::chrono_literals;

ProbeOptions fast_options(std::chrono::milliseconds timeout = 2000ms) {
    ProbeOptions o;
    o.host = "127.0.0.1";
    o.timeout = timeout;
    o.first_byte_wait = 200ms;
    return o;
}

ScriptedServerOptions serve(int connections, bool implicit_tls = false) {
    ScriptedServerOptions o;
    o.connections = connections;
    o.implicit_tls = implicit_tls;
    o.step_timeout = 3000ms;
    o.accept_timeout = 5000ms;
    o.hang_limit = 5000ms;
    return o;
}

const CheckResult* find(const PortJudgement& p, const std::string& check) {
    for (const auto& c : p.checks)
        if (c.check == check) return &c;
    return nullptr;
}

// Judges `o` as if it were on the role `role` (policy file style: the port must be open).
PortJudgement judge_as(const PortObservation& o, const std::string& role_name) {
    Policy policy;
    PortRole role = *named_role(role_name, o.port);
    role.presence = Presence::open;
    policy.roles.push_back(role);
    policy.certificate.require_chain = false;
    return judge_port(o, find_role(policy, o.port), policy, {"127.0.0.1", false});
}

// The STARTTLS dialogue of an SMTP submission server whose EHLO reply arrives one byte per write.
mailspec::test::Script smtp_starttls_script() {
    return {
        Step::send("220 localhost ESMTP scripted\r\n"),
        Step::expect_line(),  // EHLO
        Step::send_slowly("250-localhost greets you\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n250-STARTTLS\r\n"
                          "250 8BITMIME\r\n",
                          1ms),
        Step::expect_line(),  // STARTTLS
        Step::send("220 2.0.0 ready for TLS\r\n"),
        Step::start_tls(),
        Step::expect_line(),  // EHLO again
        Step::send("250-localhost\r\n250-PIPELINING\r\n"),
        Step::send("250-AUTH PLAIN LOGIN\r\n"),
        Step::send("250 8BITMIME\r\n"),
        Step::expect_line(),  // QUIT
        Step::send("221 bye\r\n"),
        Step::close(),
    };
}

TEST(Prober, SmtpStarttlsWithEhloSplitIntoSingleBytes) {
    ScriptedServer server(smtp_starttls_script(), serve(2));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_EQ(o.state, PortState::open);
    EXPECT_EQ(o.service, Service::smtp);
    EXPECT_FALSE(o.inconclusive) << *o.inconclusive << "\n" << o.transcript;
    EXPECT_EQ(o.tls_mode, TlsMode::starttls) << o.transcript;
    EXPECT_EQ(o.greeting, "220 localhost ESMTP scripted");
    EXPECT_EQ(o.capabilities_before_tls,
              (std::vector<std::string>{"PIPELINING", "SIZE 1000000", "STARTTLS", "8BITMIME"}));
    EXPECT_EQ(o.capabilities_after_tls, (std::vector<std::string>{"PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME"}));
    ASSERT_TRUE(o.auth_before_tls);
    EXPECT_FALSE(*o.auth_before_tls);
    ASSERT_TRUE(o.starttls_readvertised);
    EXPECT_FALSE(*o.starttls_readvertised);
    ASSERT_TRUE(o.tls);
    EXPECT_TRUE(o.tls->version == "TLSv1.3" || o.tls->version == "TLSv1.2") << o.tls->version;
    EXPECT_TRUE(o.tls->hostname_matches);  // the test certificate names 127.0.0.1
    ASSERT_TRUE(o.legacy_tls_accepted) << o.transcript;
    EXPECT_FALSE(*o.legacy_tls_accepted) << o.transcript;
    server.wait_done(3000ms);
    EXPECT_EQ(server.record(0).lines.size(), 4u);
    EXPECT_EQ(server.record(0).lines[1], "STARTTLS");

    auto verdict = judge_as(o, "submission");
    EXPECT_EQ(verdict.verdict(), "OK") << verdict.checks.size();
    for (const auto& c : verdict.checks)  // the self-signed chain is only info under this policy
        EXPECT_TRUE(c.outcome != Outcome::finding || c.severity == Severity::info) << c.check << ": " << c.message;
}

TEST(Prober, ChainVerifiesWithTheCaFile) {
    ScriptedServer server(smtp_starttls_script(), serve(2));
    mailspec::test::TempPemFile ca(server.certificate());
    auto options = fast_options();
    options.ca_file = ca.path();
    auto o = probe_port(server.port(), options);
    ASSERT_TRUE(o.tls) << o.transcript;
    EXPECT_TRUE(o.tls->chain_verified) << o.tls->verify_error;
}

TEST(Prober, Greeting421IsInconclusiveNotNoStarttls) {
    ScriptedServer server({Step::send("421 4.3.2 too busy, try later\r\n"), Step::close()}, serve(1));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_EQ(o.service, Service::smtp);
    ASSERT_TRUE(o.inconclusive);
    EXPECT_NE(o.inconclusive->find("421"), std::string::npos) << *o.inconclusive;
    EXPECT_EQ(o.tls_mode, TlsMode::unknown);
    auto verdict = judge_as(o, "smtp");
    EXPECT_EQ(verdict.verdict(), "INCONCLUSIVE");
    EXPECT_EQ(find(verdict, "tls-mode")->outcome, Outcome::inconclusive);
}

TEST(Prober, MultiLine421GreetingSentSlowly) {
    ScriptedServer server({Step::send_slowly("421-busy\r\n421 really busy\r\n", 2ms), Step::close()}, serve(1));
    auto o = probe_port(server.port(), fast_options());
    ASSERT_TRUE(o.inconclusive);
    EXPECT_NE(o.inconclusive->find("421"), std::string::npos);
}

TEST(Prober, GreetingDelayedPastTheTimeoutIsInconclusive) {
    ScriptedServer server({Step::wait(2500ms), Step::send("220 finally\r\n"), Step::close()}, serve(2));
    auto o = probe_port(server.port(), fast_options(600ms));
    EXPECT_EQ(o.state, PortState::open);
    ASSERT_TRUE(o.inconclusive) << o.transcript;
    EXPECT_NE(o.inconclusive->find("no greeting within 600 ms"), std::string::npos) << *o.inconclusive;
    EXPECT_NE(o.inconclusive->find("greeting delayed"), std::string::npos) << *o.inconclusive;
    EXPECT_LT(o.elapsed, 3000ms);
    server.stop();
}

TEST(Prober, GreetingDelayedBelowTheTimeoutStillWorks) {
    // Slower than first_byte_wait: the probe tries TLS, fails on the clear-text greeting, reconnects.
    mailspec::test::Script script = {
        Step::wait(500ms),     Step::send("220 slow but fine\r\n"), Step::expect_line(),
        Step::send("250 localhost\r\n"), Step::expect_line(), Step::send("221 bye\r\n"), Step::close(),
    };
    ScriptedServer server(script, serve(2));
    auto o = probe_port(server.port(), fast_options(2000ms));
    EXPECT_FALSE(o.inconclusive) << *o.inconclusive << "\n" << o.transcript;
    EXPECT_EQ(o.service, Service::smtp);
    EXPECT_EQ(o.tls_mode, TlsMode::plaintext) << o.transcript;
    server.stop();
}

TEST(Prober, DroppedAfterEhloIsInconclusive) {
    ScriptedServer server({Step::send("220 hi\r\n"), Step::expect_line(), Step::close()}, serve(1));
    auto o = probe_port(server.port(), fast_options());
    ASSERT_TRUE(o.inconclusive) << o.transcript;
    EXPECT_NE(o.inconclusive->find("after EHLO"), std::string::npos) << *o.inconclusive;
    EXPECT_NE(o.inconclusive->find("dropped"), std::string::npos) << *o.inconclusive;
    EXPECT_EQ(o.tls_mode, TlsMode::unknown);
}

TEST(Prober, EndlessGreetingLineIsAFramingErrorNotAHang) {
    ScriptedServer server({Step::send(std::string(70000, 'A')), Step::hang()}, serve(1));
    auto o = probe_port(server.port(), fast_options());
    ASSERT_TRUE(o.inconclusive) << o.transcript.substr(0, 200);
    EXPECT_NE(o.inconclusive->find("no line feed"), std::string::npos) << *o.inconclusive;
    EXPECT_LT(o.elapsed, 2000ms);
    server.stop();
}

TEST(Prober, MalformedEhloReplyIsInconclusive) {
    // A continuation line whose code differs from the first line's (RFC 5321 §4.2.1).
    ScriptedServer server({Step::send("220 hi\r\n"), Step::expect_line(),
                           Step::send("250-hi\r\n251 STARTTLS\r\n"), Step::hang()},
                          serve(1));
    auto o = probe_port(server.port(), fast_options());
    ASSERT_TRUE(o.inconclusive) << o.transcript;
    EXPECT_NE(o.inconclusive->find("malformed response"), std::string::npos) << *o.inconclusive;
    EXPECT_NE(o.inconclusive->find("after EHLO"), std::string::npos) << *o.inconclusive;
    EXPECT_EQ(o.tls_mode, TlsMode::unknown);
    server.stop();
}

TEST(Prober, NoStarttlsOffered) {
    ScriptedServer server({Step::send("220 mx\r\n"), Step::expect_line(),
                           Step::send("250-mx\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"), Step::expect_line(),
                           Step::send("221 bye\r\n"), Step::close()},
                          serve(1));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_EQ(o.tls_mode, TlsMode::plaintext);
    ASSERT_TRUE(o.auth_before_tls);
    EXPECT_TRUE(*o.auth_before_tls);
    EXPECT_FALSE(o.legacy_tls_accepted);  // no TLS at all: not measured
    auto verdict = judge_as(o, "smtp");
    EXPECT_EQ(find(verdict, "tls-mode")->outcome, Outcome::finding);
    EXPECT_NE(find(verdict, "tls-mode")->rfc.find("RFC 3207"), std::string::npos);
}

mailspec::test::Script imap_implicit_script() {
    return {
        Step::send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] scripted IMAP ready\r\n"),
        Step::expect_line(),  // p1 CAPABILITY
        Step::send_slowly("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n", 1ms),
        Step::send("p1 OK CAPABILITY completed\r\n"),
        Step::expect_line(),  // p2 LOGOUT
        Step::send("* BYE logging out\r\np2 OK LOGOUT completed\r\n"),
        Step::close(),
    };
}

TEST(Prober, ImplicitTlsImap) {
    ScriptedServer server(imap_implicit_script(), serve(2, true));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_FALSE(o.inconclusive) << *o.inconclusive << "\n" << o.transcript;
    EXPECT_EQ(o.tls_mode, TlsMode::implicit);
    EXPECT_EQ(o.service, Service::imap);
    EXPECT_EQ(o.capabilities_after_tls, (std::vector<std::string>{"IMAP4rev1", "AUTH=PLAIN"}));
    EXPECT_FALSE(o.auth_before_tls);
    ASSERT_TRUE(o.legacy_tls_accepted) << o.transcript;
    EXPECT_FALSE(*o.legacy_tls_accepted);
    EXPECT_EQ(judge_as(o, "imaps").verdict(), "OK");
    auto wrong = judge_as(o, "imap");  // implicit TLS where STARTTLS is expected
    EXPECT_EQ(find(wrong, "tls-mode")->outcome, Outcome::finding);
}

TEST(Prober, LegacyTlsAccepted) {
    auto options = serve(2, true);
    options.tls_min_version = 0x0301;
    ScriptedServer server(imap_implicit_script(), options);
    auto o = probe_port(server.port(), fast_options());
    ASSERT_TRUE(o.legacy_tls_accepted) << o.transcript;
    EXPECT_TRUE(*o.legacy_tls_accepted) << o.transcript;
    EXPECT_TRUE(o.legacy_tls_version == "TLSv1.1" || o.legacy_tls_version == "TLSv1") << o.legacy_tls_version;
    auto verdict = judge_as(o, "imaps");
    EXPECT_EQ(find(verdict, "legacy-tls")->outcome, Outcome::finding);
    EXPECT_EQ(verdict.verdict(), "FAIL");
}

TEST(Prober, Pop3StlsWithSplitCapaAndReadvertisedStls) {
    mailspec::test::Script script = {
        Step::send("+OK POP3 ready\r\n"),
        Step::expect_line(),  // CAPA
        Step::send_slowly("+OK capabilities\r\nTOP\r\nUSER\r\nSTLS\r\n.\r\n", 1ms),
        Step::expect_line(),  // STLS
        Step::send("+OK begin TLS\r\n"),
        Step::start_tls(),
        Step::expect_line(),  // CAPA
        Step::send("+OK\r\nTOP\r\nUSER\r\nSTLS\r\n.\r\n"),
        Step::expect_line(),  // QUIT
        Step::send("+OK bye\r\n"),
        Step::close(),
    };
    ScriptedServer server(script, serve(2));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_EQ(o.service, Service::pop3);
    EXPECT_EQ(o.tls_mode, TlsMode::starttls) << o.transcript;
    EXPECT_EQ(o.capabilities_before_tls, (std::vector<std::string>{"TOP", "USER", "STLS"}));
    ASSERT_TRUE(o.auth_before_tls);
    EXPECT_TRUE(*o.auth_before_tls);  // USER before TLS
    ASSERT_TRUE(o.starttls_readvertised);
    EXPECT_TRUE(*o.starttls_readvertised);
    auto verdict = judge_as(o, "pop3");
    EXPECT_EQ(find(verdict, "auth-before-tls")->outcome, Outcome::finding);
    EXPECT_EQ(find(verdict, "starttls-readvertised")->outcome, Outcome::finding);
}

TEST(Prober, RefusedStlsIsBrokenStarttls) {
    ScriptedServer server({Step::send("+OK ready\r\n"), Step::expect_line(), Step::send("+OK\r\nSTLS\r\n.\r\n"),
                           Step::expect_line(), Step::send("-ERR TLS not configured\r\n"), Step::expect_line(),
                           Step::send("+OK bye\r\n"), Step::close()},
                          serve(1));
    auto o = probe_port(server.port(), fast_options());
    EXPECT_EQ(o.tls_mode, TlsMode::starttls_failed) << o.transcript;
    EXPECT_NE(o.tls_failure.find("-ERR TLS not configured"), std::string::npos) << o.tls_failure;
}

TEST(Prober, ClosedPort) {
    unsigned short port;
    {
        ScriptedServer server({Step::close()}, serve(1));
        port = server.port();
        server.stop();
    }
    auto o = probe_port(port, fast_options());
    EXPECT_EQ(o.state, PortState::closed) << o.state_detail;
}

TEST(Prober, PortsAreProbedConcurrently) {
    // Four ports that each stay silent 0.7 s before an unrecognised greeting line. Each costs about
    // 1.4 s (first_byte_wait, a handshake failing on the late greeting, a reconnect waiting 0.7 s
    // again): one after another would take about 5.6 s.
    std::vector<std::unique_ptr<ScriptedServer>> servers;
    std::vector<unsigned short> ports;
    for (int i = 0; i < 4; ++i) {
        servers.push_back(std::make_unique<ScriptedServer>(
            mailspec::test::Script{Step::wait(700ms), Step::send("hello\r\n"), Step::close()}, serve(2)));
        ports.push_back(servers.back()->port());
    }
    auto start = std::chrono::steady_clock::now();
    auto results = probe_ports(ports, fast_options(2000ms));
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(results.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(results[i].port, ports[i]);
        ASSERT_TRUE(results[i].inconclusive) << results[i].transcript;
        EXPECT_NE(results[i].inconclusive->find("unrecognised greeting"), std::string::npos)
            << *results[i].inconclusive;
    }
    EXPECT_LT(took, 4000ms);
}

}  // namespace
}  // namespace mailspec::harness::probe
