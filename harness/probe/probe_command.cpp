#include "probe_command.hpp"

#include <string>
#include <vector>

#include "port_list.hpp"

namespace mailspec::harness::probe {

void register_probe_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("probe", "Probe the mail ports of HOST and judge them against RFC 8314 roles");
    struct Options {
        std::string host;
        std::string ports;
    };
    auto options = std::make_shared<Options>();
    cmd->add_option("HOST", options->host, "Host name or address to probe")->required();
    cmd->add_option("--ports", options->ports, "Ports: comma list and ranges, e.g. 25,465,587,100-110");
    cmd->callback([options] {
        std::vector<unsigned short> ports = default_ports();
        if (!options->ports.empty()) {
            PortListError error;
            auto parsed = parse_port_list(options->ports, error);
            if (!parsed) throw CLI::RuntimeError("probe: --ports: " + error.message, 2);
            ports = *parsed;
        }
        // The prober lands in the next commits.
        throw CLI::RuntimeError("probe: not implemented yet", 2);
    });
}

}  // namespace mailspec::harness::probe
