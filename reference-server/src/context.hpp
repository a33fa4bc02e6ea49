#pragma once
// What a protocol session gets from the server: its endpoint (role, TLS mode, STARTTLS offered),
// the whole configuration, the shared store and the enabled faults. The referenced objects outlive
// every session; the context itself is owned by the connection.
#include <cstdint>

#include "config/server_config.hpp"
#include "faults.hpp"
#include "store/store.hpp"

namespace mailspec::server {

struct SessionContext {
    EndpointConfig endpoint;      // role, protocol, tls (plain / implicit), offers_starttls()
    const ServerConfig& config;   // hostname, users, local domains, limits, options
    Store& store;
    const Faults& faults;
    std::uint64_t connection_id = 0;  // unique per accepted connection, for logs

    EndpointRole role() const { return endpoint.role; }
    bool implicit_tls() const { return endpoint.tls == TlsMode::implicit; }
};

}  // namespace mailspec::server
