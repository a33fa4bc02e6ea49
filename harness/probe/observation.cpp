#include "observation.hpp"

namespace mailspec::harness::probe {

const char* to_string(PortState state) {
    switch (state) {
        case PortState::open: return "open";
        case PortState::closed: return "closed";
        case PortState::no_answer: return "no answer";
    }
    return "?";
}

const char* to_string(Service service) {
    switch (service) {
        case Service::unknown: return "unknown";
        case Service::smtp: return "smtp";
        case Service::pop3: return "pop3";
        case Service::imap: return "imap";
    }
    return "?";
}

const char* to_string(TlsMode mode) {
    switch (mode) {
        case TlsMode::unknown: return "unknown";
        case TlsMode::plaintext: return "plaintext";
        case TlsMode::starttls: return "starttls";
        case TlsMode::starttls_failed: return "starttls-failed";
        case TlsMode::implicit: return "implicit";
    }
    return "?";
}

std::optional<Service> service_from_string(std::string_view text) {
    if (text == "smtp") return Service::smtp;
    if (text == "pop3") return Service::pop3;
    if (text == "imap") return Service::imap;
    if (text == "any" || text == "unknown") return Service::unknown;
    return std::nullopt;
}

}  // namespace mailspec::harness::probe
