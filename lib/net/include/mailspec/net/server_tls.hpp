#pragma once
// Server-side TLS context for loopback test servers and the reference server. Knows no protocol.
#include <memory>

#include <boost/asio/ssl/context.hpp>

#include "mailspec/net/tls.hpp"

namespace mailspec::net {

// Builds a TLS server context from a certificate and private key given as PEM text (nothing is read
// from files). min_version / max_version are OpenSSL protocol numbers (0x0301 = TLS 1.0 ...
// 0x0304 = TLS 1.3); max_version 0 means the highest OpenSSL supports. A min_version below TLS 1.2
// also sets OpenSSL's security level to 0 and overrides the system MinProtocol, so a test server can
// deliberately accept TLS 1.0/1.1 (RFC 8996 deprecates them; mailspec only offers them on purpose).
// The context is shared: many sessions may build ssl::stream objects on it concurrently.
// Throws std::runtime_error with OpenSSL's message when the PEM data or the versions are rejected.
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const CertificatePair& pair,
                                                                   int min_version = 0x0303,
                                                                   int max_version = 0);

}  // namespace mailspec::net
