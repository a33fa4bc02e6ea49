#pragma once
// Reading capability lists: what a server says it offers before and after TLS. Pure code.
#include <string>
#include <string_view>
#include <vector>

#include "observation.hpp"

namespace mailspec::harness::probe {

struct CapabilitySummary {
    bool starttls = false;        // SMTP "STARTTLS" (RFC 3207 §3), POP3 "STLS" (RFC 2595 §4),
                                  // IMAP "STARTTLS" (RFC 2595 §3.1, RFC 3501 §6.2.1)
    bool auth_offered = false;    // credentials can be sent: SMTP "AUTH" (RFC 4954 §3), POP3 "USER"
                                  // or "SASL" (RFC 2449 §6.2, §6.3), IMAP LOGIN without
                                  // "LOGINDISABLED" or a plain-text AUTH= mechanism (RFC 3501 §6.2.3)
    std::vector<std::string> mechanisms;  // SASL mechanisms named, upper case
};

// `capabilities` are EHLO keyword lines (without the greeting line), CAPA lines or IMAP atoms.
// Keywords are compared case-insensitively.
CapabilitySummary summarize_capabilities(Service service, const std::vector<std::string>& capabilities);

// IMAP capability atoms from "* CAPABILITY a b c" text or a greeting's "[CAPABILITY a b c]" code
// (RFC 3501 §7.2.1, §7.1). Returns an empty list when neither form is present.
std::vector<std::string> imap_capability_atoms(std::string_view response_text);

// The keyword of an EHLO line or CAPA line: text up to the first space, upper-cased.
std::string capability_keyword(std::string_view line);

}  // namespace mailspec::harness::probe
