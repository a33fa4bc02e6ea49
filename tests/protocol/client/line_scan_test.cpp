// The memchr-based line scanner against a byte-at-a-time reference of the same rules, over random
// inputs and limits; and every framer over random and mutated inputs (no crash, split-consistent).
#include "line_scan.hpp"

#include <gtest/gtest.h>

#include <random>

#include "feed.hpp"
#include "mailspec/protocol/client/imap_response.hpp"
#include "mailspec/protocol/client/pop3_response.hpp"
#include "mailspec/protocol/client/smtp_reply.hpp"

namespace mailspec::protocol::client {
namespace {

struct RefResult {
    FrameStatus status;
    std::size_t offset_or_next;
};

// The rules of detail::scan_line, one byte at a time in order.
RefResult reference_scan(std::string_view b, std::size_t begin, const FrameLimits& limits,
                         bool allow_bare_cr) {
    for (std::size_t i = begin; i < b.size(); ++i) {
        if (i >= limits.max_response) return {FrameStatus::error, i};
        if (b[i] == '\n') return {FrameStatus::error, i};
        if (b[i] == '\r') {
            if (i + 1 >= b.size()) return {FrameStatus::need_more, 0};
            if (b[i + 1] == '\n') {
                if (i + 2 > limits.max_response) return {FrameStatus::error, i + 1};
                return {FrameStatus::complete, i + 2};
            }
            if (!allow_bare_cr) return {FrameStatus::error, i};
        }
        if (i - begin >= limits.max_line) return {FrameStatus::error, i};
    }
    return {FrameStatus::need_more, 0};
}

std::string random_bytes(std::mt19937& rng, std::size_t max_len) {
    static const char alphabet[] = {'a', 'b', '\r', '\n', '.', ' ', '{', '}', '1', '+', '\0'};
    std::uniform_int_distribution<std::size_t> len(0, max_len);
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1);
    std::string s(len(rng), 'x');
    for (char& c : s) c = alphabet[pick(rng)];
    return s;
}

TEST(LineScan, MatchesByteAtATimeReference) {
    std::mt19937 rng(12345);
    std::uniform_int_distribution<std::size_t> small(0, 12);
    for (int round = 0; round < 20000; ++round) {
        const std::string input = random_bytes(rng, 24);
        FrameLimits limits;
        limits.max_line = small(rng);
        limits.max_response = small(rng) * 2;
        const bool allow_cr = (round % 2) == 0;
        const std::size_t begin = std::min(input.size(), small(rng) % 4);
        if (begin > limits.max_response) continue;  // framers never start a line past the limit
        detail::Line line;
        FrameError error;
        const FrameStatus got = detail::scan_line(input, begin, limits, allow_cr, "line", line, error);
        const RefResult want = reference_scan(input, begin, limits, allow_cr);
        SCOPED_TRACE("input \"" + core::visible(input) + "\" begin " + std::to_string(begin) +
                     " max_line " + std::to_string(limits.max_line) + " max_response " +
                     std::to_string(limits.max_response));
        ASSERT_EQ(got, want.status) << error.message;
        if (got == FrameStatus::complete) {
            ASSERT_EQ(line.next, want.offset_or_next);
        }
        if (got == FrameStatus::error) {
            ASSERT_EQ(error.offset, want.offset_or_next) << error.message;
        }
    }
}

TEST(LineScan, UnlimitedLineLengthDoesNotOverflow) {
    FrameLimits limits;
    limits.max_line = SIZE_MAX;
    limits.max_response = SIZE_MAX;
    detail::Line line;
    FrameError error;
    EXPECT_EQ(detail::scan_line("abc\r\n", 1, limits, false, "line", line, error), FrameStatus::complete);
    EXPECT_EQ(line.next, 5u);
}

// Random and mutated inputs through every framer: never a crash, results consistent across
// splits, consumed within the buffer, error offsets inside the buffer.
TEST(Framers, SurviveRandomAndMutatedInputs) {
    const std::vector<std::string> seeds = {
        "250-a\r\n250 b\r\n", "+OK 2\r\n1 2\r\n..x\r\n.\r\n", "* 1 FETCH (BODY[] {3}\r\nabc)\r\n",
        "a1 OK done\r\n", "+ go\r\n", "-ERR no\r\n"};
    std::mt19937 rng(777);
    std::uniform_int_distribution<int> byte(0, 255);
    FrameLimits limits;
    limits.max_line = 20;
    limits.max_response = 40;
    for (int round = 0; round < 1500; ++round) {
        std::string input;
        if (round % 3 == 0) {
            input = random_bytes(rng, 30);
        } else {
            input = seeds[static_cast<std::size_t>(round) % seeds.size()];
            const int edits = 1 + round % 3;
            for (int e = 0; e < edits && !input.empty(); ++e) {
                const std::size_t at = static_cast<std::size_t>(byte(rng)) % input.size();
                input[at] = static_cast<char>(byte(rng));
            }
        }
        const auto check = [&](auto run) {
            if (run.status == FrameStatus::complete) {
                EXPECT_LE(run.consumed, input.size());
                EXPECT_GT(run.consumed, 0u);
            } else if (run.status == FrameStatus::error) {
                EXPECT_LE(run.error.offset, input.size());
                EXPECT_FALSE(run.error.message.empty());
            }
        };
        check(testing::run_all_splits<SmtpReply>(
            [&](std::string_view b, SmtpReply& o, std::size_t& c, FrameError& e) {
                return frame_smtp_reply(b, limits, o, c, e);
            },
            input, [](const SmtpReply& a, const SmtpReply& b) { return a.raw == b.raw && a.lines == b.lines; }));
        check(testing::run_all_splits<Pop3Response>(
            [&](std::string_view b, Pop3Response& o, std::size_t& c, FrameError& e) {
                return frame_pop3_response(b, true, limits, o, c, e);
            },
            input, [](const Pop3Response& a, const Pop3Response& b) { return a.raw == b.raw && a.body == b.body; }));
        check(testing::run_all_splits<ImapResponseLine>(
            [&](std::string_view b, ImapResponseLine& o, std::size_t& c, FrameError& e) {
                return frame_imap_response(b, limits, o, c, e);
            },
            input, [](const ImapResponseLine& a, const ImapResponseLine& b) { return a.raw == b.raw && a.text == b.text; }));
    }
}

TEST(Framers, LargeMultilineBodyFramesQuicklyWhenReframedOnEveryRead) {
    // A caller framing again after each 16 KiB read of a 4 MiB POP3 body: the scan must stay cheap.
    std::string body = "+OK\r\n";
    while (body.size() < 4 * 1024 * 1024) body += std::string(70, 'm') + "\r\n";
    body += ".\r\n";
    const auto start = std::chrono::steady_clock::now();
    Pop3Response out;
    std::size_t consumed = 0;
    FrameError error;
    FrameStatus status = FrameStatus::need_more;
    for (std::size_t have = 16384; status == FrameStatus::need_more; have += 16384) {
        status = frame_pop3_response(std::string_view(body).substr(0, std::min(have, body.size())),
                                     true, FrameLimits{}, out, consumed, error);
    }
    EXPECT_EQ(status, FrameStatus::complete) << error.message;
    EXPECT_EQ(consumed, body.size());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

}  // namespace
}  // namespace mailspec::protocol::client
