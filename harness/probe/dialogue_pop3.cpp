// POP3: CAPA (RFC 2449 §5), STLS (RFC 2595 §4), QUIT (RFC 1939 §6).
#include "dialogue.hpp"

namespace mailspec::harness::probe {

namespace pc = protocol::client;

namespace {

class Pop3Dialogue : public Dialogue {
public:
    explicit Pop3Dialogue(ProbeSession& session) : session_(session) {}

    DialogueStep capabilities(std::vector<std::string>& out) override {
        out.clear();
        if (auto w = session_.send_line("CAPA"); !w) return failed_after("CAPA", w);
        pc::Pop3Response response;
        if (auto r = session_.read_pop3(true, response); !r) return failed_after("CAPA", r);
        if (response.status == "+OK") out = response.body;
        // -ERR: no CAPA (RFC 2449 §5); without it STLS cannot be advertised (RFC 2595 §4).
        return {};
    }

    DialogueStep start_tls_command() override {
        if (auto w = session_.send_line("STLS"); !w) return failed_after("STLS", w);
        pc::Pop3Response response;
        if (auto r = session_.read_pop3(false, response); !r) return failed_after("STLS", r);
        if (response.status == "+OK") return {};
        return {DialogueStep::Kind::refused, "STLS answered " + response.status_line};
    }

    void quit() override {
        if (!session_.send_line("QUIT")) return;
        pc::Pop3Response response;
        session_.read_pop3(false, response);
    }

private:
    ProbeSession& session_;
};

}  // namespace

std::unique_ptr<Dialogue> make_pop3_dialogue(ProbeSession& session) {
    return std::make_unique<Pop3Dialogue>(session);
}

}  // namespace mailspec::harness::probe
