#include "mailspec/harness/engine/runner.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "mailspec/harness/engine/escapes.hpp"
#include "mailspec/harness/engine/matchers.hpp"
#include "mailspec/harness/engine/variables.hpp"
#include "requirement_plan.hpp"
#include "session_io.hpp"

namespace mailspec::harness::engine {

using namespace model;
using detail::Clock;
using detail::Session;
using detail::Verdict;

namespace {

constexpr std::size_t max_fixture_bytes = 64 * 1024 * 1024;

int tls_version_number(const std::string& v) {
    if (v == "1.0") return 0x0301;
    if (v == "1.1") return 0x0302;
    if (v == "1.2") return 0x0303;
    if (v == "1.3") return 0x0304;
    return 0;
}

// LF or CRLF line ends -> CRLF (RFC 5321 §2.3.8, RFC 3501 §2.2 require CRLF on the wire).
std::string to_crlf(const std::string& in) {
    std::string out;
    out.reserve(in.size() + in.size() / 32);
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) out += '\r';
        out += in[i];
    }
    return out;
}

// RFC 5321 §4.5.2: a line starting with "." gets one more; the data ends with CRLF "." CRLF.
std::string smtp_data(const std::string& message) {
    std::string body = to_crlf(message);
    std::string out;
    out.reserve(body.size() + 16);
    bool line_start = true;
    for (char c : body) {
        if (line_start && c == '.') out += '.';
        out += c;
        line_start = c == '\n';
    }
    if (!out.empty() && !(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0)) out += "\r\n";
    out += ".\r\n";
    return out;
}

std::atomic<unsigned long> run_counter{0};

std::string make_run_id() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    std::ostringstream s;
    s << std::hex << us << "." << run_counter.fetch_add(1);
    return s.str();
}

class ScenarioRun {
public:
    ScenarioRun(const Scenario& scenario, const Target& target, const RunSettings& settings)
        : scenario_(scenario), target_(target), settings_(settings), io_(transcript_, settings.limits) {
        auto vars = target.variables();
        vars["run.id"] = make_run_id();
        vars["scenario.id"] = scenario.id;
        variables_ = Variables(std::move(vars));
        for (const auto& u : target.users) {
            variables_.mark_secret(u.id + ".password");
            if (!settings.show_secrets) transcript_.add_secret(u.password);
        }
    }

    ScenarioResult run() {
        const auto start = Clock::now();
        ScenarioResult r;
        r.id = scenario_.id;
        r.suite = scenario_.suite;
        r.protocol = scenario_.protocol;
        r.rfc = scenario_.rfc;
        r.level = scenario_.level;
        r.judges = scenario_.judges;
        r.severity = scenario_.severity;
        r.scenario_where = scenario_.where;

        std::optional<Verdict> verdict = check_target_provides();
        if (!verdict) verdict = check_scenario_requirements();
        if (!verdict) {
            for (const auto& step : scenario_.steps) {
                if (cancelled()) {
                    verdict = Verdict{Outcome::error, "interrupted", {}, {}, step.where};
                    break;
                }
                verdict = run_step(step);
                if (verdict) {
                    if (verdict->where.file.empty()) verdict->where = step.where;
                    break;
                }
            }
        }
        // Cleanup runs on the sessions as the steps left them (still open ones can be reused),
        // then everything is closed.
        if (!scenario_.cleanup.empty()) run_cleanup();
        close_all();

        if (verdict) {
            r.outcome = verdict->outcome;
            r.message = transcript_.redact(verdict->message);
            r.expected = transcript_.redact(verdict->expected);
            r.actual = transcript_.redact(verdict->actual);
            r.step_where = verdict->where;
        }
        r.transcript = transcript_.text();
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    }

private:
    bool cancelled() const { return settings_.cancel && settings_.cancel->load(); }

    Millis step_timeout(const Step& step) const {
        if (step.timeout) return *step.timeout;
        if (scenario_.timeout) return *scenario_.timeout;
        return settings_.default_timeout;
    }

    net::TlsClientOptions tls_options() const {
        net::TlsClientOptions o;
        o.verify = settings_.tls_verify;
        o.ca_file = settings_.tls_ca_file;
        o.server_name = settings_.tls_server_name.empty() ? target_.host : settings_.tls_server_name;
        return o;
    }

    static Verdict scenario_error(std::string message) {
        return Verdict{Outcome::error, "scenario error: " + std::move(message), {}, {}, {}};
    }

    // A rendering problem as the step's verdict: SKIP when the target's value cannot be carried.
    static Verdict render_verdict(const RenderProblem& p) {
        if (p.kind == RenderProblem::Kind::skip) return Verdict{Outcome::skip, p.message, {}, {}, {}};
        return scenario_error(p.message);
    }

    std::optional<Verdict> render(const std::string& text, RenderContext context, Rendered& out) {
        if (auto p = variables_.render(text, context, out)) return render_verdict(*p);
        if (!settings_.show_secrets)
            for (const auto& secret : out.secrets) transcript_.add_secret(secret);
        return std::nullopt;
    }

    std::optional<Verdict> substitute(const std::string& text, std::string& out) {
        Rendered r;
        if (auto v = render(text, RenderContext::plain, r)) return v;
        out = r.joined();
        return std::nullopt;
    }

    // Before any connection: the endpoints, users and variables the scenario uses must be in the
    // target. Targets as users have them lack some (no pop3s, one user only): that scenario is not
    // applicable there, so SKIP with the reason, never an error of the run.
    std::optional<Verdict> check_target_provides() {
        std::set<std::string> captured{"run.id", "scenario.id"};
        std::vector<const Step*> all;
        for (const auto& s : scenario_.steps) all.push_back(&s);
        for (const auto& s : scenario_.cleanup) all.push_back(&s);
        for (const Step* step : all)
            for (const auto& name : defined_variables(*step)) captured.insert(name);
        // Only the names of the standard target shape are optional; any other unknown name is a
        // scenario error, reported when the step runs (as the linter reports it).
        const Target standard = standard_target_shape();
        const auto standard_vars = standard.variables();
        for (const Step* step : all) {
            if (const auto* c = std::get_if<Connect>(&step->action);
                c && !target_.find_endpoint(c->endpoint) && standard.find_endpoint(c->endpoint))
                return Verdict{Outcome::skip, "target has no " + c->endpoint + " endpoint", {}, {}, step->where};
            for (const auto& name : referenced_variables(*step)) {
                if (variables_.has(name) || captured.count(name) || !standard_vars.count(name)) continue;
                return Verdict{Outcome::skip, missing_variable_reason(name), {}, {}, step->where};
            }
        }
        return std::nullopt;
    }

    std::string missing_variable_reason(const std::string& name) const {
        const auto dot = name.rfind('.');
        if (dot != std::string::npos) {
            const std::string id = name.substr(0, dot), field = name.substr(dot + 1);
            if (field == "login" || field == "password" || field == "address") {
                for (const auto& u : target_.users)
                    if (u.id == id) return "target user '" + id + "' has no " + field;
                if (id == "user2") return "target has no second user (user id 'user2')";
                return "target has no user '" + id + "'";
            }
        }
        return "target has no variable '" + name + "'";
    }

    std::optional<Verdict> open_session(const std::string& name, const Endpoint& endpoint, Millis timeout,
                                        Session& session) {
        session.name = name;
        session.endpoint = &endpoint;
        transcript_.note(name, "connect " + target_.host + ":" + std::to_string(endpoint.port) + " (" + endpoint.name +
                                   ", " + to_string(endpoint.protocol) +
                                   (endpoint.tls == TlsMode::implicit ? ", implicit TLS)" : ")"));
        const auto deadline = Clock::now() + timeout;  // connect and handshake share the step's time
        net::IoStatus st;
        session.transport = settings_.connector->connect(target_.host, endpoint.port, timeout, st);
        if (!session.transport) {
            transcript_.note(name, std::string("connect failed: ") + describe(st.code) + " " + st.message);
            return Verdict{Outcome::error,
                           "cannot connect to " + endpoint.name + " (" + target_.host + ":" + std::to_string(endpoint.port) +
                               "): " + (st.message.empty() ? std::string(describe(st.code)) : st.message),
                           {}, {}, {}};
        }
        if (endpoint.tls == TlsMode::implicit) {
            const auto hs = session.transport->start_tls(tls_options(), std::max(detail::remaining(deadline), Millis(1)));
            if (!hs) {
                transcript_.note(name, "TLS handshake failed: " + hs.message);
                return Verdict{Outcome::error, "implicit TLS handshake with " + endpoint.name + " failed: " + hs.message +
                                                   (settings_.tls_verify ? " (use --insecure or --ca for test certificates)" : ""),
                               {}, {}, {}};
            }
            transcript_.note(name, "TLS established: " + session.transport->tls_summary());
        }
        return std::nullopt;
    }

    Session* session_for(const Step& step, std::optional<Verdict>& error) {
        auto it = sessions_.find(step.session);
        if (it == sessions_.end() || !it->second.transport) {
            error = scenario_error("session '" + step.session + "' is not connected (add <connect" +
                                   (step.session == "default" ? std::string() : " session=\"" + step.session + "\"") +
                                   " endpoint=\"...\"/> before this step)");
            return nullptr;
        }
        return &it->second;
    }

    std::optional<Verdict> run_step(const Step& step) {
        const auto deadline = Clock::now() + step_timeout(step);
        return std::visit([&](const auto& action) { return execute(step, action, deadline); }, step.action);
    }

    std::optional<Verdict> execute(const Step& step, const Connect& c, Clock::time_point) {
        const Endpoint* endpoint = target_.find_endpoint(c.endpoint);
        if (!endpoint) return scenario_error("the target has no endpoint '" + c.endpoint + "'");
        auto& slot = sessions_[step.session];
        if (slot.transport) slot.transport->close();
        slot = Session{};
        return open_session(step.session, *endpoint, step_timeout(step), slot);
    }

    std::optional<Verdict> execute(const Step& step, const Send& send, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        Rendered rendered;
        const bool line = send.form == Send::Form::line;
        if (auto v = render(send.text, line ? RenderContext::line : RenderContext::raw, rendered)) return v;
        if (line) rendered.chunks.back().bytes += "\r\n";
        for (const auto& chunk : rendered.chunks) {
            if (chunk.literal_follows && s->endpoint->protocol != Protocol::imap)
                return scenario_error("an IMAP literal (${imap-astring:...}, ${imap-literal:...}) on " +
                                      std::string(to_string(s->endpoint->protocol)) + " endpoint '" + s->endpoint->name + "'");
            if (auto v = io_.write(*s, chunk.bytes, deadline)) return v;
            if (!chunk.literal_follows) continue;
            // RFC 3501 §4.3 / §7.5: the octets of a synchronizing literal follow the server's "+".
            Response r;
            if (auto v = io_.read_imap_line(*s, deadline, r)) return v;
            s->last = r;
            if (!r.continuation)
                return Verdict{Outcome::fail, "the server did not accept the literal", "a \"+\" continuation request",
                               r.lines.empty() ? "" : r.lines.front(), {}};
        }
        return std::nullopt;
    }

    std::optional<Verdict> execute(const Step& step, const SendFile& f, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        std::ifstream in(f.resolved, std::ios::binary);
        if (!in) return scenario_error("cannot open fixture '" + f.resolved + "'");
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (content.size() > max_fixture_bytes) return scenario_error("fixture '" + f.resolved + "' is over 64 MB");
        if (f.substitute) {
            std::string out;
            if (auto v = substitute(content, out)) return v;
            content = std::move(out);
        }
        switch (f.mode) {
            case SendFile::Mode::raw: return io_.write(*s, content, deadline);
            case SendFile::Mode::smtp_data: return io_.write(*s, smtp_data(content), deadline);
            case SendFile::Mode::imap_literal: {
                // RFC 3501 §4.3 / §7.5: a synchronizing literal waits for the server's "+".
                const std::string body = to_crlf(content);
                std::string prefix, suffix;
                if (auto v = substitute(f.prefix, prefix)) return v;
                if (auto v = substitute(f.suffix, suffix)) return v;
                if (auto v = io_.write(*s, prefix + " {" + std::to_string(body.size()) + "}\r\n", deadline)) return v;
                Response r;
                if (auto v = io_.read_imap_line(*s, deadline, r)) return v;
                s->last = r;
                if (!r.continuation)
                    return Verdict{Outcome::fail, "the server did not accept the literal",
                                   "a \"+\" continuation request", r.lines.empty() ? "" : r.lines.front(), {}};
                return io_.write(*s, body + suffix + "\r\n", deadline);
            }
        }
        return std::nullopt;
    }

    std::optional<Verdict> read_response(Session& s, const Expect& e, Clock::time_point deadline, Response& r) {
        switch (s.endpoint->protocol) {
            case Protocol::smtp:
                if (e.status || e.tag || e.multiline || e.continuation)
                    return scenario_error("status/tag/multiline/continuation do not apply to SMTP endpoint '" +
                                          s.endpoint->name + "' (use code=)");
                return io_.read_smtp(s, deadline, r);
            case Protocol::pop3:
                if (e.code || e.tag || e.continuation)
                    return scenario_error("code/tag/continuation do not apply to POP3 endpoint '" + s.endpoint->name +
                                          "' (use status= and multiline=)");
                return io_.read_pop3(s, e.multiline, deadline, r);
            case Protocol::imap: {
                if (e.code || e.multiline)
                    return scenario_error("code/multiline do not apply to IMAP endpoint '" + s.endpoint->name +
                                          "' (use tag= and status=)");
                if (!e.tag) return io_.read_imap_untagged(s, e.continuation, deadline, r);
                std::string tag;
                if (auto v = substitute(*e.tag, tag)) return v;
                return io_.read_imap_tagged(s, tag, deadline, r);
            }
        }
        return std::nullopt;
    }

    std::optional<Verdict> execute(const Step& step, const Expect& e, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        Response r;
        if (auto v = read_response(*s, e, deadline, r)) return v;
        s->last = r;
        // The scenario's requirements are decided on this response, before its own checks (which
        // may be about the required extension), unless it is a refusal: then the checks come first.
        const bool decides = decides_requirements(step, *s, r);
        if (decides && positive(r)) {
            if (auto v = decide_requirements(r, nullptr)) return v;
        }
        if (auto m = check_response(e, r, variables_)) {
            return Verdict{m->scenario_error || m->inconclusive ? Outcome::error : Outcome::fail,
                           (m->scenario_error ? "scenario error: " : "") + m->message, m->expected, m->actual,
                           m->where.file.empty() ? step.where : m->where};
        }
        if (decides && !positive(r)) return decide_requirements(r, nullptr);
        return std::nullopt;
    }

    // Whether the response `r` just read by `step` is where the scenario's requirements are decided
    // (requirement_plan.hpp): the planned <expect>, or for IMAP an earlier response on the same
    // session that already carries capabilities (a greeting's [CAPABILITY] code).
    bool decides_requirements(const Step& step, const Session& s, const Response& r) const {
        if (!requirements_pending_ || step.session != requirement_plan_.first_connect->session) return false;
        if (&step == requirement_plan_.deciding) return true;
        return s.endpoint->protocol == Protocol::imap && !capabilities_of(r).empty();
    }

    // SMTP 2xx, POP3 +OK, IMAP OK / PREAUTH: a response that can advertise capabilities.
    static bool positive(const Response& r) {
        switch (r.protocol) {
            case Protocol::smtp: return r.code >= 200 && r.code < 300;
            case Protocol::pop3: return r.status == "+OK";
            case Protocol::imap: return r.status == "OK" || r.status == "PREAUTH";
        }
        return false;
    }

    // SKIP at the first requirement that neither response advertises (`also` may be null).
    std::optional<Verdict> decide_requirements(const Response& caps, const Response* also) {
        requirements_pending_ = false;
        for (const auto& req : scenario_.requirements) {
            if (advertises(caps, req.capability) || (also && advertises(*also, req.capability))) continue;
            transcript_.note(requirement_plan_.first_connect->session,
                             "capability " + req.capability + " not advertised: skipping");
            return Verdict{Outcome::skip, "the server does not advertise " + req.capability, {}, {}, req.where};
        }
        transcript_.note(requirement_plan_.first_connect->session, "requirements met");
        return std::nullopt;
    }

    std::optional<Verdict> handshake(Session& s, const net::TlsClientOptions& options, Clock::time_point deadline,
                                     bool tls_check, bool expect_failure, bool allow_failure = false) {
        if (!s.buffer.empty()) {
            // RFC 3207 §4.2 / RFC 2595 §3.1: nothing may follow the positive reply before the handshake;
            // bytes here would be read as if protected by TLS (STARTTLS injection).
            transcript_.server(s.name, s.buffer);
            Verdict v{Outcome::fail, "the server sent data after the STARTTLS reply, before the TLS handshake",
                      "nothing until the handshake", std::to_string(s.buffer.size()) + " bytes", {}};
            return v;
        }
        const auto st = s.transport->start_tls(options, std::max(detail::remaining(deadline), Millis(1)));
        if (expect_failure) {
            if (st) {
                transcript_.note(s.name, "TLS established (expected a refusal): " + s.transport->tls_summary());
                return Verdict{Outcome::fail, "the server accepted a TLS handshake it should have refused",
                               "handshake refused", "established " + s.transport->tls_summary(), {}};
            }
            transcript_.note(s.name, "TLS handshake refused as expected: " + st.message);
            s.transport->close();
            sessions_.erase(s.name);
            return std::nullopt;
        }
        if (!st && allow_failure) {
            // <tls-handshake expect="any"/>: a refusal is an acceptable answer; nothing after it applies.
            transcript_.note(s.name, "TLS handshake refused (acceptable here): " + st.message);
            s.transport->close();
            sessions_.erase(s.name);
            return Verdict{Outcome::pass, "TLS handshake refused (acceptable): " + st.message, {}, {}, {}};
        }
        if (!st) {
            transcript_.note(s.name, "TLS handshake failed: " + st.message);
            if (tls_check)
                return Verdict{Outcome::fail, "TLS handshake failed: " + st.message, "a completed handshake",
                               std::string(describe(st.code)), {}};
            return Verdict{Outcome::error, "TLS handshake failed: " + st.message +
                                               (settings_.tls_verify ? " (use --insecure or --ca for test certificates)" : ""),
                           {}, {}, {}};
        }
        transcript_.note(s.name, "TLS established: " + s.transport->tls_summary());
        s.last.reset();  // RFC 3207 §4.2: capabilities learnt before TLS no longer hold
        return std::nullopt;
    }

    std::optional<Verdict> execute(const Step& step, const StartTls&, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        Response r;
        switch (s->endpoint->protocol) {
            case Protocol::smtp:  // RFC 3207 §4: "STARTTLS" -> 220
                if (auto v = io_.write(*s, "STARTTLS\r\n", deadline)) return v;
                if (auto v = io_.read_smtp(*s, deadline, r)) return v;
                if (r.code != 220)
                    return Verdict{Outcome::fail, "STARTTLS refused", "reply code 220",
                                   std::to_string(r.code) + " " + (r.lines.empty() ? "" : r.lines.front()), {}};
                break;
            case Protocol::pop3:  // RFC 2595 §4: "STLS" -> +OK
                if (auto v = io_.write(*s, "STLS\r\n", deadline)) return v;
                if (auto v = io_.read_pop3(*s, false, deadline, r)) return v;
                if (r.status != "+OK")
                    return Verdict{Outcome::fail, "STLS refused", "+OK", r.lines.empty() ? "" : r.lines.front(), {}};
                break;
            case Protocol::imap: {  // RFC 3501 §6.2.1: "<tag> STARTTLS" -> tagged OK
                const std::string tag = "tls" + std::to_string(++s->tls_tag_counter);
                if (auto v = io_.write(*s, tag + " STARTTLS\r\n", deadline)) return v;
                if (auto v = io_.read_imap_tagged(*s, tag, deadline, r)) return v;
                if (r.status != "OK")
                    return Verdict{Outcome::fail, "STARTTLS refused", tag + " OK", r.lines.empty() ? "" : r.lines.back(), {}};
                break;
            }
        }
        return handshake(*s, tls_options(), deadline, false, false);
    }

    std::optional<Verdict> execute(const Step& step, const TlsHandshake& t, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        auto options = tls_options();
        if (t.min_version) options.min_version = tls_version_number(*t.min_version);
        if (t.max_version) options.max_version = tls_version_number(*t.max_version);
        if (options.min_version < 0x0303 || (options.max_version != 0 && options.max_version < 0x0303)) {
            options.allow_legacy = true;
            if (options.min_version > options.max_version && options.max_version != 0) options.min_version = options.max_version;
        }
        const bool version_check = t.min_version.has_value() || t.max_version.has_value();
        return handshake(*s, options, deadline, version_check, t.expect_failure, t.allow_failure);
    }

    std::optional<Verdict> execute(const Step& step, const ExpectClose&, Clock::time_point deadline) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        auto v = io_.expect_close(*s, deadline);
        if (!v) {
            s->transport->close();
            sessions_.erase(step.session);
        }
        return v;
    }

    // <close/>: drop the connection without a protocol goodbye; the session name may be reused.
    std::optional<Verdict> execute(const Step& step, const Close&, Clock::time_point) {
        std::optional<Verdict> err;
        Session* s = session_for(step, err);
        if (!s) return err;
        transcript_.note(step.session, "client closed the connection (no QUIT / LOGOUT)");
        s->transport->close();
        sessions_.erase(step.session);
        return std::nullopt;
    }

    std::optional<Verdict> execute(const Step& step, const Requires& req, Clock::time_point) {
        auto it = sessions_.find(step.session);
        if (it == sessions_.end() || !it->second.last)
            return scenario_error("<requires> checks the last response read on session '" + step.session +
                                  "', but none was read (place it after the EHLO / CAPA / CAPABILITY response)");
        if (!advertises(*it->second.last, req.capability)) {
            transcript_.note(step.session, "capability " + req.capability + " not advertised: skipping");
            return Verdict{Outcome::skip, "the server does not advertise " + req.capability, {}, {}, {}};
        }
        return std::nullopt;
    }

    std::optional<Verdict> execute(const Step&, const Pause& p, Clock::time_point) {
        const auto end = Clock::now() + p.duration;
        while (Clock::now() < end && !cancelled())
            std::this_thread::sleep_for(std::min<Clock::duration>(end - Clock::now(), std::chrono::milliseconds(50)));
        return std::nullopt;
    }

    // The scenario's requirements (requires="A B", <requires> before the first step): decided on the
    // session the scenario opens first when it reads a capability response there, else asked here,
    // on a separate short connection to that endpoint (SMTP EHLO, POP3 CAPA, IMAP CAPABILITY; the
    // greeting's [CAPABILITY] counts too) before any step runs.
    std::optional<Verdict> check_scenario_requirements() {
        if (scenario_.requirements.empty()) return std::nullopt;
        const Step* first = detail::first_connect(scenario_);
        if (!first)
            return Verdict{Outcome::error, "scenario error: a requirement needs a <connect> step to know which endpoint to ask",
                           {}, {}, scenario_.requirements.front().where};
        const Endpoint* endpoint = target_.find_endpoint(std::get<Connect>(first->action).endpoint);
        if (!endpoint) return std::nullopt;  // the <connect> step reports it
        requirement_plan_ = detail::plan_requirements(scenario_, endpoint->protocol);
        requirements_pending_ = true;
        if (requirement_plan_.deciding) return std::nullopt;  // decided when the scenario reads it
        return query_requirements(*endpoint);
    }

    std::optional<Verdict> query_requirements(const Endpoint& endpoint) {
        const auto timeout = scenario_.timeout.value_or(settings_.default_timeout);
        const auto deadline = Clock::now() + timeout;
        Session s;
        const std::string name = "requires";
        if (auto v = open_session(name, endpoint, timeout, s)) return v;
        Response greeting, caps;
        std::optional<Verdict> v;
        switch (endpoint.protocol) {
            case Protocol::smtp:
                if (!(v = io_.read_smtp(s, deadline, greeting)) && !(v = io_.write(s, "EHLO mailspec.invalid\r\n", deadline)))
                    v = io_.read_smtp(s, deadline, caps);
                if (!v) (void)io_.write(s, "QUIT\r\n", deadline);
                break;
            case Protocol::pop3:
                if (!(v = io_.read_pop3(s, false, deadline, greeting)) && !(v = io_.write(s, "CAPA\r\n", deadline)))
                    v = io_.read_pop3(s, true, deadline, caps);
                if (!v) (void)io_.write(s, "QUIT\r\n", deadline);
                break;
            case Protocol::imap:
                if (!(v = io_.read_imap_untagged(s, false, deadline, greeting)) &&
                    !(v = io_.write(s, "r1 CAPABILITY\r\n", deadline)))
                    v = io_.read_imap_tagged(s, "r1", deadline, caps);
                if (!v) (void)io_.write(s, "r2 LOGOUT\r\n", deadline);
                break;
        }
        s.transport->close();
        if (v) {
            v->message = "cannot learn the capabilities the scenario requires: " + v->message;
            v->where = scenario_.requirements.front().where;
            return v;
        }
        return decide_requirements(caps, &greeting);
    }

    void run_cleanup() {
        transcript_.note("default", "cleanup");
        for (const auto& step : scenario_.cleanup) {
            if (cancelled()) break;
            if (auto v = run_step(step)) {
                transcript_.note(step.session, std::string("cleanup step ") + step_name(step) + " at " +
                                                   step.where.str() + " did not hold: " + v->message);
                break;
            }
        }
    }

    void close_all() {
        for (auto& [name, s] : sessions_)
            if (s.transport) s.transport->close();
        sessions_.clear();
    }

    const Scenario& scenario_;
    const Target& target_;
    const RunSettings& settings_;
    Transcript transcript_;
    detail::SessionIo io_;
    Variables variables_;
    std::map<std::string, Session> sessions_;
    detail::RequirementPlan requirement_plan_;
    bool requirements_pending_ = false;  // planned on the scenario's own session, not yet decided
};

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const Target& target, const RunSettings& settings) {
    ScenarioRun run(scenario, target, settings);
    return run.run();
}

}  // namespace mailspec::harness::engine
