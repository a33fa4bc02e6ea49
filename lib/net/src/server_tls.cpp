#include "mailspec/net/server_tls.hpp"

#include <stdexcept>

#include "openssl_util.hpp"

namespace mailspec::net {

std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const CertificatePair& pair,
                                                                   int min_version,
                                                                   int max_version) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
    detail::apply_versions(ctx->native_handle(), min_version, max_version, false);
    boost::system::error_code ec;
    ctx->use_certificate_chain(boost::asio::buffer(pair.certificate_pem), ec);
    if (ec) {
        throw std::runtime_error("make_server_tls_context: bad certificate PEM: " + ec.message() +
                                 " " + detail::openssl_errors());
    }
    ctx->use_private_key(boost::asio::buffer(pair.private_key_pem), ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("make_server_tls_context: bad private key PEM: " + ec.message() +
                                 " " + detail::openssl_errors());
    }
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
        throw std::runtime_error("make_server_tls_context: the private key does not match the certificate: " +
                                 detail::openssl_errors());
    }
    return ctx;
}

}  // namespace mailspec::net
