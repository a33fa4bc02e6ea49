// Differential: what the IMAP response writer renders (quote, literal, astring, nstring, tagged /
// untagged status lines; RFC 3501 §4.3, §7.1) is framed back by the runner's response framer as one
// response of the right kind, and a string it renders is read back identically by the server's
// command parser. The input is the string value; the first line of it also serves as tag and text.
#include "common/imap_support.hpp"
#include "mailspec/protocol/client/imap_response.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

namespace {
client::ImapResponseLine frame_whole(const std::string& wire) {
    client::ImapResponseLine r;
    std::size_t consumed = 0;
    client::FrameError error;
    const auto status = client::frame_imap_response(wire, client::FrameLimits{}, r, consumed, error);
    FUZZ_CHECK(status == client::FrameStatus::complete);
    FUZZ_CHECK(consumed == wire.size());
    return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string value(fuzz::as_view(data, size));

    // Strings inside an untagged FETCH response.
    for (const std::string& rendered : {imap::quote(value), imap::literal(value), imap::astring(value),
                                        imap::nstring(value), imap::nstring(std::nullopt)}) {
        const std::string wire = "* 1 FETCH (X " + rendered + ")\r\n";
        const auto r = frame_whole(wire);
        FUZZ_CHECK(r.kind == client::ImapResponseLine::Kind::untagged);
        FUZZ_CHECK(r.text == wire.substr(0, wire.size() - 2));
    }
    // The same strings as command arguments: the server's parser reads back the value.
    const imap::ParserLimits limits = fuzz::server_limits();
    for (const std::string& rendered : {imap::quote(value), imap::literal(value), imap::astring(value)}) {
        auto command = fuzz::parse_one("t X " + rendered + "\r\n", limits);
        FUZZ_CHECK(command.has_value());
        FUZZ_CHECK(command->args.size() == 1 && command->args[0].is_astring());
        FUZZ_CHECK(command->args[0].value == value);
    }
    // Status lines: tag and text are single-line by contract (the session never passes CR or LF).
    std::string line = value.substr(0, value.find_first_of("\r\n"));
    // A text ending in "}" could read as a literal announcement "{n}": the runner's framer (like
    // common clients, imap_response.hpp) takes it as one, so the writer's callers must not end
    // resp-text with "}" (docs/fuzzing.md, "Findings").
    if (!line.empty() && line.back() == '}') line += '.';
    std::string tag = imap::astring(line.substr(0, 16));
    if (tag.empty() || tag.find_first_of("\"{}()*+%\\ \r\n") != std::string::npos || tag[0] == '*') tag = "a1";
    for (const char* status : {"OK", "NO", "BAD"}) {
        const auto t = frame_whole(imap::tagged(tag, status, "", line));
        FUZZ_CHECK(t.kind == client::ImapResponseLine::Kind::tagged && t.tag == tag && t.status == status);
        const auto u = frame_whole(imap::untagged(status, "ALERT", line));
        FUZZ_CHECK(u.kind == client::ImapResponseLine::Kind::untagged && u.status == status);
    }
    return 0;
}
