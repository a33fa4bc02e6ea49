#pragma once
// Names of the deliberate SMTP faults this session commits when enabled (the full descriptions and
// the RFC clause each one violates are in ../fault_table.cpp and docs/reference-server.md).
#include <string_view>

namespace mailspec::server::smtp_fault {

// AUTH offered and accepted on submission before STARTTLS (RFC 4954 §4, RFC 3207 §4).
inline constexpr std::string_view auth_before_tls = "smtp.auth-before-tls";
// Multi-line replies use SP instead of "-" on non-final lines (RFC 5321 §4.2.1).
inline constexpr std::string_view bad_continuation = "smtp.bad-continuation";
// LF "." LF ends DATA: SMTP smuggling (RFC 5321 §4.1.1.4, §2.3.8).
inline constexpr std::string_view bare_lf_ends_data = "smtp.bare-lf-ends-data";
// 421 and close instead of answering command N (RFC 5321 §3.8 allows 421 only when shutting down).
inline constexpr std::string_view disconnect_at = "smtp.disconnect-at";
// DATA lines stored without removing the transparency dot (RFC 5321 §4.5.2).
inline constexpr std::string_view no_dot_unstuffing = "smtp.no-dot-unstuffing";
// Command and text lines of any length accepted (RFC 5321 §4.5.3.1.4, §4.5.3.1.6).
inline constexpr std::string_view no_line_limit = "smtp.no-line-limit";
// RCPT to other domains accepted without authentication (RFC 5321 §3.6.2, RFC 6409 §4.1).
inline constexpr std::string_view open_relay = "smtp.open-relay";
// Commands pipelined after STARTTLS kept and run after the handshake (RFC 3207 §4.2).
inline constexpr std::string_view starttls_injection = "smtp.starttls-injection";
// STARTTLS advertised again after TLS started (RFC 3207 §4.2).
inline constexpr std::string_view starttls_readvertised = "smtp.starttls-readvertised";
// smtp.wrong-code=CMD:CODE - reply code CODE for command CMD (RFC 5321 §4.2, §4.3.2).
inline constexpr std::string_view wrong_code = "smtp.wrong-code";

}  // namespace mailspec::server::smtp_fault
