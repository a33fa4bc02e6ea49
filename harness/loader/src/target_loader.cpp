#include "mailspec/harness/loader/target_loader.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "xml_document.hpp"

namespace mailspec::harness::loader {

using namespace model;

namespace {

// Expands ${env:NAME} in one attribute value; false (with an error on `node`) when NAME is unset.
bool expand_env(const detail::XmlDocument& doc, const pugi::xml_node& node, pugi::xml_attribute attribute,
                Diagnostics& errors) {
    const std::string_view value = attribute.value();
    if (value.find("${") == std::string_view::npos) return true;
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.compare(i, 3, "$${") == 0) {
            out += "${";
            i += 2;
            continue;
        }
        if (value.compare(i, 6, "${env:") == 0) {
            const auto close = value.find('}', i + 6);
            if (close == std::string_view::npos) {
                doc.error(node, std::string(attribute.name()) + ": unterminated ${env:...}; expected ${env:NAME}", errors);
                return false;
            }
            const std::string name(value.substr(i + 6, close - i - 6));
            const char* env = name.empty() ? nullptr : std::getenv(name.c_str());
            if (!env) {
                doc.error(node, std::string(attribute.name()) + ": environment variable '" + name +
                                    "' is not set (named by ${env:" + name + "})", errors);
                return false;
            }
            out += env;
            i = close;
            continue;
        }
        out += value[i];
    }
    attribute.set_value(out.c_str());
    return true;
}

}  // namespace

bool apply_user_option(Target& target, const std::string& spec, std::string& error) {
    const auto first = spec.find(':');
    const auto second = first == std::string::npos ? std::string::npos : spec.find(':', first + 1);
    if (first == 0 || second == std::string::npos || second == first + 1) {
        error = "--user '" + spec.substr(0, first) + ":...': expected ID:LOGIN:PASSWORD (e.g. user2:carol:s3cret)";
        return false;
    }
    const std::string id = spec.substr(0, first), login = spec.substr(first + 1, second - first - 1),
                      password = spec.substr(second + 1);
    for (auto& u : target.users) {
        if (u.id != id) continue;
        u.login = login;
        u.password = password;
        return true;
    }
    target.users.push_back({id, login, password, ""});
    return true;
}

std::optional<Target> load_target_text(std::string_view xml, const std::string& file_name, Diagnostics& errors) {
    detail::XmlDocument doc;
    if (!doc.parse(xml, file_name, errors)) return std::nullopt;
    const auto before = errors.size();
    const auto root = doc.root();
    {
        bool env_ok = true;
        for (auto a : root.attributes()) env_ok = expand_env(doc, root, a, errors) && env_ok;
        for (auto child : root.children())
            for (auto a : child.attributes()) env_ok = expand_env(doc, child, a, errors) && env_ok;
        if (!env_ok) return std::nullopt;
    }
    if (std::string_view(root.name()) != "target") {
        doc.error(root, "root element <" + std::string(root.name()) + ">: expected <target>", errors);
        return std::nullopt;
    }
    doc.check_attributes(root, {"name", "host"}, {"host"}, errors);
    Target t;
    t.where = doc.where(root);
    t.name = root.attribute("name").value();
    t.host = root.attribute("host").value();
    std::set<std::string> endpoint_names, user_ids, var_names;
    bool seen_tls = false;
    for (const auto& child : root.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            if (std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
                doc.error(root, "unexpected text inside <target>", errors);
            continue;
        }
        if (child.type() != pugi::node_element) continue;
        const std::string_view name = child.name();
        doc.check_no_children(child, false, errors);
        if (name == "endpoint") {
            if (!doc.check_attributes(child, {"name", "protocol", "port", "tls"}, {"name", "protocol", "port"}, errors))
                continue;
            Endpoint e;
            e.where = doc.where(child);
            e.name = child.attribute("name").value();
            if (!endpoint_names.insert(e.name).second) doc.error(child, "endpoint '" + e.name + "' is defined twice", errors);
            if (auto p = parse_protocol(child.attribute("protocol").value())) e.protocol = *p;
            else doc.error(child, std::string("protocol='") + child.attribute("protocol").value() +
                                      "': expected smtp, pop3 or imap", errors);
            const std::string_view port = child.attribute("port").value();
            unsigned value = 0;
            auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
            if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535)
                doc.error(child, "port='" + std::string(port) + "': expected a number from 1 to 65535", errors);
            e.port = static_cast<unsigned short>(value);
            const std::string tls = child.attribute("tls") ? child.attribute("tls").value() : "plain";
            if (tls == "plain") e.tls = TlsMode::plain;
            else if (tls == "implicit") e.tls = TlsMode::implicit;
            else doc.error(child, "tls='" + tls + "': expected plain or implicit", errors);
            t.endpoints.push_back(std::move(e));
        } else if (name == "user") {
            if (!doc.check_attributes(child, {"id", "login", "password", "address"}, {"id", "login", "password"}, errors))
                continue;
            User u{child.attribute("id").value(), child.attribute("login").value(), child.attribute("password").value(),
                   child.attribute("address").value()};
            if (!user_ids.insert(u.id).second) doc.error(child, "user '" + u.id + "' is defined twice", errors);
            t.users.push_back(std::move(u));
        } else if (name == "var") {
            if (!doc.check_attributes(child, {"name", "value"}, {"name", "value"}, errors)) continue;
            const std::string n = child.attribute("name").value();
            if (!var_names.insert(n).second) doc.error(child, "var '" + n + "' is defined twice", errors);
            t.vars[n] = child.attribute("value").value();
        } else if (name == "tls") {
            doc.check_attributes(child, {"verify", "ca", "server-name"}, {}, errors);
            if (seen_tls) doc.error(child, "<tls> may appear only once", errors);
            seen_tls = true;
            if (auto a = child.attribute("verify")) {
                if (auto b = detail::parse_bool(a.value())) t.tls_verify = *b;
                else doc.error(child, std::string("verify='") + a.value() + "': expected true or false", errors);
            }
            t.tls_ca_file = child.attribute("ca").value();
            t.tls_server_name = child.attribute("server-name").value();
        } else {
            doc.error(child, "unknown element <" + std::string(name) + "> inside <target>; expected endpoint, user, var or tls",
                      errors);
        }
    }
    if (t.endpoints.empty() && errors.size() == before) doc.error(root, "target has no <endpoint>", errors);
    if (errors.size() != before) return std::nullopt;
    return t;
}

std::optional<Target> load_target_file(const std::string& path, Diagnostics& errors) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({{path, 0}, "cannot open target file"});
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_target_text(ss.str(), path, errors);
}

}  // namespace mailspec::harness::loader
