// TRANSACTION-state reading: STAT, LIST (RFC 1939 §5), UIDL, TOP (§7) and RETR (§5), with
// multi-line responses byte-stuffed (§3). Messages marked deleted are invisible to all of them.
#include "pop3_faults.hpp"
#include "pop3_session.hpp"

namespace mailspec::server::pop3 {

MaildropMessage* Pop3Session::message_argument(std::string_view argument, bool allow_deleted) {
    auto number = codec::parse_message_number(argument);
    if (!number) {
        refuse("invalid message number: " + number.error().message);
        return nullptr;
    }
    auto& transaction = std::get<Transaction>(state_);
    if (number.value() > transaction.messages.size()) {
        err("no such message, only " + std::to_string(transaction.messages.size()) + " messages in maildrop");
        return nullptr;
    }
    auto& message = transaction.messages[number.value() - 1];
    if (message.deleted && !allow_deleted) {
        err("message " + std::to_string(number.value()) + " already deleted");
        return nullptr;
    }
    return &message;
}

std::string Pop3Session::unique_id(const Transaction& transaction, const MaildropMessage& message) const {
    // RFC 1939 §7: 1..70 characters 0x21-0x7E, the same for the same message in every session.
    std::string id = std::to_string(transaction.uidvalidity) + "." + std::to_string(message.uid);
    if (context_.faults.has(pop3_fault::uidl_unstable)) id += "." + std::to_string(context_.connection_id);
    return id;
}

namespace {

// Messages not marked deleted and their total size: the figures of STAT and of LIST's status line.
struct MaildropTotals {
    std::size_t count = 0;
    std::uint64_t octets = 0;
};

MaildropTotals totals(const Transaction& transaction) {
    MaildropTotals t;
    for (const auto& m : transaction.messages) {
        if (m.deleted) continue;
        ++t.count;
        t.octets += m.size;
    }
    return t;
}

}  // namespace

void Pop3Session::handle_stat(const codec::Command& command) {
    if (!command.params.empty()) {
        refuse("STAT takes no arguments");
        return;
    }
    const auto t = totals(std::get<Transaction>(state_));
    ok(std::to_string(t.count) + " " + std::to_string(t.octets));
}

// LIST and UIDL share one shape (RFC 1939 §5, §7): with a message number, a single "+OK n value"
// line; without, "+OK <status>" and a multi-line "n value" listing of every message not deleted.
template <class Value, class Status>
void Pop3Session::scan_listing(const codec::Command& command, Value value_of, Status status_of) {
    if (command.params.size() > 1) {
        refuse(command.keyword + " takes at most one argument");
        return;
    }
    const auto& transaction = std::get<Transaction>(state_);
    if (command.params.size() == 1) {
        const auto* message = message_argument(command.params.front());
        if (message == nullptr) return;
        ok(command.params.front() + " " + value_of(*message));
        return;
    }
    std::string listing;
    for (std::size_t i = 0; i < transaction.messages.size(); ++i) {
        const auto& m = transaction.messages[i];
        if (!m.deleted) listing += std::to_string(i + 1) + " " + value_of(m) + "\r\n";
    }
    ok(status_of(transaction));
    send(codec::multiline_body(listing, style_));
}

void Pop3Session::handle_list(const codec::Command& command) {
    scan_listing(
        command, [](const MaildropMessage& m) { return std::to_string(m.size); },
        [](const Transaction& transaction) {
            const auto t = totals(transaction);
            return std::to_string(t.count) + " messages (" + std::to_string(t.octets) + " octets)";
        });
}

void Pop3Session::handle_uidl(const codec::Command& command) {
    const auto& transaction = std::get<Transaction>(state_);
    scan_listing(
        command, [&](const MaildropMessage& m) { return unique_id(transaction, m); },
        [](const Transaction&) { return std::string("unique-id listing follows"); });
}

void Pop3Session::handle_retr(const codec::Command& command) {
    if (command.params.size() != 1) {
        refuse("RETR needs exactly one message number");
        return;
    }
    const auto* message = message_argument(command.params.front());
    if (message == nullptr) return;
    const auto& transaction = std::get<Transaction>(state_);
    auto content = context_.store.read_message(transaction.login, "INBOX", message->uid);
    if (!content) {
        err("SYS/TEMP", "cannot read message: " + content.error().message);
        return;
    }
    ok(std::to_string(message->size) + " octets");
    send(codec::multiline_body(*content, style_));
}

void Pop3Session::handle_top(const codec::Command& command) {
    if (command.params.size() != 2) {
        refuse("TOP needs a message number and a line count");
        return;
    }
    auto lines = codec::parse_line_count(command.params[1]);
    if (!lines) {
        refuse("invalid line count: " + lines.error().message);
        return;
    }
    const auto* message = message_argument(command.params.front());
    if (message == nullptr) return;
    const auto& transaction = std::get<Transaction>(state_);
    auto content = context_.store.read_message(transaction.login, "INBOX", message->uid);
    if (!content) {
        err("SYS/TEMP", "cannot read message: " + content.error().message);
        return;
    }
    ok("top of message follows");
    send(codec::multiline_body(codec::top_of_message(*content, lines.value()), style_));
}

}  // namespace mailspec::server::pop3
