// IMAP FETCH items and sections (RFC 3501 §6.4.5): "t FETCH 1 <input>" parsed by the command
// parser, args[1] by parse_fetch_items (the server's call, cmd_fetch.cpp), each item's response
// name and the section range it selects in a small multipart message.
#include "common/imap_support.hpp"
#include "mailspec/protocol/imap/fetch_items.hpp"
#include "mailspec/protocol/mime/message.hpp"

using namespace mailspec;
using namespace mailspec::protocol;

namespace {
constexpr std::string_view kMessage =
    "From: a@example.test\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
    "Subject: inner\r\n\r\ntwo\r\n--b--\r\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string text = "t FETCH 1 " + std::string(fuzz::as_view(data, size)) + "\r\n";
    auto command = fuzz::parse_one(text, fuzz::server_limits());
    if (!command || command->args.size() < 2) return 0;
    std::string error;
    auto items = imap::parse_fetch_items(command->args[1], error);
    if (!items) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    static const mime::Part tree = mime::parse_message(kMessage);
    for (const imap::FetchItem& item : *items) {
        FUZZ_CHECK(!item.response_name().empty());
        (void)item.sets_seen();
        if (item.kind == imap::FetchItem::Kind::body_section) {
            if (auto range = mime::section_range(tree, item.path, item.text)) {
                FUZZ_CHECK(range->first <= range->second && range->second <= kMessage.size());
                if (item.text == mime::SectionText::header_fields ||
                    item.text == mime::SectionText::header_fields_not)
                    (void)mime::filter_header_fields(
                        kMessage.substr(range->first, range->second - range->first), item.fields,
                        item.text == mime::SectionText::header_fields_not);
            }
        }
    }
    return 0;
}
