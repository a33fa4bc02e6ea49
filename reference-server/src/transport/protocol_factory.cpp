// The session factory of the mailspec-server executable: one Session per connection, chosen by the
// endpoint's protocol (the role-specific policy is the session's business, from SessionContext).
#include "sessions.hpp"
#include "transport/server.hpp"

namespace mailspec::server {

SessionFactory protocol_session_factory() {
    return [](Host& host, const SessionContext& context) -> std::unique_ptr<Session> {
        switch (context.endpoint.protocol) {
        case Protocol::smtp: return make_smtp_session(host, context);
        case Protocol::pop3: return make_pop3_session(host, context);
        case Protocol::imap: return make_imap_session(host, context);
        }
        return nullptr;
    };
}

}  // namespace mailspec::server
