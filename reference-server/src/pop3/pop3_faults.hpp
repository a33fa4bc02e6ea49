#pragma once
// Names of the deliberate POP3 faults this session commits when enabled (descriptions and the RFC
// clause each violates: ../fault_table.cpp, docs/reference-server.md).
#include <string_view>

namespace mailspec::server::pop3_fault {

// DELE removes the message at once instead of in the UPDATE state (RFC 1939 §6).
inline constexpr std::string_view dele_immediate = "pop3.dele-immediate";
// QUIT answers +OK but the marked messages stay (RFC 1939 §6, UPDATE state).
inline constexpr std::string_view dele_not_applied = "pop3.dele-not-applied";
// "-ERR" and close instead of answering command N (RFC 1939 §3).
inline constexpr std::string_view disconnect_at = "pop3.disconnect-at";
// RETR and TOP lines starting with "." are sent unstuffed (RFC 1939 §3).
inline constexpr std::string_view no_dot_stuffing = "pop3.no-dot-stuffing";
// USER/PASS accepted before TLS (RFC 2595 §4, RFC 8314 §3).
inline constexpr std::string_view plaintext_user = "pop3.plaintext-user";
// Commands pipelined behind STLS kept and run after the handshake (RFC 2595 §4).
inline constexpr std::string_view starttls_injection = "pop3.starttls-injection";
// Command CMD (a keyword, GREETING or UNKNOWN) answered with the opposite status, +OK <-> -ERR;
// a multi-line +OK answer becomes its -ERR status line only (RFC 1939 §3).
inline constexpr std::string_view wrong_status = "pop3.wrong-status";
// Message sizes (LIST, STAT, RETR's "+OK n octets") reported one octet too large (RFC 1939 §5
// LIST: the "exact size" in octets).
inline constexpr std::string_view size_off_by_one = "pop3.size-off-by-one";
// UIDL unique-ids differ from one session to the next (RFC 1939 §7).
inline constexpr std::string_view uidl_unstable = "pop3.uidl-unstable";

}  // namespace mailspec::server::pop3_fault
