#pragma once
// Recognising the protocol from the first greeting line. Pure code.
//   SMTP: "220" (RFC 5321 §4.2, §3.1); "421" / "554" mean no service now (§3.8, §3.1)
//   POP3: "+OK" (RFC 1939 §4); "-ERR" means no service
//   IMAP: "* OK" / "* PREAUTH" (RFC 3501 §7.1.1, §7.1.4); "* BYE" means rejected (§7.1.5)
#include <string>
#include <string_view>

#include "observation.hpp"

namespace mailspec::harness::probe {

struct GreetingClass {
    Service service = Service::unknown;
    bool usable = false;  // a session can go on (220, +OK, * OK, * PREAUTH)
    bool preauth = false; // IMAP "* PREAUTH": already authenticated, RFC 3501 §7.1.4
    std::string problem;  // why not, for an inconclusive reason: "421 greeting: ..."
};

GreetingClass classify_greeting(std::string_view first_line);

}  // namespace mailspec::harness::probe
