// POP3 responses as the runner reads them (RFC 1939 §3): status lines, dot-stuffed multi-line bodies,
// SASL "+ " continuations; framed both as single-line and as multi-line responses.
#include "common/framer_driver.hpp"
#include "mailspec/protocol/client/pop3_response.hpp"

using namespace mailspec;
using namespace mailspec::protocol::client;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const FrameLimits limits;
    for (bool multiline : {false, true}) {
        fuzz::FramerFn<Pop3Response> framer = [&](std::string_view b, Pop3Response& o, std::size_t& c,
                                                  FrameError& e) {
            return frame_pop3_response(b, multiline, limits, o, c, e);
        };
        for (const Pop3Response& r : fuzz::drive_framer<Pop3Response>(
                 fuzz::as_view(data, size), framer, [](const Pop3Response& a, const Pop3Response& b) {
                     return a.status == b.status && a.status_line == b.status_line && a.body == b.body;
                 })) {
            FUZZ_CHECK(r.status == "+OK" || r.status == "-ERR" || r.status == "+");
            if (!multiline || r.status != "+OK") FUZZ_CHECK(r.body.empty());
        }
    }
    return 0;
}
