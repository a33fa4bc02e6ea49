// The engine over real loopback sockets and TLS (NetConnector + net::Connection) against the
// scripted server of tests/support: a passing dialogue, STARTTLS with a trusted test CA, and
// hostile servers (garbage, a never-ending line, a 1 byte/s drip, a 10 MB line, a close mid-reply,
// silence, a refused port, a failing TLS handshake), each ending in the right outcome within its
// timeout.
#include <gtest/gtest.h>

#include <chrono>

#include "mailspec/harness/engine/net_transport.hpp"
#include "mailspec/harness/engine/runner.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"
#include "mailspec/test/scripted_server.hpp"

namespace mailspec::harness::engine {
namespace {

using model::Outcome;
using test::ScriptedServer;
using test::Step;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Run {
    model::ScenarioResult result;
    double seconds = 0;
};

Run run(const std::string& xml, unsigned short port, bool implicit_tls = false, model::Millis timeout = 3000ms,
        bool verify = false, const std::string& ca = {}) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "loopback.xml", errors);
    EXPECT_TRUE(errors.empty()) << errors.front().str();
    model::Target target;
    target.name = "loopback";
    target.host = "127.0.0.1";
    target.endpoints = {{"smtp", model::Protocol::smtp, port,
                         implicit_tls ? model::TlsMode::implicit : model::TlsMode::plain, {}}};
    NetConnector connector;
    RunSettings settings;
    settings.connector = &connector;
    settings.default_timeout = timeout;
    settings.tls_verify = verify;
    settings.tls_ca_file = ca;
    settings.tls_server_name = "localhost";
    const auto start = Clock::now();
    Run r{run_scenario(scenarios.at(0), target, settings), 0};
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return r;
}

const char* greeting_only = R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/></scenario>)X";

TEST(Loopback, PassingDialogue) {
    ScriptedServer server({Step::send("220 mx ESMTP\r\n"), Step::expect_line(), Step::send("250-mx\r\n250 PIPELINING\r\n"),
                           Step::expect_line(), Step::send("221 bye\r\n"), Step::close()});
    const auto r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>EHLO client.example</send><expect code="250"><line matches="^PIPELINING$"/></expect>
      <send>QUIT</send><expect code="221"/><expect-close/></scenario>)X", server.port());
    EXPECT_EQ(r.result.outcome, Outcome::pass) << r.result.message << "\n" << r.result.transcript;
    ASSERT_TRUE(server.wait_done(5000ms));
    EXPECT_EQ(server.record().lines, (std::vector<std::string>{"EHLO client.example", "QUIT"}));
}

TEST(Loopback, StarttlsWithTrustedTestCa) {
    test::TempPemFile ca(test::test_certificate());
    ScriptedServer server({Step::send("220 mx\r\n"), Step::expect_line(), Step::send("250-mx\r\n250 STARTTLS\r\n"),
                           Step::expect_line(), Step::send("220 go ahead\r\n"), Step::start_tls(), Step::expect_line(),
                           Step::send("250 mx\r\n"), Step::close()});
    const auto r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>EHLO a</send><expect code="250"/><requires capability="STARTTLS"/><starttls/>
      <send>EHLO a</send><expect code="250"><no-line matches="STARTTLS"/></expect></scenario>)X",
                       server.port(), false, 3000ms, true, ca.path());
    EXPECT_EQ(r.result.outcome, Outcome::pass) << r.result.message << "\n" << r.result.transcript;
    EXPECT_NE(r.result.transcript.find("TLS established: TLSv1."), std::string::npos) << r.result.transcript;
}

TEST(Loopback, OldTlsVersionRefused) {
    ScriptedServer server({Step::send("220 mx\r\n"), Step::expect_line(), Step::send("220 go ahead\r\n"), Step::start_tls()});
    const auto r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>STARTTLS</send><expect code="220"/><tls-handshake max-version="1.1" expect="fail"/></scenario>)X",
                       server.port());
    EXPECT_EQ(r.result.outcome, Outcome::pass) << r.result.message << "\n" << r.result.transcript;
}

TEST(Loopback, GarbageIsFail) {
    ScriptedServer server({Step::send(std::string("\x01\x02 garbage\r\n", 12)), Step::hang()});
    const auto r = run(greeting_only, server.port());
    EXPECT_EQ(r.result.outcome, Outcome::fail) << r.result.message;
    EXPECT_NE(r.result.message.find("malformed"), std::string::npos) << r.result.message;
    EXPECT_NE(r.result.transcript.find("<0x01><0x02> garbage<CR><LF>"), std::string::npos) << r.result.transcript;
}

TEST(Loopback, NeverEndingLineIsFailWithinTheTimeout) {
    ScriptedServer server({Step::send("220 this line never ends"), Step::hang()});
    const auto r = run(greeting_only, server.port(), false, 500ms);
    EXPECT_EQ(r.result.outcome, Outcome::fail) << r.result.message;
    EXPECT_NE(r.result.message.find("incomplete"), std::string::npos) << r.result.message;
    EXPECT_LT(r.seconds, 3.0);
}

TEST(Loopback, OneByteASecondDripIsFailWithinTheTimeout) {
    ScriptedServer server({Step::send_slowly("220 slow greeting\r\n", 1000ms), Step::hang()});
    const auto r = run(greeting_only, server.port(), false, 1500ms);
    EXPECT_EQ(r.result.outcome, Outcome::fail) << r.result.message;
    EXPECT_LT(r.seconds, 4.0);
}

TEST(Loopback, TenMegabyteLineIsFailNotABuffer) {
    ScriptedServer server({Step::send("220 " + std::string(10 * 1024 * 1024, 'x') + "\r\n"), Step::hang()});
    const auto r = run(greeting_only, server.port(), false, 5000ms);
    EXPECT_EQ(r.result.outcome, Outcome::fail) << r.result.message;
    EXPECT_LT(r.seconds, 6.0);
    EXPECT_LT(r.result.transcript.size(), 300u * 1024u);
}

TEST(Loopback, CloseMidReplyIsFail) {
    ScriptedServer server({Step::send("220 mx\r\n"), Step::expect_line(), Step::send("250-mx\r\n250-PIPE"), Step::close()});
    const auto r = run(R"X(<scenario id="t" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>
      <send>EHLO a</send><expect code="250"/></scenario>)X", server.port());
    EXPECT_EQ(r.result.outcome, Outcome::fail) << r.result.message;
    EXPECT_NE(r.result.message.find("middle"), std::string::npos) << r.result.message;
}

TEST(Loopback, SilenceIsErrorAfterTheTimeout) {
    ScriptedServer server({Step::hang()});
    const auto r = run(greeting_only, server.port(), false, 700ms);
    EXPECT_EQ(r.result.outcome, Outcome::error) << r.result.message;
    EXPECT_GE(r.seconds, 0.6);
    EXPECT_LT(r.seconds, 3.0);
}

TEST(Loopback, RefusedPortIsError) {
    unsigned short port = 0;
    {
        test::ScriptedServerOptions options;
        options.accept_timeout = 100ms;
        ScriptedServer server({Step::close()}, options);
        port = server.port();
        server.stop();
    }
    const auto r = run(greeting_only, port);
    EXPECT_EQ(r.result.outcome, Outcome::error) << r.result.message;
}

TEST(Loopback, TlsHandshakeFailureIsError) {
    test::ScriptedServerOptions options;
    options.implicit_tls = true;
    ScriptedServer server({Step::send("220 mx\r\n"), Step::hang()}, options);
    // Verification on and no CA for the self-signed test certificate: the handshake fails.
    const auto r = run(greeting_only, server.port(), true, 3000ms, true);
    EXPECT_EQ(r.result.outcome, Outcome::error) << r.result.message;
    EXPECT_NE(r.result.message.find("TLS"), std::string::npos) << r.result.message;
}

}  // namespace
}  // namespace mailspec::harness::engine
