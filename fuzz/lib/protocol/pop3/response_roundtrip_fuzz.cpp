// Differential: POP3 responses the server writes (ok/err, multi-line bodies with byte-stuffing,
// RFC 1939 §3; TOP, §7) framed back by the runner's POP3 response parser: the body lines come back
// unstuffed and equal to the content's lines. The input is the content.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/client/pop3_response.hpp"
#include "mailspec/protocol/pop3/response.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

namespace {
// The content's lines as multiline_body splits them: at LF, a CR before the LF dropped.
std::vector<std::string> lines_of(std::string_view content) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < content.size()) {
        std::size_t lf = content.find('\n', start);
        const bool last = lf == std::string_view::npos;
        if (last) lf = content.size();
        std::size_t end = lf;
        if (end > start && content[end - 1] == '\r') --end;
        out.emplace_back(content.substr(start, end - start));
        start = last ? content.size() : lf + 1;
    }
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view content = fuzz::as_view(data, size);
    const client::FrameLimits limits;
    const std::vector<std::string> expected = lines_of(content);
    bool bare_cr = false;  // a CR not before LF cannot travel inside a CRLF-framed line
    for (std::size_t i = 0; i < content.size(); ++i)
        if (content[i] == '\r' && (i + 1 == content.size() || content[i + 1] != '\n')) bare_cr = true;
    bool long_line = false;
    for (const std::string& l : expected) long_line |= l.size() + 1 > limits.max_line;

    const std::string wire = pop3::ok("follows") + pop3::multiline_body(content);
    client::Pop3Response r;
    std::size_t consumed = 0;
    client::FrameError error;
    const auto status = client::frame_pop3_response(wire, true, limits, r, consumed, error);
    if (!bare_cr && !long_line) {
        FUZZ_CHECK(status == client::FrameStatus::complete);
        FUZZ_CHECK(consumed == wire.size());
        FUZZ_CHECK(r.status == "+OK");
        FUZZ_CHECK(r.body == expected);
    }
    // Status lines with arbitrary text (no line breaks, as callers pass) frame as one line.
    std::string text(content.substr(0, std::min<std::size_t>(content.size(), 400)));
    for (char& c : text)
        if (c == '\r' || c == '\n') c = ' ';
    // (A -ERR line is single-line even where a multi-line response was asked for.)
    const std::pair<std::string, bool> lines[] = {
        {pop3::ok(text), false}, {pop3::err(text), true}, {pop3::err("IN-USE", text, {}), true}};
    for (const auto& [line, multiline] : lines) {
        client::Pop3Response s;
        FUZZ_CHECK(client::frame_pop3_response(line, multiline, limits, s, consumed, error) ==
                   client::FrameStatus::complete);
        FUZZ_CHECK(consumed == line.size() && s.body.empty());
    }
    // TOP gives a prefix of the message.
    const std::string top = pop3::top_of_message(content, static_cast<std::uint32_t>(size % 7));
    FUZZ_CHECK(top.size() <= content.size() && content.substr(0, top.size()) == top);
    return 0;
}
