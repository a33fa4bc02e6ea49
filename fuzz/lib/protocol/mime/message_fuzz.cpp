// Message structure (RFC 2045/2046 multipart, message/rfc822 nesting, depth limit) and what the
// IMAP server renders from it: BODY / BODYSTRUCTURE and ENVELOPE (RFC 3501 §7.4.2), section ranges
// and HEADER.FIELDS filtering. Differential: the rendered BODYSTRUCTURE and ENVELOPE frame as one
// FETCH response in the runner's framer, and read back as one list in the server's command parser.
#include "common/imap_support.hpp"
#include "mailspec/protocol/client/imap_response.hpp"
#include "mailspec/protocol/imap/body_structure.hpp"
#include "mailspec/protocol/mime/message.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

namespace {
void check_part(const mime::Part& part, std::size_t size, std::size_t depth) {
    FUZZ_CHECK(depth <= 64);
    FUZZ_CHECK(part.begin <= part.body_begin && part.body_begin <= part.end && part.end <= size);
    for (const mime::Part& child : part.children) {
        FUZZ_CHECK(child.begin >= part.body_begin && child.end <= part.end);
        check_part(child, size, depth + 1);
    }
}

void check_rendered(const std::string& item) {
    const std::string wire = "* 1 FETCH (X " + item + ")\r\n";
    client::ImapResponseLine r;
    std::size_t consumed = 0;
    client::FrameError error;
    FUZZ_CHECK(client::frame_imap_response(wire, client::FrameLimits{}, r, consumed, error) ==
               client::FrameStatus::complete);
    FUZZ_CHECK(consumed == wire.size());
    imap::ParserLimits limits = fuzz::server_limits();
    limits.max_line = 1 << 30;  // a response, not a client line: its size is not the server's limit
    limits.max_depth = 1 << 10;
    auto command = fuzz::parse_one("t X " + item + "\r\n", limits);
    FUZZ_CHECK(command.has_value() && command->args.size() == 1 && command->args[0].is_list());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view raw = fuzz::as_view(data, size);
    const mime::Part root = mime::parse_message(raw);
    check_part(root, size, 0);
    check_rendered(imap::render_body_structure(root, false));
    check_rendered(imap::render_body_structure(root, true));
    check_rendered(imap::render_envelope(root.header));
    fuzz::Splits splits(raw);
    for (int i = 0; i < 4; ++i) {
        std::vector<unsigned> path;
        for (int d = splits.next() % 4; d > 0; --d) path.push_back(1 + splits.next() % 3);
        const auto text = static_cast<mime::SectionText>(splits.next() % 6);
        if (auto range = mime::section_range(root, path, text)) {
            FUZZ_CHECK(range->first <= range->second && range->second <= size);
            (void)mime::filter_header_fields(raw.substr(range->first, range->second - range->first),
                                             {"Subject", "FROM"}, splits.bit());
        }
    }
    return 0;
}
