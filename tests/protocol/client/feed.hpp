#pragma once
// Test helper: runs a framer over an input whole, then as a caller that appends bytes and re-calls
// the framer would, (a) one byte at a time and (b) in two chunks split at every byte, and checks
// every run ends with the same status, consumed count, error offset and framed value.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "mailspec/core/escape.hpp"
#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::protocol::client::testing {

template <typename Out>
struct FrameRun {
    FrameStatus status = FrameStatus::need_more;
    std::size_t consumed = 0;
    FrameError error;
    Out out{};
};

template <typename Out>
using Framer = std::function<FrameStatus(std::string_view, Out&, std::size_t&, FrameError&)>;

template <typename Out>
FrameRun<Out> run_once(const Framer<Out>& framer, std::string_view input) {
    FrameRun<Out> r;
    r.status = framer(input, r.out, r.consumed, r.error);
    return r;
}

// Feeds `input` as successive prefixes of the given lengths; stops at the first result that is not
// need_more, as a reading loop would.
template <typename Out>
FrameRun<Out> run_incremental(const Framer<Out>& framer, std::string_view input,
                              const std::vector<std::size_t>& prefix_lengths) {
    FrameRun<Out> r;
    for (std::size_t len : prefix_lengths) {
        r = run_once(framer, input.substr(0, len));
        if (r.status != FrameStatus::need_more) return r;
    }
    return r;
}

// Returns the whole-buffer result after checking that every split gives the same one.
// `same` compares two framed values.
template <typename Out>
FrameRun<Out> run_all_splits(const Framer<Out>& framer, std::string_view input,
                             const std::function<bool(const Out&, const Out&)>& same) {
    const FrameRun<Out> whole = run_once(framer, input);
    const auto check = [&](const FrameRun<Out>& r, const std::string& how) {
        SCOPED_TRACE(how + " of \"" + core::visible(input) + "\"");
        EXPECT_EQ(static_cast<int>(r.status), static_cast<int>(whole.status));
        if (r.status != whole.status) return;
        if (whole.status == FrameStatus::complete) {
            EXPECT_EQ(r.consumed, whole.consumed);
            EXPECT_TRUE(same(r.out, whole.out));
        } else if (whole.status == FrameStatus::error) {
            EXPECT_EQ(r.error.offset, whole.error.offset);
            EXPECT_EQ(r.error.message, whole.error.message);
        }
    };
    std::vector<std::size_t> bytewise;
    for (std::size_t k = 0; k <= input.size(); ++k) bytewise.push_back(k);
    check(run_incremental(framer, input, bytewise), "byte at a time");
    for (std::size_t k = 0; k <= input.size(); ++k) {
        check(run_incremental(framer, input, {k, input.size()}), "split at " + std::to_string(k));
    }
    return whole;
}

}  // namespace mailspec::protocol::client::testing
