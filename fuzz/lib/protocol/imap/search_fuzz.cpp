// IMAP SEARCH keys (RFC 3501 §6.4.4): "t SEARCH <input>" parsed by the command parser, the keys by
// parse_search (the server's call, cmd_search.cpp), then evaluated against a small message.
#include "common/imap_support.hpp"
#include "mailspec/protocol/imap/search.hpp"

using namespace mailspec;
using namespace mailspec::protocol::imap;

namespace {
constexpr std::string_view kMessage =
    "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n"
    "Date: Tue, 1 Dec 2026 10:00:00 +0100\r\nMessage-ID: <1@example.test>\r\n\r\nHello body\r\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string text = "t SEARCH " + std::string(fuzz::as_view(data, size)) + "\r\n";
    auto command = fuzz::parse_one(text, fuzz::server_limits());
    if (!command) return 0;
    std::string error;
    auto query = parse_search(command->args, error);
    if (!query) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    SearchMessage message;
    message.sequence = 3;
    message.uid = 42;
    message.flags = {"\\Seen", "$Label"};
    message.recent = true;
    message.internal_date = DateTime{1795000000, 60};
    message.size = kMessage.size();
    message.raw = kMessage;
    const SearchContext context{7, 99};
    (void)search_matches(query->root, message, context);
    message.raw = std::string_view();
    message.flags.clear();
    (void)search_matches(query->root, message, SearchContext{});
    return 0;
}
