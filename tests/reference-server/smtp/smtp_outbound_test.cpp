// Mail for recipients outside the local domains is kept in the outbound queue, never dropped
// (RFC 5321 §6.1): store/outbound_queue.hpp and SmtpSession::deliver (cmd_data.cpp).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "smtp_fixture.hpp"
#include "store/outbound_queue.hpp"

namespace mailspec::server::testing {
namespace {

namespace fs = std::filesystem;

class SmtpOutboundTest : public SmtpSessionTest {
protected:
    // An authenticated session on the submissions endpoint (implicit TLS), after EHLO.
    std::unique_ptr<SessionDriver> authenticated() {
        auto c = connect("submissions");
        c->send("EHLO client.example\r\n");
        EXPECT_EQ(c->send("AUTH PLAIN " + plain("alice", "secret1") + "\r\n"),
                  "235 2.7.0 authentication successful\r\n");
        return c;
    }

    std::vector<QueuedMessage> queued() {
        auto listed = OutboundQueue(store.root()).list();
        EXPECT_TRUE(listed.ok()) << (listed.ok() ? "" : listed.error().message);
        return listed.ok() ? *listed : std::vector<QueuedMessage>{};
    }

    std::vector<std::string> in_progress() {
        auto listed = OutboundQueue(store.root()).list_in_progress();
        EXPECT_TRUE(listed.ok()) << (listed.ok() ? "" : listed.error().message);
        return listed.ok() ? *listed : std::vector<std::string>{};
    }

    // The queued file after the envelope lines and the server's Received: header.
    static std::string body_of(const QueuedMessage& message) {
        std::size_t pos = 0;
        while (message.bytes.compare(pos, 13, "Return-Path: ") == 0 ||
               message.bytes.compare(pos, 24, "X-Mailspec-Envelope-To: ") == 0)
            pos = message.bytes.find("\r\n", pos) + 2;
        return without_received(message.bytes.substr(pos));
    }
};

const std::string kMessage = "Subject: out\r\n\r\nhello\r\n..dot\r\n";
const std::string kAccepted = "250 2.6.0 message accepted for delivery\r\n";

TEST_F(SmtpOutboundTest, RemoteRecipientIsQueuedWithItsEnvelope) {
    auto c = authenticated();
    const auto out = c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<friend@elsewhere.example>\r\nDATA\r\n" +
                             kMessage + ".\r\n");
    EXPECT_TRUE(out.ends_with(kAccepted)) << out;
    const auto q = queued();
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].reverse_path, "alice@example.test");
    EXPECT_EQ(q[0].recipients, std::vector<std::string>{"friend@elsewhere.example"});
    EXPECT_EQ(q[0].bytes.rfind("Return-Path: <alice@example.test>\r\n"
                               "X-Mailspec-Envelope-To: <friend@elsewhere.example>\r\n"
                               "Received: from client.example ",
                               0),
              0u)
        << q[0].bytes;
    EXPECT_EQ(body_of(q[0]), "Subject: out\r\n\r\nhello\r\n.dot\r\n");  // dot-unstuffed (§4.5.2)
    EXPECT_TRUE(in_progress().empty());
    EXPECT_TRUE(inbox("alice").empty());
    EXPECT_TRUE(inbox("bob").empty());
}

TEST_F(SmtpOutboundTest, NullReversePathAndSeveralRemoteRecipientsAreQueuedOnce) {
    auto c = authenticated();
    const auto out = c->send("MAIL FROM:<>\r\nRCPT TO:<a@one.example>\r\nRCPT TO:<b@two.example>\r\n"
                             "RCPT TO:<a@one.example>\r\nDATA\r\n" + kMessage + ".\r\n");
    EXPECT_TRUE(out.ends_with(kAccepted)) << out;
    const auto q = queued();
    ASSERT_EQ(q.size(), 1u) << "one queued copy per message, not per recipient";
    EXPECT_EQ(q[0].reverse_path, "");
    EXPECT_EQ(q[0].bytes.rfind("Return-Path: <>\r\n", 0), 0u) << q[0].bytes;
    EXPECT_EQ(q[0].recipients, (std::vector<std::string>{"a@one.example", "b@two.example"}));
}

TEST_F(SmtpOutboundTest, MixedLocalAndRemoteRecipients) {
    auto c = authenticated();
    const auto out = c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\n"
                             "RCPT TO:<x@far.example>\r\nRCPT TO:<alice@example.test>\r\n"
                             "RCPT TO:<y@near.example>\r\nDATA\r\n" + kMessage + ".\r\n");
    EXPECT_TRUE(out.ends_with(kAccepted)) << out;
    const auto q = queued();
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].recipients, (std::vector<std::string>{"x@far.example", "y@near.example"}))
        << "local recipients are not in the queued envelope";
    const auto bob = inbox("bob");
    const auto alice = inbox("alice");
    ASSERT_EQ(bob.size(), 1u);
    ASSERT_EQ(alice.size(), 1u);
    // The same message everywhere; only the queued copy carries the envelope lines.
    EXPECT_EQ(without_received(bob[0]), body_of(q[0]));
    EXPECT_EQ(bob[0], alice[0]);
    EXPECT_EQ(bob[0].find("X-Mailspec-Envelope-To"), std::string::npos);
}

TEST_F(SmtpOutboundTest, LocalOnlyMailQueuesNothing) {
    auto c = connect("smtp");
    const auto out = c->send("EHLO c\r\nMAIL FROM:<x@remote.example>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n" +
                             kMessage + ".\r\n");
    EXPECT_TRUE(out.ends_with(kAccepted)) << out;
    EXPECT_EQ(inbox("bob").size(), 1u);
    EXPECT_TRUE(queued().empty());
}

TEST_F(SmtpOutboundTest, RelayRoleStillRefusesUnauthenticatedRelayAndQueuesNothing) {
    auto c = connect("smtp");
    c->send("EHLO c\r\nMAIL FROM:<x@remote.example>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<victim@elsewhere.example>\r\n"),
              "550 5.7.1 relay access denied for <victim@elsewhere.example>\r\n");
    EXPECT_EQ(c->send("DATA\r\n"), "554 5.5.1 no valid recipients\r\n");
    EXPECT_TRUE(queued().empty());
}

TEST_F(SmtpOutboundTest, OpenRelayFaultAcceptsAndQueues) {
    faults.enable("smtp.open-relay");
    auto c = connect("smtp");
    c->send("EHLO c\r\nMAIL FROM:<spammer@remote.example>\r\n");
    EXPECT_EQ(c->send("RCPT TO:<victim@elsewhere.example>\r\n"),
              "250 2.1.5 recipient <victim@elsewhere.example> OK\r\n");
    EXPECT_TRUE(c->send("DATA\r\n" + kMessage + ".\r\n").ends_with(kAccepted));
    const auto q = queued();
    ASSERT_EQ(q.size(), 1u) << "the relayed message is provably kept";
    EXPECT_EQ(q[0].reverse_path, "spammer@remote.example");
    EXPECT_EQ(q[0].recipients, std::vector<std::string>{"victim@elsewhere.example"});
}

TEST_F(SmtpOutboundTest, RsetBeforeDataQueuesNothing) {
    auto c = authenticated();
    EXPECT_EQ(c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<x@far.example>\r\nRSET\r\n"),
              "250 2.1.0 sender <alice@example.test> OK\r\n250 2.1.5 recipient <x@far.example> OK\r\n"
              "250 2.0.0 OK\r\n");
    EXPECT_EQ(c->send("DATA\r\n"), "503 5.5.1 bad sequence of commands: send MAIL first\r\n");
    EXPECT_TRUE(queued().empty());
    EXPECT_TRUE(in_progress().empty());
}

TEST_F(SmtpOutboundTest, DroppedConnectionMidDataQueuesNothing) {
    auto c = authenticated();
    c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<x@far.example>\r\nRCPT TO:<bob@example.test>\r\n"
            "DATA\r\nSubject: cut\r\n\r\nhalf a message\r\n.");  // no final CRLF: not the end (§4.1.1.4)
    c->drop();
    EXPECT_TRUE(queued().empty());
    EXPECT_TRUE(in_progress().empty());
    EXPECT_TRUE(inbox("bob").empty());
}

TEST_F(SmtpOutboundTest, MessageSplitAtEveryByteIsQueuedIdentically) {
    const std::string input = "MAIL FROM:<alice@example.test>\r\nRCPT TO:<x@far.example>\r\nDATA\r\n" +
                              kMessage + ".\r\nQUIT\r\n";
    for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
        auto c = authenticated();
        const auto out = c->send(input, chunk);
        EXPECT_TRUE(has_line(out, kAccepted.substr(0, kAccepted.size() - 2))) << "chunk " << chunk << ": " << out;
    }
    const auto q = queued();
    ASSERT_FALSE(q.empty());
    for (const auto& message : q) EXPECT_EQ(body_of(message), body_of(q.front())) << message.file;
}

TEST_F(SmtpOutboundTest, QueueWriteFailureGives451AndNothingVisible) {
    // tmp/ that cannot be a directory: the write fails before anything exists.
    const fs::path dir = store.root() / "outbound";
    fs::create_directories(dir);
    std::ofstream(dir / "tmp") << "not a directory";
    auto c = authenticated();
    const auto out = c->send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<x@far.example>\r\n"
                             "RCPT TO:<bob@example.test>\r\nDATA\r\n" + kMessage + ".\r\n");
    EXPECT_TRUE(out.ends_with("451 4.3.0 local error in processing, try again later\r\n")) << out;
    EXPECT_TRUE(queued().empty());
    // Partial delivery (documented): bob's copy was durable before the queue failed.
    EXPECT_EQ(inbox("bob").size(), 1u);
    // The session carries on.
    EXPECT_EQ(c->send("NOOP\r\n"), "250 2.0.0 OK\r\n");
}

TEST_F(SmtpOutboundTest, UnusableNewDirectoryFailsCleanly) {
    // new/ is a file: enqueue fails naming it, leaves nothing in tmp/, and nothing is listed.
    const fs::path dir = store.root() / "outbound";
    fs::create_directories(dir / "tmp");
    fs::create_directories(dir / "cur");
    std::ofstream(dir / "new") << "not a directory";
    OutboundQueue queue(store.root());
    auto result = queue.enqueue("a@example.test", {"b@far.example"}, "Subject: x\r\n\r\nbody\r\n");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, StoreErrc::io_error);
    EXPECT_NE(result.error().message.find((dir / "new").string()), std::string::npos) << result.error().message;
    EXPECT_TRUE(in_progress().empty());
    fs::remove(dir / "new");
    EXPECT_TRUE(queued().empty());
}

TEST(OutboundQueueTest, EnqueueWritesOnlyCompleteFilesIntoNew) {
    TempStore store;
    OutboundQueue queue(store.root());
    EXPECT_TRUE(queue.list()->empty()) << "a missing queue is an empty queue";
    const std::string message = "Subject: x\r\n\r\n" + std::string(200000, 'y') + "\r\n";
    auto name = queue.enqueue("a@example.test", {"b@far.example", "c@far.example"}, message);
    ASSERT_TRUE(name.ok()) << name.error().message;
    EXPECT_FALSE(fs::exists(queue.directory() / "tmp" / *name));
    EXPECT_TRUE(queue.list_in_progress()->empty());
    const auto listed = queue.list();
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].file, *name);
    EXPECT_EQ((*listed)[0].bytes, "Return-Path: <a@example.test>\r\nX-Mailspec-Envelope-To: <b@far.example>\r\n"
                                  "X-Mailspec-Envelope-To: <c@far.example>\r\n" + message);
    EXPECT_EQ(fs::file_size(queue.directory() / "new" / *name), (*listed)[0].bytes.size());
}

TEST(OutboundQueueTest, AConcurrentReaderNeverSeesAHalfWrittenFile) {
    TempStore store;
    OutboundQueue writer_queue(store.root());
    const OutboundQueue reader_queue(store.root());
    const std::string message = "Subject: big\r\n\r\n" + std::string(1 << 20, 'z') + "\r\nEND\r\n";
    const std::string header = "Return-Path: <a@example.test>\r\nX-Mailspec-Envelope-To: <b@far.example>\r\n";
    constexpr int kMessages = 12;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int i = 0; i < kMessages; ++i) EXPECT_TRUE(writer_queue.enqueue("a@example.test", {"b@far.example"}, message).ok());
        done = true;
    });
    for (int round = 0; round < 100000 && !done; ++round) {  // bounded: the writer ends first
        auto listed = reader_queue.list();
        ASSERT_TRUE(listed.ok()) << listed.error().message;
        for (const auto& queued : *listed) {
            ASSERT_EQ(queued.bytes.size(), header.size() + message.size()) << queued.file << " seen half-written";
        }
    }
    writer.join();
    const auto final_list = reader_queue.list();
    ASSERT_TRUE(final_list.ok());
    EXPECT_EQ(final_list->size(), static_cast<std::size_t>(kMessages));
    for (const auto& queued : *final_list) EXPECT_EQ(queued.bytes, header + message);
    EXPECT_TRUE(reader_queue.list_in_progress()->empty());
}

TEST(OutboundQueueTest, RefusesAddressesThatWouldBreakTheHeader) {
    TempStore store;
    OutboundQueue queue(store.root());
    for (const std::string& bad : {std::string("a\r\nBcc: x@y"), std::string("a\nb"), std::string("a\0b", 3)}) {
        auto as_sender = queue.enqueue(bad, {"b@far.example"}, "x\r\n");
        ASSERT_FALSE(as_sender.ok());
        EXPECT_EQ(as_sender.error().code, StoreErrc::invalid_name);
        auto as_recipient = queue.enqueue("a@example.test", {bad}, "x\r\n");
        ASSERT_FALSE(as_recipient.ok());
        EXPECT_EQ(as_recipient.error().code, StoreErrc::invalid_name);
    }
    auto none = queue.enqueue("a@example.test", {}, "x\r\n");
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().message.find("no recipient"), std::string::npos);
    EXPECT_TRUE(queue.list()->empty());
    EXPECT_FALSE(fs::exists(queue.directory())) << "checks come before any side effect";
}

}  // namespace
}  // namespace mailspec::server::testing
