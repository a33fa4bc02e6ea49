#include "mailspec/harness/engine/transcript.hpp"

#include <algorithm>

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

void Transcript::add_secret(std::string secret) {
    if (secret.empty() || std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
    secrets_.push_back(std::move(secret));
    std::stable_sort(secrets_.begin(), secrets_.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Transcript::redact(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : secrets_) {
        for (std::size_t at = 0; (at = out.find(secret, at)) != std::string::npos;) {
            out.replace(at, secret.size(), "<redacted>");
            at += 10;
        }
    }
    return out;
}

void Transcript::note(const std::string& session, std::string_view text) {
    std::string line = session == "default" ? "" : session + " ";
    line += "* ";
    line += core::visible(redact(text));
    line += '\n';
    append(line);
}

void Transcript::add(const std::string& session, const char* direction, std::string_view bytes) {
    const std::string prefix = (session == "default" ? "" : session + " ") + direction;
    const std::string clean = secrets_.empty() ? std::string() : redact(bytes);
    if (!secrets_.empty()) bytes = clean;
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
