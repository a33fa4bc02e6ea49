#include "openssl_util.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace mailspec::net::detail {
namespace {

std::string name_text(const X509_NAME* name) {
    if (name == nullptr) return {};
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return {};
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data != nullptr ? data : "", len > 0 ? static_cast<std::size_t>(len) : 0);
    BIO_free(bio);
    return out;
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
    const unsigned char* d = ASN1_STRING_get0_data(ip);
    const int len = ASN1_STRING_length(ip);
    if (len == 4) {
        boost::asio::ip::address_v4::bytes_type b;
        std::copy(d, d + 4, b.begin());
        return boost::asio::ip::address_v4(b).to_string();
    }
    if (len == 16) {
        boost::asio::ip::address_v6::bytes_type b;
        std::copy(d, d + 16, b.begin());
        return boost::asio::ip::address_v6(b).to_string();
    }
    return "<" + std::to_string(len) + "-byte address>";
}

}  // namespace

std::string openssl_errors() {
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(e, buf.data(), buf.size());
        if (!out.empty()) out += "; ";
        out += buf.data();
    }
    return out;
}

void describe_certificate(X509* cert, TlsInfo& info) {
    info.subject = name_text(X509_get_subject_name(cert));
    info.issuer = name_text(X509_get_issuer_name(cert));
    info.subject_alt_names.clear();
    auto* names = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (names != nullptr) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
            if (n->type == GEN_DNS) {
                const auto* s = n->d.dNSName;
                info.subject_alt_names.push_back(
                    "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                         static_cast<std::size_t>(ASN1_STRING_length(s))));
            } else if (n->type == GEN_IPADD) {
                info.subject_alt_names.push_back("IP:" + ip_text(n->d.iPAddress));
            }
        }
        GENERAL_NAMES_free(names);
    }
    const ASN1_TIME* not_after = X509_get0_notAfter(cert);
    std::tm tm{};
    if (not_after != nullptr && ASN1_TIME_to_tm(not_after, &tm) == 1) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        info.not_after = buf;
        int days = 0;
        int seconds = 0;
        // From now (nullptr) to notAfter: negative once expired.
        if (ASN1_TIME_diff(&days, &seconds, nullptr, not_after) == 1) {
            if (days == 0 && seconds < 0) days = -1;  // expired less than a day ago
            info.days_left = days;
        }
    }
}

void apply_versions(SSL_CTX* ctx, int min_version, int max_version, bool legacy) {
    if (legacy || (min_version != 0 && min_version < TLS1_2_VERSION)) {
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    }
    if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) {
        throw std::runtime_error("unsupported minimum TLS version 0x" + std::to_string(min_version) +
                                 ": " + openssl_errors());
    }
    if (SSL_CTX_set_max_proto_version(ctx, max_version) != 1) {
        throw std::runtime_error("unsupported maximum TLS version " + std::to_string(max_version) +
                                 ": " + openssl_errors());
    }
}

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace mailspec::net::detail
