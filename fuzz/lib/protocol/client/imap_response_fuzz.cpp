// IMAP response lines as the runner reads them (RFC 3501 §7, §9): tagged, untagged, continuations,
// literals {n} / {n+} / ~{n} inside responses, pipelined, in arbitrary chunks.
#include "common/framer_driver.hpp"
#include "mailspec/protocol/client/imap_response.hpp"

using namespace mailspec;
using namespace mailspec::protocol::client;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const FrameLimits limits;
    fuzz::FramerFn<ImapResponseLine> framer = [&](std::string_view b, ImapResponseLine& o, std::size_t& c,
                                                  FrameError& e) {
        return frame_imap_response(b, limits, o, c, e);
    };
    for (const ImapResponseLine& r : fuzz::drive_framer<ImapResponseLine>(
             fuzz::as_view(data, size), framer, [](const ImapResponseLine& a, const ImapResponseLine& b) {
                 return a.kind == b.kind && a.tag == b.tag && a.status == b.status && a.text == b.text;
             })) {
        if (r.kind == ImapResponseLine::Kind::tagged)
            FUZZ_CHECK(r.status == "OK" || r.status == "NO" || r.status == "BAD");
        FUZZ_CHECK(r.raw.size() >= 2 && r.raw.compare(r.raw.size() - 2, 2, "\r\n") == 0);
    }
    return 0;
}
