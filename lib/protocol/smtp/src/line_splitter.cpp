#include "mailspec/protocol/smtp/line_splitter.hpp"

namespace mailspec::protocol::smtp {

void LineSplitter::feed(std::string_view bytes) {
    if (discarding_ && buffer_.empty()) {
        const auto lf = bytes.find('\n');
        if (lf == std::string_view::npos) {
            buffer_offset_ += bytes.size();
            return;
        }
        // Keep the LF so next() can report the end of the overlong line.
        buffer_offset_ += lf;
        bytes.remove_prefix(lf);
    }
    buffer_.append(bytes);
    // Bound memory: a line with no LF that is already longer than allowed starts discarding.
    if (!discarding_ && buffer_.find('\n') == std::string::npos && buffer_.size() > max_line_ + 1) {
        discarding_ = true;
        discard_start_ = buffer_offset_;
        buffer_offset_ += buffer_.size();
        buffer_.clear();
    }
}

LineEvent LineSplitter::next() {
    LineEvent event;
    const auto lf = buffer_.find('\n');
    if (discarding_) {
        if (lf == std::string::npos) return event;  // need_more
        // buffer_ starts with the LF ending the overlong line (feed() dropped what came before).
        event.kind = LineEventKind::too_long;
        event.offset = discard_start_;
        buffer_.erase(0, lf + 1);
        buffer_offset_ += lf + 1;
        discarding_ = false;
        // What follows may itself be overlong already.
        if (buffer_.find('\n') == std::string::npos && buffer_.size() > max_line_ + 1) {
            discarding_ = true;
            discard_start_ = buffer_offset_;
            buffer_offset_ += buffer_.size();
            buffer_.clear();
        }
        return event;
    }
    if (lf == std::string::npos) return event;  // need_more
    const bool crlf = lf > 0 && buffer_[lf - 1] == '\r';
    const std::size_t length = crlf ? lf - 1 : lf;
    event.offset = buffer_offset_;
    if (length > max_line_) {
        event.kind = LineEventKind::too_long;
    } else {
        event.kind = LineEventKind::line;
        event.text.assign(buffer_, 0, length);
        event.bare_lf = !crlf;
    }
    buffer_.erase(0, lf + 1);
    buffer_offset_ += lf + 1;
    if (buffer_.find('\n') == std::string::npos && buffer_.size() > max_line_ + 1) {
        discarding_ = true;
        discard_start_ = buffer_offset_;
        buffer_offset_ += buffer_.size();
        buffer_.clear();
    }
    return event;
}

std::string LineSplitter::take_buffered() {
    std::string out;
    out.swap(buffer_);
    buffer_offset_ += out.size();
    discarding_ = false;
    return out;
}

}  // namespace mailspec::protocol::smtp
