// AUTHORIZATION-state login: USER / PASS (RFC 1939 §7), AUTH PLAIN with or without an initial
// response (RFC 5034, RFC 4616), APOP (not supported), and the move to TRANSACTION with the
// exclusive maildrop lock (RFC 1939 §8, RFC 2449 §8.1.2 [IN-USE]).
#include "mailspec/protocol/smtp/sasl.hpp"
#include "pop3_faults.hpp"
#include "pop3_session.hpp"

namespace mailspec::server::pop3 {

namespace sasl = mailspec::protocol::smtp;

void Pop3Session::handle_user(const codec::Command& command) {
    // Check.
    if (!user_pass_available()) {
        err("AUTH", "plaintext authentication disallowed without TLS; use STLS");
        return;
    }
    if (command.params.size() != 1) {
        refuse("USER needs exactly one argument");
        return;
    }
    // Act. Every name gets +OK so USER does not reveal which users exist (RFC 1939 §13).
    std::get<Authorization>(state_).user = command.params.front();
    ok("send PASS");
}

void Pop3Session::handle_pass(const codec::Command& command) {
    auto& authorization = std::get<Authorization>(state_);
    if (!user_pass_available()) {
        err("AUTH", "plaintext authentication disallowed without TLS; use STLS");
        return;
    }
    if (!authorization.user) {
        refuse("send USER first");
        return;
    }
    if (command.rest.empty()) {
        refuse("PASS needs an argument");
        return;
    }
    const std::string user = *authorization.user;
    // RFC 1939 §7: the password may contain spaces; the whole rest of the line is used.
    enter_transaction(user, command.rest);
}

void Pop3Session::handle_apop(const codec::Command&) {
    err("APOP is not supported (no timestamp in the greeting)");
}

void Pop3Session::handle_auth(const codec::Command& command) {
    // Check.
    if (command.params.empty()) {
        // RFC 1734 style listing, kept by many servers: the mechanisms, as a multi-line response.
        send(codec::ok("SASL mechanisms follow", style_) + codec::multiline_body("PLAIN\r\n", style_));
        return;
    }
    std::string mechanism = command.params.front();
    for (auto& c : mechanism) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    if (mechanism != "PLAIN" || command.params.size() > 2) {
        refuse(mechanism != "PLAIN" ? "unsupported SASL mechanism " + mechanism : "AUTH takes a mechanism and one initial response");
        return;
    }
    if (!sasl_available()) {
        err("AUTH", "plaintext authentication disallowed without TLS; use STLS");
        return;
    }
    std::optional<sasl::SaslResponse> initial;
    if (command.params.size() == 2) {
        auto decoded = sasl::decode_sasl_response(command.params[1]);
        if (!decoded) {
            refuse("invalid base64 in initial response: " + decoded.error().message);
            return;
        }
        if (decoded->cancelled) {
            err("authentication cancelled");
            return;
        }
        initial = decoded.value();
    }
    // Act.
    if (initial) {
        finish_plain(initial->data);
    } else {
        state_ = SaslExchange{};
        send("+ " + std::string(style_.line_end));  // RFC 5034 §4: empty server challenge
    }
}

void Pop3Session::continue_sasl(const std::string& line) {
    state_ = Authorization{};
    auto decoded = sasl::decode_sasl_response(line);
    if (!decoded) {
        refuse("invalid base64: " + decoded.error().message);
        return;
    }
    if (decoded->cancelled) {  // RFC 5034 §4: "*" cancels with -ERR
        err("authentication cancelled");
        return;
    }
    finish_plain(decoded->data);
}

void Pop3Session::finish_plain(const std::string& message) {
    auto credentials = sasl::decode_sasl_plain(message);
    if (!credentials) {
        refuse("malformed PLAIN message: " + credentials.error().message);
        return;
    }
    if (!credentials->authzid.empty() && credentials->authzid != credentials->authcid) {
        state_ = Authorization{};
        err("AUTH", "authorization identity not permitted");
        count_error();
        return;
    }
    enter_transaction(credentials->authcid, credentials->password);
}

void Pop3Session::enter_transaction(const std::string& user, const std::string& password) {
    state_ = Authorization{};
    // Check: credentials, then the lock, then the message list.
    auto login = context_.store.authenticate(user, password);
    if (!login) {
        err("AUTH", "invalid user name or password");
        count_error();
        return;
    }
    auto lock = context_.store.try_lock_maildrop(*login);
    if (!lock) {
        err("IN-USE", "maildrop already locked by another session");
        return;
    }
    auto snapshot = context_.store.list_messages(*login, "INBOX");
    if (!snapshot) {
        err("SYS/TEMP", "cannot open maildrop: " + snapshot.error().message);
        return;
    }
    // Act.
    Transaction transaction{*login, std::move(*lock), snapshot->uidvalidity, {}};
    std::uint64_t octets = 0;
    for (const auto& info : snapshot->messages) {
        // Fault pop3.size-off-by-one: every size reported is one octet too large (RFC 1939 §5).
        const std::uint64_t size = info.size + (context_.faults.has(pop3_fault::size_off_by_one) ? 1 : 0);
        transaction.messages.push_back({info.uid, size, false});
        octets += size;
    }
    const std::size_t count = transaction.messages.size();
    state_ = std::move(transaction);
    ok(*login + "'s maildrop has " + std::to_string(count) + " messages (" + std::to_string(octets) + " octets)");
}

}  // namespace mailspec::server::pop3
