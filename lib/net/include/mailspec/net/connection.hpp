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

class Connection {
public:
    Connection();
    ~Connection();
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Resolves host (name, IPv4 or IPv6 literal) and connects to port.
    IoStatus connect(const std::string& host, unsigned short port, Timeout timeout);

    // Performs a client TLS handshake on the open connection (implicit TLS right after connect, or
    // after a STARTTLS reply). Bytes the peer sent before the handshake and not yet read are a
    // protocol error of the peer and are discarded by the caller, not by this function.
    IoStatus start_tls(const TlsClientOptions& options, Timeout timeout);

    // Appends at least one received byte to `buffer`, or returns eof / timeout / error.
    IoStatus read_some(std::string& buffer, Timeout timeout);

    // Writes all bytes (through TLS when active).
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
