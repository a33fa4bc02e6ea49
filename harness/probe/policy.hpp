#pragma once
// What a host must offer on each port: the probe's policy. The default is the RFC port roles of
// issue 6; a policy file (docs/probe.md, fixtures/policies/) states them for a given host and may
// give a role to any port (e.g. the ephemeral ports of a test server). Plain data, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailspec/harness/model/judgement.hpp"
#include "observation.hpp"

namespace mailspec::harness::probe {

// One vocabulary with the scenarios' judges="policy" severity= (model/judgement.hpp).
using model::Severity;
using model::severity_from_string;
using model::to_string;

enum class Presence {
    any,     // open or closed are both fine (the default policy: a host need not run every service)
    open,    // the port must answer with the role's service
    closed,  // nothing may answer on the port
};

enum class TlsRequirement {
    any,       // no requirement (unofficial ports, or a policy that does not care)
    implicit,  // TLS from the first byte (RFC 8314 §3)
    starttls,  // clear-text greeting, STARTTLS / STLS offered and working (RFC 3207, RFC 2595)
    none,      // clear text without TLS is expected (e.g. a private relay); TLS is reported as info
};

const char* to_string(Presence presence);
const char* to_string(TlsRequirement requirement);
std::optional<Presence> presence_from_string(std::string_view text);
std::optional<TlsRequirement> tls_requirement_from_string(std::string_view text);

// One port's role: the expectations the judge checks and the RFC sections they come from.
struct PortRole {
    unsigned short port = 0;
    std::string role;                 // "submission", "imaps", ... or "custom"
    Service service = Service::unknown;  // unknown: any protocol
    TlsRequirement tls = TlsRequirement::any;
    Presence presence = Presence::any;
    bool auth_required = false;       // AUTH must be offered after TLS (RFC 6409 §4.3 for an MSA)
    Severity auth_before_tls = Severity::error;  // severity when credentials may be sent in clear
    bool informational = false;       // every finding on this port is downgraded to info
    std::string rfc;                  // where the role is defined, e.g. "RFC 8314 §3.3"
    std::string source;               // "default roles" or "policy.xml:12"
};

// The named roles a policy file can assign (docs/probe.md):
//   smtp (25), submission (587), submissions (465), pop3 (110), pop3s (995), imap (143),
//   imaps (993), smtp-alt (26, 2525: unofficial, informational), custom (no expectations).
// Returns nullopt for an unknown name.
std::optional<PortRole> named_role(std::string_view name, unsigned short port);
std::vector<std::string> role_names();

struct CertificateRules {
    bool require_chain = true;      // the chain must verify (system store or --ca); RFC 8314 §4.4
    bool require_host_name = true;  // the certificate must name the host; RFC 2595 §2.4, RFC 8314 §4.4
    long warn_days_left = 14;       // fewer days left than this is a warning; expired is an error
    std::string host_name;          // name to check; empty: the probed host
};

struct Policy {
    std::string name = "RFC 8314 / 6409 / 3207 / 2595 port roles";
    std::string source = "default roles";   // file path for a policy file
    std::vector<PortRole> roles;
    CertificateRules certificate;
    bool forbid_legacy_tls = true;  // TLS 1.0 / 1.1 accepted is an error (RFC 8996, RFC 8997)
};

// Issue 6's roles: 25 smtp, 26 and 2525 smtp-alt, 465 submissions, 587 submission, 110 pop3,
// 995 pop3s, 143 imap, 993 imaps; every port may be closed (Presence::any).
Policy default_policy();

// The role for `port`, or nullptr when the policy names none (the port is then judged only by the
// role-independent checks: TLS version, certificate, legacy TLS, re-advertised STARTTLS).
const PortRole* find_role(const Policy& policy, unsigned short port);

// The ports a policy names, in policy order: the default port list when a policy file is given
// without --ports.
std::vector<unsigned short> policy_ports(const Policy& policy);

}  // namespace mailspec::harness::probe
