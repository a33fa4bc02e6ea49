// The SMTP session core: input loop, dispatch through the command table, replies, error counting,
// timeouts and the TLS upgrade hand-off. Command handlers live in cmd_*.cpp.
#include "smtp_session.hpp"

#include <charconv>

#include "mailspec/core/escape.hpp"
#include "sessions.hpp"
#include "smtp_faults.hpp"

namespace mailspec::server {

std::unique_ptr<Session> make_smtp_session(Host& host, const SessionContext& context) {
    return std::make_unique<smtp::SmtpSession>(host, context);
}

}  // namespace mailspec::server

namespace mailspec::server::smtp {

namespace status = codec::status;

namespace {
// RFC 4954 §4: "12288 octets is considered to be a sufficient line length" for SASL exchanges.
constexpr std::size_t max_auth_line = 12288 - 2;
// RFC 4954 §5: the AUTH= parameter extends the MAIL FROM line by 500 characters.
constexpr std::size_t mail_extension = 500;

unsigned mask_of(const State& state) { return 1u << state.index(); }
}  // namespace

SmtpSession::SmtpSession(Host& host, const SessionContext& context)
    : host_(host),
      context_(context),
      lines_(context.faults.has(smtp_fault::no_line_limit) ? context.config.limits.max_message_size
                                                           : max_auth_line) {
    style_.wrong_continuation = context.faults.has(smtp_fault::bad_continuation);
}

// ---- Session events ----

void SmtpSession::on_open() {
    tls_ = host_.is_tls();
    host_.set_idle_timeout(context_.config.limits.smtp_idle_timeout);
    current_verb_ = "GREETING";
    // RFC 5321 §4.2: the greeting is 220 with the server's name; no enhanced code (RFC 2034 §3).
    reply(220, std::nullopt, context_.config.hostname + " ESMTP mailspec-server ready");
    current_verb_.clear();
    flush();
}

void SmtpSession::on_data(std::string_view bytes) {
    if (std::holds_alternative<Closed>(state_) || std::holds_alternative<StartingTls>(state_)) {
        // Closed: input after QUIT/421 is ignored. StartingTls: the Host delivers nothing until
        // on_tls_ready (transport/session.hpp), so this is never plaintext after STARTTLS.
        return;
    }
    if (std::holds_alternative<ReceivingData>(state_)) {
        feed_data(bytes);
    } else {
        lines_.feed(bytes);
    }
    process();
}

void SmtpSession::on_tls_ready() {
    // RFC 3207 §4.2: discard all knowledge obtained from the client (EHLO, AUTH) and start over.
    tls_ = true;
    helo_domain_.clear();
    esmtp_ = false;
    authenticated_.reset();
    state_ = AwaitingHello{};
    process();  // only with smtp.starttls-injection is anything still buffered
}

void SmtpSession::on_idle_timeout() {
    if (std::holds_alternative<Closed>(state_)) return;
    // RFC 5321 §4.5.3.2: the server may close an idle connection; 421 tells the client why.
    close_with(421, status::connection_timeout, "idle timeout, closing connection");
}

void SmtpSession::on_closed() {
    // A client vanishing mid-DATA leaves nothing stored: messages are appended only complete.
    state_ = Closed{};
}

// ---- input ----

void SmtpSession::process() {
    if (in_process_) return;  // re-entered from a handler; the outer loop continues
    in_process_ = true;
    std::size_t lines_in_this_read = 0;
    for (;;) {
        if (std::holds_alternative<Closed>(state_) || std::holds_alternative<StartingTls>(state_) ||
            std::holds_alternative<ReceivingData>(state_))
            break;
        auto event = lines_.next();
        if (event.kind == protocol::smtp::LineEventKind::need_more) break;
        if (++lines_in_this_read > 1 && context_.faults.has(smtp_fault::no_pipelining) &&
            !std::holds_alternative<Authenticating>(state_)) {
            // Fault smtp.no-pipelining: a command that arrived behind another one is refused,
            // although PIPELINING is advertised (RFC 2920 §3.1).
            current_verb_.clear();
            reply(503, status::invalid_command, "wait for each reply before sending the next command");
            continue;
        }
        process_line(event);
    }
    in_process_ = false;
    flush();
}

void SmtpSession::process_line(const protocol::smtp::LineEvent& event) {
    const bool authenticating = std::holds_alternative<Authenticating>(state_);
    if (event.kind == protocol::smtp::LineEventKind::too_long) {
        if (authenticating) {
            // RFC 4954 §4: a response longer than the buffer fails AUTH with 500 5.5.6.
            state_ = Ready{};
            current_verb_ = "AUTH";
            refuse({500, status::auth_line_too_long, "authentication exchange line is too long"});
        } else {
            current_verb_.clear();
            refuse({500, status::syntax_error, "line too long (RFC 5321 §4.5.3.1.4)"});
        }
        current_verb_.clear();
        return;
    }
    if (event.bare_lf) {
        // RFC 5321 §2.3.8: lines end with CRLF; a bare LF is not a line terminator we accept.
        if (authenticating) state_ = Ready{};
        refuse({500, status::syntax_error, "line must end with <CR><LF> (RFC 5321 §2.3.8)"});
        return;
    }
    if (authenticating) {
        current_verb_ = "AUTH";
        continue_auth(event.text);
        current_verb_.clear();
        return;
    }
    dispatch(event.text);
}

void SmtpSession::dispatch(const std::string& line) {
    ++commands_;
    if (auto n = context_.faults.int_arg(smtp_fault::disconnect_at); n && *n >= 0 &&
                                                                     static_cast<std::size_t>(*n) == commands_) {
        // Fault smtp.disconnect-at: the connection is closed without a reply, which RFC 5321 §3.8
        // allows only after QUIT (221), a shutdown (421) or a timeout. (A 421 would be legal for
        // any command, §4.3.2, so a client could not tell it from a real shutdown.)
        flush();
        state_ = Closed{};
        host_.close();
        return;
    }
    current_verb_.clear();
    auto parsed = codec::parse_command_line(line);
    if (!parsed) {
        refuse({500, status::syntax_error,
                "syntax error at byte " + std::to_string(parsed.error().offset) + ": " + parsed.error().message});
        return;
    }
    const auto& command = parsed.value();
    if (!context_.faults.has(smtp_fault::no_line_limit) && line.size() > command_line_limit(command.verb)) {
        refuse({500, status::syntax_error,
                "line too long: " + std::to_string(line.size() + 2) + " octets, the limit is " +
                    std::to_string(command_line_limit(command.verb) + 2) + " (RFC 5321 §4.5.3.1.4)"});
        return;
    }
    const auto& table = command_table();
    const CommandSpec* spec = nullptr;
    for (const auto& entry : table)
        if (entry.verb == command.verb) spec = &entry;
    if (spec == nullptr) {
        // smtp.wrong-code=UNKNOWN:CODE applies to this reply (RFC 5321 §4.2.4 wants 500).
        current_verb_ = "UNKNOWN";
        refuse({500, status::invalid_command, "command not recognized: " + core::visible(command.verb)});
        current_verb_.clear();
        return;
    }
    current_verb_ = command.verb;
    if ((spec->allowed_states & mask_of(state_)) == 0) {
        std::string hint = "bad sequence of commands";
        if (std::holds_alternative<AwaitingHello>(state_)) hint += ": send EHLO or HELO first";
        else if (std::holds_alternative<InTransaction>(state_)) hint += ": not allowed during a mail transaction";
        else if (command.verb == "RCPT" || command.verb == "DATA") hint += ": send MAIL first";
        refuse({503, status::invalid_command, hint});
        current_verb_.clear();
        return;
    }
    (this->*(spec->handler))(command);
    current_verb_.clear();
}

// ---- output ----

void SmtpSession::reply(int code, std::optional<codec::EnhancedStatus> enhanced, const std::string& text) {
    reply_lines(code, enhanced, {text});
}

void SmtpSession::reply_lines(int code, std::optional<codec::EnhancedStatus> enhanced,
                              const std::vector<std::string>& lines) {
    if (!current_verb_.empty()) {
        if (auto wrong = context_.faults.wrong_code_for(current_verb_)) {
            int replaced = 0;
            const auto [end, ec] = std::from_chars(wrong->data(), wrong->data() + wrong->size(), replaced);
            if (ec == std::errc() && replaced >= 100 && replaced <= 999) code = replaced;
        }
    }
    // RFC 2034 §3: enhanced codes are for clients that used EHLO.
    // (Fault smtp.no-enhanced-codes: never, although ENHANCEDSTATUSCODES is advertised.)
    const bool enhanced_on = esmtp_ && !context_.faults.has(smtp_fault::no_enhanced_codes);
    output_ += codec::format_reply(code, enhanced_on ? enhanced : std::nullopt, lines, style_);
}

void SmtpSession::refuse(const Refusal& refusal) {
    reply(refusal.code, refusal.status, refusal.text);
    count_error();
}

void SmtpSession::count_error() {
    ++errors_;
    if (errors_ >= context_.config.limits.max_errors && !std::holds_alternative<Closed>(state_)) {
        current_verb_.clear();
        close_with(421, status::too_many_errors, "too many errors, closing connection");
    }
}

void SmtpSession::flush() {
    if (output_.empty()) return;
    std::string out;
    out.swap(output_);
    host_.send(std::move(out));
}

void SmtpSession::close_with(int code, codec::EnhancedStatus enhanced, const std::string& text) {
    reply(code, enhanced, text);
    flush();
    state_ = Closed{};
    host_.close();
}

// ---- policy ----

bool SmtpSession::is_submission_role() const {
    return context_.role() == EndpointRole::submission || context_.role() == EndpointRole::submissions;
}

bool SmtpSession::auth_available() const {
    return tls_ || context_.config.options.allow_plaintext_auth || context_.faults.has(smtp_fault::auth_before_tls);
}

bool SmtpSession::starttls_available() const { return !tls_ && context_.endpoint.offers_starttls(); }

std::size_t SmtpSession::command_line_limit(std::string_view verb) const {
    const std::size_t base = context_.config.limits.smtp_max_command_line - 2;  // CRLF excluded
    if (verb == "MAIL") return base + mail_extension;
    if (verb == "AUTH") return max_auth_line;
    return base;
}

void SmtpSession::reset_transaction() {
    if (helo_domain_.empty()) state_ = AwaitingHello{};
    else state_ = Ready{};
}

}  // namespace mailspec::server::smtp
