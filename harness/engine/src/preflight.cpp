// Preflight checks as generated scenarios (see preflight.hpp).
#include "mailspec/harness/engine/preflight.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "mailspec/harness/loader/scenario_loader.hpp"

namespace mailspec::harness::engine {
namespace {

using model::Outcome;
using model::Protocol;

// Only plain names are pasted into the generated XML; a target with stranger ids is not checked.
bool plain_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
}

const char* greeting_expect(Protocol protocol) {
    switch (protocol) {
    case Protocol::smtp: return R"(<expect code="220"/>)";             // RFC 5321 §3.1, §4.2
    case Protocol::pop3: return R"(<expect status="+OK"/>)";           // RFC 1939 §4
    case Protocol::imap: return R"(<expect status="OK|PREAUTH"/>)";    // RFC 3501 §7.1
    }
    return "<expect/>";
}

std::string scenario_xml(const std::string& id, Protocol protocol, const std::string& steps) {
    return "<scenario id=\"" + id + "\" protocol=\"" + model::to_string(protocol) + "\">\n" + steps + "</scenario>\n";
}

// Connect (with the implicit TLS handshake where declared) and read the greeting.
std::string connect_and_greet(const model::Endpoint& endpoint) {
    return "  <connect endpoint=\"" + endpoint.name + "\"/>\n  " + greeting_expect(endpoint.protocol) + "\n";
}

std::string endpoint_check(const model::Endpoint& endpoint) {
    return scenario_xml("preflight.endpoint." + endpoint.name, endpoint.protocol,
                        connect_and_greet(endpoint) + "  <close/>\n");
}

// The login steps for user `id` on `endpoint`, upgrading with STARTTLS / STLS first on a plain
// endpoint (a server need not accept a password in the clear, RFC 3501 §6.2.3, RFC 8314 §3).
std::string login_check(const model::Endpoint& endpoint, const std::string& id) {
    const bool plain = endpoint.tls == model::TlsMode::plain;
    std::string steps = connect_and_greet(endpoint);
    switch (endpoint.protocol) {
    case Protocol::imap:
        if (plain)
            steps += "  <send>pf0 CAPABILITY</send>\n  <expect tag=\"pf0\" status=\"OK\"/>\n"
                     "  <requires capability=\"STARTTLS\"/>\n  <starttls/>\n";
        steps += "  <send>pf1 LOGIN ${imap-astring:" + id + ".login} ${imap-astring:" + id + ".password}</send>\n"
                 "  <expect tag=\"pf1\" status=\"OK\"/>\n  <send>pf2 LOGOUT</send>\n  <expect tag=\"pf2\"/>\n";
        break;
    case Protocol::pop3:
        if (plain)
            steps += "  <send>CAPA</send>\n  <expect multiline=\"true\"/>\n"
                     "  <requires capability=\"STLS\"/>\n  <starttls/>\n";
        steps += "  <send>USER ${pop3-arg:" + id + ".login}</send>\n  <expect status=\"+OK\"/>\n"
                 "  <send>PASS ${pop3-pass:" + id + ".password}</send>\n  <expect status=\"+OK\"/>\n"
                 "  <send>QUIT</send>\n  <expect status=\"+OK\"/>\n";
        break;
    case Protocol::smtp:
        steps += "  <send>EHLO preflight.mailspec.invalid</send>\n  <expect code=\"250\"/>\n";
        if (plain)
            steps += "  <requires capability=\"STARTTLS\"/>\n  <starttls/>\n"
                     "  <send>EHLO preflight.mailspec.invalid</send>\n  <expect code=\"250\"/>\n";
        steps += "  <requires capability=\"AUTH=PLAIN\"/>\n  <send>AUTH PLAIN ${sasl-plain:" + id + "}</send>\n"
                 "  <expect code=\"235\"/>\n  <send>QUIT</send>\n  <expect code=\"221\"/>\n";
        break;
    }
    return scenario_xml("preflight.login." + id, endpoint.protocol, steps);
}

std::string where(const model::Target& target, const model::Endpoint& endpoint) {
    const bool v6 = target.host.find(':') != std::string::npos;
    return endpoint.name + " " + (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(endpoint.port);
}

std::string why(const model::ScenarioResult& r) {
    std::string text = r.message;
    if (!r.actual.empty()) text += (text.empty() ? "" : "; the server answered ") + r.actual;
    return text;
}

std::optional<model::Scenario> build(const std::string& xml, std::vector<std::string>& problems) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "<preflight>", errors);
    if (!errors.empty() || scenarios.size() != 1) {
        problems.push_back("internal error: a preflight check did not load: " +
                           (errors.empty() ? std::string("no scenario") : errors.front().str()));
        return std::nullopt;
    }
    return std::move(scenarios.front());
}

}  // namespace

std::vector<std::string> endpoints_used(const std::vector<const model::Scenario*>& scenarios,
                                        const model::Target& target) {
    std::set<std::string> names;
    for (const auto* s : scenarios)
        for (const auto* steps : {&s->steps, &s->cleanup})
            for (const auto& step : *steps)
                if (const auto* c = std::get_if<model::Connect>(&step.action))
                    if (target.find_endpoint(c->endpoint)) names.insert(c->endpoint);
    std::vector<std::string> out;  // in target order
    for (const auto& e : target.endpoints)
        if (names.count(e.name)) out.push_back(e.name);
    return out;
}

std::vector<std::string> users_used(const std::vector<const model::Scenario*>& scenarios,
                                    const model::Target& target) {
    std::set<std::string> ids;
    for (const auto* s : scenarios)
        for (const auto* steps : {&s->steps, &s->cleanup})
            for (const auto& step : *steps)
                for (const auto& name : model::referenced_variables(step))
                    for (const auto& u : target.users)
                        if (name == u.id || name.rfind(u.id + ".", 0) == 0) ids.insert(u.id);
    std::vector<std::string> out;
    for (const auto& u : target.users)
        if (ids.count(u.id)) out.push_back(u.id);
    return out;
}

PreflightReport preflight(const std::vector<const model::Scenario*>& scenarios, const model::Target& target,
                          const RunSettings& settings) {
    PreflightReport report;
    // 1. Every endpoint in use, all at once.
    std::vector<model::Scenario> checks;
    std::vector<const model::Endpoint*> checked;
    for (const auto& name : endpoints_used(scenarios, target)) {
        const model::Endpoint* endpoint = target.find_endpoint(name);
        if (!plain_name(name)) continue;
        if (auto s = build(endpoint_check(*endpoint), report.problems)) {
            checks.push_back(std::move(*s));
            checked.push_back(endpoint);
        }
    }
    std::vector<const model::Scenario*> pointers;
    for (const auto& s : checks) pointers.push_back(&s);
    const auto results = run_scenarios(pointers, target, settings, static_cast<int>(pointers.size()), {});
    report.checks += static_cast<int>(results.size());
    std::set<std::string> reachable;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        if (r.outcome == Outcome::pass) {
            reachable.insert(checked[i]->name);
        } else if (r.outcome != Outcome::skip) {
            // The engine's connect and TLS messages already name the endpoint and address.
            const bool named = r.message.rfind("cannot connect to ", 0) == 0 ||
                               r.message.rfind("implicit TLS handshake with ", 0) == 0;
            report.problems.push_back(named ? why(r) : "cannot use " + where(target, *checked[i]) + ": " + why(r));
        }
    }

    // 2. One login per user in use, on the first endpoint that can take it.
    static const char* const order[] = {"imaps", "imap", "pop3s", "pop3", "submissions", "submission"};
    for (const auto& id : users_used(scenarios, target)) {
        if (!plain_name(id)) continue;
        const model::User* user = nullptr;
        for (const auto& u : target.users)
            if (u.id == id) user = &u;
        std::string skipped;
        bool done = false;
        for (const char* name : order) {
            const model::Endpoint* endpoint = target.find_endpoint(name);
            if (!endpoint || !reachable.count(name)) continue;
            auto s = build(login_check(*endpoint, id), report.problems);
            if (!s) break;
            const auto r = run_scenario(*s, target, settings);
            ++report.checks;
            if (r.outcome == Outcome::skip) {  // e.g. no STARTTLS here: try the next endpoint
                skipped += (skipped.empty() ? "" : "; ") + std::string(name) + ": " + r.message;
                continue;
            }
            if (r.outcome != Outcome::pass)
                report.problems.push_back("cannot log in to " + where(target, *endpoint) + " as user '" + id + "' (" +
                                          user->login + "): " + why(r));
            done = true;
            break;
        }
        if (!done && reachable.size() == checked.size())  // else the endpoint problems say it
            report.unchecked.push_back("user '" + id + "' (" + user->login + "): " +
                                       (skipped.empty() ? "no reachable IMAP, POP3 or submission endpoint" : skipped));
    }
    return report;
}

}  // namespace mailspec::harness::engine
