#include "mailspec/harness/engine/transport.hpp"

namespace mailspec::harness::engine {

const char* describe(net::IoStatus::Code code) {
    using C = net::IoStatus::Code;
    switch (code) {
        case C::ok: return "ok";
        case C::eof: return "connection closed";
        case C::timeout: return "timeout";
        case C::refused: return "connection refused";
        case C::unreachable: return "unreachable";
        case C::tls_failed: return "TLS failure";
        case C::error: return "I/O error";
    }
    return "?";
}

}  // namespace mailspec::harness::engine
