// SMTP command lines as the reference server reads them: the line splitter (limit as in
// smtp_session.cpp), the verb/argument split (RFC 5321 §4.1.1), then the argument grammar of the
// verb: EHLO/HELO domain, MAIL FROM and RCPT TO paths with their ESMTP parameters.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/smtp/address.hpp"
#include "mailspec/protocol/smtp/command.hpp"
#include "mailspec/protocol/smtp/line_splitter.hpp"

using namespace mailspec;
using namespace mailspec::protocol::smtp;

namespace {
constexpr std::size_t kMaxAuthLine = 12288 - 2;  // smtp_session.cpp: RFC 4954 §4

void check_error(const ParseError& e, std::string_view text) { FUZZ_CHECK(e.offset <= text.size()); }

void handle(const std::string& line) {
    FUZZ_CHECK(line.size() <= kMaxAuthLine);
    FUZZ_CHECK(line.find('\n') == std::string::npos);
    auto command = parse_command_line(line);
    if (!command) {
        check_error(command.error(), line);
        FUZZ_CHECK(!command.error().message.empty());
        return;
    }
    const std::string& verb = command->verb;
    const std::string& args = command->arguments;
    FUZZ_CHECK(!verb.empty() && verb.size() <= 16);
    if (verb == "EHLO" || verb == "HELO") {
        auto d = parse_hello_domain(args);
        if (!d) check_error(d.error(), args);
    } else if (verb == "MAIL") {
        auto m = parse_mail_from(args);
        if (!m) check_error(m.error(), args);
        else if (m->sender) FUZZ_CHECK(m->sender->local_part.size() <= max_local_part);
    } else if (verb == "RCPT") {
        auto r = parse_rcpt_to(args);
        if (!r) check_error(r.error(), args);
        else FUZZ_CHECK(r->recipient.domain.size() <= max_domain);
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view input = fuzz::as_view(data, size);
    LineSplitter splitter(kMaxAuthLine);
    std::uint64_t last_offset = 0;
    for (std::string_view chunk : fuzz::chunks_of(input)) {
        splitter.feed(chunk);
        for (;;) {
            LineEvent e = splitter.next();
            if (e.kind == LineEventKind::need_more) break;
            FUZZ_CHECK(e.offset >= last_offset && e.offset <= size);
            last_offset = e.offset;
            if (e.kind == LineEventKind::line) handle(e.text);
        }
    }
    FUZZ_CHECK(splitter.take_buffered().size() <= kMaxAuthLine + 2);
    return 0;
}
