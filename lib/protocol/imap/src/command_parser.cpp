// RFC 3501 §9 command syntax; literals per §4.3 and §7.5, non-synchronizing literals per RFC 7888.
#include "mailspec/protocol/imap/command_parser.hpp"

#include <cstdio>

namespace mailspec::protocol::imap {
namespace {

bool is_ctl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// RFC 3501 §9 tag: 1*<any ASTRING-CHAR except "+">.
bool is_tag_char(unsigned char c) {
    if (is_ctl(c) || c >= 0x80) return false;
    return std::string_view(" (){%*\"\\+").find(static_cast<char>(c)) == std::string_view::npos;
}

enum class Outcome { ok, need_more, need_continuation, error };

struct Cursor {
    std::string_view s;
    std::size_t pos = 0;
    std::size_t literal_bytes = 0;   // literal content bytes consumed so far
    std::size_t tokens = 0;
    std::size_t sync_literals = 0;   // synchronizing literals seen so far in this command
    std::size_t error_offset = 0;
    std::string error;
    bool fatal = false;
    std::size_t continuation_literal = 0;
};

Outcome fail(Cursor& c, std::size_t offset, std::string message, bool fatal = false) {
    c.error_offset = offset;
    c.error = std::move(message);
    c.fatal = fatal;
    return Outcome::error;
}

std::string found_at(const Cursor& c, std::size_t offset) {
    return "found \"" + describe_bytes(c.s.substr(offset)) + "\" at byte " + std::to_string(offset);
}

// Reads an atom starting at c.pos (which is an atom byte), "[...]" sections included.
Outcome read_atom(Cursor& c, Arg& arg) {
    std::size_t start = c.pos;
    int bracket = 0;
    bool in_quote = false;
    while (c.pos < c.s.size()) {
        unsigned char ch = static_cast<unsigned char>(c.s[c.pos]);
        if (ch == '\r' || ch == '\n') {
            if (bracket > 0) return fail(c, c.pos, "unbalanced '[': expected ']' before end of line");
            break;
        }
        if (in_quote) {
            if (ch == '\\' && c.pos + 1 < c.s.size()) ++c.pos;
            else if (ch == '"') in_quote = false;
            ++c.pos;
            continue;
        }
        if (bracket > 0) {
            if (ch == '[') ++bracket;
            else if (ch == ']') --bracket;
            else if (ch == '"') in_quote = true;
            else if (is_ctl(ch) || ch >= 0x80)
                return fail(c, c.pos, "invalid byte inside '[...]': " + found_at(c, c.pos));
            ++c.pos;
            continue;
        }
        if (ch == ' ' || ch == '(' || ch == ')' || ch == '"') break;
        if (ch == '[') {
            ++bracket;
            ++c.pos;
            continue;
        }
        if (is_ctl(ch) || ch >= 0x80)
            return fail(c, c.pos, "invalid byte in atom: " + found_at(c, c.pos) +
                                      " (8-bit and control bytes need a quoted string or literal)");
        ++c.pos;
    }
    if (c.pos >= c.s.size()) return Outcome::need_more;
    arg.kind = Arg::Kind::atom;
    arg.value = std::string(c.s.substr(start, c.pos - start));
    return Outcome::ok;
}

Outcome read_quoted(Cursor& c, Arg& arg) {  // c.s[c.pos] == '"'
    std::size_t start = c.pos++;
    std::string value;
    while (c.pos < c.s.size()) {
        char ch = c.s[c.pos];
        if (ch == '"') {
            ++c.pos;
            arg.kind = Arg::Kind::quoted;
            arg.value = std::move(value);
            return Outcome::ok;
        }
        if (ch == '\r' || ch == '\n')
            return fail(c, c.pos, "unterminated quoted string starting at byte " + std::to_string(start) +
                                      ": expected '\"' before end of line");
        if (ch == '\\') {
            if (c.pos + 1 >= c.s.size()) return Outcome::need_more;
            char next = c.s[c.pos + 1];
            if (next != '\\' && next != '"')
                return fail(c, c.pos, "invalid quoted-pair: expected \\\\ or \\\" , " + found_at(c, c.pos));
            value += next;
            c.pos += 2;
            continue;
        }
        if (ch == '\0') return fail(c, c.pos, "NUL byte in quoted string at byte " + std::to_string(c.pos));
        value += ch;
        ++c.pos;
    }
    return Outcome::need_more;
}

Outcome read_literal(Cursor& c, const ParserLimits& limits, std::size_t acknowledged, Arg& arg) {
    std::size_t start = c.pos++;  // '{'
    std::size_t digits_start = c.pos;
    unsigned long long n = 0;
    while (c.pos < c.s.size() && c.s[c.pos] >= '0' && c.s[c.pos] <= '9') {
        n = n * 10 + static_cast<unsigned>(c.s[c.pos] - '0');
        if (n > (1ULL << 40)) n = (1ULL << 40);
        ++c.pos;
    }
    if (c.pos >= c.s.size()) return Outcome::need_more;
    if (c.pos == digits_start)
        return fail(c, c.pos, "literal: expected digits after '{', " + found_at(c, c.pos));
    bool non_sync = false;
    if (c.s[c.pos] == '+') {
        non_sync = true;
        ++c.pos;
        if (c.pos >= c.s.size()) return Outcome::need_more;
    }
    if (c.s[c.pos] != '}') return fail(c, c.pos, "literal: expected '}', " + found_at(c, c.pos));
    ++c.pos;
    if (c.pos >= c.s.size()) return Outcome::need_more;
    if (c.s[c.pos] != '\r') return fail(c, c.pos, "literal: expected CRLF after '}', " + found_at(c, c.pos));
    if (c.pos + 1 >= c.s.size()) return Outcome::need_more;
    if (c.s[c.pos + 1] != '\n')
        return fail(c, c.pos + 1, "literal: expected LF after CR, " + found_at(c, c.pos + 1));
    if (non_sync && !limits.literal_plus)
        return fail(c, start, "non-synchronizing literal {n+} is not supported", true);
    if (n > limits.max_literal)
        return fail(c, start,
                    "literal of " + std::to_string(n) + " bytes exceeds the limit of " +
                        std::to_string(limits.max_literal) + " bytes",
                    non_sync);
    c.pos += 2;
    if (!non_sync) {
        std::size_t index = c.sync_literals++;
        if (index >= acknowledged && c.pos == c.s.size()) {
            c.continuation_literal = static_cast<std::size_t>(n);
            return Outcome::need_continuation;
        }
    }
    if (c.s.size() - c.pos < n) return Outcome::need_more;
    arg.kind = Arg::Kind::literal;
    arg.value = std::string(c.s.substr(c.pos, static_cast<std::size_t>(n)));
    c.pos += static_cast<std::size_t>(n);
    c.literal_bytes += static_cast<std::size_t>(n);
    return Outcome::ok;
}

// Reads arguments until CRLF (depth 0) or ')' (depth > 0); leaves c.pos after the terminator.
Outcome read_args(Cursor& c, const ParserLimits& limits, std::size_t acknowledged, std::size_t depth,
                  std::size_t open_offset, std::vector<Arg>& out) {
    bool need_separator = false;
    for (;;) {
        if (c.pos >= c.s.size()) return Outcome::need_more;
        char ch = c.s[c.pos];
        if (ch == '\r' || ch == '\n') {
            if (depth > 0)
                return fail(c, c.pos, "unbalanced '(' at byte " + std::to_string(open_offset) +
                                          ": expected ')' before end of line");
            if (ch == '\r') {
                if (c.pos + 1 >= c.s.size()) return Outcome::need_more;
                if (c.s[c.pos + 1] != '\n')
                    return fail(c, c.pos + 1, "expected LF after CR, " + found_at(c, c.pos + 1));
                c.pos += 2;
            } else {
                c.pos += 1;  // bare LF tolerated
            }
            return Outcome::ok;
        }
        if (ch == ')') {
            if (depth == 0) return fail(c, c.pos, "unbalanced ')' at byte " + std::to_string(c.pos));
            ++c.pos;
            return Outcome::ok;
        }
        if (ch == ' ') {
            ++c.pos;
            need_separator = false;
            continue;
        }
        if (need_separator && ch != '(')
            return fail(c, c.pos, "expected SP between arguments, " + found_at(c, c.pos));
        if (++c.tokens > limits.max_tokens)
            return fail(c, c.pos, "too many arguments (limit " + std::to_string(limits.max_tokens) + ")");
        Arg arg;
        arg.offset = c.pos;
        Outcome r;
        if (ch == '(') {
            if (depth + 1 > limits.max_depth)
                return fail(c, c.pos, "lists nested deeper than " + std::to_string(limits.max_depth));
            std::size_t open = c.pos++;
            arg.kind = Arg::Kind::list;
            r = read_args(c, limits, acknowledged, depth + 1, open, arg.items);
        } else if (ch == '"') {
            r = read_quoted(c, arg);
        } else if (ch == '{') {
            r = read_literal(c, limits, acknowledged, arg);
        } else {
            r = read_atom(c, arg);
        }
        if (r != Outcome::ok) return r;
        out.push_back(std::move(arg));
        need_separator = true;
    }
    return Outcome::ok;
}

}  // namespace

bool Arg::is_nil() const {
    return kind == Kind::atom && value.size() == 3 && (value[0] | 0x20) == 'n' && (value[1] | 0x20) == 'i' &&
           (value[2] | 0x20) == 'l';
}

std::string describe_bytes(std::string_view bytes, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
        unsigned char ch = static_cast<unsigned char>(bytes[i]);
        if (ch == '\r') out += "<CR>";
        else if (ch == '\n') out += "<LF>";
        else if (ch < 0x20 || ch >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "<0x%02X>", ch);
            out += buf;
        } else {
            out += static_cast<char>(ch);
        }
    }
    if (bytes.size() > max) out += "...";
    return out;
}

ParseStatus CommandParser::parse(std::string_view buffered, Command& out, std::size_t& consumed,
                                 ParseError& error) {
    consumed = 0;
    Cursor c;
    c.s = buffered;
    out = Command{};
    auto finish_error = [&](std::size_t offset, std::string message, bool fatal) {
        error.offset = offset;
        error.message = std::move(message);
        error.fatal = fatal;
        if (error.tag.empty()) error.tag = "*";
        if (!fatal) {
            // Resynchronise after the next LF; wait for it if it has not arrived yet.
            auto lf = buffered.find('\n', offset);
            if (lf == std::string_view::npos) {
                if (buffered.size() - offset > limits_.max_line) {
                    error.fatal = true;
                } else {
                    return ParseStatus::need_more;
                }
            } else {
                consumed = lf + 1;
            }
        }
        acknowledged_ = 0;
        return ParseStatus::error;
    };
    error = ParseError{};

    // tag
    while (c.pos < buffered.size() && is_tag_char(static_cast<unsigned char>(buffered[c.pos]))) ++c.pos;
    if (c.pos >= buffered.size()) {
        if (c.pos > limits_.max_line) return finish_error(0, "line too long", true);
        return ParseStatus::need_more;
    }
    if (c.pos == 0 || buffered[c.pos] != ' ') {
        std::string msg = c.pos == 0 ? "expected a tag, " + found_at(c, 0)
                                     : "expected SP after the tag, " + found_at(c, c.pos);
        if (c.pos > 0 && buffered[c.pos] != '\r' && buffered[c.pos] != '\n') error.tag = "*";
        else if (c.pos > 0) error.tag = std::string(buffered.substr(0, c.pos));
        if (c.pos > 0 && (buffered[c.pos] == '\r' || buffered[c.pos] == '\n')) msg = "missing command after tag";
        return finish_error(c.pos, msg, false);
    }
    out.tag = std::string(buffered.substr(0, c.pos));
    error.tag = out.tag;
    ++c.pos;
    // command name: an atom of letters (and digits, e.g. none today)
    std::size_t name_start = c.pos;
    while (c.pos < buffered.size()) {
        char ch = buffered[c.pos];
        bool letter = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                      ch == '-' || ch == '.';
        if (!letter) break;
        ++c.pos;
    }
    if (c.pos >= buffered.size()) {
        if (c.pos > limits_.max_line) return finish_error(0, "line too long", true);
        return ParseStatus::need_more;
    }
    if (c.pos == name_start) return finish_error(c.pos, "expected a command name, " + found_at(c, c.pos), false);
    char after = buffered[c.pos];
    if (after != ' ' && after != '\r' && after != '\n')
        return finish_error(c.pos, "invalid byte in command name, " + found_at(c, c.pos), false);
    for (std::size_t i = name_start; i < c.pos; ++i) {
        char ch = buffered[i];
        out.name += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    }

    Outcome r = read_args(c, limits_, acknowledged_, 0, 0, out.args);
    if (c.pos - c.literal_bytes > limits_.max_line && r != Outcome::error)
        return finish_error(0, "command line longer than " + std::to_string(limits_.max_line) + " bytes", true);
    switch (r) {
    case Outcome::ok:
        consumed = c.pos;
        out.size = c.pos;
        acknowledged_ = 0;
        return ParseStatus::complete;
    case Outcome::need_more:
        return ParseStatus::need_more;
    case Outcome::need_continuation:
        pending_literal_ = c.continuation_literal;
        return ParseStatus::need_continuation;
    case Outcome::error:
        return finish_error(c.error_offset, c.error, c.fatal);
    }
    return ParseStatus::need_more;
}

}  // namespace mailspec::protocol::imap
