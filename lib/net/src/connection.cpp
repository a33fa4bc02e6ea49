// Connection: every operation is started as an Asio async operation on the connection's own
// io_context, which is then run for at most the operation's timeout (io_context::run_for). When the
// deadline passes first, the socket is cancelled and the aborted handler drained, so
// no call waits longer than its timeout plus the time to run an already-queued cancellation.
// Name resolution runs on a detached thread instead (see resolve()), since getaddrinfo cannot be
// cancelled.
#include "mailspec/net/connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <optional>
#include <stdexcept>

#include "client_tls_context.hpp"
#include "openssl_util.hpp"

namespace mailspec::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// Cancelled handlers are already queued when cancel() returns; this only bounds a pathological case.
constexpr Timeout drain_limit{1000};
constexpr Timeout drain_slice{5};
// close(): how long to wait for the peer's close_notify after sending ours. RFC 8446 §6.1 lets the
// closing side leave without the reply; the short wait only lets a prompt peer finish cleanly.
constexpr Timeout tls_shutdown_timeout{100};

std::string ms(Timeout t) { return std::to_string(t.count()) + " ms"; }

bool is_unreachable(const error_code& ec) {
    return ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
           ec == asio::error::no_data || ec == asio::error::no_recovery ||
           ec == asio::error::network_unreachable || ec == asio::error::host_unreachable ||
           ec == asio::error::address_family_not_supported;
}

bool is_host_mismatch(int err) {
    return err == X509_V_ERR_HOSTNAME_MISMATCH || err == X509_V_ERR_IP_ADDRESS_MISMATCH ||
           err == X509_V_ERR_EMAIL_MISMATCH;
}

// getaddrinfo cannot be interrupted, so it runs on a detached thread that owns its own state: on
// timeout the caller leaves at once and the lookup finishes (and is dropped) in the background.
// Returns the lookup's error, or nullopt on timeout.
std::optional<error_code> resolve(const std::string& host, unsigned short port, Timeout timeout,
                                  std::vector<tcp::endpoint>& endpoints) {
    struct Lookup {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        error_code ec;
        std::vector<tcp::endpoint> endpoints;
    };
    auto lookup = std::make_shared<Lookup>();
    try {
        std::thread([lookup, host, port] {
            asio::io_context io;
            tcp::resolver resolver(io);
            error_code ec;
            const auto results = resolver.resolve(host, std::to_string(port), ec);
            std::lock_guard lock(lookup->mutex);
            lookup->ec = ec;
            if (!ec) {
                for (const auto& entry : results) lookup->endpoints.push_back(entry.endpoint());
            }
            lookup->done = true;
            lookup->done_cv.notify_all();
        }).detach();
    } catch (const std::system_error&) {  // no thread available
        return boost::system::errc::make_error_code(boost::system::errc::resource_unavailable_try_again);
    }
    std::unique_lock lock(lookup->mutex);
    if (!lookup->done_cv.wait_for(lock, timeout, [&] { return lookup->done; })) return std::nullopt;
    endpoints = std::move(lookup->endpoints);
    return lookup->ec;
}

// Literals are used as they are; names go through resolve() with the deadline.
IoStatus lookup(const std::string& host, unsigned short port, Timeout timeout,
                std::vector<tcp::endpoint>& endpoints) {
    error_code ec;
    const auto literal = asio::ip::make_address(host, ec);
    if (!ec) {
        endpoints.emplace_back(literal, port);
        return {};
    }
    const auto r = resolve(host, port, timeout, endpoints);
    if (!r) return {IoStatus::Code::timeout, "resolving " + host + " took longer than " + ms(timeout)};
    if (*r) return {IoStatus::Code::unreachable, "cannot resolve " + host + ": " + r->message()};
    if (endpoints.empty()) return {IoStatus::Code::unreachable, "no address for " + host};
    return {};
}

}  // namespace

IoStatus resolve_host(const std::string& host, Timeout timeout) {
    std::vector<tcp::endpoint> endpoints;
    return lookup(host, 0, timeout, endpoints);
}

struct Connection::Impl {
    asio::io_context io;
    tcp::socket socket{io};
    std::shared_ptr<ssl::context> tls_context;  // shared, see client_tls_context.hpp
    std::unique_ptr<ssl::stream<tcp::socket&>> tls;
    TlsInfo info;
    std::string host;
    std::string peer_text;
    bool verify = true;
    int first_chain_error = 0;  // first certificate error that is not a host-name mismatch
    bool host_error = false;

    // Runs one async operation with a deadline. `start` receives the completion handler;
    // `cancel` aborts the operation. Returns the operation's error, or nullopt on timeout.
    // After a timeout the cancelled handler is drained: socket reads and writes refer to buffers on
    // the caller's stack, which must not be touched once run() has returned.
    template <typename Start, typename Cancel>
    std::optional<error_code> run(Timeout timeout, Start&& start, Cancel&& cancel) {
        // Shared, so even a completion that outlives the drain limit writes into live memory.
        auto result = std::make_shared<std::optional<error_code>>();
        io.restart();
        start([result](const error_code& ec, auto&&...) { *result = ec; });
        if (timeout.count() > 0) io.run_for(timeout);
        if (*result) return *result;
        cancel();
        // A composed operation (TLS handshake, async_write) may be between two steps when cancelled
        // and start its next socket operation while draining, so cancel again on every slice.
        const auto drain_deadline = std::chrono::steady_clock::now() + drain_limit;
        while (!*result && std::chrono::steady_clock::now() < drain_deadline) {
            io.restart();
            io.run_for(drain_slice);
            if (!*result) cancel();
        }
        if (!*result) {  // cancellation did not complete: force it by closing the socket
            error_code ignored;
            socket.close(ignored);
            io.restart();
            io.run_for(drain_limit);
        }
        // Completed after all while the cancellation raced with it: report the success (a read's
        // bytes are then already in the caller's buffer).
        if (*result && !**result) return *result;
        return std::nullopt;
    }

    template <typename Start>
    std::optional<error_code> run_on_socket(Timeout timeout, Start&& start) {
        return run(timeout, std::forward<Start>(start), [this] {
            error_code ignored;
            socket.cancel(ignored);
        });
    }

    void reset_tls() {
        tls.reset();
        tls_context.reset();
    }

    void close_socket() {
        error_code ignored;
        if (socket.is_open()) {
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
        }
        reset_tls();
    }
};

Connection::Connection() : impl_(std::make_unique<Impl>()) {}
Connection::~Connection() {
    if (impl_) close();
}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        if (impl_) close();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

IoStatus Connection::connect(const std::string& host, unsigned short port, Timeout timeout) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& d = *impl_;
    d.close_socket();
    d.info = {};
    d.host = host;
    d.peer_text.clear();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string target = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                               ":" + std::to_string(port);

    std::vector<tcp::endpoint> endpoints;
    if (auto r = lookup(host, port, timeout, endpoints); !r) return r;

    const auto remaining =
        std::chrono::duration_cast<Timeout>(deadline - std::chrono::steady_clock::now());
    const auto r = d.run_on_socket(remaining, [&](auto handler) {
        asio::async_connect(d.socket, endpoints, [handler](const error_code& e, const tcp::endpoint&) mutable {
            handler(e);
        });
    });
    if (!r) {
        d.close_socket();
        return {IoStatus::Code::timeout, "connecting to " + target + " took longer than " + ms(timeout)};
    }
    if (*r) {
        d.close_socket();
        if (*r == asio::error::connection_refused)
            return {IoStatus::Code::refused, "connection to " + target + " refused"};
        if (is_unreachable(*r))
            return {IoStatus::Code::unreachable, "cannot reach " + target + ": " + r->message()};
        return {IoStatus::Code::error, "connecting to " + target + ": " + r->message()};
    }
    error_code ignored;
    d.socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = d.socket.remote_endpoint(ignored);
    d.peer_text = remote.address().is_v6() ? "[" + remote.address().to_string() + "]:" + std::to_string(remote.port())
                                           : remote.address().to_string() + ":" + std::to_string(remote.port());
    if (ignored) d.peer_text = target;
    return IoStatus::ok();
}

IoStatus Connection::start_tls(const TlsClientOptions& options, Timeout timeout) {
    if (!is_open()) return {IoStatus::Code::error, "start_tls: the connection is not open"};
    Impl& d = *impl_;
    if (d.tls) return {IoStatus::Code::error, "start_tls: TLS is already active on " + d.peer_text};
    // The timeout covers setting up the context (loading the trust store) and the handshake.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string name = options.server_name.empty() ? d.host : options.server_name;
    const bool ip_name = detail::is_ip_literal(name);

    detail::ClientContext built = detail::client_context_for(options);
    if (!built.context) {
        d.reset_tls();
        return {IoStatus::Code::tls_failed, built.error};
    }
    d.tls_context = std::move(built.context);

    d.tls = std::make_unique<ssl::stream<tcp::socket&>>(d.socket, *d.tls_context);
    SSL* ssl_handle = d.tls->native_handle();
    d.verify = options.verify;
    d.first_chain_error = 0;
    d.host_error = false;
    // The chain and the name are always checked so TlsInfo can report them; with verify=false the
    // callback accepts every certificate and the handshake completes anyway.
    d.tls->set_verify_mode(ssl::verify_peer);
    d.tls->set_verify_callback([&d](bool preverified, ssl::verify_context& vctx) {
        if (!preverified) {
            const int err = X509_STORE_CTX_get_error(vctx.native_handle());
            if (is_host_mismatch(err)) d.host_error = true;
            else if (d.first_chain_error == 0) d.first_chain_error = err;
        }
        return d.verify ? preverified : true;
    });
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (ip_name) {
        X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    } else if (!name.empty()) {
        SSL_set1_host(ssl_handle, name.c_str());
        SSL_set_tlsext_host_name(ssl_handle, name.c_str());  // SNI, RFC 6066 §3: names only
    }

    const auto left = std::chrono::duration_cast<Timeout>(deadline - std::chrono::steady_clock::now());
    const auto r = d.run_on_socket(left, [&](auto handler) {
        d.tls->async_handshake(ssl::stream_base::client, handler);
    });
    if (!r || *r) {
        std::string why;
        if (!r) {
            why = "TLS handshake with " + d.peer_text + " took longer than " + ms(timeout);
        } else {
            why = "TLS handshake with " + d.peer_text + " failed: " + r->message();
            const std::string queued = detail::openssl_errors();
            if (!queued.empty()) why += " (" + queued + ")";
            if (d.first_chain_error != 0)
                why += "; certificate: " + std::string(X509_verify_cert_error_string(d.first_chain_error));
            if (d.host_error) why += "; certificate is not valid for " + name;
        }
        d.close_socket();
        return {r ? IoStatus::Code::tls_failed : IoStatus::Code::timeout, why};
    }

    TlsInfo info;
    info.version = SSL_get_version(ssl_handle);
    if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_handle)) info.cipher = SSL_CIPHER_get_name(cipher);
    detail::X509Ptr cert(SSL_get1_peer_certificate(ssl_handle));
    if (cert) {
        detail::describe_certificate(cert.get(), info);
        info.hostname_matches =
            ip_name ? X509_check_ip_asc(cert.get(), name.c_str(), 0) == 1
                    : X509_check_host(cert.get(), name.c_str(), name.size(),
                                      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
        const long result = SSL_get_verify_result(ssl_handle);
        info.chain_verified =
            d.first_chain_error == 0 && (result == X509_V_OK || is_host_mismatch(static_cast<int>(result)));
        if (d.first_chain_error != 0) {
            info.verify_error = X509_verify_cert_error_string(d.first_chain_error);
        } else if (!info.hostname_matches) {
            info.verify_error = "certificate is not valid for " + name;
        }
    } else {
        info.verify_error = "the server sent no certificate";
    }
    d.info = std::move(info);
    return IoStatus::ok();
}

IoStatus Connection::read_some(std::string& buffer, Timeout timeout) {
    if (!is_open()) return {IoStatus::Code::error, "read: the connection is not open"};
    Impl& d = *impl_;
    std::array<char, 16 * 1024> chunk;
    std::size_t got = 0;
    const auto r = d.run_on_socket(timeout, [&](auto handler) {
        auto on_read = [&got, handler](const error_code& e, std::size_t n) mutable {
            got = n;
            handler(e);
        };
        if (d.tls) d.tls->async_read_some(asio::buffer(chunk), on_read);
        else d.socket.async_read_some(asio::buffer(chunk), on_read);
    });
    buffer.append(chunk.data(), got);
    if (!r) return {IoStatus::Code::timeout, "no data from " + d.peer_text + " within " + ms(timeout)};
    if (!*r) return IoStatus::ok();
    if (got > 0) return IoStatus::ok();  // report the error on the next call
    if (*r == asio::error::eof) return {IoStatus::Code::eof, d.peer_text + " closed the connection"};
    if (*r == ssl::error::stream_truncated)
        return {IoStatus::Code::eof, d.peer_text + " closed the connection without a TLS close_notify"};
    return {IoStatus::Code::error, "reading from " + d.peer_text + ": " + r->message()};
}

IoStatus Connection::write(std::string_view bytes, Timeout timeout) {
    if (!is_open()) return {IoStatus::Code::error, "write: the connection is not open"};
    Impl& d = *impl_;
    const auto r = d.run_on_socket(timeout, [&](auto handler) {
        auto on_write = [handler](const error_code& e, std::size_t) mutable { handler(e); };
        if (d.tls) asio::async_write(*d.tls, asio::buffer(bytes.data(), bytes.size()), on_write);
        else asio::async_write(d.socket, asio::buffer(bytes.data(), bytes.size()), on_write);
    });
    if (!r) {
        return {IoStatus::Code::timeout,
                "writing " + std::to_string(bytes.size()) + " bytes to " + d.peer_text +
                    " took longer than " + ms(timeout)};
    }
    // Broken pipe / reset: the peer is gone; the caller decides whether that is the server's fault.
    if (*r) return {IoStatus::Code::error, "writing to " + d.peer_text + ": " + r->message()};
    return IoStatus::ok();
}

void Connection::close() {
    if (!impl_) return;
    Impl& d = *impl_;
    if (d.tls && d.socket.is_open()) {
        d.run_on_socket(tls_shutdown_timeout, [&](auto handler) { d.tls->async_shutdown(handler); });
    }
    d.close_socket();
}

bool Connection::is_open() const { return impl_ && impl_->socket.is_open(); }
bool Connection::is_tls() const { return is_open() && impl_->tls != nullptr; }

const TlsInfo& Connection::tls_info() const {
    static const TlsInfo empty;
    return impl_ ? impl_->info : empty;
}

std::string Connection::peer() const { return impl_ ? impl_->peer_text : std::string(); }

}  // namespace mailspec::net
