// IMAP: CAPABILITY (RFC 3501 §6.1.1), STARTTLS (RFC 3501 §6.2.1, RFC 2595 §3.1), LOGOUT (§6.1.3).
#include "dialogue.hpp"

#include "capabilities.hpp"

namespace mailspec::harness::probe {

namespace pc = protocol::client;

namespace {

// Untagged responses accepted before the tagged one; more is a misbehaving server.
constexpr int kMaxUntagged = 1000;

class ImapDialogue : public Dialogue {
public:
    explicit ImapDialogue(ProbeSession& session) : session_(session) {}

    DialogueStep capabilities(std::vector<std::string>& out) override {
        out.clear();
        pc::ImapResponseLine tagged;
        auto r = command("CAPABILITY", tagged, [&](const pc::ImapResponseLine& untagged) {
            auto atoms = imap_capability_atoms(untagged.text);
            if (!atoms.empty()) out = atoms;
        });
        if (r.kind != DialogueStep::Kind::ok) return r;
        return {};  // NO / BAD: no capability list, treated as empty
    }

    DialogueStep start_tls_command() override {
        pc::ImapResponseLine tagged;
        auto r = command("STARTTLS", tagged, [](const pc::ImapResponseLine&) {});
        if (r.kind != DialogueStep::Kind::ok) return r;
        if (tagged.status == "OK") return {};
        return {DialogueStep::Kind::refused, "STARTTLS answered " + tagged.text};
    }

    void quit() override {
        pc::ImapResponseLine tagged;
        command("LOGOUT", tagged, [](const pc::ImapResponseLine&) {});
    }

private:
    template <class OnUntagged>
    DialogueStep command(const std::string& verb, pc::ImapResponseLine& tagged, OnUntagged&& on_untagged) {
        std::string tag = "p" + std::to_string(++counter_);
        if (auto w = session_.send_line(tag + " " + verb); !w) return failed_after(verb, w);
        bool bye = false;
        std::string bye_text;
        for (int i = 0; i < kMaxUntagged; ++i) {
            pc::ImapResponseLine line;
            if (auto r = session_.read_imap(line); !r) {
                if (bye && verb != "LOGOUT") return {DialogueStep::Kind::failed, "BYE after " + verb + ": " + bye_text};
                return failed_after(verb, r);
            }
            if (line.kind == pc::ImapResponseLine::Kind::tagged && line.tag == tag) {
                tagged = line;
                return {};
            }
            if (line.kind == pc::ImapResponseLine::Kind::untagged) {
                if (line.status == "BYE") {
                    bye = true;
                    bye_text = line.text;
                }
                on_untagged(line);
            }
        }
        return {DialogueStep::Kind::failed, "more than " + std::to_string(kMaxUntagged) +
                                                " untagged responses after " + verb};
    }

    ProbeSession& session_;
    int counter_ = 0;
};

}  // namespace

std::unique_ptr<Dialogue> make_imap_dialogue(ProbeSession& session) {
    return std::make_unique<ImapDialogue>(session);
}

}  // namespace mailspec::harness::probe
