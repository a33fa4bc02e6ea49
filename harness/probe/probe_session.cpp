#include "probe_session.hpp"

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

namespace pc = protocol::client;

namespace {

ReadOutcome from_status(const net::IoStatus& status) {
    switch (status.code) {
        case net::IoStatus::Code::ok: return {};
        case net::IoStatus::Code::timeout: return {ReadOutcome::Kind::timeout, status.message};
        case net::IoStatus::Code::eof: return {ReadOutcome::Kind::closed, status.message};
        default: return {ReadOutcome::Kind::io_error, status.message};
    }
}

}  // namespace

std::string describe(const ReadOutcome& outcome) {
    switch (outcome.kind) {
        case ReadOutcome::Kind::ok: return "ok";
        case ReadOutcome::Kind::timeout: return "timed out (" + outcome.message + ")";
        case ReadOutcome::Kind::closed: return "connection dropped (" + outcome.message + ")";
        case ReadOutcome::Kind::io_error: return "I/O error (" + outcome.message + ")";
        case ReadOutcome::Kind::framing_error: return "malformed response (" + outcome.message + ")";
    }
    return "?";
}

ProbeSession::ProbeSession(net::Connection& connection, std::string& transcript, Millis timeout)
    : connection_(connection), transcript_(transcript), timeout_(timeout) {}

void ProbeSession::log_received(std::string_view bytes) {
    // One "S: " line per received line, so a multi-line reply reads like the conversation.
    while (!bytes.empty()) {
        auto lf = bytes.find('\n');
        std::size_t n = lf == std::string_view::npos ? bytes.size() : lf + 1;
        transcript_ += "S: " + core::visible(bytes.substr(0, n)) + "\n";
        bytes.remove_prefix(n);
    }
}

void ProbeSession::note(std::string_view text) {
    transcript_ += "-- ";
    transcript_ += text;
    transcript_ += "\n";
}

ReadOutcome ProbeSession::fill(Clock::time_point deadline) {
    auto now = Clock::now();
    if (now >= deadline) return {ReadOutcome::Kind::timeout, "no complete response within " +
                                                                  std::to_string(timeout_.count()) + " ms"};
    auto left = std::chrono::duration_cast<Millis>(deadline - now) + Millis(1);
    std::size_t before = buffer_.size();
    auto outcome = from_status(connection_.read_some(buffer_, left));
    if (outcome.kind == ReadOutcome::Kind::timeout)
        outcome.message = "no complete response within " + std::to_string(timeout_.count()) + " ms";
    if (buffer_.size() > before && outcome.kind != ReadOutcome::Kind::ok) return {};
    return outcome;
}

ReadOutcome ProbeSession::wait_for_bytes(Millis wait) {
    if (!buffer_.empty()) return {};
    return from_status(connection_.read_some(buffer_, wait));
}

ReadOutcome ProbeSession::read_first_line(std::string& line) {
    auto deadline = Clock::now() + timeout_;
    const std::size_t max_line = pc::FrameLimits{}.max_line;
    while (true) {
        auto lf = buffer_.find('\n');
        if (lf != std::string::npos) {
            line = buffer_.substr(0, lf);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return {};
        }
        if (buffer_.size() > max_line)
            return {ReadOutcome::Kind::framing_error,
                    "no line feed in the first " + std::to_string(buffer_.size()) + " bytes of the greeting"};
        if (auto r = fill(deadline); !r) {
            if (!buffer_.empty()) transcript_ += "S: " + core::visible(buffer_) + " (incomplete)\n";
            return r;
        }
    }
}

template <class Frame>
ReadOutcome ProbeSession::read_framed(Frame&& frame) {
    auto deadline = Clock::now() + timeout_;
    while (true) {
        std::size_t consumed = 0;
        pc::FrameError error;
        pc::FrameStatus status = frame(std::string_view(buffer_), consumed, error);
        if (status == pc::FrameStatus::complete) {
            log_received(std::string_view(buffer_).substr(0, consumed));
            buffer_.erase(0, consumed);
            return {};
        }
        if (status == pc::FrameStatus::error) {
            transcript_ += "S: " + core::visible(buffer_.substr(0, std::min<std::size_t>(buffer_.size(), 512))) +
                           " (malformed)\n";
            return {ReadOutcome::Kind::framing_error, "at byte " + std::to_string(error.offset) + ": " + error.message};
        }
        if (auto r = fill(deadline); !r) {
            if (!buffer_.empty()) transcript_ += "S: " + core::visible(buffer_) + " (incomplete)\n";
            return r;
        }
    }
}

ReadOutcome ProbeSession::read_smtp(pc::SmtpReply& reply) {
    return read_framed([&](std::string_view b, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_smtp_reply(b, pc::FrameLimits{}, reply, consumed, e);
    });
}

ReadOutcome ProbeSession::read_pop3(bool multiline, pc::Pop3Response& response) {
    return read_framed([&](std::string_view b, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_pop3_response(b, multiline, pc::FrameLimits{}, response, consumed, e);
    });
}

ReadOutcome ProbeSession::read_imap(pc::ImapResponseLine& line) {
    return read_framed([&](std::string_view b, std::size_t& consumed, pc::FrameError& e) {
        return pc::frame_imap_response(b, pc::FrameLimits{}, line, consumed, e);
    });
}

ReadOutcome ProbeSession::send_line(std::string_view line) {
    std::string bytes(line);
    bytes += "\r\n";
    transcript_ += "C: " + core::visible(bytes) + "\n";
    return from_status(connection_.write(bytes, timeout_));
}

}  // namespace mailspec::harness::probe
