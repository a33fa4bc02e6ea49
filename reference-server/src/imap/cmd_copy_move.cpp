// COPY / UID COPY (RFC 3501 §6.4.7) and MOVE / UID MOVE (RFC 6851), with COPYUID (RFC 4315 §3).
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/sequence_set.hpp"

namespace mailspec::server::imap {

namespace {

void copy_or_move(ImapSession& s, const Command& c, std::span<const Arg> args, bool uid, bool move) {
    const char* verb = move ? "MOVE" : "COPY";
    if (args.size() != 2) return s.bad(c, std::string(verb) + " needs a sequence set and a mailbox name");
    std::string error;
    auto set = sequence_arg(args[0], error);
    if (!set) return s.bad(c, error);
    auto indices = s.resolve(*set, uid, error);
    if (!indices) return s.bad(c, error);
    auto target = s.mailbox_name(args[1], error);
    if (!target) return s.no(c, error, "CANNOT");
    auto* sel = s.selected();
    MailboxView& view = *sel->view;
    if (move && view.read_only) return s.no(c, "mailbox is read-only (EXAMINE)", "READ-ONLY");
    if (!s.store().mailbox_exists(s.user(), *target)) return s.no(c, "no mailbox " + *target, "TRYCREATE");
    std::vector<Uid> uids = uids_of(view, *indices);
    if (uids.empty()) return s.ok(c, std::string(verb) + " completed (nothing to do)");
    auto result = move ? s.store().move(s.user(), view.name, uids, *target, s.origin())
                       : s.store().copy(s.user(), view.name, uids, *target, s.origin());
    if (!result) return s.store_failure(c, result.error(), true);
    std::vector<Uid> from, to;
    for (const auto& [a, b] : result->uids) {
        from.push_back(a);
        to.push_back(b);
    }
    std::string copyuid;
    if (!from.empty()) {
        // Both sets in source order; the store assigns ascending new UIDs in that order.
        copyuid = "COPYUID " + std::to_string(result->uidvalidity) + " " + protocol::imap::format_sequence_set(from) +
                  " " + protocol::imap::format_sequence_set(to);
    }
    if (move) {
        // RFC 6851 §4.3: COPYUID in an untagged OK before the EXPUNGEs
        if (!copyuid.empty()) s.untagged("OK [" + copyuid + "] Moved UIDs");
        announce_own_expunges(s, view, from);
        return s.ok(c, uid ? "UID MOVE completed" : "MOVE completed");
    }
    s.ok(c, uid ? "UID COPY completed" : "COPY completed", copyuid);
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_copy) { copy_or_move(s, c, args, uid, false); }
MAILSPEC_IMAP_HANDLER(cmd_move) { copy_or_move(s, c, args, uid, true); }

}  // namespace mailspec::server::imap
