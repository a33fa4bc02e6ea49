#include "mailspec/protocol/smtp/data_reader.hpp"

namespace mailspec::protocol::smtp {

void DataReader::put(char c) {
    ++line_length_;
    ++size_;
    if (size_ > max_size_) {
        too_large_ = true;
        return;
    }
    content_.push_back(c);
}

// A byte inside a line (not at its start), in state in_line or cr.
void DataReader::put_text(char c) {
    if (state_ == State::cr) {
        if (c == '\n') {
            put('\r');
            put('\n');
            end_line(2);
            return;
        }
        bare_line_ending_ = true;  // CR not followed by LF
        put('\r');
        state_ = State::in_line;
    }
    if (c == '\r') {
        state_ = State::cr;
        return;
    }
    if (c == '\n') {
        bare_line_ending_ = true;  // LF without CR: data, never a line end (unless the fault)
        if (bare_lf_ends_) {
            put(c);
            end_line(1);
            return;
        }
    }
    put(c);
    state_ = State::in_line;
}

void DataReader::end_line(std::size_t terminator) {
    line_length_ -= terminator;
    if (line_length_ > longest_line_) longest_line_ = line_length_;
    line_length_ = 0;
    state_ = State::line_start;
}

std::size_t DataReader::feed(std::string_view bytes) {
    std::size_t i = 0;
    for (; i < bytes.size() && state_ != State::done; ++i) {
        const char c = bytes[i];
        switch (state_) {
        case State::line_start:
            if (c == '.') {
                state_ = State::dot;
            } else {
                state_ = State::in_line;
                put_text(c);
            }
            break;
        case State::dot:
            if (c == '\r') {
                state_ = State::dot_cr;
            } else if (c == '\n' && bare_lf_ends_) {
                state_ = State::done;  // fault: "." LF ends the data
            } else {
                // "." followed by more text: the leading dot is transparency stuffing.
                if (!unstuff_) put('.');
                state_ = State::in_line;
                put_text(c);
            }
            break;
        case State::dot_cr:
            if (c == '\n') {
                state_ = State::done;  // CRLF "." CRLF
            } else {
                // "." CR x: a line that starts with a dot and goes on; the CR is data.
                if (!unstuff_) put('.');
                state_ = State::cr;
                put_text(c);
            }
            break;
        case State::in_line:
        case State::cr:
            put_text(c);
            break;
        case State::done:
            break;
        }
    }
    return i;
}

}  // namespace mailspec::protocol::smtp
