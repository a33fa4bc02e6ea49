// SMTP: EHLO (RFC 5321 §4.1.1.1) with HELO fallback, STARTTLS (RFC 3207 §4), QUIT.
#include "dialogue.hpp"

namespace mailspec::harness::probe {

namespace pc = protocol::client;

DialogueStep failed_after(const std::string& command, const ReadOutcome& outcome) {
    return {DialogueStep::Kind::failed, describe(outcome) + " after " + command};
}

namespace {

std::string reply_text(const pc::SmtpReply& reply) {
    std::string text = std::to_string(reply.code);
    if (!reply.lines.empty()) text += " " + reply.lines.back();
    return text;
}

class SmtpDialogue : public Dialogue {
public:
    SmtpDialogue(ProbeSession& session, std::string client_name)
        : session_(session), client_name_(std::move(client_name)) {}

    DialogueStep capabilities(std::vector<std::string>& out) override {
        out.clear();
        pc::SmtpReply reply;
        if (auto r = exchange("EHLO " + client_name_, reply); r.kind != DialogueStep::Kind::ok) return r;
        if (reply.code == 250) {
            // The first line names the server; each further line is one extension keyword.
            for (std::size_t i = 1; i < reply.lines.size(); ++i) out.push_back(reply.lines[i]);
            return {};
        }
        if (reply.code >= 500 && reply.code < 600) {
            // No ESMTP: fall back to HELO (RFC 5321 §4.1.4); no extension, hence no STARTTLS.
            pc::SmtpReply helo;
            if (auto r = exchange("HELO " + client_name_, helo); r.kind != DialogueStep::Kind::ok) return r;
            if (helo.code == 250) return {};
            return {DialogueStep::Kind::refused, "EHLO and HELO refused: " + reply_text(helo)};
        }
        return {DialogueStep::Kind::refused, "EHLO refused: " + reply_text(reply)};
    }

    DialogueStep start_tls_command() override {
        pc::SmtpReply reply;
        if (auto r = exchange("STARTTLS", reply); r.kind != DialogueStep::Kind::ok) return r;
        if (reply.code == 220) return {};
        return {DialogueStep::Kind::refused, "STARTTLS answered " + reply_text(reply)};
    }

    void quit() override {
        pc::SmtpReply reply;
        exchange("QUIT", reply);
    }

private:
    // Sends `command`, reads one whole reply. A 421 at any point is the server giving up
    // (RFC 5321 §3.8): the step failed, the probe cannot conclude anything from it.
    DialogueStep exchange(const std::string& command, pc::SmtpReply& reply) {
        std::string verb = command.substr(0, command.find(' '));
        if (auto w = session_.send_line(command); !w) return failed_after(verb, w);
        if (auto r = session_.read_smtp(reply); !r) return failed_after(verb, r);
        if (reply.code == 421) return {DialogueStep::Kind::failed, "421 after " + verb + ": " + reply_text(reply)};
        return {};
    }

    ProbeSession& session_;
    std::string client_name_;
};

}  // namespace

std::unique_ptr<Dialogue> make_smtp_dialogue(ProbeSession& session, std::string client_name) {
    return std::make_unique<SmtpDialogue>(session, std::move(client_name));
}

std::unique_ptr<Dialogue> make_dialogue(Service service, ProbeSession& session, const std::string& client_name) {
    switch (service) {
        case Service::smtp: return make_smtp_dialogue(session, client_name);
        case Service::pop3: return make_pop3_dialogue(session);
        case Service::imap: return make_imap_dialogue(session);
        case Service::unknown: break;
    }
    return nullptr;
}

}  // namespace mailspec::harness::probe
