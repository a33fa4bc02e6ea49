// Minimal IMAP4rev1 session (RFC 3501): greeting, CAPABILITY, NOOP, LOGOUT. Grows into the full
// command table.
#include <cctype>
#include <memory>
#include <string>

#include "sessions.hpp"

namespace mailspec::server {
namespace {

class ImapSession final : public Session {
public:
    explicit ImapSession(Host& host) : host_(host) {}

    void on_open() override { host_.send("* OK [CAPABILITY IMAP4rev1] mailspec IMAP ready\r\n"); }

    void on_data(std::string_view bytes) override {
        buffer_.append(bytes);
        for (int guard = 0; guard < 10000 && !closed_; ++guard) {
            auto eol = buffer_.find("\r\n");
            if (eol == std::string::npos) break;
            std::string line = buffer_.substr(0, eol);
            buffer_.erase(0, eol + 2);
            handle(line);
        }
    }
    void on_tls_ready() override {}
    void on_idle_timeout() override {
        host_.send("* BYE autologout; idle for too long\r\n");
        host_.close();
        closed_ = true;
    }
    void on_closed() override { closed_ = true; }

private:
    void handle(const std::string& line) {
        auto sp = line.find(' ');
        std::string tag = line.substr(0, sp);
        std::string cmd = sp == std::string::npos ? "" : line.substr(sp + 1);
        for (auto& c : cmd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (tag.empty() || cmd.empty()) {
            host_.send("* BAD missing tag or command\r\n");
        } else if (cmd == "CAPABILITY") {
            host_.send("* CAPABILITY IMAP4rev1\r\n" + tag + " OK CAPABILITY completed\r\n");
        } else if (cmd == "NOOP") {
            host_.send(tag + " OK NOOP completed\r\n");
        } else if (cmd == "LOGOUT") {
            host_.send("* BYE logging out\r\n" + tag + " OK LOGOUT completed\r\n");
            host_.close();
            closed_ = true;
        } else {
            host_.send(tag + " BAD command unknown or not yet supported\r\n");
        }
    }

    Host& host_;
    std::string buffer_;
    bool closed_ = false;
};

}  // namespace

std::unique_ptr<Session> make_imap_session(Host& host, const SessionContext& /*context*/) {
    return std::make_unique<ImapSession>(host);
}

}  // namespace mailspec::server
