#pragma once
// Common result of the client-side response framers. A framer looks at bytes already buffered by
// the caller (it never reads a socket) and either finds one complete response at the front of the
// buffer, asks for more bytes, or reports a framing error with the byte offset where it occurred.
// Contract shared by every framer: each decision depends only on the bytes up to the one being
// judged, so appending bytes and calling again yields exactly what one call over all of them would
// (same status, consumed count, error offset and message). `out` is written only on complete.
// A framer never looks past max_response bytes, so a hostile peer cannot make it scan without bound.
#include <cstddef>
#include <string>

namespace mailspec::protocol::client {

enum class FrameStatus {
    need_more,  // no complete response yet; call again with more bytes appended
    complete,   // one response framed; `consumed` bytes at the front of the buffer belong to it
    error,      // the bytes cannot be a valid response; see FrameError
};

struct FrameError {
    std::size_t offset = 0;  // offset of the offending byte in the buffer given to the framer
    std::string message;     // what was expected and what was found (bytes shown with core::visible)
};

// Size limits applied while framing, so a hostile peer cannot make the reader buffer without bound.
struct FrameLimits {
    std::size_t max_line = 64 * 1024;         // one line, CRLF excluded
    std::size_t max_response = 16 * 1024 * 1024;  // one whole response (all lines, literals)
};

}  // namespace mailspec::protocol::client
