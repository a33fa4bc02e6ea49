// AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, including the initial response
// and the 334 continuation exchange. Replies: 235 2.7.0, 535 5.7.8, 538 5.7.11, 501 5.5.2 for bad
// base64, 501 5.0.0 when the client cancels with "*", 504 5.5.4 for an unknown mechanism.
#include "mailspec/protocol/smtp/sasl.hpp"
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

namespace {

struct AuthArguments {
    std::string mechanism;  // upper-cased
    std::optional<std::string> initial_response;  // still base64 (or "=")
};

AuthArguments split_auth(std::string_view arguments) {
    AuthArguments out;
    const auto sp = arguments.find(' ');
    for (char c : arguments.substr(0, sp)) out.mechanism += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    if (sp != std::string_view::npos) out.initial_response = std::string(arguments.substr(sp + 1));
    return out;
}

}  // namespace

void SmtpSession::handle_auth(const codec::CommandLine& command) {
    // Check.
    if (authenticated_) {  // RFC 4954 §4: no AUTH after a successful one
        refuse({503, status::invalid_command, "already authenticated"});
        return;
    }
    if (!auth_available()) {
        refuse({538, status::encryption_required,
                "encryption required for requested authentication mechanism (use STARTTLS)"});
        return;
    }
    const auto args = split_auth(command.arguments);
    if (args.mechanism.empty()) {
        refuse({501, status::invalid_arguments, "AUTH needs a mechanism name"});
        return;
    }
    if (args.mechanism != "PLAIN" && args.mechanism != "LOGIN") {
        refuse({504, status::invalid_arguments, "mechanism " + args.mechanism + " is not supported"});
        return;
    }
    std::optional<codec::SaslResponse> initial;
    if (args.initial_response) {
        auto decoded = codec::decode_sasl_response(*args.initial_response);
        if (!decoded) {
            refuse({501, status::syntax_error, "invalid base64 in initial response: " + decoded.error().message});
            return;
        }
        if (decoded->cancelled) {
            refuse({501, status::other_permanent, "authentication cancelled"});
            return;
        }
        initial = decoded.value();
    }
    // Act.
    if (args.mechanism == "PLAIN") {
        if (initial) {
            finish_plain(initial->data);
        } else {
            state_ = Authenticating{Authenticating::Step::plain_response, {}};
            reply(334, std::nullopt, "");  // RFC 4954 §4: an empty challenge is "334 "
        }
        return;
    }
    if (initial) {
        state_ = Authenticating{Authenticating::Step::login_password, initial->data};
        reply(334, std::nullopt, std::string(codec::login_password_challenge));
    } else {
        state_ = Authenticating{Authenticating::Step::login_username, {}};
        reply(334, std::nullopt, std::string(codec::login_username_challenge));
    }
}

void SmtpSession::continue_auth(const std::string& line) {
    auto& exchange = std::get<Authenticating>(state_);
    auto decoded = codec::decode_sasl_response(line);
    if (!decoded) {
        state_ = Ready{};
        refuse({501, status::syntax_error, "invalid base64: " + decoded.error().message});
        return;
    }
    if (decoded->cancelled) {
        state_ = Ready{};
        refuse({501, status::other_permanent, "authentication cancelled"});
        return;
    }
    switch (exchange.step) {
    case Authenticating::Step::plain_response:
        finish_plain(decoded->data);
        return;
    case Authenticating::Step::login_username:
        exchange.username = decoded->data;
        exchange.step = Authenticating::Step::login_password;
        reply(334, std::nullopt, std::string(codec::login_password_challenge));
        return;
    case Authenticating::Step::login_password: {
        const std::string username = exchange.username;
        finish_credentials(username, decoded->data, "");
        return;
    }
    }
}

void SmtpSession::finish_plain(const std::string& message) {
    auto credentials = codec::decode_sasl_plain(message);
    if (!credentials) {
        state_ = Ready{};
        refuse({501, status::syntax_error, "malformed PLAIN message: " + credentials.error().message});
        return;
    }
    finish_credentials(credentials->authcid, credentials->password, credentials->authzid);
}

void SmtpSession::finish_credentials(const std::string& user, const std::string& password,
                                     const std::string& authzid) {
    state_ = Ready{};
    auto login = context_.store.authenticate(user, password);
    // Authorization identities other than the user itself are not supported (RFC 4616 §2).
    if (!login || (!authzid.empty() && authzid != user)) {
        refuse({535, status::bad_credentials, "authentication credentials invalid"});
        return;
    }
    authenticated_ = *login;
    reply(235, status::auth_succeeded, "authentication successful");
}

}  // namespace mailspec::server::smtp
