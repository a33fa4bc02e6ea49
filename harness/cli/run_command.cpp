// `mailspec run`: load -> select -> target (file, --spawn, or the embedded reference server) ->
// lint -> run on -j workers -> console + JUnit -> exit code.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "interrupt.hpp"
#include "mailspec/harness/engine/lint.hpp"
#include "mailspec/harness/engine/net_transport.hpp"
#include "mailspec/harness/engine/preflight.hpp"
#include "mailspec/harness/engine/runner.hpp"
#include "mailspec/harness/loader/known_failures_loader.hpp"
#include "mailspec/harness/loader/target_loader.hpp"
#include "mailspec/harness/reporters/console.hpp"
#include "mailspec/harness/reporters/junit_results.hpp"
#include "mailspec/harness/reporters/report_file.hpp"
#include "mailspec/net/tls.hpp"
#include "scenario_set.hpp"
#include "server_process.hpp"

namespace mailspec::harness::cli {

namespace {

constexpr int exit_usage = 2;
constexpr int exit_preflight = 3;  // the target is not ready: unreachable, refused login, bad CA

void print_diagnostics(const loader::Diagnostics& errors) {
    for (const auto& e : errors) std::cerr << e.str() << "\n";
}

// Removes the temporary target file on every path out of execute_run.
struct TempFile {
    std::string path;
    ~TempFile() {
        if (!path.empty()) std::remove(path.c_str());
    }
};

std::string make_temp_target_path() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/mailspec-target-XXXXXX.xml";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const int fd = ::mkstemps(buf.data(), 4);
    if (fd < 0) return {};
    ::close(fd);
    return buf.data();
}

}  // namespace

CLI::App* register_run_command(CLI::App& app, RunOptions& o) {
    auto* run = app.add_subcommand("run", "Run scenarios against a target (default: the bundled mailspec-server)");
    run->add_option("--target", o.target_file, "Target profile XML (host, endpoints, users); default: spawn mailspec-server --ephemeral");
    run->add_option("--host", o.host, "Override the target's host");
    run->add_flag("--insecure", o.insecure, "Do not verify TLS certificates");
    run->add_option("--ca", o.ca_file, "Trust this CA bundle (PEM) for TLS");
    run->add_option("--timeout", o.timeout_seconds, "Default per-step timeout in seconds")->check(CLI::Range(0.001, 3600.0));
    run->add_option("--tag", o.tags, "Select scenarios with this tag (repeatable)")->allow_extra_args(false);
    run->add_option("--protocol", o.protocols, "Select smtp, pop3 or imap scenarios (repeatable)")
        ->allow_extra_args(false)
        ->check(CLI::IsMember({"smtp", "pop3", "imap"}));
    run->add_option("--id", o.ids, "Select scenario ids matching this glob (repeatable)")->allow_extra_args(false);
    run->add_option("--rfc", o.rfcs, "Select scenarios citing this RFC (\"5321\" or \"5321#4.5\") (repeatable)")->allow_extra_args(false);
    run->add_option("--level", o.levels, "Select MUST, SHOULD or MAY scenarios (repeatable)")->allow_extra_args(false);
    run->add_option("-j,--jobs", o.jobs, "Scenarios run in parallel")->check(CLI::Range(1, 256));
    run->add_option("--junit", o.junit_file, "Write a JUnit XML report here");
    run->add_option("--known-failures", o.known_failures_file, "Known-failures XML: FAIL becomes XFAIL, PASS XPASS");
    run->add_flag("--strict-xpass", o.strict_xpass, "An XPASS makes the exit code 1");
    run->add_flag("-v,--verbose", o.verbose, "Print the transcript of every scenario, not only of failures");
    run->add_option("--spawn", o.spawn_command, "Start this server command (sh -c) before running; needs --target");
    run->add_option("--ready-line", o.ready_line, "Regex of the stdout line that says the spawned server is ready");
    run->add_option("--ready-timeout", o.ready_timeout_seconds, "Seconds to wait for the ready line")->check(CLI::Range(0.1, 600.0));
    run->add_option("--server-arg", o.server_args, "Extra argument for the embedded mailspec-server (repeatable)")
        ->allow_extra_args(false);
    run->add_option("--user", o.users, "ID:LOGIN:PASSWORD: set or add target user ID (repeatable; needs --target)")
        ->allow_extra_args(false);
    run->add_flag("--show-secrets", o.show_secrets, "Show passwords and SASL responses in transcripts (default: <redacted>)");
    run->add_flag("--no-preflight", o.no_preflight,
                  "Skip the checks of endpoints and logins before the run (exit 3 when they fail)");
    run->add_option("--policy", o.policy,
                    "Policy scenarios (judges=\"policy\"): fail (severity error fails the run), report (default), off (not run)")
        ->check(CLI::IsMember({"fail", "report", "off"}));
    run->add_option("paths", o.paths, "Scenario files or folders (default: scenarios/)");
    return run;
}

int execute_run(const RunOptions& o) {
    // 1. Known failures.
    std::optional<model::KnownFailures> known;
    if (!o.known_failures_file.empty()) {
        loader::Diagnostics errors;
        known = loader::load_known_failures_file(o.known_failures_file, errors);
        if (!known) {
            print_diagnostics(errors);
            return exit_usage;
        }
    }
    // 2. Scenarios, selected.
    const auto policy_mode = model::policy_mode_from_string(o.policy).value_or(model::PolicyMode::report);
    model::Selection selection{o.tags, o.protocols, o.ids, o.rfcs, o.levels, policy_mode != model::PolicyMode::off};
    const std::vector<std::string> paths = o.paths.empty() ? std::vector<std::string>{"scenarios"} : o.paths;
    ScenarioSet set = load_scenarios(paths, selection);
    if (!set.errors.empty()) {
        print_diagnostics(set.errors);
        std::cerr << "mailspec: " << set.errors.size() << " error(s) in scenario files; nothing was run\n";
        return exit_usage;
    }
    if (known) {
        // A known failure that names no loaded scenario is stale (renamed or removed scenario).
        for (const auto& k : known->entries) {
            bool used = false;
            for (const auto& s : set.all) used = used || model::glob_match(k.id_glob, s.id);
            if (!used)
                std::cerr << k.where.str() << ": warning: known failure '" << k.id_glob
                          << "' matches no loaded scenario\n";
        }
    }
    if (set.selected.empty()) {
        std::cerr << "mailspec: no scenario selected (" << set.all.size() << " loaded from " << set.files.size()
                  << " file(s))\n";
        return exit_usage;
    }
    if (!o.spawn_command.empty() && o.target_file.empty()) {
        std::cerr << "mailspec: --spawn needs --target (the profile of the spawned server's endpoints)\n";
        return exit_usage;
    }
    if (!o.users.empty() && o.target_file.empty()) {
        std::cerr << "mailspec: --user needs --target (the embedded server has its own users)\n";
        return exit_usage;
    }
    if (!o.server_args.empty() && !o.target_file.empty()) {
        std::cerr << "mailspec: --server-arg applies only to the embedded server (no --target)\n";
        return exit_usage;
    }

    // The JUnit file must be writable before anything runs (a long run must not end in exit 2);
    // the check leaves no empty file behind.
    if (!o.junit_file.empty()) {
        std::string error;
        if (!reporters::report_path_writable(o.junit_file, error)) {
            std::cerr << "mailspec: cannot write JUnit file: " << error << "\n";
            return exit_usage;
        }
    }
    // From here on a signal stops the run and still leaves the reports (interrupt.hpp).
    interrupt::install();

    // 3. Target: a file (optionally with --spawn), or the embedded reference server.
    std::unique_ptr<ServerProcess> server;
    TempFile temp_target;
    std::optional<model::Target> target;
    loader::Diagnostics errors;
    if (!o.target_file.empty()) {
        target = loader::load_target_file(o.target_file, errors);
        if (!target) {
            print_diagnostics(errors);
            return exit_usage;
        }
        for (const auto& spec : o.users) {
            std::string error;
            if (!loader::apply_user_option(*target, spec, error)) {
                std::cerr << "mailspec: " << error << "\n";
                return exit_usage;
            }
        }
    }
    if (!o.spawn_command.empty()) {
        std::string error;
        server = ServerProcess::start({"/bin/sh", "-c", "exec " + o.spawn_command}, o.ready_line,
                                      std::chrono::milliseconds(static_cast<long long>(o.ready_timeout_seconds * 1000)), error);
        if (!server) {
            std::cerr << "mailspec: --spawn: " << error << "\n";
            return exit_usage;
        }
        interrupt::set_server(server->pid(), "");
    } else if (o.target_file.empty()) {
        const std::string exe = locate_reference_server();
        if (exe.empty()) {
            std::cerr << "mailspec: no --target given and mailspec-server was not found beside mailspec or in "
                         "$MAILSPEC_SERVER\n";
            return exit_usage;
        }
        temp_target.path = make_temp_target_path();
        if (temp_target.path.empty()) {
            std::cerr << "mailspec: cannot create a temporary target file\n";
            return exit_usage;
        }
        std::vector<std::string> argv = {exe, "--ephemeral", "--write-target", temp_target.path};
        argv.insert(argv.end(), o.server_args.begin(), o.server_args.end());
        std::string error;
        server = ServerProcess::start(argv, "^mailspec-server ready",
                                      std::chrono::milliseconds(static_cast<long long>(o.ready_timeout_seconds * 1000)), error);
        if (!server) {
            std::cerr << "mailspec: embedded server: " << error << "\n";
            return exit_usage;
        }
        interrupt::set_server(server->pid(), temp_target.path);
        target = loader::load_target_file(temp_target.path, errors);
        if (!target) {
            print_diagnostics(errors);
            std::cerr << "mailspec: the embedded server's target file could not be read\n";
            return exit_usage;
        }
    }
    if (!o.host.empty()) target->host = o.host;

    // 4. Lint against the target: endpoints, variables, regexes.
    const auto lint_errors = engine::lint(set.selected, *target);
    if (!lint_errors.empty()) {
        print_diagnostics(lint_errors);
        std::cerr << "mailspec: " << lint_errors.size() << " error(s) in scenarios for target '" << target->name
                  << "'; nothing was run\n";
        return exit_usage;
    }

    // 5. Run.
    engine::NetConnector connector;
    engine::RunSettings settings;
    settings.connector = &connector;
    settings.default_timeout = model::Millis(static_cast<long long>(o.timeout_seconds * 1000));
    settings.connect_timeout = settings.default_timeout;
    settings.tls_verify = target->tls_verify && !o.insecure;
    settings.tls_ca_file = o.ca_file.empty() ? target->tls_ca_file : o.ca_file;
    settings.tls_server_name = target->tls_server_name;
    settings.show_secrets = o.show_secrets;
    settings.cancel = &interrupt::requested();

    // 4b. Preflight: endpoints reachable as declared, users able to log in (engine/preflight.hpp).
    if (!o.no_preflight) {
        std::vector<std::string> problems;
        if (!settings.tls_ca_file.empty()) {
            if (auto problem = net::ca_file_problem(settings.tls_ca_file); !problem.empty())
                problems.push_back("--ca / <tls ca>: " + problem);
        }
        if (problems.empty()) {
            const auto report = engine::preflight(set.selected, *target, settings);
            for (const auto& line : report.unchecked) std::cerr << "mailspec: preflight: not checked: " << line << "\n";
            problems = report.problems;
        }
        if (!problems.empty()) {
            for (const auto& line : problems) std::cerr << "mailspec: preflight: " << line << "\n";
            std::cerr << "mailspec: the target '" << target->name << "' is not ready (" << problems.size()
                      << " problem(s) above); nothing was run. Fix the target file or the server, or pass "
                         "--no-preflight\n";
            if (server) {
                server->stop();
                interrupt::clear_server();
            }
            if (!o.junit_file.empty()) {
                std::string error;
                if (!reporters::write_junit_file(reporters::preflight_cases(problems), o.junit_file, error))
                    std::cerr << "mailspec: " << error << "\n";
            }
            return exit_preflight;
        }
    }

    reporters::ConsoleReporter console(std::cout, reporters::colour_wanted(STDOUT_FILENO), o.verbose);
    auto results = engine::run_scenarios(set.selected, *target, settings, o.jobs, [&](const model::ScenarioResult& r) {
        model::ScenarioResult shown = r;
        if (known) model::apply_known_failures(*known, shown);
        console.scenario_finished(shown);
    });
    if (known)
        for (auto& r : results) model::apply_known_failures(*known, r);
    if (server) {
        server->stop();
        interrupt::clear_server();
    }
    console.finish(results);

    const bool interrupted = interrupt::requested().load();
    std::string interruption;
    if (interrupted) {
        interruption = "run interrupted by " + interrupt::describe() + ": " + std::to_string(results.size()) +
                       " of " + std::to_string(set.selected.size()) + " scenarios ran";
        std::cerr << "mailspec: " << interruption << "; the reports hold what has run\n";
    }

    // 6. JUnit (marked interrupted by one more error case, so no pipeline reads it as complete).
    if (!o.junit_file.empty()) {
        auto cases = reporters::junit_cases(results);
        if (interrupted) cases.push_back(reporters::interrupted_case(interruption));
        std::string error;
        if (!reporters::write_junit_file(cases, o.junit_file, error)) {
            std::cerr << "mailspec: " << error << "\n";
            return exit_usage;
        }
    }
    if (interrupted) return 128 + interrupt::signal_number();
    return model::exit_code(model::summarize(results), model::summarize_policy(results), policy_mode, o.strict_xpass);
}

}  // namespace mailspec::harness::cli
