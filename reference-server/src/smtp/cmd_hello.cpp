// EHLO and HELO (RFC 5321 §4.1.1.1) and the EHLO keyword list.
#include "mailspec/protocol/smtp/address.hpp"
#include "smtp_faults.hpp"
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

namespace {

// The EHLO/HELO argument. RFC 5321 §4.1.1.1 asks for a Domain or address-literal; real clients
// send other words too (curl sends its upload file name, e.g. "tmp_x1.eml"), and §4.1.4 lets a
// server accept what it cannot verify. Documented leniency: any 1..255 printable ASCII octets
// without SP are accepted; an empty argument, SP, controls or 8-bit bytes get 501.
codec::Parsed<std::string> hello_argument(std::string_view text) {
    auto strict = codec::parse_hello_domain(text);
    if (strict || text.empty() || text.size() > codec::max_domain) return strict;
    for (unsigned char c : text)
        if (c < 0x21 || c > 0x7E) return strict;
    return std::string(text);
}

}  // namespace

void SmtpSession::handle_ehlo(const codec::CommandLine& command) {
    // Check.
    auto domain = hello_argument(command.arguments);
    if (!domain) {
        refuse({501, status::invalid_arguments,
                "EHLO needs a domain or address literal: " + domain.error().message});
        return;
    }
    // Act: EHLO resets any transaction (§4.1.4) and switches enhanced codes on (RFC 2034 §3).
    helo_domain_ = domain.value();
    esmtp_ = true;
    state_ = Ready{};
    std::vector<std::string> lines = {context_.config.hostname + " greets " + helo_domain_};
    lines.push_back("PIPELINING");                                                  // RFC 2920
    // RFC 1870 §4: "SIZE" [SP 1*DIGIT]; the fault smtp.size-bad-syntax adds a unit: "SIZE <max/1024>K".
    const auto max_size = context_.config.limits.max_message_size;
    lines.push_back(context_.faults.has(smtp_fault::size_bad_syntax) ? "SIZE " + std::to_string(max_size / 1024) + "K"
                                                                      : "SIZE " + std::to_string(max_size));
    lines.push_back("8BITMIME");                                                    // RFC 6152
    lines.push_back("ENHANCEDSTATUSCODES");                                         // RFC 2034
    lines.push_back("SMTPUTF8");                                                    // RFC 6531
    const bool readvertise = tls_ && context_.endpoint.offers_starttls() &&
                             context_.faults.has(smtp_fault::starttls_readvertised);
    if (starttls_available() || readvertise) lines.push_back("STARTTLS");  // RFC 3207 §4.2
    if (auth_available() && !authenticated_ && !context_.faults.has(smtp_fault::auth_not_offered))
        lines.push_back("AUTH PLAIN LOGIN");  // RFC 4954 §3
    lines.push_back("HELP");
    reply_lines(250, std::nullopt, lines);
}

void SmtpSession::handle_helo(const codec::CommandLine& command) {
    auto domain = hello_argument(command.arguments);
    if (!domain) {
        refuse({501, status::invalid_arguments,
                "HELO needs a domain or address literal: " + domain.error().message});
        return;
    }
    helo_domain_ = domain.value();
    esmtp_ = false;
    state_ = Ready{};
    reply(250, std::nullopt, context_.config.hostname + " greets " + helo_domain_);
}

}  // namespace mailspec::server::smtp
