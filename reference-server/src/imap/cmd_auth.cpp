// Not-authenticated state: STARTTLS, LOGIN, AUTHENTICATE (RFC 3501 §6.2), SASL-IR (RFC 4959),
// the PLAIN mechanism (RFC 4616). LOGINDISABLED before TLS unless plaintext auth is configured.
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/mime/header.hpp"
#include "mailspec/protocol/mime/params.hpp"

namespace mailspec::server::imap {

namespace {

bool valid_base64(const std::string& s) {
    if (s.size() % 4 != 0) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
                  ch == '/' || (ch == '=' && i + 2 >= s.size());
        if (!ok) return false;
    }
    return true;
}

void authenticate_credentials(ImapSession& s, const Command& c, std::string_view login, std::string_view password,
                              std::string_view what) {
    auto user = s.store().authenticate(login, password);
    if (!user) return s.no(c, "Invalid credentials", "AUTHENTICATIONFAILED");
    s.login_as(*user);
    s.ok(c, std::string(what) + " completed", "CAPABILITY " + s.capabilities());
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_starttls) {
    if (!args.empty()) return s.bad(c, "STARTTLS takes no arguments");
    if (s.tls_active()) return s.bad(c, "TLS is already active");
    if (!s.context().endpoint.offers_starttls()) return s.bad(c, "STARTTLS is not offered on this port");
    s.ok(c, "Begin TLS negotiation now");
    s.begin_starttls();
}

MAILSPEC_IMAP_HANDLER(cmd_login) {
    if (args.size() != 2 || !args[0].is_astring() || !args[1].is_astring())
        return s.bad(c, "LOGIN needs a user name and a password");
    if (!s.plaintext_login_allowed() && !s.faults().has("imap.login-when-disabled"))
        return s.no(c, "LOGIN is disabled until STARTTLS (LOGINDISABLED)", "PRIVACYREQUIRED");
    authenticate_credentials(s, c, args[0].value, args[1].value, "LOGIN");
}

MAILSPEC_IMAP_HANDLER(cmd_authenticate) {
    if (args.empty() || args.size() > 2 || !args[0].is_atom())
        return s.bad(c, "AUTHENTICATE needs a mechanism name and an optional initial response");
    std::string mechanism = protocol::mime::to_upper(args[0].value);
    if (mechanism != "PLAIN") return s.no(c, "Unsupported authentication mechanism " + mechanism, "CANNOT");
    if (!s.plaintext_login_allowed()) return s.no(c, "AUTHENTICATE PLAIN needs TLS first", "PRIVACYREQUIRED");
    if (args.size() == 2) {  // SASL-IR (RFC 4959 §3): "=" is an empty initial response
        if (!args[1].is_atom()) return s.bad(c, "the initial response must be base64 or \"=\"");
        return finish_authenticate(s, c, mechanism, args[1].value == "=" ? "" : args[1].value);
    }
    s.begin_authenticate(c, mechanism);
}

// The client's response line to the "+ " continuation (or the SASL-IR argument).
void finish_authenticate(ImapSession& s, const Command& c, const std::string& mechanism, const std::string& response) {
    if (response == "*") return s.bad(c, "AUTHENTICATE cancelled");
    if (!valid_base64(response)) return s.bad(c, "invalid base64 in the SASL response");
    std::string decoded = protocol::mime::decode_base64(response);
    // PLAIN (RFC 4616 §2): [authzid] NUL authcid NUL passwd
    auto first = decoded.find('\0');
    auto second = first == std::string::npos ? first : decoded.find('\0', first + 1);
    if (second == std::string::npos) return s.bad(c, "malformed PLAIN response: expected authzid NUL authcid NUL password");
    std::string authzid = decoded.substr(0, first);
    std::string authcid = decoded.substr(first + 1, second - first - 1);
    std::string password = decoded.substr(second + 1);
    if (!authzid.empty() && authzid != authcid)
        return s.no(c, "Authorization identity must be empty or equal the user name", "AUTHORIZATIONFAILED");
    authenticate_credentials(s, c, authcid, password, "AUTHENTICATE");
}

}  // namespace mailspec::server::imap
