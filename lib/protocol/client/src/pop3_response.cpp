// POP3 response framing, RFC 1939 §3: a status line starting "+OK" or "-ERR" (upper case), and for
// multi-line responses the following lines up to a line holding a single "."; a line starting with
// "." has that dot removed (byte-stuffing). RFC 5034 §4: a SASL continuation is "+" SP text.
#include "mailspec/protocol/client/pop3_response.hpp"

#include "line_scan.hpp"

namespace mailspec::protocol::client {
namespace {

using detail::fail;
using detail::show_byte;
using detail::show_line;

// Checks the status indicator of the first line as far as it is buffered and names it in `status`
// once it is known ("+OK", "-ERR", "+"). Returns need_more while undecided, complete when decided.
FrameStatus check_status(std::string_view buf, std::string& status, FrameError& error) {
    const auto bad = [&](std::size_t at) {
        return fail(error, at,
                    "expected \"+OK\", \"-ERR\" or \"+ \" at the start of the status line "
                    "(RFC 1939 §3), found " +
                        show_byte(buf, at) + " in line " + show_line(buf, 0, at));
    };
    if (buf.empty()) return FrameStatus::need_more;
    std::string_view word;
    if (buf[0] == '+') {
        if (buf.size() < 2) return FrameStatus::need_more;
        if (buf[1] == ' ' || buf[1] == '\r') {
            status = "+";
            return FrameStatus::complete;
        }
        word = "+OK";
    } else if (buf[0] == '-') {
        word = "-ERR";
    } else {
        return bad(0);
    }
    for (std::size_t k = 1; k <= word.size(); ++k) {
        if (k >= buf.size()) return FrameStatus::need_more;
        const char expected = k < word.size() ? word[k] : ' ';
        if (k == word.size()) {
            if (buf[k] != ' ' && buf[k] != '\r') {
                return fail(error, k,
                            "expected SP or <CR><LF> after \"" + std::string(word) + "\", found " +
                                show_byte(buf, k));
            }
        } else if (buf[k] != expected) {
            return bad(k);
        }
    }
    status = std::string(word);
    return FrameStatus::complete;
}

}  // namespace

FrameStatus frame_pop3_response(std::string_view buffered, bool multiline, const FrameLimits& limits,
                                Pop3Response& out, std::size_t& consumed, FrameError& error) {
    std::string status;
    FrameError status_error;
    const FrameStatus st = check_status(buffered, status, status_error);
    detail::Line first;
    FrameError line_error;
    const FrameStatus ls =
        detail::scan_line(buffered, 0, limits, false, "status line", first, line_error);
    if (st == FrameStatus::error || ls == FrameStatus::error) {
        // Report whichever offending byte comes first, as a byte-at-a-time reader would.
        if (st == FrameStatus::error &&
            (ls != FrameStatus::error || status_error.offset <= line_error.offset)) {
            error = std::move(status_error);
        } else {
            error = std::move(line_error);
        }
        return FrameStatus::error;
    }
    if (ls != FrameStatus::complete) return ls;
    if (st != FrameStatus::complete) {  // a complete line too short to hold a status
        return fail(error, first.content_end,
                    "expected \"+OK\", \"-ERR\" or \"+ \", found line " + show_line(buffered, 0, first.content_end - 1));
    }

    std::vector<std::string> body;
    std::size_t pos = first.next;
    if (multiline && status == "+OK") {
        // First find the terminating "." line without building anything (callers frame again after
        // every read, so an incomplete body must stay cheap), then collect the unstuffed lines.
        std::size_t body_begin = pos;
        for (;;) {
            detail::Line line;
            // Message content may hold a stray CR; only the CRLF pair ends a line.
            const FrameStatus s =
                detail::scan_line(buffered, pos, limits, true, "body line", line, error);
            if (s != FrameStatus::complete) return s;
            pos = line.next;
            if (line.content(buffered) == ".") break;
        }
        for (std::size_t at = body_begin; at < pos;) {
            const std::size_t end = buffered.find("\r\n", at);
            std::string_view content = buffered.substr(at, end - at);
            at = end + 2;
            if (content == ".") break;
            if (!content.empty() && content[0] == '.') content.remove_prefix(1);
            body.emplace_back(content);
        }
    }
    out.status = std::move(status);
    out.status_line.assign(first.content(buffered));
    out.body = std::move(body);
    out.raw.assign(buffered.substr(0, pos));
    consumed = pos;
    return FrameStatus::complete;
}

}  // namespace mailspec::protocol::client
