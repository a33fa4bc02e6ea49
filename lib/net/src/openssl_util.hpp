#pragma once
// Internal OpenSSL helpers of the net module: owning pointers, error text, certificate fields.
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "mailspec/net/tls.hpp"

namespace mailspec::net::detail {

struct X509Deleter { void operator()(X509* p) const { X509_free(p); } };
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// Drains OpenSSL's thread-local error queue into one line ("" when empty).
std::string openssl_errors();

// Fills subject, issuer, subject_alt_names, not_after and days_left from `cert`.
void describe_certificate(X509* cert, TlsInfo& info);

// Applies min/max protocol versions; a min below TLS 1.2 (or allow_legacy) sets security level 0
// and a cipher list that keeps the SHA-1 suites, overriding the system openssl.cnf
// (Debian sets MinProtocol = TLSv1.2 and SECLEVEL=2). Throws std::runtime_error on bad versions.
void apply_versions(SSL_CTX* ctx, int min_version, int max_version, bool legacy);

// True when `host` is an IPv4 or IPv6 literal.
bool is_ip_literal(const std::string& host);

}  // namespace mailspec::net::detail
