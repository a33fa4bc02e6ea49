// STORE and UID STORE (RFC 3501 §6.4.6): FLAGS / +FLAGS / -FLAGS, optionally .SILENT.
#include <set>

#include "imap/commands.hpp"
#include "mailspec/protocol/mime/header.hpp"

namespace mailspec::server::imap {

MAILSPEC_IMAP_HANDLER(cmd_store) {
    if (args.size() < 3) return s.bad(c, "STORE needs a sequence set, FLAGS/+FLAGS/-FLAGS[.SILENT] and flags");
    std::string error;
    auto set = sequence_arg(args[0], error);
    if (!set) return s.bad(c, error);
    if (!args[1].is_atom()) return s.bad(c, "expected FLAGS, +FLAGS or -FLAGS");
    std::string item = protocol::mime::to_upper(args[1].value);
    bool silent = false;
    if (item.size() > 7 && item.compare(item.size() - 7, 7, ".SILENT") == 0) {
        silent = true;
        item.resize(item.size() - 7);
    }
    FlagOp op;
    if (item == "FLAGS") op = FlagOp::replace;
    else if (item == "+FLAGS") op = FlagOp::add;
    else if (item == "-FLAGS") op = FlagOp::remove;
    else return s.bad(c, "unknown STORE item \"" + args[1].value + "\" (expected FLAGS, +FLAGS or -FLAGS, optionally .SILENT)");
    auto flags = parse_flags(args.subspan(2), error);
    if (!flags) return s.bad(c, error);
    auto indices = s.resolve(*set, uid, error);
    if (!indices) return s.bad(c, error);
    auto* sel = s.selected();
    MailboxView& view = *sel->view;
    // Fault imap.examine-writable (RFC 3501 §6.3.2): STORE changes flags in an EXAMINEd mailbox.
    if (view.read_only && !s.faults().has("imap.examine-writable"))
        return s.no(c, "mailbox is read-only (EXAMINE)", "READ-ONLY");

    std::vector<Uid> uids = uids_of(view, *indices);
    auto changed = s.store().store_flags(s.user(), view.name, uids, op, *flags, s.origin());
    if (!changed) return s.store_failure(c, changed.error());
    // The store reports the current flags of every message that still exists (some may have been
    // set by another session first); one expunged meanwhile keeps its view entry until the
    // EXPUNGE is announced, but gets no FETCH: its flags can no longer change (RFC 2180 §4.2.1).
    std::set<Uid> present;
    for (const auto& ch : *changed) {
        present.insert(ch.uid);
        long idx = view.index_of(ch.uid);
        if (idx >= 0) view.messages[static_cast<std::size_t>(idx)].flags = ch.flags;
    }
    bool vanished = present.size() != uids.size();
    if (!silent) {
        for (auto i : *indices) {
            if (i >= view.messages.size() || !present.count(view.messages[i].uid)) continue;
            const auto& m = view.messages[i];
            std::string line = std::to_string(i + 1) + " FETCH (FLAGS " + render_flags(m.flags, m.recent);
            if (uid) line += " UID " + std::to_string(m.uid);
            s.untagged(line + ")");
        }
    }
    if (s.faults().has("imap.deleted-vanish") && flags->has(Flags::deleted) && op != FlagOp::remove) {
        // Fault: \Deleted messages disappear at once, without EXPUNGE (RFC 3501 §6.4.3)
        auto removed = s.store().expunge_deleted(s.user(), view.name, uids, s.origin());
        if (removed) announce_own_expunges(s, view, *removed);
    }
    if (vanished) return s.ok(c, "Some messages were expunged meanwhile", "EXPUNGEISSUED");
    s.ok(c, uid ? "UID STORE completed" : "STORE completed");
}

}  // namespace mailspec::server::imap
