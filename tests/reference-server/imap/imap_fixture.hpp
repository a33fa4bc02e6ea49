#pragma once
// Test fixture for IMAP sessions: the --ephemeral configuration (alice/secret1, bob/secret2) over a
// real Store in a temporary directory, driven through the in-memory host (no sockets).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../support/session_fixture.hpp"

namespace mailspec::server::testing {

class ImapSessionTest : public SessionFixture<&make_imap_session> {
protected:
    // A session on `endpoint`; its greeting is kept in `greeting`.
    std::unique_ptr<SessionDriver> connect(const std::string& endpoint = "imap") { return open_session(endpoint); }

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


};

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
