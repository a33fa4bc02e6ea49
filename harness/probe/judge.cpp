#include "judge.hpp"

#include "capabilities.hpp"

namespace mailspec::harness::probe {

const char* to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass: return "pass";
        case Outcome::finding: return "finding";
        case Outcome::inconclusive: return "inconclusive";
        case Outcome::skipped: return "skipped";
    }
    return "?";
}

namespace {

std::string service_name(Service s) {
    switch (s) {
        case Service::smtp: return "SMTP";
        case Service::pop3: return "POP3";
        case Service::imap: return "IMAP";
        case Service::unknown: return "unknown";
    }
    return "?";
}

const char* starttls_word(Service s) { return s == Service::pop3 ? "STLS" : "STARTTLS"; }

std::string role_label(const PortRole& role) {
    return "the " + role.role + " role of port " + std::to_string(role.port);
}

const char* implicit_tls_rfc(Service s) {
    switch (s) {
        case Service::pop3: return "RFC 8314 §3.1";
        case Service::imap: return "RFC 8314 §3.2";
        default: return "RFC 8314 §3.3";
    }
}

const char* starttls_rfc(Service s) {
    switch (s) {
        case Service::pop3: return "RFC 2595 §4";
        case Service::imap: return "RFC 2595 §3.1, RFC 3501 §6.2.1";
        default: return "RFC 3207 §4";
    }
}

const char* auth_in_clear_rfc(Service s) {
    switch (s) {
        case Service::pop3: return "RFC 5034 §4, RFC 2595 §2.3, RFC 8314 §4.1";
        case Service::imap: return "RFC 3501 §6.2.3, RFC 2595 §3.2, RFC 8314 §4.1";
        default: return "RFC 4954 §9, RFC 8314 §4.1";
    }
}

class PortJudge {
public:
    PortJudge(const PortObservation& o, const PortRole* role, const Policy& policy, const JudgeOptions& options)
        : o_(o), role_(role), policy_(policy), options_(options) {}

    PortJudgement run() {
        PortJudgement out;
        out.observation = o_;
        if (role_) out.role = *role_;
        reachable();
        if (o_.state != PortState::open) {
            out.checks = std::move(checks_);
            return out;
        }
        service();
        tls_mode();
        tls_version();
        legacy_tls();
        certificate();
        auth_before_tls();
        auth_after_tls();
        starttls_readvertised();
        out.checks = std::move(checks_);
        return out;
    }

private:
    Severity sev(Severity s) const { return role_ && role_->informational ? Severity::info : s; }
    Service expected_service() const { return role_ ? role_->service : Service::unknown; }
    Service service_for_rfc() const { return o_.service != Service::unknown ? o_.service : expected_service(); }

    void pass(const char* check, std::string message, std::string rfc = {}) {
        checks_.push_back({check, Outcome::pass, Severity::info, std::move(message), std::move(rfc)});
    }
    void finding(const char* check, Severity s, std::string message, std::string rfc) {
        checks_.push_back({check, Outcome::finding, sev(s), std::move(message), std::move(rfc)});
    }
    void skip(const char* check, std::string message) {
        checks_.push_back({check, Outcome::skipped, Severity::info, std::move(message), {}});
    }

    void reachable() {
        Presence presence = role_ ? role_->presence : Presence::any;
        std::string rfc = role_ ? role_->rfc : std::string();
        if (o_.state == PortState::open) {
            if (presence == Presence::closed)
                finding("reachable", Severity::error,
                        "port " + std::to_string(o_.port) + " answers but the policy (" + role_->source +
                            ") requires it closed",
                        rfc);
            else
                pass("reachable", "open");
            return;
        }
        std::string state = to_string(o_.state);
        std::string detail = o_.state_detail.empty() ? state : state + " (" + o_.state_detail + ")";
        if (presence == Presence::open)
            finding("reachable", Severity::error,
                    "expected " + service_name(role_->service) + " on " + role_label(*role_) + ", found " + detail,
                    rfc);
        else
            pass("reachable", detail);
    }

    void service() {
        Service expected = expected_service();
        if (o_.service == Service::unknown) {
            // An inconclusive port is counted once, by the tls-mode check.
            skip("service", o_.inconclusive ? "no greeting recognised (inconclusive)" : "no greeting recognised");
            return;
        }
        if (expected != Service::unknown && expected != o_.service) {
            finding("service", Severity::error,
                    "expected " + service_name(expected) + " on " + role_label(*role_) + ", found a " +
                        service_name(o_.service) + " greeting \"" + o_.greeting + "\"",
                    role_->rfc);
            return;
        }
        pass("service", service_name(o_.service) + " greeting \"" + o_.greeting + "\"");
    }

    Severity inconclusive_severity() const {
        // A port the policy says must be open cannot be left undecided; elsewhere it is a warning.
        if (role_ && role_->informational) return Severity::info;
        return role_ && role_->presence == Presence::open ? Severity::error : Severity::warning;
    }

    void tls_mode() {
        Service s = service_for_rfc();
        if (o_.inconclusive) {
            checks_.push_back({"tls-mode", Outcome::inconclusive, inconclusive_severity(),
                               "inconclusive: " + *o_.inconclusive, {}});
            return;
        }
        TlsRequirement required = role_ ? role_->tls : TlsRequirement::any;
        std::string observed = to_string(o_.tls_mode);
        switch (required) {
            case TlsRequirement::implicit:
                if (o_.tls_mode == TlsMode::implicit)
                    pass("tls-mode", "implicit TLS", implicit_tls_rfc(s));
                else
                    finding("tls-mode", Severity::error,
                            "expected implicit TLS on " + role_label(*role_) + " (TLS handshake right after "
                            "connect), found a clear-text greeting (" + observed + ")",
                            implicit_tls_rfc(s));
                return;
            case TlsRequirement::starttls:
                if (o_.tls_mode == TlsMode::starttls) {
                    pass("tls-mode", std::string(starttls_word(s)) + " offered and working", starttls_rfc(s));
                } else if (o_.tls_mode == TlsMode::implicit) {
                    finding("tls-mode", Severity::error,
                            "expected a clear-text greeting and " + std::string(starttls_word(s)) + " on " +
                                role_label(*role_) + ", found implicit TLS; clients configured for this "
                                "role will fail",
                            std::string(starttls_rfc(s)) + (role_->role == "submission" ? ", RFC 8314 §3.3" : ""));
                } else if (o_.tls_mode == TlsMode::starttls_failed) {
                    finding("tls-mode", Severity::error,
                            std::string(starttls_word(s)) + " offered but not working: " + o_.tls_failure,
                            std::string(starttls_rfc(s)) + ", RFC 8314 §4");
                } else {
                    finding("tls-mode", Severity::error,
                            "expected " + std::string(starttls_word(s)) + " on " + role_label(*role_) +
                                ", the server does not offer it (plain text only)",
                            std::string(starttls_rfc(s)) + ", RFC 8314 §4");
                }
                return;
            case TlsRequirement::none:
                pass("tls-mode", observed);
                return;
            case TlsRequirement::any:
                if (o_.tls_mode == TlsMode::starttls_failed)
                    finding("tls-mode", Severity::warning,
                            std::string(starttls_word(s)) + " offered but not working: " + o_.tls_failure,
                            "RFC 8314 §4");
                else if (o_.tls_mode == TlsMode::plaintext)
                    finding("tls-mode", Severity::info, "plain text only, no TLS offered", "RFC 8314 §4.1");
                else
                    pass("tls-mode", observed);
                return;
        }
    }

    void tls_version() {
        if (!o_.tls) {
            skip("tls-version", "no TLS session");
            return;
        }
        const std::string& v = o_.tls->version;
        if (v == "TLSv1.2" || v == "TLSv1.3")
            pass("tls-version", v);
        else
            finding("tls-version", Severity::error,
                    "negotiated " + (v.empty() ? std::string("an unknown version") : v) +
                        "; mail servers must support TLS 1.2 or later",
                    "RFC 8314 §4, RFC 8997");
    }

    void legacy_tls() {
        if (!o_.legacy_tls_accepted) {
            skip("legacy-tls", o_.tls ? "not measured" : "no TLS session");
            return;
        }
        if (!*o_.legacy_tls_accepted) {
            pass("legacy-tls", "TLS 1.0/1.1 refused");
            return;
        }
        finding("legacy-tls", policy_.forbid_legacy_tls ? Severity::error : Severity::info,
                "the server accepts " + (o_.legacy_tls_version.empty() ? std::string("TLS < 1.2")
                                                                      : o_.legacy_tls_version) +
                    "; TLS 1.0 and 1.1 are deprecated",
                "RFC 8996 §4-5, RFC 8997, RFC 8314 §4.1");
    }

    void certificate() {
        if (!o_.tls) {
            skip("certificate-chain", "no TLS session");
            skip("certificate-host-name", "no TLS session");
            skip("certificate-expiry", "no TLS session");
            return;
        }
        const auto& t = *o_.tls;
        const auto& rules = policy_.certificate;
        if (t.chain_verified) {
            pass("certificate-chain", "verified; issuer " + t.issuer);
        } else {
            Severity s = rules.require_chain && !options_.insecure ? Severity::error : Severity::info;
            finding("certificate-chain", s,
                    "chain does not verify" + (t.verify_error.empty() ? std::string() : ": " + t.verify_error) +
                        " (issuer " + t.issuer + ")",
                    "RFC 8314 §4.4, RFC 8314 §5.3");
        }
        std::string name = rules.host_name.empty() ? options_.host : rules.host_name;
        if (t.hostname_matches) {
            pass("certificate-host-name", "valid for " + name);
        } else {
            Severity s = rules.require_host_name && !options_.insecure ? Severity::error : Severity::info;
            std::string sans;
            for (const auto& san : t.subject_alt_names) sans += (sans.empty() ? "" : ", ") + san;
            finding("certificate-host-name", s,
                    "certificate is not valid for " + name + " (subject " + t.subject + "; SANs " +
                        (sans.empty() ? std::string("none") : sans) + ")",
                    "RFC 2595 §2.4, RFC 8314 §4.4");
        }
        if (!t.days_left) {
            skip("certificate-expiry", "no expiry date");
        } else if (*t.days_left < 0) {
            finding("certificate-expiry", Severity::error,
                    "certificate expired " + std::to_string(-*t.days_left) + " day(s) ago (not after " +
                        t.not_after + ")",
                    "RFC 8314 §4.4");
        } else if (*t.days_left < rules.warn_days_left) {
            finding("certificate-expiry", Severity::warning,
                    "certificate expires in " + std::to_string(*t.days_left) + " day(s) (not after " + t.not_after +
                        "), below the " + std::to_string(rules.warn_days_left) + "-day margin",
                    "RFC 8314 §4.4");
        } else {
            pass("certificate-expiry", std::to_string(*t.days_left) + " day(s) left");
        }
    }

    void auth_before_tls() {
        if (!o_.auth_before_tls) {
            skip("auth-before-tls", o_.tls_mode == TlsMode::implicit ? "no clear-text phase" : "not measured");
            return;
        }
        if (!*o_.auth_before_tls) {
            pass("auth-before-tls", "no authentication offered before TLS");
            return;
        }
        Severity s = role_ ? role_->auth_before_tls : Severity::warning;
        Service svc = service_for_rfc();
        if (o_.preauth) {
            finding("auth-before-tls", s,
                    "PREAUTH greeting in clear text: the session is authenticated before any TLS",
                    "RFC 3501 §7.1.4, RFC 8314 §3.2");
            return;
        }
        std::string what = svc == Service::imap  ? "LOGIN without LOGINDISABLED, or a plain-text AUTH= mechanism"
                           : svc == Service::pop3 ? "USER or SASL"
                                                  : "AUTH";
        finding("auth-before-tls", s,
                "authentication (" + what + ") is offered before TLS; passwords can be sent in clear text",
                auth_in_clear_rfc(svc));
    }

    void auth_after_tls() {
        if (!role_ || !role_->auth_required) return;
        if (!o_.capabilities_after_known) {
            skip("auth-after-tls", "capabilities after TLS unknown");
            return;
        }
        auto summary = summarize_capabilities(service_for_rfc(), o_.capabilities_after_tls);
        bool offered = !summary.mechanisms.empty() || summary.auth_offered;
        if (offered)
            pass("auth-after-tls", "AUTH offered after TLS", "RFC 6409 §4.3");
        else
            finding("auth-after-tls", Severity::error,
                    "no AUTH offered after TLS on " + role_label(*role_) + "; a submission server requires "
                    "authentication",
                    "RFC 6409 §4.3, RFC 4954 §3");
    }

    void starttls_readvertised() {
        if (!o_.starttls_readvertised) return;
        Service s = service_for_rfc();
        if (!*o_.starttls_readvertised) {
            pass("starttls-readvertised", std::string(starttls_word(s)) + " not offered again after TLS");
            return;
        }
        if (s == Service::smtp)
            finding("starttls-readvertised", Severity::error,
                    "STARTTLS listed in the EHLO reply after the TLS handshake", "RFC 3207 §4.2");
        else
            finding("starttls-readvertised", Severity::warning,
                    std::string(starttls_word(s)) + " still advertised after TLS, where it is no longer permitted",
                    s == Service::pop3 ? "RFC 2595 §4" : "RFC 2595 §3.1");
    }

    const PortObservation& o_;
    const PortRole* role_;
    const Policy& policy_;
    const JudgeOptions& options_;
    std::vector<CheckResult> checks_;
};

}  // namespace

std::string PortJudgement::verdict() const {
    if (observation.state == PortState::closed || observation.state == PortState::no_answer) {
        for (const auto& c : checks)
            if (c.outcome == Outcome::finding && c.severity == Severity::error) return "FAIL";
        return to_string(observation.state);
    }
    bool error = false, warning = false, inconclusive = false;
    for (const auto& c : checks) {
        if (c.outcome == Outcome::inconclusive) inconclusive = true;
        if (c.outcome == Outcome::finding && c.severity == Severity::error) error = true;
        if (c.outcome == Outcome::finding && c.severity == Severity::warning) warning = true;
    }
    if (error) return "FAIL";
    if (inconclusive) return "INCONCLUSIVE";
    if (warning) return "WARN";
    if (role && role->informational) return "INFO";
    return "OK";
}

std::size_t Judgement::count(Severity severity) const {
    std::size_t n = 0;
    for (const auto& p : ports)
        for (const auto& c : p.checks)
            if ((c.outcome == Outcome::finding || c.outcome == Outcome::inconclusive) && c.severity == severity) ++n;
    return n;
}

int Judgement::exit_code() const { return count(Severity::error) > 0 ? 1 : 0; }

PortJudgement judge_port(const PortObservation& observation, const PortRole* role, const Policy& policy,
                         const JudgeOptions& options) {
    return PortJudge(observation, role, policy, options).run();
}

Judgement judge(const std::vector<PortObservation>& observations, const Policy& policy,
                const JudgeOptions& options) {
    Judgement out;
    out.host = options.host;
    out.policy_name = policy.name;
    out.policy_source = policy.source;
    for (const auto& o : observations) out.ports.push_back(judge_port(o, find_role(policy, o.port), policy, options));
    return out;
}

}  // namespace mailspec::harness::probe
