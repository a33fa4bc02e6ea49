// SMTP reply framing, RFC 5321 §4.2:
//   Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
//   Reply-code = %x32-35 %x30-35 %x30-39
// §4.2.1: every line of a multi-line reply carries the same code; the last one uses SP (or nothing).
#include "mailspec/protocol/client/smtp_reply.hpp"

#include "line_scan.hpp"

namespace mailspec::protocol::client {
namespace {

using detail::fail;
using detail::show_byte;
using detail::show_line;

bool in_range(char c, char lo, char hi) { return c >= lo && c <= hi; }

// Checks the reply-code and separator bytes of the line starting at `begin`, as far as they are
// buffered. `first_code` is the first line's code (empty for the first line).
FrameStatus check_line_head(std::string_view buf, std::size_t begin, std::string_view first_code,
                            FrameError& error) {
    static constexpr char lo[3] = {'2', '0', '0'};
    static constexpr char hi[3] = {'5', '5', '9'};
    for (std::size_t k = 0; k < 4 && begin + k < buf.size(); ++k) {
        const std::size_t at = begin + k;
        const char c = buf[at];
        if (k < 3) {
            if (!in_range(c, lo[k], hi[k])) {
                return fail(error, at,
                            std::string("expected reply code digit ") + lo[k] + "-" + hi[k] +
                                " (RFC 5321 §4.2), found " + show_byte(buf, at) + " in line " +
                                show_line(buf, begin, at));
            }
            if (!first_code.empty() && c != first_code[k]) {
                return fail(error, at,
                            "continuation line code differs from the first line's code " +
                                std::string(first_code) + " (RFC 5321 §4.2.1), found line " +
                                show_line(buf, begin, at));
            }
        } else if (c != '-' && c != ' ' && c != '\r') {
            return fail(error, at,
                        "expected \"-\", SP or <CR><LF> after the reply code, found " +
                            show_byte(buf, at) + " in line " + show_line(buf, begin, at));
        }
    }
    return FrameStatus::need_more;
}

}  // namespace

FrameStatus frame_smtp_reply(std::string_view buffered, const FrameLimits& limits, SmtpReply& out,
                             std::size_t& consumed, FrameError& error) {
    std::string first_code;
    std::vector<std::string> lines;
    std::size_t pos = 0;
    for (;;) {
        // The head check goes first: its bytes precede anything scan_line could object to, except
        // an over-limit max_line of less than four bytes, which scan_line reports afterwards.
        FrameError head_error;
        if (check_line_head(buffered, pos, first_code, head_error) == FrameStatus::error) {
            // A line-level error (bare LF, ...) at an earlier byte wins.
            detail::Line probe;
            FrameError line_error;
            if (detail::scan_line(buffered, pos, limits, false, "reply line", probe, line_error) ==
                    FrameStatus::error &&
                line_error.offset < head_error.offset) {
                error = std::move(line_error);
                return FrameStatus::error;
            }
            error = std::move(head_error);
            return FrameStatus::error;
        }
        detail::Line line;
        const FrameStatus s =
            detail::scan_line(buffered, pos, limits, false, "reply line", line, error);
        if (s != FrameStatus::complete) return s;
        const std::string_view content = line.content(buffered);
        if (content.size() < 3) {
            return fail(error, line.content_end,
                        "expected a three-digit reply code, found line " + show_line(buffered, pos, line.content_end));
        }
        if (first_code.empty()) first_code = std::string(content.substr(0, 3));
        const bool last = content.size() == 3 || content[3] == ' ';
        lines.emplace_back(content.size() > 4 ? content.substr(4) : std::string_view{});
        pos = line.next;
        if (last) break;
    }
    out.code = std::stoi(first_code);
    out.lines = std::move(lines);
    out.raw.assign(buffered.substr(0, pos));
    consumed = pos;
    return FrameStatus::complete;
}

}  // namespace mailspec::protocol::client
