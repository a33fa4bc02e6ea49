#pragma once
// Client TLS contexts, shared by every Connection in the process. Building a context loads the
// system trust store (and the --ca file), which costs milliseconds; a conformance run makes hundreds
// of TLS connections with the same settings, so contexts are built once per distinct
// (ca_file, min_version, max_version, allow_legacy) and reused. An SSL_CTX may be shared by
// connections on many threads (OpenSSL locks its certificate store internally); per-connection
// settings (verify callback, host name, SNI) are applied to each SSL, never to the shared context.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "mailspec/net/tls.hpp"

namespace mailspec::net::detail {

struct ClientContext {
    std::shared_ptr<boost::asio::ssl::context> context;  // null when `error` is set
    std::string error;                                   // why the context could not be built
};

// Returns the cached context for these options, building it on first use. A failure (unreadable
// CA file, impossible version range) is not cached, so a corrected file is picked up next time.
ClientContext client_context_for(const TlsClientOptions& options);

}  // namespace mailspec::net::detail
