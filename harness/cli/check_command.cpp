// `mailspec check`: loads and lints scenarios, runs nothing (STYLE.md #6). Without --target the
// variables and endpoints are checked against the standard target shape (model::standard_target_shape).
#include <iostream>

#include "commands.hpp"
#include "mailspec/harness/engine/lint.hpp"
#include "mailspec/harness/loader/target_loader.hpp"
#include "scenario_set.hpp"

namespace mailspec::harness::cli {

CLI::App* register_check_command(CLI::App& app, CheckOptions& o) {
    auto* check = app.add_subcommand("check", "Lint scenario files without running them");
    check->add_option("--target", o.target_file, "Check variables and endpoints against this target profile");
    check->add_option("--user", o.users, "ID:LOGIN:PASSWORD: set or add target user ID (repeatable)")->allow_extra_args(false);
    check->add_option("paths", o.paths, "Scenario files or folders (default: scenarios/)");
    return check;
}

int execute_check(const CheckOptions& o) {
    model::Target target = model::standard_target_shape();
    if (!o.target_file.empty()) {
        loader::Diagnostics errors;
        auto loaded = loader::load_target_file(o.target_file, errors);
        if (!loaded) {
            for (const auto& e : errors) std::cerr << e.str() << "\n";
            return 2;
        }
        target = std::move(*loaded);
    }
    for (const auto& spec : o.users) {
        std::string error;
        if (!loader::apply_user_option(target, spec, error)) {
            std::cerr << "mailspec: " << error << "\n";
            return 2;
        }
    }
    const std::vector<std::string> paths = o.paths.empty() ? std::vector<std::string>{"scenarios"} : o.paths;
    ScenarioSet set = load_scenarios(paths, {});
    auto errors = set.errors;
    // check also rejects credentials written into scenarios (run does not: a real target's values
    // may collide with ordinary words, and the run must not stop on that).
    engine::LintOptions options;
    options.reject_credential_literals = true;
    const auto lint_errors = engine::lint(set.selected, target, options);
    errors.insert(errors.end(), lint_errors.begin(), lint_errors.end());
    for (const auto& e : errors) std::cerr << e.str() << "\n";
    std::cout << "checked " << set.all.size() << " scenario(s) in " << set.files.size() << " file(s): " << errors.size()
              << " error(s)\n";
    if (set.files.empty() && errors.empty()) {
        std::cerr << "mailspec: no scenario files found\n";
        return 2;
    }
    return errors.empty() ? 0 : 2;
}

}  // namespace mailspec::harness::cli
