// The Asio transport over real loopback sockets, with a trivial line-echo Session: plain and
// implicit TLS, STARTTLS upgrade, write queue and close, idle timeout, connection limit, Host::post
// from other threads, server stop, and the net.* / tls.* faults.
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <random>
#include <thread>

#include "mailspec/net/connection.hpp"
#include "transport/server.hpp"

namespace mailspec::server {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Events {
    std::atomic<int> opened{0};
    std::atomic<int> closed{0};
};

// Lines in, replies out. Commands: STARTTLS, QUIT, BIG n, POST, IDLE ms; anything else is echoed.
class EchoSession final : public Session {
public:
    EchoSession(Host& host, Events& events) : host_(host), events_(events) {}
    ~EchoSession() override {
        if (poster_.joinable()) poster_.join();
    }
    void on_open() override {
        ++events_.opened;
        host_.send(std::string("hello ") + (host_.is_tls() ? "tls" : "plain") + "\r\n");
    }
    void on_data(std::string_view bytes) override {
        buffer_.append(bytes);
        for (int guard = 0; guard < 1000; ++guard) {
            auto eol = buffer_.find("\r\n");
            if (eol == std::string::npos) return;
            std::string line = buffer_.substr(0, eol);
            buffer_.erase(0, eol + 2);
            if (line == "STARTTLS") {
                host_.send("go\r\n");
                host_.start_tls();
                buffer_.clear();  // RFC 3207 §4.2: nothing sent before TLS survives it
                return;
            }
            if (line == "STARTTLS-EAGER") {
                // Output queued after start_tls() must wait for the handshake.
                host_.send("go\r\n");
                host_.start_tls();
                host_.send("first over tls\r\n");
                buffer_.clear();
                return;
            }
            if (line == "QUIT") {
                host_.send("bye\r\n");
                host_.close();
                return;
            }
            if (line.rfind("BIG ", 0) == 0) {
                host_.send(std::string(std::stoul(line.substr(4)), 'x') + "\r\n");
            } else if (line == "POST") {
                poster_ = std::thread([this] { host_.post([this] { host_.send("posted\r\n"); }); });
            } else if (line.rfind("IDLE ", 0) == 0) {
                host_.set_idle_timeout(std::chrono::milliseconds(std::stol(line.substr(5))));
                host_.send("ok\r\n");
            } else {
                host_.send("echo " + line + (host_.is_tls() ? " (tls)" : "") + " from " +
                           host_.peer_address() + "\r\n");
            }
        }
    }
    void on_tls_ready() override { host_.send("tls ready\r\n"); }
    void on_idle_timeout() override {
        host_.send("timeout\r\n");
        host_.close();
    }
    void on_closed() override { ++events_.closed; }

private:
    Host& host_;
    Events& events_;
    std::string buffer_;
    std::thread poster_;
};

class TransportTest : public ::testing::Test {
protected:
    TransportTest() {
        std::random_device rd;
        root_ = fs::temp_directory_path() / ("mailspec-transport-test-" + std::to_string(rd()));
        config_.hostname = "mx.example.test";
        config_.store_path = root_;
        EndpointConfig plain;
        plain.name = "plain";
        plain.role = EndpointRole::smtp_relay;
        plain.protocol = Protocol::smtp;
        EndpointConfig implicit;
        implicit.name = "implicit";
        implicit.role = EndpointRole::imaps;
        implicit.protocol = Protocol::imap;
        implicit.tls = TlsMode::implicit;
        config_.endpoints = {plain, implicit};
    }
    ~TransportTest() override {
        server_.reset();
        store_.reset();
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

    void start() {
        store_ = std::make_unique<Store>(root_, std::vector<UserConfig>{});
        auto certificate = load_or_make_certificate(config_, faults_);
        server_ = std::make_unique<Server>(
            config_, *store_, faults_,
            [this](Host& host, const SessionContext&) -> std::unique_ptr<Session> {
                return std::make_unique<EchoSession>(host, events_);
            },
            certificate);
        server_->start(2);
    }
    unsigned short port(const std::string& name) {
        for (const auto& bound : server_->endpoints()) {
            if (bound.name == name) return bound.port;
        }
        return 0;
    }
    net::Connection connect(const std::string& name) {
        net::Connection c;
        auto status = c.connect("127.0.0.1", port(name), 5s);
        EXPECT_TRUE(status) << status.message;
        if (name == "implicit") {
            net::TlsClientOptions options;
            options.verify = false;
            auto tls = c.start_tls(options, 5s);
            EXPECT_TRUE(tls) << tls.message;
        }
        return c;
    }
    // Reads until `buffer` holds a full line; returns it without CRLF ("<eof>" / "<timeout>").
    static std::string line(net::Connection& c, std::string& buffer, net::Timeout timeout = 5s) {
        for (int i = 0; i < 100000; ++i) {
            auto eol = buffer.find('\n');
            if (eol != std::string::npos) {
                std::string out = buffer.substr(0, eol);
                buffer.erase(0, eol + 1);
                if (!out.empty() && out.back() == '\r') out.pop_back();
                return out;
            }
            auto status = c.read_some(buffer, timeout);
            if (!status) return "<" + std::string(net::to_string(status.code)) + ">";
        }
        return "<too long>";
    }
    static bool closed_by_peer(net::Connection& c, std::string& buffer) {
        auto status = c.read_some(buffer, 5s);
        return status.code == net::IoStatus::Code::eof;
    }
    static std::string send_and_read(net::Connection& c, std::string& buffer, const std::string& text) {
        auto status = c.write(text, 5s);
        if (!status) return "<write " + status.message + ">";
        return line(c, buffer);
    }
    bool wait_for(const std::function<bool()>& condition) {
        for (int i = 0; i < 500; ++i) {
            if (condition()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return condition();
    }

    fs::path root_;
    ServerConfig config_;
    Faults faults_;
    Events events_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Server> server_;
};

TEST_F(TransportTest, PlainEchoAndQuit) {
    start();
    ASSERT_NE(port("plain"), 0);
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    EXPECT_EQ(send_and_read(c, buffer, "ping\r\n"), "echo ping from 127.0.0.1");
    // Pipelined lines in one write, answered in order.
    ASSERT_TRUE(c.write("a\r\nb\r\n", 5s));
    EXPECT_EQ(line(c, buffer), "echo a from 127.0.0.1");
    EXPECT_EQ(line(c, buffer), "echo b from 127.0.0.1");
    EXPECT_EQ(send_and_read(c, buffer, "QUIT\r\n"), "bye");
    EXPECT_TRUE(closed_by_peer(c, buffer));
    EXPECT_TRUE(wait_for([&] { return events_.closed == 1; }));
    EXPECT_TRUE(wait_for([&] { return server_->active_connections() == 0; }));
}

TEST_F(TransportTest, ImplicitTls) {
    start();
    auto c = connect("implicit");
    ASSERT_TRUE(c.is_tls());
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello tls");
    EXPECT_EQ(send_and_read(c, buffer, "x\r\n"), "echo x (tls) from 127.0.0.1");
    EXPECT_EQ(send_and_read(c, buffer, "QUIT\r\n"), "bye");
    EXPECT_TRUE(closed_by_peer(c, buffer));
    EXPECT_FALSE(c.tls_info().version.empty());
    EXPECT_GT(c.tls_info().days_left.value_or(0), 300);
}

TEST_F(TransportTest, StartTlsUpgradeDiscardsPipelinedPlaintext) {
    start();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    // "INJECTED" rides along with STARTTLS in cleartext; the session drops it (RFC 3207 §4.2).
    ASSERT_TRUE(c.write("STARTTLS\r\nINJECTED\r\n", 5s));
    EXPECT_EQ(line(c, buffer), "go");
    ASSERT_TRUE(buffer.empty());
    net::TlsClientOptions options;
    options.verify = false;
    auto tls = c.start_tls(options, 5s);
    ASSERT_TRUE(tls) << tls.message;
    EXPECT_EQ(line(c, buffer), "tls ready");
    EXPECT_EQ(send_and_read(c, buffer, "after\r\n"), "echo after (tls) from 127.0.0.1");
}

TEST_F(TransportTest, OutputAfterStartTlsWaitsForTheHandshake) {
    start();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    ASSERT_TRUE(c.write("STARTTLS-EAGER\r\n", 5s));
    EXPECT_EQ(line(c, buffer), "go");
    ASSERT_TRUE(buffer.empty()) << "cleartext after the upgrade reply: " << buffer;
    net::TlsClientOptions options;
    options.verify = false;
    auto tls = c.start_tls(options, 5s);
    ASSERT_TRUE(tls) << tls.message;
    EXPECT_EQ(line(c, buffer), "first over tls");
    EXPECT_EQ(line(c, buffer), "tls ready");
}

TEST_F(TransportTest, HandshakeTimeoutClosesSilentTlsClients) {
    config_.limits.tls_handshake_timeout = 200ms;
    start();
    net::Connection c;
    ASSERT_TRUE(c.connect("127.0.0.1", port("implicit"), 5s));
    std::string buffer;
    auto started = std::chrono::steady_clock::now();
    auto status = c.read_some(buffer, 5s);  // never send a ClientHello
    EXPECT_NE(status.code, net::IoStatus::Code::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_TRUE(wait_for([&] { return server_->active_connections() == 0; }));
    EXPECT_EQ(events_.opened.load(), 0);
}

TEST_F(TransportTest, LargeOutputIsWrittenBeforeClose) {
    start();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    ASSERT_TRUE(c.write("BIG 3000000\r\nQUIT\r\n", 5s));
    EXPECT_EQ(line(c, buffer).size(), 3000000u);
    EXPECT_EQ(line(c, buffer), "bye");
    EXPECT_TRUE(closed_by_peer(c, buffer));
}

TEST_F(TransportTest, IdleTimeoutAndSessionOverride) {
    config_.limits.smtp_idle_timeout = 300ms;
    start();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(line(c, buffer), "timeout");
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 3s);
    EXPECT_TRUE(closed_by_peer(c, buffer));

    auto d = connect("plain");
    buffer.clear();
    EXPECT_EQ(line(d, buffer), "hello plain");
    EXPECT_EQ(send_and_read(d, buffer, "IDLE 5000\r\n"), "ok");
    std::string more;
    EXPECT_EQ(d.read_some(more, 700ms).code, net::IoStatus::Code::timeout);  // longer now
}

TEST_F(TransportTest, ConnectionLimitRefusesAndKeepsServing) {
    config_.limits.max_connections = 2;
    start();
    auto a = connect("plain");
    auto b = connect("plain");
    std::string ba, bb, bc;
    EXPECT_EQ(line(a, ba), "hello plain");
    EXPECT_EQ(line(b, bb), "hello plain");
    auto c = connect("plain");
    EXPECT_EQ(line(c, bc), "421 4.7.0 mx.example.test too many connections, try again later");
    EXPECT_TRUE(closed_by_peer(c, bc));
    auto d = connect("implicit");
    std::string bd;
    EXPECT_EQ(line(d, bd), "* BYE [UNAVAILABLE] too many connections, try again later");
    // The admitted ones still work; a slot frees up after one leaves.
    EXPECT_EQ(send_and_read(a, ba, "still\r\n"), "echo still from 127.0.0.1");
    EXPECT_EQ(send_and_read(b, bb, "QUIT\r\n"), "bye");
    EXPECT_TRUE(wait_for([&] { return server_->active_connections() == 1; }));
    auto e = connect("plain");
    std::string be;
    EXPECT_EQ(line(e, be), "hello plain");
}

TEST_F(TransportTest, PostFromAnotherThreadRunsOnTheConnection) {
    start();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    EXPECT_EQ(send_and_read(c, buffer, "POST\r\n"), "posted");
}

TEST_F(TransportTest, StopClosesOpenConnections) {
    start();
    auto c = connect("plain");
    auto d = connect("implicit");
    std::string bc, bd;
    EXPECT_EQ(line(c, bc), "hello plain");
    EXPECT_EQ(line(d, bd), "hello tls");
    auto started = std::chrono::steady_clock::now();
    server_->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_EQ(events_.closed.load(), 2);
    EXPECT_TRUE(closed_by_peer(c, bc));
    server_->stop();  // idempotent
}

TEST_F(TransportTest, BindFailureNamesTheEndpoint) {
    start();
    ServerConfig second = config_;
    second.endpoints[0].port = port("plain");  // already taken
    second.endpoints.resize(1);
    Store store(root_ / "second", {});
    auto certificate = load_or_make_certificate(second, faults_);
    Server other(second, store, faults_, [](Host&, const SessionContext&) { return nullptr; }, certificate);
    try {
        other.start(1);
        FAIL() << "expected a bind error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("endpoint 'plain' (127.0.0.1:" + std::to_string(port("plain"))),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(TransportTest, FaultBareLfAndSplitWrites) {
    faults_.enable("net.bare-lf");
    faults_.enable("net.split-writes");
    start();
    auto c = connect("plain");
    std::string buffer;
    std::string raw;
    for (int i = 0; i < 1000 && raw.find('\n') == std::string::npos; ++i) {
        ASSERT_TRUE(c.read_some(raw, 5s));
    }
    EXPECT_EQ(raw, "hello plain\n");  // every reply line ends in a bare LF
    ASSERT_TRUE(c.write("QUIT\r\n", 5s));
    EXPECT_EQ(line(c, buffer), "bye");
}

TEST_F(TransportTest, FaultGreetingDelay) {
    faults_.enable("net.greeting-delay=400");
    start();
    auto started = std::chrono::steady_clock::now();
    auto c = connect("plain");
    std::string buffer;
    EXPECT_EQ(line(c, buffer), "hello plain");
    EXPECT_GE(std::chrono::steady_clock::now() - started, 350ms);
}

TEST_F(TransportTest, FaultExpiredCertificate) {
    faults_.enable("tls.expired-cert");
    start();
    auto c = connect("implicit");
    ASSERT_TRUE(c.tls_info().days_left.has_value());
    EXPECT_LT(*c.tls_info().days_left, 0);
}

net::IoStatus legacy_handshake(unsigned short port) {
    net::Connection c;
    auto status = c.connect("127.0.0.1", port, 5s);
    if (!status) return status;
    net::TlsClientOptions options;
    options.verify = false;
    options.min_version = 0x0301;  // TLS 1.0 only
    options.max_version = 0x0301;
    options.allow_legacy = true;
    return c.start_tls(options, 5s);
}

TEST_F(TransportTest, Tls10IsRefusedByDefault) {
    start();
    EXPECT_EQ(legacy_handshake(port("implicit")).code, net::IoStatus::Code::tls_failed);
}

TEST_F(TransportTest, FaultTlsLegacyAcceptsTls10) {
    faults_.enable("tls.legacy");
    start();
    auto status = legacy_handshake(port("implicit"));
    EXPECT_TRUE(status) << status.message;
}

}  // namespace
}  // namespace mailspec::server
