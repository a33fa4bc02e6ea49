#pragma once
// TLS settings and observations shared by the client connection, the probe and the reference server.
#include <optional>
#include <string>
#include <vector>

namespace mailspec::net {

// OpenSSL protocol version numbers (TLS1_VERSION = 0x0301 ... TLS1_3_VERSION = 0x0304).
// RFC 8997: TLS 1.2 is the floor; older versions are only offered when a check asks for them.
struct TlsClientOptions {
    bool verify = true;           // verify the chain and the host name
    std::string ca_file;          // extra CA bundle (PEM); empty: the system store
    std::string server_name;      // SNI and host-name check; empty: the connect host
    int min_version = 0x0303;     // TLS 1.2
    int max_version = 0;          // 0: the highest OpenSSL supports
    bool allow_legacy = false;    // lower OpenSSL's security level so TLS 1.0/1.1 can be offered;
                                  // also lowers min_version to TLS 1.0 unless it is set lower.
                                  // A min_version below TLS 1.2 lowers the security level as well.
};

// What a completed handshake showed. Certificate fields are empty when the peer sent none.
struct TlsInfo {
    std::string version;                 // "TLSv1.3"
    std::string cipher;                  // "TLS_AES_256_GCM_SHA384"
    std::string subject;                 // one-line RFC 2253 form
    std::string issuer;
    std::vector<std::string> subject_alt_names;  // "DNS:localhost", "IP:127.0.0.1"
    std::string not_after;               // "2026-12-22T01:00:00Z"
    std::optional<long> days_left;       // negative when expired
    bool chain_verified = false;         // chain verifies against the trusted store / ca_file
    bool hostname_matches = false;       // the certificate is valid for server_name
    std::string verify_error;            // OpenSSL's verify result text when not verified
};

// A self-signed certificate made with the OpenSSL API (no files, no openssl CLI).
struct CertificatePair {
    std::string certificate_pem;
    std::string private_key_pem;
};

struct CertificateRequest {
    std::string common_name = "localhost";
    std::vector<std::string> dns_names = {"localhost"};
    std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
    int days_valid = 30;        // negative values make an already expired certificate (for tests)
    int key_bits = 2048;        // RSA
    // RSA keys take 0.3-1 s to generate; EC P-256 (RFC 8422) takes about a millisecond, which keeps
    // mailspec-server --ephemeral ready in well under 50 ms.
    enum class KeyType { rsa, ec_p256 };
    KeyType key_type = KeyType::rsa;
};

// Throws std::runtime_error with OpenSSL's message on failure.
CertificatePair make_self_signed_certificate(const CertificateRequest& request);

// Why `ca_file` cannot serve as a client CA bundle (unreadable, no PEM certificate in it), with
// the path and OpenSSL's reason; empty when it loads. The same loading as every TLS connection's.
std::string ca_file_problem(const std::string& ca_file);

}  // namespace mailspec::net
