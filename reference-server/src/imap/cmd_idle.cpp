// IDLE (RFC 2177): "+ idling", then untagged updates as they happen until the client sends DONE.
#include "imap/commands.hpp"

namespace mailspec::server::imap {

MAILSPEC_IMAP_HANDLER(cmd_idle) {
    if (!args.empty()) return s.bad(c, "IDLE takes no arguments");
    s.begin_idle(c);  // ImapSession reads the DONE line and completes the command
}

}  // namespace mailspec::server::imap
