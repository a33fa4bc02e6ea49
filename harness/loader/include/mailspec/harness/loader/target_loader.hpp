#pragma once
// Loads a target profile (<target name host> with <endpoint>, <user>, <var>, <tls>), see
// docs/scenario-format.md "Targets". Strict like the scenario loader.
//
// Every attribute value may hold ${env:NAME}: the value of the environment variable NAME, so that
// secrets stay out of the file (password="${env:MAIL_PASSWORD}"). An unset NAME is an error naming
// file:line; "$${" stands for a literal "${". Nothing else in a value is special.
#include <optional>
#include <string>
#include <string_view>

#include "mailspec/harness/loader/diagnostic.hpp"
#include "mailspec/harness/model/target.hpp"

namespace mailspec::harness::loader {

std::optional<model::Target> load_target_file(const std::string& path, Diagnostics& errors);
std::optional<model::Target> load_target_text(std::string_view xml, const std::string& file_name,
                                              Diagnostics& errors);

// --user ID:LOGIN:PASSWORD (the password is everything after the second ':', so it may contain
// ':'): replaces the login and password of target user ID, keeping its address, or adds the user.
// Returns false with `error` set when the text has no ID or LOGIN.
bool apply_user_option(model::Target& target, const std::string& spec, std::string& error);

}  // namespace mailspec::harness::loader
