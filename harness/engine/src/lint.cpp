#include "mailspec/harness/engine/lint.hpp"

#include <map>
#include <set>

#include "mailspec/harness/engine/matchers.hpp"

namespace mailspec::harness::engine {

using namespace model;

bool is_builtin_variable(const std::string& name) { return name == "run.id" || name == "scenario.id"; }

namespace {

class Linter {
public:
    Linter(const Target& target, loader::Diagnostics& out) : target_(target), out_(out) {
        for (const auto& [name, value] : target.variables()) target_vars_.insert(name);
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
    }

private:
    void error(const SourceLocation& where, std::string message) { out_.push_back({where, std::move(message)}); }

    void step(const Step& step, std::set<std::string>& defined, std::map<std::string, const Endpoint*>& sessions) {
        for (const auto& name : referenced_variables(step)) {
            if (!defined.count(name))
                error(step.where, "undefined variable ${" + name + "} in <" + step_name(step) +
                                      ">; expected a target variable (" + known_names() +
                                      "), run.id, scenario.id, or a capture made by an earlier step");
        }
        const Endpoint* endpoint = nullptr;
        if (const auto* c = std::get_if<Connect>(&step.action)) {
            endpoint = target_.find_endpoint(c->endpoint);
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
    loader::Diagnostics& out_;
    std::set<std::string> target_vars_;
};

}  // namespace

loader::Diagnostics lint(const std::vector<const Scenario*>& scenarios, const Target& target) {
    loader::Diagnostics out;
    Linter linter(target, out);
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
