// SMTP replies as the runner reads them (RFC 5321 §4.2, multi-line), pipelined, in arbitrary chunks.
#include "common/framer_driver.hpp"
#include "mailspec/protocol/client/smtp_reply.hpp"

using namespace mailspec;
using namespace mailspec::protocol::client;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const FrameLimits limits;
    fuzz::FramerFn<SmtpReply> framer = [&](std::string_view b, SmtpReply& o, std::size_t& c, FrameError& e) {
        return frame_smtp_reply(b, limits, o, c, e);
    };
    for (const SmtpReply& r : fuzz::drive_framer<SmtpReply>(
             fuzz::as_view(data, size), framer,
             [](const SmtpReply& a, const SmtpReply& b) { return a.code == b.code && a.lines == b.lines; })) {
        FUZZ_CHECK(r.code >= 0 && r.code <= 999);
        FUZZ_CHECK(!r.lines.empty());
    }
    return 0;
}
