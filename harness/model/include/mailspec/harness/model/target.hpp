#pragma once
// A target profile: the server under test (host, endpoints by port role, users, variables, TLS).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mailspec/harness/model/scenario.hpp"

namespace mailspec::harness::model {

enum class TlsMode { plain, implicit };  // what the port speaks at connect (RFC 8314 §3)

struct Endpoint {
    std::string name;   // the port role: "smtp", "submission", "imaps", ...
    Protocol protocol = Protocol::smtp;
    unsigned short port = 0;
    TlsMode tls = TlsMode::plain;
    SourceLocation where;
};

struct User {
    std::string id;  // gives ${id.login}, ${id.password}, ${id.address}
    std::string login;
    std::string password;
    std::string address;
};

struct Target {
    std::string name;
    std::string host;
    std::vector<Endpoint> endpoints;
    std::vector<User> users;
    std::map<std::string, std::string> vars;  // <var name value/>
    bool tls_verify = true;                    // <tls verify="false"/>; --insecure forces false
    std::string tls_ca_file;                   // <tls ca="file"/>; --ca overrides
    std::string tls_server_name;               // <tls server-name="..."/>; default: host
    SourceLocation where;

    const Endpoint* find_endpoint(const std::string& name) const;

    // The variables the target defines: ${user.login}..., ${domain}, ${target.host}. A user
    // without an address defines no ${ID.address}.
    std::map<std::string, std::string> variables() const;
};

// The names the standard targets define (fixtures/targets/local.xml and the reference server's
// --write-target profile): users "user" and "user2", variable "domain". `mailspec check` without
// --target lints against this.
Target standard_target_shape();

}  // namespace mailspec::harness::model
