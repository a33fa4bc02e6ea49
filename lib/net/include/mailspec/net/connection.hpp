#pragma once
// A blocking-with-deadline client connection: TCP, optionally upgraded to TLS (implicit at connect,
// or later for STARTTLS/STLS). Every call takes a timeout and never waits longer. Knows no mail
// protocol. Not thread-safe; each Connection owns its own io_context, so many connections can be used
// from many threads at once.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "mailspec/net/status.hpp"
#include "mailspec/net/tls.hpp"

namespace mailspec::net {

using Timeout = std::chrono::milliseconds;

// Resolves `host` (a name, or an IPv4 / IPv6 literal) within `timeout`: ok, or unreachable with
// "cannot resolve HOST: REASON", or timeout. The same lookup Connection::connect makes.
IoStatus resolve_host(const std::string& host, Timeout timeout);

class Connection {
public:
    Connection();
    ~Connection();
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Resolves host (name, IPv4 or IPv6 literal) and connects to port, trying each resolved address
    // in turn; the timeout covers resolution and connecting. Closes any previous connection first.
    // refused: nothing listens; unreachable: the name does not resolve or no route; timeout.
    IoStatus connect(const std::string& host, unsigned short port, Timeout timeout);

    // Performs a client TLS handshake on the open connection (implicit TLS right after connect, or
    // after a STARTTLS reply). Bytes the peer sent before the handshake and not yet read are a
    // protocol error of the peer and are discarded by the caller, not by this function.
    // The chain and host name are checked even when options.verify is false (the handshake then
    // completes anyway and tls_info() reports chain_verified / hostname_matches / verify_error).
    // tls_failed (bad certificate with verify on, protocol or version mismatch, unreadable ca_file)
    // and timeout close the connection.
    IoStatus start_tls(const TlsClientOptions& options, Timeout timeout);

    // Appends at least one received byte to `buffer`, or returns eof / timeout / error.
    // After a timeout nothing was consumed and the connection stays open (a plain connection can be
    // read again; a TLS record interrupted mid-way may make later reads fail). A TLS peer that
    // closes without close_notify is reported as eof.
    IoStatus read_some(std::string& buffer, Timeout timeout);

    // Writes all bytes (through TLS when active). A peer that reset or closed gives error.
    IoStatus write(std::string_view bytes, Timeout timeout);

    // Sends a TLS close_notify when TLS is active (bounded by a short timeout) and closes the socket.
    void close();

    bool is_open() const;
    bool is_tls() const;
    const TlsInfo& tls_info() const;  // valid after a successful start_tls
    std::string peer() const;         // "127.0.0.1:10025"

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mailspec::net
