// The scripted server itself: recording, step timeouts, stop(), several connections, PEM files.
#include "mailspec/test/scripted_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mailspec/net/connection.hpp"

namespace mailspec::test {
namespace {

using namespace std::chrono_literals;
using net::Connection;
using net::IoStatus;
using Clock = std::chrono::steady_clock;

std::string read_until(Connection& c, const std::string& marker, net::Timeout timeout = 2000ms) {
    std::string buffer;
    while (buffer.find(marker) == std::string::npos) {
        if (!c.read_some(buffer, timeout)) break;
    }
    return buffer;
}

TEST(ScriptedServer, RecordsLinesAndBytes) {
    ScriptedServer server({Step::send("+OK\r\n"), Step::expect_line(), Step::read_bytes(5),
                           Step::expect_line(), Step::send("+OK bye\r\n")});
    EXPECT_NE(server.port(), 0);
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    EXPECT_EQ(read_until(c, "\r\n"), "+OK\r\n");
    // Everything in one write: the server still splits it by step.
    ASSERT_TRUE(c.write("USER a\r\nXXXXXQUIT\r\n", 1000ms));
    EXPECT_EQ(read_until(c, "\r\n"), "+OK bye\r\n");
    std::string rest;
    EXPECT_EQ(c.read_some(rest, 2000ms).code, IoStatus::Code::eof);  // closed at the script's end
    ASSERT_TRUE(server.wait_done(2000ms));
    const ConnectionRecord r = server.record();
    EXPECT_TRUE(r.accepted);
    EXPECT_TRUE(r.completed);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.lines, (std::vector<std::string>{"USER a", "QUIT"}));
    EXPECT_EQ(r.received, "USER a\r\nXXXXXQUIT\r\n");
}

TEST(ScriptedServer, ExpectLineTimesOutAndRecordsIt) {
    ScriptedServerOptions o;
    o.step_timeout = 200ms;
    ScriptedServer server({Step::expect_line(), Step::send("never\r\n")}, o);
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    ASSERT_TRUE(c.write("no line end", 1000ms));
    ASSERT_TRUE(server.wait_done(2000ms));
    const ConnectionRecord r = server.record();
    EXPECT_FALSE(r.completed);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("expect_line: no data within step_timeout"), std::string::npos);
    EXPECT_EQ(r.received, "no line end");
    std::string buffer;
    EXPECT_EQ(c.read_some(buffer, 2000ms).code, IoStatus::Code::eof);
}

TEST(ScriptedServer, ClientCloseIsRecorded) {
    ScriptedServer server({Step::expect_line()});
    {
        Connection c;
        ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
        ASSERT_TRUE(c.write("partial", 1000ms));
    }
    ASSERT_TRUE(server.wait_done(3000ms));
    const ConnectionRecord r = server.record();
    EXPECT_TRUE(r.peer_closed);
    EXPECT_FALSE(r.completed);
    EXPECT_EQ(r.received, "partial");
}

TEST(ScriptedServer, StopInterruptsHangQuickly) {
    auto server = std::make_unique<ScriptedServer>(Script{Step::send("* OK\r\n"), Step::hang()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server->port(), 2000ms));
    EXPECT_EQ(read_until(c, "\r\n"), "* OK\r\n");
    std::string buffer;
    EXPECT_EQ(c.read_some(buffer, 200ms).code, IoStatus::Code::timeout);
    const auto start = Clock::now();
    server.reset();
    EXPECT_LT(Clock::now() - start, 1000ms);
    EXPECT_EQ(c.read_some(buffer, 2000ms).code, IoStatus::Code::eof);
}

TEST(ScriptedServer, NoClientEndsAtAcceptTimeout) {
    ScriptedServerOptions o;
    o.accept_timeout = 200ms;
    ScriptedServer server({Step::send("x")}, o);
    ASSERT_TRUE(server.wait_done(2000ms));
    const ConnectionRecord r = server.record();
    EXPECT_FALSE(r.accepted);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("accept_timeout"), std::string::npos);
}

TEST(ScriptedServer, ServesSeveralConnectionsConcurrently) {
    ScriptedServerOptions o;
    o.connections = 2;
    ScriptedServer server({Step::send("* OK\r\n"), Step::expect_line(), Step::send("a OK\r\n")}, o);
    Connection a, b;
    ASSERT_TRUE(a.connect("127.0.0.1", server.port(), 2000ms));
    ASSERT_TRUE(b.connect("127.0.0.1", server.port(), 2000ms));
    // Both greetings arrive before either client sends anything.
    EXPECT_EQ(read_until(a, "\r\n"), "* OK\r\n");
    EXPECT_EQ(read_until(b, "\r\n"), "* OK\r\n");
    ASSERT_TRUE(b.write("b1 NOOP\r\n", 1000ms));
    ASSERT_TRUE(a.write("a1 NOOP\r\n", 1000ms));
    EXPECT_EQ(read_until(a, "\r\n"), "a OK\r\n");
    EXPECT_EQ(read_until(b, "\r\n"), "a OK\r\n");
    ASSERT_TRUE(server.wait_done(2000ms));
    const auto records = server.records();
    ASSERT_EQ(records.size(), 2u);
    std::vector<std::string> lines{records[0].lines.at(0), records[1].lines.at(0)};
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::string>{"a1 NOOP", "b1 NOOP"}));
}

TEST(ScriptedServer, SendSlowlyPacesBytes) {
    ScriptedServer server({Step::send_slowly("12345\r\n", 20ms)});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    const auto start = Clock::now();
    std::string buffer;
    int reads = 0;
    while (buffer.find("\r\n") == std::string::npos && reads < 100) {
        ASSERT_TRUE(c.read_some(buffer, 2000ms));
        ++reads;
    }
    EXPECT_EQ(buffer, "12345\r\n");
    EXPECT_GE(Clock::now() - start, 100ms);
    EXPECT_GT(reads, 1);
}

TEST(ScriptedServer, ImplicitTlsRecordsVersion) {
    ScriptedServerOptions o;
    o.implicit_tls = true;
    ScriptedServer server({Step::expect_line()}, o);
    TempPemFile ca(server.certificate());
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    net::TlsClientOptions options;
    options.ca_file = ca.path();
    ASSERT_TRUE(c.start_tls(options, 3000ms));
    ASSERT_TRUE(c.write("hello\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(3000ms));
    EXPECT_EQ(server.record().tls_version, "TLSv1.3");
    EXPECT_EQ(server.record().lines, std::vector<std::string>{"hello"});
}

TEST(ScriptedServer, FailedHandshakeIsRecorded) {
    ScriptedServerOptions o;
    o.implicit_tls = true;
    ScriptedServer server({Step::expect_line()}, o);
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    ASSERT_TRUE(c.write("EHLO plain\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(3000ms));
    const ConnectionRecord r = server.record();
    ASSERT_FALSE(r.errors.empty());
    EXPECT_NE(r.errors[0].find("TLS handshake failed"), std::string::npos) << r.errors[0];
}

TEST(TempPemFile, WritesAndRemovesTheCertificate) {
    std::string path;
    {
        TempPemFile file(test_certificate());
        path = file.path();
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        EXPECT_EQ(text.str(), test_certificate().certificate_pem);
        EXPECT_NE(text.str().find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    const std::string kept = write_temp_pem(test_certificate());
    EXPECT_TRUE(std::filesystem::exists(kept));
    std::filesystem::remove(kept);
}

}  // namespace
}  // namespace mailspec::test

namespace mailspec::test {
namespace {

TEST(ScriptedServer, RefusesNonLoopbackAddresses) {
    ScriptedServerOptions o;
    o.address = "0.0.0.0";
    EXPECT_THROW(ScriptedServer({Step::hang()}, o), std::runtime_error);
    o.address = "not an address";
    EXPECT_THROW(ScriptedServer({Step::hang()}, o), std::runtime_error);
}

}  // namespace
}  // namespace mailspec::test
