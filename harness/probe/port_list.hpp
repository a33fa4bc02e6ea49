#pragma once
// Parsing of the --ports option: a comma-separated list of ports and inclusive ranges,
// e.g. "25,465,587" or "25,100-110,993". Pure code: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::harness::probe {

// The ports probed when --ports is absent (issue 6): SMTP 25, 26, 465, 587, 2525; POP3 110, 995;
// IMAP 143, 993.
std::vector<unsigned short> default_ports();

struct PortListError {
    std::size_t offset = 0;  // byte offset in the option text
    std::string message;     // expected vs actual
};

// Ports in the order given, duplicates removed (first occurrence kept). Ranges are inclusive and
// must be ascending; ports are 1..65535; at most `max_ports` ports in total (bounded work).
// Returns nullopt and fills `error` on bad input.
std::optional<std::vector<unsigned short>> parse_port_list(std::string_view text, PortListError& error,
                                                           std::size_t max_ports = 1024);

}  // namespace mailspec::harness::probe
