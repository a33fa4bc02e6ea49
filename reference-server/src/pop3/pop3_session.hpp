#pragma once
// The POP3 server session (RFC 1939, CAPA RFC 2449, STLS RFC 2595, AUTH PLAIN RFC 5034, response
// codes RFC 2449 §8 / RFC 3206) for the pop3 (110, STLS) and pop3s (995, implicit TLS) roles.
// No I/O: bytes come in through on_data(), responses go out through Host.
//
// State is a std::variant of per-state structs (AUTHORIZATION, an AUTH exchange, TRANSACTION,
// a pending TLS upgrade, closed); UPDATE happens inside QUIT. A table (pop3_command_table.cpp)
// maps each keyword to its handler and allowed states; handlers check first, then act.
//
// Policy: USER/PASS and AUTH PLAIN are refused before TLS ("-ERR [AUTH]", and CAPA omits USER and
// SASL) unless the configuration allows plaintext auth. Entering TRANSACTION takes the exclusive
// maildrop lock ("-ERR [IN-USE]" when another session holds it, RFC 2449 §8.1.2). DELE only marks;
// QUIT in TRANSACTION applies the marks (UPDATE); a connection that ends any other way deletes
// nothing (RFC 1939 §6). UIDL unique-ids are "<UIDVALIDITY>.<UID>" of the store, so they are stable
// across sessions.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "context.hpp"
#include "mailspec/protocol/pop3/command.hpp"
#include "mailspec/protocol/pop3/response.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"
#include "transport/session.hpp"

namespace mailspec::server::pop3 {

namespace codec = mailspec::protocol::pop3;

struct MaildropMessage {
    Uid uid = 0;
    std::uint64_t size = 0;
    bool deleted = false;  // marked by DELE, applied at QUIT
};

struct Authorization {
    std::optional<std::string> user;  // after a successful USER, awaiting PASS
};
struct SaslExchange {};  // AUTH PLAIN sent without initial response; "+ " sent, awaiting the reply
struct Transaction {
    std::string login;
    MaildropLock lock;
    std::uint32_t uidvalidity = 0;
    std::vector<MaildropMessage> messages;  // message number n is messages[n - 1]
};
struct StartingTls {};
struct Closed {};

using State = std::variant<Authorization, SaslExchange, Transaction, StartingTls, Closed>;

enum StateMask : unsigned {
    in_authorization = 1u << 0,
    in_transaction = 1u << 2,
};

class Pop3Session;

struct CommandSpec {
    std::string_view keyword;
    unsigned allowed_states;
    void (Pop3Session::*handler)(const codec::Command&);
};

// Every command the server knows, sorted by keyword (pop3_command_table.cpp).
const std::vector<CommandSpec>& command_table();

class Pop3Session final : public Session {
public:
    Pop3Session(Host& host, const SessionContext& context);

    void on_open() override;
    void on_data(std::string_view bytes) override;
    void on_tls_ready() override;
    void on_idle_timeout() override;
    void on_closed() override;

    // ---- handlers ----
    void handle_user(const codec::Command& command);  // cmd_login.cpp
    void handle_pass(const codec::Command& command);
    void handle_auth(const codec::Command& command);
    void handle_apop(const codec::Command& command);
    void handle_stat(const codec::Command& command);  // cmd_maildrop.cpp
    void handle_list(const codec::Command& command);
    void handle_uidl(const codec::Command& command);
    void handle_retr(const codec::Command& command);
    void handle_top(const codec::Command& command);
    void handle_dele(const codec::Command& command);  // cmd_update.cpp
    void handle_rset(const codec::Command& command);
    void handle_noop(const codec::Command& command);
    void handle_quit(const codec::Command& command);
    void handle_capa(const codec::Command& command);  // cmd_capa.cpp
    void handle_stls(const codec::Command& command);

private:
    void process();
    void process_line(const protocol::smtp::LineEvent& event);
    void dispatch(const std::string& line);
    void continue_sasl(const std::string& line);  // cmd_login.cpp
    void finish_plain(const std::string& message);
    // Verifies credentials, takes the maildrop lock and loads the message list (RFC 1939 §4-5).
    void enter_transaction(const std::string& user, const std::string& password);

    void send(std::string bytes) { output_ += bytes; }
    void ok(std::string_view text) { send(codec::ok(text, style_)); }
    void err(std::string_view text) { send(codec::err(text, style_)); }
    void err(std::string_view code, std::string_view text) { send(codec::err(code, text, style_)); }
    void refuse(std::string_view text);  // -ERR that counts as a client error
    void count_error();
    void flush();
    // Fault pop3.wrong-status: when it names `command`, the answer written from now on (until
    // end_wrong_status() or the next flush) gets the opposite status.
    void begin_wrong_status(std::string_view command);
    void end_wrong_status();
    void close_with(std::string bytes);

    bool user_pass_available() const;  // USER/PASS may be used now
    bool sasl_available() const;       // AUTH PLAIN may be used now
    bool starttls_available() const;
    // The message for a message-number argument, or nullptr after sending "-ERR".
    MaildropMessage* message_argument(std::string_view argument, bool allow_deleted = false);
    std::string unique_id(const Transaction& transaction, const MaildropMessage& message) const;
    template <class Value, class Status>
    void scan_listing(const codec::Command& command, Value value_of, Status status_of);  // LIST, UIDL

    Host& host_;
    const SessionContext& context_;
    State state_ = Authorization{};
    protocol::smtp::LineSplitter lines_;
    codec::ResponseStyle style_;
    std::string output_;
    bool tls_ = false;
    std::size_t errors_ = 0;
    std::size_t commands_ = 0;
    bool in_process_ = false;
    std::optional<std::size_t> wrong_status_from_;  // offset in output_ of the answer to flip
};

}  // namespace mailspec::server::pop3
