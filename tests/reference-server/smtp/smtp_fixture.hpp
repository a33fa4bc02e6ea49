#pragma once
// Test fixture for SMTP sessions: the --ephemeral configuration (alice, bob at example.test) over a
// real Store in a temporary directory, faults to enable per test, and SessionDrivers per endpoint.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../store/temp_store.hpp"
#include "../support/memory_host.hpp"
#include "config/server_config.hpp"
#include "context.hpp"
#include "faults.hpp"
#include "mailspec/protocol/smtp/base64.hpp"
#include "sessions.hpp"

namespace mailspec::server::testing {

class SmtpSessionTest : public ::testing::Test {
protected:
    SmtpSessionTest() : config(ephemeral_config(store.root())) {}

    // A session on the endpoint named `endpoint` ("smtp", "submission", "submissions"); greeting
    // already read (and checked to be 220).
    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "smtp") {
        const EndpointConfig* ep = config.find_endpoint(endpoint);
        EXPECT_NE(ep, nullptr) << endpoint;
        contexts_.push_back(std::make_unique<SessionContext>(SessionContext{*ep, config, *store, faults, ++ids_}));
        auto* context = contexts_.back().get();
        auto driver = std::make_unique<SessionDriver>(
            [context](Host& host) { return make_smtp_session(host, *context); }, context->implicit_tls());
        greeting = driver->open();
        return driver;
    }

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

    TempStore store;
    ServerConfig config;
    Faults faults;
    std::string greeting;

private:
    std::vector<std::unique_ptr<SessionContext>> contexts_;
    std::uint64_t ids_ = 0;
};

// True if `output` contains a reply line starting with `prefix` ("250 2.1.5").
inline bool has_reply(const std::string& output, const std::string& prefix) {
    std::size_t pos = 0;
    while (pos < output.size()) {
        if (output.compare(pos, prefix.size(), prefix) == 0) return true;
        const auto lf = output.find('\n', pos);
        if (lf == std::string::npos) break;
        pos = lf + 1;
    }
    return false;
}

}  // namespace mailspec::server::testing
