#pragma once
// Test fixture for POP3 sessions: the --ephemeral configuration over a real Store in a temporary
// directory, faults to enable per test, and SessionDrivers per endpoint ("pop3" or "pop3s").
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../support/session_fixture.hpp"
#include "mailspec/protocol/smtp/base64.hpp"

namespace mailspec::server::testing {

class Pop3SessionTest : public SessionFixture<&make_pop3_session> {
protected:
    // A session on `endpoint`; its greeting is kept in `greeting`.
    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "pop3s") { return open_session(endpoint); }

    // A session logged in as alice (over implicit TLS).
    std::unique_ptr<SessionDriver> login(const std::string& user = "alice", const std::string& password = "secret1") {
        auto c = connect("pop3s");
        c->send("USER " + user + "\r\n");
        const auto out = c->send("PASS " + password + "\r\n");
        EXPECT_TRUE(out.starts_with("+OK " + user + "'s maildrop has")) << out;
        return c;
    }

    std::size_t inbox_size(const std::string& user = "alice") {
        auto snapshot = store->list_messages(user, "INBOX");
        return snapshot.ok() ? snapshot->messages.size() : 0;
    }

    static std::string plain(const std::string& user, const std::string& password) {
        return protocol::smtp::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password);
    }
};

}  // namespace mailspec::server::testing
