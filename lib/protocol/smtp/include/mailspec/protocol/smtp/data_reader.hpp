#pragma once
// Reader of the SMTP DATA section (RFC 5321 §4.1.1.4, §4.5.2). It consumes the bytes that follow
// the 354 reply and stops exactly after the end-of-data indication CRLF "." CRLF.
//
// Contract (SMTP smuggling defence): the data ends ONLY on CR LF "." CR LF. A bare LF "." LF, a
// bare CR "." CR or any mix such as LF "." CR LF never ends it; those bytes stay in the content.
// The reader starts at the beginning of a line (the DATA command's CRLF precedes it), so a first
// line of "." ends an empty message.
//
// Transparency (§4.5.2): when unstuffing is on, a line that starts with "." has that first "."
// removed. With unstuff=false (the deliberate fault "smtp.no-dot-unstuffing") the dot is kept.
// The content keeps its CRLFs; the CRLF before the terminating "." belongs to the last line.
//
// DataOptions::bare_lf_ends exists only for the deliberate fault "smtp.bare-lf-ends-data": a bare
// LF then counts as a line end, so LF "." LF (or CRLF "." LF) ends the data - the SMTP smuggling
// vulnerability the default refuses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailspec::protocol::smtp {

struct DataOptions {
    bool unstuff = true;        // false: fault smtp.no-dot-unstuffing
    bool bare_lf_ends = false;  // true: fault smtp.bare-lf-ends-data
};

class DataReader {
public:
    // max_size: content octets kept (RFC 1870 SIZE limit). Beyond it the content is dropped but
    // the reader still looks for the end of data, then too_large() is true (reply 552 5.3.4).
    explicit DataReader(std::size_t max_size, DataOptions options = {})
        : max_size_(max_size), unstuff_(options.unstuff), bare_lf_ends_(options.bare_lf_ends) {}

    // Consumes bytes up to and including the end-of-data indication; returns how many bytes of
    // `bytes` were consumed (fewer than bytes.size() only when complete() became true).
    std::size_t feed(std::string_view bytes);

    bool complete() const { return state_ == State::done; }
    bool too_large() const { return too_large_; }
    // The unstuffed content; valid (and final) once complete().
    const std::string& content() const { return content_; }
    std::string take_content() { return std::move(content_); }
    // Octets of content seen so far, including those dropped once too large.
    std::uint64_t size() const { return size_; }
    // True if a bare LF or a bare CR appeared (not part of a CRLF pair).
    bool saw_bare_line_ending() const { return bare_line_ending_; }
    // Octets of the longest content line, its CRLF and any stuffing dot excluded (RFC 5321
    // §4.5.3.1.6 limits text lines to 1000 octets including CRLF).
    std::size_t longest_line() const { return longest_line_; }

private:
    enum class State { line_start, in_line, cr, dot, dot_cr, done };
    void put(char c);
    void put_text(char c);  // a byte inside a line, handling CR
    void end_line(std::size_t terminator);  // a line ended with `terminator` octets (CRLF: 2)

    std::size_t max_size_;
    bool unstuff_;
    bool bare_lf_ends_;
    std::size_t line_length_ = 0;
    std::size_t longest_line_ = 0;
    State state_ = State::line_start;
    std::string content_;
    std::uint64_t size_ = 0;
    bool too_large_ = false;
    bool bare_line_ending_ = false;
};

}  // namespace mailspec::protocol::smtp
