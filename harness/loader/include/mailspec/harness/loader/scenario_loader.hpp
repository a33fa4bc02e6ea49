#pragma once
// Loads scenario files: one <scenario> or a <suite> of them (docs/scenario-format.md). Strict: an
// unknown element or attribute, a missing required attribute or a malformed value is an error
// naming file:line and what was expected. Regexes and variables are checked later by the linter
// (engine/lint.hpp), which knows the target.
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::loader {

// Reads and parses one file. On any error, appends to `errors` and returns what could be loaded
// (callers treat a file with errors as unusable).
std::vector<model::Scenario> load_scenario_file(const std::string& path, Diagnostics& errors);

// Parses XML text; `file_name` is used in locations and to resolve <send-file path>.
std::vector<model::Scenario> load_scenario_text(std::string_view xml, const std::string& file_name,
                                                Diagnostics& errors);

// Every *.xml file under the given files or folders (recursively, sorted, so runs are stable).
// A path that does not exist is an error.
std::vector<std::string> discover_scenario_files(const std::vector<std::string>& paths, Diagnostics& errors);

// Parses a timeout value: "500ms", "10s", "2.5" (seconds). Returns false when malformed.
bool parse_duration(std::string_view text, model::Millis& out);

}  // namespace mailspec::harness::loader
