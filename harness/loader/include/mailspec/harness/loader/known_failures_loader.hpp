#pragma once
// Loads a known-failures file (issue 5):
//   <known-failures target="dovecot-postfix">
//     <known id="smtp.vrfy.*" reason="answers 502 to VRFY" rfc="5321#3.5.3"/>
//   </known-failures>
#include <optional>
#include <string>
#include <string_view>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/known_failures.hpp"

namespace mailspec::harness::loader {

std::optional<model::KnownFailures> load_known_failures_file(const std::string& path, Diagnostics& errors);
std::optional<model::KnownFailures> load_known_failures_text(std::string_view xml, const std::string& file_name,
                                                             Diagnostics& errors);

}  // namespace mailspec::harness::loader
