// The POP3 session core: input loop, dispatch through the command table, responses, error
// counting, timeouts and the STLS hand-off. Command handlers live in cmd_*.cpp.
#include "pop3_session.hpp"

#include <algorithm>

#include "mailspec/core/escape.hpp"
#include "pop3_faults.hpp"
#include "sessions.hpp"

namespace mailspec::server {

std::unique_ptr<Session> make_pop3_session(Host& host, const SessionContext& context) {
    return std::make_unique<pop3::Pop3Session>(host, context);
}

}  // namespace mailspec::server

namespace mailspec::server::pop3 {

namespace {
// SASL responses may be longer than commands (RFC 5034 §4 lifts the 255-octet limit for them);
// 12288 octets as RFC 4954 §4 suggests for SMTP.
constexpr std::size_t max_sasl_line = 12288 - 2;
unsigned mask_of(const State& state) { return 1u << state.index(); }

bool same_keyword(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto upper = [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; };
        if (upper(a[i]) != upper(b[i])) return false;
    }
    return true;
}

// Fault pop3.wrong-status: the answer `bytes` with the opposite status indicator (RFC 1939 §3).
// "+OK text" becomes "-ERR text" and any multi-line body is dropped (an -ERR answer is one line);
// "-ERR text" becomes "+OK text". A "+ " SASL continuation is left alone.
std::string flip_status(const std::string& bytes) {
    const auto eol = bytes.find("\r\n");
    const std::size_t first_end = eol == std::string::npos ? bytes.size() : eol + 2;
    if (bytes.starts_with("+OK")) return "-ERR" + bytes.substr(3, first_end - 3);
    if (bytes.starts_with("-ERR")) return "+OK" + bytes.substr(4);
    return bytes;
}
}  // namespace

Pop3Session::Pop3Session(Host& host, const SessionContext& context)
    : host_(host), context_(context), lines_(max_sasl_line) {
    style_.dot_stuff = !context.faults.has(pop3_fault::no_dot_stuffing);
}

void Pop3Session::on_open() {
    tls_ = host_.is_tls();
    host_.set_idle_timeout(context_.config.limits.pop3_idle_timeout);
    begin_wrong_status("GREETING");
    ok("mailspec-server POP3 ready");  // RFC 1939 §4 greeting
    flush();
}

void Pop3Session::on_data(std::string_view bytes) {
    if (std::holds_alternative<Closed>(state_) || std::holds_alternative<StartingTls>(state_)) return;
    lines_.feed(bytes);
    process();
}

void Pop3Session::on_tls_ready() {
    tls_ = true;
    state_ = Authorization{};  // RFC 2595 §4: the session continues in AUTHORIZATION
    process();                 // only with pop3.starttls-injection is anything still buffered
}

void Pop3Session::on_idle_timeout() {
    if (std::holds_alternative<Closed>(state_)) return;
    // RFC 1939 §3: an autologout timer closes the connection WITHOUT entering UPDATE.
    close_with(codec::err("autologout: idle for too long", style_));
}

void Pop3Session::on_closed() {
    // RFC 1939 §6: a session that ends without QUIT removes nothing; dropping Transaction releases
    // the maildrop lock.
    state_ = Closed{};
}

void Pop3Session::process() {
    if (in_process_) return;
    in_process_ = true;
    for (;;) {
        if (std::holds_alternative<Closed>(state_) || std::holds_alternative<StartingTls>(state_)) break;
        auto event = lines_.next();
        if (event.kind == protocol::smtp::LineEventKind::need_more) break;
        process_line(event);
    }
    in_process_ = false;
    flush();
}

void Pop3Session::process_line(const protocol::smtp::LineEvent& event) {
    const bool in_sasl = std::holds_alternative<SaslExchange>(state_);
    if (event.kind == protocol::smtp::LineEventKind::too_long) {
        if (in_sasl) state_ = Authorization{};
        refuse("line too long");
        return;
    }
    if (in_sasl) {
        begin_wrong_status("AUTH");
        continue_sasl(event.text);
        end_wrong_status();
        return;
    }
    // RFC 2449 §4: commands up to 255 octets including CRLF.
    const std::size_t limit = context_.config.limits.pop3_max_command_line - 2;
    if (event.text.size() > limit) {
        refuse("line too long: " + std::to_string(event.text.size() + 2) + " octets, the limit is " +
               std::to_string(limit + 2) + " (RFC 2449 §4)");
        return;
    }
    // A bare LF is accepted as a line end for commands (lenient; RFC 1939 §3 says CRLF).
    dispatch(event.text);
}

void Pop3Session::dispatch(const std::string& line) {
    ++commands_;
    if (auto n = context_.faults.int_arg(pop3_fault::disconnect_at);
        n && *n >= 0 && static_cast<std::size_t>(*n) == commands_) {
        // Fault pop3.disconnect-at: give up instead of answering (RFC 1939 §3).
        close_with(codec::err("server shutting down", style_));
        return;
    }
    auto parsed = codec::parse_command(line);
    if (!parsed) {
        begin_wrong_status("UNKNOWN");  // a line that is no command is an unknown command too
        refuse("syntax error at byte " + std::to_string(parsed.error().offset) + ": " + parsed.error().message);
        end_wrong_status();
        return;
    }
    const auto& command = parsed.value();
    const CommandSpec* spec = nullptr;
    for (const auto& entry : command_table())
        if (entry.keyword == command.keyword) spec = &entry;
    if (spec == nullptr) {
        begin_wrong_status("UNKNOWN");
        refuse("unknown command " + core::visible(command.keyword));
        end_wrong_status();
        return;
    }
    begin_wrong_status(command.keyword);
    if ((spec->allowed_states & mask_of(state_)) == 0) {
        refuse(std::holds_alternative<Transaction>(state_) ? command.keyword + " is not valid in the TRANSACTION state"
                                                           : command.keyword + " is not valid before authentication");
    } else {
        (this->*(spec->handler))(command);
    }
    end_wrong_status();
}

void Pop3Session::begin_wrong_status(std::string_view command) {
    wrong_status_from_.reset();
    for (const auto& named : context_.faults.args(pop3_fault::wrong_status))
        if (same_keyword(named, command)) wrong_status_from_ = output_.size();
}

void Pop3Session::end_wrong_status() {
    if (!wrong_status_from_) return;
    const std::size_t from = std::min(*wrong_status_from_, output_.size());
    wrong_status_from_.reset();
    output_ = output_.substr(0, from) + flip_status(output_.substr(from));
}

void Pop3Session::refuse(std::string_view text) {
    err(text);
    count_error();
}

void Pop3Session::count_error() {
    ++errors_;
    if (errors_ >= context_.config.limits.max_errors && !std::holds_alternative<Closed>(state_))
        close_with(codec::err("too many errors, closing connection", style_));
}

void Pop3Session::flush() {
    end_wrong_status();  // a handler that flushes early (STLS) still gets its answer flipped
    if (output_.empty()) return;
    std::string out;
    out.swap(output_);
    host_.send(std::move(out));
}

void Pop3Session::close_with(std::string bytes) {
    send(std::move(bytes));
    flush();
    state_ = Closed{};  // releases the maildrop lock; no UPDATE
    host_.close();
}

bool Pop3Session::user_pass_available() const {
    return tls_ || context_.config.options.allow_plaintext_auth || context_.faults.has(pop3_fault::plaintext_user);
}

bool Pop3Session::sasl_available() const { return tls_ || context_.config.options.allow_plaintext_auth; }

bool Pop3Session::starttls_available() const { return !tls_ && context_.endpoint.offers_starttls(); }

}  // namespace mailspec::server::pop3
