#pragma once
// Test fixture for POP3 sessions: the --ephemeral configuration over a real Store in a temporary
// directory, faults to enable per test, and SessionDrivers per endpoint ("pop3" or "pop3s").
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

class Pop3SessionTest : public ::testing::Test {
protected:
    Pop3SessionTest() : config(ephemeral_config(store.root())) {}

    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "pop3s") {
        const EndpointConfig* ep = config.find_endpoint(endpoint);
        EXPECT_NE(ep, nullptr) << endpoint;
        contexts_.push_back(std::make_unique<SessionContext>(SessionContext{*ep, config, *store, faults, ++ids_}));
        auto* context = contexts_.back().get();
        auto driver = std::make_unique<SessionDriver>(
            [context](Host& host) { return make_pop3_session(host, *context); }, context->implicit_tls());
        greeting = driver->open();
        return driver;
    }

    // A session logged in as alice (over implicit TLS).
    std::unique_ptr<SessionDriver> login(const std::string& user = "alice", const std::string& password = "secret1") {
        auto c = connect("pop3s");
        c->send("USER " + user + "\r\n");
        const auto out = c->send("PASS " + password + "\r\n");
        EXPECT_TRUE(out.starts_with("+OK " + user + "'s maildrop has")) << out;
        return c;
    }

    Uid deliver(const std::string& message, const std::string& user = "alice") {
        auto r = store->append(user, "INBOX", message);
        EXPECT_TRUE(r.ok());
        return r.ok() ? r->uid : 0;
    }

    std::size_t inbox_size(const std::string& user = "alice") {
        auto snapshot = store->list_messages(user, "INBOX");
        return snapshot.ok() ? snapshot->messages.size() : 0;
    }

    static std::string plain(const std::string& user, const std::string& password) {
        return protocol::smtp::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password);
    }

    TempStore store;
    ServerConfig config;
    Faults faults;
    std::string greeting;

private:
    std::vector<std::unique_ptr<SessionContext>> contexts_;
    std::uint64_t ids_ = 0;
};

}  // namespace mailspec::server::testing
