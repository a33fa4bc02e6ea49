#include "probe_command.hpp"

#include <cmath>
#include <iostream>
#include <memory>
#include <vector>

#include "judge.hpp"
#include "policy_loader.hpp"
#include "port_list.hpp"
#include "prober.hpp"
#include "report_json.hpp"
#include "report_junit.hpp"
#include "mailspec/harness/reporters/report_file.hpp"
#include "mailspec/net/connection.hpp"
#include "report_table.hpp"

namespace mailspec::harness::probe {

namespace {

bool write_file(const std::string& path, const std::string& text, std::ostream& err) {
    std::string error;
    if (reporters::write_report_file(path, text, error)) return true;
    err << "probe: " << error << "\n";
    return false;
}

}  // namespace

int run_probe_command(const ProbeCommandOptions& options, std::ostream& out, std::ostream& err) {
    if (options.host.empty()) {
        err << "probe: HOST is required\n";
        return 2;
    }
    if (!(options.timeout_seconds > 0) || options.timeout_seconds > 600 || std::isnan(options.timeout_seconds)) {
        err << "probe: --timeout must be between 0 and 600 seconds, found " << options.timeout_seconds << "\n";
        return 2;
    }
    Policy policy = default_policy();
    if (!options.policy_file.empty()) {
        std::string error;
        auto loaded = load_policy_file(options.policy_file, error);
        if (!loaded) {
            err << "probe: " << error << "\n";
            return 2;
        }
        policy = std::move(*loaded);
    }
    std::vector<unsigned short> ports = options.policy_file.empty() ? default_ports() : policy_ports(policy);
    if (!options.ports.empty()) {
        PortListError error;
        auto parsed = parse_port_list(options.ports, error);
        if (!parsed) {
            err << "probe: --ports \"" << options.ports << "\": " << error.message << "\n";
            return 2;
        }
        ports = std::move(*parsed);
    }

    // A host that does not resolve is a usage error, not a matrix of "no answer" (issue 9 §3).
    const auto lookup_timeout = std::chrono::milliseconds(static_cast<long>(options.timeout_seconds * 1000));
    if (auto resolved = net::resolve_host(options.host, lookup_timeout); !resolved) {
        err << "probe: " << resolved.message << "\n";
        return 2;
    }

    ProbeOptions probe_options;
    probe_options.host = options.host;
    probe_options.timeout = std::chrono::milliseconds(static_cast<long>(options.timeout_seconds * 1000));
    if (probe_options.timeout.count() < 1) probe_options.timeout = std::chrono::milliseconds(1);
    probe_options.ca_file = options.ca_file;
    probe_options.server_name = policy.certificate.host_name;
    auto observations = probe_ports(ports, probe_options);

    JudgeOptions judge_options;
    judge_options.host = options.host;
    judge_options.insecure = options.insecure;
    Judgement judgement = judge(observations, policy, judge_options);

    out << "probe " << options.host << " (policy: " << policy.name << ")\n\n";
    out << render_table(judgement) << "\n";
    std::string findings = render_findings(judgement);
    if (!findings.empty()) out << "Findings:\n" << findings << "\n";
    out << render_summary(judgement) << "\n";

    bool written = true;
    if (!options.junit_file.empty()) written = write_file(options.junit_file, render_junit(judgement), err) && written;
    if (!options.json_file.empty()) written = write_file(options.json_file, render_json(judgement), err) && written;
    if (!written) return 2;
    return judgement.exit_code();
}

void register_probe_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("probe",
                                   "Probe the mail ports of HOST: protocol, TLS mode and certificate per port, "
                                   "judged against the RFC 8314 / 6409 / 3207 / 2595 roles or a policy file");
    auto options = std::make_shared<ProbeCommandOptions>();
    cmd->add_option("HOST", options->host, "Host name or address to probe")->required();
    cmd->add_option("--ports", options->ports,
                    "Ports as a comma list with ranges, e.g. 25,465,587,100-110 "
                    "(default: the policy's ports, else 25,26,465,587,2525,110,995,143,993)");
    cmd->add_option("--policy", options->policy_file, "Policy XML stating what each port must offer (docs/probe.md)");
    cmd->add_option("--junit", options->junit_file, "Write a JUnit XML report (a testcase per port and check)");
    cmd->add_option("--json", options->json_file, "Write a JSON report");
    cmd->add_option("--timeout", options->timeout_seconds, "Seconds for each connect, response and handshake")
        ->capture_default_str();
    cmd->add_option("--ca", options->ca_file, "PEM file of CA certificates trusted besides the system store");
    cmd->add_flag("--insecure", options->insecure,
                  "Report certificate chain and host-name problems as info instead of errors");
    cmd->callback([options] {
        int code = run_probe_command(*options, std::cout, std::cerr);
        std::cout.flush();
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace mailspec::harness::probe
