#pragma once
// The `run` and `check` subcommands of the mailspec executable. Each registers its options on the
// CLI11 app; after parsing, main() calls execute() of the subcommand that was chosen.
// Exit codes (issue 2): 0 nothing failed or errored, 1 something did, 2 usage / target /
// scenario-file errors or no scenario selected.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace mailspec::harness::cli {

struct RunOptions {
    std::string target_file;
    std::string host;
    bool insecure = false;
    std::string ca_file;
    double timeout_seconds = 10.0;
    std::vector<std::string> tags, protocols, ids, rfcs, levels;
    int jobs = 1;
    std::string junit_file;
    std::string known_failures_file;
    bool strict_xpass = false;
    bool verbose = false;
    std::string spawn_command;
    std::string ready_line = "ready";
    double ready_timeout_seconds = 10.0;
    std::vector<std::string> server_args;
    std::vector<std::string> users;  // --user ID:LOGIN:PASSWORD
    bool show_secrets = false;
    bool no_preflight = false;
    std::string policy = "report";  // --policy=fail|report|off (model::PolicyMode)
    std::vector<std::string> paths;
};

struct CheckOptions {
    std::string target_file;
    std::vector<std::string> users;  // --user ID:LOGIN:PASSWORD
    std::vector<std::string> paths;
};

CLI::App* register_run_command(CLI::App& app, RunOptions& options);
CLI::App* register_check_command(CLI::App& app, CheckOptions& options);

int execute_run(const RunOptions& options);
int execute_check(const CheckOptions& options);

}  // namespace mailspec::harness::cli
