// POP3 command lines as the reference server reads them (RFC 1939 §3, RFC 2449 §4): the line
// splitter (limit as in pop3_session.cpp), keyword and parameters, message numbers and TOP counts.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/pop3/command.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

namespace {
constexpr std::size_t kMaxSaslLine = 12288 - 2;  // pop3_session.cpp

void handle(const std::string& line) {
    auto c = pop3::parse_command(line);
    if (!c) {
        FUZZ_CHECK(c.error().offset <= line.size());
        FUZZ_CHECK(!c.error().message.empty());
        return;
    }
    FUZZ_CHECK(c->keyword.size() >= 3 && c->keyword.size() <= 4);
    for (const std::string& p : c->params) {
        FUZZ_CHECK(!p.empty() && p.find(' ') == std::string::npos);
        if (auto n = pop3::parse_message_number(p)) FUZZ_CHECK(n.value() > 0);
        else FUZZ_CHECK(n.error().offset <= p.size());
        if (auto n = pop3::parse_line_count(p); !n) FUZZ_CHECK(n.error().offset <= p.size());
    }
    if (!c->params.empty()) FUZZ_CHECK(c->rest.size() <= line.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view input = fuzz::as_view(data, size);
    smtp::LineSplitter splitter(kMaxSaslLine);
    for (std::string_view chunk : fuzz::chunks_of(input)) {
        splitter.feed(chunk);
        for (smtp::LineEvent e = splitter.next(); e.kind != smtp::LineEventKind::need_more; e = splitter.next())
            if (e.kind == smtp::LineEventKind::line) handle(e.text);
    }
    // The whole input as one line (what a test table gives), and as one parameter.
    handle(std::string(input.substr(0, std::min(input.size(), kMaxSaslLine))));
    if (auto n = pop3::parse_message_number(input)) {  // 1*DIGIT: leading zeros allowed
        const std::size_t first = input.find_first_not_of('0');
        FUZZ_CHECK(first != std::string_view::npos && std::to_string(n.value()) == input.substr(first));
    }
    return 0;
}
