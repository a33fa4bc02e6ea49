#include "prober.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "capabilities.hpp"
#include "dialogue.hpp"
#include "greeting.hpp"
#include "mailspec/core/escape.hpp"
#include "mailspec/net/connection.hpp"
#include "probe_session.hpp"

namespace mailspec::harness::probe {

namespace pc = protocol::client;

namespace {

constexpr int kTls10 = 0x0301;
constexpr int kTls11 = 0x0302;

net::TlsClientOptions observe_options(const ProbeOptions& options) {
    net::TlsClientOptions tls;
    tls.verify = false;  // observe everything; the judge decides what an unverified chain means
    tls.ca_file = options.ca_file;
    tls.server_name = options.server_name;
    return tls;
}

net::TlsClientOptions legacy_options(const ProbeOptions& options) {
    net::TlsClientOptions tls = observe_options(options);
    tls.min_version = kTls10;
    tls.max_version = kTls11;
    tls.allow_legacy = true;
    return tls;
}

std::string tls_summary(const net::TlsInfo& info) {
    return "TLS handshake done: " + info.version + " " + info.cipher + "; certificate " + info.subject +
           (info.chain_verified ? ", chain verified" : ", chain not verified") +
           (info.verify_error.empty() ? "" : " (" + info.verify_error + ")");
}

class PortProbe {
public:
    PortProbe(unsigned short port, const ProbeOptions& options) : options_(options) { obs_.port = port; }

    PortObservation run() {
        auto start = Clock::now();
        main_probe();
        if (options_.check_legacy_tls && obs_.tls && !obs_.inconclusive) legacy_probe();
        obs_.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
        return std::move(obs_);
    }

private:
    // Connects; on failure fills the state and returns false.
    bool connect(net::Connection& connection, bool first) {
        auto status = connection.connect(options_.host, obs_.port, options_.timeout);
        if (status) {
            obs_.state = PortState::open;
            return true;
        }
        if (first) {
            obs_.state = status.code == net::IoStatus::Code::refused ? PortState::closed : PortState::no_answer;
            obs_.state_detail = status.message;
        } else {
            obs_.inconclusive = "reconnect failed: " + status.message;
        }
        return false;
    }

    void main_probe() {
        net::Connection connection;
        if (!connect(connection, true)) return;
        ProbeSession session(connection, obs_.transcript, options_.timeout);
        auto wait = std::min(options_.first_byte_wait, options_.timeout);
        auto first = session.wait_for_bytes(wait);
        if (first) {
            clear_text_session(connection, session);
            return;
        }
        if (first.kind == ReadOutcome::Kind::closed) {
            obs_.inconclusive = "connection dropped before any greeting (" + first.message + ")";
            return;
        }
        if (first.kind != ReadOutcome::Kind::timeout) {
            obs_.inconclusive = "reading the greeting failed: " + describe(first);
            return;
        }
        session.note("no greeting within " + std::to_string(wait.count()) + " ms: trying a TLS handshake");
        auto tls = connection.start_tls(observe_options(options_), options_.timeout);
        if (tls) {
            obs_.tls = connection.tls_info();
            obs_.tls_mode = TlsMode::implicit;
            session.note(tls_summary(*obs_.tls));
            implicit_tls_session(session);
            return;
        }
        session.note("TLS handshake failed: " + tls.message + "; reconnecting to wait for a late greeting");
        connection.close();
        net::Connection again;
        if (!connect(again, false)) return;
        ProbeSession late(again, obs_.transcript, options_.timeout);
        auto greeting = late.wait_for_bytes(options_.timeout);
        if (greeting) {
            late.note("greeting arrived after more than " + std::to_string(wait.count()) + " ms");
            clear_text_session(again, late);
            return;
        }
        if (greeting.kind == ReadOutcome::Kind::timeout)
            obs_.inconclusive = "no greeting within " + std::to_string(options_.timeout.count()) +
                                " ms and no TLS handshake (" + tls.message +
                                "): greeting delayed past the timeout, or a silent service";
        else
            obs_.inconclusive = "no greeting and no TLS handshake (" + tls.message + "); then " + describe(greeting);
    }

    // Reads and classifies the greeting; returns the dialogue or nullptr (inconclusive set).
    std::unique_ptr<Dialogue> greet(ProbeSession& session, bool record) {
        std::string first_line;
        if (auto r = session.read_first_line(first_line); !r) {
            if (record) obs_.inconclusive = "greeting: " + describe(r);
            return nullptr;
        }
        GreetingClass greeting = classify_greeting(first_line);
        if (record) {
            obs_.service = greeting.service;
            obs_.greeting = core::visible(first_line);
            obs_.preauth = greeting.preauth;
        }
        ReadOutcome framed;
        switch (greeting.service) {
            case Service::smtp: {
                pc::SmtpReply reply;
                framed = session.read_smtp(reply);
                break;
            }
            case Service::pop3: {
                pc::Pop3Response response;
                framed = session.read_pop3(false, response);
                break;
            }
            case Service::imap: {
                pc::ImapResponseLine line;
                framed = session.read_imap(line);
                break;
            }
            case Service::unknown: break;
        }
        if (!greeting.usable) {
            if (record) obs_.inconclusive = greeting.problem;
            return nullptr;
        }
        if (!framed) {
            if (record) obs_.inconclusive = "greeting: " + describe(framed);
            return nullptr;
        }
        return make_dialogue(greeting.service, session, options_.client_name);
    }

    void clear_text_session(net::Connection& connection, ProbeSession& session) {
        auto dialogue = greet(session, true);
        if (!dialogue) return;
        std::vector<std::string> caps;
        auto step = dialogue->capabilities(caps);
        if (step.kind == DialogueStep::Kind::failed) {
            obs_.inconclusive = step.message;
            return;
        }
        obs_.capabilities_before_known = true;
        obs_.capabilities_before_tls = caps;
        auto summary = summarize_capabilities(obs_.service, caps);
        // A PREAUTH greeting in clear text is a session authenticated before any TLS.
        obs_.auth_before_tls = summary.auth_offered || obs_.preauth;
        if (!summary.starttls) {
            obs_.tls_mode = TlsMode::plaintext;
            dialogue->quit();
            return;
        }
        step = dialogue->start_tls_command();
        if (step.kind == DialogueStep::Kind::failed) {
            obs_.inconclusive = step.message;
            return;
        }
        if (step.kind == DialogueStep::Kind::refused) {
            obs_.tls_mode = TlsMode::starttls_failed;
            obs_.tls_failure = step.message;
            dialogue->quit();
            return;
        }
        if (!session.buffer().empty()) {
            // RFC 3207 §4.1 / RFC 2595: nothing may come between the reply and the handshake.
            session.note("discarding " + std::to_string(session.buffer().size()) +
                         " byte(s) sent before the TLS handshake");
            session.buffer().clear();
        }
        auto tls = connection.start_tls(observe_options(options_), options_.timeout);
        if (!tls) {
            obs_.tls_mode = TlsMode::starttls_failed;
            obs_.tls_failure = "TLS handshake failed: " + tls.message;
            session.note(obs_.tls_failure);
            return;
        }
        obs_.tls_mode = TlsMode::starttls;
        obs_.tls = connection.tls_info();
        session.note(tls_summary(*obs_.tls));
        after_tls_capabilities(*dialogue);
    }

    void implicit_tls_session(ProbeSession& session) {
        auto dialogue = greet(session, true);
        if (!dialogue) return;
        after_tls_capabilities(*dialogue);
    }

    void after_tls_capabilities(Dialogue& dialogue) {
        std::vector<std::string> caps;
        auto step = dialogue.capabilities(caps);
        if (step.kind == DialogueStep::Kind::ok) {
            obs_.capabilities_after_known = true;
            obs_.capabilities_after_tls = caps;
            obs_.starttls_readvertised = summarize_capabilities(obs_.service, caps).starttls;
            dialogue.quit();
        } else {
            obs_.transcript += "-- capabilities after TLS unavailable: " + step.message + "\n";
        }
    }

    // A second connection offering only TLS 1.0 / 1.1 (RFC 8996): accepted or refused.
    void legacy_probe() {
        std::string& t = obs_.transcript;
        t += "-- legacy TLS check: a new connection offering only TLS 1.0 and 1.1\n";
        net::Connection connection;
        auto status = connection.connect(options_.host, obs_.port, options_.timeout);
        if (!status) {
            t += "-- legacy TLS check not done: " + status.message + "\n";
            return;
        }
        ProbeSession session(connection, t, options_.timeout);
        if (obs_.tls_mode == TlsMode::starttls) {
            auto dialogue = greet(session, false);
            if (!dialogue) {
                session.note("legacy TLS check not done: no usable greeting");
                return;
            }
            std::vector<std::string> caps;
            if (dialogue->capabilities(caps).kind != DialogueStep::Kind::ok ||
                dialogue->start_tls_command().kind != DialogueStep::Kind::ok) {
                session.note("legacy TLS check not done: STARTTLS did not get to the handshake");
                return;
            }
        }
        auto tls = connection.start_tls(legacy_options(options_), options_.timeout);
        if (tls) {
            obs_.legacy_tls_accepted = true;
            obs_.legacy_tls_version = connection.tls_info().version;
            session.note("legacy handshake accepted: " + obs_.legacy_tls_version);
        } else if (tls.code == net::IoStatus::Code::tls_failed || tls.code == net::IoStatus::Code::eof ||
                   tls.code == net::IoStatus::Code::error) {
            obs_.legacy_tls_accepted = false;
            session.note("legacy handshake refused: " + tls.message);
        } else {
            session.note("legacy TLS check not done: " + tls.message);
        }
        connection.close();
    }

    const ProbeOptions& options_;
    PortObservation obs_;
};

}  // namespace

PortObservation probe_port(unsigned short port, const ProbeOptions& options) { return PortProbe(port, options).run(); }

std::vector<PortObservation> probe_ports(const std::vector<unsigned short>& ports, const ProbeOptions& options) {
    std::vector<PortObservation> results(ports.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < ports.size(); i = next++) results[i] = probe_port(ports[i], options);
    };
    std::size_t threads = std::clamp<std::size_t>(options.max_parallel, 1, std::max<std::size_t>(ports.size(), 1));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    return results;
}

}  // namespace mailspec::harness::probe
