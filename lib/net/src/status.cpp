#include "mailspec/net/status.hpp"

namespace mailspec::net {

const char* to_string(IoStatus::Code code) {
    switch (code) {
        case IoStatus::Code::ok: return "ok";
        case IoStatus::Code::eof: return "eof";
        case IoStatus::Code::timeout: return "timeout";
        case IoStatus::Code::refused: return "refused";
        case IoStatus::Code::unreachable: return "unreachable";
        case IoStatus::Code::tls_failed: return "tls_failed";
        case IoStatus::Code::error: return "error";
    }
    return "unknown";
}

}  // namespace mailspec::net
