// Target profile writer for --write-target.
#include "target_profile.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace mailspec::server {

namespace {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string padded(const std::string& quoted, std::size_t width) {
    return quoted.size() >= width ? quoted : quoted + std::string(width - quoted.size(), ' ');
}

}  // namespace

std::string target_profile_xml(const ServerConfig& config, const std::vector<BoundEndpoint>& bound) {
    std::string host = bound.empty() ? "127.0.0.1" : bound.front().address;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    std::string xml = "<target name=\"local\" host=\"" + xml_escape(host) + "\">\n";
    for (const auto& endpoint : bound) {
        const EndpointConfig* ep = config.find_endpoint(endpoint.name);
        std::string tls = ep && ep->tls == TlsMode::implicit ? "implicit" : "plain";
        xml += "  <endpoint " + padded("name=\"" + xml_escape(endpoint.name) + "\"", 19) +
               " protocol=\"" + std::string(to_string(protocol_of(endpoint.role))) + "\" port=\"" +
               std::to_string(endpoint.port) + "\" tls=\"" + tls + "\"/>\n";
    }
    for (std::size_t i = 0; i < config.users.size(); ++i) {
        const auto& user = config.users[i];
        std::string id = i == 0 ? "user" : "user" + std::to_string(i + 1);
        xml += "  <user " + padded("id=\"" + id + "\"", 12) + " login=\"" + xml_escape(user.login) +
               "\" password=\"" + xml_escape(user.password) + "\"";
        if (!user.addresses.empty()) xml += " address=\"" + xml_escape(user.addresses.front()) + "\"";
        xml += "/>\n";
    }
    if (!config.local_domains.empty()) {
        xml += "  <var name=\"domain\" value=\"" + xml_escape(config.local_domains.front()) + "\"/>\n";
    }
    xml += "  <tls verify=\"false\"/>\n</target>\n";
    return xml;
}

void write_target_profile(const std::filesystem::path& file, const std::string& xml) {
    auto tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write target profile " + tmp.string());
        out << xml;
        out.flush();
        if (!out) throw std::runtime_error("cannot write target profile " + tmp.string());
    }
    if (std::rename(tmp.c_str(), file.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot move the target profile into place at " + file.string());
    }
}

}  // namespace mailspec::server
