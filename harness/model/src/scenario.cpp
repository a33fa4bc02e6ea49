#include "mailspec/harness/model/scenario.hpp"

#include <algorithm>
#include <type_traits>

#include "mailspec/harness/model/value_expression.hpp"

namespace mailspec::harness::model {

std::string SourceLocation::str() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line);
}

const char* to_string(Protocol protocol) {
    switch (protocol) {
        case Protocol::smtp: return "smtp";
        case Protocol::pop3: return "pop3";
        case Protocol::imap: return "imap";
    }
    return "?";
}

std::optional<Protocol> parse_protocol(const std::string& text) {
    if (text == "smtp") return Protocol::smtp;
    if (text == "pop3") return Protocol::pop3;
    if (text == "imap") return Protocol::imap;
    return std::nullopt;
}

const char* step_name(const Step& step) {
    return std::visit(
        [&](const auto& a) -> const char* {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, Connect>) return "connect";
            else if constexpr (std::is_same_v<T, Send>) return a.form == Send::Form::line ? "send" : "send-raw";
            else if constexpr (std::is_same_v<T, SendFile>) return "send-file";
            else if constexpr (std::is_same_v<T, Expect>) return "expect";
            else if constexpr (std::is_same_v<T, StartTls>) return "starttls";
            else if constexpr (std::is_same_v<T, TlsHandshake>) return "tls-handshake";
            else if constexpr (std::is_same_v<T, ExpectClose>) return "expect-close";
            else if constexpr (std::is_same_v<T, Close>) return "close";
            else if constexpr (std::is_same_v<T, Requires>) return "requires";
            else return "pause";
        },
        step.action);
}

std::vector<std::string> variables_in(const std::string& text) {
    std::vector<std::string> names;
    std::string error;  // malformed expressions are reported by the linter (value_text_errors)
    const auto parts = parse_value_text(text, error);
    if (!parts) return names;
    for (const auto& part : *parts)
        if (part.expression)
            for (auto& n : variables_of(*part.expression))
                if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
    return names;
}

namespace {
void add_unique(std::vector<std::string>& out, const std::vector<std::string>& names) {
    for (const auto& n : names)
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
}
}  // namespace

std::vector<std::string> referenced_variables(const Step& step) {
    std::vector<std::string> out;
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, Send>) add_unique(out, variables_in(a.text));
            else if constexpr (std::is_same_v<T, SendFile>) {
                add_unique(out, variables_in(a.prefix));
                add_unique(out, variables_in(a.suffix));
            } else if constexpr (std::is_same_v<T, Expect>) {
                if (a.tag) add_unique(out, variables_in(*a.tag));
                for (const auto& c : a.checks) add_unique(out, variables_in(c.pattern));
            }
        },
        step.action);
    return out;
}

std::vector<std::string> defined_variables(const Step& step) {
    std::vector<std::string> out;
    if (const auto* e = std::get_if<Expect>(&step.action))
        for (const auto& c : e->checks) add_unique(out, c.captures);
    return out;
}

}  // namespace mailspec::harness::model
