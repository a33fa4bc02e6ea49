#pragma once
// Loads a target profile (<target name host> with <endpoint>, <user>, <var>, <tls>), see
// docs/scenario-format.md "Targets". Strict like the scenario loader.
#include <optional>
#include <string>
#include <string_view>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/target.hpp"

namespace mailspec::harness::loader {

std::optional<model::Target> load_target_file(const std::string& path, Diagnostics& errors);
std::optional<model::Target> load_target_text(std::string_view xml, const std::string& file_name,
                                              Diagnostics& errors);

}  // namespace mailspec::harness::loader
