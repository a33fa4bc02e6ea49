#include "policy_loader.hpp"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

namespace {

class Loader {
public:
    Loader(std::string_view xml, const std::string& source) : xml_(xml), source_(source) {}

    std::optional<Policy> run(std::string& error) {
        pugi::xml_document doc;
        auto parsed = doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
        if (!parsed) {
            error = where(parsed.offset) + "XML is not well-formed: " + parsed.description();
            return std::nullopt;
        }
        auto root = doc.document_element();
        if (std::string_view(root.name()) != "probe-policy") {
            error = where(root) + "expected root element <probe-policy>, found <" + root.name() + ">";
            return std::nullopt;
        }
        Policy policy;
        policy.source = source_;
        policy.name = source_;
        if (!check_attributes(root, {"name"}, error)) return std::nullopt;
        if (auto name = root.attribute("name")) policy.name = name.value();

        std::set<unsigned> seen;
        for (auto node : root.children()) {
            if (node.type() != pugi::node_element) continue;
            std::string_view tag = node.name();
            if (tag == "certificate") {
                if (!load_certificate(node, policy.certificate, error)) return std::nullopt;
            } else if (tag == "tls") {
                if (!check_attributes(node, {"legacy"}, error)) return std::nullopt;
                if (auto legacy = node.attribute("legacy")) {
                    auto v = choice(node, "legacy", {"forbidden", "allowed"}, error);
                    if (!v) return std::nullopt;
                    policy.forbid_legacy_tls = *v == "forbidden";
                }
            } else if (tag == "port") {
                auto role = load_port(node, error);
                if (!role) return std::nullopt;
                if (!seen.insert(role->port).second) {
                    error = where(node) + "port " + std::to_string(role->port) + " is listed twice";
                    return std::nullopt;
                }
                policy.roles.push_back(*role);
            } else {
                error = where(node) + "expected <certificate>, <tls> or <port>, found <" + std::string(tag) + ">";
                return std::nullopt;
            }
        }
        if (policy.roles.empty()) {
            error = where(root) + "<probe-policy> names no <port>; expected at least one";
            return std::nullopt;
        }
        return policy;
    }

private:
    std::size_t line_of(std::ptrdiff_t offset) const {
        std::size_t line = 1;
        for (std::ptrdiff_t i = 0; i < offset && i < static_cast<std::ptrdiff_t>(xml_.size()); ++i)
            if (xml_[i] == '\n') ++line;
        return line;
    }
    std::string where(std::ptrdiff_t offset) const { return source_ + ":" + std::to_string(line_of(offset)) + ": "; }
    std::string where(const pugi::xml_node& node) const { return where(node.offset_debug()); }

    bool check_attributes(const pugi::xml_node& node, std::initializer_list<std::string_view> allowed,
                          std::string& error) const {
        for (auto attr : node.attributes()) {
            bool ok = false;
            for (auto a : allowed) ok = ok || a == attr.name();
            if (!ok) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                error = where(node) + "<" + node.name() + "> has unknown attribute \"" + attr.name() +
                        "\"; expected one of: " + list;
                return false;
            }
        }
        return true;
    }

    std::optional<std::string> choice(const pugi::xml_node& node, const char* attr,
                                      std::initializer_list<std::string_view> values, std::string& error) const {
        std::string_view value = node.attribute(attr).value();
        for (auto v : values)
            if (v == value) return std::string(value);
        std::string list;
        for (auto v : values) list += (list.empty() ? "" : "|") + std::string(v);
        error = where(node) + "<" + node.name() + "> attribute " + attr + ": expected " + list + ", found \"" +
                core::visible(value) + "\"";
        return std::nullopt;
    }

    std::optional<long> number(const pugi::xml_node& node, const char* attr, long min, long max,
                               std::string& error) const {
        std::string_view value = node.attribute(attr).value();
        long out = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
        if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || out < min || out > max) {
            error = where(node) + "<" + node.name() + "> attribute " + attr + ": expected " + std::to_string(min) +
                    ".." + std::to_string(max) + ", found \"" + core::visible(value) + "\"";
            return std::nullopt;
        }
        return out;
    }

    bool load_certificate(const pugi::xml_node& node, CertificateRules& rules, std::string& error) const {
        if (!check_attributes(node, {"chain", "host-name", "name", "warn-days"}, error)) return false;
        if (node.attribute("chain")) {
            auto v = choice(node, "chain", {"required", "ignore"}, error);
            if (!v) return false;
            rules.require_chain = *v == "required";
        }
        if (node.attribute("host-name")) {
            auto v = choice(node, "host-name", {"required", "ignore"}, error);
            if (!v) return false;
            rules.require_host_name = *v == "required";
        }
        if (auto name = node.attribute("name")) rules.host_name = name.value();
        if (node.attribute("warn-days")) {
            auto v = number(node, "warn-days", 0, 3650, error);
            if (!v) return false;
            rules.warn_days_left = *v;
        }
        return true;
    }

    std::optional<PortRole> load_port(const pugi::xml_node& node, std::string& error) const {
        if (!check_attributes(node, {"number", "role", "presence", "service", "tls", "auth-required",
                                     "auth-before-tls", "informational"},
                              error))
            return std::nullopt;
        if (!node.attribute("number")) {
            error = where(node) + "<port> needs attribute number (1..65535)";
            return std::nullopt;
        }
        auto port = number(node, "number", 1, 65535, error);
        if (!port) return std::nullopt;
        std::string role_name = node.attribute("role") ? node.attribute("role").value() : "custom";
        auto role = named_role(role_name, static_cast<unsigned short>(*port));
        if (!role) {
            std::string list;
            for (const auto& n : role_names()) list += (list.empty() ? "" : "|") + n;
            error = where(node) + "<port> attribute role: expected " + list + ", found \"" +
                    core::visible(role_name) + "\"";
            return std::nullopt;
        }
        role->presence = Presence::open;
        role->source = source_ + ":" + std::to_string(line_of(node.offset_debug()));
        if (node.attribute("presence")) {
            auto v = choice(node, "presence", {"open", "closed", "any"}, error);
            if (!v) return std::nullopt;
            role->presence = *presence_from_string(*v);
        }
        if (node.attribute("service")) {
            auto v = choice(node, "service", {"smtp", "pop3", "imap", "any"}, error);
            if (!v) return std::nullopt;
            role->service = *service_from_string(*v);
        }
        if (node.attribute("tls")) {
            auto v = choice(node, "tls", {"implicit", "starttls", "none", "any"}, error);
            if (!v) return std::nullopt;
            role->tls = *tls_requirement_from_string(*v);
        }
        if (node.attribute("auth-required")) {
            auto v = choice(node, "auth-required", {"yes", "no"}, error);
            if (!v) return std::nullopt;
            role->auth_required = *v == "yes";
        }
        if (node.attribute("auth-before-tls")) {
            auto v = choice(node, "auth-before-tls", {"error", "warning", "info"}, error);
            if (!v) return std::nullopt;
            role->auth_before_tls = *severity_from_string(*v);
        }
        if (node.attribute("informational")) {
            auto v = choice(node, "informational", {"yes", "no"}, error);
            if (!v) return std::nullopt;
            role->informational = *v == "yes";
        }
        return role;
    }

    std::string_view xml_;
    std::string source_;
};

}  // namespace

std::optional<Policy> parse_policy(std::string_view xml, const std::string& source_name, std::string& error) {
    return Loader(xml, source_name).run(error);
}

std::optional<Policy> load_policy_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot open the policy file for reading";
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        error = path + ": read error";
        return std::nullopt;
    }
    return parse_policy(content.str(), path, error);
}

}  // namespace mailspec::harness::probe
