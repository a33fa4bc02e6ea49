// SELECT / EXAMINE (RFC 3501 §6.3.1, §6.3.2), CLOSE (§6.4.2), UNSELECT (RFC 3691), CHECK (§6.4.1).
#include <algorithm>

#include "imap/commands.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"

namespace mailspec::server::imap {

namespace {

void open_mailbox(ImapSession& s, const Command& c, std::span<const Arg> args, bool read_only) {
    const char* verb = read_only ? "EXAMINE" : "SELECT";
    if (args.size() != 1) return s.bad(c, std::string(verb) + " needs exactly one mailbox name");
    std::string error;
    auto name = s.mailbox_name(args[0], error);
    if (!name) return s.no(c, error, "CANNOT");
    // §6.3.1: a SELECT, even a failing one, first deselects the current mailbox.
    if (s.selected()) s.deselect();
    auto view = std::make_unique<MailboxView>();
    view->name = *name;
    view->read_only = read_only;
    // The snapshot, \Recent and the subscription come from one store call, so no change made by
    // another session in between is lost or announced twice.
    auto watch = s.watch_view(*view, read_only ? Store::RecentMode::peek : Store::RecentMode::claim);
    if (!watch) return s.store_failure(c, watch.error());
    const MailboxSnapshot& snapshot = watch->snapshot;
    const std::vector<Uid>& recent = watch->recent;
    view->uidvalidity = snapshot.uidvalidity;
    view->uidnext = snapshot.uidnext;
    for (const auto& info : snapshot.messages) {
        ViewMessage m;
        m.uid = info.uid;
        m.flags = info.flags;
        m.size = info.size;
        m.internal_date = info.internal_date;
        // Fault imap.no-recent (RFC 3501 §2.3.2): no message is ever \Recent.
        m.recent = !s.faults().has("imap.no-recent") &&
                   std::binary_search(recent.begin(), recent.end(), info.uid);
        view->messages.push_back(std::move(m));
    }
    // Fault imap.uids-descending (RFC 3501 §2.3.1.1): sequence numbers run in descending UID
    // order, so UIDs no longer ascend with the sequence number.
    if (s.faults().has("imap.uids-descending")) std::reverse(view->messages.begin(), view->messages.end());
    view->subscription = std::move(watch->subscription);

    ++s.select_count;
    std::uint32_t uidvalidity = view->uidvalidity;
    if (s.faults().has("imap.uidvalidity-changes"))  // Fault: RFC 3501 §2.3.1.1
        uidvalidity += static_cast<std::uint32_t>(s.select_count);

    std::vector<std::string> keywords;
    for (const auto& m : view->messages)
        for (const auto& k : m.flags.keywords)
            if (std::find(keywords.begin(), keywords.end(), k) == keywords.end()) keywords.push_back(k);
    std::string kw;
    for (const auto& k : keywords) kw += " " + k;
    std::size_t recent_count = static_cast<std::size_t>(
        std::count_if(view->messages.begin(), view->messages.end(), [](const ViewMessage& m) { return m.recent; }));
    long first_unseen = -1;
    for (std::size_t i = 0; i < view->messages.size(); ++i)
        if (!view->messages[i].flags.has(Flags::seen)) {
            first_unseen = static_cast<long>(i) + 1;
            break;
        }

    s.untagged("FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + ")");
    if (read_only)
        s.untagged("OK [PERMANENTFLAGS ()] No permanent flags permitted");
    else
        s.untagged("OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + " \\*)] Flags permitted");
    s.untagged(std::to_string(view->messages.size()) + " EXISTS");
    s.untagged(std::to_string(recent_count) + " RECENT");
    if (first_unseen > 0) s.untagged("OK [UNSEEN " + std::to_string(first_unseen) + "] First unseen");
    s.untagged("OK [UIDVALIDITY " + std::to_string(uidvalidity) + "] UIDs valid");
    s.untagged("OK [UIDNEXT " + std::to_string(view->uidnext) + "] Predicted next UID");
    s.select(std::move(view));
    s.ok(c, std::string(verb) + " completed", read_only ? "READ-ONLY" : "READ-WRITE");
}

}  // namespace

MAILSPEC_IMAP_HANDLER(cmd_select) { open_mailbox(s, c, args, false); }
MAILSPEC_IMAP_HANDLER(cmd_examine) { open_mailbox(s, c, args, true); }

MAILSPEC_IMAP_HANDLER(cmd_close) {
    if (!args.empty()) return s.bad(c, "CLOSE takes no arguments");
    auto* sel = s.selected();
    if (!sel->view->read_only) {
        // §6.4.2: remove \Deleted messages silently (no EXPUNGE responses)
        auto removed = s.store().expunge_deleted(s.user(), sel->view->name, std::nullopt, s.origin());
        if (!removed) return s.store_failure(c, removed.error());
    }
    s.deselect();
    s.ok(c, "CLOSE completed");
}

MAILSPEC_IMAP_HANDLER(cmd_unselect) {
    if (!args.empty()) return s.bad(c, "UNSELECT takes no arguments");
    s.deselect();
    s.ok(c, "UNSELECT completed");
}

MAILSPEC_IMAP_HANDLER(cmd_check) {
    if (!args.empty()) return s.bad(c, "CHECK takes no arguments");
    s.ok(c, "CHECK completed");  // the store is durable after every change
}

}  // namespace mailspec::server::imap
