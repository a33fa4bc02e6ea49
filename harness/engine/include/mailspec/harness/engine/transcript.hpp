#pragma once
// The transcript of a scenario run (STYLE.md #8): "C:" what the client sent, "S:" what the server
// sent, "*" notes (connect, TLS, timeouts). Bytes are shown with core::visible, one protocol line
// per transcript line. Sessions other than "default" are prefixed with their name. Very long data
// is cut (the cut is noted) so a hostile server cannot make reports unbounded.
//
// Secrets (passwords, SASL responses, their quoted forms) registered with add_secret() are replaced
// by "<redacted>" in everything recorded afterwards, in both directions and in notes, before any
// escaping: no report ever sees them (docs/scenario-format.md, "Secrets").
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::harness::engine {

class Transcript {
public:
    explicit Transcript(std::size_t max_bytes = 256 * 1024) : max_bytes_(max_bytes) {}
    void client(const std::string& session, std::string_view bytes) { add(session, "C: ", bytes); }
    void server(const std::string& session, std::string_view bytes) { add(session, "S: ", bytes); }
    void note(const std::string& session, std::string_view text);
    const std::string& text() const { return text_; }

    // Registers a value to redact (empty values are ignored; longer secrets are replaced first).
    void add_secret(std::string secret);
    // `text` with every registered secret replaced by "<redacted>".
    std::string redact(std::string_view text) const;

private:
    void add(const std::string& session, const char* direction, std::string_view bytes);
    void append(std::string_view s);
    std::size_t max_bytes_;
    bool truncated_ = false;
    std::string text_;
    std::vector<std::string> secrets_;  // longest first
};

}  // namespace mailspec::harness::engine
