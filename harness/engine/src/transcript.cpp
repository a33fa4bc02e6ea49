#include "mailspec/harness/engine/transcript.hpp"

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::engine {
namespace {
constexpr std::size_t max_entry_bytes = 8 * 1024;  // bytes of one send/receive shown
}

void Transcript::append(std::string_view s) {
    if (truncated_) return;
    if (text_.size() + s.size() > max_bytes_) {
        text_.append(s.substr(0, max_bytes_ > text_.size() ? max_bytes_ - text_.size() : 0));
        text_ += "\n* transcript truncated\n";
        truncated_ = true;
        return;
    }
    text_.append(s);
}

void Transcript::note(const std::string& session, std::string_view text) {
    std::string line = session == "default" ? "" : session + " ";
    line += "* ";
    line += core::visible(text);
    line += '\n';
    append(line);
}

void Transcript::add(const std::string& session, const char* direction, std::string_view bytes) {
    const std::string prefix = (session == "default" ? "" : session + " ") + direction;
    std::string_view shown = bytes.substr(0, std::min(bytes.size(), max_entry_bytes));
    std::string out;
    std::size_t start = 0;
    while (start < shown.size()) {
        auto lf = shown.find('\n', start);
        const std::size_t end = lf == std::string_view::npos ? shown.size() : lf + 1;
        out += prefix;
        out += core::visible(shown.substr(start, end - start));
        out += '\n';
        start = end;
    }
    if (shown.size() < bytes.size()) {
        out += prefix + "... (" + std::to_string(bytes.size() - shown.size()) + " more bytes not shown)\n";
    }
    append(out);
}

}  // namespace mailspec::harness::engine
