#pragma once
// Server-side IMAP command parser (RFC 3501 §9 formal syntax: tag SP command *(SP argument) CRLF).
// Resumable and pure: it looks at bytes the caller has buffered, never reads a socket, and either
// returns one complete command, asks for more bytes, asks the caller to send a continuation
// request for a synchronizing literal (RFC 3501 §7.5), or reports an error.
//
// Arguments are a generic token tree (atoms, quoted strings, literals, parenthesised lists); the
// command handlers interpret them. Atoms may contain "[...]" sections, copied verbatim with the
// spaces, quotes and parentheses inside them, so "BODY[HEADER.FIELDS (From To)]<0.100>" is one atom.
//
// Limits are enforced before bytes are read: a literal larger than max_literal is rejected as soon
// as its "{n}" is seen (RFC 7888 §4: for a non-synchronizing literal the connection must close, so
// the error is fatal); a line longer than max_line without its CRLF is fatal too.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::imap {

struct Arg {
    enum class Kind { atom, quoted, literal, list };
    Kind kind = Kind::atom;
    std::string value;        // atom text or string content
    std::vector<Arg> items;   // list members
    std::size_t offset = 0;   // offset of the token in the command's bytes

    bool is_string() const { return kind == Kind::quoted || kind == Kind::literal; }
    bool is_list() const { return kind == Kind::list; }
    bool is_atom() const { return kind == Kind::atom; }
    // astring (RFC 3501 §9): atom, quoted or literal.
    bool is_astring() const { return kind != Kind::list; }
    // The atom NIL (case-insensitive).
    bool is_nil() const;
};

struct Command {
    std::string tag;
    std::string name;          // upper-cased ("UID" for UID commands; the subcommand is args[0])
    std::vector<Arg> args;
    std::size_t size = 0;      // bytes of the command, literals and final CRLF included
};

struct ParserLimits {
    std::size_t max_line = 64 * 1024;            // bytes outside literals
    std::size_t max_literal = 64 * 1024 * 1024;  // one literal
    std::size_t max_depth = 16;                  // list nesting
    std::size_t max_tokens = 100000;             // tokens in one command
    bool literal_plus = true;                    // accept "{n+}" (RFC 7888 LITERAL+)
};

enum class ParseStatus {
    need_more,          // call again with more bytes appended
    need_continuation,  // send "+ ..." (RFC 3501 §7.5), call continuation_sent(), then wait for bytes
    complete,           // `out` holds the command; `consumed` bytes belong to it
    error,              // `error` says why; `consumed` bytes (through the line's LF) are to be dropped
};

struct ParseError {
    std::size_t offset = 0;   // offset of the offending byte in the buffer
    std::string message;      // expected vs found, bytes shown safely
    std::string tag;          // the command's tag, or "*" when the tag itself was unreadable
    bool fatal = false;       // the connection cannot resynchronise: send BYE and close
};

class CommandParser {
public:
    explicit CommandParser(ParserLimits limits = {}) : limits_(limits) {}

    // Parses the command at the front of `buffered`. Between calls the caller keeps the unconsumed
    // bytes and appends new ones; state about acknowledged literals is kept here and reset after
    // `complete` and `error`.
    ParseStatus parse(std::string_view buffered, Command& out, std::size_t& consumed, ParseError& error);

    // The caller has sent the continuation request for the pending synchronizing literal.
    void continuation_sent() { ++acknowledged_; }
    // Size of the literal a need_continuation result is about.
    std::size_t pending_literal() const { return pending_literal_; }

    const ParserLimits& limits() const { return limits_; }
    void set_limits(const ParserLimits& limits) { limits_ = limits; }

private:
    ParserLimits limits_;
    std::size_t acknowledged_ = 0;  // synchronizing literals of the current command already "+"-ed
    std::size_t pending_literal_ = 0;
};

// Safe one-line rendering of bytes for error messages: printable ASCII as is, others "<0xNN>",
// "<CR>", "<LF>"; cut at `max` characters.
std::string describe_bytes(std::string_view bytes, std::size_t max = 20);

}  // namespace mailspec::protocol::imap
