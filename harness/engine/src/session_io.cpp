#include "session_io.hpp"

#include "mailspec/core/escape.hpp"
#include "mailspec/protocol/client/imap_response.hpp"
#include "mailspec/protocol/client/pop3_response.hpp"
#include "mailspec/protocol/client/smtp_reply.hpp"

namespace mailspec::harness::engine::detail {

using model::Outcome;
namespace pc = protocol::client;

model::Millis remaining(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<model::Millis>(deadline - Clock::now());
    return left.count() > 0 ? left : model::Millis(0);
}

namespace {
std::string seconds_text(Clock::time_point start) {
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

std::string preview(const std::string& bytes) {
    constexpr std::size_t max = 200;
    std::string v = core::visible(bytes.substr(0, max));
    if (bytes.size() > max) v += "... (" + std::to_string(bytes.size()) + " bytes)";
    return v;
}
}  // namespace

std::optional<Verdict> SessionIo::write(Session& s, std::string_view bytes, Clock::time_point deadline) {
    transcript_.client(s.name, bytes);
    const auto st = s.transport->write(bytes, std::max(remaining(deadline), model::Millis(1)));
    if (st) return std::nullopt;
    if (st.code == net::IoStatus::Code::timeout)
        return Verdict{Outcome::error, "timeout while sending: " + st.message, {}, {}, {}};
    transcript_.note(s.name, std::string("send failed: ") + describe(st.code) + " " + st.message);
    return Verdict{Outcome::fail, "the server closed the connection before the client could send",
                   "an open connection", std::string(describe(st.code)) + ": " + st.message, {}};
}

template <class Frame>
std::optional<Verdict> SessionIo::read_framed(Session& s, Clock::time_point deadline, bool started, const char* what,
                                              Frame&& frame) {
    const auto start = Clock::now();
    // Bounded: every iteration either frames, fails, or receives at least one byte before the deadline.
    while (true) {
        if (!s.buffer.empty()) {
            std::size_t consumed = 0;
            pc::FrameError error;
            const auto status = frame(std::string_view(s.buffer), consumed, error);
            if (status == pc::FrameStatus::complete) {
                transcript_.server(s.name, std::string_view(s.buffer).substr(0, consumed));
                s.buffer.erase(0, consumed);
                return std::nullopt;
            }
            if (status == pc::FrameStatus::error) {
                transcript_.server(s.name, s.buffer);
                transcript_.note(s.name, "malformed " + std::string(what) + " at byte " + std::to_string(error.offset) +
                                             ": " + error.message);
                Verdict v{Outcome::fail, std::string("malformed ") + what + ": " + error.message,
                          std::string("a well-formed ") + what, preview(s.buffer), {}};
                s.buffer.clear();
                return v;
            }
        }
        const auto left = remaining(deadline);
        net::IoStatus st;
        if (left.count() == 0) {
            st.code = net::IoStatus::Code::timeout;
        } else {
            st = s.transport->read_some(s.buffer, left);
            if (st) continue;
        }
        const bool partial = started || !s.buffer.empty();
        if (!s.buffer.empty()) transcript_.server(s.name, s.buffer);
        const std::string got = s.buffer.empty() ? std::string("nothing") : preview(s.buffer);
        s.buffer.clear();
        switch (st.code) {
            case net::IoStatus::Code::timeout:
                transcript_.note(s.name, "timeout after " + seconds_text(start) + " waiting for " + what);
                if (!partial)
                    return Verdict{Outcome::error, std::string("timeout: no ") + what + " within " + seconds_text(start),
                                   std::string("a ") + what, "nothing", {}};
                return Verdict{Outcome::fail, std::string("incomplete ") + what + " when the step timed out after " +
                                                  seconds_text(start),
                               std::string("a complete ") + what, got, {}};
            case net::IoStatus::Code::eof:
                transcript_.note(s.name, "connection closed by the server");
                return Verdict{Outcome::fail,
                               partial ? std::string("the server closed the connection in the middle of a ") + what
                                       : std::string("the server closed the connection instead of sending a ") + what,
                               std::string("a complete ") + what, got + " then close", {}};
            default:
                transcript_.note(s.name, std::string(describe(st.code)) + ": " + st.message);
                if (partial)
                    return Verdict{Outcome::fail, std::string("connection lost in the middle of a ") + what + ": " + st.message,
                                   std::string("a complete ") + what, got, {}};
                return Verdict{Outcome::error, std::string("cannot read ") + what + ": " + describe(st.code) + " " + st.message,
                               {}, {}, {}};
        }
    }
}

std::optional<Verdict> SessionIo::read_smtp(Session& s, Clock::time_point deadline, Response& out) {
    pc::SmtpReply reply;
    auto v = read_framed(s, deadline, false, "SMTP reply", [&](std::string_view buf, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_smtp_reply(buf, limits_, reply, consumed, e);
    });
    if (v) return v;
    out = Response{};
    out.protocol = model::Protocol::smtp;
    out.code = reply.code;
    out.lines = std::move(reply.lines);
    out.raw = std::move(reply.raw);
    return std::nullopt;
}

std::optional<Verdict> SessionIo::read_pop3(Session& s, bool multiline, Clock::time_point deadline, Response& out) {
    pc::Pop3Response r;
    auto v = read_framed(s, deadline, false, "POP3 response", [&](std::string_view buf, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_pop3_response(buf, multiline, limits_, r, consumed, e);
    });
    if (v) return v;
    out = Response{};
    out.protocol = model::Protocol::pop3;
    out.status = r.status;
    out.lines.push_back(r.status_line);
    for (auto& b : r.body) out.lines.push_back(std::move(b));
    out.raw = std::move(r.raw);
    return std::nullopt;
}

namespace {
void set_from_imap_line(const pc::ImapResponseLine& line, Response& out) {
    out.protocol = model::Protocol::imap;
    out.status = line.status;
    out.tag = line.kind == pc::ImapResponseLine::Kind::tagged ? line.tag : std::string();
    out.continuation = line.kind == pc::ImapResponseLine::Kind::continuation;
    out.lines.push_back(line.text);
    out.raw += line.raw;
}
}  // namespace

std::optional<Verdict> SessionIo::read_imap_line(Session& s, Clock::time_point deadline, Response& out) {
    pc::ImapResponseLine line;
    auto v = read_framed(s, deadline, false, "IMAP response", [&](std::string_view buf, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_imap_response(buf, limits_, line, consumed, e);
    });
    if (v) return v;
    out = Response{};
    set_from_imap_line(line, out);
    return std::nullopt;
}

std::optional<Verdict> SessionIo::read_imap_untagged(Session& s, bool continuation, Clock::time_point deadline,
                                                     Response& out) {
    if (auto v = read_imap_line(s, deadline, out)) return v;
    const std::string wanted = continuation ? "a continuation request" : "an untagged response";
    const std::string expected = continuation ? "a \"+\" continuation request" : "an untagged \"*\" response";
    const std::string line = out.lines.empty() ? std::string() : core::visible(out.lines.front());
    if (!out.tag.empty())
        return Verdict{Outcome::fail, "expected " + wanted + ", got the tagged line " + line, expected, line, {}};
    if (out.continuation && !continuation)
        return Verdict{Outcome::fail, "expected " + wanted + ", got the continuation request " + line, expected, line, {}};
    if (!out.continuation && continuation)
        return Verdict{Outcome::fail, "expected " + wanted + ", got the untagged response " + line, expected, line, {}};
    return std::nullopt;
}

std::optional<Verdict> SessionIo::read_imap_tagged(Session& s, const std::string& tag, Clock::time_point deadline,
                                                   Response& out) {
    out = Response{};
    out.protocol = model::Protocol::imap;
    // Bounded by the deadline and by limits_.max_response over all lines of the response.
    while (true) {
        pc::ImapResponseLine line;
        auto v = read_framed(s, deadline, !out.lines.empty(), "IMAP response",
                             [&](std::string_view buf, std::size_t& consumed, pc::FrameError& e) {
                                 return pc::frame_imap_response(buf, limits_, line, consumed, e);
                             });
        if (v) return v;
        if (line.kind == pc::ImapResponseLine::Kind::continuation) {
            out.lines.push_back(line.text);
            out.raw += line.raw;
            return Verdict{Outcome::fail, "unexpected continuation request while waiting for " + tag + "'s completion",
                           "untagged lines then \"" + tag + " OK|NO|BAD\"", core::visible(line.text), {}};
        }
        set_from_imap_line(line, out);
        if (out.raw.size() > limits_.max_response)
            return Verdict{Outcome::fail, "response to " + tag + " exceeds " + std::to_string(limits_.max_response) + " bytes",
                           "a response within the size limit", std::to_string(out.raw.size()) + " bytes so far", {}};
        if (line.kind == pc::ImapResponseLine::Kind::tagged && line.tag == tag) return std::nullopt;
        // Untagged data, or another tag's completion (pipelined commands): part of this response.
        out.status.clear();
        out.tag.clear();
    }
}

std::optional<Verdict> SessionIo::expect_close(Session& s, Clock::time_point deadline) {
    const auto start = Clock::now();
    if (!s.buffer.empty()) {
        transcript_.server(s.name, s.buffer);
        Verdict v{Outcome::fail, "the server sent more data instead of closing", "the connection closed", preview(s.buffer), {}};
        s.buffer.clear();
        return v;
    }
    const auto left = remaining(deadline);
    net::IoStatus st;
    if (left.count() == 0) st.code = net::IoStatus::Code::timeout;
    else st = s.transport->read_some(s.buffer, left);
    if (st) {
        transcript_.server(s.name, s.buffer);
        Verdict v{Outcome::fail, "the server sent more data instead of closing", "the connection closed", preview(s.buffer), {}};
        s.buffer.clear();
        return v;
    }
    if (st.code == net::IoStatus::Code::timeout) {
        transcript_.note(s.name, "still open after " + seconds_text(start));
        return Verdict{Outcome::fail, "the server did not close the connection within " + seconds_text(start),
                       "the connection closed", "still open", {}};
    }
    // eof, reset: closed as required.
    transcript_.note(s.name, std::string("connection closed by the server (") + describe(st.code) + ")");
    return std::nullopt;
}

}  // namespace mailspec::harness::engine::detail
