#pragma once
// One protocol response as the engine saw it, in the shape the matchers check (issue 2):
//   SMTP  lines = text after the code and separator (RFC 5321 §4.2)
//   POP3  lines = the status line, then the body lines, dot-unstuffed (RFC 1939 §3)
//   IMAP  lines = the untagged lines as received, then the tagged line (RFC 3501 §7)
#include <string>
#include <vector>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::engine {

struct Response {
    model::Protocol protocol = model::Protocol::smtp;
    int code = 0;               // SMTP
    std::string status;         // POP3 "+OK" / "-ERR" / "+"; IMAP tagged or untagged status word
    std::string tag;            // IMAP tagged completion
    bool continuation = false;  // IMAP "+" continuation request
    std::vector<std::string> lines;
    std::string raw;            // the exact bytes
};

// Capabilities a response advertises, upper-cased: SMTP EHLO keywords (RFC 5321 §4.1.1.1; "AUTH
// PLAIN LOGIN" also gives AUTH=PLAIN, AUTH=LOGIN), POP3 CAPA tags (RFC 2449 §5; "SASL PLAIN" also
// gives SASL=PLAIN), IMAP "* CAPABILITY" data or a "[CAPABILITY ...]" response code (RFC 3501 §7.2.1).
std::vector<std::string> capabilities_of(const Response& response);
bool advertises(const Response& response, const std::string& capability);  // case-insensitive

}  // namespace mailspec::harness::engine
