#pragma once
// The I/O half of the probe: connects to each port and fills a PortObservation. Ports are probed
// concurrently, one thread per port up to ProbeOptions::max_parallel; every network wait is bounded
// by ProbeOptions::timeout, so a port never takes much more than a few timeouts.
//
// Per port (docs/probe.md has the full flow):
//   1. TCP connect: refused -> closed; timeout / unreachable -> no answer.
//   2. Wait up to first_byte_wait for a greeting. Bytes -> clear-text greeting, recognised by
//      greeting.hpp. Silence -> try a TLS handshake on the same connection; success -> implicit TLS
//      and the greeting is read inside TLS. Handshake failure -> reconnect and wait the whole timeout
//      for a greeting; still nothing -> inconclusive (greeting delay past the timeout).
//   3. Capabilities (EHLO / CAPA / CAPABILITY), STARTTLS / STLS when offered, capabilities again.
//   4. Legacy TLS: a second connection offering only TLS 1.0 / 1.1.
// A 421 / BYE / -ERR greeting, a dropped connection or a timeout mid-dialogue makes the port
// inconclusive with the reason; it never turns into "no STARTTLS".
#include <chrono>
#include <string>
#include <vector>

#include "observation.hpp"

namespace mailspec::harness::probe {

struct ProbeOptions {
    std::string host = "127.0.0.1";
    std::chrono::milliseconds timeout{5000};          // connect, each response, each handshake
    std::chrono::milliseconds first_byte_wait{300};   // silence before trying implicit TLS
    std::string ca_file;       // extra trust anchors for the chain check (--ca)
    std::string server_name;   // SNI and host-name check; empty: host
    std::string client_name = "probe.mailspec.invalid";  // EHLO argument
    bool check_legacy_tls = true;
    std::size_t max_parallel = 32;
};

PortObservation probe_port(unsigned short port, const ProbeOptions& options);

// Results in the order of `ports`.
std::vector<PortObservation> probe_ports(const std::vector<unsigned short>& ports, const ProbeOptions& options);

}  // namespace mailspec::harness::probe
