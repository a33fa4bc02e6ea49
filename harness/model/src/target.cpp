#include "mailspec/harness/model/target.hpp"

namespace mailspec::harness::model {

const Endpoint* Target::find_endpoint(const std::string& endpoint_name) const {
    for (const auto& e : endpoints)
        if (e.name == endpoint_name) return &e;
    return nullptr;
}

std::map<std::string, std::string> Target::variables() const {
    std::map<std::string, std::string> out = vars;
    for (const auto& u : users) {
        out[u.id + ".login"] = u.login;
        out[u.id + ".password"] = u.password;
        if (!u.address.empty()) out[u.id + ".address"] = u.address;  // optional: SKIP where needed
    }
    out["target.host"] = host;
    out["target.name"] = name;
    return out;
}

Target standard_target_shape() {
    Target t;
    t.name = "standard";
    t.host = "127.0.0.1";
    const struct { const char* name; Protocol p; TlsMode tls; } roles[] = {
        {"smtp", Protocol::smtp, TlsMode::plain},       {"submission", Protocol::smtp, TlsMode::plain},
        {"submissions", Protocol::smtp, TlsMode::implicit}, {"pop3", Protocol::pop3, TlsMode::plain},
        {"pop3s", Protocol::pop3, TlsMode::implicit},   {"imap", Protocol::imap, TlsMode::plain},
        {"imaps", Protocol::imap, TlsMode::implicit},
    };
    for (const auto& r : roles) t.endpoints.push_back({r.name, r.p, 0, r.tls, {}});
    t.users.push_back({"user", "alice", "secret1", "alice@example.test"});
    t.users.push_back({"user2", "bob", "secret2", "bob@example.test"});
    t.vars["domain"] = "example.test";
    t.tls_verify = false;
    return t;
}

}  // namespace mailspec::harness::model
