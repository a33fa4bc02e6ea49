#pragma once
// Test fixture for IMAP sessions: the --ephemeral configuration (alice/secret1, bob/secret2) over a
// real Store in a temporary directory, driven through the in-memory host (no sockets).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../store/temp_store.hpp"
#include "../support/memory_host.hpp"
#include "config/server_config.hpp"
#include "context.hpp"
#include "faults.hpp"
#include "sessions.hpp"

namespace mailspec::server::testing {

class ImapSessionTest : public ::testing::Test {
protected:
    ImapSessionTest() : config(ephemeral_config(store.root())) {}

    // A session on `endpoint` ("imap" or "imaps"); the greeting is kept in `greeting`.
    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "imap") {
        const EndpointConfig* ep = config.find_endpoint(endpoint);
        EXPECT_NE(ep, nullptr) << endpoint;
        contexts_.push_back(std::make_unique<SessionContext>(SessionContext{*ep, config, *store, faults, ++ids_}));
        auto* context = contexts_.back().get();
        auto driver = std::make_unique<SessionDriver>(
            [context](Host& host) { return make_imap_session(host, *context); }, context->implicit_tls());
        greeting = driver->open();
        return driver;
    }

    // A session on the implicit-TLS endpoint, logged in as `user`.
    std::unique_ptr<SessionDriver> login(const std::string& user = "alice", const std::string& password = "secret1") {
        auto d = connect("imaps");
        std::string out = d->send("L1 LOGIN " + user + " " + password + "\r\n");
        EXPECT_NE(out.find("L1 OK"), std::string::npos) << out;
        return d;
    }

    // Logged in and INBOX selected.
    std::unique_ptr<SessionDriver> selected(const std::string& user = "alice") {
        auto d = login(user, user == "alice" ? "secret1" : "secret2");
        std::string out = d->send("S1 SELECT INBOX\r\n");
        EXPECT_NE(out.find("S1 OK [READ-WRITE]"), std::string::npos) << out;
        return d;
    }

    // Delivers a message to INBOX as SMTP would (origin 0).
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

// True if some line of `output` starts with `prefix`.
inline bool has_line(const std::string& output, const std::string& prefix) {
    std::size_t pos = 0;
    while (pos < output.size()) {
        if (output.compare(pos, prefix.size(), prefix) == 0) return true;
        auto lf = output.find('\n', pos);
        if (lf == std::string::npos) break;
        pos = lf + 1;
    }
    return false;
}

inline const char* kSimpleMessage =
    "From: Bob <bob@example.test>\r\n"
    "To: alice@example.test\r\n"
    "Subject: hello\r\n"
    "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n"
    "Message-ID: <1@example.test>\r\n"
    "\r\n"
    "Hello Alice.\r\n";

inline const char* kMultipartMessage =
    "From: carol@example.test\r\n"
    "Subject: report\r\n"
    "Content-Type: multipart/mixed; boundary=sep\r\n"
    "\r\n"
    "--sep\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "see attachment\r\n"
    "--sep\r\n"
    "Content-Type: application/octet-stream; name=data.bin\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAw==\r\n"
    "--sep--\r\n";

}  // namespace mailspec::server::testing
