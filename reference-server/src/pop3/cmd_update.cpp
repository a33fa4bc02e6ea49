// Marking and leaving: DELE, RSET, NOOP (RFC 1939 §5) and QUIT, whose UPDATE state (§6) removes
// the marked messages. Only QUIT applies deletions; a dropped connection deletes nothing.
#include "pop3_faults.hpp"
#include "pop3_session.hpp"

namespace mailspec::server::pop3 {

void Pop3Session::handle_dele(const codec::Command& command) {
    // Check.
    if (command.params.size() != 1) {
        refuse("DELE needs exactly one message number");
        return;
    }
    auto* message = message_argument(command.params.front());
    if (message == nullptr) return;
    // Act: only mark (§5), unless the fault removes it at once.
    message->deleted = true;
    if (context_.faults.has(pop3_fault::dele_immediate)) {
        const auto& transaction = std::get<Transaction>(state_);
        const Uid uid = message->uid;
        (void)context_.store.expunge(transaction.login, "INBOX", std::span<const Uid>(&uid, 1));
    }
    ok("message " + command.params.front() + " deleted");
}

void Pop3Session::handle_rset(const codec::Command& command) {
    if (!command.params.empty()) {
        refuse("RSET takes no arguments");
        return;
    }
    auto& transaction = std::get<Transaction>(state_);
    std::uint64_t octets = 0;
    for (auto& m : transaction.messages) {
        m.deleted = false;
        octets += m.size;
    }
    ok("maildrop has " + std::to_string(transaction.messages.size()) + " messages (" + std::to_string(octets) +
       " octets)");
}

void Pop3Session::handle_noop(const codec::Command& command) {
    if (!command.params.empty()) {
        refuse("NOOP takes no arguments");
        return;
    }
    ok("");
}

void Pop3Session::handle_quit(const codec::Command& command) {
    if (!command.params.empty()) {
        refuse("QUIT takes no arguments");
        return;
    }
    auto* transaction = std::get_if<Transaction>(&state_);
    if (transaction == nullptr) {  // AUTHORIZATION: no UPDATE (§6)
        close_with(codec::ok("mailspec-server signing off", style_));
        return;
    }
    // UPDATE (§6): remove the marked messages, then release the lock (close_with drops the state).
    std::vector<Uid> marked;
    std::size_t left = 0;
    for (const auto& m : transaction->messages) {
        if (m.deleted) marked.push_back(m.uid);
        else ++left;
    }
    if (!marked.empty() && !context_.faults.has(pop3_fault::dele_not_applied)) {
        auto removed = context_.store.expunge(transaction->login, "INBOX", marked);
        if (!removed) {
            close_with(codec::err("SYS/TEMP", "some deleted messages not removed: " + removed.error().message, style_));
            return;
        }
    }
    close_with(codec::ok("mailspec-server signing off (" + std::to_string(left) + " messages left)", style_));
}

}  // namespace mailspec::server::pop3
