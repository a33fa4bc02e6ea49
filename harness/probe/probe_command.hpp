#pragma once
// `mailspec probe HOST [--ports LIST] [--policy FILE] [--junit F] [--json F] [--timeout S] [--ca F]
//  [--insecure]`: which protocol, which TLS mode and which certificate answer on each mail port,
// judged against the RFC 8314 / 6409 / 3207 / 2595 port roles or a policy file (docs/probe.md).
//
// Contract with the `mailspec` executable (harness/cli): it calls register_probe_command() once
// while building its CLI11 application. The subcommand's callback runs the probe, prints the table
// and findings on stdout (errors on stderr) and ends by throwing CLI::RuntimeError(code) when the
// code is not 0 — CLI::App::exit() returns that code without printing anything more:
//   0  no finding at error level, 1  at least one error-level finding (or an undecidable port
//   the policy requires), 2  usage error, unreadable or invalid policy file, unwritable report file.
#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace mailspec::harness::probe {

void register_probe_command(CLI::App& app);

struct ProbeCommandOptions {
    std::string host;
    std::string ports;        // --ports text; empty: the policy's ports, else the default matrix
    std::string policy_file;  // empty: default roles
    std::string junit_file;
    std::string json_file;
    double timeout_seconds = 5.0;
    std::string ca_file;
    bool insecure = false;
};

// Runs a whole probe (the subcommand's body) and returns the exit code; `out` gets the table,
// findings and summary, `err` the usage / file errors.
int run_probe_command(const ProbeCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mailspec::harness::probe

// The harness calls the unqualified name; keep both spellings valid.
using mailspec::harness::probe::register_probe_command;
