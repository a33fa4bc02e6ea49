// Differential: a reply the server's writer formats (format_reply, RFC 5321 §4.2, RFC 2034 enhanced
// codes) is framed back by the runner's reply parser with the same code and lines.
// The input gives the code (first 2 bytes, mapped into the grammar), the enhanced code (next 3), then the lines, one per LF;
// CR and LF are not allowed inside reply text, so the writer's callers never pass them.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/client/smtp_reply.hpp"
#include "mailspec/protocol/smtp/reply.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput || size < 5) return 0;
    // Reply-code = %x32-35 %x30-35 %x30-39 (RFC 5321 §4.2).
    const int code = (2 + data[0] % 4) * 100 + data[1] % 6 * 10 + data[1] / 6 % 10;
    std::optional<smtp::EnhancedStatus> enhanced;
    if (data[2] & 1) enhanced = smtp::EnhancedStatus{code / 100 == 3 ? 2 : code / 100, data[3] % 10, data[4] % 100};
    std::vector<std::string> lines;
    std::string current;
    for (std::size_t i = 5; i < size; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\n') {
            lines.push_back(current);
            current.clear();
        } else if (c != '\r') {
            current += c;
        }
    }
    if (!current.empty() || lines.empty()) lines.push_back(current);
    const std::string wire = smtp::format_reply(code, enhanced, lines);

    client::SmtpReply reply;
    std::size_t consumed = 0;
    client::FrameError error;
    const client::FrameLimits limits;
    bool over_limit = false;
    for (const std::string& l : lines) over_limit |= l.size() + 16 > limits.max_line;
    const auto status = client::frame_smtp_reply(wire, limits, reply, consumed, error);
    if (over_limit) return 0;  // the runner refuses lines over its limit: an error is right
    FUZZ_CHECK(status == client::FrameStatus::complete);
    FUZZ_CHECK(consumed == wire.size());
    FUZZ_CHECK(reply.code == code);
    FUZZ_CHECK(reply.lines.size() == lines.size());
    const std::string prefix = enhanced ? enhanced->to_string() + " " : std::string();
    for (std::size_t i = 0; i < lines.size(); ++i) FUZZ_CHECK(reply.lines[i] == prefix + lines[i]);
    return 0;
}
