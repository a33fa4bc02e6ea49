#include "mailspec/harness/model/value_expression.hpp"

#include <algorithm>

namespace mailspec::harness::model {

const std::vector<ValueFunctionSpec>& value_functions() {
    static const std::vector<ValueFunctionSpec> table = {
        {"base64", 1, 1, false, "${base64:VALUE}"},
        {"repeat", 2, 2, false, "${repeat:VALUE,OCTETS}"},
        {"sasl-plain", 1, 2, true, "${sasl-plain:USER[,PASSWORD]}"},
        {"cram-md5", 2, 2, true, "${cram-md5:USER,CHALLENGE}"},
        {"imap-astring", 1, 1, false, "${imap-astring:VALUE}"},
        {"imap-string", 1, 1, false, "${imap-string:VALUE}"},
        {"imap-quoted", 1, 1, false, "${imap-quoted:VALUE}"},
        {"imap-literal", 1, 1, false, "${imap-literal:VALUE}"},
        {"pop3-arg", 1, 1, false, "${pop3-arg:VALUE}"},
        {"pop3-pass", 1, 1, false, "${pop3-pass:VALUE}"},
    };
    return table;
}

const ValueFunctionSpec* find_value_function(std::string_view name) {
    for (const auto& f : value_functions())
        if (f.name == name) return &f;
    return nullptr;
}

namespace {

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

std::string function_names() {
    std::string s;
    for (const auto& f : value_functions()) s += (s.empty() ? "" : ", ") + std::string(f.name);
    return s;
}

// Parses "NAME:ARG,ARG" (the text between "${" and "}" when it has a ':').
std::optional<ValueExpression> parse_function(std::string_view source, std::string& error) {
    ValueExpression e;
    e.source = std::string(source);
    const auto colon = source.find(':');
    e.function = std::string(source.substr(0, colon));
    const ValueFunctionSpec* spec = find_value_function(e.function);
    if (!spec) {
        error = "${" + e.source + "}: unknown value function '" + e.function + "'; expected one of: " + function_names() +
                (e.function == "env" ? " (${env:NAME} is for target files only)" : "");
        return std::nullopt;
    }
    std::string_view rest = source.substr(colon + 1);
    std::size_t i = 0;
    while (true) {
        ValueArgument a;
        if (i < rest.size() && rest[i] == '\'') {
            const auto close = rest.find('\'', i + 1);
            if (close == std::string_view::npos) {
                error = "${" + e.source + "}: unterminated quoted argument; expected 'text'";
                return std::nullopt;
            }
            a.kind = ValueArgument::Kind::literal;
            a.text = std::string(rest.substr(i + 1, close - i - 1));
            i = close + 1;
        } else {
            const std::size_t start = i;
            while (i < rest.size() && name_char(rest[i])) ++i;
            a.text = std::string(rest.substr(start, i - start));
            if (a.text.empty()) {
                error = "${" + e.source + "}: empty or malformed argument " + std::to_string(e.args.size() + 1) +
                        "; expected a variable name, a 'quoted literal' or a number (usage: " +
                        std::string(spec->usage) + ")";
                return std::nullopt;
            }
            a.kind = std::all_of(a.text.begin(), a.text.end(), [](char c) { return c >= '0' && c <= '9'; })
                         ? ValueArgument::Kind::number
                         : ValueArgument::Kind::variable;
        }
        e.args.push_back(std::move(a));
        if (i == rest.size()) break;
        if (rest[i] != ',') {
            error = "${" + e.source + "}: unexpected '" + std::string(1, rest[i]) +
                    "' after argument " + std::to_string(e.args.size()) + "; arguments are separated by ','";
            return std::nullopt;
        }
        ++i;
    }
    if (e.args.size() < spec->min_args || e.args.size() > spec->max_args) {
        error = "${" + e.source + "}: " + std::to_string(e.args.size()) + " argument(s); usage: " + std::string(spec->usage);
        return std::nullopt;
    }
    if (spec->first_is_user && e.args[0].kind != ValueArgument::Kind::variable) {
        error = "${" + e.source + "}: the first argument of " + e.function + " is a target user id (user, user2); usage: " +
                std::string(spec->usage);
        return std::nullopt;
    }
    if (e.function == "repeat" && e.args[1].kind == ValueArgument::Kind::literal) {
        error = "${" + e.source + "}: the octet count of repeat is a number or a variable; usage: " + std::string(spec->usage);
        return std::nullopt;
    }
    return e;
}

}  // namespace

std::optional<std::vector<TextPart>> parse_value_text(std::string_view text, std::string& error) {
    std::vector<TextPart> parts;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) parts.push_back({std::move(literal), std::nullopt});
        literal.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {
            literal += '$';
            ++i;
            continue;
        }
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            // A quoted argument may contain '}' ("${repeat:'}',3}"): find the close outside quotes.
            std::size_t close = std::string_view::npos;
            bool quoted = false;
            for (std::size_t j = i + 2; j < text.size(); ++j) {
                if (text[j] == '\'') quoted = !quoted;
                else if (text[j] == '}' && !quoted) {
                    close = j;
                    break;
                }
            }
            if (close == std::string_view::npos) {
                // "${" with no "}" stays literal text, unless it plainly starts a value function.
                const std::string_view rest = text.substr(i + 2);
                const auto colon = rest.find(':');
                if (colon != std::string_view::npos && find_value_function(rest.substr(0, colon))) {
                    error = "unterminated ${" + std::string(rest.substr(0, colon)) +
                            ":...}: expected a closing '}' (a quoted argument is closed with ')";
                    return std::nullopt;
                }
            }
            if (close != std::string_view::npos) {
                const std::string_view source = text.substr(i + 2, close - i - 2);
                ValueExpression e;
                if (source.find(':') != std::string_view::npos) {
                    auto f = parse_function(source, error);
                    if (!f) return std::nullopt;
                    e = std::move(*f);
                } else {
                    e.source = std::string(source);
                    e.args.push_back({ValueArgument::Kind::variable, std::string(source)});
                }
                flush();
                parts.push_back({{}, std::move(e)});
                i = close;
                continue;
            }
        }
        literal += text[i];
    }
    flush();
    return parts;
}

std::vector<std::string> variables_of(const ValueExpression& expression) {
    std::vector<std::string> out;
    const ValueFunctionSpec* spec = expression.function.empty() ? nullptr : find_value_function(expression.function);
    for (std::size_t i = 0; i < expression.args.size(); ++i) {
        const auto& a = expression.args[i];
        if (a.kind != ValueArgument::Kind::variable) continue;
        if (i == 0 && spec && spec->first_is_user) {
            out.push_back(a.text + ".login");
            out.push_back(a.text + ".password");
        } else {
            out.push_back(a.text);
        }
    }
    return out;
}

}  // namespace mailspec::harness::model
