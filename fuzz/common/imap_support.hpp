#pragma once
// IMAP helpers of the fuzz targets: drive the server's command parser over a buffer the way
// imap_session.cpp does (production limits, continuations answered, consumed bytes dropped).
#include <functional>
#include <optional>

#include "common/fuzz_support.hpp"
#include "mailspec/protocol/imap/command_parser.hpp"

namespace mailspec::fuzz {

// The limits imap_session.cpp sets from the default server configuration.
inline protocol::imap::ParserLimits server_limits(bool literal_plus = true) {
    protocol::imap::ParserLimits limits;
    limits.max_line = 8192;
    limits.max_literal = 32 * 1024 * 1024;
    limits.literal_plus = literal_plus;
    return limits;
}

struct ParsedCommand {
    protocol::imap::ParseStatus status;  // complete or error
    protocol::imap::Command command;
    protocol::imap::ParseError error;
    std::size_t consumed = 0;
};

// Parses every command in `input`, fed as `chunks`; calls `on_result` for each complete command or
// error. Checks the parser's contract: consumed within the buffer, progress on every result.
inline void drive_command_parser(std::string_view input, const std::vector<std::string_view>& chunks,
                                 const protocol::imap::ParserLimits& limits,
                                 const std::function<void(const ParsedCommand&)>& on_result) {
    using protocol::imap::ParseStatus;
    protocol::imap::CommandParser parser(limits);
    std::string buffer;
    std::size_t next_chunk = 0;
    for (std::size_t guard = 0;; ++guard) {
        FUZZ_CHECK(guard < 4 * input.size() + 16);  // every round consumes or appends
        ParsedCommand r;
        r.status = parser.parse(buffer, r.command, r.consumed, r.error);
        FUZZ_CHECK(r.consumed <= buffer.size());
        if (r.status == ParseStatus::complete || r.status == ParseStatus::error) {
            if (r.status == ParseStatus::complete) {
                FUZZ_CHECK(r.consumed > 0 && r.command.size == r.consumed);
            } else {
                FUZZ_CHECK(!r.error.message.empty() && r.error.offset <= buffer.size());
                if (!r.error.fatal) FUZZ_CHECK(r.consumed > 0);
            }
            on_result(r);
            if (r.status == ParseStatus::error && r.error.fatal) return;
            buffer.erase(0, r.consumed);
            continue;
        }
        if (r.status == ParseStatus::need_continuation) {
            parser.continuation_sent();  // the server sends "+ ..." and parses again
            continue;
        }
        if (next_chunk == chunks.size()) return;
        buffer.append(chunks[next_chunk++]);
    }
}

// The first complete command of `text` fed whole, or nothing.
inline std::optional<protocol::imap::Command> parse_one(std::string_view text,
                                                        const protocol::imap::ParserLimits& limits) {
    std::optional<protocol::imap::Command> out;
    bool first = true;
    drive_command_parser(text, {text}, limits, [&](const ParsedCommand& r) {
        if (first && r.status == protocol::imap::ParseStatus::complete) out = r.command;
        first = false;
    });
    return out;
}

inline bool same_arg(const protocol::imap::Arg& a, const protocol::imap::Arg& b) {
    if (a.kind != b.kind || a.value != b.value || a.items.size() != b.items.size()) return false;
    for (std::size_t i = 0; i < a.items.size(); ++i)
        if (!same_arg(a.items[i], b.items[i])) return false;
    return true;
}

inline bool same_command(const protocol::imap::Command& a, const protocol::imap::Command& b) {
    if (a.tag != b.tag || a.name != b.name || a.size != b.size || a.args.size() != b.args.size()) return false;
    for (std::size_t i = 0; i < a.args.size(); ++i)
        if (!same_arg(a.args[i], b.args[i])) return false;
    return true;
}

}  // namespace mailspec::fuzz
