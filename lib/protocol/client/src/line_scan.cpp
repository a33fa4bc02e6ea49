#include "line_scan.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "mailspec/core/escape.hpp"

namespace mailspec::protocol::client::detail {

FrameStatus fail(FrameError& error, std::size_t offset, std::string message) {
    error.offset = offset;
    error.message = std::move(message);
    return FrameStatus::error;
}

std::string show_byte(std::string_view buffered, std::size_t offset) {
    if (offset >= buffered.size()) return "end of input";
    return "\"" + core::visible(buffered.substr(offset, 1)) + "\"";
}

std::string show_line(std::string_view buffered, std::size_t begin, std::size_t through) {
    constexpr std::size_t shown = 40;
    if (begin >= buffered.size()) return "\"\"";
    const std::size_t end = std::min(through + 1, buffered.size());
    std::string_view part = buffered.substr(begin, end > begin ? end - begin : 0);
    std::string out = "\"";
    if (part.size() > shown) {
        out += "...";
        part = part.substr(part.size() - shown);
    }
    return out + core::visible(part) + "\"";
}

FrameStatus scan_line(std::string_view buffered, std::size_t begin, const FrameLimits& limits,
                      bool allow_bare_cr, const char* what, Line& line, FrameError& error) {
    // The bytes that may still belong to this line: at most max_line content bytes plus CRLF, and
    // nothing at or past max_response. Within that window only CR and LF need a closer look, so
    // they are located with memchr (responses of many megabytes are framed again on every read).
    const std::size_t size = buffered.size();
    // First offset that is too long (saturating, so a max_line of SIZE_MAX means "no limit").
    const std::size_t line_end =
        limits.max_line >= SIZE_MAX - 1 - begin ? SIZE_MAX - 1 : begin + limits.max_line;
    std::size_t i = begin;
    for (;;) {
        const std::size_t window_end = std::min({size, line_end + 1, limits.max_response});
        const char* base = buffered.data();
        const void* lf = i < window_end ? std::memchr(base + i, '\n', window_end - i) : nullptr;
        const void* cr = i < window_end ? std::memchr(base + i, '\r', window_end - i) : nullptr;
        std::size_t at = window_end;
        if (lf != nullptr) at = static_cast<std::size_t>(static_cast<const char*>(lf) - base);
        if (cr != nullptr) at = std::min(at, static_cast<std::size_t>(static_cast<const char*>(cr) - base));
        if (at == window_end) {
            // Bytes [i, window_end) are all content. The first content byte at or past a limit is
            // the offending one; a byte at window_end == max_response is past the response limit.
            const std::size_t first_bad = std::min(std::max(line_end, i), limits.max_response);
            if (first_bad < window_end || (window_end < size && window_end >= limits.max_response)) {
                const std::size_t bad = first_bad < window_end ? first_bad : window_end;
                if (bad >= limits.max_response) {
                    return fail(error, bad,
                                "response exceeds the limit of " +
                                    std::to_string(limits.max_response) + " bytes without ending");
                }
                return fail(error, bad,
                            std::string("the ") + what + " is longer than the limit of " +
                                std::to_string(limits.max_line) + " bytes (no <CR><LF> found)");
            }
            return FrameStatus::need_more;
        }
        if (buffered[at] == '\n') {
            return fail(error, at,
                        std::string("expected <CR><LF> at the end of the ") + what +
                            ", found a bare <LF> in " + show_line(buffered, begin, at));
        }
        // A CR.
        if (at + 1 >= size) return FrameStatus::need_more;
        if (buffered[at + 1] == '\n') {
            line.begin = begin;
            line.content_end = at;
            line.next = at + 2;
            if (line.next > limits.max_response) {
                return fail(error, at + 1,
                            "response exceeds the limit of " + std::to_string(limits.max_response) +
                                " bytes");
            }
            return FrameStatus::complete;
        }
        if (!allow_bare_cr) {
            return fail(error, at,
                        std::string("expected <LF> after <CR> in the ") + what + ", found " +
                            show_byte(buffered, at + 1));
        }
        if (at >= line_end) {  // a bare CR that is content, past the length limit
            return fail(error, at,
                        std::string("the ") + what + " is longer than the limit of " +
                            std::to_string(limits.max_line) + " bytes (no <CR><LF> found)");
        }
        i = at + 1;
    }
}

}  // namespace mailspec::protocol::client::detail
