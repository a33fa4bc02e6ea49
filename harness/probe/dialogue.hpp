#pragma once
// The few commands the probe sends, per protocol: capabilities (EHLO, RFC 5321 §4.1.1.1; CAPA,
// RFC 2449 §5; CAPABILITY, RFC 3501 §6.1.1), the TLS upgrade command (STARTTLS, RFC 3207 §4;
// STLS, RFC 2595 §4; STARTTLS, RFC 2595 §3.1 / RFC 3501 §6.2.1) and the polite goodbye.
// One file per protocol (dialogue_smtp.cpp, dialogue_pop3.cpp, dialogue_imap.cpp). The greeting
// has already been read when a dialogue starts.
#include <memory>
#include <string>
#include <vector>

#include "observation.hpp"
#include "probe_session.hpp"

namespace mailspec::harness::probe {

struct DialogueStep {
    enum class Kind {
        ok,       // the command succeeded
        refused,  // a well-formed negative reply (message: the reply text)
        failed,   // no usable reply: timeout, dropped connection, 421 / BYE, malformed reply
    };
    Kind kind = Kind::ok;
    std::string message;
};

class Dialogue {
public:
    virtual ~Dialogue() = default;
    // Asks for the capability list; `out` gets EHLO keyword lines / CAPA lines / CAPABILITY atoms.
    // A server without the command (EHLO or CAPA refused) gives ok with an empty list.
    virtual DialogueStep capabilities(std::vector<std::string>& out) = 0;
    // Sends STARTTLS / STLS and reads the reply; ok means the handshake may start now.
    virtual DialogueStep start_tls_command() = 0;
    // QUIT / LOGOUT, reading the answer; errors are ignored.
    virtual void quit() = 0;
};

// `client_name` is the EHLO argument.
std::unique_ptr<Dialogue> make_smtp_dialogue(ProbeSession& session, std::string client_name);
std::unique_ptr<Dialogue> make_pop3_dialogue(ProbeSession& session);
std::unique_ptr<Dialogue> make_imap_dialogue(ProbeSession& session);
std::unique_ptr<Dialogue> make_dialogue(Service service, ProbeSession& session, const std::string& client_name);

// A failed read as a dialogue step ("connection dropped after EHLO (...)").
DialogueStep failed_after(const std::string& command, const ReadOutcome& outcome);

}  // namespace mailspec::harness::probe
