#pragma once
// `mailspec probe HOST [--ports LIST] [--policy FILE] [--junit F] [--json F] [--timeout S] [--ca F]
//  [--insecure]`: which protocol, which TLS mode and which certificate answer on each mail port,
// judged against the RFC 8314 / 6409 / 3207 / 2595 port roles or a policy file (docs/probe.md).
//
// Contract with the `mailspec` executable (harness/cli): it calls register_probe_command() once
// while building its CLI11 application. The subcommand's callback runs the probe and ends the
// process through CLI::RuntimeError with the exit code of `mailspec run`:
//   0  no finding at error level, 1  at least one error-level finding,
//   2  usage error, unreadable or invalid policy file, unwritable report file.
#include <CLI/CLI.hpp>

namespace mailspec::harness::probe {

void register_probe_command(CLI::App& app);

}  // namespace mailspec::harness::probe

// The harness engineer calls the unqualified name; keep both spellings valid.
using mailspec::harness::probe::register_probe_command;
