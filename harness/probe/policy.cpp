#include "policy.hpp"

namespace mailspec::harness::probe {

const char* to_string(Presence presence) {
    switch (presence) {
        case Presence::any: return "any";
        case Presence::open: return "open";
        case Presence::closed: return "closed";
    }
    return "?";
}

const char* to_string(TlsRequirement requirement) {
    switch (requirement) {
        case TlsRequirement::any: return "any";
        case TlsRequirement::implicit: return "implicit";
        case TlsRequirement::starttls: return "starttls";
        case TlsRequirement::none: return "none";
    }
    return "?";
}

std::optional<Presence> presence_from_string(std::string_view text) {
    if (text == "any") return Presence::any;
    if (text == "open") return Presence::open;
    if (text == "closed") return Presence::closed;
    return std::nullopt;
}

std::optional<TlsRequirement> tls_requirement_from_string(std::string_view text) {
    if (text == "any") return TlsRequirement::any;
    if (text == "implicit") return TlsRequirement::implicit;
    if (text == "starttls") return TlsRequirement::starttls;
    if (text == "none") return TlsRequirement::none;
    return std::nullopt;
}

namespace {

struct RoleSpec {
    const char* name;
    Service service;
    TlsRequirement tls;
    bool auth_required;
    Severity auth_before_tls;
    bool informational;
    const char* rfc;
};

// RFC 5321 §4.5.4 / RFC 3207: relay on 25 with STARTTLS; clear text stays allowed for MX traffic,
// AUTH in clear is a warning there. RFC 6409 §4.3 + RFC 3207 §4.3 + RFC 8314 §3.3: submission on
// 587 with STARTTLS, then AUTH. RFC 8314 §3.1-3.3: implicit TLS on 995, 993, 465.
// RFC 2595 §3.1 / §4: STARTTLS for IMAP on 143, STLS for POP3 on 110.
constexpr RoleSpec kRoles[] = {
    {"smtp", Service::smtp, TlsRequirement::starttls, false, Severity::warning, false, "RFC 3207 §4, RFC 5321"},
    {"submission", Service::smtp, TlsRequirement::starttls, true, Severity::error, false,
     "RFC 6409 §4.3, RFC 3207 §4.3, RFC 8314 §3.3"},
    {"submissions", Service::smtp, TlsRequirement::implicit, true, Severity::error, false, "RFC 8314 §3.3"},
    {"pop3", Service::pop3, TlsRequirement::starttls, false, Severity::error, false, "RFC 2595 §4, RFC 1939"},
    {"pop3s", Service::pop3, TlsRequirement::implicit, false, Severity::error, false, "RFC 8314 §3.1"},
    {"imap", Service::imap, TlsRequirement::starttls, false, Severity::error, false,
     "RFC 2595 §3.1, RFC 3501 §6.2.1"},
    {"imaps", Service::imap, TlsRequirement::implicit, false, Severity::error, false, "RFC 8314 §3.2"},
    {"smtp-alt", Service::smtp, TlsRequirement::any, false, Severity::warning, true,
     "unofficial SMTP port (no RFC role)"},
    {"custom", Service::unknown, TlsRequirement::any, false, Severity::warning, false, "policy file"},
};

}  // namespace

std::optional<PortRole> named_role(std::string_view name, unsigned short port) {
    for (const auto& spec : kRoles) {
        if (name != spec.name) continue;
        PortRole role;
        role.port = port;
        role.role = spec.name;
        role.service = spec.service;
        role.tls = spec.tls;
        role.auth_required = spec.auth_required;
        role.auth_before_tls = spec.auth_before_tls;
        role.informational = spec.informational;
        role.rfc = spec.rfc;
        return role;
    }
    return std::nullopt;
}

std::vector<std::string> role_names() {
    std::vector<std::string> names;
    for (const auto& spec : kRoles) names.emplace_back(spec.name);
    return names;
}

Policy default_policy() {
    Policy policy;
    const std::pair<unsigned short, const char*> layout[] = {
        {25, "smtp"},  {26, "smtp-alt"}, {465, "submissions"}, {587, "submission"}, {2525, "smtp-alt"},
        {110, "pop3"}, {995, "pop3s"},   {143, "imap"},        {993, "imaps"},
    };
    for (auto [port, name] : layout) {
        PortRole role = *named_role(name, port);
        role.source = "default roles";
        policy.roles.push_back(role);
    }
    return policy;
}

const PortRole* find_role(const Policy& policy, unsigned short port) {
    for (const auto& role : policy.roles)
        if (role.port == port) return &role;
    return nullptr;
}

std::vector<unsigned short> policy_ports(const Policy& policy) {
    std::vector<unsigned short> ports;
    for (const auto& role : policy.roles) ports.push_back(role.port);
    return ports;
}

}  // namespace mailspec::harness::probe
