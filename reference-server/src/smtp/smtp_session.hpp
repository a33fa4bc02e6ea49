#pragma once
// The SMTP server session (RFC 5321 with SIZE, PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, SMTPUTF8,
// STARTTLS and AUTH PLAIN/LOGIN) for the three SMTP roles: smtp_relay (port 25), submission (587)
// and submissions (465). No I/O: bytes come in through on_data(), replies go out through Host.
//
// Structure (docs/reference-server.md): the session state is a std::variant of per-state structs;
// a table (smtp_command_table.cpp) maps each verb to its handler and the states it is allowed in;
// each handler first checks (no side effects) and then acts. One file per command family.
//
// Role policy:
//  - smtp_relay: mail for local users is accepted without AUTH; other domains are refused with
//    550 5.7.1 unless authenticated; an unknown user at a local domain gets 550 5.1.1.
//  - submission / submissions: MAIL needs AUTH first (530 5.7.0, RFC 4954 §6, RFC 6409 §4.1).
//  - AUTH is offered and accepted only over TLS (RFC 4954 §4, RFC 8314) unless the configuration
//    allows plaintext auth; before TLS, AUTH is answered 538 5.7.11.
//  - Accepted recipients outside the local domains (authenticated clients, or any client under the
//    smtp.open-relay fault) are never relayed to another host, but never dropped either: the message
//    is queued ONCE for all its remote recipients in the outbound queue, <store root>/outbound/
//    (store/outbound_queue.hpp), with the envelope in front as "Return-Path: <sender>" (RFC 5321
//    §4.4) and one "X-Mailspec-Envelope-To: <rcpt>" line per remote recipient. Local recipients get
//    their INBOX copy as before.
//  - Delivery (cmd_data.cpp): "250" only after every copy (each local INBOX, then the queue) is
//    durable (RFC 5321 §6.1); if any durable write fails the reply is 451 4.3.0. Partial delivery:
//    copies made before the failure are kept, so the client's retry may deliver them twice (RFC 5321
//    §6.1 prefers duplicates to loss). RSET, a refused DATA, or a connection lost before the final
//    "." stores and queues nothing.
//  - <Postmaster> (RFC 5321 §4.5.1) is delivered to the first configured user.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "context.hpp"
#include "mailspec/protocol/smtp/command.hpp"
#include "mailspec/protocol/smtp/data_reader.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"
#include "mailspec/protocol/smtp/reply.hpp"
#include "transport/session.hpp"

namespace mailspec::server::smtp {

namespace codec = mailspec::protocol::smtp;

// ---- per-state data (RFC 5321 §4.1.4 command order) ----

struct Recipient {
    std::string address;            // as given in RCPT
    std::optional<std::string> login;  // the local user receiving it; nullopt: a remote recipient,
                                       // queued in the outbound queue
};

struct Envelope {
    std::string reverse_path;       // "" for the null path "<>"
    bool smtputf8 = false;
    bool eight_bit = false;
    std::vector<Recipient> recipients;
};

struct AwaitingHello {};                // after the greeting, or after STARTTLS (RFC 3207 §4.2)
struct Ready {};                        // EHLO/HELO done, no mail transaction
struct InTransaction { Envelope envelope; };   // after MAIL, collecting RCPT
struct ReceivingData {                  // after DATA's 354, until CRLF "." CRLF
    Envelope envelope;
    codec::DataReader reader;
};
struct Authenticating {                 // an AUTH exchange in progress (RFC 4954 §4)
    enum class Step { plain_response, login_username, login_password } step;
    std::string username;               // LOGIN: the user name given at the first step
};
struct StartingTls {};                  // 220 sent, waiting for Host::on_tls_ready
struct Closed {};                       // 221/421 sent or connection gone; input is ignored

using State = std::variant<AwaitingHello, Ready, InTransaction, ReceivingData, Authenticating,
                           StartingTls, Closed>;

// Bit for each State alternative, used by the command table.
enum StateMask : unsigned {
    in_awaiting_hello = 1u << 0,
    in_ready = 1u << 1,
    in_transaction = 1u << 2,
    any_command_state = in_awaiting_hello | in_ready | in_transaction,
};

// A refusal found by a handler's check step.
struct Refusal {
    int code;
    codec::EnhancedStatus status;
    std::string text;
};

class SmtpSession;

struct CommandSpec {
    std::string_view verb;
    unsigned allowed_states;     // StateMask bits
    void (SmtpSession::*handler)(const codec::CommandLine&);
};

// Every command the server knows, sorted by verb (smtp_command_table.cpp).
const std::vector<CommandSpec>& command_table();

class SmtpSession final : public Session {
public:
    SmtpSession(Host& host, const SessionContext& context);

    void on_open() override;
    void on_data(std::string_view bytes) override;
    void on_tls_ready() override;
    void on_idle_timeout() override;
    void on_closed() override;

    // ---- handlers (one file per family) ----
    void handle_ehlo(const codec::CommandLine& command);      // cmd_hello.cpp
    void handle_helo(const codec::CommandLine& command);
    void handle_mail(const codec::CommandLine& command);      // cmd_transaction.cpp
    void handle_rcpt(const codec::CommandLine& command);
    void handle_rset(const codec::CommandLine& command);
    void handle_data(const codec::CommandLine& command);      // cmd_data.cpp
    void handle_auth(const codec::CommandLine& command);      // cmd_auth.cpp
    void handle_starttls(const codec::CommandLine& command);  // cmd_starttls.cpp
    void handle_noop(const codec::CommandLine& command);      // cmd_info.cpp
    void handle_vrfy(const codec::CommandLine& command);
    void handle_help(const codec::CommandLine& command);
    void handle_quit(const codec::CommandLine& command);
    void handle_not_implemented(const codec::CommandLine& command);

private:
    // ---- input ----
    void process();  // runs every complete line / data chunk buffered, in order (PIPELINING)
    void process_line(const protocol::smtp::LineEvent& event);
    void dispatch(const std::string& line);
    void continue_auth(const std::string& line);  // cmd_auth.cpp
    void finish_plain(const std::string& message);
    void finish_credentials(const std::string& user, const std::string& password, const std::string& authzid);
    void feed_data(std::string_view bytes);       // cmd_data.cpp: bytes while ReceivingData
    void finish_data(ReceivingData& data);        // cmd_data.cpp: after CRLF "." CRLF
    // cmd_data.cpp: stores `message` for every local recipient and queues it once for the remote
    // ones; returns the first durable-write error (nullopt: everything durable).
    std::optional<std::string> deliver(const Envelope& envelope, const std::string& message);

    // ---- output ----
    // Queues one reply. `enhanced` is added when the client used EHLO (RFC 2034 §3). The code is
    // replaced when the fault smtp.wrong-code names the current command.
    void reply(int code, std::optional<codec::EnhancedStatus> enhanced, const std::string& text);
    void reply_lines(int code, std::optional<codec::EnhancedStatus> enhanced,
                     const std::vector<std::string>& lines);
    void refuse(const Refusal& refusal);  // a reply that also counts as a client error
    void flush();                          // hands queued replies to Host::send
    void close_with(int code, codec::EnhancedStatus status, const std::string& text);
    void count_error();

    // ---- policy helpers ----
    bool tls_active() const { return tls_; }
    bool is_submission_role() const;
    bool auth_available() const;       // AUTH may be offered and used now
    bool starttls_available() const;   // STARTTLS may be offered now
    std::size_t command_line_limit(std::string_view verb) const;  // octets, CRLF excluded
    void reset_transaction();          // to Ready (or AwaitingHello before any EHLO/HELO)
    std::string received_header(const Envelope& envelope) const;

    Host& host_;
    const SessionContext& context_;
    State state_ = AwaitingHello{};
    codec::LineSplitter lines_;
    codec::ReplyStyle style_;
    std::string output_;             // replies queued during one on_data()
    std::string current_verb_;       // for smtp.wrong-code
    std::string helo_domain_;        // the EHLO/HELO argument
    bool esmtp_ = false;             // EHLO (not HELO) was used
    bool tls_ = false;
    std::optional<std::string> authenticated_;  // login after a successful AUTH
    std::size_t errors_ = 0;
    std::size_t commands_ = 0;       // command lines received, for smtp.disconnect-at
    bool in_process_ = false;
};

}  // namespace mailspec::server::smtp
