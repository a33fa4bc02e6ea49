// DATA (RFC 5321 §4.1.1.4): the 354 go-ahead, the message bytes until CRLF "." CRLF, the
// Received: trace header (§4.4) and durable delivery before "250" (§6.1): local recipients to
// their INBOX, remote recipients once to the outbound queue (store/outbound_queue.hpp).
#include <chrono>
#include <ctime>
#include <set>

#include "smtp_faults.hpp"
#include "smtp_session.hpp"
#include "store/outbound_queue.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

namespace {

// RFC 5322 §3.3 date-time in UTC, e.g. "Sun, 22 Nov 2026 01:40:00 +0000".
std::string rfc5322_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

}  // namespace

void SmtpSession::handle_data(const codec::CommandLine& command) {
    auto& transaction = std::get<InTransaction>(state_);
    // Check.
    if (!command.arguments.empty()) {
        refuse({501, status::invalid_arguments, "DATA takes no arguments"});
        return;
    }
    if (transaction.envelope.recipients.empty()) {
        // RFC 5321 §3.3: DATA without any accepted recipient.
        refuse({554, status::invalid_command, "no valid recipients"});
        return;
    }
    // Act.
    codec::DataOptions options;
    options.unstuff = !context_.faults.has(smtp_fault::no_dot_unstuffing);
    options.bare_lf_ends = context_.faults.has(smtp_fault::bare_lf_ends_data);
    state_ = ReceivingData{std::move(transaction.envelope),
                           codec::DataReader(context_.config.limits.max_message_size, options)};
    current_verb_.clear();  // smtp.wrong-code=DATA:... applies to the reply after the dot
    reply(354, std::nullopt, "End data with <CR><LF>.<CR><LF>");
    // Bytes pipelined behind DATA (RFC 2920 §3.1 lets the client send the message right away).
    const std::string pending = lines_.take_buffered();
    feed_data(pending);
}

void SmtpSession::feed_data(std::string_view bytes) {
    auto* data = std::get_if<ReceivingData>(&state_);
    if (data == nullptr) return;
    const std::size_t used = data->reader.feed(bytes);
    if (!data->reader.complete()) return;
    finish_data(*data);  // leaves ReceivingData
    lines_.feed(bytes.substr(used));
}

void SmtpSession::finish_data(ReceivingData& data) {
    const Envelope envelope = std::move(data.envelope);
    codec::DataReader reader = std::move(data.reader);
    state_ = Ready{};  // the transaction ends whatever the outcome (§4.1.1.4)
    current_verb_ = "DATA";
    // Fault smtp.text-line-off-by-one: the limit is one octet short of RFC 5321 §4.5.3.1.6's 1000.
    const std::size_t max_text =
        context_.config.limits.smtp_max_text_line - 2 - (context_.faults.has(smtp_fault::text_line_off_by_one) ? 1 : 0);
    if (reader.too_large()) {
        reply(552, status::message_too_big,
              "message exceeds the maximum size of " + std::to_string(context_.config.limits.max_message_size));
    } else if (!context_.faults.has(smtp_fault::no_line_limit) && reader.longest_line() > max_text) {
        reply(500, status::syntax_error,
              "line too long: a text line has " + std::to_string(reader.longest_line() + 2) +
                  " octets, the limit is " + std::to_string(max_text + 2) + " (RFC 5321 §4.5.3.1.6)");
    } else {
        // RFC 5321 §4.4: the trace header goes on top (left out under smtp.no-received-header).
        const std::string trace =
            context_.faults.has(smtp_fault::no_received_header) ? std::string() : received_header(envelope);
        const std::string message = trace + reader.take_content();
        if (deliver(envelope, message)) {
            // RFC 5321 §4.2.5 / §6.1: no "250" unless every copy is durable. Copies already made stay
            // (see smtp_session.hpp, "Partial delivery"); the client's retry may duplicate them. The
            // error text names server paths, so the client only gets the enhanced code 4.3.0.
            reply(451, status::local_error, "local error in processing, try again later");
        } else {
            reply(250, status::message_accepted, "message accepted for delivery");
        }
    }
    current_verb_.clear();
}

std::optional<std::string> SmtpSession::deliver(const Envelope& envelope, const std::string& message) {
    // Local recipients: one copy per distinct mailbox owner.
    std::set<std::string> delivered;
    std::vector<std::string> remote;
    for (const auto& recipient : envelope.recipients) {
        if (!recipient.login) {
            remote.push_back(recipient.address);
            continue;
        }
        if (delivered.count(*recipient.login)) continue;
        // Store::append returns only once the message is durable (fsync): RFC 5321 §6.1.
        auto stored = context_.store.append(*recipient.login, "INBOX", message);
        if (!stored) return stored.error().message;
        delivered.insert(*recipient.login);
    }
    // Remote recipients: one queued copy for all of them, durable before it returns.
    if (!remote.empty()) {
        OutboundQueue queue(context_.store.root());
        auto queued = queue.enqueue(envelope.reverse_path, remote, message);
        if (!queued) return queued.error().message;
    }
    return std::nullopt;
}

std::string SmtpSession::received_header(const Envelope& envelope) const {
    // RFC 5321 §4.4 time stamp line; "with" keywords from RFC 3848 (ESMTP, ESMTPS, ESMTPA, ESMTPSA).
    std::string with = esmtp_ ? "ESMTP" : "SMTP";
    if (esmtp_ && tls_) with += "S";
    if (esmtp_ && authenticated_) with += "A";
    if (envelope.smtputf8) with = "UTF8" + with;  // RFC 6531 §3.7.3
    std::string header = "Received: from " + helo_domain_ + " ([" + host_.peer_address() + "])\r\n";
    header += "\tby " + context_.config.hostname + " (mailspec-server) with " + with + " id " +
              std::to_string(context_.connection_id) + "." + std::to_string(commands_);
    if (envelope.recipients.size() == 1) header += "\r\n\tfor <" + envelope.recipients.front().address + ">";
    header += ";\r\n\t" + rfc5322_now() + "\r\n";
    return header;
}

}  // namespace mailspec::server::smtp
