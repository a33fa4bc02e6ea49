#pragma once
// A resumable splitter of CRLF-terminated command lines (RFC 5321 §2.3.8, RFC 1939 §3), used by
// the SMTP and POP3 servers. It never reads a socket: the caller appends received bytes with
// feed() and pulls events with next() until it returns need_more.
//
// Limits: a line longer than max_line octets (CRLF excluded) is not buffered; its bytes are
// discarded up to the next LF and a single too_long event is reported there, so the peer resyncs
// at the next line (RFC 5321 §4.5.3.1.4 / §4.5.3.1.9: "500 Line too long").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailspec::protocol::smtp {

enum class LineEventKind {
    need_more,  // no complete line buffered
    line,       // `text` holds one line without its terminator
    too_long,   // a line exceeded max_line; its bytes (through its LF) were discarded
};

struct LineEvent {
    LineEventKind kind = LineEventKind::need_more;
    std::string text;           // for `line`: the line without CRLF (or without LF if bare_lf)
    bool bare_lf = false;       // for `line`: ended by LF without a preceding CR
    std::uint64_t offset = 0;   // stream offset of the line's first byte (since construction)
};

class LineSplitter {
public:
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    // Appends received bytes. While a too-long line is being discarded, bytes before its LF are
    // dropped immediately, so memory stays bounded by max_line + 2.
    void feed(std::string_view bytes);

    // Pulls the next event from the buffered bytes.
    LineEvent next();

    // Removes and returns every buffered byte not yet returned as a line (used when the protocol
    // switches to a different framing, e.g. after DATA's 354 or after STARTTLS).
    std::string take_buffered();

    bool has_buffered() const { return !buffer_.empty() || discarding_; }
    void set_max_line(std::size_t max_line) { max_line_ = max_line; }
    std::size_t max_line() const { return max_line_; }

private:
    std::size_t max_line_;
    std::string buffer_;          // bytes not yet returned
    std::uint64_t buffer_offset_ = 0;  // stream offset of buffer_[0]
    bool discarding_ = false;     // inside an overlong line, waiting for its LF
    std::uint64_t discard_start_ = 0;
};

}  // namespace mailspec::protocol::smtp
