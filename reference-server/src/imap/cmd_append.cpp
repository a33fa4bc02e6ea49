// APPEND (RFC 3501 §6.3.11) with flags and internal date; APPENDUID (RFC 4315 §3).
#include "imap/commands.hpp"
#include "mailspec/protocol/imap/date_time.hpp"

namespace mailspec::server::imap {

MAILSPEC_IMAP_HANDLER(cmd_append) {
    // APPEND mailbox [flag-list] [date-time] literal
    if (args.size() < 2 || args.size() > 4 || !args[0].is_astring())
        return s.bad(c, "APPEND needs a mailbox name, optional flags and date, and a message literal");
    const Arg& message = args.back();
    if (message.kind != Arg::Kind::literal) return s.bad(c, "APPEND needs the message as a literal");
    Flags flags;
    std::optional<InternalDate> date;
    for (std::size_t i = 1; i + 1 < args.size(); ++i) {
        if (args[i].is_list()) {
            if (i != 1) return s.bad(c, "the APPEND flag list comes before the date");
            std::string error;
            auto f = parse_flags(args.subspan(i, 1), error);
            if (!f) return s.bad(c, error);
            flags = *f;
        } else if (args[i].kind == Arg::Kind::quoted) {
            auto dt = protocol::imap::parse_date_time(args[i].value);
            if (!dt) return s.bad(c, "invalid date-time \"" + args[i].value + "\" (expected \"17-Jul-1996 02:44:25 -0700\")");
            date = InternalDate{std::chrono::sys_seconds(std::chrono::seconds(dt->utc_seconds)), dt->zone_minutes};
        } else {
            return s.bad(c, "unexpected APPEND argument; expected a flag list or a quoted date-time");
        }
    }
    if (message.value.size() > s.context().config.limits.max_message_size)
        return s.no(c, "message larger than " + std::to_string(s.context().config.limits.max_message_size) + " octets",
                    "LIMIT");
    std::string error;
    auto name = s.mailbox_name(args[0], error);
    if (!name) return s.no(c, error, "CANNOT");
    if (!s.store().mailbox_exists(s.user(), *name)) return s.no(c, "no mailbox " + *name, "TRYCREATE");
    ChangeOrigin origin = 0;
    if (auto* sel = s.selected(); sel && sel->view->name == *name) origin = s.origin();
    auto result = s.store().append(s.user(), *name, message.value, flags, date, origin);
    if (!result) return s.store_failure(c, result.error(), true);
    s.ok(c, "APPEND completed",
         "APPENDUID " + std::to_string(result->uidvalidity) + " " + std::to_string(result->uid));
}

}  // namespace mailspec::server::imap
