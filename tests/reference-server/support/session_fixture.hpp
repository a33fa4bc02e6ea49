#pragma once
// Shared GoogleTest fixture for protocol sessions: the --ephemeral configuration (alice/secret1,
// bob/secret2 at example.test) over a real Store in a temporary directory, faults to enable per test,
// and SessionDrivers (in-memory host, no sockets) on any configured endpoint. `MakeSession` is the
// protocol's factory from reference-server/src/sessions.hpp. The fixture owns every SessionContext
// it hands out, so drivers stay valid for the whole test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../store/temp_store.hpp"
#include "config/server_config.hpp"
#include "context.hpp"
#include "faults.hpp"
#include "memory_host.hpp"
#include "sessions.hpp"

namespace mailspec::server::testing {

template <auto MakeSession>
class SessionFixture : public ::testing::Test {
protected:
    SessionFixture() : config(ephemeral_config(store.root())) {}

    // A session on the endpoint named `endpoint`; its greeting is kept in `greeting`.
    std::unique_ptr<SessionDriver> open_session(const std::string& endpoint) {
        const EndpointConfig* ep = config.find_endpoint(endpoint);
        EXPECT_NE(ep, nullptr) << endpoint;
        contexts_.push_back(std::make_unique<SessionContext>(SessionContext{*ep, config, *store, faults, ++ids_}));
        auto* context = contexts_.back().get();
        auto driver = std::make_unique<SessionDriver>(
            [context](Host& host) { return MakeSession(host, *context); }, context->implicit_tls());
        greeting = driver->open();
        return driver;
    }

    // Stores a message in `mailbox` as an SMTP delivery would; returns its UID (0 on failure).
    Uid deliver(const std::string& message, const std::string& user = "alice", const std::string& mailbox = "INBOX") {
        auto r = store->append(user, mailbox, message);
        EXPECT_TRUE(r.ok());
        return r.ok() ? r->uid : 0;
    }

    TempStore store;
    ServerConfig config;
    Faults faults;
    std::string greeting;

private:
    std::vector<std::unique_ptr<SessionContext>> contexts_;
    std::uint64_t ids_ = 0;
};

// True if some line of `output` starts with `prefix` ("250 2.1.5", "* 3 EXISTS").
inline bool has_line(const std::string& output, const std::string& prefix) {
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
