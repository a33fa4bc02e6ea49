#pragma once
// The transcript of a scenario run (STYLE.md #8): "C:" what the client sent, "S:" what the server
// sent, "*" notes (connect, TLS, timeouts). Bytes are shown with core::visible, one protocol line
// per transcript line. Sessions other than "default" are prefixed with their name. Very long data
// is cut (the cut is noted) so a hostile server cannot make reports unbounded.
#include <cstddef>
#include <string>
#include <string_view>

namespace mailspec::harness::engine {

class Transcript {
public:
    explicit Transcript(std::size_t max_bytes = 256 * 1024) : max_bytes_(max_bytes) {}
    void client(const std::string& session, std::string_view bytes) { add(session, "C: ", bytes); }
    void server(const std::string& session, std::string_view bytes) { add(session, "S: ", bytes); }
    void note(const std::string& session, std::string_view text);
    const std::string& text() const { return text_; }

private:
    void add(const std::string& session, const char* direction, std::string_view bytes);
    void append(std::string_view s);
    std::size_t max_bytes_;
    bool truncated_ = false;
    std::string text_;
};

}  // namespace mailspec::harness::engine
