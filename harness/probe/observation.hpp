#pragma once
// What the probe saw on one port: the per-port observation model. Plain data, filled by the prober
// (prober.hpp, which does the I/O) or built by hand in tests; read by the judge and the reporters.
// Nothing here decides right or wrong: that is the judge's job (judge.hpp).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/net/tls.hpp"

namespace mailspec::harness::probe {

enum class PortState {
    open,       // a TCP connection was accepted
    closed,     // the connection was refused
    no_answer,  // the connection attempt timed out or the host was unreachable
};

// The protocol recognised from the greeting (RFC 5321 §4.2 "220", RFC 1939 §4 "+OK",
// RFC 3501 §7.1 "* OK" / "* PREAUTH" / "* BYE").
enum class Service { unknown, smtp, pop3, imap };

enum class TlsMode {
    unknown,          // could not be decided (see PortObservation::inconclusive)
    plaintext,        // greeting in clear text, no STARTTLS / STLS offered
    starttls,         // STARTTLS / STLS offered, accepted and the handshake succeeded
    starttls_failed,  // STARTTLS / STLS offered but refused or the handshake failed
    implicit,         // TLS handshake right after connect, greeting inside TLS (RFC 8314 §3)
};

struct PortObservation {
    unsigned short port = 0;
    PortState state = PortState::no_answer;
    std::string state_detail;  // the network message for closed / no answer

    Service service = Service::unknown;
    TlsMode tls_mode = TlsMode::unknown;
    std::string greeting;  // first line of the greeting, without CRLF

    // Set when the probe could not decide (421 greeting, greeting delayed past the timeout,
    // connection dropped, framing error): the reason, shown as "inconclusive: <reason>".
    // An inconclusive port is never reported as "no STARTTLS".
    std::optional<std::string> inconclusive;

    std::optional<net::TlsInfo> tls;  // the (implicit or STARTTLS) handshake that succeeded
    std::string tls_failure;          // why the STARTTLS handshake or command failed

    // EHLO keyword lines (RFC 5321 §4.1.1.1), CAPA lines (RFC 2449 §5) or CAPABILITY atoms
    // (RFC 3501 §7.2.1), as sent. "before" is empty for implicit TLS (there is no clear-text phase).
    bool capabilities_before_known = false;
    std::vector<std::string> capabilities_before_tls;
    bool capabilities_after_known = false;
    std::vector<std::string> capabilities_after_tls;

    std::optional<bool> auth_before_tls;        // credentials could be sent in clear text
    bool preauth = false;                       // IMAP "* PREAUTH" greeting (RFC 3501 §7.1.4)
    std::optional<bool> legacy_tls_accepted;    // a TLS 1.0/1.1-only handshake succeeded
    std::string legacy_tls_version;             // the version it negotiated
    std::optional<bool> starttls_readvertised;  // STARTTLS / STLS listed again after TLS

    std::string transcript;  // C:/S: lines with visible escapes (core::visible)
    std::chrono::milliseconds elapsed{0};
};

const char* to_string(PortState state);
const char* to_string(Service service);
const char* to_string(TlsMode mode);
std::optional<Service> service_from_string(std::string_view text);

}  // namespace mailspec::harness::probe
