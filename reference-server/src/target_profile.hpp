#pragma once
// The target profile mailspec-server writes for `mailspec run --target` (--write-target): the same
// format as fixtures/targets/local.xml, with the ports actually bound and <tls verify="false"/>
// (the certificate is self-signed unless one is configured).
#include <filesystem>
#include <string>
#include <vector>

#include "config/server_config.hpp"
#include "transport/server.hpp"

namespace mailspec::server {

std::string target_profile_xml(const ServerConfig& config, const std::vector<BoundEndpoint>& bound);
// Writes the profile atomically (a reader never sees half a file). Throws std::runtime_error.
void write_target_profile(const std::filesystem::path& file, const std::string& xml);

}  // namespace mailspec::server
