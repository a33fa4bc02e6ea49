#include "port_list.hpp"

#include <algorithm>
#include <charconv>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

std::vector<unsigned short> default_ports() { return {25, 26, 465, 587, 2525, 110, 995, 143, 993}; }

namespace {

// Reads a decimal port at text[pos...]; advances pos. Returns 0 on failure with error filled in.
unsigned parse_port(std::string_view text, std::size_t& pos, PortListError& error) {
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 6) ++pos;
    if (pos == start) {
        error.offset = start;
        error.message = "expected a port number at offset " + std::to_string(start) + ", found " +
                        (start < text.size() ? "\"" + core::visible(text.substr(start, 1)) + "\""
                                             : std::string("end of text"));
        return 0;
    }
    unsigned value = 0;
    std::from_chars(text.data() + start, text.data() + pos, value);
    if (value < 1 || value > 65535 || (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')) {
        error.offset = start;
        error.message = "port at offset " + std::to_string(start) + " must be 1..65535, found \"" +
                        core::visible(text.substr(start, pos - start + 1)) + "\"";
        return 0;
    }
    return value;
}

}  // namespace

std::optional<std::vector<unsigned short>> parse_port_list(std::string_view text, PortListError& error,
                                                           std::size_t max_ports) {
    std::vector<unsigned short> ports;
    auto add = [&](unsigned port) {
        if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    };
    if (text.empty()) {
        error = {0, "expected a port list such as \"25,465,587\" or \"100-110\", found an empty text"};
        return std::nullopt;
    }
    std::size_t pos = 0;
    while (true) {
        unsigned first = parse_port(text, pos, error);
        if (first == 0) return std::nullopt;
        unsigned last = first;
        if (pos < text.size() && text[pos] == '-') {
            ++pos;
            std::size_t range_end_at = pos;
            last = parse_port(text, pos, error);
            if (last == 0) return std::nullopt;
            if (last < first) {
                error.offset = range_end_at;
                error.message = "range end " + std::to_string(last) + " at offset " +
                                std::to_string(range_end_at) + " is below range start " +
                                std::to_string(first);
                return std::nullopt;
            }
        }
        for (unsigned p = first; p <= last; ++p) {
            add(p);
            if (ports.size() > max_ports) {
                error.offset = 0;
                error.message = "at most " + std::to_string(max_ports) + " ports may be probed, the list names more";
                return std::nullopt;
            }
        }
        if (pos == text.size()) break;
        if (text[pos] != ',') {
            error.offset = pos;
            error.message = "expected ',' or '-' at offset " + std::to_string(pos) + ", found \"" +
                            core::visible(text.substr(pos, 1)) + "\"";
            return std::nullopt;
        }
        ++pos;
    }
    return ports;
}

}  // namespace mailspec::harness::probe
