// EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).
#include "imap/commands.hpp"

namespace mailspec::server::imap {

MAILSPEC_IMAP_HANDLER(cmd_expunge) {
    auto* sel = s.selected();
    std::optional<std::vector<Uid>> only;
    if (uid) {
        if (args.size() != 1) return s.bad(c, "UID EXPUNGE needs a UID set");
        std::string error;
        auto set = sequence_arg(args[0], error);
        if (!set) return s.bad(c, error);
        auto indices = s.resolve(*set, true, error);
        if (!indices) return s.bad(c, error);
        only = uids_of(*sel->view, *indices);
    } else if (!args.empty()) {
        return s.bad(c, "EXPUNGE takes no arguments");
    }
    if (sel->view->read_only) return s.no(c, "mailbox is read-only (EXAMINE)", "READ-ONLY");
    auto removed = s.store().expunge_deleted(s.user(), sel->view->name, only, s.origin());
    if (!removed) return s.store_failure(c, removed.error());
    announce_own_expunges(s, *sel->view, *removed);
    s.ok(c, uid ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

}  // namespace mailspec::server::imap
