#pragma once
// Engine-internal: one named session (connection + receive buffer) and the reads that frame one
// complete protocol response from it within a deadline, using the client framers. Each read
// returns a Verdict when it could not produce a response, classified per STYLE.md #5:
//   nothing received before the deadline -> ERROR; part of a response then the deadline -> FAIL;
//   closed before or during the response -> FAIL; malformed or over the size limit -> FAIL;
//   other I/O errors -> ERROR.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "mailspec/harness/engine/response.hpp"
#include "mailspec/harness/engine/transcript.hpp"
#include "mailspec/harness/engine/transport.hpp"
#include "mailspec/harness/model/result.hpp"
#include "mailspec/harness/model/target.hpp"
#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::harness::engine::detail {

using Clock = std::chrono::steady_clock;

struct Verdict {
    model::Outcome outcome = model::Outcome::fail;
    std::string message;
    std::string expected;
    std::string actual;
    model::SourceLocation where;  // filled by the runner when empty
};

struct Session {
    std::string name;
    const model::Endpoint* endpoint = nullptr;
    std::unique_ptr<Transport> transport;
    std::string buffer;               // received, not yet framed
    std::optional<Response> last;     // the last complete response (for <requires>)
    int tls_tag_counter = 0;          // IMAP STARTTLS tags "tls1", "tls2", ...
};

class SessionIo {
public:
    SessionIo(Transcript& transcript, const protocol::client::FrameLimits& limits)
        : transcript_(transcript), limits_(limits) {}

    // Writes all bytes and logs them. eof/error -> FAIL (the server went away), timeout -> ERROR.
    std::optional<Verdict> write(Session& s, std::string_view bytes, Clock::time_point deadline);

    std::optional<Verdict> read_smtp(Session& s, Clock::time_point deadline, Response& out);
    std::optional<Verdict> read_pop3(Session& s, bool multiline, Clock::time_point deadline, Response& out);
    // One IMAP response line of any kind (untagged, continuation or tagged), e.g. the answer to a
    // synchronizing literal, which may be "+" or a tagged refusal (RFC 3501 §7.5).
    std::optional<Verdict> read_imap_line(Session& s, Clock::time_point deadline, Response& out);
    // An <expect> without tag: one untagged response (RFC 3501 §2.2.2, §7: "*" data, status or
    // BYE, the greeting) or, with `continuation`, one "+" continuation request (§7.5). Any other
    // kind of line is FAIL naming it: a tagged line before the greeting is not a greeting.
    std::optional<Verdict> read_imap_untagged(Session& s, bool continuation, Clock::time_point deadline,
                                              Response& out);
    // Every line up to the tagged completion for `tag` (RFC 3501 §2.2.2).
    std::optional<Verdict> read_imap_tagged(Session& s, const std::string& tag, Clock::time_point deadline,
                                            Response& out);

    // Waits until the peer closes (<expect-close/>).
    std::optional<Verdict> expect_close(Session& s, Clock::time_point deadline);

private:
    // Reads until `frame` completes on s.buffer. `started` says bytes of this response were
    // already consumed (for IMAP multi-line reads) so a timeout is a FAIL, not an ERROR.
    template <class Frame>
    std::optional<Verdict> read_framed(Session& s, Clock::time_point deadline, bool started, const char* what,
                                       Frame&& frame);

    Transcript& transcript_;
    protocol::client::FrameLimits limits_;
};

model::Millis remaining(Clock::time_point deadline);

}  // namespace mailspec::harness::engine::detail
