// RFC 5321 §4.1.2 (Path, Mailbox, Local-part, Domain, address-literal) and §4.1.1.2-3 (MAIL, RCPT),
// with the RFC 6531 §3.3 UTF-8 extensions of atext, qtextSMTP and sub-domain.
#include "mailspec/protocol/smtp/address.hpp"

#include <charconv>
#include <vector>

#include "grammar.hpp"

namespace mailspec::protocol::smtp {
namespace {

using detail::found_at;

ParseError syntax(std::size_t offset, std::string message) {
    return ParseError{ParseErrorKind::syntax, offset, std::move(message)};
}

// A scanner over one argument string; every error offset is relative to its start.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}
    std::string_view text() const { return text_; }
    std::size_t pos = 0;
    bool at_end() const { return pos >= text_.size(); }
    unsigned char peek() const { return at_end() ? 0 : static_cast<unsigned char>(text_[pos]); }

    // Consumes one UTF-8 non-ASCII sequence if present; returns its length.
    std::size_t take_utf8() {
        if (at_end() || peek() < 0x80) return 0;
        const auto n = detail::utf8_sequence(text_, pos);
        pos += n;
        return n;
    }

private:
    std::string_view text_;
};

// Dot-string = Atom *("." Atom); Atom = 1*atext (UTF-8 allowed, RFC 6531 §3.3).
std::optional<ParseError> scan_dot_string(Scanner& s, bool& non_ascii) {
    for (;;) {
        const std::size_t atom_start = s.pos;
        for (;;) {
            if (!s.at_end() && detail::is_atext(s.peek())) {
                ++s.pos;
            } else if (s.take_utf8()) {
                non_ascii = true;
            } else {
                break;
            }
        }
        if (s.pos == atom_start)
            return syntax(s.pos, "expected an atom character in the local-part, " + found_at(s.text(), s.pos));
        if (s.peek() != '.') return std::nullopt;
        ++s.pos;
    }
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
std::optional<ParseError> scan_quoted_string(Scanner& s, bool& non_ascii) {
    ++s.pos;  // DQUOTE
    for (;;) {
        if (s.at_end()) return syntax(s.pos, "expected a closing '\"' in the quoted local-part, found end of input");
        const unsigned char c = s.peek();
        if (c == '"') {
            ++s.pos;
            return std::nullopt;
        }
        if (c == '\\') {  // quoted-pairSMTP = %d92 %d32-126
            ++s.pos;
            if (s.at_end() || s.peek() < 32 || s.peek() > 126)
                return syntax(s.pos, "expected a printable character after '\\', " + found_at(s.text(), s.pos));
            ++s.pos;
        } else if (c >= 32 && c <= 126) {  // qtextSMTP = %d32-33 / %d35-91 / %d93-126
            ++s.pos;
        } else if (s.take_utf8()) {
            non_ascii = true;
        } else {
            return syntax(s.pos, "expected a printable character in the quoted local-part, " + found_at(s.text(), s.pos));
        }
    }
}

bool is_let_dig(unsigned char c) { return detail::is_alpha(c) || detail::is_digit(c); }

// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (or a U-label, RFC 6531).
std::optional<ParseError> scan_domain(Scanner& s, bool& non_ascii) {
    for (;;) {
        const std::size_t label_start = s.pos;
        bool last_was_hyphen = false;
        for (;;) {
            const unsigned char c = s.peek();
            if (!s.at_end() && is_let_dig(c)) {
                ++s.pos;
                last_was_hyphen = false;
            } else if (!s.at_end() && c == '-' && s.pos != label_start) {
                ++s.pos;
                last_was_hyphen = true;
            } else if (s.take_utf8()) {
                non_ascii = true;
                last_was_hyphen = false;
            } else {
                break;
            }
        }
        if (s.pos == label_start)
            return syntax(s.pos, "expected a letter or digit starting a domain label, " + found_at(s.text(), s.pos));
        if (last_was_hyphen)
            return syntax(s.pos - 1, "a domain label must not end with '-'");
        if (s.peek() != '.') return std::nullopt;
        ++s.pos;
    }
}

bool valid_ipv4(std::string_view v) {
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        const std::size_t start = i;
        while (i < v.size() && detail::is_digit(static_cast<unsigned char>(v[i])) && i - start < 3) ++i;
        if (i == start) return false;
        int value = 0;
        std::from_chars(v.data() + start, v.data() + i, value);
        if (value > 255) return false;
        ++parts;
        if (parts < 4) {
            if (i >= v.size() || v[i] != '.') return false;
            ++i;
        }
    }
    return i == v.size();
}

bool valid_ipv6(std::string_view v) {
    if (v.empty() || v.size() > 45) return false;
    int colons = 0;
    for (char c : v) {
        if (c == ':') ++colons;
        else if (!detail::is_hex(static_cast<unsigned char>(c)) && c != '.') return false;
    }
    return colons >= 2 && colons <= 7;
}

// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
std::optional<ParseError> scan_address_literal(Scanner& s) {
    const std::size_t open = s.pos++;
    const auto close = s.text().find(']', s.pos);
    if (close == std::string_view::npos)
        return syntax(s.text().size(), "expected ']' closing the address literal, found end of input");
    const auto inner = s.text().substr(s.pos, close - s.pos);
    bool ok = false;
    if (detail::istarts_with(inner, "IPv6:")) {
        ok = valid_ipv6(inner.substr(5));
    } else if (!inner.empty() && detail::is_digit(static_cast<unsigned char>(inner[0]))) {
        ok = valid_ipv4(inner);
    } else {
        // General-address-literal = Standardized-tag ":" 1*dcontent
        const auto colon = inner.find(':');
        ok = colon != std::string_view::npos && colon > 0 && colon + 1 < inner.size();
        for (std::size_t i = 0; ok && i < colon; ++i) {
            const auto c = static_cast<unsigned char>(inner[i]);
            ok = is_let_dig(c) || c == '-';
        }
        for (std::size_t i = colon + 1; ok && i < inner.size(); ++i) {
            const auto c = static_cast<unsigned char>(inner[i]);
            ok = (c >= 33 && c <= 90) || (c >= 94 && c <= 126);
        }
    }
    if (!ok) return syntax(open, "expected an IPv4, IPv6 or general address literal, found '[" +
                                     core::visible(inner) + "]'");
    s.pos = close + 1;
    return std::nullopt;
}

// Mailbox = Local-part "@" ( Domain / address-literal ); stops after the domain.
Parsed<Mailbox> scan_mailbox(Scanner& s) {
    Mailbox box;
    const std::size_t start = s.pos;
    auto error = s.peek() == '"' ? scan_quoted_string(s, box.non_ascii) : scan_dot_string(s, box.non_ascii);
    if (error) return *error;
    box.local_part = std::string(s.text().substr(start, s.pos - start));
    if (box.local_part.size() > max_local_part)
        return ParseError{ParseErrorKind::too_long, start,
                          "local-part is " + std::to_string(box.local_part.size()) +
                              " octets, the limit is 64 (RFC 5321 §4.5.3.1.1)"};
    if (s.peek() != '@')
        return syntax(s.pos, "expected '@' after the local-part, " + found_at(s.text(), s.pos));
    ++s.pos;
    const std::size_t domain_start = s.pos;
    error = s.peek() == '[' ? scan_address_literal(s) : scan_domain(s, box.non_ascii);
    if (error) return *error;
    box.domain = std::string(s.text().substr(domain_start, s.pos - domain_start));
    if (box.domain.size() > max_domain)
        return ParseError{ParseErrorKind::too_long, domain_start,
                          "domain is " + std::to_string(box.domain.size()) +
                              " octets, the limit is 255 (RFC 5321 §4.5.3.1.2)"};
    return box;
}

// Path = "<" [ A-d-l ":" ] Mailbox ">"; the source route A-d-l is parsed and ignored (§4.1.2, C).
Parsed<Mailbox> scan_path(Scanner& s) {
    const std::size_t open = s.pos;
    if (s.peek() != '<') return syntax(s.pos, "expected '<' starting the path, " + found_at(s.text(), s.pos));
    ++s.pos;
    if (s.peek() == '@') {
        for (;;) {
            ++s.pos;  // '@'
            bool ignored = false;
            if (auto error = scan_domain(s, ignored)) return *error;
            if (s.peek() == ',') {
                ++s.pos;
                if (s.peek() != '@')
                    return syntax(s.pos, "expected '@' in the source route, " + found_at(s.text(), s.pos));
                continue;
            }
            if (s.peek() != ':')
                return syntax(s.pos, "expected ':' ending the source route, " + found_at(s.text(), s.pos));
            ++s.pos;
            break;
        }
    }
    auto box = scan_mailbox(s);
    if (!box) return box;
    if (s.peek() != '>') return syntax(s.pos, "expected '>' ending the path, " + found_at(s.text(), s.pos));
    ++s.pos;
    if (s.pos - open > max_path)
        return ParseError{ParseErrorKind::too_long, open,
                          "path is " + std::to_string(s.pos - open) +
                              " octets, the limit is 256 (RFC 5321 §4.5.3.1.3)"};
    return box;
}

struct Parameter {
    std::string keyword;  // upper-cased
    std::optional<std::string> value;
    std::size_t offset = 0;
};

// Mail-parameters = esmtp-param *(SP esmtp-param); esmtp-param = esmtp-keyword ["=" esmtp-value]
Parsed<std::vector<Parameter>> scan_parameters(Scanner& s) {
    std::vector<Parameter> out;
    while (!s.at_end()) {
        if (s.peek() != ' ')
            return syntax(s.pos, "expected SP before a parameter, " + found_at(s.text(), s.pos));
        while (s.peek() == ' ') ++s.pos;  // lenient: several SP
        if (s.at_end()) break;
        Parameter p;
        p.offset = s.pos;
        const std::size_t key_start = s.pos;
        if (!is_let_dig(s.peek()))
            return syntax(s.pos, "expected a parameter keyword, " + found_at(s.text(), s.pos));
        while (!s.at_end() && (is_let_dig(s.peek()) || s.peek() == '-')) ++s.pos;
        p.keyword = detail::to_upper(s.text().substr(key_start, s.pos - key_start));
        if (s.peek() == '=') {
            ++s.pos;
            const std::size_t value_start = s.pos;
            for (;;) {
                const unsigned char c = s.peek();
                if (!s.at_end() && c >= 33 && c <= 126 && c != '=') ++s.pos;
                else if (!s.take_utf8()) break;
            }
            if (s.pos == value_start)
                return syntax(s.pos, "expected a value after '" + p.keyword + "=', " + found_at(s.text(), s.pos));
            p.value = std::string(s.text().substr(value_start, s.pos - value_start));
        }
        if (!s.at_end() && s.peek() != ' ')
            return syntax(s.pos, "expected SP or end of line after a parameter, " + found_at(s.text(), s.pos));
        out.push_back(std::move(p));
    }
    return out;
}

// xtext (RFC 3461 §4): "+" HEXCHAR HEXCHAR encodes one byte; other printable bytes stand for
// themselves.
std::optional<std::string> decode_xtext(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '+') {
            out.push_back(v[i]);
            continue;
        }
        if (i + 2 >= v.size()) return std::nullopt;
        const auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        const int hi = hex(v[i + 1]), lo = hex(v[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

ParseError bad_parameter(const Parameter& p, std::string message) {
    return ParseError{ParseErrorKind::bad_parameter, p.offset, std::move(message)};
}

// The "FROM:" / "TO:" prefix, with the documented leniency of SP after the colon.
std::optional<ParseError> scan_prefix(Scanner& s, std::string_view prefix) {
    if (!detail::istarts_with(s.text(), prefix))
        return syntax(0, "expected '" + std::string(prefix) + "', found '" +
                             core::visible(s.text().substr(0, prefix.size())) + "'");
    s.pos = prefix.size();
    while (s.peek() == ' ') ++s.pos;
    return std::nullopt;
}

}  // namespace

Parsed<Mailbox> parse_mailbox(std::string_view text) {
    Scanner s(text);
    auto box = scan_mailbox(s);
    if (box && !s.at_end()) return syntax(s.pos, "expected end of mailbox, " + found_at(text, s.pos));
    return box;
}

Parsed<std::string> parse_hello_domain(std::string_view text) {
    Scanner s(text);
    bool non_ascii = false;
    if (text.empty()) return syntax(0, "expected a domain or address literal, found nothing");
    auto error = s.peek() == '[' ? scan_address_literal(s) : scan_domain(s, non_ascii);
    if (error) return *error;
    if (!s.at_end()) return syntax(s.pos, "expected end of the domain, " + found_at(text, s.pos));
    if (text.size() > max_domain)
        return ParseError{ParseErrorKind::too_long, 0, "domain over 255 octets (RFC 5321 §4.5.3.1.2)"};
    return std::string(text);
}

Parsed<MailFrom> parse_mail_from(std::string_view arguments) {
    Scanner s(arguments);
    if (auto error = scan_prefix(s, "FROM:")) return *error;
    MailFrom out;
    if (arguments.substr(s.pos, 2) == "<>") {
        s.pos += 2;
    } else {
        auto box = scan_path(s);
        if (!box) return box.error();
        out.sender = std::move(box.value());
    }
    auto params = scan_parameters(s);
    if (!params) return params.error();
    bool seen_size = false, seen_body = false, seen_auth = false;
    for (const auto& p : params.value()) {
        if (p.keyword == "SIZE") {  // RFC 1870 §6: size-value ::= 1*20DIGIT
            if (seen_size) return bad_parameter(p, "SIZE given twice");
            seen_size = true;
            const auto& v = p.value.value_or("");
            std::uint64_t n = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (v.empty() || v.size() > 20 || ec != std::errc() || end != v.data() + v.size())
                return bad_parameter(p, "expected SIZE=<1 to 20 digits>, found SIZE=" + core::visible(v));
            out.size = n;
        } else if (p.keyword == "BODY") {  // RFC 6152 §2 (and RFC 1652)
            if (seen_body) return bad_parameter(p, "BODY given twice");
            seen_body = true;
            const auto& v = p.value.value_or("");
            if (detail::iequals(v, "7BIT")) out.body = BodyType::seven_bit;
            else if (detail::iequals(v, "8BITMIME")) out.body = BodyType::eight_bit_mime;
            else return bad_parameter(p, "expected BODY=7BIT or BODY=8BITMIME, found BODY=" + core::visible(v));
        } else if (p.keyword == "SMTPUTF8") {  // RFC 6531 §3.4: no value
            if (out.smtputf8) return bad_parameter(p, "SMTPUTF8 given twice");
            if (p.value) return bad_parameter(p, "SMTPUTF8 takes no value");
            out.smtputf8 = true;
        } else if (p.keyword == "AUTH") {  // RFC 4954 §5: AUTH=xtext / AUTH=<>
            if (seen_auth) return bad_parameter(p, "AUTH given twice");
            seen_auth = true;
            if (!p.value) return bad_parameter(p, "expected AUTH=<xtext> or AUTH=<>");
            if (*p.value == "<>") {
                out.auth = "<>";
            } else {
                auto decoded = decode_xtext(*p.value);
                if (!decoded) return bad_parameter(p, "AUTH= value is not valid xtext: " + core::visible(*p.value));
                out.auth = std::move(*decoded);
            }
        } else {
            return ParseError{ParseErrorKind::unknown_parameter, p.offset,
                              "MAIL parameter " + p.keyword + " is not implemented"};
        }
    }
    return out;
}

Parsed<RcptTo> parse_rcpt_to(std::string_view arguments) {
    Scanner s(arguments);
    if (auto error = scan_prefix(s, "TO:")) return *error;
    RcptTo out;
    const auto rest = arguments.substr(s.pos);
    if (detail::istarts_with(rest, "<Postmaster>")) {
        out.postmaster = true;
        out.recipient.local_part = std::string(rest.substr(1, 10));
        s.pos += 12;
    } else {
        auto box = scan_path(s);
        if (!box) return box.error();
        out.recipient = std::move(box.value());
        out.postmaster = detail::iequals(out.recipient.local_part, "Postmaster");
    }
    auto params = scan_parameters(s);
    if (!params) return params.error();
    if (!params.value().empty()) {
        const auto& p = params.value().front();
        return ParseError{ParseErrorKind::unknown_parameter, p.offset,
                          "RCPT parameter " + p.keyword + " is not implemented"};
    }
    return out;
}

}  // namespace mailspec::protocol::smtp
