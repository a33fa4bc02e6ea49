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
// EHLO never lists AUTH, not even after STARTTLS on a submission port (RFC 4954 §3, RFC 3207 §4.2).
inline constexpr std::string_view auth_not_offered = "smtp.auth-not-offered";
// ENHANCEDSTATUSCODES is advertised but replies carry no enhanced status code (RFC 2034 §3).
inline constexpr std::string_view no_enhanced_codes = "smtp.no-enhanced-codes";
// DATA is stored without the Received: trace header (RFC 5321 §4.4).
inline constexpr std::string_view no_received_header = "smtp.no-received-header";
// The EHLO keyword SIZE carries a unit, "SIZE <max/1024>K", not a decimal octet count (RFC 1870 §4).
inline constexpr std::string_view size_bad_syntax = "smtp.size-bad-syntax";
// Text lines of exactly 998 octets plus CRLF are refused (RFC 5321 §4.5.3.1.6).
inline constexpr std::string_view text_line_off_by_one = "smtp.text-line-off-by-one";
// PIPELINING advertised, but a command received behind another in the same read gets 503
// (RFC 2920 §3.1).
inline constexpr std::string_view no_pipelining = "smtp.no-pipelining";
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
