// XML configuration loader (pugixml). Every error names FILE:LINE of the offending element.
#include "config/server_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <pugixml.hpp>

namespace mailspec::server {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// Maps byte offsets in the source text to 1-based line numbers.
class LineMap {
public:
    explicit LineMap(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') newlines_.push_back(i);
        }
    }
    int line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        auto it = std::lower_bound(newlines_.begin(), newlines_.end(),
                                   static_cast<std::size_t>(offset));
        return static_cast<int>(it - newlines_.begin()) + 1;
    }

private:
    std::vector<std::size_t> newlines_;
};

struct Loader {
    std::string file;
    std::filesystem::path base_dir;
    LineMap lines;

    int line(const pugi::xml_node& node) const { return lines.line_of(node.offset_debug()); }
    [[noreturn]] void fail(const pugi::xml_node& node, const std::string& message) const {
        throw ConfigError(file, line(node), message);
    }
    std::string where(const pugi::xml_node& node) const {
        return file + ":" + std::to_string(line(node));
    }

    // Rejects attributes not in `allowed` (catches typos like "tsl=").
    void check_attributes(const pugi::xml_node& node,
                          std::initializer_list<std::string_view> allowed) const {
        for (auto attr : node.attributes()) {
            if (std::find(allowed.begin(), allowed.end(), std::string_view(attr.name())) ==
                allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(node, "unknown attribute '" + std::string(attr.name()) + "' on <" +
                               node.name() + ">; expected one of: " + list);
            }
        }
    }
    std::string required(const pugi::xml_node& node, const char* name) const {
        auto attr = node.attribute(name);
        if (!attr) fail(node, std::string("<") + node.name() + "> needs attribute '" + name + "'");
        std::string value = attr.value();
        if (value.empty()) fail(node, std::string("attribute '") + name + "' must not be empty");
        return value;
    }
    bool boolean(const pugi::xml_node& node, const char* name, bool fallback) const {
        auto attr = node.attribute(name);
        if (!attr) return fallback;
        std::string value = lower(attr.value());
        if (value == "true" || value == "yes" || value == "1") return true;
        if (value == "false" || value == "no" || value == "0") return false;
        fail(node, std::string("attribute '") + name + "': expected true or false, got '" +
                       attr.value() + "'");
    }
    std::size_t size(const pugi::xml_node& node, const char* name, std::size_t fallback,
                     std::size_t minimum) const {
        auto attr = node.attribute(name);
        if (!attr) return fallback;
        std::string_view text = attr.value();
        std::size_t value = 0;
        std::size_t multiplier = 1;
        if (!text.empty() && (text.back() == 'k' || text.back() == 'K')) {
            multiplier = 1024;
            text.remove_suffix(1);
        } else if (!text.empty() && (text.back() == 'm' || text.back() == 'M')) {
            multiplier = 1024 * 1024;
            text.remove_suffix(1);
        }
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
            fail(node, std::string("attribute '") + name +
                           "': expected a number (optionally with K or M), got '" + attr.value() +
                           "'");
        }
        value *= multiplier;
        if (value < minimum) {
            fail(node, std::string("attribute '") + name + "': must be at least " +
                           std::to_string(minimum) + ", got " + std::to_string(value));
        }
        return value;
    }
    std::chrono::milliseconds duration(const pugi::xml_node& node, const char* name,
                                       std::chrono::milliseconds fallback) const {
        auto attr = node.attribute(name);
        if (!attr) return fallback;
        std::chrono::milliseconds value{};
        if (!parse_duration(attr.value(), value) || value.count() <= 0) {
            fail(node, std::string("attribute '") + name +
                           "': expected a positive duration such as 250ms, 30s or 5m, got '" +
                           attr.value() + "'");
        }
        return value;
    }
    std::filesystem::path path(const std::string& value) const {
        std::filesystem::path p(value);
        return p.is_absolute() ? p : base_dir / p;
    }

    void endpoint(const pugi::xml_node& node, ServerConfig& config) const {
        check_attributes(node, {"name", "role", "protocol", "address", "port", "tls", "starttls"});
        EndpointConfig ep;
        ep.name = required(node, "name");
        std::string role = node.attribute("role") ? required(node, "role") : ep.name;
        static const std::pair<const char*, EndpointRole> roles[] = {
            {"smtp", EndpointRole::smtp_relay},      {"relay", EndpointRole::smtp_relay},
            {"submission", EndpointRole::submission}, {"submissions", EndpointRole::submissions},
            {"pop3", EndpointRole::pop3},             {"pop3s", EndpointRole::pop3s},
            {"imap", EndpointRole::imap},             {"imaps", EndpointRole::imaps}};
        auto it = std::find_if(std::begin(roles), std::end(roles),
                               [&](const auto& r) { return role == r.first; });
        if (it == std::end(roles)) {
            fail(node, "endpoint '" + ep.name + "': unknown role '" + role +
                           "'; expected smtp (or relay), submission, submissions, pop3, pop3s, "
                           "imap or imaps");
        }
        ep.role = it->second;
        ep.protocol = protocol_of(ep.role);
        if (auto attr = node.attribute("protocol")) {
            if (std::string_view(attr.value()) != to_string(ep.protocol)) {
                fail(node, "endpoint '" + ep.name + "': role '" + role + "' speaks " +
                               std::string(to_string(ep.protocol)) + ", but protocol is '" +
                               attr.value() + "'");
            }
        }
        if (auto attr = node.attribute("address")) {
            ep.address = attr.value();
            if (ep.address.empty()) fail(node, "endpoint '" + ep.name + "': empty address");
        }
        auto port_attr = node.attribute("port");
        if (!port_attr) fail(node, "endpoint '" + ep.name + "' needs attribute 'port' (0: any)");
        std::string_view port_text = port_attr.value();
        unsigned port = 0;
        auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
            port > 65535) {
            fail(node, "endpoint '" + ep.name + "': port must be 0..65535, got '" +
                           std::string(port_text) + "'");
        }
        ep.port = static_cast<unsigned short>(port);
        bool implicit_default = ep.role == EndpointRole::submissions ||
                                ep.role == EndpointRole::pop3s || ep.role == EndpointRole::imaps;
        ep.tls = implicit_default ? TlsMode::implicit : TlsMode::plain;
        if (auto attr = node.attribute("tls")) {
            std::string_view mode = attr.value();
            if (mode == "plain") {
                ep.tls = TlsMode::plain;
            } else if (mode == "implicit") {
                ep.tls = TlsMode::implicit;
            } else {
                fail(node, "endpoint '" + ep.name + "': tls must be plain or implicit, got '" +
                               std::string(mode) + "'");
            }
        }
        ep.starttls = boolean(node, "starttls", true);
        for (const auto& other : config.endpoints) {
            if (other.name == ep.name) fail(node, "endpoint '" + ep.name + "' is defined twice");
        }
        config.endpoints.push_back(std::move(ep));
    }

    void user(const pugi::xml_node& node, ServerConfig& config) const {
        check_attributes(node, {"login", "password", "address"});
        UserConfig user;
        user.login = required(node, "login");
        for (char c : user.login) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
                fail(node, "user login '" + user.login +
                               "': only letters, digits, '.', '_' and '-' are allowed");
            }
        }
        if (user.login.front() == '.') fail(node, "user login must not start with '.'");
        user.password = required(node, "password");
        if (auto attr = node.attribute("address")) user.addresses.push_back(attr.value());
        for (auto child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) != "address") {
                fail(child, "unknown element <" + std::string(child.name()) +
                                "> in <user>; expected <address>");
            }
            user.addresses.push_back(child.text().get());
        }
        for (const auto& address : user.addresses) {
            auto at = address.rfind('@');
            if (at == std::string::npos || at == 0 || at + 1 == address.size()) {
                fail(node, "user '" + user.login + "': address '" + address +
                               "' is not local-part@domain");
            }
        }
        if (config.find_user(user.login)) {
            fail(node, "user '" + user.login + "' is defined twice");
        }
        config.users.push_back(std::move(user));
    }

    void limits(const pugi::xml_node& node, Limits& l) const {
        check_attributes(node, {"smtp-max-command-line", "smtp-max-text-line",
                                "pop3-max-command-line", "imap-max-line", "max-literal",
                                "max-message-size", "max-recipients", "max-connections",
                                "max-errors", "smtp-idle-timeout", "pop3-idle-timeout",
                                "imap-idle-timeout", "tls-handshake-timeout"});
        l.smtp_max_command_line = size(node, "smtp-max-command-line", l.smtp_max_command_line, 512);
        l.smtp_max_text_line = size(node, "smtp-max-text-line", l.smtp_max_text_line, 1000);
        l.pop3_max_command_line = size(node, "pop3-max-command-line", l.pop3_max_command_line, 255);
        l.imap_max_line = size(node, "imap-max-line", l.imap_max_line, 1000);
        l.max_literal = size(node, "max-literal", l.max_literal, 1);
        l.max_message_size = size(node, "max-message-size", l.max_message_size, 1);
        l.max_recipients = size(node, "max-recipients", l.max_recipients, 1);
        l.max_connections = size(node, "max-connections", l.max_connections, 1);
        l.max_errors = size(node, "max-errors", l.max_errors, 1);
        l.smtp_idle_timeout = duration(node, "smtp-idle-timeout", l.smtp_idle_timeout);
        l.pop3_idle_timeout = duration(node, "pop3-idle-timeout", l.pop3_idle_timeout);
        l.imap_idle_timeout = duration(node, "imap-idle-timeout", l.imap_idle_timeout);
        l.tls_handshake_timeout = duration(node, "tls-handshake-timeout", l.tls_handshake_timeout);
    }

    ServerConfig load(std::string_view xml) const {
        pugi::xml_document doc;
        auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default,
                                      pugi::encoding_utf8);
        if (!parsed) {
            throw ConfigError(file, lines.line_of(parsed.offset),
                              std::string("malformed XML: ") + parsed.description());
        }
        auto root = doc.document_element();
        if (std::string_view(root.name()) != "server") {
            throw ConfigError(file, root ? line(root) : 0,
                              "expected root element <server>, got <" + std::string(root.name()) +
                                  ">");
        }
        check_attributes(root, {"hostname"});
        ServerConfig config;
        config.source = file;
        if (auto attr = root.attribute("hostname")) config.hostname = attr.value();
        bool have_store = false;
        bool have_limits = false;
        bool have_options = false;
        for (auto node : root.children()) {
            if (node.type() != pugi::node_element) continue;
            std::string_view name = node.name();
            if (name == "endpoint") {
                endpoint(node, config);
            } else if (name == "user") {
                user(node, config);
            } else if (name == "domain") {
                check_attributes(node, {"name"});
                config.local_domains.push_back(lower(required(node, "name")));
            } else if (name == "store") {
                check_attributes(node, {"path"});
                if (have_store) fail(node, "<store> given twice");
                have_store = true;
                config.store_path = path(required(node, "path"));
            } else if (name == "tls") {
                check_attributes(node, {"certificate", "key"});
                config.tls.certificate = path(required(node, "certificate"));
                config.tls.key = path(required(node, "key"));
            } else if (name == "limits") {
                if (have_limits) fail(node, "<limits> given twice");
                have_limits = true;
                limits(node, config.limits);
            } else if (name == "options") {
                if (have_options) fail(node, "<options> given twice");
                have_options = true;
                check_attributes(node, {"allow-plaintext-auth"});
                config.options.allow_plaintext_auth =
                    boolean(node, "allow-plaintext-auth", config.options.allow_plaintext_auth);
            } else if (name == "fault") {
                check_attributes(node, {"name", "arg"});
                FaultSetting fault;
                fault.name = required(node, "name");
                if (auto attr = node.attribute("arg")) {
                    fault.arg = attr.value();
                    fault.has_arg = true;
                }
                fault.where = where(node);
                config.faults.push_back(std::move(fault));
            } else {
                fail(node, "unknown element <" + std::string(name) +
                               "> in <server>; expected endpoint, user, domain, store, tls, limits, "
                               "options or fault");
            }
        }
        if (!have_store) fail(root, "<server> needs a <store path=\"...\"/> element");
        if (config.endpoints.empty()) fail(root, "<server> needs at least one <endpoint>");
        for (const auto& user : config.users) {
            for (const auto& address : user.addresses) {
                auto domain = address.substr(address.rfind('@') + 1);
                if (!config.is_local_domain(domain)) {
                    throw ConfigError(file, 0, "user '" + user.login + "': address '" + address +
                                                   "' is not in a local <domain>");
                }
            }
        }
        return config;
    }
};

}  // namespace

std::string_view to_string(Protocol protocol) {
    switch (protocol) {
    case Protocol::smtp: return "smtp";
    case Protocol::pop3: return "pop3";
    case Protocol::imap: return "imap";
    }
    return "?";
}

std::string_view to_string(EndpointRole role) {
    switch (role) {
    case EndpointRole::smtp_relay: return "smtp";
    case EndpointRole::submission: return "submission";
    case EndpointRole::submissions: return "submissions";
    case EndpointRole::pop3: return "pop3";
    case EndpointRole::pop3s: return "pop3s";
    case EndpointRole::imap: return "imap";
    case EndpointRole::imaps: return "imaps";
    }
    return "?";
}

std::string_view to_string(TlsMode mode) { return mode == TlsMode::plain ? "plain" : "implicit"; }

Protocol protocol_of(EndpointRole role) {
    switch (role) {
    case EndpointRole::smtp_relay:
    case EndpointRole::submission:
    case EndpointRole::submissions: return Protocol::smtp;
    case EndpointRole::pop3:
    case EndpointRole::pop3s: return Protocol::pop3;
    case EndpointRole::imap:
    case EndpointRole::imaps: return Protocol::imap;
    }
    return Protocol::smtp;
}

bool ServerConfig::is_local_domain(std::string_view domain) const {
    return std::any_of(local_domains.begin(), local_domains.end(),
                       [&](const std::string& d) { return iequals(d, domain); });
}

const UserConfig* ServerConfig::find_user(std::string_view login) const {
    for (const auto& user : users) {
        if (user.login == login) return &user;
    }
    return nullptr;
}

const UserConfig* ServerConfig::find_user_by_address(std::string_view address) const {
    for (const auto& user : users) {
        for (const auto& a : user.addresses) {
            if (iequals(a, address)) return &user;
        }
    }
    return nullptr;
}

const EndpointConfig* ServerConfig::find_endpoint(std::string_view name) const {
    for (const auto& ep : endpoints) {
        if (ep.name == name) return &ep;
    }
    return nullptr;
}

ConfigError::ConfigError(std::string file, int line, const std::string& message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line) {}

ServerConfig parse_server_config(std::string_view xml, const std::string& file_name,
                                 const std::filesystem::path& base_dir) {
    Loader loader{file_name, base_dir, LineMap(xml)};
    return loader.load(xml);
}

ServerConfig load_server_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string(), 0, "cannot open the configuration file");
    std::ostringstream text;
    text << in.rdbuf();
    auto base = file.parent_path();
    if (base.empty()) base = ".";
    return parse_server_config(text.str(), file.string(), std::filesystem::absolute(base));
}

ServerConfig ephemeral_config(const std::filesystem::path& store_path) {
    ServerConfig config;
    config.source = "--ephemeral";
    config.hostname = "localhost";
    config.local_domains = {"example.test"};
    config.users = {{"alice", "secret1", {"alice@example.test"}},
                    {"bob", "secret2", {"bob@example.test"}}};
    config.store_path = store_path;
    const std::pair<const char*, EndpointRole> endpoints[] = {
        {"smtp", EndpointRole::smtp_relay}, {"submission", EndpointRole::submission},
        {"submissions", EndpointRole::submissions}, {"pop3", EndpointRole::pop3},
        {"pop3s", EndpointRole::pop3s}, {"imap", EndpointRole::imap},
        {"imaps", EndpointRole::imaps}};
    for (const auto& [name, role] : endpoints) {
        EndpointConfig ep;
        ep.name = name;
        ep.role = role;
        ep.protocol = protocol_of(role);
        ep.tls = (role == EndpointRole::submissions || role == EndpointRole::pop3s ||
                  role == EndpointRole::imaps)
                     ? TlsMode::implicit
                     : TlsMode::plain;
        config.endpoints.push_back(ep);
    }
    return config;
}

bool parse_duration(std::string_view text, std::chrono::milliseconds& out) {
    long long number = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || ptr == text.data() || number < 0) return false;
    std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    if (unit == "ms") {
        out = std::chrono::milliseconds(number);
    } else if (unit.empty() || unit == "s") {
        out = std::chrono::seconds(number);
    } else if (unit == "m") {
        out = std::chrono::minutes(number);
    } else {
        return false;
    }
    return true;
}

}  // namespace mailspec::server
