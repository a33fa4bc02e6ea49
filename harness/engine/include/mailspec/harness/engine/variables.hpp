#pragma once
// The variable table of one scenario run and the rendering of scenario text: target variables
// (${user.login}, ${domain}, ...), built-ins (${run.id}: unique per scenario run, for unique
// message ids and mailbox names), captures made by <line capture="...">, and the value functions
// of model/value_expression.hpp (${base64:...}, ${sasl-plain:user}, ${imap-astring:...}, ...).
// "$$" stands for a literal '$'.
//
// Secrets: a variable marked secret (each user's ID.password) and every value computed from one
// (base64 of it, a SASL response, its IMAP quoted form) are reported in Rendered::secrets so the
// runner can redact them from transcripts.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::harness::engine {

// Where a text is rendered: a <send> line, raw bytes (escapes decoded in the scenario's text, never
// in substituted values), a regex (values escaped to match literally), or plain text (tags,
// prefixes, file content).
enum class RenderContext { line, raw, regex, plain };

// One write of a rendered text. When `literal_follows`, the bytes end with an IMAP synchronizing
// literal header "{n}\r\n" (RFC 3501 §4.3, §7.5): the sender waits for the server's "+" before the
// next chunk, which starts with the literal's n octets.
struct Chunk {
    std::string bytes;
    bool literal_follows = false;
};

struct Rendered {
    std::vector<Chunk> chunks;         // at least one (possibly empty)
    std::vector<std::string> secrets;  // values to redact (never empty strings)
    std::string joined() const;        // all chunks' bytes
};

// Why a text could not be rendered. `skip`: the target's value cannot be carried by the protocol
// (a space in a POP3 USER argument, RFC 1939 §3): the scenario is not applicable; the message names
// the variable, never the value. `error`: a scenario error (undefined variable, bad argument).
struct RenderProblem {
    enum class Kind { error, skip };
    Kind kind = Kind::error;
    std::string message;
    std::string undefined;  // the variable's name when the cause is an undefined variable
};

class Variables {
public:
    Variables() = default;
    explicit Variables(std::map<std::string, std::string> initial) : values_(std::move(initial)) {}

    void set(const std::string& name, std::string value) { values_[name] = std::move(value); }
    void mark_secret(const std::string& name) { secret_names_.insert(name); }
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    bool is_secret(const std::string& name) const { return secret_names_.count(name) != 0; }
    const std::map<std::string, std::string>& all() const { return values_; }

    // Renders `text` for `context`. An IMAP literal is only possible in the line and raw contexts.
    std::optional<RenderProblem> render(std::string_view text, RenderContext context, Rendered& out) const;

    // Single-string convenience over render() for the plain and regex contexts: returns false and
    // names the undefined variable in `missing` (or, for any other problem, its message).
    bool substitute(std::string_view text, std::string& out, std::string& missing, bool regex_escape = false) const;

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> secret_names_;
};

// Escapes regex metacharacters so `text` matches itself literally.
std::string regex_escape(std::string_view text);

}  // namespace mailspec::harness::engine
