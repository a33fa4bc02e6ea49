#pragma once
// The listeners: one Asio io_context, a pool of threads, one strand per connection. For each
// accepted connection the transport makes a Session with the factory, implements Host for it
// (write queue, STARTTLS upgrade, implicit TLS, idle timer, close) and applies the transport-level
// faults (net.split-writes, net.bare-lf, net.greeting-delay, tls.legacy, tls.expired-cert).
//
// STARTTLS: bytes sent before Host::start_tls() go out in cleartext; bytes sent after it are held
// and written through TLS once the handshake completes (never interleaved with the handshake).
//
// Connection limit (Limits::max_connections): a connection over the limit gets the protocol's
// refusal ("421 4.7.0 ...", "-ERR [SYS/TEMP] ...", "* BYE ...") and is closed; others are served.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "context.hpp"
#include "mailspec/net/tls.hpp"
#include "transport/session.hpp"

namespace mailspec::server {

using SessionFactory = std::function<std::unique_ptr<Session>(Host&, const SessionContext&)>;

struct BoundEndpoint {
    std::string name;  // EndpointConfig::name
    EndpointRole role;
    std::string address;
    unsigned short port = 0;  // the port actually bound
};

// The certificate the TLS endpoints present, as PEM. When the config names files they are read;
// otherwise a self-signed certificate for localhost / 127.0.0.1 / ::1 is made (EC P-256 when the
// net library supports it). With the tls.expired-cert fault, an already expired one is made.
// Throws std::runtime_error naming the file or OpenSSL's message.
net::CertificatePair load_or_make_certificate(const ServerConfig& config, const Faults& faults);

class Server {
public:
    // Nothing is bound until start(). `config`, `store` and `faults` must outlive the Server.
    // `certificate` is used for implicit TLS and STARTTLS (tls.legacy lowers the floor to TLS 1.0).
    Server(const ServerConfig& config, Store& store, const Faults& faults, SessionFactory factory,
           const net::CertificatePair& certificate);
    ~Server();  // stop() and join
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds every endpoint and starts `threads` worker threads (0: 4 per core, at least 16, since
    // sessions block in store fsyncs). Throws
    // std::runtime_error naming the endpoint, address and port when a bind fails.
    void start(unsigned threads = 0);
    const std::vector<BoundEndpoint>& endpoints() const;  // valid after start(), config order

    // Stops accepting, closes every connection (sessions get on_closed), joins the threads.
    // Bounded: connections still busy after ~2 s are dropped. Idempotent; thread-safe.
    void stop();

    std::size_t active_connections() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// The factory used by mailspec-server: make_smtp_session / make_pop3_session / make_imap_session
// by the endpoint's protocol (defined in the executable, which links the protocol libraries).
SessionFactory protocol_session_factory();

}  // namespace mailspec::server
