#include "client_tls_context.hpp"

#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include <openssl/ssl.h>

#include "openssl_util.hpp"

namespace mailspec::net::detail {
namespace {

namespace ssl = boost::asio::ssl;

using Key = std::tuple<std::string, int, int, bool>;

ClientContext build(const TlsClientOptions& options) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    context->set_default_verify_paths(ec);
    if (!options.ca_file.empty()) {
        context->load_verify_file(options.ca_file, ec);
        if (ec) {
            return {nullptr, "cannot load CA file " + options.ca_file + ": " + ec.message() + " " +
                                 openssl_errors()};
        }
    }
    try {
        // allow_legacy offers TLS 1.0/1.1 too: the floor drops to TLS 1.0 unless set lower.
        int min_version = options.min_version;
        if (options.allow_legacy && (min_version == 0 || min_version > TLS1_VERSION))
            min_version = TLS1_VERSION;
        apply_versions(context->native_handle(), min_version, options.max_version, options.allow_legacy);
    } catch (const std::exception& e) {
        return {nullptr, e.what()};
    }
    return {std::move(context), {}};
}

}  // namespace

ClientContext client_context_for(const TlsClientOptions& options) {
    static std::mutex mutex;
    static std::map<Key, std::shared_ptr<ssl::context>> cache;
    const Key key{options.ca_file, options.min_version, options.max_version, options.allow_legacy};
    std::lock_guard lock(mutex);
    if (auto found = cache.find(key); found != cache.end()) return {found->second, {}};
    ClientContext built = build(options);
    if (built.context) cache.emplace(key, built.context);
    return built;
}

}  // namespace mailspec::net::detail

namespace mailspec::net {

std::string ca_file_problem(const std::string& ca_file) {
    TlsClientOptions options;
    options.ca_file = ca_file;
    return detail::client_context_for(options).error;
}

}  // namespace mailspec::net
