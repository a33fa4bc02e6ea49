#pragma once
// Hand-built observations for the judge and report tests: a correct port of each kind, which a test
// then bends into one of issue 6's wrong layouts.
#include "observation.hpp"

namespace mailspec::harness::probe::testing {

inline net::TlsInfo good_tls() {
    net::TlsInfo t;
    t.version = "TLSv1.3";
    t.cipher = "TLS_AES_256_GCM_SHA384";
    t.subject = "CN=localhost";
    t.issuer = "CN=mailspec test CA";
    t.subject_alt_names = {"DNS:localhost", "IP:127.0.0.1"};
    t.not_after = "2027-01-01T00:00:00Z";
    t.days_left = 40;
    t.chain_verified = true;
    t.hostname_matches = true;
    return t;
}

inline PortObservation implicit_port(unsigned short port, Service service, std::vector<std::string> caps = {}) {
    PortObservation o;
    o.port = port;
    o.state = PortState::open;
    o.service = service;
    o.tls_mode = TlsMode::implicit;
    o.greeting = service == Service::smtp ? "220 localhost ESMTP" : service == Service::pop3 ? "+OK ready" : "* OK ready";
    o.tls = good_tls();
    o.capabilities_after_known = true;
    o.capabilities_after_tls = std::move(caps);
    o.legacy_tls_accepted = false;
    return o;
}

inline PortObservation starttls_port(unsigned short port, Service service, std::vector<std::string> before,
                                     std::vector<std::string> after) {
    PortObservation o = implicit_port(port, service, std::move(after));
    o.tls_mode = TlsMode::starttls;
    o.capabilities_before_known = true;
    o.capabilities_before_tls = std::move(before);
    o.auth_before_tls = false;
    o.starttls_readvertised = false;
    return o;
}

inline PortObservation closed_port(unsigned short port) {
    PortObservation o;
    o.port = port;
    o.state = PortState::closed;
    o.state_detail = "connection refused";
    return o;
}

}  // namespace mailspec::harness::probe::testing
