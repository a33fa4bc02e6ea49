#include "line_scan.hpp"

#include <algorithm>

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
    for (std::size_t i = begin; i < buffered.size(); ++i) {
        if (i >= limits.max_response) {
            return fail(error, i,
                        "response exceeds the limit of " + std::to_string(limits.max_response) +
                            " bytes without ending");
        }
        const char c = buffered[i];
        if (c == '\n') {
            return fail(error, i,
                        std::string("expected <CR><LF> at the end of the ") + what +
                            ", found a bare <LF> in " + show_line(buffered, begin, i));
        }
        if (c == '\r') {
            if (i + 1 >= buffered.size()) return FrameStatus::need_more;
            if (buffered[i + 1] == '\n') {
                line.begin = begin;
                line.content_end = i;
                line.next = i + 2;
                if (line.next > limits.max_response) {
                    return fail(error, i + 1,
                                "response exceeds the limit of " +
                                    std::to_string(limits.max_response) + " bytes");
                }
                return FrameStatus::complete;
            }
            if (!allow_bare_cr) {
                return fail(error, i,
                            std::string("expected <LF> after <CR> in the ") + what + ", found " +
                                show_byte(buffered, i + 1));
            }
        }
        if (i - begin >= limits.max_line) {
            return fail(error, i,
                        std::string("the ") + what + " is longer than the limit of " +
                            std::to_string(limits.max_line) + " bytes (no <CR><LF> found)");
        }
    }
    return FrameStatus::need_more;
}

}  // namespace mailspec::protocol::client::detail
