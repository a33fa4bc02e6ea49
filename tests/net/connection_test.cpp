// Connection over real loopback sockets: connect outcomes, deadlines, plain reads and writes.
#include "mailspec/net/connection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "mailspec/test/scripted_server.hpp"

namespace mailspec::net {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;
using test::Step;
using Clock = std::chrono::steady_clock;

// A loopback port with nothing listening: bind, read the port, close.
unsigned short closed_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

// Reads until `buffer` holds CRLF; returns the status of the last read.
IoStatus read_line(Connection& c, std::string& buffer, Timeout timeout) {
    while (buffer.find("\r\n") == std::string::npos) {
        IoStatus s = c.read_some(buffer, timeout);
        if (!s) return s;
    }
    return IoStatus::ok();
}

TEST(IoStatus, CodesHaveNames) {
    EXPECT_STREQ(to_string(IoStatus::Code::ok), "ok");
    EXPECT_STREQ(to_string(IoStatus::Code::refused), "refused");
    EXPECT_STREQ(to_string(IoStatus::Code::tls_failed), "tls_failed");
    EXPECT_TRUE(static_cast<bool>(IoStatus::ok()));
    EXPECT_FALSE(static_cast<bool>(IoStatus{IoStatus::Code::eof, "x"}));
}

TEST(Connection, RefusedWhenNothingListens) {
    const unsigned short port = closed_port();
    Connection c;
    const auto start = Clock::now();
    const IoStatus s = c.connect("127.0.0.1", port, 2000ms);
    EXPECT_EQ(s.code, IoStatus::Code::refused) << s.message;
    EXPECT_NE(s.message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << s.message;
    EXPECT_LT(Clock::now() - start, 1500ms);
    EXPECT_FALSE(c.is_open());
}

TEST(Connection, ReadTimesOutWithinBoundsWhenServerIsSilent) {
    ScriptedServer server({Step::hang()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    std::string buffer;
    const auto start = Clock::now();
    const IoStatus s = c.read_some(buffer, 300ms);
    const auto elapsed = Clock::now() - start;
    EXPECT_EQ(s.code, IoStatus::Code::timeout) << s.message;
    EXPECT_GE(elapsed, 290ms);
    EXPECT_LT(elapsed, 1300ms);
    EXPECT_TRUE(buffer.empty());
    // The connection stays usable after a read timeout.
    EXPECT_TRUE(c.is_open());
    EXPECT_TRUE(c.write("NOOP\r\n", 1000ms));
}

TEST(Connection, ExchangesLinesAndSeesEof) {
    ScriptedServer server({Step::send("220 ready\r\n"), Step::expect_line(),
                           Step::send("221 bye\r\n"), Step::close()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    EXPECT_EQ(c.peer(), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_FALSE(c.is_tls());
    std::string buffer;
    ASSERT_TRUE(read_line(c, buffer, 2000ms));
    EXPECT_EQ(buffer, "220 ready\r\n");
    ASSERT_TRUE(c.write("QUIT\r\n", 1000ms));
    buffer.clear();
    ASSERT_TRUE(read_line(c, buffer, 2000ms));
    EXPECT_EQ(buffer, "221 bye\r\n");
    const IoStatus s = c.read_some(buffer, 2000ms);
    EXPECT_EQ(s.code, IoStatus::Code::eof) << s.message;
    ASSERT_TRUE(server.wait_done(2000ms));
    const auto record = server.record();
    EXPECT_TRUE(record.completed);
    ASSERT_EQ(record.lines.size(), 1u);
    EXPECT_EQ(record.lines[0], "QUIT");
    EXPECT_EQ(record.received, "QUIT\r\n");
}

TEST(Connection, SlowServerBytesArriveAcrossReads) {
    ScriptedServer server({Step::send_slowly("+OK hi\r\n", 5ms)});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    std::string buffer;
    ASSERT_TRUE(read_line(c, buffer, 2000ms));
    EXPECT_EQ(buffer, "+OK hi\r\n");
}

TEST(Connection, LocalhostNameResolves) {
    ScriptedServer server({Step::send("* OK\r\n")});
    Connection c;
    // "localhost" may resolve to ::1 first, where nothing listens; the next address is tried.
    const IoStatus s = c.connect("localhost", server.port(), 3000ms);
    ASSERT_TRUE(s) << s.message;
    std::string buffer;
    ASSERT_TRUE(read_line(c, buffer, 2000ms));
    EXPECT_EQ(buffer, "* OK\r\n");
}

TEST(Connection, Ipv6Loopback) {
    test::ScriptedServerOptions o;
    o.address = "::1";
    std::unique_ptr<ScriptedServer> server;
    try {
        server = std::make_unique<ScriptedServer>(test::Script{Step::send("220 v6\r\n")}, o);
    } catch (const std::exception& e) {
        GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
    }
    Connection c;
    const IoStatus s = c.connect("::1", server->port(), 2000ms);
    ASSERT_TRUE(s) << s.message;
    EXPECT_EQ(c.peer(), "[::1]:" + std::to_string(server->port()));
    std::string buffer;
    ASSERT_TRUE(read_line(c, buffer, 2000ms));
    EXPECT_EQ(buffer, "220 v6\r\n");
}

TEST(Connection, ConnectTimeoutIsBounded) {
    // A zero timeout can never complete a connect: the deadline passes first, nothing hangs.
    ScriptedServer server({Step::hang()});
    Connection c;
    const auto start = Clock::now();
    const IoStatus s = c.connect("127.0.0.1", server.port(), 0ms);
    EXPECT_EQ(s.code, IoStatus::Code::timeout) << s.message;
    EXPECT_LT(Clock::now() - start, 1000ms);
    EXPECT_FALSE(c.is_open());
}

TEST(Connection, UnknownHostIsUnreachable) {
    Connection c;
    const auto start = Clock::now();
    const IoStatus s = c.connect("no-such-host.invalid", 25, 3000ms);
    // RFC 6761 §6.4: ".invalid" never resolves. Without any resolver configured the lookup can
    // still only fail or run into the deadline; it never connects.
    EXPECT_TRUE(s.code == IoStatus::Code::unreachable || s.code == IoStatus::Code::timeout)
        << to_string(s.code) << ": " << s.message;
    EXPECT_LT(Clock::now() - start, 4000ms);
    EXPECT_FALSE(c.is_open());
}

TEST(Connection, OperationsOnClosedConnectionAreErrors) {
    Connection c;
    std::string buffer;
    EXPECT_EQ(c.read_some(buffer, 100ms).code, IoStatus::Code::error);
    EXPECT_EQ(c.write("x", 100ms).code, IoStatus::Code::error);
    EXPECT_EQ(c.start_tls({}, 100ms).code, IoStatus::Code::error);
    c.close();  // harmless
    EXPECT_FALSE(c.is_open());
}

TEST(Connection, MovedConnectionKeepsTheSocket) {
    ScriptedServer server({Step::send("220 x\r\n")});
    Connection a;
    ASSERT_TRUE(a.connect("127.0.0.1", server.port(), 2000ms));
    Connection b = std::move(a);
    EXPECT_TRUE(b.is_open());
    std::string buffer;
    ASSERT_TRUE(read_line(b, buffer, 2000ms));
    EXPECT_EQ(buffer, "220 x\r\n");
}

TEST(Connection, ResetByPeerIsAnError) {
    ScriptedServer server({Step::expect_line(), Step::reset()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    ASSERT_TRUE(c.write("QUIT\r\n", 1000ms));
    ASSERT_TRUE(server.wait_done(2000ms));
    std::string buffer;
    const IoStatus s = c.read_some(buffer, 2000ms);
    EXPECT_EQ(s.code, IoStatus::Code::error) << s.message;
    EXPECT_NE(s.message.find("reset"), std::string::npos) << s.message;
}

TEST(Connection, WriteTimesOutWhenPeerNeverReads) {
    ScriptedServer server({Step::hang()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    const std::string huge(64 << 20, 'x');  // far more than the socket buffers hold
    const auto start = Clock::now();
    const IoStatus s = c.write(huge, 300ms);
    EXPECT_EQ(s.code, IoStatus::Code::timeout) << s.message;
    EXPECT_LT(Clock::now() - start, 1300ms);
}

TEST(Connection, WriteToClosedPeerFailsWithoutHanging) {
    ScriptedServer server({Step::close()});
    Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port(), 2000ms));
    ASSERT_TRUE(server.wait_done(2000ms));
    const std::string big(1 << 20, 'x');
    IoStatus s;
    for (int i = 0; i < 20 && s; ++i) s = c.write(big, 1000ms);
    EXPECT_EQ(s.code, IoStatus::Code::error) << s.message;
}

}  // namespace
}  // namespace mailspec::net
