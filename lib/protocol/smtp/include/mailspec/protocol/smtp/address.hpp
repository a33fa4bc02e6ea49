#pragma once
// The RFC 5321 §4.1.2 path and mailbox grammar, with the RFC 6531 §3.3 UTF-8 extension, and the
// MAIL / RCPT argument parsers with their ESMTP parameters (SIZE RFC 1870, BODY RFC 6152,
// SMTPUTF8 RFC 6531, AUTH RFC 4954 §5). Pure code over a string.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mailspec/protocol/smtp/parse_error.hpp"

namespace mailspec::protocol::smtp {

// Size limits of RFC 5321 §4.5.3.1.1-3.
inline constexpr std::size_t max_local_part = 64;
inline constexpr std::size_t max_domain = 255;
inline constexpr std::size_t max_path = 256;

struct Mailbox {
    std::string local_part;  // as written; a Quoted-string keeps its quotes and backslashes
    std::string domain;      // a Domain or an address-literal with its brackets
    bool non_ascii = false;  // UTF-8 beyond ASCII appears (needs SMTPUTF8, RFC 6531 §3.4)

    std::string address() const { return local_part + "@" + domain; }
};

// Parses "Mailbox" (§4.1.2) covering the whole of `text`.
Parsed<Mailbox> parse_mailbox(std::string_view text);

// The argument of EHLO / HELO (§4.1.1.1): Domain or address-literal, covering all of `text`.
// Errors give the offset of the first byte that does not fit.
Parsed<std::string> parse_hello_domain(std::string_view text);

enum class BodyType { unspecified, seven_bit, eight_bit_mime };

struct MailFrom {
    std::optional<Mailbox> sender;     // empty for the null reverse-path "<>"
    std::optional<std::uint64_t> size; // SIZE=n
    BodyType body = BodyType::unspecified;
    bool smtputf8 = false;
    std::optional<std::string> auth;   // AUTH=xtext (decoded), "<>" kept as "<>"
};

struct RcptTo {
    Mailbox recipient;         // "<Postmaster>" gives local_part "Postmaster", empty domain
    bool postmaster = false;   // the special "<Postmaster>" form of §4.1.1.3
};

// Parses the arguments of MAIL: "FROM:" Reverse-path [SP Mail-parameters] (§4.1.1.2, §4.1.2).
// Deviation (documented leniency, as most servers): SP after the colon is accepted.
// Errors: syntax (501), too_long (501, a path over 256 octets or local-part/domain over limits),
// bad_parameter (501: SIZE not digits, BODY not 7BIT/8BITMIME, a value on SMTPUTF8, a duplicate),
// unknown_parameter (555).
Parsed<MailFrom> parse_mail_from(std::string_view arguments);

// Parses the arguments of RCPT: "TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )
// [SP Rcpt-parameters]. No RCPT parameter is implemented: any parameter is unknown_parameter.
Parsed<RcptTo> parse_rcpt_to(std::string_view arguments);

}  // namespace mailspec::protocol::smtp
