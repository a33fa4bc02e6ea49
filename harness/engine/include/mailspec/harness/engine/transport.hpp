#pragma once
// What the engine needs from a connection, so it runs over real sockets (net_transport.hpp) or an
// in-memory peer in unit tests (STYLE.md #11). Same contract as net::Connection: every call is
// bounded by its timeout and reports its outcome as a net::IoStatus value.
#include <memory>
#include <string>
#include <string_view>

#include "mailspec/harness/model/scenario.hpp"
#include "mailspec/net/status.hpp"
#include "mailspec/net/tls.hpp"

namespace mailspec::harness::engine {

using model::Millis;

class Transport {
public:
    virtual ~Transport() = default;
    // Appends at least one byte to `buffer`, or returns eof / timeout / error.
    virtual net::IoStatus read_some(std::string& buffer, Millis timeout) = 0;
    virtual net::IoStatus write(std::string_view bytes, Millis timeout) = 0;
    virtual net::IoStatus start_tls(const net::TlsClientOptions& options, Millis timeout) = 0;
    virtual void close() = 0;
    // "TLSv1.3 TLS_AES_256_GCM_SHA384" after a handshake, for the transcript.
    virtual std::string tls_summary() const = 0;
};

class Connector {
public:
    virtual ~Connector() = default;
    // Opens a TCP connection; on failure returns nullptr and sets `status` (refused, unreachable,
    // timeout, ...). Must be callable from several threads at once.
    virtual std::unique_ptr<Transport> connect(const std::string& host, unsigned short port, Millis timeout,
                                               net::IoStatus& status) = 0;
};

// Name of an IoStatus code without linking the net library ("timeout", "refused", ...).
const char* describe(net::IoStatus::Code code);

}  // namespace mailspec::harness::engine
