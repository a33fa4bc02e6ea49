// Client TLS over loopback against ScriptedServer: verification with and without a CA file,
// host-name checks, expired certificates, protocol version limits, STARTTLS in place.
#include <gtest/gtest.h>

#include <regex>

#include "mailspec/net/connection.hpp"
#include "mailspec/net/server_tls.hpp"
#include "mailspec/test/scripted_server.hpp"

namespace mailspec::net {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;
using test::ScriptedServerOptions;
using test::Step;
using test::TempPemFile;

ScriptedServerOptions implicit_tls(std::optional<CertificatePair> cert = std::nullopt) {
    ScriptedServerOptions o;
    o.implicit_tls = true;
    o.certificate = std::move(cert);
    return o;
}

IoStatus tls_connect(Connection& c, const ScriptedServer& server, const TlsClientOptions& options,
                     const std::string& host = "127.0.0.1") {
    IoStatus s = c.connect(host, server.port(), 3000ms);
    if (!s) return s;
    return c.start_tls(options, 3000ms);
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Tls, VerifiedWithCaFileForIpLiteral) {
    ScriptedServer server({Step::send("* OK secure\r\n"), Step::expect_line()}, implicit_tls());
    TempPemFile ca(server.certificate());
    TlsClientOptions options;
    options.ca_file = ca.path();
    Connection c;
    const IoStatus s = tls_connect(c, server, options);
    ASSERT_TRUE(s) << s.message;
    EXPECT_TRUE(c.is_tls());
    const TlsInfo& info = c.tls_info();
    EXPECT_TRUE(info.chain_verified) << info.verify_error;
    EXPECT_TRUE(info.hostname_matches);
    EXPECT_TRUE(info.verify_error.empty()) << info.verify_error;
    EXPECT_EQ(info.version, "TLSv1.3");
    EXPECT_FALSE(info.cipher.empty());
    EXPECT_EQ(info.subject, "CN=localhost");
    EXPECT_EQ(info.issuer, "CN=localhost");
    EXPECT_TRUE(contains(info.subject_alt_names, "DNS:localhost"));
    EXPECT_TRUE(contains(info.subject_alt_names, "IP:127.0.0.1"));
    EXPECT_TRUE(contains(info.subject_alt_names, "IP:::1"));
    EXPECT_TRUE(std::regex_match(info.not_after, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << info.not_after;
    ASSERT_TRUE(info.days_left.has_value());
    EXPECT_GE(*info.days_left, 29);
    EXPECT_LE(*info.days_left, 30);

    std::string buffer;
    while (buffer.find("\r\n") == std::string::npos) ASSERT_TRUE(c.read_some(buffer, 2000ms));
    EXPECT_EQ(buffer, "* OK secure\r\n");
    ASSERT_TRUE(c.write("a1 LOGOUT\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(3000ms));
    EXPECT_EQ(server.record().lines, std::vector<std::string>{"a1 LOGOUT"});
    EXPECT_EQ(server.record().tls_version, "TLSv1.3");
}

TEST(Tls, VerifiedWithCaFileForLocalhostName) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TempPemFile ca(server.certificate());
    TlsClientOptions options;
    options.ca_file = ca.path();
    Connection c;
    const IoStatus s = tls_connect(c, server, options, "localhost");
    ASSERT_TRUE(s) << s.message;
    EXPECT_TRUE(c.tls_info().chain_verified);
    EXPECT_TRUE(c.tls_info().hostname_matches);
}

TEST(Tls, ServerNameOverridesTheConnectHost) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TempPemFile ca(server.certificate());
    TlsClientOptions options;
    options.ca_file = ca.path();
    options.server_name = "localhost";
    Connection c;
    ASSERT_TRUE(tls_connect(c, server, options));
    EXPECT_TRUE(c.tls_info().hostname_matches);
}

TEST(Tls, SniIsSentForNamesOnly) {
    ScriptedServer server({Step::expect_line()}, implicit_tls());
    TlsClientOptions options;
    options.verify = false;
    options.server_name = "localhost";
    Connection c;
    ASSERT_TRUE(tls_connect(c, server, options));
    ASSERT_TRUE(c.write("x\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(3000ms));
    EXPECT_EQ(server.record().sni, "localhost");

    // RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted in "HostName".
    ScriptedServer by_ip({Step::expect_line()}, implicit_tls());
    options.server_name.clear();
    Connection d;
    ASSERT_TRUE(tls_connect(d, by_ip, options));
    ASSERT_TRUE(d.write("x\r\n", 1000ms));
    ASSERT_TRUE(by_ip.wait_done(3000ms));
    EXPECT_EQ(by_ip.record().tls_version, "TLSv1.3");
    EXPECT_EQ(by_ip.record().sni, "");
}

TEST(Tls, VerifyWithoutCaFails) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    Connection c;
    const IoStatus s = tls_connect(c, server, TlsClientOptions{});
    EXPECT_EQ(s.code, IoStatus::Code::tls_failed) << s.message;
    EXPECT_NE(s.message.find("self-signed"), std::string::npos) << s.message;
    EXPECT_FALSE(c.is_tls());
}

TEST(Tls, VerifyOffCompletesAndReportsTheChain) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TlsClientOptions options;
    options.verify = false;
    Connection c;
    const IoStatus s = tls_connect(c, server, options);
    ASSERT_TRUE(s) << s.message;
    const TlsInfo& info = c.tls_info();
    EXPECT_FALSE(info.chain_verified);
    EXPECT_TRUE(info.hostname_matches);
    EXPECT_NE(info.verify_error.find("self-signed"), std::string::npos) << info.verify_error;
}

TEST(Tls, HostNameMismatch) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TempPemFile ca(server.certificate());
    TlsClientOptions options;
    options.ca_file = ca.path();
    options.server_name = "mail.example.org";
    {
        Connection c;
        const IoStatus s = tls_connect(c, server, options);
        EXPECT_EQ(s.code, IoStatus::Code::tls_failed) << s.message;
        EXPECT_NE(s.message.find("not valid for mail.example.org"), std::string::npos) << s.message;
    }
    ScriptedServer second({Step::hang()}, implicit_tls());
    options.verify = false;
    Connection c;
    ASSERT_TRUE(tls_connect(c, second, options));
    EXPECT_TRUE(c.tls_info().chain_verified);
    EXPECT_FALSE(c.tls_info().hostname_matches);
    EXPECT_NE(c.tls_info().verify_error.find("mail.example.org"), std::string::npos);
}

TEST(Tls, ExpiredCertificateHasNegativeDaysLeft) {
    CertificateRequest request;
    request.days_valid = -3;
    ScriptedServer server({Step::hang()}, implicit_tls(make_self_signed_certificate(request)));
    TempPemFile ca(server.certificate());
    TlsClientOptions options;
    options.ca_file = ca.path();
    {
        Connection c;
        const IoStatus s = tls_connect(c, server, options);
        EXPECT_EQ(s.code, IoStatus::Code::tls_failed) << s.message;
        EXPECT_NE(s.message.find("expired"), std::string::npos) << s.message;
    }
    ScriptedServer second({Step::hang()}, implicit_tls(server.certificate()));
    options.verify = false;
    Connection c;
    ASSERT_TRUE(tls_connect(c, second, options));
    const TlsInfo& info = c.tls_info();
    ASSERT_TRUE(info.days_left.has_value());
    EXPECT_EQ(*info.days_left, -3);
    EXPECT_FALSE(info.chain_verified);
    EXPECT_NE(info.verify_error.find("expired"), std::string::npos) << info.verify_error;
}

TEST(Tls, MaxVersionIsHonoured) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TlsClientOptions options;
    options.verify = false;
    options.max_version = 0x0303;
    Connection c;
    ASSERT_TRUE(tls_connect(c, server, options));
    EXPECT_EQ(c.tls_info().version, "TLSv1.2");
}

TEST(Tls, Tls10OnlyServerFailsAgainstDefaultClient) {
    ScriptedServerOptions o = implicit_tls();
    o.tls_min_version = 0x0301;
    o.tls_max_version = 0x0301;
    ScriptedServer server({Step::hang()}, o);
    TlsClientOptions options;
    options.verify = false;
    Connection c;
    const IoStatus s = tls_connect(c, server, options);
    EXPECT_EQ(s.code, IoStatus::Code::tls_failed) << s.message;
}

// Debian's openssl.cnf sets MinProtocol = TLSv1.2 and SECLEVEL=2; the client and server contexts
// override both, so TLS 1.0 is negotiated when both sides ask for it.
TEST(Tls, LegacyClientNegotiatesTls10) {
    ScriptedServerOptions o = implicit_tls();
    o.tls_min_version = 0x0301;
    o.tls_max_version = 0x0301;
    ScriptedServer server({Step::hang()}, o);
    TlsClientOptions options;
    options.verify = false;
    options.allow_legacy = true;
    Connection c;
    const IoStatus s = tls_connect(c, server, options);
    ASSERT_TRUE(s) << s.message;
    EXPECT_EQ(c.tls_info().version, "TLSv1");
}

TEST(Tls, StartTlsUpgradesInPlace) {
    ScriptedServer server({Step::send("220 ready\r\n"), Step::expect_line(),
                           Step::send("220 go ahead\r\n"), Step::start_tls(), Step::expect_line(),
                           Step::send("250 secure\r\n"), Step::close()});
    TempPemFile ca(server.certificate());
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    std::string buffer;
    while (buffer.find("\r\n") == std::string::npos) ASSERT_TRUE(c.read_some(buffer, 2000ms));
    ASSERT_TRUE(c.write("STARTTLS\r\n", 1000ms));
    buffer.clear();
    while (buffer.find("\r\n") == std::string::npos) ASSERT_TRUE(c.read_some(buffer, 2000ms));
    EXPECT_EQ(buffer, "220 go ahead\r\n");
    TlsClientOptions options;
    options.ca_file = ca.path();
    const IoStatus s = c.start_tls(options, 3000ms);
    ASSERT_TRUE(s) << s.message;
    EXPECT_TRUE(c.is_tls());
    EXPECT_TRUE(c.tls_info().chain_verified);
    ASSERT_TRUE(c.write("EHLO x\r\n", 1000ms));
    buffer.clear();
    while (buffer.find("\r\n") == std::string::npos) ASSERT_TRUE(c.read_some(buffer, 2000ms));
    EXPECT_EQ(buffer, "250 secure\r\n");
    EXPECT_EQ(c.read_some(buffer, 2000ms).code, IoStatus::Code::eof);
    ASSERT_TRUE(server.wait_done(2000ms));
    EXPECT_EQ(server.record().lines, (std::vector<std::string>{"STARTTLS", "EHLO x"}));
    EXPECT_TRUE(server.record().completed);
}

TEST(Tls, ReadTimeoutLeavesTlsUsable) {
    ScriptedServer server({Step::wait(600ms), Step::send("late\r\n"), Step::expect_line()},
                          implicit_tls());
    TlsClientOptions options;
    options.verify = false;
    Connection c;
    ASSERT_TRUE(tls_connect(c, server, options));
    std::string buffer;
    EXPECT_EQ(c.read_some(buffer, 100ms).code, IoStatus::Code::timeout);
    while (buffer.find("\r\n") == std::string::npos) ASSERT_TRUE(c.read_some(buffer, 3000ms));
    EXPECT_EQ(buffer, "late\r\n");
    ASSERT_TRUE(c.write("ok\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(3000ms));
    EXPECT_EQ(server.record().lines, std::vector<std::string>{"ok"});
}

TEST(Tls, HandshakeWithSilentServerTimesOut) {
    ScriptedServer server({Step::hang()});  // plain TCP server that never answers the ClientHello
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    TlsClientOptions options;
    options.verify = false;
    const auto start = std::chrono::steady_clock::now();
    const IoStatus s = c.start_tls(options, 300ms);
    EXPECT_EQ(s.code, IoStatus::Code::timeout) << s.message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1300ms);
}

TEST(Tls, PlaintextServerIsTlsFailure) {
    ScriptedServer server({Step::send("220 plain text, not TLS\r\n"), Step::hang()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    TlsClientOptions options;
    options.verify = false;
    const IoStatus s = c.start_tls(options, 2000ms);
    EXPECT_EQ(s.code, IoStatus::Code::tls_failed) << s.message;
}

TEST(Tls, MissingCaFileIsTlsFailure) {
    ScriptedServer server({Step::hang()}, implicit_tls());
    TlsClientOptions options;
    options.ca_file = "/nonexistent/ca.pem";
    Connection c;
    const IoStatus s = tls_connect(c, server, options);
    EXPECT_EQ(s.code, IoStatus::Code::tls_failed);
    EXPECT_NE(s.message.find("/nonexistent/ca.pem"), std::string::npos) << s.message;
}

TEST(ServerTlsContext, RejectsBadPem) {
    EXPECT_THROW(make_server_tls_context({"not pem", "not pem"}), std::runtime_error);
    const CertificatePair a = test::test_certificate();
    CertificateRequest small;
    small.key_bits = 1024;
    const CertificatePair b = make_self_signed_certificate(small);
    EXPECT_THROW(make_server_tls_context({a.certificate_pem, b.private_key_pem}), std::runtime_error);
    EXPECT_NO_THROW(make_server_tls_context(a));
}

TEST(SelfSignedCertificate, RejectsBadRequests) {
    CertificateRequest bad_ip;
    bad_ip.ip_addresses = {"300.1.1.1"};
    bad_ip.key_bits = 1024;
    EXPECT_THROW(make_self_signed_certificate(bad_ip), std::runtime_error);
    CertificateRequest bad_bits;
    bad_bits.key_bits = 12;
    EXPECT_THROW(make_self_signed_certificate(bad_bits), std::runtime_error);
}

}  // namespace
}  // namespace mailspec::net
