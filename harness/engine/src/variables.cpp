#include "mailspec/harness/engine/variables.hpp"

#include <charconv>

#include "mailspec/harness/engine/escapes.hpp"
#include "mailspec/harness/engine/sasl_client.hpp"
#include "mailspec/harness/model/value_expression.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/smtp/base64.hpp"

namespace mailspec::harness::engine {

using model::ValueArgument;
using model::ValueExpression;

namespace {

constexpr std::size_t max_repeat_octets = 64 * 1024 * 1024;

// The value of one expression before it is placed into the text.
struct Value {
    std::string bytes;
    bool secret = false;
    bool literal = false;  // must travel as an IMAP synchronizing literal
};

RenderProblem error(std::string message) { return {RenderProblem::Kind::error, std::move(message)}; }

// Names a value in messages without showing it: "${user.password}" or "the literal 'x'".
std::string describe(const ValueArgument& a) {
    if (a.kind == ValueArgument::Kind::variable) return "the value of ${" + a.text + "}";
    return "the literal '" + a.text + "'";
}

// RFC 1939 §3: arguments are printable ASCII; USER's may not contain a space, PASS's may (§7).
std::optional<std::string> pop3_problem(std::string_view v, bool spaces_allowed) {
    if (v.empty()) return "it is empty";
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u == ' ' && !spaces_allowed) return "it contains a space, and POP3 arguments are separated by spaces (RFC 1939 §3)";
        if ((u < 0x20 || u >= 0x7f) && u != ' ')
            return "it contains a byte outside printable ASCII (RFC 1939 §3); use a SASL mechanism for such values";
    }
    return std::nullopt;
}

bool quotable(std::string_view v) {
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0 || u == '\r' || u == '\n' || u >= 0x80) return false;
    }
    return true;
}

class Evaluator {
public:
    explicit Evaluator(const std::map<std::string, std::string>& values, const std::set<std::string>& secrets)
        : values_(values), secrets_(secrets) {}

    std::optional<RenderProblem> arg(const ValueArgument& a, std::string& out, bool& secret) const {
        if (a.kind != ValueArgument::Kind::variable) {
            out = a.text;
            return std::nullopt;
        }
        const auto it = values_.find(a.text);
        if (it == values_.end()) {
            auto p = error("undefined variable ${" + a.text + "}");
            p.undefined = a.text;
            return p;
        }
        out = it->second;
        secret = secret || secrets_.count(a.text) != 0;
        return std::nullopt;
    }

    std::optional<RenderProblem> eval(const ValueExpression& e, Value& v) const {
        std::vector<std::string> args(e.args.size());
        const bool user_fn = e.function == "sasl-plain" || e.function == "cram-md5";
        std::size_t first = 0;
        std::string login, password;
        if (user_fn) {
            // The first argument is a user id: its login and password.
            bool ignored = false;
            if (auto p = arg({ValueArgument::Kind::variable, e.args[0].text + ".login"}, login, ignored)) return p;
            if (auto p = arg({ValueArgument::Kind::variable, e.args[0].text + ".password"}, password, ignored)) return p;
            v.secret = true;
            first = 1;
        }
        for (std::size_t i = first; i < e.args.size(); ++i)
            if (auto p = arg(e.args[i], args[i], v.secret)) return p;

        const std::string& f = e.function;
        if (f.empty()) v.bytes = args[0];
        else if (f == "base64") v.bytes = protocol::smtp::base64_encode(args[0]);
        else if (f == "repeat") {
            std::size_t n = 0;
            const auto& digits = args[1];
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (ec != std::errc() || p != digits.data() + digits.size() || n > max_repeat_octets)
                return error("${" + e.source + "}: the octet count must be a number from 0 to 67108864");
            if (args[0].empty() && n > 0) return error("${" + e.source + "}: cannot repeat an empty value");
            v.bytes.reserve(n);
            while (v.bytes.size() < n) v.bytes.append(args[0], 0, n - v.bytes.size());
        } else if (f == "sasl-plain") {
            v.bytes = sasl_plain_response(login, e.args.size() > 1 ? args[1] : password);
        } else if (f == "cram-md5") {
            std::string why;
            auto r = cram_md5_response(login, password, args[1], why);
            if (!r) return error("${" + e.source + "}: " + why);
            v.bytes = std::move(*r);
        } else if (f == "imap-astring" || f == "imap-string") {
            // RFC 3501 §4.3 / §9: atom when possible (astring), else quoted, else a literal.
            v.bytes = f == "imap-astring" ? protocol::imap::astring(args[0]) : protocol::imap::quote(args[0]);
            if (!v.bytes.empty() && v.bytes.front() == '{') {
                v.bytes = args[0];
                v.literal = true;
            }
        } else if (f == "imap-quoted") {
            if (!quotable(args[0]))
                return RenderProblem{RenderProblem::Kind::skip,
                                     describe(e.args[0]) + " cannot be an IMAP quoted string: it contains CR, LF, NUL or 8-bit "
                                     "octets, which need a literal (RFC 3501 §4.3)"};
            v.bytes = "\"";
            for (char c : args[0]) {
                if (c == '"' || c == '\\') v.bytes += '\\';
                v.bytes += c;
            }
            v.bytes += '"';
        } else if (f == "imap-literal") {
            v.bytes = args[0];
            v.literal = true;
        } else if (f == "pop3-arg" || f == "pop3-pass") {
            if (auto why = pop3_problem(args[0], f == "pop3-pass"))
                return RenderProblem{RenderProblem::Kind::skip,
                                     describe(e.args[0]) + " cannot be sent as a POP3 " +
                                         (f == "pop3-pass" ? "PASS argument" : "argument") + ": " + *why};
            v.bytes = args[0];
        } else {
            return error("${" + e.source + "}: unknown value function '" + f + "'");
        }
        return std::nullopt;
    }

private:
    const std::map<std::string, std::string>& values_;
    const std::set<std::string>& secrets_;
};

}  // namespace

std::string Rendered::joined() const {
    std::string out;
    for (const auto& c : chunks) out += c.bytes;
    return out;
}

std::string regex_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '.': case '^': case '$': case '|': case '(': case ')': case '[': case ']': case '{': case '}':
            case '*': case '+': case '?': case '\\':
                out += '\\';
                [[fallthrough]];
            default:
                out += c;
        }
    }
    return out;
}

std::optional<RenderProblem> Variables::render(std::string_view text, RenderContext context, Rendered& out) const {
    out = Rendered{};
    out.chunks.emplace_back();
    std::string parse_error;
    const auto parts = model::parse_value_text(text, parse_error);
    if (!parts) return error(parse_error);
    const Evaluator evaluator(values_, secret_names_);
    for (const auto& part : *parts) {
        if (!part.expression) {
            if (context == RenderContext::raw) {
                std::string decoded;
                EscapeError e;
                if (!decode_escapes(part.literal, decoded, e))
                    return error("bad escape in the raw text \"" + part.literal + "\" at offset " +
                                 std::to_string(e.offset) + ": " + e.message);
                out.chunks.back().bytes += decoded;
            } else {
                out.chunks.back().bytes += part.literal;
            }
            continue;
        }
        Value v;
        if (auto p = evaluator.eval(*part.expression, v)) return p;
        if (v.literal) {
            if (context != RenderContext::line && context != RenderContext::raw)
                return error("${" + part.expression->source +
                             "} needs an IMAP literal, which only a <send> or <send-raw> can carry");
            out.chunks.back().bytes += "{" + std::to_string(v.bytes.size()) + "}\r\n";
            out.chunks.back().literal_follows = true;
            out.chunks.push_back({v.bytes, false});
        } else {
            out.chunks.back().bytes += context == RenderContext::regex ? regex_escape(v.bytes) : v.bytes;
        }
        if (v.secret && !v.bytes.empty()) out.secrets.push_back(v.bytes);
    }
    return std::nullopt;
}

bool Variables::substitute(std::string_view text, std::string& out, std::string& missing, bool escape) const {
    Rendered r;
    if (auto p = render(text, escape ? RenderContext::regex : RenderContext::plain, r)) {
        missing = p->undefined.empty() ? p->message : p->undefined;
        return false;
    }
    out = r.joined();
    return true;
}

}  // namespace mailspec::harness::engine
