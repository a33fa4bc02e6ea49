// POP3 bad input: unknown commands, wrong state, bad numbers, overlong lines, NUL/8-bit, too many
// errors, idle timeout.
#include <random>

#include "pop3_fixture.hpp"

namespace mailspec::server::testing {
namespace {

TEST_F(Pop3SessionTest, CommandsInTheWrongStateOrUnknown) {
    auto c = connect();
    EXPECT_EQ(c->send("STAT\r\n"), "-ERR STAT is not valid before authentication\r\n");
    EXPECT_EQ(c->send("XYZZY\r\n"), "-ERR syntax error at byte 4: expected a 3 or 4 letter keyword followed by SP or end of line, found 'XYZZY'\r\n");
    EXPECT_EQ(c->send("FROB\r\n"), "-ERR unknown command FROB\r\n");
    EXPECT_EQ(c->send(std::string("US\0R x\r\n", 8)),
              "-ERR syntax error at byte 2: expected printable ASCII (RFC 1939 §3), found '<0x00>'\r\n");
    EXPECT_EQ(c->send("LIST \xE9\r\n"), "-ERR syntax error at byte 5: expected printable ASCII (RFC 1939 §3), found '<0xE9>'\r\n");
}

TEST_F(Pop3SessionTest, MessageNumberErrors) {
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    EXPECT_EQ(c->send("RETR 0\r\n"), "-ERR invalid message number: message numbers start at 1, found 0\r\n");
    EXPECT_EQ(c->send("RETR x\r\n"), "-ERR invalid message number: expected a digit, found 'x'\r\n");
    EXPECT_EQ(c->send("RETR 2\r\n"), "-ERR no such message, only 1 messages in maildrop\r\n");
    EXPECT_EQ(c->send("RETR 99999999999\r\n"), "-ERR invalid message number: number too large: 99999999999\r\n");
    EXPECT_EQ(c->send("RETR\r\n"), "-ERR RETR needs exactly one message number\r\n");
    EXPECT_EQ(c->send("TOP 1\r\n"), "-ERR TOP needs a message number and a line count\r\n");
    EXPECT_EQ(c->send("TOP 1 -1\r\n"), "-ERR invalid line count: expected a digit, found '-'\r\n");
    EXPECT_EQ(c->send("USER bob\r\n"), "-ERR USER is not valid in the TRANSACTION state\r\n");
}

TEST_F(Pop3SessionTest, OverlongLinesAreRefusedAndTheSessionResyncs) {
    auto c = connect();
    EXPECT_EQ(c->send("USER " + std::string(248, 'a') + "\r\n"), "+OK send PASS\r\n");
    EXPECT_EQ(c->send("USER " + std::string(249, 'a') + "\r\n"),
              "-ERR line too long: 256 octets, the limit is 255 (RFC 2449 §4)\r\n");
    EXPECT_EQ(c->send(std::string(50000, 'z') + "\r\nQUIT\r\n", 1000),
              "-ERR line too long\r\n+OK mailspec-server signing off\r\n");
}

TEST_F(Pop3SessionTest, TooManyErrorsCloses) {
    config.limits.max_errors = 2;
    auto c = connect();
    EXPECT_EQ(c->send("FROB\r\nFROB\r\nCAPA\r\n"),
              "-ERR unknown command FROB\r\n-ERR unknown command FROB\r\n-ERR too many errors, closing connection\r\n");
    EXPECT_TRUE(c->host.closed);
}

TEST_F(Pop3SessionTest, IdleTimeoutClosesWithoutUpdate) {
    deliver("Subject: x\r\n\r\nbody\r\n");
    auto c = login();
    c->send("DELE 1\r\n");
    EXPECT_EQ(c->idle_timeout(), "-ERR autologout: idle for too long\r\n");
    EXPECT_TRUE(c->host.closed);
    c->drop();
    EXPECT_EQ(inbox_size(), 1u);
}

}  // namespace
}  // namespace mailspec::server::testing

namespace mailspec::server::testing {
namespace {

// Deterministic garbage in random chunk sizes, before and after login: no crash, no write after
// close, every response line ends with CRLF, and nothing is deleted without QUIT.
TEST_F(Pop3SessionTest, RandomGarbageNeverCrashesOrDeletes) {
    deliver("Subject: keep\r\n\r\nbody\r\n");
    std::mt19937 random(1939);
    config.limits.max_errors = 1000000;  // exercise every state instead of closing early
    const std::string alphabet = "\r\n .+-0123456789USERPASSRETRDELELISTTOPUIDLAUTHSTLS\x00\xff";
    for (int round = 0; round < 40; ++round) {
        auto c = round % 2 ? login() : connect(round % 4 == 0 ? "pop3" : "pop3s");
        std::string input;
        for (int i = 0; i < 3000; ++i) input += alphabet[random() % alphabet.size()];
        std::size_t pos = 0;
        std::string out;
        while (pos < input.size() && !c->host.closed) {
            const std::size_t chunk = 1 + random() % 97;
            out += c->send(std::string_view(input).substr(pos, chunk));
            pos += chunk;
        }
        EXPECT_EQ(c->host.sends_after_close, 0u);
        EXPECT_TRUE(out.empty() || out.ends_with("\r\n")) << "round " << round;
        c->drop();
        EXPECT_EQ(inbox_size(), 1u) << "round " << round;
    }
}

}  // namespace
}  // namespace mailspec::server::testing
