// The certificate the TLS endpoints present: from the configured files, or self-signed.
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "mailspec/net/tls.hpp"
#include "transport/server.hpp"

namespace mailspec::server {

namespace {

std::string read_pem(const std::filesystem::path& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read TLS " + std::string(what) + " " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

net::CertificatePair load_or_make_certificate(const ServerConfig& config, const Faults& faults) {
    if (!config.tls.certificate.empty() && !faults.has("tls.expired-cert")) {
        return {read_pem(config.tls.certificate, "certificate"), read_pem(config.tls.key, "key")};
    }
    net::CertificateRequest request;
    request.common_name = "localhost";
    request.dns_names = {"localhost"};
    if (config.hostname != "localhost") request.dns_names.push_back(config.hostname);
    request.ip_addresses = {"127.0.0.1", "::1"};
    // EC P-256: a key in about a millisecond, so the server is ready in well under 50 ms.
    request.key_type = net::CertificateRequest::KeyType::ec_p256;
    // tls.expired-cert: valid until yesterday (RFC 5280 §4.1.2.5).
    request.days_valid = faults.has("tls.expired-cert") ? -1 : 365;
    return net::make_self_signed_certificate(request);
}

}  // namespace mailspec::server
