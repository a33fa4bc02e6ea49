#pragma once
// The Connector over real sockets: net::Connection (TCP, TLS, deadlines). Loopback or any host the
// target names. Lives in its own target (mailspec_harness_net) so engine unit tests need no sockets.
#include "mailspec/harness/engine/transport.hpp"

namespace mailspec::harness::engine {

class NetConnector final : public Connector {
public:
    std::unique_ptr<Transport> connect(const std::string& host, unsigned short port, Millis timeout,
                                       net::IoStatus& status) override;
};

}  // namespace mailspec::harness::engine
