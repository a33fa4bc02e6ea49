// mailspec: conformance and port-testing harness for SMTP, POP3 and IMAP servers.
//   mailspec run [options] [PATH...]     run scenarios (docs/scenario-format.md)
//   mailspec check [--target F] PATH...  lint scenarios without running them
//   mailspec probe HOST ...              port matrix (harness/probe, when built)
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#ifdef MAILSPEC_HAVE_PROBE
#include "probe_command.hpp"
#endif

int main(int argc, char** argv) {
    using namespace mailspec::harness::cli;
    CLI::App app{"mailspec: conformance and port-testing harness for SMTP, POP3 and IMAP servers"};
    app.require_subcommand(1);
    RunOptions run_options;
    CheckOptions check_options;
    CLI::App* run = register_run_command(app, run_options);
    CLI::App* check = register_check_command(app, check_options);
#ifdef MAILSPEC_HAVE_PROBE
    register_probe_command(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) {  // a subcommand (probe) finished with this exit code
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;  // --help is 0; every usage error is 2
    }
    try {
        if (run->parsed()) return execute_run(run_options);
        if (check->parsed()) return execute_check(check_options);
    } catch (const std::exception& e) {
        std::cerr << "mailspec: internal error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
