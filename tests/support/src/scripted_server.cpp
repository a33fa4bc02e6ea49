// ScriptedServer: an acceptor thread plus one thread per accepted connection, each with its own
// io_context. Every asynchronous step runs in slices of at most 50 ms so stop() is noticed quickly,
// and is cancelled when its own timeout passes.
#include "mailspec/test/scripted_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "mailspec/net/server_tls.hpp"

namespace mailspec::test {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

Step Step::send(std::string bytes) { return {Kind::send, std::move(bytes), Millis{0}, 0}; }
Step Step::send_slowly(std::string bytes, Millis per_byte) {
    return {Kind::send_slowly, std::move(bytes), per_byte, 0};
}
Step Step::expect_line() { return {Kind::expect_line, {}, Millis{0}, 0}; }
Step Step::read_bytes(std::size_t count) { return {Kind::read_bytes, {}, Millis{0}, count}; }
Step Step::wait(Millis delay) { return {Kind::wait, {}, delay, 0}; }
Step Step::start_tls() { return {Kind::start_tls, {}, Millis{0}, 0}; }
Step Step::close() { return {Kind::close, {}, Millis{0}, 0}; }
Step Step::hang() { return {Kind::hang, {}, Millis{0}, 0}; }
Step Step::reset() { return {Kind::reset, {}, Millis{0}, 0}; }

namespace {

constexpr Millis slice{50};

enum class Outcome { done, timeout, stopped };

// Runs `io` until `finished` is set, the deadline passes or `stopping` is set. On timeout or stop,
// calls `cancel` and drains the aborted handlers.
template <typename Cancel>
Outcome run_until(asio::io_context& io, const bool& finished, Clock::time_point deadline,
                  const std::atomic<bool>& stopping, Cancel&& cancel) {
    while (!finished && !stopping.load() && Clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
        io.restart();
        io.run_for(std::min(slice, std::max(left, Millis{1})));
    }
    if (finished) return Outcome::done;
    cancel();
    for (int i = 0; i < 20 && !finished; ++i) {
        io.restart();
        io.run_for(slice);
    }
    return stopping.load() ? Outcome::stopped : Outcome::timeout;
}

}  // namespace

struct ScriptedServer::State {
    Script script;
    ScriptedServerOptions options;
    net::CertificatePair certificate;
    std::shared_ptr<ssl::context> tls_context;
    asio::io_context accept_io;
    tcp::acceptor acceptor{accept_io};
    unsigned short port = 0;
    std::atomic<bool> stopping{false};

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::vector<ConnectionRecord> records;
    int finished_connections = 0;

    std::thread accept_thread;
    std::mutex threads_mutex;
    std::vector<std::thread> connection_threads;

    template <typename F>
    void update(std::size_t index, F&& f) {
        std::lock_guard lock(mutex);
        f(records[index]);
        changed.notify_all();
    }

    void accept_loop();
    void serve(std::size_t index, std::unique_ptr<asio::io_context> io, tcp::socket socket);
};

namespace {

// One served connection: the socket, optional TLS on top of it, and bytes read but not consumed.
class Session {
public:
    Session(asio::io_context& io, tcp::socket socket, ssl::context& tls_context,
            const ScriptedServerOptions& options, const std::atomic<bool>& stopping,
            std::function<void(const std::function<void(ConnectionRecord&)>&)> update)
        : io_(io), socket_(std::move(socket)), tls_context_(tls_context), options_(options),
          stopping_(stopping), update_(std::move(update)) {}

    // Runs the steps; returns false on the first failing step (already recorded).
    bool run(const Script& script) {
        if (options_.implicit_tls && !handshake()) return false;
        for (const Step& step : script) {
            if (stopping_.load()) return fail("stopped before step " + describe(step));
            if (!run_step(step)) return false;
            if (step.kind == Step::Kind::close || step.kind == Step::Kind::reset) return true;
        }
        return true;
    }

    void close() {
        error_code ignored;
        if (tls_ && socket_.is_open()) {
            bool done = false;
            tls_->async_shutdown([&done](const error_code&) { done = true; });
            run_until(io_, done, Clock::now() + Millis{100}, stopping_, [this] { cancel(); });
        }
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

private:
    static std::string describe(const Step& step) {
        switch (step.kind) {
            case Step::Kind::send: return "send";
            case Step::Kind::send_slowly: return "send_slowly";
            case Step::Kind::expect_line: return "expect_line";
            case Step::Kind::read_bytes: return "read_bytes(" + std::to_string(step.count) + ")";
            case Step::Kind::wait: return "wait";
            case Step::Kind::start_tls: return "start_tls";
            case Step::Kind::close: return "close";
            case Step::Kind::hang: return "hang";
            case Step::Kind::reset: return "reset";
        }
        return "?";
    }

    bool fail(const std::string& message) {
        update_([&](ConnectionRecord& r) { r.errors.push_back(message); });
        return false;
    }

    void cancel() {
        error_code ignored;
        socket_.cancel(ignored);
    }

    bool run_step(const Step& step) {
        switch (step.kind) {
            case Step::Kind::send: return write(step.bytes);
            case Step::Kind::send_slowly:
                for (char c : step.bytes) {
                    if (!write(std::string(1, c)) || !sleep(step.delay)) return false;
                }
                return true;
            case Step::Kind::expect_line: {
                std::size_t end;
                while ((end = pending_.find("\r\n")) == std::string::npos) {
                    if (!read_more("expect_line")) return false;
                }
                std::string line = pending_.substr(0, end);
                pending_.erase(0, end + 2);
                update_([&](ConnectionRecord& r) { r.lines.push_back(std::move(line)); });
                return true;
            }
            case Step::Kind::read_bytes:
                while (pending_.size() < step.count) {
                    if (!read_more(describe(step))) return false;
                }
                pending_.erase(0, step.count);
                return true;
            case Step::Kind::wait: return sleep(step.delay);
            case Step::Kind::start_tls:
                if (!pending_.empty()) {
                    fail("start_tls: " + std::to_string(pending_.size()) +
                         " plaintext bytes received before the handshake were discarded");
                    pending_.clear();
                }
                return handshake();
            case Step::Kind::close:
                close();
                return true;
            case Step::Kind::reset: {
                error_code ignored;
                socket_.set_option(asio::socket_base::linger(true, 0), ignored);
                socket_.close(ignored);
                return true;
            }
            case Step::Kind::hang: {
                bool never = false;
                const auto outcome = run_until(io_, never, Clock::now() + options_.hang_limit,
                                               stopping_, [] {});
                return outcome == Outcome::stopped || fail("hang: hang_limit reached");
            }
        }
        return fail("unknown step");
    }

    bool sleep(Millis delay) {
        asio::steady_timer timer(io_, delay);
        bool done = false;
        timer.async_wait([&done](const error_code&) { done = true; });
        const auto outcome = run_until(io_, done, Clock::now() + delay + Millis{1000}, stopping_,
                                       [&timer] { timer.cancel(); });
        return outcome == Outcome::done || fail("wait interrupted");
    }

    bool write(const std::string& bytes) {
        bool done = false;
        error_code result;
        auto handler = [&](const error_code& ec, std::size_t) {
            result = ec;
            done = true;
        };
        if (tls_) asio::async_write(*tls_, asio::buffer(bytes), handler);
        else asio::async_write(socket_, asio::buffer(bytes), handler);
        const auto outcome = run_until(io_, done, Clock::now() + options_.step_timeout, stopping_,
                                       [this] { cancel(); });
        if (outcome != Outcome::done) return fail("send: timed out or stopped");
        if (result) return fail("send: " + result.message());
        return true;
    }

    bool read_more(const std::string& step) {
        std::array<char, 4096> chunk;
        bool done = false;
        error_code result;
        std::size_t got = 0;
        auto handler = [&](const error_code& ec, std::size_t n) {
            result = ec;
            got = n;
            done = true;
        };
        if (tls_) tls_->async_read_some(asio::buffer(chunk), handler);
        else socket_.async_read_some(asio::buffer(chunk), handler);
        const auto outcome = run_until(io_, done, Clock::now() + options_.step_timeout, stopping_,
                                       [this] { cancel(); });
        if (got > 0) {
            pending_.append(chunk.data(), got);
            update_([&](ConnectionRecord& r) { r.received.append(chunk.data(), got); });
        }
        if (outcome == Outcome::timeout) return fail(step + ": no data within step_timeout");
        if (outcome == Outcome::stopped) return fail(step + ": stopped");
        if (result == asio::error::eof || result == ssl::error::stream_truncated) {
            update_([](ConnectionRecord& r) { r.peer_closed = true; });
            return fail(step + ": the client closed the connection");
        }
        if (result) return fail(step + ": " + result.message());
        return true;
    }

    bool handshake() {
        tls_ = std::make_unique<ssl::stream<tcp::socket&>>(socket_, tls_context_);
        bool done = false;
        error_code result;
        tls_->async_handshake(ssl::stream_base::server, [&](const error_code& ec) {
            result = ec;
            done = true;
        });
        const auto outcome = run_until(io_, done, Clock::now() + options_.step_timeout, stopping_,
                                       [this] { cancel(); });
        if (outcome != Outcome::done || result) {
            tls_.reset();
            return fail("TLS handshake failed: " +
                        (outcome == Outcome::done ? result.message() : std::string("timed out")));
        }
        const std::string version = SSL_get_version(tls_->native_handle());
        const char* sni = SSL_get_servername(tls_->native_handle(), TLSEXT_NAMETYPE_host_name);
        update_([&](ConnectionRecord& r) {
            r.tls_version = version;
            r.sni = sni != nullptr ? sni : "";
        });
        return true;
    }

    asio::io_context& io_;
    tcp::socket socket_;
    ssl::context& tls_context_;
    const ScriptedServerOptions& options_;
    const std::atomic<bool>& stopping_;
    std::function<void(const std::function<void(ConnectionRecord&)>&)> update_;
    std::unique_ptr<ssl::stream<tcp::socket&>> tls_;
    std::string pending_;
};

}  // namespace

void ScriptedServer::State::serve(std::size_t index, std::unique_ptr<asio::io_context> io,
                                  tcp::socket socket) {
    Session session(*io, std::move(socket), *tls_context, options, stopping,
                    [this, index](const std::function<void(ConnectionRecord&)>& f) { update(index, f); });
    const bool ok = session.run(script);
    session.close();
    std::lock_guard lock(mutex);
    records[index].completed = ok;
    ++finished_connections;
    changed.notify_all();
}

void ScriptedServer::State::accept_loop() {
    const auto deadline = Clock::now() + options.accept_timeout;
    for (int i = 0; i < options.connections; ++i) {
        auto io = std::make_unique<asio::io_context>();
        tcp::socket socket(*io);
        bool done = false;
        error_code result;
        acceptor.async_accept(socket, [&](const error_code& ec) {
            result = ec;
            done = true;
        });
        const auto outcome = run_until(accept_io, done, deadline, stopping, [this] {
            error_code ignored;
            acceptor.cancel(ignored);
        });
        if (outcome != Outcome::done || result) {
            std::lock_guard lock(mutex);
            for (int k = i; k < options.connections; ++k) {
                records[k].errors.push_back(outcome == Outcome::timeout
                                                ? "no connection accepted within accept_timeout"
                                                : "accept: stopped or failed");
                ++finished_connections;
            }
            changed.notify_all();
            return;
        }
        update(static_cast<std::size_t>(i), [](ConnectionRecord& r) { r.accepted = true; });
        std::lock_guard lock(threads_mutex);
        connection_threads.emplace_back(
            [this, i, io = std::move(io), socket = std::move(socket)]() mutable {
                serve(static_cast<std::size_t>(i), std::move(io), std::move(socket));
            });
    }
}

ScriptedServer::ScriptedServer(Script script, ScriptedServerOptions options)
    : state_(std::make_shared<State>()) {
    State& s = *state_;
    s.script = std::move(script);
    s.options = std::move(options);
    if (s.options.connections < 1) s.options.connections = 1;
    s.certificate = s.options.certificate ? *s.options.certificate : test_certificate();
    s.tls_context = net::make_server_tls_context(s.certificate, s.options.tls_min_version,
                                                 s.options.tls_max_version);
    s.records.resize(static_cast<std::size_t>(s.options.connections));
    error_code ec;
    const auto address = asio::ip::make_address(s.options.address, ec);
    if (ec || !address.is_loopback()) {
        throw std::runtime_error("ScriptedServer: listen address must be a loopback address, got " +
                                 s.options.address);
    }
    const tcp::endpoint endpoint(address, 0);
    s.acceptor.open(endpoint.protocol());
    s.acceptor.set_option(tcp::acceptor::reuse_address(true));
    s.acceptor.bind(endpoint);
    s.acceptor.listen();
    s.port = s.acceptor.local_endpoint().port();
    s.accept_thread = std::thread([&s] { s.accept_loop(); });
}

ScriptedServer::~ScriptedServer() { stop(); }

unsigned short ScriptedServer::port() const { return state_->port; }
const net::CertificatePair& ScriptedServer::certificate() const { return state_->certificate; }

bool ScriptedServer::wait_done(Millis timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [this] {
        return state_->finished_connections >= state_->options.connections;
    });
}

void ScriptedServer::stop() {
    State& s = *state_;
    s.stopping = true;
    if (s.accept_thread.joinable()) s.accept_thread.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(s.threads_mutex);
        threads.swap(s.connection_threads);
    }
    for (auto& t : threads) t.join();
    error_code ignored;
    s.acceptor.close(ignored);
}

ConnectionRecord ScriptedServer::record(std::size_t connection) const {
    std::lock_guard lock(state_->mutex);
    if (connection >= state_->records.size()) return {};
    return state_->records[connection];
}

std::vector<ConnectionRecord> ScriptedServer::records() const {
    std::lock_guard lock(state_->mutex);
    return state_->records;
}

}  // namespace mailspec::test
