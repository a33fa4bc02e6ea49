#pragma once
// The reference server's configuration: what it serves, to whom, on which endpoints, with which
// limits and deliberate faults. Loaded from XML (docs/reference-server.md documents every element;
// fixtures/reference-server.xml is a commented example) or built in memory for --ephemeral.
// Plain data; no I/O except load_server_config() reading its file.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::server {

enum class Protocol { smtp, pop3, imap };

// The port roles of the mail world. The role fixes the protocol and the policy a session applies.
enum class EndpointRole {
    smtp_relay,   // port 25 role: MX, accepts mail for local users without AUTH (RFC 5321)
    submission,   // port 587 role: STARTTLS then AUTH before MAIL (RFC 6409, RFC 3207)
    submissions,  // port 465 role: implicit TLS submission (RFC 8314 §3.3)
    pop3,         // port 110 role: STLS upgrade (RFC 1939, RFC 2595 §4)
    pop3s,        // port 995 role: implicit TLS (RFC 8314 §3.3)
    imap,         // port 143 role: STARTTLS upgrade (RFC 3501 §6.2.1)
    imaps,        // port 993 role: implicit TLS (RFC 8314 §3.3)
};

enum class TlsMode {
    plain,     // cleartext at connect; STARTTLS/STLS may upgrade it
    implicit,  // TLS handshake right after TCP connect (RFC 8314 §3)
};

std::string_view to_string(Protocol protocol);
std::string_view to_string(EndpointRole role);  // "smtp", "submission", ... (the XML role names)
std::string_view to_string(TlsMode mode);       // "plain" / "implicit"
Protocol protocol_of(EndpointRole role);

struct EndpointConfig {
    std::string name;                  // the target profile's endpoint name, e.g. "submission"
    EndpointRole role = EndpointRole::smtp_relay;
    Protocol protocol = Protocol::smtp;  // always protocol_of(role)
    std::string address = "127.0.0.1";   // IP literal to bind
    unsigned short port = 0;             // 0: any free port (reported after binding)
    TlsMode tls = TlsMode::plain;
    bool starttls = true;  // STARTTLS/STLS offered; meaningful only when tls == plain

    // True when the session may offer and accept the STARTTLS/STLS upgrade on this endpoint.
    bool offers_starttls() const { return tls == TlsMode::plain && starttls; }
};

struct UserConfig {
    std::string login;                   // also the store directory name
    std::string password;
    std::vector<std::string> addresses;  // "alice@example.test"; matched case-insensitively
};

// Limits. Defaults are the RFC minimums a server must accept, or the RFC-recommended timeouts.
struct Limits {
    std::size_t smtp_max_command_line = 512;  // incl. CRLF, RFC 5321 §4.5.3.1.4 (AUTH lines may be
                                              // longer: RFC 4954 §4 allows 12288 octets)
    std::size_t smtp_max_text_line = 1000;    // incl. CRLF, DATA lines, RFC 5321 §4.5.3.1.6
    std::size_t pop3_max_command_line = 255;  // incl. CRLF, RFC 2449 §4
    std::size_t imap_max_line = 8192;         // a command line between literals, RFC 7162 §4
    std::size_t max_literal = 32 * 1024 * 1024;       // IMAP literal octets (APPEND), RFC 7888 §4
    std::size_t max_message_size = 32 * 1024 * 1024;  // SMTP SIZE (RFC 1870) and APPEND
    std::size_t max_recipients = 100;                 // RCPT per transaction, RFC 5321 §4.5.3.1.8
    std::size_t max_connections = 2000;               // concurrent connections, all endpoints
    std::size_t max_errors = 10;  // protocol errors before "421"/"-ERR"/"BYE" and close
    std::chrono::milliseconds smtp_idle_timeout{std::chrono::minutes(5)};   // RFC 5321 §4.5.3.2.7
    std::chrono::milliseconds pop3_idle_timeout{std::chrono::minutes(10)};  // RFC 1939 §3
    std::chrono::milliseconds imap_idle_timeout{std::chrono::minutes(30)};  // RFC 3501 §5.4
    std::chrono::milliseconds tls_handshake_timeout{std::chrono::seconds(10)};
};

struct Options {
    // USER/PASS, LOGIN and AUTH PLAIN over a connection without TLS. Off by default: RFC 8314 §3,
    // RFC 3501 §6.2.3 (LOGINDISABLED), RFC 2595 §3.2.
    bool allow_plaintext_auth = false;
};

// A fault named in the configuration, with where it was given (for error messages).
struct FaultSetting {
    std::string name;
    std::string arg;       // empty when none
    bool has_arg = false;
    std::string where;     // "server.xml:42"
};

struct TlsFiles {
    std::filesystem::path certificate;  // PEM; empty: a self-signed certificate is made at start
    std::filesystem::path key;          // PEM private key
};

struct ServerConfig {
    std::string hostname = "localhost";  // greeting / Received: host name
    std::vector<UserConfig> users;
    std::vector<std::string> local_domains;  // lower case
    std::vector<EndpointConfig> endpoints;
    TlsFiles tls;
    std::filesystem::path store_path;  // Maildir root; each user under <store>/<login>/Maildir
    Limits limits;
    Options options;
    std::vector<FaultSetting> faults;
    std::string source = "<memory>";  // the file it came from

    // Case-insensitive (RFC 5321 §2.4: domains are case-insensitive).
    bool is_local_domain(std::string_view domain) const;
    const UserConfig* find_user(std::string_view login) const;
    // The user owning an address, matched case-insensitively; nullptr when none.
    const UserConfig* find_user_by_address(std::string_view address) const;
    const EndpointConfig* find_endpoint(std::string_view name) const;
};

// A configuration error: what() is "FILE:LINE: message" (line 0 when not tied to a line).
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string file, int line, const std::string& message);
    const std::string& file() const { return file_; }
    int line() const { return line_; }

private:
    std::string file_;
    int line_;
};

// Parses and validates an XML configuration. `file_name` names it in errors; relative paths
// (store, certificate, key) resolve against `base_dir`. Throws ConfigError.
ServerConfig parse_server_config(std::string_view xml, const std::string& file_name,
                                 const std::filesystem::path& base_dir);
// Reads `file` and parses it; relative paths resolve against the file's directory.
ServerConfig load_server_config(const std::filesystem::path& file);

// The --ephemeral configuration: the seven endpoints on 127.0.0.1 port 0 (smtp, submission,
// submissions, pop3, pop3s, imap, imaps), users alice/secret1 (alice@example.test) and bob/secret2
// (bob@example.test), local domain example.test, store at `store_path`, no certificate files.
ServerConfig ephemeral_config(const std::filesystem::path& store_path);

// Parses a duration "250ms", "30s", "5m" or a bare number of seconds. Returns false on bad input.
bool parse_duration(std::string_view text, std::chrono::milliseconds& out);

}  // namespace mailspec::server
