#pragma once
// Drives a client-side response framer (lib/protocol/client) the way SessionIo does: bytes arrive
// in chunks (split points from the input), the framer is called on the growing buffer until it
// frames a response or reports an error, a framed response is removed and framing goes on with the
// rest (pipelined responses). Checks the contract of frame.hpp: a prefix never decides differently
// from the whole buffer, `consumed` is within the buffer, `raw` is exactly the consumed bytes.
#include <functional>

#include "common/fuzz_support.hpp"
#include "mailspec/protocol/client/frame.hpp"

namespace mailspec::fuzz {

template <typename Out>
using FramerFn = std::function<protocol::client::FrameStatus(std::string_view, Out&, std::size_t&,
                                                             protocol::client::FrameError&)>;

// Returns the framed responses, in order.
template <typename Out, typename Same>
std::vector<Out> drive_framer(std::string_view input, const FramerFn<Out>& framer, Same same) {
    using protocol::client::FrameError;
    using protocol::client::FrameStatus;
    std::vector<Out> framed;
    Splits splits(input);
    std::size_t start = 0;  // first byte of the response being framed
    while (start < input.size()) {
        const std::string_view rest = input.substr(start);
        // The decision over every byte still to come.
        Out whole_out{};
        std::size_t whole_consumed = 0;
        FrameError whole_error;
        const FrameStatus whole = framer(rest, whole_out, whole_consumed, whole_error);
        if (whole == FrameStatus::complete) {
            FUZZ_CHECK(whole_consumed > 0 && whole_consumed <= rest.size());
            FUZZ_CHECK(whole_out.raw == rest.substr(0, whole_consumed));
        }
        if (whole == FrameStatus::error) {
            FUZZ_CHECK(whole_error.offset <= rest.size());
            FUZZ_CHECK(!whole_error.message.empty());
        }
        // The same bytes as they arrive.
        std::size_t have = 0;
        FrameStatus status = FrameStatus::need_more;
        Out out{};
        std::size_t consumed = 0;
        FrameError error;
        while (have < rest.size()) {
            have += splits.chunk(rest.size() - have);
            out = Out{};
            status = framer(rest.substr(0, have), out, consumed, error);
            if (status != FrameStatus::need_more) break;
        }
        FUZZ_CHECK(status == whole);
        if (status == FrameStatus::complete) {
            FUZZ_CHECK(consumed == whole_consumed);
            FUZZ_CHECK(same(out, whole_out));
            framed.push_back(std::move(out));
            start += consumed;
            continue;
        }
        if (status == FrameStatus::error) {
            FUZZ_CHECK(error.offset == whole_error.offset);
            FUZZ_CHECK(error.message == whole_error.message);
        }
        break;  // an error ends the connection; need_more: the peer stopped sending
    }
    return framed;
}

}  // namespace mailspec::fuzz
