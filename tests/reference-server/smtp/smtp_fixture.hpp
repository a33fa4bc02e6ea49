#pragma once
// Test fixture for SMTP sessions: the --ephemeral configuration (alice, bob at example.test) over a
// real Store in a temporary directory, faults to enable per test, and SessionDrivers per endpoint.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../support/session_fixture.hpp"
#include "mailspec/protocol/smtp/base64.hpp"

namespace mailspec::server::testing {

class SmtpSessionTest : public SessionFixture<&make_smtp_session> {
protected:
    // A session on `endpoint`; its greeting is kept in `greeting`.
    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "smtp") { return open_session(endpoint); }

    // Messages in `user`'s INBOX, oldest first.
    std::vector<std::string> inbox(const std::string& user = "alice") {
        std::vector<std::string> out;
        auto snapshot = store->list_messages(user, "INBOX");
        EXPECT_TRUE(snapshot.ok());
        if (!snapshot.ok()) return out;
        for (const auto& m : snapshot->messages) out.push_back(*store->read_message(user, "INBOX", m.uid));
        return out;
    }

    static std::string plain(const std::string& user, const std::string& password) {
        return protocol::smtp::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password);
    }

    // The body after the Received: header the server prepends (its continuation lines start with
    // a tab).
    static std::string without_received(const std::string& message) {
        EXPECT_EQ(message.rfind("Received: ", 0), 0u) << message;
        std::size_t pos = 0;
        for (;;) {
            const auto lf = message.find("\r\n", pos);
            if (lf == std::string::npos) return message;
            pos = lf + 2;
            if (pos >= message.size() || message[pos] != '\t') return message.substr(pos);
        }
    }
};

}  // namespace mailspec::server::testing
