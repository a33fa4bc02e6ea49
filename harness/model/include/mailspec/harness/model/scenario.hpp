#pragma once
// The scenario model: what a scenario file says, with no dependency on XML (STYLE.md #6).
// The loader (harness/loader) builds it; the engine (harness/engine) runs it; `mailspec check`
// lints it. Every step remembers where it came from so results can point at file:line.
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mailspec/harness/model/judgement.hpp"

namespace mailspec::harness::model {

using Millis = std::chrono::milliseconds;

struct SourceLocation {
    std::string file;
    int line = 0;  // 1-based; 0 when unknown
    std::string str() const;  // "file:line"
};

enum class Protocol { smtp, pop3, imap };
const char* to_string(Protocol protocol);
std::optional<Protocol> parse_protocol(const std::string& text);

// <connect endpoint="NAME"/>: TCP connect; the TLS handshake at once when the endpoint is implicit TLS.
struct Connect {
    std::string endpoint;
};

// <send>LINE</send> (CRLF appended), <send raw="BYTES"/> or <send-raw>BYTES</send-raw> (escapes
// \r \n \t \\ \xNN decoded, nothing appended). ${var} is substituted in both forms first.
struct Send {
    enum class Form { line, raw };
    Form form = Form::line;
    std::string text;
};

// <send-file path="fixtures/messages/x.eml" mode="smtp-data|imap-literal|raw" prefix suffix/>.
// smtp-data: RFC 5321 §4.5.2 dot-stuffing, a CRLF added when the file does not end with one, then
//            ".\r\n" (the scenario itself sends DATA and expects 354 first).
// imap-literal: RFC 3501 §4.3 synchronizing literal: sends "PREFIX {n}\r\n", waits for the "+"
//            continuation, then the n bytes, then SUFFIX and CRLF.
// raw: the file's bytes as they are.
struct SendFile {
    enum class Mode { smtp_data, imap_literal, raw };
    Mode mode = Mode::raw;
    std::string path;       // as written in the scenario
    std::string resolved;   // absolute or CWD-relative path the engine opens
    std::string prefix;     // imap-literal only (e.g. "a1 APPEND INBOX")
    std::string suffix;     // imap-literal only, sent after the literal bytes (CRLF appended)
    bool substitute = false;  // substitute ${var} inside the file's content
};

// One assertion over the lines of a response.
struct LineCheck {
    enum class Kind { some_line_matches, no_line_matches };
    Kind kind = Kind::some_line_matches;
    std::string pattern;                // regex (ECMAScript-like), ${var} substituted (escaped) first
    std::vector<std::string> captures;  // variable names bound to groups 1..n of the first match
    SourceLocation where;
};

// <expect>: reads exactly one complete response on the session and checks it. Which attributes
// apply depends on the protocol of the session's endpoint:
//   SMTP  code="250" | "2xx" | "25x" | "250|251" (RFC 5321 §4.2)
//   POP3  status="+OK" | "-ERR" | "+", multiline="true" (RFC 1939 §3)
//   IMAP  tag="a1" status="OK|NO|BAD"; without tag one untagged line, status="OK|BYE|PREAUTH|...";
//         continuation="true" reads one "+" continuation request (RFC 3501 §7.5)
struct Expect {
    std::optional<std::string> code;
    std::optional<std::string> status;
    std::optional<std::string> tag;
    bool multiline = false;
    bool continuation = false;
    std::vector<LineCheck> checks;
};

// <starttls/>: the protocol's upgrade command (SMTP STARTTLS, POP3 STLS, IMAP "<tag> STARTTLS"),
// the positive reply required, then the handshake (RFC 3207, RFC 2595).
struct StartTls {};

// <tls-handshake min-version="1.2" max-version="1.1" expect="ok|fail"/>: only the handshake.
struct TlsHandshake {
    std::optional<std::string> min_version;  // "1.0" "1.1" "1.2" "1.3"
    std::optional<std::string> max_version;
    bool expect_failure = false;
    // expect="any": a refused handshake is also acceptable and ends the scenario with PASS (the
    // remaining steps no longer apply), e.g. a server that answers injected cleartext after STARTTLS
    // by failing the handshake (RFC 3207 §4.2, RFC 2595 §3.1: the injected command never runs).
    bool allow_failure = false;
};

// <expect-close/>: the server must close the connection within the step timeout.
struct ExpectClose {};

// <close/>: the client drops the connection at once, without QUIT / LOGOUT (e.g. RFC 1939 §6: a POP3
// session that ends without QUIT must not enter the UPDATE state).
struct Close {};

// <requires capability="X"/> as a step (after an <expect>): SKIP unless the last response read on
// the session advertises X (SMTP EHLO keywords, POP3 CAPA tags, IMAP CAPABILITY data or
// [CAPABILITY ...] code). Before the first step it is a Scenario::requirements entry instead.
struct Requires {
    std::string capability;
};

// <pause ms="N"/>
struct Pause {
    Millis duration{0};
};

using Action = std::variant<Connect, Send, SendFile, Expect, StartTls, TlsHandshake, ExpectClose, Close,
                            Requires, Pause>;

struct Step {
    Action action;
    std::string session = "default";   // "session" attribute
    std::optional<Millis> timeout;     // per-step timeout; falls back to the scenario's, then the run's
    SourceLocation where;
};

// Name of a step's element, for messages ("expect", "send-file", ...).
const char* step_name(const Step& step);

// Names of the ${...} variables referenced by a step (in order of appearance, duplicates kept out).
std::vector<std::string> referenced_variables(const Step& step);
// Variables a step defines (captures).
std::vector<std::string> defined_variables(const Step& step);
// Every ${name} in a text, in order.
std::vector<std::string> variables_in(const std::string& text);

// A capability the whole scenario needs: requires="A B" on <scenario>, or <requires capability="A"/>
// before the first step (issue 9 item 7). Not advertised -> the scenario is SKIP. Where it is
// decided is engine::plan_requirements (requirement_plan.hpp): on the first capability response
// the scenario itself reads on the session it opens first, else by a capability query of its own.
struct Requirement {
    std::string capability;
    SourceLocation where;  // the <requires> element, or the <scenario> for requires=
};

struct Scenario {
    std::string id;
    Protocol protocol = Protocol::smtp;
    std::string rfc;                   // "5321#4.1.1.1"
    std::string level;                 // MUST | SHOULD | MAY: the keyword of the cited clause
    Judges judges = Judges::conformance;  // judges="policy": a deployment recommendation (judgement.hpp)
    Severity severity = Severity::error;  // judges="policy" only: the weight of its FAIL (severity=)
    std::vector<std::string> tags;
    std::vector<Requirement> requirements;  // requires="..." then the <requires> before the first step
    std::vector<std::string> proves;   // reference-server faults that must make it FAIL (issue 5)
    std::string description;
    std::optional<Millis> timeout;     // default step timeout for this scenario
    std::vector<Step> steps;
    std::vector<Step> cleanup;         // always run after the steps, best effort
    SourceLocation where;              // the <scenario> element
    std::string suite;                 // <suite name> when loaded from a suite, else the file stem
};

}  // namespace mailspec::harness::model
