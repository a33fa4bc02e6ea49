// make_self_signed_certificate with the OpenSSL 3 API: RSA key (EVP_RSA_gen), X.509 v3 certificate
// signed by its own key with SHA-256, subjectAltName from the request, basicConstraints CA:TRUE so
// the certificate can be its own trust anchor in a --ca file.
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <stdexcept>

#include "mailspec/net/tls.hpp"
#include "openssl_util.hpp"

namespace mailspec::net {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("make_self_signed_certificate: " + what + ": " +
                             detail::openssl_errors());
}

struct KeyDeleter { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct NamesDeleter { void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); } };
struct BioDeleter { void operator()(BIO* p) const { BIO_free(p); } };

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

void add_alt_names(X509* cert, const CertificateRequest& request) {
    std::unique_ptr<GENERAL_NAMES, NamesDeleter> names(sk_GENERAL_NAME_new_null());
    if (!names) fail("out of memory");
    for (const auto& dns : request.dns_names) {
        GENERAL_NAME* n = GENERAL_NAME_new();
        ASN1_IA5STRING* s = ASN1_IA5STRING_new();
        if (n == nullptr || s == nullptr || ASN1_STRING_set(s, dns.data(), static_cast<int>(dns.size())) != 1) {
            GENERAL_NAME_free(n);
            ASN1_IA5STRING_free(s);
            fail("cannot encode DNS name " + dns);
        }
        GENERAL_NAME_set0_value(n, GEN_DNS, s);
        sk_GENERAL_NAME_push(names.get(), n);
    }
    for (const auto& ip : request.ip_addresses) {
        ASN1_OCTET_STRING* octets = a2i_IPADDRESS(ip.c_str());
        if (octets == nullptr) {
            throw std::runtime_error("make_self_signed_certificate: not an IP address: " + ip);
        }
        GENERAL_NAME* n = GENERAL_NAME_new();
        if (n == nullptr) {
            ASN1_OCTET_STRING_free(octets);
            fail("out of memory");
        }
        GENERAL_NAME_set0_value(n, GEN_IPADD, octets);
        sk_GENERAL_NAME_push(names.get(), n);
    }
    if (sk_GENERAL_NAME_num(names.get()) > 0 &&
        X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
        fail("cannot add subjectAltName");
    }
}

}  // namespace

CertificatePair make_self_signed_certificate(const CertificateRequest& request) {
    const bool rsa = request.key_type == CertificateRequest::KeyType::rsa;
    if (rsa && (request.key_bits < 1024 || request.key_bits > 16384)) {
        throw std::runtime_error("make_self_signed_certificate: key_bits must be 1024..16384, got " +
                                 std::to_string(request.key_bits));
    }
    std::unique_ptr<EVP_PKEY, KeyDeleter> key(
        rsa ? EVP_RSA_gen(static_cast<unsigned int>(request.key_bits)) : EVP_EC_gen("P-256"));
    if (!key) fail(rsa ? "RSA key generation failed" : "EC P-256 key generation failed");

    detail::X509Ptr cert(X509_new());
    if (!cert) fail("out of memory");
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("cannot set version");

    unsigned char serial_bytes[16];
    if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) fail("no random bytes for the serial");
    serial_bytes[0] &= 0x7F;  // positive (RFC 5280 §4.1.2.2)
    BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
    if (serial == nullptr || BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) == nullptr) {
        BN_free(serial);
        fail("cannot set serial number");
    }
    BN_free(serial);

    // Validity from now; negative days make an already expired certificate:
    // notBefore = now - 2|days|, notAfter = now - |days|.
    constexpr long day = 24L * 60 * 60;
    const long days = request.days_valid;
    const long from = days >= 0 ? 0 : 2 * days * day;
    const long to = days >= 0 ? days * day : days * day;
    if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), from) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), to) == nullptr) {
        fail("cannot set validity");
    }

    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(request.common_name.c_str()),
                                   -1, -1, 0) != 1) {
        fail("cannot set common name " + request.common_name);
    }
    if (X509_set_issuer_name(cert.get(), name) != 1) fail("cannot set issuer");
    if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("cannot set public key");

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                                     std::pair{NID_subject_key_identifier, "hash"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (ext == nullptr || X509_add_ext(cert.get(), ext, -1) != 1) {
            X509_EXTENSION_free(ext);
            fail(std::string("cannot add extension ") + value);
        }
        X509_EXTENSION_free(ext);
    }
    add_alt_names(cert.get(), request);

    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("signing failed");

    std::unique_ptr<BIO, BioDeleter> cert_bio(BIO_new(BIO_s_mem()));
    std::unique_ptr<BIO, BioDeleter> key_bio(BIO_new(BIO_s_mem()));
    if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        fail("PEM encoding failed");
    }
    return CertificatePair{bio_text(cert_bio.get()), bio_text(key_bio.get())};
}

}  // namespace mailspec::net
