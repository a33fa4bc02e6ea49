// Argument helpers shared by the command handlers.
#include <algorithm>

#include "imap/commands.hpp"
#include "mailspec/protocol/imap/command_parser.hpp"

namespace mailspec::server::imap {

std::optional<Flags> parse_flags(std::span<const Arg> args, std::string& error) {
    Flags flags;
    std::vector<const Arg*> atoms;
    for (const auto& a : args) {
        if (a.is_list()) {
            for (const auto& item : a.items) atoms.push_back(&item);
        } else {
            atoms.push_back(&a);
        }
    }
    for (const Arg* a : atoms) {
        if (!a->is_atom()) {
            error = "flags must be atoms, found a string or list";
            return std::nullopt;
        }
        if (!flags.add(a->value)) {
            error = "invalid flag \"" + protocol::imap::describe_bytes(a->value, 40) +
                    "\" (\\Recent cannot be set; keywords are atoms; system flags are \\Seen \\Answered "
                    "\\Flagged \\Deleted \\Draft)";
            return std::nullopt;
        }
    }
    return flags;
}

std::string render_flags(const Flags& flags, bool recent) {
    std::string out = "(";
    bool first = true;
    for (const auto& n : flags.names()) {
        if (!first) out += ' ';
        out += n;
        first = false;
    }
    if (recent) out += first ? "\\Recent" : " \\Recent";
    out += ')';
    return out;
}

std::optional<protocol::imap::SequenceSet> sequence_arg(const Arg& arg, std::string& error) {
    if (!arg.is_atom()) {
        error = "expected a sequence set";
        return std::nullopt;
    }
    auto set = protocol::imap::parse_sequence_set(arg.value, error);
    if (!set) error = "invalid sequence set \"" + protocol::imap::describe_bytes(arg.value, 40) + "\": " + error;
    return set;
}

std::vector<Uid> uids_of(const MailboxView& view, const std::vector<std::size_t>& indices) {
    std::vector<Uid> out;
    out.reserve(indices.size());
    for (auto i : indices) out.push_back(view.messages[i].uid);
    return out;
}

void announce_own_expunges(ImapSession& s, MailboxView& view, const std::vector<Uid>& uids) {
    std::vector<long> indices;
    for (Uid uid : uids) {
        long idx = view.index_of(uid);
        if (idx >= 0) indices.push_back(idx);
    }
    std::sort(indices.rbegin(), indices.rend());  // highest first: no renumbering between lines
    for (long idx : indices) {
        s.untagged(std::to_string(idx + 1) + " EXPUNGE");
        view.messages.erase(view.messages.begin() + idx);
    }
}

}  // namespace mailspec::server::imap
