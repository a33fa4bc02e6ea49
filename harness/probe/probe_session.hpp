#pragma once
// One probe connection's conversation: writes commands and reads whole responses, framed by the
// protocol/client framers over a buffer that grows read by read. A reply split over many writes
// (an EHLO answer sent line by line) is still one reply: nothing is ever decided from a single
// socket read. Every wait is bounded by a deadline; everything said is logged in the transcript.
#include <chrono>
#include <string>
#include <string_view>

#include "mailspec/net/connection.hpp"
#include "mailspec/protocol/client/imap_response.hpp"
#include "mailspec/protocol/client/pop3_response.hpp"
#include "mailspec/protocol/client/smtp_reply.hpp"

namespace mailspec::harness::probe {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// How a read ended. `ok` carries a framed response; the others say why there is none.
struct ReadOutcome {
    enum class Kind { ok, timeout, closed, io_error, framing_error };
    Kind kind = Kind::ok;
    std::string message;  // network or framing message (framing: offset, expected vs found)

    explicit operator bool() const { return kind == Kind::ok; }
};

class ProbeSession {
public:
    // `transcript` must outlive the session; `timeout` bounds every single response read or write.
    ProbeSession(net::Connection& connection, std::string& transcript, Millis timeout);

    // Waits at most `wait` for the first byte(s) of a greeting; does not frame anything.
    ReadOutcome wait_for_bytes(Millis wait);
    // Reads until the buffer holds a line feed (the first greeting line), within the timeout.
    ReadOutcome read_first_line(std::string& line);

    ReadOutcome read_smtp(protocol::client::SmtpReply& reply);
    ReadOutcome read_pop3(bool multiline, protocol::client::Pop3Response& response);
    ReadOutcome read_imap(protocol::client::ImapResponseLine& line);

    // Writes `line` + CRLF.
    ReadOutcome send_line(std::string_view line);

    // Unread bytes (e.g. bytes sent after a STARTTLS reply, before the handshake).
    std::string& buffer() { return buffer_; }
    void note(std::string_view text);  // a "-- text" line in the transcript
    Millis timeout() const { return timeout_; }

private:
    template <class Frame>
    ReadOutcome read_framed(Frame&& frame);
    ReadOutcome fill(Clock::time_point deadline);
    void log_received(std::string_view bytes);

    net::Connection& connection_;
    std::string& transcript_;
    Millis timeout_;
    std::string buffer_;
};

// "timeout" / "closed" / ... in words, for inconclusive reasons.
std::string describe(const ReadOutcome& outcome);

}  // namespace mailspec::harness::probe
