// The server's IMAP command parser (RFC 3501 §9; RFC 7888 LITERAL+ and LITERAL-): tags, atoms,
// quoted strings, literals, lists, pipelined commands, resynchronisation after errors, in arbitrary
// chunks with continuations answered. Differential: the chunked run and the whole-buffer run give
// the same sequence of commands and errors.
#include "common/imap_support.hpp"

using namespace mailspec;
using namespace mailspec::protocol::imap;

namespace {
struct Result {
    ParseStatus status;
    Command command;
    std::string message;
    bool fatal = false;
};

std::vector<Result> run(std::string_view input, const std::vector<std::string_view>& chunks, bool plus) {
    std::vector<Result> out;
    fuzz::drive_command_parser(input, chunks, fuzz::server_limits(plus), [&](const fuzz::ParsedCommand& r) {
        out.push_back({r.status, r.command, r.error.message, r.error.fatal});
        if (r.status == ParseStatus::complete) {
            FUZZ_CHECK(!r.command.tag.empty() && !r.command.name.empty());
            for (const Arg& a : r.command.args) FUZZ_CHECK(a.offset < r.command.size);
        }
    });
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view input = fuzz::as_view(data, size);
    const std::vector<std::string_view> chunked = fuzz::chunks_of(input);
    for (bool plus : {true, false}) {
        const std::vector<Result> whole = run(input, {input}, plus);
        const std::vector<Result> split = run(input, chunked, plus);
        FUZZ_CHECK(whole.size() == split.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
            FUZZ_CHECK(whole[i].status == split[i].status);
            FUZZ_CHECK(whole[i].fatal == split[i].fatal);
            if (whole[i].status == ParseStatus::complete)
                FUZZ_CHECK(fuzz::same_command(whole[i].command, split[i].command));
        }
    }
    return 0;
}
