#pragma once
// Factories for the protocol sessions. The transport creates one Session per accepted connection,
// chosen by the endpoint's protocol. Each factory is implemented in its protocol's folder
// (smtp/, pop3/, imap/); SessionContext is defined in context.hpp.
#include <memory>

#include "transport/session.hpp"

namespace mailspec::server {

struct SessionContext;

std::unique_ptr<Session> make_smtp_session(Host& host, const SessionContext& context);
std::unique_ptr<Session> make_pop3_session(Host& host, const SessionContext& context);
std::unique_ptr<Session> make_imap_session(Host& host, const SessionContext& context);

}  // namespace mailspec::server
