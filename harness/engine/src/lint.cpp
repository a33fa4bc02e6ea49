#include "mailspec/harness/engine/lint.hpp"

#include <map>
#include <set>

#include "mailspec/core/split.hpp"
#include "mailspec/harness/engine/matchers.hpp"
#include "mailspec/harness/model/value_expression.hpp"
#include "mailspec/protocol/smtp/base64.hpp"
#include "requirement_plan.hpp"

namespace mailspec::harness::engine {

using namespace model;

bool is_builtin_variable(const std::string& name) { return name == "run.id" || name == "scenario.id"; }

namespace {

class Linter {
public:
    Linter(const Target& target, const LintOptions& options, loader::Diagnostics& out)
        : target_(target), options_(options), out_(out), standard_(standard_target_shape()) {
        for (const auto& [name, value] : target.variables()) target_vars_.insert(name);
        for (const auto& [name, value] : standard_.variables())
            if (!target_vars_.count(name)) optional_vars_.insert(name);
    }

    void scenario(const Scenario& s) {
        std::set<std::string> defined = target_vars_;
        defined.insert("run.id");
        defined.insert("scenario.id");
        std::map<std::string, const Endpoint*> sessions;
        for (const auto& step : s.steps) this->step(step, defined, sessions);
        // Cleanup runs on the sessions the steps left open (best effort: a step may have failed
        // before a capture or a connect; the runner then notes the cleanup failure).
        for (const auto& step : s.cleanup) this->step(step, defined, sessions);
        requirement_placement(s);
    }

private:
    void error(const SourceLocation& where, std::string message) { out_.push_back({where, std::move(message)}); }

    // Where each form of <requires> is allowed (docs/scenario-format.md, "requires"):
    //  - requires="..." or <requires> before the first step: the whole scenario; it needs a <connect>;
    //  - a <requires> step: after an <expect> on its session (it checks the last response read
    //    there), with no new <connect> or TLS handshake in between; never in <cleanup>.
    void requirement_placement(const Scenario& s) {
        if (!s.requirements.empty() && !detail::first_connect(s))
            error(s.requirements.front().where,
                  "requirement '" + s.requirements.front().capability +
                      "' of the whole scenario: the scenario has no <connect>, so no session to decide it on");
        std::map<std::string, bool> response_read;  // per session, since its connect or TLS handshake
        for (const auto& step : s.steps) {
            const bool reset = std::holds_alternative<Connect>(step.action) ||
                               std::holds_alternative<StartTls>(step.action) ||
                               std::holds_alternative<TlsHandshake>(step.action);
            if (reset) response_read[step.session] = false;
            if (std::holds_alternative<Expect>(step.action)) response_read[step.session] = true;
            if (const auto* r = std::get_if<Requires>(&step.action); r && !response_read[step.session])
                error(step.where, "<requires capability=\"" + r->capability + "\"> checks the last response read on session '" +
                                      step.session + "', and none is read there before it (since its <connect> or TLS "
                                      "handshake); place it after the EHLO / CAPA / CAPABILITY <expect>, or before the "
                                      "first step to require the capability of the whole scenario");
        }
        for (const auto& step : s.cleanup)
            if (const auto* r = std::get_if<Requires>(&step.action))
                error(step.where, "<requires capability=\"" + r->capability + "\"> is not allowed in <cleanup> (cleanup "
                                      "runs whatever the server offers); place it before the first step or after an <expect>");
    }

    void step(const Step& step, std::set<std::string>& defined, std::map<std::string, const Endpoint*>& sessions) {
        for (const auto* text : texts_of(step)) {
            std::string why;
            if (!parse_value_text(*text, why)) error(step.where, why + " in <" + step_name(step) + ">");
        }
        if (options_.reject_credential_literals) credential_literals(step);
        for (const auto& name : referenced_variables(step)) {
            if (!defined.count(name) && !optional_vars_.count(name))
                error(step.where, "undefined variable ${" + name + "} in <" + step_name(step) +
                                      ">; expected a target variable (" + known_names() +
                                      "), run.id, scenario.id, or a capture made by an earlier step");
        }
        const Endpoint* endpoint = nullptr;
        if (const auto* c = std::get_if<Connect>(&step.action)) {
            endpoint = target_.find_endpoint(c->endpoint);
            if (!endpoint) endpoint = standard_.find_endpoint(c->endpoint);  // absent here: SKIP at run time
            if (!endpoint) {
                std::string names;
                for (const auto& e : target_.endpoints) names += (names.empty() ? "" : ", ") + e.name;
                error(step.where, "unknown endpoint '" + c->endpoint + "'; the target '" + target_.name + "' has: " + names);
            }
            sessions[step.session] = endpoint;
        } else if (!std::holds_alternative<Pause>(step.action)) {
            auto it = sessions.find(step.session);
            if (it == sessions.end())
                error(step.where, "<" + std::string(step_name(step)) + "> uses session '" + step.session +
                                      "' before any <connect> opens it");
            else
                endpoint = it->second;
        }
        if (const auto* e = std::get_if<Expect>(&step.action)) {
            for (const auto& c : e->checks) {
                std::string pattern = c.pattern;
                // Variables are substituted at run time; check the regex with a neutral stand-in.
                for (std::size_t p; (p = pattern.find("${")) != std::string::npos;) {
                    const auto close = pattern.find('}', p);
                    if (close == std::string::npos) break;
                    pattern.replace(p, close - p + 1, "X");
                }
                if (auto err = regex_error(pattern)) error(c.where, "bad regex /" + c.pattern + "/: " + *err);
            }
            if (endpoint) {
                const char* bad = nullptr;
                switch (endpoint->protocol) {
                    case Protocol::smtp:
                        if (e->status || e->tag || e->multiline || e->continuation)
                            bad = "SMTP endpoints take code= (status, tag, multiline and continuation are POP3/IMAP)";
                        break;
                    case Protocol::pop3:
                        if (e->code || e->tag || e->continuation)
                            bad = "POP3 endpoints take status= and multiline= (code is SMTP, tag/continuation IMAP)";
                        else if (e->status && *e->status != "+OK" && *e->status != "-ERR" && *e->status != "+" &&
                                 e->status->find('|') == std::string::npos)
                            bad = "POP3 status is +OK, -ERR or +";
                        break;
                    case Protocol::imap:
                        if (e->code || e->multiline) bad = "IMAP endpoints take tag=, status= and continuation=";
                        break;
                }
                if (bad) error(step.where, std::string("<expect> on session '") + step.session + "' (endpoint '" +
                                               endpoint->name + "'): " + bad);
            }
            for (const auto& c : e->checks)
                for (const auto& v : c.captures) defined.insert(v);
        }
        if (const auto* f = std::get_if<SendFile>(&step.action)) {
            if (endpoint && f->mode == SendFile::Mode::smtp_data && endpoint->protocol != Protocol::smtp)
                error(step.where, "mode=\"smtp-data\" on a " + std::string(to_string(endpoint->protocol)) + " endpoint");
            if (endpoint && f->mode == SendFile::Mode::imap_literal && endpoint->protocol != Protocol::imap)
                error(step.where, "mode=\"imap-literal\" on a " + std::string(to_string(endpoint->protocol)) + " endpoint");
        }
    }

    // The texts of a step that ${...} is rendered in.
    static std::vector<const std::string*> texts_of(const Step& step) {
        std::vector<const std::string*> out;
        if (const auto* send = std::get_if<Send>(&step.action)) out.push_back(&send->text);
        if (const auto* f = std::get_if<SendFile>(&step.action)) {
            out.push_back(&f->prefix);
            out.push_back(&f->suffix);
        }
        if (const auto* e = std::get_if<Expect>(&step.action)) {
            if (e->tag) out.push_back(&*e->tag);
            for (const auto& c : e->checks) out.push_back(&c.pattern);
        }
        return out;
    }

    // What a scenario sends must not be a particular target's credential (issue 9): the library
    // runs against targets nobody here has seen. Only the literal runs of the text are searched.
    void credential_literals(const Step& step) {
        std::vector<const std::string*> sent;
        if (const auto* send = std::get_if<Send>(&step.action)) sent.push_back(&send->text);
        if (const auto* f = std::get_if<SendFile>(&step.action)) {
            sent.push_back(&f->prefix);
            sent.push_back(&f->suffix);
        }
        for (const auto* text : sent) {
            std::string why;
            const auto parts = parse_value_text(*text, why);
            if (!parts) continue;
            for (const auto& part : *parts)
                if (!part.expression)
                    for (const auto& token : tokens(part.literal)) check_token(step, token);
        }
    }

    // Words of a command line: split at spaces and the punctuation around arguments.
    static std::vector<std::string> tokens(const std::string& text) {
        return core::split_any(text, " \t\r\n<>:\"(),;[]{}");
    }

    void check_token(const Step& step, const std::string& token) {
        const std::string where = " in <" + std::string(step_name(step)) + ">";
        for (const auto& u : target_.users) {
            const struct { const std::string& value; const char* field; } fields[] = {
                {u.login, "login"}, {u.password, "password"}, {u.address, "address"}};
            for (const auto& f : fields) {
                if (f.value.size() < 3 || token != f.value) continue;
                // The password itself is never printed (it may be a real target's).
                const std::string shown = std::string(f.field) == "password" ? "a literal" : "literal '" + token + "'";
                error(step.where, shown + where + " is the target's ${" + u.id + "." + f.field +
                                      "}; write the variable so the scenario runs against any target");
            }
            if (token.size() >= 8 && token.size() % 4 == 0) {
                auto decoded = protocol::smtp::base64_decode(token);
                if (decoded && u.login.size() >= 3 && u.password.size() >= 3 &&
                    (decoded.value().find(u.login) != std::string::npos ||
                     decoded.value().find(u.password) != std::string::npos))
                    error(step.where, "a base64 literal" + where + " holds a credential of target user '" + u.id +
                                          "'; compute it: ${sasl-plain:" + u.id + "}, ${base64:" + u.id +
                                          ".login}, ${cram-md5:" + u.id + ",CHALLENGE}");
            }
        }
        for (const auto& [name, value] : target_.vars)
            if (value.size() >= 3 && token == value)
                error(step.where, "literal '" + token + "'" + where + " is the target's ${" + name +
                                      "}; write the variable so the scenario runs against any target");
    }

    std::string known_names() const {
        std::string s;
        int n = 0;
        for (const auto& v : target_vars_) {
            if (n++ == 8) {
                s += ", ...";
                break;
            }
            s += (s.empty() ? "" : ", ") + v;
        }
        return s;
    }

    const Target& target_;
    const LintOptions& options_;
    loader::Diagnostics& out_;
    Target standard_;                      // the names a target may leave out (SKIP at run time)
    std::set<std::string> target_vars_;
    std::set<std::string> optional_vars_;  // standard names this target does not define
};

}  // namespace

loader::Diagnostics lint(const std::vector<const Scenario*>& scenarios, const Target& target, const LintOptions& options) {
    loader::Diagnostics out;
    Linter linter(target, options, out);
    std::map<std::string, const Scenario*> ids;
    for (const auto* s : scenarios) {
        auto [it, inserted] = ids.emplace(s->id, s);
        if (!inserted)
            out.push_back({s->where, "duplicate scenario id '" + s->id + "' (first defined at " + it->second->where.str() + ")"});
        linter.scenario(*s);
    }
    return out;
}

}  // namespace mailspec::harness::engine
